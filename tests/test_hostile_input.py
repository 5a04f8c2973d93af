"""Hostile and careless input (issue 16): every entry path refuses what no register holds, with a message
for the user, and nothing crashes."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain.idcard import IdNumberError, check_digit, parse_id_number


def _with_check(first17: str) -> str:
    return first17 + check_digit(first17)


@pytest.mark.parametrize("region", ["000000", "999999", "093456", "100000", "160000", "380000", "660000", "840000"])
def test_an_id_number_from_no_province_is_refused(region: str) -> None:
    number = _with_check(f"{region}19850312002")
    with pytest.raises(IdNumberError, match="前两位"):
        parse_id_number(number, dt.date(2026, 12, 6))


@pytest.mark.parametrize("region", ["110101", "150102", "230103", "310104", "370105", "460106", "540107",
                                    "650108", "430121", "810000", "820000", "830000"])
def test_id_numbers_of_every_province_and_of_residence_permits_are_accepted(region: str) -> None:
    number = _with_check(f"{region}19850312002")
    assert parse_id_number(number, dt.date(2026, 12, 6)).region == region
