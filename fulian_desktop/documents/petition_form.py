"""信访登记表 — the petition registration form, laid out like the paper form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from reportlab.lib.units import mm

from ..domain import petition as rules
from ..domain import petition_course as course
from ..domain.dates import age_on, format_cn
from ..domain.records import Person, Petition
from . import layout as L
from .registry import FormKind, register

TITLE = "信访登记表"

# section | label | value | label | value | label | value   (170 mm, the width of the page's text)
WIDTHS = [10 * mm, 20 * mm, 36 * mm, 20 * mm, 30 * mm, 20 * mm, 34 * mm]


def _person_rows(title: str, p: Person, on: dt.date) -> list[list[L.Cell]]:
    age = f"{age_on(p.birth_date, on)}岁" if p.birth_date else ""
    return [
        [L.section(title, rows=4), L.label("姓名"), L.value(p.name), L.label("性别"), L.value(p.sex),
         L.label("民族"), L.value(p.ethnicity)],
        [L.label("出生日期"), L.value(format_cn(p.birth_date)), L.label("婚姻状况"),
         L.value(p.marital_status), L.label("联系电话"), L.value(p.phone)],
        [L.label("身份证号"), L.value(p.id_number, span=3), L.label("年龄"), L.value(age)],
        [L.label("住址"), L.value(p.address, span=5)],
    ]


def _category(p: Petition) -> str:
    if p.subcategory and p.subcategory != p.category:
        return f"{p.category}（{p.subcategory}）"
    return p.category


def _registered_on(p: Petition) -> dt.date:
    return p.created_at.date() if p.created_at else p.received_on


def _due(p: Petition) -> str:
    if p.status in rules.OPEN_STATUSES and p.accepted_on and rules.has_clock(p.nature):
        d = rules.deadlines.conclude_deadline(p.accepted_on, p.extension_days)
        return f"{format_cn(d.due_on)}前"
    return ""


def _repeat(p: Petition) -> str:
    """否 (初信初访), or 是 with the earlier case (待核实 while the clerk has not confirmed it)."""
    repeat = p.repeat_state in ("suspected", "confirmed")
    text = L.choices(("否（初信初访）", "是"), "是" if repeat else "否（初信初访）")
    if repeat:
        text += f"（{'待核实，' if p.repeat_state == 'suspected' else ''}前次：{p.repeat_of_no}）"
    return text


def _extension(p: Petition) -> str:
    if not p.extension_days:
        return ""
    return f"延长{p.extension_days}天" + (f"：{p.extension_reason}" if p.extension_reason else "")


def story(p: Petition) -> list[L.Flowable]:
    form = L.Form(WIDTHS, text_label_span=2)
    form.rows(
        [L.label("信访方式", span=2), L.value(L.choices(rules.CHANNELS, p.channel), span=5)],
        [L.label("事项类型", span=2), L.value(L.choices(rules.NATURES, p.nature), span=5)],
        [L.label("重复信访", span=2), L.value(_repeat(p), span=5)],
        [L.label("收到日期", span=2), L.value(format_cn(p.received_on)), L.label("人数"),
         L.value(f"{p.headcount}人"), L.label("集体访"),
         L.value(L.choices(("是", "否"), "是" if p.is_group else "否"))],
        [L.label("所在乡镇", span=2), L.value(p.township), L.label("村（居）"), L.value(p.village),
         L.label("接待人"), L.value(p.receiving_staff)],
        [L.label("问题类别", span=2), L.value(_category(p), span=2), L.label("风险提示"),
         L.value(L.checkbox(p.dv) + "家庭暴力　" + L.checkbox(p.safety_risk) + "人身安全风险", span=2)],
    )
    form.rows(*_person_rows("信访人", p.petitioner, p.received_on))
    if p.is_group:  # the representatives the group chose (art. 20): the petitioner first
        form.rows([L.label("推选代表", span=2), L.names(rules.representatives_text(p, lead_by_name=False), span=5)])
    if p.concerned is not None:
        form.rows(*_person_rows("当事妇女", p.concerned, p.received_on))
    else:
        form.rows([L.label("当事妇女", span=2), L.value("同信访人", span=5)])
    form.rows(
        [L.label("被反映人", span=2), L.value(p.respondent_name), L.label("与当事人关系", span=2),
         L.value(p.respondent_relation, span=2)],
    )
    form.text("事情经过", p.facts, min_lines=6)
    form.text("诉求", p.request, min_lines=2)
    form.rows(
        [L.label("办理情况", span=7)],
        [L.label("办理状态", span=2), L.value(rules.STATUS_LABELS.get(p.status, p.status)),
         L.label("受理日期"), L.value(format_cn(p.accepted_on)),
         L.label("告知日期"), L.value(format_cn(p.told_on))],
        [L.label("办理方式", span=2), L.value(L.choices(rules.HANDLING_METHODS, p.handling or None), span=5)],
        [L.label("转送机关" if p.forwarded_to else "转办单位", span=2), L.value(p.forwarded_to or p.handling_agency, span=3),
         L.label("办理期限"), L.value(_due(p))],
        keep_together=True,
    )
    if p.status == "refused" or p.refused_reason:
        form.text("不予受理理由", p.refused_reason, min_lines=2)
    form.text("处理意见", p.handling_opinion, min_lines=2)
    form.text("答复内容", p.reply, min_lines=2)
    form.rows(
        [L.label("处理结果", span=2), L.value(L.choices(rules.RESULTS, p.result or None), span=3),
         L.label("办结日期"), L.value(format_cn(p.concluded_on))],
        [L.label("延期情况", span=2), L.value(_extension(p), span=5)],
        [L.label("满意度", span=2), L.value(L.choices(course.RATINGS, p.rating or None), span=5)],
    )
    *parts, last = form.flowables()
    signatures = L.signature_block(["接待人（签名）：", "信访人（签名或捺印）：", "负责人审核（签名）："])
    return [*parts, L.keep_together(last, signatures)]  # never the signature lines alone on a page


def render(p: Petition, office_name: str, printed_on: dt.date) -> bytes:
    """The 信访登记表 of one petition as PDF bytes."""
    return L.build(
        TITLE,
        story(p),
        fields=[
            f"登记单位：{office_name}", f"登记日期：{format_cn(_registered_on(p))}", f"编号：{p.case_no}",
        ],
        footer_left=f"打印日期：{format_cn(printed_on)}",
        footer_right="内部资料　注意保密",
        author=office_name,
        subject=TITLE,
    )


def _person_texts(p: Person | None) -> Iterator[str]:
    if p is None:
        return
    yield from (p.name, p.sex, p.ethnicity, p.id_number, p.phone, p.address, p.marital_status)


def texts(p: Petition) -> Iterator[str]:
    """Every text of the petition that the form prints (checked for missing glyphs before printing)."""
    yield from _person_texts(p.petitioner)
    yield from _person_texts(p.concerned)
    yield from (
        p.case_no, p.channel, p.township, p.village, p.category, p.subcategory, p.facts, p.request,
        p.receiving_staff, p.respondent_name, p.respondent_relation, p.refused_reason, p.handling,
        p.handling_agency, p.handling_opinion, p.reply, p.result, p.extension_reason, p.nature, p.forwarded_to,
        p.repeat_of_no, *(r.name for r in p.representatives), *(r.phone for r in p.representatives),
    )


def file_parts(p: Petition) -> tuple[str, dt.date | None]:
    return p.petitioner.name, p.received_on


FORM = register(FormKind("petition", TITLE, render, texts, file_parts))
