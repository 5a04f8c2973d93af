"""One function per user action: validation, store, timeline, in one transaction.

The GUI and the CLI both call these; neither writes SQL.
"""
