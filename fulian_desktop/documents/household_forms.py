"""The household forms: 帮扶手册 (the household card), 走访慰问记录表 (one visit) and 月度走访计划表
(every visit planned in a month, for sign-off). Amounts are printed in figures and capital numerals.

Registered as form kinds "household" (the card: what printing a household case gives),
"household_visit" (record: VisitSheet) and "household_month" (record: services' MonthPlan) — not
"household.<document>", which printing.print_document would hand the household itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reportlab.lib.units import mm

from ..domain import household as rules
from ..domain.dates import age_on, format_cn
from ..domain.household import Cadre, Household, Visit
from ..domain.money import capital, format_yuan
from . import layout as L
from .registry import FormKind, register

CARD_TITLE = "帮扶手册"
PERSON_CARD_TITLE = "关爱帮扶卡"
VISIT_TITLE = "走访慰问记录表"
MONTH_TITLE = "月度走访计划表"
S = L.SMALL_SIZE


def _head(text: str, span: int = 1) -> L.Cell:
    """A small shaded header cell of a listing."""
    return L.Cell(text, span, 1, "label", "center", S)


def _cell(text: str, span: int = 1, align: str = "left", names: bool = False) -> L.Cell:
    """A small value cell of a listing; `names`: a name or a list of names, wrapped between names only."""
    return L.Cell(text, span, 1, "value", align, S, names)


def _title_row(text: str, columns: int) -> list[L.Cell]:
    return [L.Cell(text, columns, 1, "label", "left", L.BODY_SIZE)]


def money(fen: int) -> str:
    """¥500.00（大写：伍佰元整）."""
    return f"{format_yuan(fen)}（大写：{capital(fen)}）"


def _short(d: dt.date | None) -> str:
    return f"{d.month}月{d.day}日" if d else ""


def _address(h: Household) -> str:
    return "".join(x for x in (h.township, h.village, h.address) if x)


def _cadre_text(c: Cadre | None) -> str:
    if c is None:
        return ""
    return c.name + (f"（{c.unit}{('，' + c.level) if c.level else ''}）" if c.unit or c.level else "")


def _is_household(h: Household) -> bool:
    return h.care_list is None or h.care_list.is_household


# --- 帮扶手册 -------------------------------------------------------------------------------------

# section | label | value | label | value | label | value
BASIC = [10 * mm, 22 * mm, 34 * mm, 20 * mm, 30 * mm, 20 * mm, 34 * mm]


def _extra_rows(h: Household) -> list[list[L.Cell]]:
    if h.care_list is None:
        return []
    pairs = rules.extra_text(h.care_list, h.extra)
    rows: list[list[L.Cell]] = []
    for i in range(0, len(pairs), 3):
        chunk = pairs[i:i + 3]
        row: list[L.Cell] = []
        for n, (label, value) in enumerate(chunk):
            last = n == len(chunk) - 1
            span = 1 + 2 * (3 - len(chunk)) if last else 1
            row += [L.label(label), L.value(value, span=span)]
        rows.append(row)
    return rows


def _status_text(h: Household) -> str:
    text = rules.STATUS_LABELS.get(h.status, h.status)
    if h.status == "lifted" and h.lifted_on:
        text += f"（{format_cn(h.lifted_on)}）"
    if h.status == "exited" and h.exited_on:
        text += f"（{format_cn(h.exited_on)}，{h.exit_reason}）"
    elif h.lifted_on and h.status != "lifted":
        text += f"（曾于{format_cn(h.lifted_on)}脱贫）"
    return text


def _basic(h: Household, on: dt.date) -> L.Form:
    form = L.Form(BASIC)
    p = h.head.person
    extra = _extra_rows(h)
    if _is_household(h):
        rows: list[list[L.Cell]] = [
            [L.label("户主姓名"), L.names(p.name), L.label("性别"), L.value(p.sex), L.label("民族"),
             L.value(p.ethnicity)],
            [L.label("出生日期"), L.value(format_cn(p.birth_date)), L.label("联系电话"), L.value(p.phone),
             L.label("家庭人口"), L.value(f"{h.size}人")],
            [L.label("身份证号"), L.value(p.id_number, span=3), L.label("户类型"), L.value(h.household_type)],
            [L.label("家庭住址"), L.value(_address(h), span=5)],
            [L.label("致贫原因"), L.value(L.choices(rules.CAUSES, h.causes), span=5)],
        ]
    else:
        age = f"{age_on(p.birth_date, on)}岁" if p.birth_date else ""
        rows = [
            [L.label("姓名"), L.names(p.name), L.label("性别"), L.value(p.sex), L.label("民族"), L.value(p.ethnicity)],
            [L.label("出生日期"), L.value(format_cn(p.birth_date)), L.label("年龄"), L.value(age),
             L.label("联系电话"), L.value(p.phone)],
            [L.label("身份证号"), L.value(p.id_number, span=3), L.label("健康状况"), L.value(h.head.health)],
            [L.label("住址"), L.value(_address(h), span=5)],
        ]
    rows += extra
    rows += [
        [L.label("纳入日期"), L.value(format_cn(h.received_on)), L.label("帮扶状态"), L.value(_status_text(h), span=3)],
        [L.label("走访周期"), L.value(h.rhythm.label() if h.rhythm else ""), L.label("帮扶责任人"),
         L.names(_cadre_text(h.current_cadre), span=3)],
    ]
    first = [L.section("基本情况", rows=len(rows)), *rows[0]]
    form.rows(first, *rows[1:])
    return form


# an ID number (18 characters), a 残疾证号 (20) and the longest choice of each list (普通劳动力, 本科及以上) on one line
MEMBERS = [8 * mm, 18 * mm, 16 * mm, 10 * mm, 32 * mm, 13 * mm, 19 * mm, 19 * mm, 35 * mm]


def _members(h: Household) -> L.Form:
    form = L.Form(MEMBERS)
    head_word = "与户主关系" if _is_household(h) else "与本人关系"
    rows = []
    for i, m in enumerate(h.everyone, 1):
        p = m.person
        rows.append([
            _cell(str(i), align="center"), _cell(p.name, names=True), _cell(m.relation, align="center"),
            _cell(p.sex, align="center"), _cell(p.id_number), _cell(m.health, align="center"),
            _cell(m.work_ability, align="center"), _cell(m.schooling, align="center"), _cell(m.disability_card),
        ])
    form.listing([_head("序号"), _head("姓名"), _head(head_word), _head("性别"), _head("身份证号"),
                  _head("健康状况"), _head("劳动能力"), _head("在校生状况"), _head("残疾证号")], rows,
                 title="家庭成员" if _is_household(h) else "本人及家庭成员（监护人）")
    return form


CADRES = [8 * mm, 20 * mm, 44 * mm, 20 * mm, 28 * mm, 50 * mm]


def _cadres(h: Household) -> L.Form:
    form = L.Form(CADRES)
    rows = []
    for i, c in enumerate(h.cadres):
        nxt = h.cadres[i + 1].from_date if i + 1 < len(h.cadres) else None
        until = format_cn(nxt - dt.timedelta(days=1)) if nxt and c.from_date and nxt > c.from_date else ""
        span = f"{format_cn(c.from_date)}至{until or '今'}"
        rows.append([_cell(str(i + 1), align="center"), _cell(c.name, names=True), _cell(c.unit), _cell(c.level, align="center"),
                     _cell(c.phone), _cell(span)])
    if not rows:
        rows.append([_cell("（尚未登记帮扶责任人）", span=len(CADRES))])
    form.listing([_head("序号"), _head("姓名"), _head("工作单位"), _head("职务/级别"), _head("联系电话"),
                  _head("帮扶时间")], rows, title="帮扶责任人（变更时逐条登记，原记录保留）")
    return form


MEASURES = [27 * mm, 20 * mm, 47 * mm, 28 * mm, 22 * mm, 26 * mm]


def _measures(h: Household) -> L.Form:
    form = L.Form(MEASURES)
    rows = [
        [_cell(format_cn(m.on_date)), _cell(m.kind, align="center"), _cell(m.detail), _cell(m.helping_unit),
         _cell(format_yuan(m.amount_fen) if m.amount_fen else "", align="right"), _cell(m.benefit)]
        for m in h.measures
    ]
    rows += [[_cell("") for _ in MEASURES] for _ in range(max(0, 3 - len(rows)))]  # room to write by hand
    form.listing([_head("日期"), _head("措施"), _head("具体内容"), _head("帮扶单位"), _head("金额"),
                  _head("实际受益")], rows, title="帮扶措施")
    return form


# the date, two names (贺辉斌、汪兰桃), ¥10,000.00 and 牛奶两箱（¥120.00） each on one line
VISITS = [26 * mm, 12 * mm, 26 * mm, 20 * mm, 34 * mm, 52 * mm]


def _visit_notes(v: Visit) -> str:
    parts = [v.seen]
    if v.asked:
        parts.append(f"诉求：{v.asked}")
    if v.promised:
        parts.append(f"承诺：{v.promised}" + (f"（{format_cn(v.promise_due)}前）" if v.promise_due else ""))
    if v.opened_case_no:
        parts.append(f"已登记{v.opened_case_no}")
    return "\n".join(p for p in parts if p)


def _visits(h: Household) -> L.Form:
    form = L.Form(VISITS)
    rows = []
    for v in sorted(h.visits, key=lambda x: (x.visited_on, x.id or 0)):
        goods = f"{v.goods}（{format_yuan(v.goods_fen)}）" if v.goods else ""
        rows.append([_cell(format_cn(v.visited_on)), _cell(v.kind_label, align="center"), _cell(v.visitors, names=True),
                     _cell(format_yuan(v.cash_fen) if v.cash_fen else "", align="right"), _cell(goods, names=True),
                     _cell(_visit_notes(v))])
    if not rows:
        rows.append([_cell("（尚无走访记录）", span=len(VISITS))])
    form.listing([_head("走访日期"), _head("类型"), _head("走访人"), _head("慰问金"), _head("慰问物资（折合）"),
                  _head("走访情况、诉求及跟进")], rows, title="走访记录")
    return form


TOTALS = [34 * mm, 136 * mm]


def _totals(h: Household) -> L.Form:
    form = L.Form(TOTALS)
    solace = sum(1 for v in h.visits if v.kind == "solace")
    total = h.cash_total + h.goods_total + h.measures_total
    form.rows(
        _title_row("帮扶合计", 2),
        [L.label("走访次数"), L.value(f"{len(h.visits)}次（其中慰问{solace}次）")],
        [L.label("慰问金合计"), L.value(money(h.cash_total))],
        [L.label("慰问物资折合"), L.value(money(h.goods_total))],
        [L.label("帮扶措施资金"), L.value(money(h.measures_total))],
        [L.label("合计"), L.value(money(total))],
        keep_together=True,
    )
    return form


PHOTO_HEIGHT = 55 * mm


def _photo(h: Household) -> list[L.Flowable]:
    """The household's photo (附件 照片), under the basic details, at most PHOTO_HEIGHT high."""
    if not h.photo:
        return []
    from .attached_papers import PageImage

    image = PageImage(h.photo)
    return [L.keep_together(L.note("户照" if _is_household(h) else "照片", L.BODY_SIZE, space_before=0),
                            _Limited(image, PHOTO_HEIGHT)), L.spacer(4 * mm)]


