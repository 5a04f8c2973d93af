"""What no register holds (issue 16, points 9 and 11): a date before the office could have existed (0001-01-01,
1800-01-01 gave case numbers such as 信访〔1〕第0001号), a plan decades ahead, a birth before 1900; a 乡镇, 问题类别,
具体问题 or 与被反映人关系 not on the office's lists — refused by every way in (the services the window and the
command line call, the import) with a message naming the field. Every person here is made up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from fulian_desktop.domain.dates import EARLIEST, EARLIEST_BIRTH
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.household import Cadre, CareField, CareList, Measure
from fulian_desktop.domain.mediation import Closing, Session
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.referral import Consent
from fulian_desktop.services import cases, households, lists, mediations, petitions, referrals
from fulian_desktop.services.context import Context

from .qt_input import type_text
from .test_documents import make_petition
from .test_exchange import check, row, xlsx
from .test_households import a_household, a_visit
from .test_mediations import form as a_mediation
from .test_referrals import direct as referral_form

ANCIENT = (dt.date(1, 1, 1), dt.date(1800, 1, 1), EARLIEST - dt.timedelta(days=1))
FOUNDED = "不能早于1949年4月3日"


def refused(call: Any, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as e:
        call()
    assert words in e.value.errors.get(field, ""), e.value.errors


def count(ctx: Context) -> int:
    return int(ctx.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0])


# --- dates -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ANCIENT)
def test_no_kind_takes_a_case_received_before_the_office_existed(ctx: Context, day: dt.date) -> None:
    refused(lambda: petitions.register(ctx, make_petition(received_on=day)), "received_on", FOUNDED)
    refused(lambda: referrals.refer(ctx, referral_form(ctx, referred_on=day)),
            "referred_on", FOUNDED)
    refused(lambda: mediations.open_mediation(ctx, a_mediation(ctx, received_on=day)), "received_on", FOUNDED)
    refused(lambda: households.register(ctx, a_household(ctx, received_on=day)), "received_on", FOUNDED)
    assert count(ctx) == 0  # no case number such as 信访〔1〕第0001号 was given


def test_the_founding_day_itself_is_taken(ctx: Context) -> None:
    case_id, case_no = petitions.register(ctx, make_petition(received_on=EARLIEST))
    assert case_no == "信访〔1949〕第0001号"


def test_steps_visits_sessions_and_plans_keep_to_the_office_s_years(ctx: Context) -> None:
    """The later dates of every kind: a step, a visit, a session, a measure, a cadre, the file, a plan ahead."""
    petition, _ = petitions.register(ctx, make_petition())
    refused(lambda: petitions.accept(ctx, petition, dt.date(1800, 1, 1)), "accepted_on", "不能早于")
    household, _ = households.register(ctx, a_household(ctx))
    refused(lambda: households.log_visit(ctx, household, a_visit(dt.date(1, 1, 1))), "visited_on", "不能早于")
    refused(lambda: households.add_measure(ctx, household, Measure("雨露计划", "补助", on_date=dt.date(1800, 1, 1))),
            "on_date", FOUNDED)
    refused(lambda: households.change_cadre(ctx, household, Cadre("赵红梅", from_date=dt.date(1, 1, 1))),
            "from_date", "不能早于")
    refused(lambda: households.log_visit(ctx, household, a_visit(ctx.today(), promised="协助办理低保",
                                                                   promise_due=dt.date(2099, 1, 1))),
            "promise_due", "不能晚于5年以后")
    refused(lambda: households.add_task(ctx, household, "回访", dt.date(2999, 1, 1)), "due_on", "不能晚于5年以后")
    mediation, _ = mediations.open_mediation(ctx, a_mediation(ctx))
    refused(lambda: mediations.add_session(ctx, mediation, Session(dt.date(1800, 1, 1), "调解室", "王秀英", "刘建国",
                                                                   "张丽、李强", "说", "说", "达成一致", "和好")),
            "held_on", "不能早于")
    mediations.add_session(ctx, mediation, Session(ctx.today(), "调解室", "王秀英", "刘建国", "张丽、李强", "说", "说",
                                                   "达成一致", "和好"))
    mediations.close(ctx, mediation, Closing("reconciled", ctx.today(), "和好"))
    refused(lambda: mediations.set_filing(ctx, mediation, "周敏", dt.date(1, 1, 1), "永久"), "filed_on", FOUNDED)
    refused(lambda: mediations.schedule_visit(ctx, mediation, dt.date(2099, 1, 1)), "due_on", "不能晚于5年以后")
    referral, _ = referrals.refer(ctx, referral_form(ctx))
    refused(lambda: referrals.record_consent(ctx, referral, Consent(dt.date(1800, 1, 1))), "consent_on", "不能早于")


def test_a_birth_before_1900_is_refused_in_a_person_and_in_a_care_list_date(ctx: Context) -> None:
    p = make_petition()
    p.petitioner = Person(name="王芳", sex="女", birth_date=dt.date(1899, 12, 31))
    refused(lambda: petitions.register(ctx, p), "petitioner.birth_date", "不能早于1900年1月1日")
    p.petitioner.birth_date = EARLIEST_BIRTH
    petitions.register(ctx, p)
    list_id = households.save_care_list(ctx, CareList("困境儿童", "person", [CareField("", "确诊日期", "date")]))
    h = a_household(ctx, list_id=list_id, extra={"f1": "1800-01-01"})
    refused(lambda: households.register(ctx, h), "extra.f1", "不能早于1900年1月1日")


def test_an_imported_register_with_an_ancient_date_is_refused_row_by_row(ctx: Context, tmp_path: Path) -> None:
    # (as text: Excel keeps no date before 1900 as a date)
    rows = [row(0), row(1, **{"收到日期": "1800-01-01"}), row(2, **{"收到日期": "0001-01-01"})]
    report = check(ctx, xlsx(tmp_path / "台账.xlsx", rows))
    assert report.new == 1
    messages = {r.row: " ".join(r.messages) for r in report.errors}
    assert set(messages) == {3, 4}
    assert all("收到日期不能早于1949年4月3日" in m for m in messages.values()), messages


def test_the_window_says_so_next_to_the_date(qtbot: Any, office_app: Any, ctx: Context) -> None:
    from fulian_desktop.gui.shell.main_window import MainWindow

    from .test_gui_petition import GOOD_ID, fill_form

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form = window.new_petition()
    fill_form(qtbot, form, GOOD_ID)
    form.received_on.setFocus()
    form.received_on.selectAll()
    qtbot.keyClicks(form.received_on, "18000101")
    qtbot.keyClick(form.received_on, Qt.Key.Key_Tab)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    assert FOUNDED in form.form.boxes["received_on"].error()
    assert count(ctx) == 0 and form.petitioner.name.text() == "张三"  # nothing saved, nothing typed lost
    form.done(0)


# --- the office's lists ------------------------------------------------------------------------------------------


def test_every_kind_takes_only_a_township_of_the_list(ctx: Context) -> None:
    refused(lambda: petitions.register(ctx, make_petition(township="不存在镇")), "township", "不在乡镇列表中")
    refused(lambda: referrals.refer(ctx, referral_form(ctx, township="不存在镇")), "township", "不在乡镇列表中")
    refused(lambda: mediations.open_mediation(ctx, a_mediation(ctx, township="不存在镇")), "township", "不在乡镇列表中")
    refused(lambda: households.register(ctx, a_household(ctx, township="不存在镇")), "township", "不在乡镇列表中")
    assert count(ctx) == 0


def test_a_petition_takes_categories_and_relations_of_the_lists(ctx: Context) -> None:
    refused(lambda: petitions.register(ctx, make_petition(category="外星人")), "category", "不在问题类别列表中")
    refused(lambda: petitions.register(ctx, make_petition(subcategory="土地承包")), "subcategory",
            "不在“婚姻家庭”下的具体问题列表中")
    refused(lambda: petitions.register(ctx, make_petition(respondent_relation="表哥")), "respondent_relation",
            "不在列表中，请选择：丈夫、前夫")
    assert count(ctx) == 0
    petitions.register(ctx, make_petition(subcategory="其他", respondent_relation="其他"))  # 其他 is on every list
    lists.add(ctx, "township", "新设镇")
    petitions.register(ctx, make_petition(township="新设镇"))  # as soon as the office adds it


def test_an_old_value_taken_off_the_list_does_not_block_other_corrections(ctx: Context) -> None:
    """Decided: a value the saved record already holds passes when it is corrected (the township was on the list
    when the case came in); a value changed to one not on the list is refused."""
    case_id, _ = petitions.register(ctx, make_petition())
    lists.remove(ctx, "township", "东山镇")
    lists.remove(ctx, "category", "家庭暴力", "婚姻家庭")
    changes = petitions.correct(ctx, case_id, make_petition(facts="更正后的事情经过。"), "登记有误")
    assert [c.field for c in changes] == ["facts"]
    refused(lambda: petitions.correct(ctx, case_id, make_petition(township="不存在镇"), "登记有误"), "township",
            "不在乡镇列表中")
    refused(lambda: petitions.correct(ctx, case_id, make_petition(category="人身权益", subcategory="家庭暴力"),
                                      "登记有误"), "subcategory", "不在“人身权益”下的具体问题列表中")


def test_a_list_the_office_left_empty_asks_for_nothing(ctx: Context) -> None:
    for township in lists.values(ctx, "township"):
        lists.remove(ctx, "township", township)
    case_id, _ = petitions.register(ctx, make_petition(township="任何乡镇"))
    assert cases.kind_of(ctx, case_id) == "petition"


def test_a_household_finding_says_an_unlisted_relation_on_the_visit_form(ctx: Context) -> None:
    from fulian_desktop.domain.household import Finding

    household, _ = households.register(ctx, a_household(ctx))
    visit = a_visit(ctx.today(), finding=Finding("dv", "petition", 1, "他打人", "制止家暴", "李大山", "表哥"))
    refused(lambda: households.log_visit(ctx, household, visit), "finding.respondent", "不在列表中")


def test_the_window_says_an_unlisted_relation_next_to_it(qtbot: Any, office_app: Any, ctx: Context) -> None:
    from fulian_desktop.gui.shell.main_window import MainWindow

    from .test_gui_petition import GOOD_ID, fill_form

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    form = window.new_petition()
    fill_form(qtbot, form, GOOD_ID)
    form.respondent_relation.setFocus()
    type_text(qtbot, form.respondent_relation.lineEdit(), "表哥")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible() and count(ctx) == 0
    assert "不在列表中" in form.rform.boxes["respondent_relation"].error()
    assert form.respondent_relation.currentText() == "表哥"  # what she typed stays
    form.done(0)
