"""Households and care lists (帮扶户走访慰问): the register, members, cadres, measures, visits, tasks.

A household on the poor-household register (帮扶户), or one person on another care list (留守儿童,
春蕾女童, “两癌”救助对象, or any list the office adds), is a case of kind "household". Care lists
are configuration: each has a name, whether it counts households or persons, and a few extra
fields defined as data (key, label, type, choices); an entry keeps its extra values by key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from . import idcard, limits, statuses
from .dates import EARLIEST_BIRTH, DateError, format_cn, out_of_range, parse_date, too_early, too_far_ahead
from .errors import RuleError, ValidationError
from .money import format_yuan
from .people import PHONE_MAX, check_person
from .records import Person, TimelineEntry
from .rhythm import Rhythm
from .text import clean_record

KIND = "household"

STATUS_LABELS = statuses.HOUSEHOLD  # (the words, with the other kinds', in statuses.py)
# 脱贫不脱帮扶: a household lifted out of poverty stays on the visit plan until it leaves the register
OPEN_STATUSES = ("helping", "lifted")

HOUSEHOLD_TYPES = ("一般户", "低保户", "特困供养户")
CAUSES = ("因病", "因残", "因学", "因灾", "缺土地", "缺水", "缺技术", "缺劳力", "缺资金")
MAX_CAUSES = 2
HEALTH = ("健康", "慢性病", "大病", "残疾")
WORK_ABILITY = ("普通劳动力", "技能劳动力", "弱劳动力", "丧失劳动力", "无劳动力")
SCHOOLING = ("非在校生", "学前教育", "小学", "初中", "高中", "中职", "高职/大专", "本科及以上")
HEAD_RELATION = "户主"
SELF_RELATION = "本人"
RELATIONS = (
    "配偶", "之子", "之女", "之儿媳", "之女婿", "之孙子", "之孙女", "之父", "之母", "之祖父", "之祖母",
    "兄弟姐妹", "监护人", "其他",
)
MEASURES = ("雨露计划", "小额信贷", "易地搬迁", "产业", "基础设施", "公共服务", "其他")
CADRE_LEVELS = ("县级", "科级", "科员", "村干部", "其他")

VISIT_KINDS = {"visit": "走访", "solace": "慰问", "assist": "帮扶"}
FINDING_KINDS = {"dv": "家庭暴力", "dispute": "家庭矛盾纠纷"}
ROUTES = {"petition": "登记为信访", "mediation": "登记为纠纷调解"}

UNITS = {"household": "按户", "person": "按人"}
FIELD_TYPES = {"text": "文字", "date": "日期", "choice": "选项", "number": "数字"}
MAX_FIELDS = 12
TEXT_MAX = 2000
SHORT_MAX = 200
NAME_MAX = 20

POOR_LIST_NAME = "帮扶户"


# --- care lists ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CareField:
    key: str  # stable: f1, f2 … (values are stored under it)
    label: str
    type: str = "text"  # text | date | choice | number
    choices: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label, "type": self.type}
        if self.type == "choice":
            out["choices"] = list(self.choices)
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> CareField:
        return cls(str(d["key"]), str(d["label"]), str(d.get("type", "text")), tuple(d.get("choices", ())))


@dataclass
class CareList:
    name: str
    unit: str = "person"  # household: a household with members, type and causes; person: one person
    fields: list[CareField] = field(default_factory=list)
    rhythm_unit: str = "month"  # the visit rhythm new entries start with
    rhythm_every: int = 1
    active: bool = True
    id: int | None = None
    position: int = 0

    @property
    def is_household(self) -> bool:
        return self.unit == "household"

    @property
    def head_word(self) -> str:
        """户主 for a household, 本人 for a person."""
        return HEAD_RELATION if self.is_household else SELF_RELATION

    def field(self, key: str) -> CareField | None:
        return next((f for f in self.fields if f.key == key), None)


def split_choices(text: str) -> tuple[str, ...]:
    """'宫颈癌、乳腺癌' (or separated by commas, slashes, spaces or lines) -> ('宫颈癌', '乳腺癌')."""
    parts = re.split(r"[、,，;；/\s]+", text or "")
    seen: dict[str, None] = {}
    for p in parts:
        if p.strip():
            seen.setdefault(p.strip(), None)
    return tuple(seen)


def validate_care_list(c: CareList, taken_names: set[str]) -> CareList:
    """Check a care list's definition; new fields get keys f1, f2 … after the highest key in use."""
    errors: dict[str, str] = {}
    name = " ".join(c.name.split())
    if not name:
        errors["name"] = "请填写名单名称，如“留守儿童”"
    elif len(name) > NAME_MAX:
        errors["name"] = f"名单名称不能超过{NAME_MAX}个字"
    elif name in taken_names:
        errors["name"] = f"已有名为“{name}”的名单"
    if c.unit not in UNITS:
        errors["unit"] = "请选择按户还是按人登记"
    problem = Rhythm(c.rhythm_unit, c.rhythm_every, dt.date(2000, 1, 1)).check()
    if problem:
        errors["rhythm"] = problem
    if len(c.fields) > MAX_FIELDS:
        errors["fields"] = f"每个名单最多{MAX_FIELDS}个栏目"
    used = [int(f.key[1:]) for f in c.fields if re.fullmatch(r"f\d+", f.key or "")]
    next_no = max(used, default=0) + 1
    fields: list[CareField] = []
    labels: set[str] = set()
    for i, f in enumerate(c.fields, 1):
        label = " ".join(f.label.split())
        where = f"第{i}个栏目"
        if not label:
            errors.setdefault("fields", f"{where}：请填写栏目名称")
            continue
        if len(label) > NAME_MAX:
            errors.setdefault("fields", f"{where}：栏目名称不能超过{NAME_MAX}个字")
        if label in labels:
            errors.setdefault("fields", f"栏目“{label}”重复了")
        labels.add(label)
        if f.type not in FIELD_TYPES:
            errors.setdefault("fields", f"栏目“{label}”：请选择类型")
        choices = tuple(" ".join(x.split()) for x in f.choices if x.strip())
        if f.type == "choice" and len(choices) < 2:
            errors.setdefault("fields", f"栏目“{label}”是选项，请至少写两个选项，用顿号分开")
        key = f.key if re.fullmatch(r"f\d+", f.key or "") else ""
        if not key:
            key = f"f{next_no}"
            next_no += 1
        fields.append(CareField(key, label, f.type, choices if f.type == "choice" else ()))
    if errors:
        raise ValidationError(errors)
    return CareList(name=name, unit=c.unit, fields=fields, rhythm_unit=c.rhythm_unit,
                    rhythm_every=c.rhythm_every, active=c.active, id=c.id, position=c.position)