class _Limited(L.Flowable):
    """A flowable given no more than `height` (an image keeps its proportions within it, left-aligned)."""

    def __init__(self, inner: L.Flowable, height: float) -> None:
        super().__init__()
        self.inner, self.limit = inner, height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        w, h = self.inner.wrap(availWidth, min(availHeight, self.limit))
        self.width, self.height = w, h
        return w, h

    def draw(self) -> None:
        self.inner.drawOn(self.canv, -(self.width - getattr(self.inner, "width", self.width)) / 2, 0)


def card_story(h: Household, on: dt.date) -> list[L.Flowable]:
    gap = L.spacer(4 * mm)
    confirm = ("以上家庭情况、帮扶措施和慰问金、物资属实，本户已收到。" if _is_household(h)
               else "以上情况和慰问金、物资属实，本人（监护人）已收到。")
    signer = "户主（签字或捺印）：" if _is_household(h) else "本人或监护人（签字或捺印）："
    return [
        *_basic(h, on).flowables(), gap,
        *_photo(h),
        *_members(h).flowables(), gap,
        *_cadres(h).flowables(), gap,
        *_measures(h).flowables(), gap,
        *_visits(h).flowables(), gap,
        L.keep_together(
            *_totals(h).flowables(),
            L.note(confirm, L.BODY_SIZE, space_before=4 * mm),
            L.signature_block([signer, "帮扶责任人（签字）：", "填表人（签字）："]),
        ),
    ]


