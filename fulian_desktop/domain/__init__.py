"""Plain-Python domain: records, validation, statuses, deadlines, numbering. No Qt, no SQL."""
