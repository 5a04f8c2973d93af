"""Qt only here: windows, dialogs, table models, widgets."""
