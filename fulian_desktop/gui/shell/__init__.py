"""The application around the work: start-up, the main window, the start page (工作台), the office's lists, and the widgets, dialogs, table models and PDF preview every wing shares."""