def check_extra(care: CareList, values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The list's extra values, normalised: dates ISO, numbers as numbers; errors keyed extra.<key>."""
    out: dict[str, Any] = {}
    for f in care.fields:
        raw = values.get(f.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        text = str(raw).strip()
        name = f"extra.{f.key}"
        if f.type == "date":
            try:
                day = raw if isinstance(raw, dt.date) else parse_date(text)
            except DateError as e:
                errors[name] = str(e)
            else:
                if too_early(day, f"“{f.label}”", EARLIEST_BIRTH):
                    errors[name] = too_early(day, f"“{f.label}”", EARLIEST_BIRTH)
                out[f.key] = day.isoformat()
        elif f.type == "number":
            try:
                number = float(text.replace(",", "").replace("，", ""))
            except ValueError:
                errors[name] = f"“{f.label}”应为数字"
                continue
            out[f.key] = int(number) if number.is_integer() else number
        elif f.type == "choice":
            if text not in f.choices:
                errors[name] = f"请从“{f.label}”的选项中选择"
            else:
                out[f.key] = text
        else:
            if len(text) > SHORT_MAX:
                errors[name] = f"“{f.label}”不能超过{SHORT_MAX}个字"
            out[f.key] = text
    return out


def extra_text(care: CareList, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value as shown) for each field of the list, in the list's order."""
    out = []
    for f in care.fields:
        v = values.get(f.key)
        if v is None or v == "":
            shown = ""
        elif f.type == "date":
            try:
                d = dt.date.fromisoformat(str(v))
                shown = f"{d.year}年{d.month}月{d.day}日"
            except ValueError:
                shown = str(v)
        else:
            shown = str(v)
        out.append((f.label, shown))
    return out


# --- the register -------------------------------------------------------------------------------

@dataclass
class Member:
    person: Person
    relation: str
    health: str = ""
    work_ability: str = ""
    schooling: str = ""
    disability_card: str = ""  # 残疾证号


@dataclass
class Cadre:
    """帮扶责任人. Changes are appended; the latest from-date is the current one."""

    name: str
    unit: str = ""
    level: str = ""
    phone: str = ""
    from_date: dt.date | None = None
    id: int | None = None
    recorded_by: str = ""


@dataclass
class Measure:
    """帮扶措施: what was done for the household (雨露计划, 小额信贷 …), by which unit, with what benefit."""

    kind: str
    detail: str = ""
    helping_unit: str = ""
    on_date: dt.date | None = None
    amount_fen: int = 0  # money the household received through it, if any
    benefit: str = ""  # 实际受益情况
    id: int | None = None


@dataclass
class Finding:
    """What a visit found that needs a case: violence or a dispute, for one person."""

    kind: str  # dv | dispute
    route: str  # petition | mediation
    person_index: int  # 0 = the head (本人), 1.. = members in order
    facts: str
    request: str
    respondent_name: str = ""  # the other party (a member's name attaches that member's record)
    respondent_relation: str = ""
    mediator_id: int | None = None  # a mediation needs a mediator from the roster
    dispute_type: str = ""  # a mediation's 纠纷类型 (家庭暴力 when kind is dv)


@dataclass
class Visit:
    visited_on: dt.date
    visitors: str
    kind: str  # visit | solace | assist
    cash_fen: int = 0
    goods: str = ""
    goods_fen: int = 0
    seen: str = ""  # 走访情况
    asked: str = ""  # 群众诉求
    promised: str = ""  # 承诺跟进事项
    promise_due: dt.date | None = None
    finding: Finding | None = None
    id: int | None = None
    case_id: int | None = None
    staff: str = ""
    opened_case_id: int | None = None
    opened_case_no: str = ""

    @property
    def kind_label(self) -> str:
        return VISIT_KINDS.get(self.kind, self.kind)


@dataclass
class Task:
    """A follow-up promised on a visit, with its date."""

    title: str
    due_on: dt.date
    id: int | None = None
    case_id: int | None = None
    visit_id: int | None = None
    done_on: dt.date | None = None
    done_note: str = ""
    case_no: str = ""
    names: str = ""


@dataclass
class Household:
    list_id: int
    received_on: dt.date  # 纳入日期
    head: Member  # the head of household, or the person on a care list
    members: list[Member]
    township: str
    village: str = ""
    address: str = ""  # 组、门牌
    household_type: str = ""
    causes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    rhythm: Rhythm | None = None  # None: the list's default rhythm from the date of entry
    cadre: Cadre | None = None  # the first responsible cadre, at registration
    notes: str = ""
    # filled in when loaded
    id: int | None = None
    case_no: str = ""
    status: str = "helping"
    lifted_on: dt.date | None = None
    exited_on: dt.date | None = None
    exit_reason: str = ""
    care_list: CareList | None = None
    cadres: list[Cadre] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)  # newest first
    tasks: list[Task] = field(default_factory=list)
    next_due: dt.date | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    links: list[tuple[int, str, str]] = field(default_factory=list)
    photo: bytes | None = None  # for the 帮扶手册 card: the household's latest photo (附件, kind 照片)

    @property
    def everyone(self) -> list[Member]:
        return [self.head, *self.members]

    @property
    def size(self) -> int:
        return 1 + len(self.members)

    @property
    def current_cadre(self) -> Cadre | None:
        return self.cadres[-1] if self.cadres else None

    @property
    def list_name(self) -> str:
        return self.care_list.name if self.care_list else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def cash_total(self) -> int:
        return sum(v.cash_fen for v in self.visits)

    @property
    def goods_total(self) -> int:
        return sum(v.goods_fen for v in self.visits)

    @property
    def measures_total(self) -> int:
        return sum(m.amount_fen for m in self.measures)


_LIST = limits.LIST_VALUE_MAX
# what the 帮扶手册, the 走访慰问记录表 and the month's plan print of each (a listing's row runs on to the next
# page; a short value stays in its cell)
LIMITS = limits.define(Household, {
    "township": ("乡镇", _LIST), "village": ("村（社区）", _LIST), "address": ("组、门牌", 100),
    "household_type": ("户类型", 10), "notes": ("备注", TEXT_MAX), "case_no": ("编号", 30), "status": ("帮扶状态", 20),
    "exit_reason": ("退出原因", SHORT_MAX),
})
MEMBER_LIMITS = limits.define(Member, {
    "relation": ("与户主关系", NAME_MAX), "health": ("健康状况", 10), "work_ability": ("劳动能力", 10),
    "schooling": ("在校生状况", 10), "disability_card": ("残疾证号", 30),
})
CADRE_LIMITS = limits.define(Cadre, {"name": ("帮扶责任人姓名", NAME_MAX), "unit": ("单位名称", 60),
                                     "level": ("职务/级别", NAME_MAX), "phone": ("联系电话", PHONE_MAX)})
MEASURE_LIMITS = limits.define(Measure, {"kind": ("措施名称", NAME_MAX), "detail": ("具体内容", TEXT_MAX),
                                         "helping_unit": ("帮扶单位", 60), "benefit": ("实际受益", SHORT_MAX)})
# a finding's facts become the petition's, after the words saying where they were found (（…走访中发现）)
FINDING_LIMITS = limits.define(Finding, {
    "kind": ("发现的情况", 10), "route": ("登记为", 10), "facts": ("发现的情况", 4900), "request": ("当事人的诉求", 5000),
    "respondent_name": ("对方", limits.NAME_MAX), "respondent_relation": ("与对方的关系", 10),
    "dispute_type": ("纠纷类型", 10),
})
VISIT_LIMITS = limits.define(Visit, {
    "visitors": ("走访人", 100), "kind": ("类型", 10), "goods": ("物资", SHORT_MAX), "seen": ("走访情况", TEXT_MAX),
    "asked": ("群众诉求", TEXT_MAX), "promised": ("承诺跟进事项", TEXT_MAX), "staff": ("登记人", _LIST),
    "opened_case_no": ("登记的案件", 30),
})
# (a visit's promise becomes a task: as long as a promise)
TASK_LIMITS = limits.define(Task, {"title": ("待办事项", TEXT_MAX), "done_note": ("办结说明", SHORT_MAX),
                                   "case_no": ("编号", 30), "names": ("姓名", 100)})


def _check_member(m: Member, today: dt.date, errors: dict[str, str], prefix: str, head: bool) -> Member:
    person = check_person(m.person, today, errors, prefix)
    limits.check(m, errors, prefix)  # (the household was cleaned whole)
    relation = " ".join(m.relation.split())
    if not head and not relation:
        errors[prefix + "relation"] = "请填写与户主的关系"
    for attr, allowed, label in (("health", HEALTH, "健康状况"), ("work_ability", WORK_ABILITY, "劳动能力"),
                                 ("schooling", SCHOOLING, "在校生状况")):
        value = getattr(m, attr)
        if value and value not in allowed:
            errors[prefix + attr] = f"请从列表中选择{label}"
    card = m.disability_card.strip()
    return Member(person=person, relation=relation, health=m.health, work_ability=m.work_ability,
                  schooling=m.schooling, disability_card=card)


def check_cadre(c: Cadre, today: dt.date, errors: dict[str, str], prefix: str = "cadre.",
                not_before: dt.date | None = None) -> Cadre:
    from . import phone as phones

    try:
        c = clean_record(c)
    except ValidationError as e:
        errors.update({prefix + k: v for k, v in e.errors.items()})
    limits.check(c, errors, prefix)
    name = " ".join(c.name.split())
    if not name:
        errors[prefix + "name"] = "请填写帮扶责任人姓名"
    unit = " ".join(c.unit.split())
    number = c.phone.strip()
    if number:
        try:
            number = phones.validate_phone(number)
        except phones.PhoneError as e:
            errors[prefix + "phone"] = str(e)
    if c.from_date is None:
        errors[prefix + "from_date"] = "请填写起始日期"
    elif out_of_range(c.from_date, "起始日期", today):
        errors[prefix + "from_date"] = out_of_range(c.from_date, "起始日期", today)
    elif not_before and c.from_date < not_before:
        errors[prefix + "from_date"] = f"起始日期不能早于上一任责任人的起始日期（{format_cn(not_before)}）"
    return Cadre(name=name, unit=unit, level=" ".join(c.level.split()), phone=number, from_date=c.from_date)


def validate_household(h: Household, care: CareList, today: dt.date) -> Household:
    """Return a normalised copy of the entry or raise ValidationError (field -> message).

    Fields: received_on, township, village, address, household_type, causes, head.<person field>,
    members.<i>.<field> (i from 0), extra.<key>, rhythm, cadre.<field>, notes.
    """
    h = clean_record(h)
    errors: dict[str, str] = {}
    limits.check(h, errors)
    if h.received_on is None:
        errors["received_on"] = "请填写纳入日期"
    elif out_of_range(h.received_on, "纳入日期", today):
        errors["received_on"] = out_of_range(h.received_on, "纳入日期", today)
    if not h.township.strip():
        errors["township"] = "请选择乡镇"
    household_type = h.household_type.strip()
    causes = list(dict.fromkeys(c.strip() for c in h.causes if c.strip()))
    if care.is_household:
        if household_type not in HOUSEHOLD_TYPES:
            errors["household_type"] = "请选择户类型"
        if not causes:
            errors["causes"] = "请选择主要致贫原因（一至两项）"
        elif len(causes) > MAX_CAUSES:
            errors["causes"] = "主要致贫原因最多选两项"
        elif any(c not in CAUSES for c in causes):
            errors["causes"] = "致贫原因只能从列表中选择（不设“其他”）"
    else:
        household_type, causes = "", []
    head = _check_member(h.head, today, errors, "head.", head=True)
    head.relation = care.head_word
    members = [_check_member(m, today, errors, f"members.{i}.", head=False) for i, m in enumerate(h.members)]
    seen_ids: dict[str, str] = {}
    for i, m in enumerate([head, *members]):
        number = m.person.id_number
        if number and idcard.normalize(number) in seen_ids:
            prefix = "head." if i == 0 else f"members.{i - 1}."
            errors[prefix + "id_number"] = f"与{seen_ids[idcard.normalize(number)]}的身份证号相同"
        elif number:
            seen_ids[idcard.normalize(number)] = m.person.name or "另一成员"
    extra = check_extra(care, h.extra, errors)
    rhythm = h.rhythm or Rhythm(care.rhythm_unit, care.rhythm_every, h.received_on or today)
    problem = rhythm.check()
    if problem:
        errors["rhythm"] = problem
    cadre = None
    if h.cadre is not None and (h.cadre.name.strip() or h.cadre.unit.strip() or h.cadre.phone.strip()):
        cadre = check_cadre(h.cadre, today, errors)
    notes = h.notes.strip()
    if errors:
        raise ValidationError(errors)
    return Household(
        list_id=h.list_id, received_on=h.received_on, head=head, members=members, township=h.township.strip(),
        village=h.village.strip(), address=h.address.strip(), household_type=household_type, causes=causes,
        extra=extra, rhythm=rhythm, cadre=cadre, notes=notes,
    )


def check_rhythm(r: Rhythm, today: dt.date, received_on: dt.date) -> None:
    problem = r.check()
    if problem:
        raise ValidationError({"rhythm": problem})
    if r.start < received_on:
        raise ValidationError({"rhythm_start": f"起算日期不能早于纳入日期（{format_cn(received_on)}）"})
    if r.start > today + dt.timedelta(days=366):
        raise ValidationError({"rhythm_start": "起算日期不能晚于一年以后"})


def check_measure(m: Measure, today: dt.date) -> Measure:
    m = clean_record(m)
    errors: dict[str, str] = {}
    limits.check(m, errors)
    kind = " ".join(m.kind.split())
    if not kind:
        errors["kind"] = "请选择帮扶措施"
    if m.on_date is None:
        errors["on_date"] = "请填写日期"
    elif out_of_range(m.on_date, "日期", today):
        errors["on_date"] = out_of_range(m.on_date, "日期", today)
    if m.amount_fen < 0:
        errors["amount"] = "金额不能为负数"
    if not m.detail.strip() and not m.benefit.strip():
        errors["detail"] = "请写明具体内容"
    if errors:
        raise ValidationError(errors)
    return Measure(kind=kind, detail=m.detail.strip(), helping_unit=" ".join(m.helping_unit.split()),
                   on_date=m.on_date, amount_fen=m.amount_fen, benefit=m.benefit.strip())


def visit_note(v: Visit, opened_case_no: str | None = None) -> str:
    """What the timeline says of a visit: when, who went, what was given, and the case a finding opened."""
    given = []
    if v.cash_fen:
        given.append(f"慰问金{format_yuan(v.cash_fen)}")
    if v.goods:
        given.append(f"{v.goods}（折合{format_yuan(v.goods_fen)}）")
    note = f"{format_cn(v.visited_on)}，走访人：{v.visitors}" + (f"；{'，'.join(given)}" if given else "")
    if v.finding is not None and opened_case_no:
        note += f"；发现{FINDING_KINDS[v.finding.kind]}，已登记{opened_case_no}"
    return note


def validate_visit(v: Visit, h: Household, today: dt.date, routes: tuple[str, ...] = ("petition",)) -> Visit:
    """Check a visit to `h`; `routes` are the kinds of case a finding may open (petition, mediation)."""
    v = clean_record(v)
    errors: dict[str, str] = {}
    limits.check(v, errors)
    if v.finding is not None:
        limits.check(v.finding, errors, "finding.")
    if v.visited_on is None:
        errors["visited_on"] = "请填写走访日期"
    elif out_of_range(v.visited_on, "走访日期", today):
        errors["visited_on"] = out_of_range(v.visited_on, "走访日期", today)
    elif v.visited_on < h.received_on:
        errors["visited_on"] = f"走访日期不能早于纳入日期（{format_cn(h.received_on)}）"
    visitors = " ".join(v.visitors.replace("，", "、").replace(",", "、").split())
    if not visitors:
        errors["visitors"] = "请填写走访人"
    elif len(visitors) > VISIT_LIMITS["visitors"][1]:
        errors["visitors"] = limits.message("走访人", VISIT_LIMITS["visitors"][1])
    if v.kind not in VISIT_KINDS:
        errors["kind"] = "请选择走访、慰问或帮扶"
    if v.cash_fen < 0:
        errors["cash"] = "金额不能为负数"
    goods = v.goods.strip()
    if v.goods_fen < 0:
        errors["goods_value"] = "金额不能为负数"
    elif goods and not v.goods_fen:
        errors["goods_value"] = "请填写物资折合金额"
    elif v.goods_fen and not goods:
        errors["goods"] = "请写明送了什么物资"
    seen = v.seen.strip()
    if not seen:
        errors["seen"] = "请简要记录走访看到的情况"
    promised = v.promised.strip()
    if promised and v.promise_due is None:
        errors["promise_due"] = "承诺了跟进事项，请填写办理期限"
    elif promised and v.visited_on and v.promise_due and v.promise_due < v.visited_on:
        errors["promise_due"] = "办理期限不能早于走访日期"
    elif promised and v.promise_due and too_far_ahead(v.promise_due, "办理期限", today):
        errors["promise_due"] = too_far_ahead(v.promise_due, "办理期限", today)
    finding = None
    if v.finding is not None:
        f = v.finding
        if f.kind not in FINDING_KINDS:
            errors["finding.kind"] = "请选择家庭暴力或家庭矛盾纠纷"
        if f.route not in routes:
            errors["finding.route"] = "请选择登记为信访还是纠纷调解"
        if not 0 <= f.person_index < h.size:
            errors["finding.person"] = "请选择当事人"
        facts = f.facts.strip() or seen
        if not facts:
            errors["finding.facts"] = "请写明发现的情况"
        request = f.request.strip()
        if not request:
            errors["finding.request"] = "请写明当事人的诉求"
        respondent = " ".join(f.respondent_name.split())
        if f.route == "mediation":
            if not respondent:
                errors["finding.respondent"] = "调解需要写明对方（被申请人）"
            elif 0 <= f.person_index < h.size and respondent == h.everyone[f.person_index].person.name:
                errors["finding.respondent"] = "对方不能是当事人本人"
            if f.mediator_id is None:
                errors["finding.mediator"] = "请选择调解员"
        finding = Finding(kind=f.kind, route=f.route, person_index=f.person_index, facts=facts, request=request,
                          respondent_name=respondent, respondent_relation=f.respondent_relation.strip(),
                          mediator_id=f.mediator_id, dispute_type=f.dispute_type.strip())
    if errors:
        raise ValidationError(errors)
    return Visit(visited_on=v.visited_on, visitors=visitors, kind=v.kind, cash_fen=v.cash_fen, goods=goods,
                 goods_fen=v.goods_fen, seen=seen, asked=v.asked.strip(), promised=promised,
                 promise_due=v.promise_due if promised else None, finding=finding)


# --- correcting what was saved (what every kind shares is in domain/corrections.py) --------------

LABELS: dict[str, str] = {
    "received_on": "纳入日期", "township": "乡镇", "village": "村（社区）", "address": "组、门牌",
    "household_type": "户类型", "causes": "主要致贫原因", "notes": "备注",
}
MEMBER_LABELS: dict[str, str] = {
    "relation": "与户主关系", "health": "健康状况", "work_ability": "劳动能力", "schooling": "在校生状况",
    "disability_card": "残疾证号",
}
VISIT_LABELS: dict[str, str] = {
    "visited_on": "走访日期", "visitors": "走访人", "kind": "类型", "cash": "慰问金", "goods": "慰问物资",
    "goods_value": "物资折合金额", "seen": "走访情况", "asked": "群众诉求", "promised": "承诺跟进事项",
    "promise_due": "办理期限",
}
MONEY = ("cash", "goods", "goods_value")  # what the 帮扶手册 adds up: changed after it was printed, a reason


def values(h: Household, care: CareList) -> dict[str, object]:
    """The entry's own details for compare, the list's fields as shown (extra.<key>)."""
    out: dict[str, object] = {name: getattr(h, name) for name in LABELS}
    out.update({f"extra.{f.key}": shown for f, (_label, shown) in zip(care.fields, extra_text(care, h.extra),
                                                                      strict=True)})
    return out


def labels(care: CareList) -> dict[str, str]:
    return {**LABELS, **{f"extra.{f.key}": f.label for f in care.fields}}


def member_values(m: Member) -> dict[str, object]:
    return {name: getattr(m, name) for name in MEMBER_LABELS}


def member_labels(care: CareList, prefix: str, head: bool = False) -> dict[str, str]:
    """A member's own fields (the head's relation is the list's word, never typed)."""
    relation = "与户主关系" if care.is_household else "与本人关系"
    return {name: prefix + (relation if name == "relation" else label) for name, label in MEMBER_LABELS.items()
            if not (head and name == "relation")}


def visit_values(v: Visit) -> dict[str, object]:
    """A visit's fields as the household page shows them (money as ¥, the kind in words)."""
    return {
        "visited_on": v.visited_on, "visitors": v.visitors, "kind": v.kind_label,
        "cash": format_yuan(v.cash_fen) if v.cash_fen else "", "goods": v.goods,
        "goods_value": format_yuan(v.goods_fen) if v.goods_fen else "", "seen": v.seen, "asked": v.asked,
        "promised": v.promised, "promise_due": v.promise_due if v.promised else None,
    }


def check_corrected(saved: Household, new: Household) -> None:
    """A correction of the entry's date must keep it before its first visit and its visit rhythm's start
    (unless that start is the date itself, which then moves with it)."""
    first = min((v.visited_on for v in saved.visits), default=None)
    if first is not None and new.received_on > first:
        raise ValidationError({"received_on": f"纳入日期不能晚于第一次走访（{format_cn(first)}）"})
    if saved.rhythm and saved.rhythm.start != saved.received_on and new.received_on > saved.rhythm.start:
        raise ValidationError({"received_on": f"纳入日期不能晚于走访周期的起算日期（{format_cn(saved.rhythm.start)}），"
                                              "请先修改走访周期"})


def check_lift(h: Household, on: dt.date, today: dt.date) -> None:
    if h.status != "helping":
        raise RuleError(f"此户当前为“{STATUS_LABELS[h.status]}”，不能标记脱贫")
    if h.care_list is not None and not h.care_list.is_household:
        raise RuleError("只有按户登记的名单可以标记脱贫")
    _check_status_date(on, today, h.received_on, "lifted_on", "脱贫日期")


def check_exit(h: Household, on: dt.date, reason: str, today: dt.date) -> str:
    """The reason, in normal form."""
    if h.status == "exited":
        raise RuleError("已经退出，不能再次退出")
    errors: dict[str, str] = {}
    label, most = LIMITS["exit_reason"]
    reason = limits.clean_text(reason, "exit_reason", label, errors, most=most, required="请写明退出原因")
    if errors:
        raise ValidationError(errors)
    _check_status_date(on, today, h.received_on, "exited_on", "退出日期")
    return reason


def check_task(title: str, due_on: dt.date | None, today: dt.date) -> str:
    """A follow-up to be done (待办): what, in normal form; its date not beyond any plan."""
    errors: dict[str, str] = {}
    label, most = TASK_LIMITS["title"]
    title = limits.clean_text(title, "title", label, errors, most=most, required="请写明要办的事", multiline=False)
    if due_on is None:
        errors["due_on"] = "请填写办理期限"
    elif too_far_ahead(due_on, "办理期限", today):
        errors["due_on"] = too_far_ahead(due_on, "办理期限", today)
    if errors:
        raise ValidationError(errors)
    return title


def check_task_done(on: dt.date, note: str, today: dt.date) -> str:
    """A follow-up done: the note, in normal form."""
    errors: dict[str, str] = {}
    if out_of_range(on, "办结日期", today):
        errors["done_on"] = out_of_range(on, "办结日期", today)
    label, most = TASK_LIMITS["done_note"]
    note = limits.clean_text(note, "done_note", label, errors, most=most)
    if errors:
        raise ValidationError(errors)
    return note


def check_resume(h: Household) -> None:
    if h.status == "helping":
        raise RuleError("已在帮扶中")


def _check_status_date(on: dt.date | None, today: dt.date, received_on: dt.date, field_name: str,
                       label: str) -> None:
    if on is None:
        raise ValidationError({field_name: f"请填写{label}"})
    if on > today:
        raise ValidationError({field_name: f"{label}不能晚于今天"})
    if on < received_on:
        raise ValidationError({field_name: f"{label}不能早于纳入日期（{format_cn(received_on)}）"})
    if too_early(on, label):
        raise ValidationError({field_name: too_early(on, label)})
