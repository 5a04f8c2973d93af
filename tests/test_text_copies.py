"""domain/text.clean_record copies a record only when one of its texts changes (issue 18's import puts 20,000
petitions in normal form: copying each when its texts were already so took 40,000 dataclasses.replace calls). The
text in normal form is the same either way."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fulian_desktop.domain.records import Person, Petition
from fulian_desktop.domain.text import clean_record


def _petition(**changes: object) -> Petition:
    p = Petition(
        channel="来访", received_on=dt.date(2025, 3, 5),
        petitioner=Person("谢 月娥", sex="女", address="城关镇 北门村 3组"), concerned=None, headcount=1,
        township="城关镇", village="北门村", category="婚姻家庭", subcategory="离婚问题",
        facts="丈夫长期在外务工 不回家。\n也不寄钱回家。", request="请求 妇联 帮助", dv=False, safety_risk=False,
        receiving_staff="李 华",
    )
    return dataclasses.replace(p, **changes)  # type: ignore[arg-type]


def test_a_record_already_in_normal_form_is_kept_as_it_is_spaces_and_line_breaks_included() -> None:
    p = _petition()
    assert clean_record(p) is p  # (texts with a space or a line break were made again, equal, and copied)
    assert clean_record(p.petitioner) is p.petitioner


def test_a_text_that_changes_gives_a_copy_and_leaves_the_record_given_alone() -> None:
    p = _petition(request="  请求\u3000妇联   帮助 ", facts="丈夫长期在外务工\r\n也不寄钱回家。\t")
    out = clean_record(p)
    assert out is not p
    assert (out.request, out.facts) == ("请求 妇联 帮助", "丈夫长期在外务工\n也不寄钱回家。")
    assert (p.request, p.facts) == ("  请求\u3000妇联   帮助 ", "丈夫长期在外务工\r\n也不寄钱回家。\t")
    assert out.petitioner is p.petitioner  # (the person needed nothing)


def test_a_person_inside_whose_name_changes_gives_copies_of_both() -> None:
    p = _petition(petitioner=Person("谢  月娥 ", address="城关镇 北门村 3组"))
    out = clean_record(p)
    assert out is not p and out.petitioner is not p.petitioner
    assert out.petitioner.name == "谢 月娥" and p.petitioner.name == "谢  月娥 "
    assert dataclasses.replace(out, petitioner=p.petitioner) == p  # nothing else changed
