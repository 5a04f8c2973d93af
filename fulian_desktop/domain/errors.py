"""Exceptions that carry a message written for the user (in Chinese)."""

from __future__ import annotations


class FulianError(Exception):
    """Base of every error the user may see; `str(err)` is the message to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(FulianError):
    """One or more fields are wrong. `errors` maps field name to a message for that field."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()) or "输入有误")


class NotFound(FulianError):
    pass


class RuleError(FulianError):
    """An action the case's state does not allow (e.g. conclude before acceptance)."""


class StorageError(FulianError):
    """The machine's fault: disk full, file locked, read-only, damaged, or from a newer version."""
