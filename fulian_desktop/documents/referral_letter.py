"""转介函 — the referral letter, its tear-off receipt (回执), and for legal aid a 法律援助申请表-style summary.

Every service's letter is this one, in the service's wording (domain/referral.SERVICES: what it asks, the law it
cites, the days it is asked to reply in); legal aid's is the 法律援助转介函 below, the others 临时庇护转介函, 派出所转介函 …
with the letter and its receipt on one page.

Page 1 is the letter to the receiving organisation (who she is, what she needs, the means-test
exemption where the law gives one, the papers enclosed, the 7-day answer) and, below a dashed cut
line, the receipt the organisation fills in and returns: 受理 / 不予受理, 承办人, date, seal.
The next page is a summary in the shape of a legal-aid application form (applicant, case, means,
referral) that she takes along. The letter is printed only with her consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from ..domain import referral as rules
from ..domain.dates import age_on, format_cn
from ..domain.money import capital, format_yuan
from ..domain.referral import Referral
from . import layout as L
from .binder import receipt_block
from .registry import FormKind, register

TITLE = "法律援助转介函"
SUMMARY_TITLE = "法律援助申请表（摘要）"
LETTER_SIZE = 12.0  # 小四: the letter reads as a letter, the forms stay at 五号

# section | label | value | label | value | label | value   (170 mm)
WIDTHS = [10 * mm, 26 * mm, 34 * mm, 22 * mm, 26 * mm, 20 * mm, 32 * mm]

_LEGAL_STATE_PHRASE = {
    "尚未进入程序": "案件尚未进入诉讼、仲裁程序",
    "诉讼中": "案件正在诉讼中",
    "仲裁中": "案件正在仲裁中",
    "调解中": "案件正在调解中",
}
_MEANS_PHRASE = {
    "个人诚信承诺": "申请人已就经济困难状况作出个人诚信承诺（法律援助法第四十一条）。",
    "经济困难证明": "申请人已提供经济困难证明材料。",
    "社会救助对象等（免予核查）": "申请人属社会救助等对象，依据法律援助法第四十二条，免予核查经济困难状况。",
    "由接收机构核查": "申请人的经济困难状况，请贵单位依法核查。",
}


def _letter_date(r: Referral) -> dt.date:
    return r.sent_on or r.referred_on


def _who(r: Referral) -> str:
    p = r.applicant
    bits = [x for x in (p.sex, f"{age_on(p.birth_date, _letter_date(r))}岁" if p.birth_date else "",
                        p.ethnicity if p.ethnicity and p.ethnicity != "汉族" else "") if x]
    if p.id_number:
        bits.append(f"身份证号{p.id_number}")
    if p.phone:
        bits.append(f"联系电话{p.phone}")
    if p.address:
        bits.append(f"住{p.address}")
    return p.name + (f"（{'，'.join(bits)}）" if bits else "")


def _request_sentence(r: Referral) -> str:
    role = f"申请人在本案中为{r.role}，" if r.role and r.role != "尚未确定" else ""
    state = _LEGAL_STATE_PHRASE.get(r.legal_state, r.legal_state)
    return (f"现有{_who(r)}，因{r.matter}纠纷向我会求助，需要的法律帮助为：{rules.join(r.help_kinds)}。"
            f"{role}{state}。经{_who_agreed(r)}同意，现将其转介至贵单位，请依法审查并作出是否给予法律援助的决定。")


def _who_agreed(r: Referral) -> str:
    c = r.consent
    if c is None or c.by == "本人":
        return "本人"
    return f"其{c.by}（{c.name}）" if c.name else f"其{c.by}"


def _consent_text(r: Referral) -> str:
    c = r.consent
    if c is None:
        return "☐尚未取得同意"
    who = "本人" if c.by == "本人" else f"{c.by}（{c.name}）"
    return f"☑已同意将个人信息提供给接收机构：{who}，{c.way}，{format_cn(c.on)}"


def _papers(r: Referral) -> str:
    ticked, attached = r.papers_sent()
    other = "；".join(x for x in (r.papers_other, "、".join(attached)) if x)
    if not r.legal_aid:  # the legal-aid checklist is legal aid's: another service is told what was handed over
        return rules.SEP.join([*ticked, *([other] if other else [])]) or "无"
    text = L.choices(rules.PAPERS, ticked)
    return text + f"　{L.checkbox(bool(other))}其他：{other}"


def _service_sentence(r: Referral) -> str:
    """Another service's request: who she is, the help asked for, her consent, what the service is asked to do."""
    k = r.kind
    asks = f"依照{k.basis}的规定，{k.asks}" if k.basis else k.asks
    return (f"现有{_who(r)}，因{r.matter}问题向我会求助，需要贵单位提供的帮助为：{rules.join(r.help_kinds)}。"
            f"经{_who_agreed(r)}同意，现将其转介至贵单位，{asks}")


