"""What a rule says when it refuses: the field messages of a ValidationError, the sentence of a RuleError (the
unit tests of the rules compare them with the words written out by hand)."""

from __future__ import annotations

import pytest

from fulian_desktop.domain.errors import RuleError, ValidationError


def errors_of(call: object, *args: object, **kw: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as e:
        call(*args, **kw)  # type: ignore[operator]
    return e.value.errors


def rule_error(call: object, *args: object) -> str:
    with pytest.raises(RuleError) as e:
        call(*args)  # type: ignore[operator]
    return str(e.value)
