"""The domestic-violence figures (issue 20 point 9), counted by hand on a made-up first quarter of 2026: DV cases by
risk level, the women who came again, 告诫书 and the visits after them on time, protection orders, referrals by
service answered on time, mandatory reports — one definition each, read the same on the statistics page, in the
exported spreadsheet, on the printed PDF, by `report` and in the drafted paragraph. Every person here is made up."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from fulian_desktop.cli import main as cli
from fulian_desktop.domain import protection_order as order_rules
from fulian_desktop.domain.dv_risk import RiskForm
from fulian_desktop.domain.idcard import make_id_number
from fulian_desktop.domain.police_contact import PoliceContact
from fulian_desktop.domain.protection_order import Application
from fulian_desktop.domain.records import Person
from fulian_desktop.domain.referral import Consent, Organisation
from fulian_desktop.gui.reports.statistics_page import StatisticsPage
from fulian_desktop.reports import statistics
from fulian_desktop.reports.summary import paragraph
from fulian_desktop.services import (
    dv_risk,
    mandatory_reports,
    organisations,
    police_contacts,
    protection_orders,
    referrals,
)
from fulian_desktop.services.context import Context

from .test_petition_statistics import agree_everywhere
from .test_referrals import direct, petition

D = dt.date
Q1 = statistics.make_period("quarter", 2026, 1)
WOMAN_1 = Person(name="王小红", id_number=make_id_number("439021", D(1992, 4, 8), 12, female=True))
WOMAN_2 = Person(name="李秀兰", id_number=make_id_number("439021", D(1988, 7, 1), 22, female=True))
WOMAN_3 = Person(name="陈秀英", phone="13900139000")


def _refer(ctx: Context, woman: Person, service: str, org: str, kind: str, help_kind: str, on: D, answered: D,
           matter: str = "家庭暴力") -> int:
    org_id = organisations.save(ctx, Organisation(name=org, kind=kind, service=service))
    form = direct(ctx, consent=Consent(on=on), referred_on=on, matter=matter, service=service, help_kinds=[help_kind],
                  organisation=organisations.get(ctx, org_id), means="", role="", legal_state="")
    form.applicant = Person(**woman.__dict__)
    case_id, _ = referrals.refer(ctx, form)
    referrals.accept(ctx, case_id, answered)
    return case_id


@pytest.fixture
def quarter(ctx: Context) -> Context:
    """Five DV cases of three women in the first quarter of 2026, and one case that is not about DV."""
    p1 = petition(ctx, petitioner=Person(**WOMAN_1.__dict__), received_on=D(2026, 1, 5))  # DV, 赵某's wife
    dv_risk.assess(ctx, p1, RiskForm(D(2026, 1, 5), "登记时", {"strangle"}))  # 高
    p2 = petition(ctx, petitioner=Person(**WOMAN_2.__dict__), received_on=D(2026, 2, 1))
    dv_risk.assess(ctx, p2, RiskForm(D(2026, 2, 1), "登记时", set(), level="medium"))  # raised to 中
    p3 = petition(ctx, petitioner=Person(**WOMAN_3.__dict__), received_on=D(2026, 3, 1))  # not assessed
    petition(ctx, petitioner=Person(name="周桂芝"), received_on=D(2026, 3, 2), dv=False, subcategory="家庭纠纷")
    # W1 again, to a shelter (answered the next day: in time); W2 again, to the hospital (5 days: late, 3 asked)
    _refer(ctx, WOMAN_1, "庇护所/救助管理站", "县救助管理站", "救助管理站", "临时庇护", D(2026, 2, 10), D(2026, 2, 11))
    _refer(ctx, WOMAN_2, "医院（验伤）", "县人民医院", "医院", "验伤", D(2026, 2, 5), D(2026, 2, 10))
    # W3's legal aid for a divorce (not DV): answered on the 7th day, in time
    centre = organisations.directory(ctx, service="法律援助")[0]
    form = direct(ctx, consent=Consent(on=D(2026, 3, 2)), referred_on=D(2026, 3, 2), matter="离婚",
                  organisation=centre)
    form.applicant = Person(**WOMAN_3.__dict__)
    r3, _ = referrals.refer(ctx, form)
    referrals.accept(ctx, r3, D(2026, 3, 9))
    # a 告诫书 on 6 January: visits planned 13 January, 5 February (in the quarter) and 6 April; one late
    police_contacts.record(ctx, p1, PoliceContact("warning", "东山派出所", D(2026, 1, 6), "东公告字1号"))
    visits = police_contacts.of_case(ctx, p1).follow_ups
    assert [v.due_on for v in visits] == [D(2026, 1, 13), D(2026, 2, 5), D(2026, 4, 6)]
    police_contacts.record_visit(ctx, p1, visits[0].id or 0, D(2026, 1, 13), "派出所", "未再动手。")
    police_contacts.record_visit(ctx, p1, visits[1].id or 0, D(2026, 2, 7), "村委会", "情绪稳定。")
    police_contacts.record(ctx, p3, PoliceContact("receipt", "城关派出所", D(2026, 3, 1)))
    order_id, _ = protection_orders.apply(ctx, p1, Application(
        respondent="赵大强", respondent_relation="丈夫", requests=list(order_rules.MEASURES[:1]), facts="殴打。",
        evidence=[], court="东山县人民法院"))
    protection_orders.record_ruling(ctx, p1, order_id, "granted", D(2026, 3, 10), "（2026）东民保令1号",
                                    "禁止被申请人实施家庭暴力", D(2026, 9, 9))
    mandatory_reports.mark_required(ctx, p3, "disabled", D(2026, 3, 1))
    mandatory_reports.record_report(ctx, p3, D(2026, 3, 1), "城关派出所", "陪同她报警")
    return ctx


def test_the_figures_counted_by_hand(quarter: Context) -> None:
    s = statistics.compute(quarter.db, Q1)
    d = s.dv
    assert d.cases == 5  # three petitions, the shelter and the hospital referrals; not the divorce, not 周桂芝's
    assert d.by_level == {"high": 1, "medium": 1, "": 3}
    assert d.repeats == 2 and d.repeat_rate == 0.4  # the two referrals: each woman had a petition before
    assert (d.warnings, d.receipts, d.visits_due, d.visits_done, d.visits_in_time) == (1, 1, 2, 2, 1)
    assert d.visits_in_time_rate == 0.5
    assert {k: v for k, v in d.orders.items() if v} == {"applied": 1, "granted": 1, "in_force": 1}
    assert (d.reports_needed, d.reports_made, d.reports_same_day) == (1, 1, 1)
    rows = {r.service: (r.referred, r.answered, r.in_time) for r in d.services if r.referred}
    assert rows == {"法律援助": (1, 1, 1), "庇护所/救助管理站": (1, 1, 1), "医院（验伤）": (1, 1, 0)}
    assert s.referrals.total == 1 and s.referrals.answered_in_time == 1  # 法律援助转介: legal aid only
    assert paragraph(statistics.compare(quarter.db, Q1)).count("办理涉及家庭暴力的案件5件，其中高风险1件、中风险1件，"
                                                                "比去年同期增加5件；再次来求助的2件，重复求助率40.0%；"
                                                                "公安机关出具告诫书1份，计划查访2次，按期查访率50.0%；"
                                                                "协助申请人身安全保护令1件，法院作出保护令1件，"
                                                                "期末仍在有效期内1件；转介庇护所/救助管理站1件、医院（验伤）1件，"
                                                                "按期答复率50.0%；发现须强制报告的1人，已向公安机关报案1人。") == 1


EXPECTED = {
    ("家庭暴力：案件与风险", "涉及家庭暴力的案件（件）"): ["5", "0"],
    ("家庭暴力：案件与风险", "其中风险高（红色）（件）"): ["1", "0"],
    ("家庭暴力：案件与风险", "其中风险中（橙色）（件）"): ["1", "0"],
    ("家庭暴力：案件与风险", "其中未做风险评估（件）"): ["3", "0"],
    ("家庭暴力：案件与风险", "重复求助率"): ["40.0%", "—"],
    ("家庭暴力：告诫书、查访和强制报告", "告诫书后按期查访率"): ["50.0%", "—"],
    ("家庭暴力：告诫书、查访和强制报告", "已向公安机关报案（人）"): ["1", "0"],
    ("家庭暴力：人身安全保护令", "法院作出保护令（件）"): ["1", "0"],
    ("家庭暴力：人身安全保护令", "期末仍在有效期内（件）"): ["1", "0"],
    ("转介：按服务", "医院（验伤）"): ["1", "1", "0", "0.0%", "0"],
    ("转介：按服务", "合计"): ["3", "3", "2", "66.7%", "0"],
}


def test_the_page_the_spreadsheet_the_pdf_and_report_say_the_same(  # type: ignore[no-untyped-def]
        qtbot, quarter: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: list[str], capsys) -> None:
    page = StatisticsPage(quarter)
    qtbot.addWidget(page)
    page.show()
    page.picker.set_period("quarter", 2026, 1)
    assert page.comparison is not None and page.comparison.current.period.label == Q1.label
    assert "办理涉及家庭暴力的案件5件" in page.summary.toPlainText()
    agree_everywhere(qtbot, page, tmp_path, monkeypatch, EXPECTED)

    assert cli.main(["report", "--db", str(quarter.path), "--from", "2026-01-01", "--to", "2026-03-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_key = {t["key"]: t for t in data["tables"]}
    assert by_key["dv_referral"]["rows"][-1][:3] == ["合计", 3, 3]
    assert "重复求助率40.0%" in data["summary"]