def card_title(h: Household) -> str:
    return CARD_TITLE if _is_household(h) else PERSON_CARD_TITLE


def render_card(h: Household, office_name: str, printed_on: dt.date) -> bytes:
    title = card_title(h)
    return L.build(
        title,
        card_story(h, printed_on),
        fields=[f"帮扶单位：{office_name}", f"名单：{h.list_name}", f"编号：{h.case_no}"],
        footer_left=f"打印日期：{format_cn(printed_on)}",
        footer_right="内部资料　注意保密",
        author=office_name,
        subject=title,
    )


def _person_texts(h: Household) -> Iterator[str]:
    for m in h.everyone:
        p = m.person
        yield from (p.name, p.sex, p.ethnicity, p.id_number, p.phone, m.relation, m.health, m.work_ability,
                    m.schooling, m.disability_card)


def card_texts(h: Household) -> Iterator[str]:
    yield from (h.case_no, h.list_name, h.township, h.village, h.address, h.household_type, h.exit_reason,
                *h.causes)
    yield from _person_texts(h)
    if h.care_list is not None:
        for label, value in rules.extra_text(h.care_list, h.extra):
            yield from (label, value)
    for c in h.cadres:
        yield from (c.name, c.unit, c.level, c.phone)
    for m in h.measures:
        yield from (m.kind, m.detail, m.helping_unit, m.benefit)
    for v in h.visits:
        yield from (v.visitors, v.goods, v.seen, v.asked, v.promised, v.opened_case_no)


