"""What the office is (县妇联 or a township's 妇联 under a named county) and the mark its case numbers carry, answers
worked out by hand (fast: in the mutation selection)."""

from __future__ import annotations

import pytest

from fulian_desktop.domain import numbering
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.office import COUNTY, TOWNSHIP, Office, from_dict, office_from, township_mark


@pytest.mark.parametrize(("name", "mark"), [
    ("福田铺乡", "福田铺"),
    ("东山镇", "东山"),
    ("城关街道", "城关"),
    ("城关街道办事处", "城关"),  # the longest ending first: not 城关街道办事
    (" 金田乡 ", "金田"),
    ("乡", "乡"),  # nothing would be left: the name as it is
    ("镇", "镇"),
    ("街道", "街道"),
    ("桃源", "桃源"),  # no ending to leave off
    ("乡村镇", "乡村"),  # only the last ending
])
def test_a_township_s_mark_is_its_name_without_the_ending(name: str, mark: str) -> None:
    assert township_mark(name) == mark


def test_the_county_and_a_township_as_they_are_called_and_numbered() -> None:
    county = Office(COUNTY, "某某县")
    assert (county.is_township, county.mark, county.peer_key, county.label) == (False, "", "county", "某某县妇联")
    assert Office().label == "县妇联" and Office().level == "county"
    town = Office(TOWNSHIP, "某某县", "福田铺乡")
    assert (town.is_township, town.mark, town.peer_key, town.label) == (True, "福田铺", "福田铺乡", "某某县福田铺乡妇联")
    assert Office(TOWNSHIP, "", "东山镇").label == "东山镇妇联"
    assert town.as_dict() == {"level": "township", "county": "某某县", "township": "福田铺乡"}
    # a county office that somehow holds a township's name is still the county: no mark, the county's label
    odd = Office(COUNTY, "某某县", "福田铺乡")
    assert (odd.mark, odd.peer_key, odd.label) == ("", "county", "某某县妇联")
    assert numbering.format_case_no("petition", 2026, 1, town.mark) == "信访〔2026〕福田铺第0001号"
    assert numbering.format_case_no("petition", 2026, 1, county.mark) == "信访〔2026〕第0001号"


def test_the_office_as_entered_spaces_taken_out() -> None:
    assert office_from("county", " 某 某县 ") == Office("county", "某某县", "")
    assert office_from("", "某某县") == Office("county", "某某县", "")  # nothing chosen: the county
    assert office_from(" township ", "某某县", " 福田 铺乡 ") == Office("township", "某某县", "福田铺乡")
    assert office_from("county", "某某县", "福田铺乡") == Office("county", "某某县", "")  # a county has no township
    assert office_from("county", "县" * 20) == Office("county", "县" * 20, "")
    assert office_from("township", "某某县", "乡" * 20).township == "乡" * 20


def test_a_township_named_nowhere_is_asked_for() -> None:
    with pytest.raises(ValidationError) as e:
        office_from("township", "某某县")
    assert e.value.errors == {"office_township": "请填写本乡镇（街道）的名称，如“福田铺乡”"}


@pytest.mark.parametrize(("level", "county", "township", "errors"), [
    ("city", "某某县", "", {"office_level": "请选择本单位是县妇联还是乡镇（街道）妇联"}),
    ("county", "", "", {"office_county": "请填写所在的县（市、区），如“某某县”"}),
    ("county", "  ", "", {"office_county": "请填写所在的县（市、区），如“某某县”"}),
    ("county", "县" * 21, "", {"office_county": "县名不能超过20个字"}),
    ("township", "某某县", "", {"office_township": "请填写本乡镇（街道）的名称，如“福田铺乡”"}),
    ("township", "某某县", "乡" * 21, {"office_township": "乡镇（街道）名称不能超过20个字"}),
    ("township", "", " ", {"office_county": "请填写所在的县（市、区），如“某某县”",
                           "office_township": "请填写本乡镇（街道）的名称，如“福田铺乡”"}),
])
def test_an_office_wrongly_entered_gets_a_message_by_each_field(level: str, county: str, township: str,
                                                                errors: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as e:
        office_from(level, county, township)
    assert e.value.errors == errors


@pytest.mark.parametrize(("stored", "office"), [
    ({"level": "county", "county": "某某县"}, Office("county", "某某县", "")),
    ({"level": "county", "county": "某某县", "township": "福田铺乡"}, Office("county", "某某县", "")),
    ({"level": "township", "county": "某某县", "township": "福田铺乡"}, Office("township", "某某县", "福田铺乡")),
    ({"level": "township", "county": "某某县"}, Office("township", "某某县", "")),
    ({"level": "city", "county": "某某县"}, None),
    ({"county": "某某县"}, None),
    ({"level": "county", "county": 7}, None),
    ({"level": "county"}, None),
    ({"level": "township", "county": "某某县", "township": None}, None),
    ("county", None),
    (None, None),
])
def test_the_office_read_back_from_the_settings(stored: object, office: Office | None) -> None:
    assert from_dict(stored) == office


@pytest.mark.parametrize(("text", "kind", "mark", "kept"), [
    ("信访〔2025〕第0040号", "petition", "", (2025, 40)),
    ("信访[2025]第0040号", "petition", "", (2025, 40)),
    ("援转〔2025〕第0007号", "referral", "", (2025, 7)),
    ("转介〔2025〕第0008号", "referral", "", (2025, 8)),  # another service's: the same counter
    ("信访〔2025〕福田铺第0003号", "petition", "福田铺", (2025, 3)),
    ("信访〔2025〕福田铺第0003号", "petition", "", None),  # a township's number at the county: not ours
    ("信访〔2025〕第0003号", "petition", "福田铺", None),  # the county's number at a township: not ours
    ("信访〔2025〕第0040号", "referral", "", None),  # another kind's
    ("第40号", "petition", "", None),
    ("", "petition", "", None),
])
def test_a_register_s_number_is_ours_only_in_our_own_form(text: str, kind: str, mark: str,
                                                         kept: tuple[int, int] | None) -> None:
    assert numbering.own_number(text, kind, mark) == kept
