"""家暴防护: a domestic-violence case's thread (risk assessments, safety plan, police contact, protection
orders …) as a tab of the case page, and her person page."""
