"""婚姻家庭纠纷调解: the form that opens a mediation, its page, and the roster of mediators."""
