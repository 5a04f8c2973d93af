"""家暴防护: risk assessments (the checklist as data, score and level, raising freely and lowering only with a
reason, every assessment kept, the trend), safety plans (versions kept, the plain paper), who may see them, and
what the audit trail records. Every person here is made up."""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.domain import dv_risk as rules
from fulian_desktop.domain.dv_risk import Answer, RiskForm, RiskItem, Thresholds
from fulian_desktop.domain.errors import ValidationError
from fulian_desktop.domain.permissions import PermissionDenied
from fulian_desktop.domain.safety_plan import SafetyPlanForm
from fulian_desktop.services import dv_risk, protection, safety_plans
from fulian_desktop.services.context import Context

from .test_gui_protection import dv_petition

DAY = dt.date(2026, 3, 10)


def test_the_default_checklist_is_dash_with_its_thresholds(ctx: Context) -> None:
    items, t = dv_risk.checklist(ctx)
    assert len(items) == 22 and all(i.source.startswith("DASH") for i in items)
    assert t == Thresholds(high_from=14, medium_from=6)
    critical = {i.code for i in items if i.critical}
    assert critical == {"weapon", "kill_threat", "strangle"}
    assert sum(i.weight for i in items) == 42  # 19 for the first ten, 23 for the other twelve


def answers(*weights: int, critical: int = -1) -> list[Answer]:
    return [Answer(f"a{n}", f"问题{n}", w, n == critical, True) for n, w in enumerate(weights)]


def test_score_and_level_worked_by_hand() -> None:
    t = Thresholds(high_from=14, medium_from=6)
    assert rules.compute(answers(2, 3), t).level == "low"  # 5
    assert rules.compute(answers(2, 2, 2), t).level == "medium"  # 6
    assert rules.compute(answers(3, 3, 3, 3, 1), t).level == "medium"  # 13
    assert rules.compute(answers(3, 3, 3, 3, 2), t).level == "high"  # 14
    one = rules.compute(answers(3, critical=0), t)  # 3 points, but strangling: 高 on its own
    assert one.level == "high" and one.score == 3 and one.critical == ("问题0",)
    assert rules.why(one, t) == "3分；有一项即为高风险的情形：问题0"
    assert rules.compute([Answer("a", "q", 9, False, False)], t).score == 0


def test_raising_is_free_lowering_needs_a_reason_that_is_kept(ctx: Context) -> None:
    case_id = dv_petition(ctx)
    yes = {"strangle", "afraid"}  # critical: computed 高
    with pytest.raises(ValidationError) as e:
        dv_risk.assess(ctx, case_id, RiskForm(DAY, "登记时", yes, level="medium"))
    assert e.value.errors["level_reason"].startswith("按清单评估为“高”，定为“中”须写明理由")
    assert dv_risk.assessments(ctx, case_id) == []  # nothing saved
    dv_risk.assess(ctx, case_id, RiskForm(DAY, "登记时", yes, level="medium", level_reason="  仅一次，已搬回娘家  "))
    a = dv_risk.assessments(ctx, case_id)[0]
    assert (a.score, a.computed_level, a.level, a.level_reason) == (5, "high", "medium", "仅一次，已搬回娘家")
    assert a.summary == "中（橙色），5分 · 下调（按清单为高）"
    # raising: no reason asked
    dv_risk.assess(ctx, case_id, RiskForm(dt.date(2026, 3, 9), "来电", {"afraid"}, level="high"))
    b = dv_risk.assessments(ctx, case_id)[0]  # oldest first: dated the 9th
    assert (b.computed_level, b.level, b.adjusted) == ("low", "high", "上调")
    line = [t for t in protection_timeline(ctx, case_id) if t.action == "风险评估"]
    assert [t.note for t in line] == ["登记时评估：中（橙色），5分 · 下调（按清单为高）。理由：仅一次，已搬回娘家",
                                      "来电评估：高（红色），2分 · 上调（按清单为低）"]


def protection_timeline(ctx: Context, case_id: int) -> list:  # type: ignore[type-arg]
    from fulian_desktop.services import petitions

    return list(petitions.get(ctx, case_id).timeline)


