"""Statistics, the summary paragraph, and spreadsheet import and export (plain Python, no Qt)."""