DV_CARE = "申请人系家庭暴力受害人。请注意保护其个人信息和去向，不向加害人及其亲属透露。"


def _reply_sentence(r: Referral) -> str:
    if r.legal_aid:
        return (f"根据{rules.LAW}第四十三条，请贵单位自收到申请之日起七日内作出决定，并将下方回执填写后退回我会，"
                "以便我们跟进、告知申请人。")
    days = r.kind.answer_days
    when = "收到本函后当日安排，并于次日" if days == 1 else f"自收到本函之日起{days}日内"
    return f"请贵单位{when}将接收情况填写下方回执后退回我会，以便我们跟进、告知本人。"


def _para(text: str) -> L.CJKText:
    return L.CJKText(text, LETTER_SIZE, align="justify", indent=True)


def letter(r: Referral, office_name: str) -> list[L.Flowable]:
    org = r.organisation
    assert org is not None
    parts: list[L.Flowable] = [L.CJKText(f"{org.name}：", LETTER_SIZE)]
    if r.legal_aid:
        parts.append(_para(_request_sentence(r)))
        means = rules.exemption_text(r.victim_of) or _MEANS_PHRASE.get(r.means, "")
        if means:
            parts.append(_para(means))
    else:
        parts.append(_para(_service_sentence(r)))
        if r.request:
            parts.append(_para(f"她的诉求：{r.request}"))
        if rules.DV in r.victim_of:
            parts.append(_para(DV_CARE))
    parts.append(_para(_reply_sentence(r)))
    parts.append(L.spacer(1.5 * mm))
    parts.append(L.CJKText("随函移送材料：" + _papers(r), L.BODY_SIZE))
    if r.copies:
        parts.append(L.CJKText(_copies_line(r), L.BODY_SIZE))
    if r.legal_aid:
        parts.append(L.CJKText("附：《法律援助申请表（摘要）》一份", L.BODY_SIZE))
    contact = f"经办人：{r.staff}" + (f"　　联系电话：{r.staff_phone}" if r.staff_phone else "")
    parts.append(L.CJKText(contact, L.BODY_SIZE))
    sign = L.CJKText(f"{office_name}（盖章）\n{format_cn(_letter_date(r))}", LETTER_SIZE, align="right")
    sign.spaceBefore = 4 * mm
    parts.append(sign)
    return parts


def receipt(r: Referral, office_name: str) -> L.Flowable:
    """The tear-off receipt the organisation fills in and returns."""
    if not r.legal_aid:
        return receipt_block(
            f"{office_name}：\n贵会于{format_cn(_letter_date(r))}转介的{r.applicant.name}"
            f"（转介编号：{r.case_no}；请求的帮助：{rules.join(r.help_kinds)}），我单位接收情况如下：",
            ("姓名", r.applicant.name), ("接收情况", ("已接收并提供帮助", "不能接收")), "提供的帮助\n或不能接收\n的理由",
            f"请于接收后填写本回执，交回或寄回{office_name}" + (f"（联系电话：{r.staff_phone}）" if r.staff_phone else "")
            + "。")
    return receipt_block(
        f"{office_name}：\n贵会于{format_cn(_letter_date(r))}转介的{r.applicant.name}的法律援助申请"
        f"（转介编号：{r.case_no}），我单位审查结果如下：",
        ("申请人", r.applicant.name), ("审查结果", ("予以受理", "不予受理")), "不予受理\n理由",
        f"请于作出决定后填写本回执，交回或寄回{office_name}" + (f"（联系电话：{r.staff_phone}）" if r.staff_phone else "") + "。")


