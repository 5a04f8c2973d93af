"""The people's-mediation documents (人民调解文书) of one mediation, and its whole file (卷宗).

Documents, each printable on its own: 人民调解申请书, 人民调解受理登记表, 当事人权利义务告知书,
人民调解调查记录 (one per investigation), 人民调解记录 (one per session), 人民调解协议书 (one copy per
party and one for the committee), 人民调解回访记录 (one per visit made). A record kind with nothing
recorded yet prints one blank form with the case's details, to fill in by hand.

The file: a cover (卷名, 卷号 "（2026）X人调字第12号", mediators, dates, 立卷人, 立卷日期, 保管期限,
备注), the table of contents (卷内目录) in the official order — the papers put in by hand (身份证明,
证据材料 …) are listed for the archivist to number — then the documents and the back cover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..domain import mediation as rules
from ..domain.dates import format_cn
from ..domain.errors import FulianError
from ..domain.mediation import (
    Investigation,
    Mediation,
    MediationFile,
    Party,
    ReturnVisit,
    Session,
)
from . import layout as L
from .attached_papers import paper_part, printable
from .binder import Built, Part, build_parts, field_lines, seal_block, signature_columns
from .fonts import string_width
from .registry import FormKind, register

CONFIDENTIAL = "内部资料　注意保密"

# label | value | label | value  (170 mm)
W4 = [26 * mm, 59 * mm, 26 * mm, 59 * mm]
# section | label | value | label | value | label | value
W7 = [10 * mm, 22 * mm, 34 * mm, 24 * mm, 28 * mm, 20 * mm, 32 * mm]
# 受理登记表: label | name | sex | age | phone | address
W6 = [24 * mm, 26 * mm, 14 * mm, 14 * mm, 32 * mm, 60 * mm]

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _age(party: Party, on: dt.date) -> str:
    age = party.age(on)
    return f"{age}岁" if age is not None else ""


def _printed(printed_on: dt.date) -> str:
    return f"打印日期：{format_cn(printed_on)}"


def _decor(mf: MediationFile, title: str, printed_on: dt.date, footer_right: str = CONFIDENTIAL) -> L.PageDecor:
    return L.PageDecor(title, fields=[mf.committee, f"编号：{mf.mediation.case_no}"],
                       footer_left=_printed(printed_on), footer_right=footer_right)


def _side_titles(parties: list[Party]) -> list[str]:
    """申请人 / 申请人一, 申请人二 … for the section labels."""
    out = []
    for side in rules.SIDES:
        mine = [p for p in parties if p.side == side]
        for i, _p in enumerate(mine, 1):
            out.append(rules.SIDES[side] + (cn_number(i) if len(mine) > 1 else ""))
    return out


def _ordered(m: Mediation) -> list[Party]:
    return m.applicants + m.respondents


def _party_rows(title: str, party: Party, on: dt.date) -> list[list[L.Cell]]:
    p = party.person
    return [
        [L.section(title, rows=3), L.label("姓名"), L.names(p.name), L.label("性别"), L.value(p.sex),
         L.label("民族"), L.value(p.ethnicity)],
        [L.label("年龄"), L.value(_age(party, on)), L.label("职业或职务"), L.value(party.occupation),
         L.label("联系方式"), L.value(p.phone)],
        [L.label("单位或住址"), L.value(p.address, span=5)],
    ]


def _add_parties(form: L.Form, m: Mediation) -> None:
    parties = _ordered(m)
    for title, party in zip(_side_titles(parties), parties, strict=True):
        form.rows(*_party_rows(title, party, m.received_on))


def _signers(m: Mediation, what: str) -> list[str]:
    return [f"{p.side_label} {p.person.name}（{what}）：" for p in _ordered(m)]


def _matter(m: Mediation) -> str:
    return m.title


def _signed(parts: list[L.Flowable], *ending: L.Flowable) -> list[L.Flowable]:
    """The story's last part kept on one page with the signature lines and the seal that end it: never a
    page of signatures, or a seal, alone."""
    return [*parts[:-1], L.keep_together(parts[-1], *ending)]


# --------------------------------------------------------------------------------------------
# 人民调解申请书


def application(mf: MediationFile, printed_on: dt.date) -> list[Part]:
    m = mf.mediation
    form = L.Form(W7, text_label_span=2)
    _add_parties(form, m)
    form.text("纠纷简要情况", m.facts, min_lines=8)
    form.text("申请事项", m.request, min_lines=4)
    form.text(
        None,
        f"{mf.committee}已向我（们）告知人民调解的性质、原则和效力，以及当事人在调解活动中享有的权利和"
        "承担的义务。我（们）自愿申请人民调解委员会对上述纠纷进行调解。",
        min_lines=2,
    )
    story = [*form.flowables(), L.signature_block([f"申请人 {p.person.name}（签名或按指印）："
                                                   for p in m.applicants])]
    return [Part(story, _decor(mf, "人民调解申请书", printed_on))]


# --------------------------------------------------------------------------------------------
# 人民调解受理登记表


def registration(mf: MediationFile, printed_on: dt.date) -> list[Part]:
    m = mf.mediation
    form = L.Form(W6, text_label_span=1)
    form.rows(
        [L.label("受理日期"), L.value(format_cn(m.received_on), span=3), L.label("登记人"), L.value(m.registrar)],
        [L.value(f"经当事人同意，调解{rules.names(m.applicants)}与{rules.names(m.respondents)}之间的"
                 f"{rules.dispute_words(m.dispute_type)}。", span=6)],
        [L.label("纠纷来源"), L.value(L.choices(rules.SOURCES, m.source), span=5)],
        [L.label("纠纷类型"), L.value(L.choices(rules.DISPUTE_TYPES, m.dispute_type), span=5)],
        [L.label("当事人关系"), L.value(L.choices(rules.RELATIONSHIPS, m.relationship), span=5)],
        [L.label("人民调解员"), L.names(m.mediator_names, span=5)],
    )
    parties = _ordered(m)
    form.rows(
        [L.label("当事人"), L.label("姓名"), L.label("性别"), L.label("年龄"), L.label("联系方式"),
         L.label("单位或住址")],
        *[[L.label(title), L.names(p.person.name), L.value(p.person.sex, align="center"),
           L.value(_age(p, m.received_on), align="center"), L.value(p.person.phone), L.value(p.person.address)]
          for title, p in zip(_side_titles(parties), parties, strict=True)],
    )
    form.text("纠纷简要情况", m.facts, min_lines=10)
    story = _signed(form.flowables(), L.signature_block([*_signers(m, "签名或按指印"), "登记人（签名）："]),
                    seal_block(mf.committee, format_cn(m.received_on)))
    return [Part(story, _decor(mf, "人民调解受理登记表", printed_on))]


# --------------------------------------------------------------------------------------------
# 当事人权利义务告知书 (人民调解法 arts. 3, 23, 24, 31, 33; 4: free of charge)

NOTICE_PARAGRAPHS = (
    "根据《中华人民共和国人民调解法》的规定，人民调解委员会调解民间纠纷，应当在当事人自愿、平等的基础上"
    "进行，不违背法律、法规和国家政策，尊重当事人的权利，不收取任何费用。现将当事人在人民调解活动中"
    "享有的权利和承担的义务告知如下：",
    "一、当事人享有下列权利：（一）选择或者接受人民调解员；（二）接受调解、拒绝调解或者要求终止调解；"
    "（三）要求调解公开进行或者不公开进行；（四）自主表达意愿、自愿达成调解协议。",
    "二、当事人履行下列义务：（一）如实陈述纠纷事实；（二）遵守调解现场秩序，尊重人民调解员；"
    "（三）尊重对方当事人行使权利。",
    "三、经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。经人民调解委员会"
    "调解达成调解协议后，双方当事人认为有必要的，可以自调解协议生效之日起三十日内共同向人民法院申请"
    "司法确认。",
    "四、调解不成的，人民调解员将告知当事人可以依法通过仲裁、行政、司法等途径维护自己的权利。",
)
NOTICE_SIZE = 12.0  # 小四


def notice(mf: MediationFile, printed_on: dt.date) -> list[Part]:
    m = mf.mediation
    names = "、".join(p.person.name for p in _ordered(m))
    story: list[L.Flowable] = [L.CJKText(f"{names}：", NOTICE_SIZE, leading=NOTICE_SIZE * 1.9, names=True)]
    for text in NOTICE_PARAGRAPHS:
        story.append(L.CJKText(text, NOTICE_SIZE, align="justify", indent=True, leading=NOTICE_SIZE * 1.9))
    story.append(L.spacer(4 * mm))
    story.append(L.CJKText("以上内容已向我告知，我已知悉。", NOTICE_SIZE, indent=True))
    story = _signed(story, L.signature_block(_signers(m, "签名或按指印")),
                    seal_block(mf.committee, format_cn(m.received_on)))
    return [Part(story, _decor(mf, "当事人权利义务告知书", printed_on))]


# --------------------------------------------------------------------------------------------
# 人民调解调查记录


def _investigation_part(mf: MediationFile, inv: Investigation | None, printed_on: dt.date) -> Part:
    m = mf.mediation
    form = L.Form(W4, text_label_span=1)
    number = f"（第{cn_number(inv.number)}次调查）" if inv and inv.number else ""
    form.rows(
        [L.label("调查时间"), L.value(format_cn(inv.held_on) + number if inv else ""), L.label("调查地点"),
         L.value(inv.place if inv else "")],
        [L.label("调查人"), L.names(inv.investigator if inv else ""), L.label("记录人"),
         L.names(inv.recorder if inv else "")],
        [L.label("被调查人"), L.names(inv.subject if inv else ""), L.label("身份或关系"),
         L.value(inv.subject_role if inv else "")],
        [L.label("纠纷事项"), L.value(_matter(m), span=3)],
    )
    form.text("调查内容", inv.content if inv else "", min_lines=18, indent=False)
    story = [*form.flowables(),
             L.signature_block(["被调查人（签名或按指印）：", "调查人（签名）：", "记录人（签名）："])]
    return Part(story, _decor(mf, "人民调解调查记录", printed_on))


def investigations(mf: MediationFile, printed_on: dt.date, blank_if_none: bool = True) -> list[Part]:
    found: list[Investigation | None] = list(mf.mediation.investigations)
    if not found and blank_if_none:
        found = [None]
    return [_investigation_part(mf, inv, printed_on) for inv in found]


# --------------------------------------------------------------------------------------------
# 人民调解记录

EXPLAINED = "已告知当事人在调解活动中的权利义务及相关风险"


def _session_part(mf: MediationFile, s: Session | None, printed_on: dt.date) -> Part:
    m = mf.mediation
    form = L.Form(W4, text_label_span=1)
    number = f"（第{cn_number(s.number)}次调解）" if s and s.number else ""
    form.rows(
        [L.label("调解时间"), L.value(format_cn(s.held_on) + number if s else ""), L.label("调解地点"),
         L.value(s.place if s else "")],
        [L.label("纠纷事项"), L.value(_matter(m), span=3)],
        [L.label("人民调解员"), L.names(s.mediators if s else m.mediator_names), L.label("记录人"),
         L.names(s.recorder if s else "")],
        [L.label("到场当事人"), L.names(s.present if s else "", span=3)],
        [L.label("其他参加人员"), L.names(s.others if s else "", span=3)],
        [L.label("告知事项"), L.value(L.choices((EXPLAINED,), EXPLAINED if s and s.explained else None),
                                      span=3)],
    )
    form.text("申请人陈述", s.applicant_said if s else "", min_lines=6)
    form.text("被申请人陈述", s.respondent_said if s else "", min_lines=6)
    form.text("查明的事实", s.facts_found if s else "", min_lines=3)
    form.rows([L.label("调解结果"), L.value(L.choices(rules.SESSION_RESULTS, s.result if s else None), span=3)])
    agreed = s is not None and s.result == "达成一致"
    form.text("达成一致的内容" if agreed else "未达成一致的原因及其他途径" if s else "结果说明",
              s.result_detail if s else "", min_lines=4)
    story = _signed(form.flowables(),
                    L.signature_block([*_signers(m, "签名或按指印"), "人民调解员（签名）：", "记录人（签名）："]),
                    seal_block(mf.committee, format_cn(s.held_on) if s else "年　　月　　日"))
    return Part(story, _decor(mf, "人民调解记录", printed_on))


def sessions(mf: MediationFile, printed_on: dt.date, blank_if_none: bool = True) -> list[Part]:
    found: list[Session | None] = list(mf.mediation.sessions)
    if not found and blank_if_none:
        found = [None]
    return [_session_part(mf, s, printed_on) for s in found]


# --------------------------------------------------------------------------------------------
# 人民调解协议书 (人民调解法 art. 29)


def _item_text(item: rules.AgreementItem) -> str:
    lines = [item.content, f"履行方式：{item.how}", f"履行期限：{item.due}"]
    if item.place:
        lines.append(f"履行地点：{item.place}")
    return "\n".join(lines)


def copies(m: Mediation) -> list[str]:
    """Who keeps each copy: one per party, one for the committee."""
    return [f"{p.side_label}{p.person.name}收执" for p in _ordered(m)] + ["人民调解委员会存档"]


def _agreement_part(mf: MediationFile, printed_on: dt.date, copy: str) -> Part:
    m = mf.mediation
    a = m.agreement
    assert a is not None
    form = L.Form(W7, text_label_span=2)
    _add_parties(form, m)
    form.text("纠纷主要事实、\n争议事项", a.facts, min_lines=4)
    form.text("各方当事人\n的责任", a.duties, min_lines=2)
    form.rows([L.label("经调解，当事人自愿达成如下协议：", span=7, align="left")])
    for i, item in enumerate(a.items, 1):
        form.text(f"第{cn_number(i)}项", _item_text(item), min_lines=2, indent=False)
    n = len(_ordered(m)) + 1
    deadline = f"（即{format_cn(a.confirmation_deadline)}前）" if a.confirmation_deadline else ""
    form.text(
        "协议效力",
        "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效，"
        "具有法律约束力，当事人应当按照约定履行。双方当事人认为有必要的，可以自本协议生效之日起三十日内"
        f"共同向人民法院申请司法确认{deadline}。本协议一式{cn_number(n)}份，当事人各执一份，"
        "人民调解委员会留存一份。",
        min_lines=3,
    )
    right = [f"人民调解员 {x.name}（签名）：" for x in m.mediators] or ["人民调解员（签名）："]
    right.append("记录人（签名）：")
    # the last terms stay on the page the parties sign
    seal = (mf.committee, format_cn(a.signed_on) if a.signed_on else "年　　月　　日")
    marks = [mf.signatures.get(f"agreement:party:{p.person.id}", (None,))[0] for p in _ordered(m)]
    story = _signed(form.flowables(), signature_columns(_signers(m, "签名或按指印"), right, seal=seal,
                                                        left_marks=marks))
    decor = L.PageDecor("人民调解协议书", fields=[mf.committee, f"编号：{mf.file_no}"],
                        footer_left=_printed(printed_on), footer_right=copy)
    return Part(story, decor)


def agreement(mf: MediationFile, printed_on: dt.date, all_copies: bool = True) -> list[Part]:
    m = mf.mediation
    if m.agreement is None:
        raise FulianError("这件调解没有达成调解协议，没有协议书可打印")
    wanted = copies(m) if all_copies else copies(m)[-1:]
    return [_agreement_part(mf, printed_on, c) for c in wanted]


# --------------------------------------------------------------------------------------------
# 人民调解回访记录

YES_NO = ("有", "无")


def _visit_part(mf: MediationFile, v: ReturnVisit | None, printed_on: dt.date) -> Part:
    m = mf.mediation
    form = L.Form(W4, text_label_span=1)
    done = v is not None and v.done
    parties = f"申请人：{rules.names(m.applicants)}；被申请人：{rules.names(m.respondents)}"
    outcome = rules.OUTCOMES.get(m.outcome, "")
    form.rows(
        [L.label("当事人"), L.names(parties, span=3)],
        [L.label("协议编号"), L.value(mf.file_no if m.agreement else "（未订立调解协议）"), L.label("调解结果"),
         L.value(outcome + (f"（{format_cn(m.outcome_on)}）" if m.outcome_on else ""))],
        [L.label("纠纷事项"), L.value(_matter(m), span=3)],
        [L.label("回访时间"), L.value(format_cn(v.visited_on) if done and v else ""), L.label("回访方式"),
         L.value(L.choices(rules.VISIT_METHODS, v.method if done and v else None))],
        [L.label("回访人"), L.names(v.visitor if done and v else ""), L.label("计划回访日期"),
         L.value(format_cn(v.due_on) if v else "")],
        [L.label("协议履行情况"), L.value(L.choices(rules.PERFORMANCE, v.performance if done and v else None),
                                          span=3)],
        [L.label("当事人满意度"), L.value(L.choices(rules.SATISFACTION, v.satisfaction if done and v else None)),
         L.label("是否已起诉"), L.value(L.choices(("是", "否"), ("是" if v.lawsuit else "否") if done and v
                                                  else None))],
        [L.label("新的矛盾"), L.value(L.choices(YES_NO, ("有" if v.new_conflict else "无") if done and v else None)),
         L.label("家庭暴力"), L.value(L.choices(YES_NO, ("有" if v.violence else "无") if done and v else None))],
    )
    form.text("回访情况", v.findings if done and v else "", min_lines=8)
    form.text("采取的措施", v.measures if done and v else "", min_lines=4)
    signed = mf.signatures.get(f"visit:{v.id}") if v is not None and v.id is not None else None
    story = [*form.flowables(), L.signature_block(["回访人（签名）：", "当事人（签名或按指印）："],
                                                  marks=[None, (signed[0], format_cn(signed[1])) if signed else None])]
    return Part(story, _decor(mf, "人民调解回访记录", printed_on))


def visits(mf: MediationFile, printed_on: dt.date, blank_if_none: bool = True) -> list[Part]:
    m = mf.mediation
    found: list[ReturnVisit | None] = list(m.done_visits)
    if not found and blank_if_none:
        found = [m.pending_visits[0] if m.pending_visits else None]
    return [_visit_part(mf, v, printed_on) for v in found]


# --------------------------------------------------------------------------------------------
# The file (卷宗): cover, table of contents, documents, back cover


def _cover_frame(mf: MediationFile, canv: Canvas, _page: int, _pages: int) -> None:
    canv.saveState()
    canv.setStrokeColor(L.INK)
    canv.setLineWidth(L.THICK)
    canv.rect(14 * mm, 14 * mm, L.PAGE_WIDTH - 28 * mm, L.PAGE_HEIGHT - 28 * mm, stroke=1, fill=0)
    canv.setLineWidth(L.THIN)
    canv.rect(16 * mm, 16 * mm, L.PAGE_WIDTH - 32 * mm, L.PAGE_HEIGHT - 32 * mm, stroke=1, fill=0)
    text = f"案件编号：{mf.mediation.case_no}　　{CONFIDENTIAL}"
    w = string_width(text, L.SMALL_SIZE)
    L.draw_text(canv, (L.PAGE_WIDTH - w) / 2, 22 * mm, text, L.SMALL_SIZE)
    canv.restoreState()


def _dates(m: Mediation) -> str:
    return f"自{format_cn(m.received_on)}至{format_cn(m.outcome_on) if m.outcome_on else '　　年　　月　　日'}"


def cover(mf: MediationFile) -> Part:
    m = mf.mediation
    big = "　".join(rules.DOSSIER_TITLE)
    story: list[L.Flowable] = [
        L.spacer(16 * mm),
        L.CJKText(mf.committee, 16, align="center"),
        L.spacer(12 * mm),
        L.CJKText(big, 34, align="center", bold=True),
        L.spacer(28 * mm),
        field_lines([
            ("卷　　名：", m.title),
            ("卷　　号：", mf.file_no),
            ("人民调解员：", m.mediator_names),
            ("调解日期：", _dates(m)),
            ("立 卷 人：", m.archivist),
            ("立卷日期：", format_cn(m.filed_on)),
            ("保管期限：", m.keep_period),
            ("备　　注：", m.file_remarks),
        ], label_width=36 * mm, value_width=104 * mm),
    ]
    return Part(story, partial(_cover_frame, mf), full_page=True)


@dataclass
class TocEntry:
    title: str
    parts: range | None  # the parts of the file it takes (None: papers put in by hand)
    note: str = ""
    pages: int | None = None
    page_no: str = ""  # its pages in this printed file: 5 or 5—8


def _toc(mf: MediationFile, entries: list[TocEntry], printed_on: dt.date) -> Part:
    m = mf.mediation
    form = L.Form([14 * mm, 78 * mm, 18 * mm, 20 * mm, 40 * mm])
    rows = [[L.value(str(i), align="center"), L.value(e.title),
             L.value("" if e.pages is None else str(e.pages), align="center"), L.value(e.page_no, align="center"),
             L.value(e.note)]
            for i, e in enumerate(entries, 1)]
    form.rows([L.label("序号"), L.label("文件材料名称"), L.label("页数"), L.label("页号"), L.label("备注")], *rows,
              keep_together=False)
    story = [
        *form.flowables(),
        L.note("注：页数、页号为本打印件中各文书和附件的页数和页码；“纸质材料”由立卷人手工附入，"
               "附入后页号在卷内全部材料排列完毕时逐页编写。"),
    ]
    decor = L.PageDecor("卷内目录", fields=[f"卷名：{m.title}", f"卷号：{mf.file_no}"],
                        footer_left=_printed(printed_on), footer_right=CONFIDENTIAL)
    return Part(story, decor)


def _back_cover(mf: MediationFile, printed_pages: int | None, printed_on: dt.date) -> Part:
    m = mf.mediation
    count = "　　" if printed_pages is None else str(printed_pages)
    lines = [f"本卷共有打印的文书{count}页（不含封面、卷内目录和本页），另附纸质材料　　　页。"]
    if m.outcome:
        lines.append(f"调解结果：{rules.OUTCOMES[m.outcome]}（{format_cn(m.outcome_on)}）。")
        if m.outcome == "failed" and m.failed_route:
            lines.append(f"已告知当事人的其他途径：{m.failed_route}。")
    else:
        lines.append("调解尚未结束。")
    done = m.done_visits
    if done:
        lines.append(f"已回访{len(done)}次，最近一次为{format_cn(done[-1].visited_on)}。")
    days = rules.duration_days(m, m.outcome_on or printed_on)
    if rules.overlong(m, printed_on):
        lines.append(f"调解历时{days}天，超过一个月。")
    form = L.Form(W4, text_label_span=1)
    form.text("本卷情况说明", "\n".join(lines), min_lines=12)
    form.rows(
        [L.label("立卷人"), L.value(m.archivist), L.label("检查人"), L.value("")],
        [L.label("立卷日期"), L.value(format_cn(m.filed_on)), L.label("保管期限"), L.value(m.keep_period)],
    )
    decor = L.PageDecor("卷内备考表", fields=[f"卷名：{m.title}", f"卷号：{mf.file_no}"],
                        footer_left=_printed(printed_on), footer_right=CONFIDENTIAL)
    return Part(form.flowables(), decor)


_Builder = Callable[[MediationFile, dt.date], list[Part]]


def _file_documents(mf: MediationFile, printed_on: dt.date) -> dict[str, list[Part]]:
    """The generated documents that belong in the file (none for what did not happen)."""
    m = mf.mediation
    return {
        "application": application(mf, printed_on) if m.source == "当事人申请" else [],
        "registration": registration(mf, printed_on),
        "notice": notice(mf, printed_on),
        "investigation": investigations(mf, printed_on, blank_if_none=False),
        "session": sessions(mf, printed_on, blank_if_none=False),
        "agreement": agreement(mf, printed_on, all_copies=False) if m.agreement else [],
        "visit": visits(mf, printed_on, blank_if_none=False),
    }


# Where an attachment of each kind takes its place in the file (人民调解卷宗's order): a signed agreement right after
# the printed one, the others among the papers the file has always had; 其他 before the back cover.
ATTACHED_AT = {"身份证明": "identity", "证据": "evidence", "照片": "evidence", "来信原件": "evidence",
               "协议原件": "agreement", "回执": "performance", "其他": "back_cover"}


def _attached(mf: MediationFile, key: str, title: str, printed_on: dt.date) -> list[Part]:
    return [paper_part(p, title, (mf.committee, f"卷号：{mf.file_no}"), _printed(printed_on), CONFIDENTIAL)
            for p in mf.papers if ATTACHED_AT.get(p.kind) == key and printable(p)]


def _dossier_parts(mf: MediationFile, printed_on: dt.date, counts: list[int] | None) -> tuple[list[Part], int]:
    generated = _file_documents(mf, printed_on)
    parts: list[Part] = [cover(mf), Part([])]  # the contents page is filled in below
    entries: list[TocEntry] = []
    for key, title, is_generated in rules.FILE_ORDER:
        if key == "back_cover":
            others = _attached(mf, key, "其他材料", printed_on)
            if others:
                entries.append(TocEntry("其他材料", range(len(parts), len(parts) + len(others)),
                                        f"附件{len(others)}份"))
                parts += others
            entries.append(TocEntry(title, range(len(parts), len(parts) + 1), "卷内备考表"))
            back_index = len(parts)
            parts.append(Part([]))
            continue
        if not is_generated:
            attached = _attached(mf, key, title, printed_on)
            if attached:
                entries.append(TocEntry(title, range(len(parts), len(parts) + len(attached)),
                                        f"附件{len(attached)}份"))
                parts += attached
                continue
            note = "纸质材料" if key in rules.REQUIRED_PAPERS else "纸质材料（如有）"
            entries.append(TocEntry(title, None, note))
            continue
        found = generated[key]
        if not found:
            continue
        entries.append(TocEntry(title, range(len(parts), len(parts) + len(found)),
                                f"共{len(found)}份" if len(found) > 1 else ""))
        parts += found
        signed = _attached(mf, key, f"{title}（签字原件）", printed_on)
        if signed:
            entries.append(TocEntry(f"{title}（签字原件）", range(len(parts), len(parts) + len(signed)),
                                    f"附件{len(signed)}份"))
            parts += signed
    printed = None
    if counts is not None:
        for e in entries:
            if e.parts is not None:
                e.pages = sum(counts[i] for i in e.parts)
                first = sum(counts[: e.parts.start]) + 1
                e.page_no = str(first) if e.pages <= 1 else f"{first}—{first + e.pages - 1}"
        printed = sum(counts[2:back_index])
    parts[1] = _toc(mf, entries, printed_on)
    parts[back_index] = _back_cover(mf, printed, printed_on)
    return parts, back_index


def render_dossier(mf: MediationFile, _office_name: str, printed_on: dt.date) -> bytes:
    """The whole file as one PDF (built twice: the contents page needs each document's page count)."""
    first = _build(rules.DOSSIER_TITLE, _dossier_parts(mf, printed_on, None)[0], mf)
    parts, _ = _dossier_parts(mf, printed_on, first.page_counts)
    second = _build(rules.DOSSIER_TITLE, parts, mf)
    if second.page_counts != first.page_counts:  # the counts changed the layout: once more
        parts, _ = _dossier_parts(mf, printed_on, second.page_counts)
        second = _build(rules.DOSSIER_TITLE, parts, mf)
    return second.pdf


def _build(title: str, parts: list[Part], mf: MediationFile) -> Built:
    return build_parts(title, parts, author=mf.committee, subject=f"{title} {mf.mediation.case_no}")


# --------------------------------------------------------------------------------------------
# Registration

DOCUMENT_BUILDERS: dict[str, _Builder] = {
    "application": application,
    "registration": registration,
    "notice": notice,
    "investigation": investigations,
    "session": sessions,
    "agreement": agreement,
    "visit": visits,
}


def render_document(key: str, mf: MediationFile, _office_name: str, printed_on: dt.date) -> bytes:
    title = dict(rules.DOCUMENTS)[key]
    return _build(title, DOCUMENT_BUILDERS[key](mf, printed_on), mf).pdf


def texts(mf: MediationFile) -> Iterator[str]:
    """Every text the documents print (checked for missing glyphs before printing)."""
    m = mf.mediation
    yield from (mf.committee, mf.code, m.case_no, m.source, m.dispute_type, m.relationship, m.township,
                m.village, m.facts, m.request, m.registrar, m.outcome_note, m.failed_route, m.archivist,
                m.keep_period, m.file_remarks)
    for party in m.parties:
        p = party.person
        yield from (p.name, p.sex, p.ethnicity, p.phone, p.address, party.occupation)
    for x in m.mediators:
        yield x.name
    for s in m.sessions:
        yield from (s.place, s.mediators, s.recorder, s.present, s.others, s.applicant_said, s.respondent_said,
                    s.facts_found, s.result, s.result_detail)
    for inv in m.investigations:
        yield from (inv.place, inv.investigator, inv.recorder, inv.subject, inv.subject_role, inv.content)
    if m.agreement:
        yield from (m.agreement.facts, m.agreement.duties)
        for item in m.agreement.items:
            yield from (item.content, item.how, item.due, item.place)
    for v in m.visits:
        yield from (v.plan, v.visitor, v.method, v.performance, v.satisfaction, v.findings, v.measures)


def _dossier_file_parts(mf: MediationFile) -> tuple[str, dt.date | None]:
    return mf.mediation.title, mf.mediation.received_on


def _document_file_parts(key: str, mf: MediationFile) -> tuple[str, dt.date | None]:
    m = mf.mediation
    on: dt.date | None = m.received_on
    if key == "agreement" and m.agreement:
        on = m.agreement.signed_on
    elif key == "session" and m.sessions:
        on = m.sessions[-1].held_on
    elif key == "investigation" and m.investigations:
        on = m.investigations[-1].held_on
    elif key == "visit" and m.done_visits:
        on = m.done_visits[-1].visited_on
    return rules.names(m.applicants), on


# The whole file is the mediation's form (print_case); each document is the form "mediation.<key>"
# (printing.print_document), as other kinds register their further forms.
FORM = register(FormKind("mediation", rules.DOSSIER_TITLE, render_dossier, texts, _dossier_file_parts))
for _key, _title in rules.DOCUMENTS:
    register(FormKind(f"mediation.{_key}", _title, partial(render_document, _key), texts,
                      partial(_document_file_parts, _key)))