def card_file_parts(h: Household) -> tuple[str, dt.date | None]:
    return h.head.person.name, h.received_on


CARD = register(FormKind("household", CARD_TITLE, render_card, card_texts, card_file_parts))


# --- 走访慰问记录表 -------------------------------------------------------------------------------

@dataclass
class VisitSheet:
    """What the visit record prints: the household and one of its visits."""

    household: Household
    visit: Visit


RECORD = [26 * mm, 34 * mm, 20 * mm, 30 * mm, 22 * mm, 38 * mm]


def visit_story(s: VisitSheet) -> list[L.Flowable]:
    h, v = s.household, s.visit
    p = h.head.person
    form = L.Form(RECORD)
    cadre = h.current_cadre
    who = "户主" if _is_household(h) else "姓名"
    size = f"{h.size}人" if _is_household(h) else (f"{age_on(p.birth_date, v.visited_on)}岁" if p.birth_date else "")
    form.rows(
        [L.label(who), L.names(p.name), L.label("名单"), L.value(h.list_name), L.label("家庭人口" if _is_household(h)
                                                                                  else "年龄"), L.value(size)],
        [L.label("住址"), L.value(_address(h), span=3), L.label("联系电话"), L.value(p.phone)],
        [L.label("帮扶责任人"), L.names(_cadre_text(cadre), span=3), L.label("责任人电话"),
         L.value(cadre.phone if cadre else "")],
        [L.label("走访日期"), L.value(format_cn(v.visited_on)), L.label("走访类型"),
         L.value(L.choices(rules.VISIT_KINDS.values(), v.kind_label), span=3)],
        [L.label("走访人"), L.names(v.visitors, span=5)],
        [L.label("慰问金"), L.value(money(v.cash_fen) if v.cash_fen else "无", span=5)],
        [L.label("慰问物资"), L.names(v.goods or "无", span=3), L.label("折合金额"),
         L.value(format_yuan(v.goods_fen) if v.goods_fen else "")],
        [L.label("合计"), L.value(money(v.cash_fen + v.goods_fen), span=5)],
    )
    form.text("走访情况", v.seen, min_lines=5)
    form.text("群众诉求", v.asked, min_lines=3)
    promise = v.promised + (f"\n办理期限：{format_cn(v.promise_due)}前" if v.promise_due else "")
    form.text("承诺跟进事项", promise, min_lines=2)
    found = L.choices(("是", "否"), "是" if v.opened_case_no else "否")
    if v.opened_case_no:
        found += f"　已登记：{v.opened_case_no}"
    form.rows([L.label("发现家暴或纠纷"), L.value(found, span=5)])
    signer = "被走访户（签字或捺印）：" if _is_household(h) else "被走访人或监护人（签字或捺印）："
    return [*form.flowables(), L.signature_block(["走访人（签字）：", signer])]