def _groups(r: Referral) -> list[str]:
    p = r.applicant
    on = _letter_date(r)
    age = age_on(p.birth_date, on) if p.birth_date else None
    chosen = []
    if p.sex == "女":
        chosen.append("妇女")
    if age is not None and age < rules.ADULT_AGE:
        chosen.append("未成年人")
    if age is not None and age >= 60:
        chosen.append("老年人")
    return chosen


def _means_rows(r: Referral) -> list[list[L.Cell]]:
    if r.exempt:
        test = "☑免予经济困难审查：" + rules.exemption_text(r.victim_of)
    else:
        test = L.choices(rules.MEANS, r.means or None)
    income = ""
    if r.household_income is not None:
        income = f"{format_yuan(r.household_income)}（{capital(r.household_income)}）"
    size = f"{r.household_size}人" if r.household_size else ""
    return [
        [L.section("经济状况", rows=2), L.label("经济困难审查"), L.value(test, span=5)],
        [L.label("家庭人口"), L.value(size), L.label("家庭年收入"), L.value(income, span=3)],
    ]


def summary(r: Referral, office_name: str) -> list[L.Flowable]:
    p = r.applicant
    on = _letter_date(r)
    org = r.organisation
    assert org is not None
    form = L.Form(WIDTHS, text_label_span=2)
    form.rows(
        [L.section("申请人", rows=5), L.label("姓名"), L.value(p.name), L.label("性别"), L.value(p.sex),
         L.label("民族"), L.value(p.ethnicity)],
        [L.label("出生日期"), L.value(format_cn(p.birth_date)), L.label("年龄"),
         L.value(f"{age_on(p.birth_date, on)}岁" if p.birth_date else ""), L.label("婚姻状况"),
         L.value(p.marital_status)],
        [L.label("身份证号"), L.value(p.id_number, span=3), L.label("联系电话"), L.value(p.phone)],
        [L.label("住址"), L.value(p.address, span=5)],
        [L.label("职业或\n工作单位"), L.value(r.occupation), L.label("人群类别"),
         L.value(L.choices(("妇女", "未成年人", "老年人", "残疾人"), _groups(r)), span=3)],
    )
    form.rows(
        [L.section("案件情况", rows=5), L.label("纠纷事项"), L.value(L.choices(rules.MATTERS, r.matter), span=5)],
        [L.label("案件中的身份"), L.value(L.choices(rules.ROLES, r.role), span=5)],
        [L.label("案件所处阶段"), L.value(L.choices(rules.LEGAL_STATES, r.legal_state), span=5)],
        [L.label("申请的帮助"), L.value(L.choices(rules.HELP_KINDS, r.help_kinds, sep=" "), span=5)],
        [L.label("对方当事人"), L.value(r.opponent_name), L.label("与申请人关系", span=2),
         L.value(r.opponent_relation, span=2)],
    )
    form.text("案情及申请理由", r.facts, min_lines=4)
    if r.request:
        form.text("诉求", r.request, min_lines=1)
    form.rows(*_means_rows(r))
    contact = "　".join(x for x in (org.contact_person, org.phone) if x)
    form.rows(
        [L.section("转介情况", rows=5), L.label("接收机构"), L.value(org.name, span=3), L.label("机构类别"),
         L.value(org.kind)],
        [L.label("机构地址"), L.value(org.address, span=3), L.label("联系电话"), L.value(contact)],
        [L.label("转介日期"), L.value(format_cn(r.referred_on)), L.label("经办人"), L.value(r.staff),
         L.label("联系电话"), L.value(r.staff_phone)],
        [L.label("移送材料"), L.value(_papers(r), span=5)],
        [L.label("本人同意"), L.value(_consent_text(r), span=5)],
    )
    *parts, last = form.flowables()
    signed = r.consent_signature
    signatures = L.signature_block(["申请人（签名或捺印）：", "经办人（签名）："],
                                   marks=[(signed[0], format_cn(signed[1])) if signed else None])
    note = L.note("注：本表由转介单位根据申请人陈述填写，供法律援助机构审查时参考；"
                  "申请人仍应按法律援助机构的要求填写其正式申请表。")
    return [*parts, L.keep_together(last, signatures), note]