def test_an_assessment_keeps_the_items_as_asked_and_the_trend_reads_oldest_first(ctx: Context) -> None:
    case_id = dv_petition(ctx)
    dv_risk.assess(ctx, case_id, RiskForm(dt.date(2026, 3, 1), "登记时", {"afraid", "isolated"}))
    items, t = dv_risk.items_for_admin(ctx)
    changed = [RiskItem(i.code, "她很害怕" if i.code == "afraid" else i.question, i.weight, i.critical, i.source,
                        i.code != "animals") for i in items]
    dv_risk.save_checklist(ctx, [*changed, RiskItem("", "他扬言要带走孩子", 2)], Thresholds(12, 5))
    now_items, t = dv_risk.checklist(ctx)
    assert t == Thresholds(12, 5) and "animals" not in {i.code for i in now_items}
    assert now_items[-1].question == "他扬言要带走孩子" and now_items[-1].code == "item23"
    dv_risk.assess(ctx, case_id, RiskForm(dt.date(2026, 3, 8), "回访", {"more_often", "worse", "stalking", "item23"}))
    first, second = dv_risk.assessments(ctx, case_id)
    assert first.answers[1].question.startswith("她非常害怕") and len(first.answers) == 22
    assert len(second.answers) == 22 and second.score == 9 and second.level == "medium"
    assert rules.trend([first, second]) == "2026年3月1日 低 → 2026年3月8日 中（上升）"


def test_the_administrator_checklist_is_checked(ctx: Context) -> None:
    items, _t = dv_risk.items_for_admin(ctx)
    with pytest.raises(ValidationError) as e:
        dv_risk.save_checklist(ctx, [*items, RiskItem("", items[0].question, 2)], Thresholds(5, 6))
    assert e.value.errors["high_from"] == "“高”的起点应大于“中”的起点"
    assert e.value.errors["item23"] == "第23项与前面的问题重复"
    with pytest.raises(ValidationError) as e:
        dv_risk.save_checklist(ctx, [RiskItem(i.code, i.question, 11 if n == 0 else i.weight)
                                     for n, i in enumerate(items)], Thresholds())
    assert e.value.errors == {"item1": "第1项：分值应在0到10之间"}


def test_an_assessment_date_and_occasion_are_checked(ctx: Context) -> None:
    case_id = dv_petition(ctx)
    with pytest.raises(ValidationError) as e:
        dv_risk.assess(ctx, case_id, RiskForm(ctx.today() + dt.timedelta(days=1), "随便"))
    assert e.value.errors["assessed_on"] == "评估日期不能晚于今天"
    assert e.value.errors["occasion"].startswith("请选择评估的时机")


def test_a_safety_plan_keeps_its_versions(ctx: Context) -> None:
    case_id = dv_petition(ctx)
    with pytest.raises(ValidationError) as e:
        safety_plans.save(ctx, case_id, SafetyPlanForm(DAY, safe_place="  "))
    assert "至少写一项" in e.value.errors["safe_place"]
    safety_plans.save(ctx, case_id, SafetyPlanForm(DAY, safe_place="娘家", contacts="110"))
    safety_plans.save(ctx, case_id, SafetyPlanForm(DAY, safe_place="县救助管理站", contacts="110\n妹妹"))
    plan = safety_plans.current(ctx, case_id)
    assert plan is not None and plan.safe_place == "县救助管理站" and plan.contacts == "110\n妹妹"
    assert safety_plans.versions(ctx, case_id) == 2
    notes = [t.note for t in protection_timeline(ctx, case_id) if t.action == "安全计划"]
    assert notes == ["制定安全计划（安全的去处、紧急时联系谁）", "修改安全计划（安全的去处、紧急时联系谁）"]


def test_only_the_roles_that_handle_the_case_see_or_write_it(ctx: Context) -> None:
    case_id = dv_petition(ctx)
    dv_risk.assess(ctx, case_id, RiskForm(DAY, "登记时", {"afraid"}))
    safety_plans.save(ctx, case_id, SafetyPlanForm(DAY, safe_place="娘家"))
    ctx.roles = frozenset({"window"})
    assert protection.shows_thread(ctx, case_id)
    assert len(dv_risk.assessments(ctx, case_id)) == 1
    ctx.roles = frozenset({"mediator"})  # reads petitions but does not handle them
    assert not protection.shows_thread(ctx, case_id)
    for call in (lambda: dv_risk.assessments(ctx, case_id), lambda: safety_plans.current(ctx, case_id),
                 lambda: dv_risk.print_assessment(ctx, case_id), lambda: safety_plans.print_plan(ctx, case_id),
                 lambda: dv_risk.assess(ctx, case_id, RiskForm(DAY, "来访"))):
        with pytest.raises(PermissionDenied):
            call()
    ctx.roles = frozenset({"admin"})
    with pytest.raises(PermissionDenied):
        dv_risk.assessments(ctx, case_id)


