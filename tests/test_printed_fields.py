"""The printed forms field by field: each field filled with a value that appears nowhere else in the document, read
back from the PDF (pypdfium2's character boxes and the table's ruled lines, tests/pdf_layout.py) and found whole
inside its own cell, the cell right of its label. A field dropped, or printed under another label, fails here even
where the same words stand elsewhere on the page.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fulian_desktop.documents import mediation_forms
from fulian_desktop.documents import petition_form as pf
from fulian_desktop.documents import referral_letter as rl
from fulian_desktop.domain import mediation as med
from fulian_desktop.domain import referral as ref
from fulian_desktop.domain.dates import format_cn
from fulian_desktop.domain.records import Person, Petition

from .pdf_layout import Box, Page, read

EPS = 1.0  # points


def _occurrences(page: Page, text: str) -> list[Box]:
    """The box round each place `text` is printed on the page (its characters in reading order, spaces aside)."""
    want = "".join(text.split())
    chars = page.chars
    found = []
    for i in range(len(chars) - len(want) + 1):
        if all(chars[i + k].text == want[k] for k in range(len(want))):
            boxes = [c.box for c in chars[i:i + len(want)]]
            found.append((min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                          max(b[3] for b in boxes)))
    return found


def _cell(page: Page, x: float, y: float) -> Box:
    """The ruled cell round the point (x, y): the nearest lines to its left, right, below and above."""
    vertical = [s for s in page.strokes if abs(s[0] - s[2]) < 0.5 and min(s[1], s[3]) - EPS <= y <= max(s[1], s[3]) + EPS]
    horizontal = [s for s in page.strokes if abs(s[1] - s[3]) < 0.5 and min(s[0], s[2]) - EPS <= x <= max(s[0], s[2]) + EPS]
    left = max((s[0] for s in vertical if s[0] < x), default=None)
    right = min((s[0] for s in vertical if s[0] > x), default=None)
    bottom = max((s[1] for s in horizontal if s[1] < y), default=None)
    top = min((s[1] for s in horizontal if s[1] > y), default=None)
    assert None not in (left, right, bottom, top), f"no ruled cell round ({x:.0f}, {y:.0f})"
    return (left, bottom, right, top)  # type: ignore[return-value]


def _text_in(page: Page, cell: Box) -> str:
    return "".join(c.text for c in page.chars if cell[0] - EPS <= (c.box[0] + c.box[2]) / 2 <= cell[2] + EPS
                   and cell[1] - EPS <= (c.box[1] + c.box[3]) / 2 <= cell[3] + EPS)


def _inside(box: Box, cell: Box) -> bool:
    return cell[0] - EPS <= box[0] and box[2] <= cell[2] + EPS and cell[1] - EPS <= box[1] and box[3] <= cell[3] + EPS


def field_problems(pages: list[Page], fields: list[tuple[str, str]]) -> list[str]:
    """For each (label, value): the value printed exactly once in the whole document, whole inside one ruled cell,
    and the cell to its left holding exactly the label."""
    problems = []
    for label, value in fields:
        places = [(page, box) for page in pages for box in _occurrences(page, value)]
        if len(places) != 1:
            problems.append(f"{label}：“{value}” printed {len(places)} times")
            continue
        page, box = places[0]
        cell = _cell(page, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        if not _inside(box, cell):
            problems.append(f"{label}：“{value}” runs out of its cell")
            continue
        left = _cell(page, cell[0] - 2, (box[1] + box[3]) / 2)
        beside = "".join(_text_in(page, left).split())
        if beside != "".join(label.split()):
            problems.append(f"{label}：“{value}” stands beside “{beside}”")
    return problems


# --- 信访登记表 ------------------------------------------------------------------------------------------------

PETITIONER = Person(name="褚雪梅", sex="女", ethnicity="土家族", birth_date=dt.date(1988, 11, 23),
                    id_number="330102198507230069", phone="13912345678", address="幸福路二巷9号", marital_status="离异")
CONCERNED = Person(name="谭小红", sex="女", ethnicity="苗族", birth_date=dt.date(2001, 2, 14),
                   id_number="33010219850723000X", phone="15807346655", address="建设街道和平里4栋", marital_status="未婚")


def _petition(**changes: object) -> Petition:
    p = Petition(
        channel="来访", received_on=dt.date(2026, 1, 5), petitioner=PETITIONER, concerned=CONCERNED, headcount=7,
        township="青石岭镇", village="白鹭洲村", category="婚姻家庭", subcategory="家庭纠纷",
        facts="邻里反映其家中常有争吵，孩子无人照看。", request="请求帮助协调抚养费。", dv=False, safety_risk=True,
        receiving_staff="欧阳慧", respondent_name="卢大海", respondent_relation="前夫", case_no="信访〔2026〕第0042号",
        status="in_progress", accepted_on=dt.date(2026, 1, 9), told_on=dt.date(2026, 1, 12), handling="转办/交办",
        handling_agency="县司法局调处中心", handling_opinion="依法调处，督促男方履行。", extension_days=20,
        extension_reason="需要补充调查材料", created_at=dt.datetime(2026, 1, 6, 10, 0))
    for k, v in changes.items():
        setattr(p, k, v)
    return p


def test_every_field_of_the_petition_form_in_its_own_cell() -> None:
    pages = read(pf.render(_petition(), "县妇联", dt.date(2026, 3, 4)))
    # the 60 days from 9 January and the 20 days' extension, worked out by hand: 30 March
    fields = [
        ("收到日期", "2026年1月5日"), ("人数", "7人"), ("所在乡镇", "青石岭镇"), ("村（居）", "白鹭洲村"),
        ("接待人", "欧阳慧"), ("问题类别", "婚姻家庭（家庭纠纷）"),
        ("被反映人", "卢大海"), ("与当事人关系", "前夫"),
        ("事情经过", "邻里反映其家中常有争吵，孩子无人照看。"), ("诉求", "请求帮助协调抚养费。"),
        ("办理状态", "办理中"), ("受理日期", "2026年1月9日"), ("告知日期", "2026年1月12日"),
        ("转办单位", "县司法局调处中心"), ("办理期限", "2026年3月30日前"),
        ("处理意见", "依法调处，督促男方履行。"), ("延期情况", "延长20天：需要补充调查材料"),
    ]
    for who in (PETITIONER, CONCERNED):
        assert who.birth_date is not None
        age = 2026 - who.birth_date.year - 1  # neither has had her birthday by 5 January
        fields += [("姓名", who.name), ("民族", who.ethnicity), ("出生日期", format_cn(who.birth_date)),
                   ("婚姻状况", who.marital_status), ("联系电话", who.phone), ("身份证号", who.id_number),
                   ("年龄", f"{age}岁"), ("住址", who.address)]
    assert field_problems(pages, fields) == []


def test_a_concluded_petition_prints_its_result_and_date_and_no_running_clock() -> None:
    p = _petition(status="concluded", concluded_on=dt.date(2026, 2, 27), result="支持",
                  reply="已协调男方按月支付抚养费。")
    pages = read(pf.render(p, "县妇联", dt.date(2026, 3, 4)))
    assert field_problems(pages, [("办结日期", "2026年2月27日"), ("答复内容", "已协调男方按月支付抚养费。"),
                                  ("办理状态", "已办结")]) == []
    assert not any(_occurrences(page, "2026年3月30日前") for page in pages)  # closed: no 办理期限


def test_a_refused_petition_prints_the_reason() -> None:
    p = _petition(status="refused", accepted_on=None, handling="", handling_agency="", handling_opinion="",
                  extension_days=0, extension_reason="", refused_reason="已由法院立案审理，不属于信访受理范围。")
    pages = read(pf.render(p, "县妇联", dt.date(2026, 3, 4)))
    assert field_problems(pages, [("不予受理理由", "已由法院立案审理，不属于信访受理范围。")]) == []


# --- 人民调解协议书: the 司法确认 deadline ---------------------------------------------------------------------------


def test_the_agreement_prints_its_judicial_confirmation_deadline() -> None:
    """人民调解法 art. 33: within 30 days of the agreement taking effect — signed 17 February 2026, by hand 19 March."""
    m = med.Mediation(
        received_on=dt.date(2026, 2, 2), source="当事人申请", dispute_type="抚养", relationship="夫妻", township="东山镇",
        village="", facts="经过", request="诉求", registrar="刘芳", case_no="调解〔2026〕第0003号", year=2026, seq=3,
        parties=[med.Party(Person(name="柳如烟", sex="女"), "applicant"), med.Party(Person(name="赵某", sex="男"),
                                                                                   "respondent")],
        status="agreed", outcome="agreed", outcome_on=dt.date(2026, 2, 17),
        agreement=med.Agreement("双方对抚养费数额有争议。", "男方承担抚养义务。",
                                [med.AgreementItem("赵某每月支付抚养费800元", "转账", "每月10日前")],
                                signed_on=dt.date(2026, 2, 17)))
    m.mediators = [med.Mediator("孙调解", id=1)]
    pdf = mediation_forms.render_document("agreement", med.MediationFile(m, "东山镇人民调解委员会", "东"), "",
                                          dt.date(2026, 3, 4))
    pages = read(pdf)
    places = [(page, box) for page in pages for box in _occurrences(page, "（即2026年3月19日前）")]
    assert len(places) == 3  # one copy for each party and one for the committee
    for page, box in places:
        cell = _cell(page, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        assert "共同向人民法院申请司法确认（即2026年3月19日前）" in _text_in(page, cell)
        assert _text_in(page, _cell(page, cell[0] - 2, (box[1] + box[3]) / 2)) == "协议效力"


# --- 转介函: the means-test exemption -----------------------------------------------------------------------------


@pytest.mark.parametrize("victim_of", [["遗弃"], ["家庭暴力", "虐待"]])
def test_the_referral_letter_states_the_exemption_in_the_letter_and_in_the_summary(victim_of: list[str]) -> None:
    r = ref.Referral(
        referred_on=dt.date(2026, 2, 10), applicant=Person(name="柳如烟", sex="女", birth_date=dt.date(1990, 5, 6)),
        township="东山镇", village="", matter="赡养", role="原告", legal_state="尚未进入程序", help_kinds=["诉讼代理"],
        facts="经过", organisation=ref.Organisation(name="县法律援助中心"), staff="刘芳", victim_of=victim_of,
        consent=ref.Consent(on=dt.date(2026, 2, 10)), case_no="转介〔2026〕第0005号", status="referred",
        sent_on=dt.date(2026, 2, 10))
    sentence = ref.exemption_text(victim_of)
    assert "、".join(victim_of) in sentence and "不受经济困难条件的限制" in sentence
    pages = read(rl.render(r, "县妇联", dt.date(2026, 3, 4)))
    # the letter (page 1): its own paragraph between the request and the seven days of art. 43
    letter = pages[0]
    [here] = _occurrences(letter, sentence)
    [request] = _occurrences(letter, "县法律援助中心：")
    [seven_days] = _occurrences(letter, "请贵单位自收到申请之日起七日内作出决定")
    assert request[1] > here[3] and here[1] > seven_days[3]  # below the address, above the seven days
    # the summary: ticked (√, drawn over its box) in its own cell beside 经济困难审查
    summary = [(page, box) for page in pages[1:] for box in _occurrences(page, "免予经济困难审查：" + sentence)]
    assert len(summary) == 1
    page, box = summary[0]
    middle = (box[1] + box[3]) / 2
    cell = _cell(page, (box[0] + box[2]) / 2, middle)
    assert _inside(box, cell)
    assert _text_in(page, _cell(page, cell[0] - 2, middle)) == "经济困难审查"


# --- 法律援助申请表（摘要）: 职业或工作单位 -----------------------------------------------------------------------------


@pytest.mark.parametrize("occupation", ["教师", "东山县城关镇服装加工厂缝纫工"])
def test_the_referral_summary_prints_occupation_beside_its_whole_label(occupation: str) -> None:
    """The field's name as the form calls it (职业或工作单位), broken where it reads (职业或 / 工作单位) rather than
    leaving 位 alone on a second line; the value whole in its own cell to the right, one line or two."""
    r = ref.Referral(
        referred_on=dt.date(2026, 2, 10), applicant=Person(name="柳如烟", sex="女", birth_date=dt.date(1990, 5, 6)),
        township="东山镇", village="", matter="赡养", role="原告", legal_state="尚未进入程序", help_kinds=["诉讼代理"],
        occupation=occupation, facts="经过", organisation=ref.Organisation(name="县法律援助中心"), staff="刘芳",
        consent=ref.Consent(on=dt.date(2026, 2, 10)), case_no="援转〔2026〕第0005号", status="referred",
        sent_on=dt.date(2026, 2, 10))
    pages = read(rl.render(r, "县妇联", dt.date(2026, 3, 4)))
    assert field_problems(pages, [("职业或工作单位", occupation)]) == []
    [(page, box)] = [(page, box) for page in pages for box in _occurrences(page, occupation)]
    label = _cell(page, _cell(page, box[0] + 1, (box[1] + box[3]) / 2)[0] - 2, (box[1] + box[3]) / 2)
    lines: list[list[tuple[float, float, str]]] = []  # each printed line's characters (middle, left, text), top first
    for c in sorted((c for c in page.chars if _inside(c.box, label) and c.text.strip()), key=lambda c: -c.box[3]):
        middle = (c.box[1] + c.box[3]) / 2
        if lines and abs(lines[-1][0][0] - middle) < (c.box[3] - c.box[1]) / 2:
            lines[-1].append((middle, c.box[0], c.text))
        else:
            lines.append([(middle, c.box[0], c.text)])
    assert ["".join(t for _m, _x, t in sorted(line, key=lambda c: c[1])) for line in lines] == ["职业或", "工作单位"]