def _copies_line(r: Referral) -> str:
    """What the letter says of the copies appended to it (and of the files that could not be)."""
    line = f"附：随函移送材料复印件{len(r.copies)}份（附后）"
    rest = len(r.attached) - len(r.copies)
    if rest > 0:
        line += f"；另有{rest}份（Word、Excel等文件）以原文件提供"
    return line


COPIES_TITLE = "转介函（附移送材料复印件）"
COPIES_HEADING = "随函移送材料（复印件）"


def render_with_copies(r: Referral, office_name: str, printed_on: dt.date) -> bytes:
    """The letter (with its receipt and summary) and after it a copy of each attached image and PDF, a page for
    each image, each PDF page by page, under 随函移送材料（复印件） with the paper's kind and note."""
    from ..domain.errors import FulianError
    from .attached_papers import appended, paper_part

    if not r.copies:
        raise FulianError("这件转介没有可以附上复印件的附件（图片或PDF）。请先在附件栏添加扫描件或照片，"
                          "或只打印转介函。")
    letter_pdf = render(r, office_name, printed_on)
    footer = f"打印日期：{format_cn(printed_on)}"
    fields = (f"转介单位：{office_name}", f"编号：{r.case_no}")
    parts = [paper_part(p, COPIES_HEADING, fields, footer, "内部资料　注意保密") for p in r.copies]
    return appended(letter_pdf, parts, COPIES_HEADING, office_name, r.kind.letter_title)


def texts_with_copies(r: Referral) -> Iterator[str]:
    yield from texts(r)
    for p in r.copies:
        yield from (p.kind, p.label)


def render(r: Referral, office_name: str, printed_on: dt.date) -> bytes:
    """The referral letter with its receipt, and the application summary, as PDF bytes."""
    rules.check_printable(r)  # her details leave the office only with her consent
    fields = [f"转介单位：{office_name}", f"编号：{r.case_no}"]
    if not r.legal_aid:
        title = r.kind.letter_title
        return L.build(title, letter(r, office_name), receipt(r, office_name), fields=fields,
                       footer_left=f"打印日期：{format_cn(printed_on)}", footer_right="内部资料　注意保密",
                       author=office_name, subject=title)
    return L.build(
        TITLE,
        letter(r, office_name),
        receipt(r, office_name),
        PageBreak(),
        L.Heading(SUMMARY_TITLE, fields),
        summary(r, office_name),
        fields=fields,
        footer_left=f"打印日期：{format_cn(printed_on)}",
        footer_right="内部资料　注意保密",
        author=office_name,
        subject=TITLE,
    )


def texts(r: Referral) -> Iterator[str]:
    """Every text of the referral that the letter and summary print (checked for missing glyphs)."""
    p = r.applicant
    yield from (p.name, p.sex, p.ethnicity, p.id_number, p.phone, p.address, p.marital_status)
    org = r.organisation
    if org is not None:
        yield from (org.name, org.kind, org.address, org.contact_person, org.phone)
    yield from (
        r.service, r.kind.letter_title, r.case_no, r.occupation, r.matter, r.role, r.legal_state, *r.help_kinds, r.facts, r.request,
        r.opponent_name, r.opponent_relation, r.means, r.papers_other, r.staff, r.staff_phone,
    )
    if r.consent is not None:
        yield from (r.consent.by, r.consent.name, r.consent.way)


def file_parts(r: Referral) -> tuple[str, dt.date | None]:
    return r.applicant.name, r.referred_on


def title_of(r: Referral) -> str:
    return r.kind.letter_title


FORM = register(FormKind("referral", TITLE, render, texts, file_parts, title_of))
# the letter with copies of the attached papers after it (printing.LOADERS["referral.copies"] loads them)
COPIES_FORM = register(FormKind("referral.copies", COPIES_TITLE, render_with_copies, texts_with_copies, file_parts,
                                lambda r: f"{r.kind.letter_title}（附移送材料复印件）"))