def render_visit(s: VisitSheet, office_name: str, printed_on: dt.date) -> bytes:
    return L.build(
        VISIT_TITLE,
        visit_story(s),
        fields=[f"单位：{office_name}", f"走访日期：{format_cn(s.visit.visited_on)}", f"编号：{s.household.case_no}"],
        footer_left=f"打印日期：{format_cn(printed_on)}",
        footer_right="内部资料　注意保密",
        author=office_name,
        subject=VISIT_TITLE,
    )


def visit_texts(s: VisitSheet) -> Iterator[str]:
    h, v = s.household, s.visit
    p = h.head.person
    yield from (h.case_no, h.list_name, h.township, h.village, h.address, p.name, p.phone)
    c = h.current_cadre
    if c is not None:
        yield from (c.name, c.unit, c.level, c.phone)
    yield from (v.visitors, v.goods, v.seen, v.asked, v.promised, v.opened_case_no)


def visit_file_parts(s: VisitSheet) -> tuple[str, dt.date | None]:
    return s.household.head.person.name, s.visit.visited_on


VISIT = register(FormKind("household_visit", VISIT_TITLE, render_visit, visit_texts, visit_file_parts))


# --- 月度走访计划表 -------------------------------------------------------------------------------

class _Plan(Protocol):
    year: int
    month: int

    @property
    def rows(self) -> Sequence[Any]: ...


MONTH = [8 * mm, 16 * mm, 19 * mm, 18 * mm, 20 * mm, 20 * mm, 22 * mm, 18 * mm, 29 * mm]


def month_story(plan: _Plan) -> list[L.Flowable]:
    form = L.Form(MONTH)
    rows = []
    for i, r in enumerate(plan.rows, 1):
        planned = _short(r.planned_on) + ("\n（逾期）" if r.carried else "")
        rows.append([
            _cell(str(i), align="center"), _cell(r.township), _cell(r.village), _cell(r.names, names=True),
            _cell(r.list_name), _cell(r.cadre, names=True), _cell(planned, align="center"),
            _cell(_short(r.visited_on), align="center"), _cell("\n"),  # two lines of room to sign
        ])
    if not rows:
        rows.append([_cell("本月没有计划走访的对象。", span=len(MONTH))])
    form.listing([_head("序号"), _head("乡镇"), _head("村（社区）"), _head("户主/姓名"), _head("名单"),
                  _head("帮扶责任人"), _head("计划日期"), _head("实际走访"), _head("走访人签字")], rows)
    return [
        *form.flowables(),
        L.note("注：计划日期按各户（人）的走访周期排定；“逾期”为本月以前应走访而尚未走访的。"
               "走访后请在“实际走访”栏填写日期并签字，同时在系统中登记走访记录。"),
        L.signature_block(["制表人（签字）：", "负责人（审核）："]),
    ]


def render_month(plan: _Plan, office_name: str, printed_on: dt.date) -> bytes:
    return L.build(
        MONTH_TITLE,
        month_story(plan),
        fields=[f"单位：{office_name}", f"月份：{plan.year}年{plan.month}月", f"共{len(plan.rows)}户次"],
        footer_left=f"打印日期：{format_cn(printed_on)}",
        footer_right="内部资料　注意保密",
        author=office_name,
        subject=MONTH_TITLE,
    )


def month_texts(plan: _Plan) -> Iterator[str]:
    for r in plan.rows:
        yield from (r.township, r.village, r.names, r.list_name, r.cadre)


def month_file_parts(plan: _Plan) -> tuple[str, dt.date | None]:
    return f"{plan.year}年{plan.month}月", None


MONTH_FORM = register(FormKind("household_month", MONTH_TITLE, render_month, month_texts, month_file_parts))
