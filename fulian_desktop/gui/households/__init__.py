"""帮扶户走访慰问: the register, a household's page and form, the visit form, the care lists, and the main window's household actions."""