def test_views_and_prints_are_in_the_audit_trail(ctx: Context) -> None:
    case_id = dv_petition(ctx)
    dv_risk.assess(ctx, case_id, RiskForm(DAY, "登记时", {"afraid"}))
    safety_plans.save(ctx, case_id, SafetyPlanForm(DAY, safe_place="娘家"))
    protection.opened(ctx, case_id)
    dv_risk.print_assessment(ctx, case_id)
    pdf, name = safety_plans.print_plan(ctx, case_id, plain=True)
    assert name == "备忘_2026-03-10.pdf"  # neither her name nor what it is
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    words = "".join(page.get_textpage().get_text_range() for page in doc) + str(doc.get_metadata_dict())
    assert "娘家" in words and not any(w in words for w in ("妇联", "家暴", "安全计划", "信访", "柳如烟"))
    rows = ctx.db.execute("SELECT event, operation, detail FROM audit WHERE case_id = ? ORDER BY id", [case_id]).fetchall()
    events = [(r[0], r[1]) for r in rows]
    assert ("protection.view", "protection.opened") in events
    printed = [r[2] for r in rows if r[0] == "case.print"]
    assert any("risk_assessment" in (d or "") for d in printed) and any("safety_plan_plain" in (d or "")
                                                                        for d in printed)
    assert "娘家" not in " ".join(str(r) for r in rows)  # no case text in the trail


def test_print_list_includes_her_papers_and_prints_them(ctx: Context, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from fulian_desktop.cli import main as cli

    case_id = dv_petition(ctx)
    case_no = ctx.db.execute("SELECT case_no FROM cases WHERE id = ?", [case_id]).fetchone()[0]
    dv_risk.assess(ctx, case_id, RiskForm(DAY, "登记时", {"strangle"}))
    safety_plans.save(ctx, case_id, SafetyPlanForm(DAY, safe_place="娘家", contacts="110"))
    db = str(tmp_path / "test.db")
    assert cli.main(["print", case_no, "--list", "--db", db]) == 0
    lines = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert "2 家庭暴力风险评估表 2026年3月10日 最近一次：高（红色），3分" in lines
    assert "3 安全计划 2026年3月10日" in lines
    assert "4 安全计划（不显示单位的版本） 2026年3月10日 标题为“备忘”，被他看到也不显眼" in lines
    assert cli.main(["print", case_no, "--doc", "4", "--out", str(tmp_path), "--db", db]) == 0
    assert (tmp_path / "备忘_2026-03-10.pdf").read_bytes().startswith(b"%PDF")
    assert cli.main(["print", case_no, "--doc", "家庭暴力风险评估表", "--out", str(tmp_path), "--db", db]) == 0
    assert (tmp_path / "家庭暴力风险评估表_柳如烟_2026-03-10.pdf").read_bytes().startswith(b"%PDF")


def test_her_plan_prints_on_one_page_even_at_its_longest(ctx: Context) -> None:
    import pypdfium2

    from fulian_desktop.domain.safety_plan import PART_MAX

    case_id = dv_petition(ctx)
    longest = ("娘家在东山镇李村，母亲在家，" * 40)[:PART_MAX]
    safety_plans.save(ctx, case_id, SafetyPlanForm(DAY, safe_place=longest, contacts=longest, documents=longest,
                                                   children=longest, other=longest))
    for plain in (False, True):
        assert len(pypdfium2.PdfDocument(safety_plans.print_plan(ctx, case_id, plain)[0])) == 1
    with pytest.raises(ValidationError) as e:
        safety_plans.save(ctx, case_id, SafetyPlanForm(DAY, safe_place=longest + "家"))
    assert "安全的去处" in e.value.errors["safe_place"]
