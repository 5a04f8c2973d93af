"""Referrals to a service (转介): what is recorded, its statuses and rules, the clocks.

One mechanism for every kind of help the office refers a woman to (SERVICES: 法律援助, 庇护所/救助管理站,
医院（验伤）, 心理咨询, 派出所, 民政（救助）, 残联, 学校, 村（居）委会): her consent, the letter in the service's
wording, the receipt, the reply within the service's time, the overdue chase. Legal aid is one such service,
with the law's own clocks and the means test:

A woman is referred to the legal-aid centre, a justice office or a law firm. Her consent to share
her details with that organisation is recorded before the referral goes out (and before its letter
can be printed); the organisation must decide within 7 days of receiving it (法律援助法 art. 43)
and assign a lawyer within 3 days of approving it (art. 44). A victim of domestic violence, abuse
or abandonment claiming her rights needs no means test (art. 32 item 4).

    awaiting_consent --consent--> referred --accept--> accepted --conclude--> concluded
                                           --refuse--> refused
         (any open status) --withdraw--> withdrawn
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from . import deadlines, kinds, limits, phone, statuses
from .attachments import Paper
from .dates import age_on, format_cn, out_of_range, too_early
from .errors import RuleError, ValidationError
from .money import format_yuan
from .people import PHONE_MAX, check_person
from .records import Person, Petition, TimelineEntry
from .text import clean_record

# --- words ---------------------------------------------------------------------------------------

MATTERS = ("离婚", "抚养", "赡养", "家庭暴力", "财产", "劳动", "人身损害", "其他")
ROLES = ("原告", "被告", "申请人", "被申请人", "第三人", "尚未确定")
LEGAL_STATES = ("尚未进入程序", "诉讼中", "仲裁中", "调解中")
HELP_KINDS = ("咨询", "代书", "诉讼代理", "仲裁代理", "调解代理", "申请人身安全保护令")
PAPERS = ("身份证", "户口簿", "结婚证/离婚证", "证据材料", "经济困难证明或个人诚信承诺", "告诫书或报警回执",
          "法律文书（起诉状、判决书等）")
# an attachment's kind (domain/attachments.KINDS) as the paper it is on the referral's list
ATTACHED_PAPERS = {"身份证明": "身份证", "证据": "证据材料", "照片": "证据材料"}
VICTIM_KINDS = ("家庭暴力", "虐待", "遗弃")  # 法律援助法 art. 32 item 4
DV = "家庭暴力"  # a matter and a victim kind both: referred for a matter of domestic violence, she is its victim
MEANS = ("个人诚信承诺", "经济困难证明", "社会救助对象等（免予核查）", "由接收机构核查")
OPPONENT_RELATIONS = ("丈夫", "前夫", "男友", "婆家", "父母", "子女", "兄弟姐妹", "用人单位", "其他")
ORGANISATION_KINDS = ("法律援助中心", "司法所", "律师事务所", "其他")
LEGAL_AID = kinds.LEGAL_AID
OTHER_RESULTS = ("已提供帮助", "部分提供", "她本人放弃", "未能提供", "其他")
CONSENT_BY = ("本人", "法定代理人或近亲属")
CONSENT_WAYS = ("书面签字", "口头同意")
RESULTS = ("调解结案", "判决", "撤诉", "咨询完毕", "代书完毕", "人身安全保护令已签发", "终止法律援助", "其他")

# The petition categories a matter counts under (the case list's 问题类别 filter works across kinds).
MATTER_CATEGORY = {
    "离婚": "婚姻家庭", "抚养": "婚姻家庭", "赡养": "婚姻家庭", "家庭暴力": "婚姻家庭",
    "财产": "财产权益", "劳动": "劳动和社会保障权益", "人身损害": "人身权益", "其他": "其他",
}
# What a petition's sub-kind suggests as the matter when she is referred from it.
_SUBCATEGORY_MATTER = {
    "离婚问题": "离婚", "家庭暴力": "家庭暴力", "配偶外遇/重婚/同居": "离婚", "劳动权益": "劳动",
    "社会保险": "劳动", "人身伤害": "人身损害", "土地承包": "财产", "征地补偿": "财产",
    "集体收益分配": "财产", "继承": "财产",
}
_CATEGORY_MATTER = {"劳动和社会保障权益": "劳动", "人身权益": "人身损害", "财产权益": "财产"}

STATUS_LABELS = statuses.REFERRAL  # (the words, with the other kinds', in statuses.py)
OPEN_STATUSES = ("awaiting_consent", "referred", "accepted")

ANSWER_DAYS = 7  # the organisation decides within 7 days of receiving the application (art. 43)
ASSIGN_DAYS = 3  # and assigns a lawyer within 3 days of approving it (art. 44)
ADULT_AGE = 18

LAW = "《中华人民共和国法律援助法》"
EXEMPTION_BASIS = f"{LAW}第三十二条第四项"
TEXT_MAX = 5000
SHORT_MAX = 40
SEP = "、"


class Service(NamedTuple):
    """A kind of help the office refers women to: its directory entries' kinds, what may be asked of it, the
    days it is asked to reply in (the law's where there is one), what the letter asks and cites, the results."""

    name: str
    organisation_kinds: tuple[str, ...]
    help_kinds: tuple[str, ...]
    answer_days: int
    asks: str  # the letter: 现将其转介至贵单位，{asks}
    basis: str = ""  # the law the letter cites for the service's part ('' when none)
    results: tuple[str, ...] = OTHER_RESULTS
    title: str = ""  # the letter's title when not "<name>转介函"

    @property
    def legal_aid(self) -> bool:
        return self.name == LEGAL_AID

    @property
    def letter_title(self) -> str:
        return self.title or f"{self.name}转介函"


_DV_LAW = "《中华人民共和国反家庭暴力法》"
SERVICES: dict[str, Service] = {s.name: s for s in (
    Service(LEGAL_AID, ORGANISATION_KINDS, HELP_KINDS, ANSWER_DAYS, "请依法审查并作出是否给予法律援助的决定。",
            f"{LAW}第四十三条", RESULTS),
    Service("庇护所/救助管理站", ("庇护所", "救助管理站", "其他"), ("临时庇护", "生活救助", "护送返乡", "其他帮助"), 1,
            "请为其提供临时庇护和生活帮助。", f"{_DV_LAW}第十八条", title="临时庇护转介函"),
    Service("医院（验伤）", ("医院", "卫生院", "司法鉴定机构", "其他"), ("验伤", "诊疗", "出具诊断证明", "伤情鉴定"), 3,
            "请为其验伤、诊治，如实做好诊疗记录，并出具诊断证明。", title="验伤就医转介函"),
    Service("心理咨询", ("心理咨询机构", "社会工作服务机构", "其他"), ("心理疏导", "危机干预", "子女心理辅导"), 7,
            "请为其提供心理疏导和危机干预。", f"{_DV_LAW}第九条"),
    Service("派出所", ("派出所", "公安局", "其他"), ("出警、制止", "出具告诫书", "调查取证", "查访、督促"), 3,
            "请依法及时处理，对加害人视情节出具告诫书，并对受害人的安全予以关注。", f"{_DV_LAW}第十五条、第十六条"),
    Service("民政（救助）", ("民政局", "乡镇（街道）民政办", "其他"), ("临时救助", "最低生活保障", "特困供养", "其他救助"), 7,
            "请按规定审核，对符合条件的给予救助。", title="社会救助转介函"),
    Service("残联", ("残疾人联合会", "其他"), ("康复服务", "辅助器具", "残疾人救助", "办理残疾人证"), 7,
            "请按规定为其提供帮助。", title="残疾人帮扶转介函"),
    Service("学校", ("学校", "教育局", "其他"), ("子女安全保护", "心理关怀", "转学安置", "学业帮扶"), 7,
            "请关注其子女在校的安全和心理状况，给予照顾。"),
    Service("村（居）委会", ("村民委员会", "居民委员会", "其他"), ("查访、监督", "化解家庭矛盾", "安全照看", "协助取证"), 7,
            "请对其家庭予以关注，定期查访，发现家庭暴力及时制止并告知我会。", f"{_DV_LAW}第十七条"),
    # also where a petition is passed on for handling (转办/交办: its 转送函 names the body from this directory)
    Service("人社（劳动保障）", ("人力资源和社会保障局", "劳动保障监察机构", "劳动人事争议仲裁委员会", "其他"),
            ("劳动保障监察", "劳动争议仲裁", "社会保险", "就业帮扶"), 7, "请依法处理，维护其劳动和社会保障权益。",
            title="劳动保障转介函"),
    Service("法院（诉讼服务）", ("人民法院", "人民法庭", "其他"), ("诉讼指导", "立案", "诉前调解", "人身安全保护令"), 7,
            "请依法为其提供诉讼指导和服务。", title="诉讼服务转介函"),
)}
SERVICE_NAMES = tuple(SERVICES)


def referral_words(service: str) -> str:
    """How a referral is named in lists and timelines: 法律援助转介, 转介（庇护所/救助管理站）."""
    return kinds.kind_label("referral", service)


def service_of(name: str) -> Service:
    """The service by its name (an unknown name reads as legal aid, as every referral was before 0021)."""
    return SERVICES.get(name) or SERVICES[LEGAL_AID]


def _service_word(text: str) -> str:
    """A service as a register may write it, compared without width, spaces, brackets or 转介 (转介（庇护所）: 庇护所)."""
    t = re.sub(r"[\s()（）/、·]", "", unicodedata.normalize("NFKC", text))
    return t.removeprefix("转介").removesuffix("转介").removesuffix("转介函")


def _service_words() -> dict[str, str]:
    """Word -> service: each service's name and its parts (庇护所, 救助管理站, 验伤, 民政), its letter's title (临时庇护),
    the kinds of organisation and the help only it gives (卫生院, 公安局, 心理疏导); a word two services share is left out."""
    words: dict[str, set[str]] = {}
    for s in SERVICES.values():
        for word in (s.name, *re.split(r"[（）/]", s.name), s.letter_title, *s.organisation_kinds, *s.help_kinds):
            if word and not word.startswith("其他"):
                words.setdefault(_service_word(word), set()).add(s.name)
    for word, name in (("法援", LEGAL_AID), ("村委会", "村（居）委会"), ("居委会", "村（居）委会"), ("公安", "派出所"),
                       ("救助站", "庇护所/救助管理站"), ("庇护", "庇护所/救助管理站"), ("心理", "心理咨询"), ("就医", "医院（验伤）"),
                       ("法院", "法院（诉讼服务）"), ("人社", "人社（劳动保障）")):
        words.setdefault(_service_word(word), set()).add(name)
    return {w: next(iter(names)) for w, names in words.items() if w and len(names) == 1}


_SERVICE_WORDS: dict[str, str] = {}


def service_named(text: str) -> str:
    """The service a register's cell names ('' when it names none): 法律援助, 法律援助转介, 转介（庇护所/救助管理站）,
    庇护所, 验伤, 民政救助, 公安 …"""
    if not _SERVICE_WORDS:
        _SERVICE_WORDS.update(_service_words())
    return _SERVICE_WORDS.get(_service_word(text), "")


# --- records -------------------------------------------------------------------------------------


@dataclass
class Organisation:
    name: str
    kind: str = "法律援助中心"
    address: str = ""
    contact_person: str = ""
    phone: str = ""
    active: bool = True
    id: int | None = None
    service: str = LEGAL_AID  # which help it gives (SERVICES)

    @property
    def label(self) -> str:
        """The name, with the kind when the name does not say it: 城关镇司法所, 某某援助站（其他）."""
        return self.name if self.kind in self.name else f"{self.name}（{self.kind}）"

    def contact(self) -> str:
        """地址：… · 联系人：… · 电话：… (what is known)."""
        parts = [f"{k}：{v}" for k, v in (("地址", self.address), ("联系人", self.contact_person),
                                          ("电话", self.phone)) if v]
        return " · ".join(parts)

    def describe(self) -> str:
        """One line for lists: 县法律援助中心 · 地址：… · 电话：…"""
        return " · ".join(x for x in (self.label, self.contact()) if x)


@dataclass
class Consent:
    on: dt.date
    by: str = "本人"  # 本人 / 法定代理人或近亲属
    name: str = ""  # who gave it, when not herself
    way: str = "书面签字"


@dataclass
class Referral:
    referred_on: dt.date
    applicant: Person  # the woman referred (申请人)
    township: str
    village: str
    matter: str
    role: str
    legal_state: str
    help_kinds: list[str]
    facts: str
    organisation: Organisation | None  # chosen from the directory (its id), copied when saved
    staff: str
    staff_phone: str = ""
    request: str = ""
    occupation: str = ""
    opponent_name: str = ""
    opponent_relation: str = ""
    victim_of: list[str] = field(default_factory=list)
    means: str = ""
    household_size: int | None = None
    household_income: int | None = None  # fen per year
    papers: list[str] = field(default_factory=list)
    papers_other: str = ""
    consent: Consent | None = None
    # for printing only (services fill them in; never saved from a form): the case's attachments (附件) as
    # (kind, what it is), ticked among the papers sent; her consent signed on screen (PNG, the day)
    attached: list[tuple[str, str]] = field(default_factory=list)
    consent_signature: tuple[bytes, dt.date] | None = None
    copies: list[Paper] = field(default_factory=list)  # the attached images and PDFs, when copies go with the letter
    service: str = LEGAL_AID  # the kind of help she is referred for (SERVICES)
    # filled in as the referral moves on
    id: int | None = None
    case_no: str = ""
    status: str = "awaiting_consent"
    sent_on: dt.date | None = None
    answered_on: dt.date | None = None
    lawyer: str = ""
    lawyer_phone: str = ""
    refused_reason: str = ""
    withdrawn_on: dt.date | None = None
    withdrawn_reason: str = ""
    result: str = ""
    result_note: str = ""
    concluded_on: dt.date | None = None
    created_at: dt.datetime | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (case id, case no, kind)

    @property
    def exempt(self) -> bool:
        """No means test: a victim of domestic violence, abuse or abandonment claiming her rights."""
        return self.legal_aid and means_exempt(self.victim_of)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def category(self) -> str:
        return MATTER_CATEGORY.get(self.matter, "其他")

    @property
    def legal_aid(self) -> bool:
        return self.service == LEGAL_AID

    @property
    def kind(self) -> Service:
        return service_of(self.service)

    def papers_text(self) -> str:
        return SEP.join([*self.papers, *([self.papers_other] if self.papers_other else [])])

    def papers_sent(self) -> tuple[list[str], list[str]]:
        """The papers ticked on the letter: those ticked on the form and those the case has as attachments (an ID
        card copy ticks 身份证, evidence and photos 证据材料); and the other attachments, named."""
        ticked = list(self.papers)
        others: list[str] = []
        for kind, label in self.attached:
            paper = ATTACHED_PAPERS.get(kind)
            if paper and paper in PAPERS:
                if paper not in ticked:
                    ticked.append(paper)
            else:
                others.append(f"{kind}（{label}）" if label else kind)
        return [p for p in PAPERS if p in ticked], others


_LIST = limits.LIST_VALUE_MAX
# what the letter, its receipt and the summary print of each (long text flows on; a short one stays in its cell)
LIMITS = limits.define(Referral, {
    "township": ("乡镇", _LIST), "village": ("村（社区）", _LIST), "matter": ("纠纷事项", 10), "role": ("她在案件中的身份", 10),
    "legal_state": ("案件所处阶段", 10), "facts": ("案情和申请理由", TEXT_MAX), "staff": ("经办人", _LIST),
    "staff_phone": ("经办人电话", PHONE_MAX), "request": ("诉求", TEXT_MAX), "occupation": ("职业或工作单位", SHORT_MAX),
    "opponent_name": ("对方当事人", limits.NAME_MAX), "opponent_relation": ("与她的关系", 20), "means": ("经济困难的说明", 20),
    "papers_other": ("其他材料", 100), "case_no": ("案件编号", 30), "status": ("状态", 20), "lawyer": ("承办人", 30),
    "lawyer_phone": ("承办人电话", PHONE_MAX), "refused_reason": ("不予受理的理由", TEXT_MAX),
    "withdrawn_reason": ("撤回的原因", TEXT_MAX), "result": ("办理结果", 20), "result_note": ("情况说明", TEXT_MAX),
})
CONSENT_LIMITS = limits.define(Consent, {"by": ("由谁同意", 20), "name": ("同意人", SHORT_MAX), "way": ("同意的方式", 10)})
ORGANISATION_LIMITS = limits.define(Organisation, {
    "name": ("机构名称", SHORT_MAX), "kind": ("机构类别", 10), "address": ("地址", 80), "contact_person": ("联系人", 30),
    "phone": ("电话", PHONE_MAX),
})


# --- the means test (art. 32) ----------------------------------------------------------------------


def means_exempt(victim_of: list[str] | tuple[str, ...]) -> bool:
    return any(v in VICTIM_KINDS for v in victim_of)


def exemption_text(victim_of: list[str] | tuple[str, ...]) -> str:
    """The sentence the form shows and the letter states; '' when she is not exempt."""
    kinds = [v for v in VICTIM_KINDS if v in victim_of]
    if not kinds:
        return ""
    return (f"申请人系遭受{'、'.join(kinds)}的受害人，为主张相关权益申请法律援助，依据{EXEMPTION_BASIS}，"
            "不受经济困难条件的限制。")


def suggested_papers(r: Referral) -> list[str]:
    """Papers the organisation will usually want that are not ticked (a hint, not a rule)."""
    wanted = ["身份证"]
    if r.matter == "离婚":
        wanted.append("结婚证/离婚证")
    if not r.exempt and r.means in ("个人诚信承诺", "经济困难证明"):
        wanted.append("经济困难证明或个人诚信承诺")
    return [p for p in wanted if p not in r.papers]


# --- from a petition -------------------------------------------------------------------------------


def victims_implied(matter: str, victim_of: list[str]) -> list[str]:
    """受害情形 as ticked, and 家庭暴力 when that is the matter she is referred for (one fact, entered once:
    the form, an imported register and the command line agree)."""
    return [*victim_of, DV] if matter == DV and DV not in victim_of else list(victim_of)


def matter_for(category: str, subcategory: str, dv: bool) -> str:
    if dv and subcategory != "离婚问题":
        return "家庭暴力"
    return _SUBCATEGORY_MATTER.get(subcategory) or _CATEGORY_MATTER.get(category) or (
        "离婚" if category == "婚姻家庭" else "其他")


def split(text: str) -> list[str]:
    return [t for t in (text or "").split(SEP) if t]


def join(items: list[str] | tuple[str, ...]) -> str:
    return SEP.join(items)


# --- validation ------------------------------------------------------------------------------------


def _text(value: str, field_name: str, label: str, errors: dict[str, str], required: bool = False,
          limit: int | None = None, multiline: bool = False, limits_of: limits.Limits = LIMITS) -> str:
    """The text in normal form (domain/text.py), checked: given when `required`, within its limit (`limit`, else
    the field's in `limits_of`)."""
    most = limit if limit is not None else limits_of[field_name][1]
    return limits.clean_text(value, field_name, label, errors, most=most, required=f"请填写{label}" if required else "",
                             multiline=multiline)


def _phone(value: str, field_name: str, errors: dict[str, str]) -> str:
    if not value.strip():
        return ""
    try:
        return phone.validate_phone(value)
    except phone.PhoneError as e:
        errors[field_name] = str(e)
        return value.strip()


def validate_organisation(o: Organisation) -> Organisation:
    errors: dict[str, str] = {}
    name = _text(o.name, "name", "机构名称", errors, required=True, limits_of=ORGANISATION_LIMITS)
    if o.service not in SERVICES:
        errors["service"] = "请选择这个机构提供的服务"
    elif o.kind not in SERVICES[o.service].organisation_kinds:
        errors["kind"] = "请选择机构类别"
    address = _text(o.address, "address", "地址", errors, limits_of=ORGANISATION_LIMITS)
    contact = _text(o.contact_person, "contact_person", "联系人", errors, limits_of=ORGANISATION_LIMITS)
    tel = _phone(o.phone, "phone", errors)
    if errors:
        raise ValidationError(errors)
    return Organisation(name=name, kind=o.kind, address=address, contact_person=contact,
                        phone=tel, active=o.active, id=o.id, service=o.service)


def minor_on(p: Person, on: dt.date) -> bool:
    return p.birth_date is not None and age_on(p.birth_date, on) < ADULT_AGE


def _check_consent(c: Consent, applicant: Person, not_before: dt.date, today: dt.date,
                   errors: dict[str, str], legal_aid: bool = True) -> Consent:
    if c.on is None:
        errors["consent_on"] = "请填写同意日期"
    elif out_of_range(c.on, "同意日期", today):
        errors["consent_on"] = out_of_range(c.on, "同意日期", today)
    elif c.on < not_before:
        errors["consent_on"] = f"同意日期不能早于转介日期（{format_cn(not_before)}）"
    if c.by not in CONSENT_BY:
        errors["consent_by"] = "请选择由谁同意"
    if c.way not in CONSENT_WAYS:
        errors["consent_way"] = "请选择同意的方式"
    name = limits.clean_text(c.name, "consent_name", "同意人", errors, most=CONSENT_LIMITS["name"][1], multiline=False)
    if c.by == "本人" and c.on is not None and minor_on(applicant, c.on):
        errors["consent_by"] = "她未满十八周岁，应由法定代理人或近亲属同意" + ("（法律援助法第四十条）" if legal_aid else "")
    if c.by != "本人" and not name and "consent_name" not in errors:
        errors["consent_name"] = "请填写同意人的姓名和与她的关系"
    return Consent(on=c.on, by=c.by, name=name if c.by != "本人" else "", way=c.way)


def validate_referral(r: Referral, today: dt.date) -> Referral:
    """A normalised copy of the referral form, or ValidationError (field -> message).

    The applicant's fields are keyed `applicant.<field>`."""
    r = clean_record(r)
    errors: dict[str, str] = {}
    limits.check(r, errors)
    if r.organisation is not None:
        limits.check(r.organisation, errors, "organisation.")
    if r.referred_on is None:
        errors["referred_on"] = "请填写转介日期"
    elif out_of_range(r.referred_on, "转介日期", today):
        errors["referred_on"] = out_of_range(r.referred_on, "转介日期", today)
    applicant = check_person(r.applicant, today, errors, "applicant.")
    if r.service not in SERVICES:
        errors["service"] = "请选择转介的服务类别"
    service = service_of(r.service)
    legal_aid = service.legal_aid
    if r.organisation is None or not r.organisation.name.strip():
        errors["organisation"] = "请选择接收机构（可在“机构名录”中添加）"
    township = _text(r.township, "township", "乡镇", errors, required=True)
    village = _text(r.village, "village", "村（社区）", errors)
    if r.matter not in MATTERS:
        errors["matter"] = "请选择纠纷事项"
    if legal_aid and r.role not in ROLES:
        errors["role"] = "请选择她在案件中的身份"
    if legal_aid and r.legal_state not in LEGAL_STATES:
        errors["legal_state"] = "请选择案件所处阶段"
    help_kinds = [h for h in service.help_kinds if h in r.help_kinds]
    if not help_kinds:
        errors["help_kinds"] = "请至少选择一项申请的帮助"
    facts = _text(r.facts, "facts", "案情和申请理由", errors, required=True, multiline=True)
    request = _text(r.request, "request", "诉求", errors, multiline=True)
    staff = _text(r.staff, "staff", "经办人", errors, required=True)
    staff_phone = _phone(r.staff_phone, "staff_phone", errors)
    occupation = _text(r.occupation, "occupation", "职业或工作单位", errors)
    opponent_name = _text(r.opponent_name, "opponent_name", "对方当事人", errors)
    opponent_relation = _text(r.opponent_relation, "opponent_relation", "与她的关系", errors)
    victim_of = [v for v in VICTIM_KINDS if v in victims_implied(r.matter, r.victim_of)]
    means = ""
    if legal_aid and not means_exempt(victim_of):
        if r.means not in MEANS:
            errors["means"] = "请选择经济状况的说明方式（家庭暴力、虐待、遗弃的受害人免予经济困难审查）"
        else:
            means = r.means
    household_size, household_income = (r.household_size, r.household_income) if legal_aid else (None, None)
    if household_size is not None and not 1 <= household_size <= 50:
        errors["household_size"] = "家庭人口应在1至50人之间"
    if household_income is not None and not 0 <= household_income <= 100_000_000_00:
        errors["household_income"] = "家庭年收入不合理，请核对"
    papers = [p for p in PAPERS if p in r.papers]
    papers_other = _text(r.papers_other, "papers_other", "其他材料", errors)
    consent = None
    if r.consent is not None:
        consent = _check_consent(r.consent, applicant, r.referred_on or today, today, errors, legal_aid)
    if errors:
        raise ValidationError(errors)
    return Referral(
        referred_on=r.referred_on, applicant=applicant, township=township, village=village, matter=r.matter,
        role=r.role if legal_aid else "", legal_state=r.legal_state if legal_aid else "", help_kinds=help_kinds,
        facts=facts, request=request, service=r.service,
        organisation=r.organisation, staff=staff, staff_phone=staff_phone, occupation=occupation,
        opponent_name=opponent_name, opponent_relation=opponent_relation, victim_of=victim_of, means=means,
        household_size=household_size, household_income=household_income, papers=papers,
        papers_other=papers_other, consent=consent,
    )


# --- the clocks ------------------------------------------------------------------------------------


def answer_deadline(sent_on: dt.date, service: str = LEGAL_AID) -> deadlines.Deadline:
    """The day the organisation should have replied by: the law's 7 days for legal aid, the service's own else."""
    return deadlines.Deadline("答复是否受理", deadlines.add_days(sent_on, service_of(service).answer_days))


def late_words(r: Referral) -> str:
    """'超过法定七日' (legal aid) or '超过3日答复期' (what the letter asked of another service)."""
    return "超过法定七日" if r.legal_aid else f"超过{r.kind.answer_days}日答复期"


def current_deadline(r: Referral) -> deadlines.Deadline | None:
    if r.status == "referred" and r.sent_on:
        return answer_deadline(r.sent_on, r.service)
    if r.status == "accepted" and r.legal_aid and not r.lawyer and r.answered_on:
        return deadlines.Deadline("指派承办人", deadlines.add_days(r.answered_on, ASSIGN_DAYS))
    return None


def waiting_days(r: Referral, today: dt.date) -> int | None:
    """Days since the referral went out, while no answer has come."""
    if r.status != "referred" or r.sent_on is None:
        return None
    return (today - r.sent_on).days


def waiting_too_long(r: Referral, today: dt.date) -> bool:
    days = waiting_days(r, today)
    return days is not None and days > r.kind.answer_days


def clock_text(r: Referral, today: dt.date) -> str:
    """The 7-day clock as the referral page shows it."""
    days = waiting_days(r, today)
    if days is not None:
        assert r.sent_on is not None
        due = answer_deadline(r.sent_on, r.service).due_on
        if days > r.kind.answer_days:
            return (f"已转介{days}天仍未答复，{late_words(r)}（应于{format_cn(due)}前答复），"
                    "请联系接收机构催问")
        left = (due - today).days
        return f"已转介第{days}天，" + (f"{left}天内应答复是否受理" if left else "今天应答复是否受理") + \
            f"（{format_cn(due)}前）"
    d = current_deadline(r)
    if d is not None:
        return d.describe(today) + f"（{format_cn(d.due_on)}）"
    if r.status == "awaiting_consent":
        return "待本人同意：同意前不能打印和发出转介函"
    return ""


def answer_note(r: Referral, on: dt.date) -> str:
    """'转介后第3天答复' (and whether the 7 days were kept)."""
    if r.sent_on is None:
        return ""
    days = (on - r.sent_on).days
    late = days > r.kind.answer_days
    return f"转介后第{days}天答复" + (f"，{late_words(r)}" if late else "")


# --- the rules of each step ------------------------------------------------------------------------


def _need(r: Referral, allowed: tuple[str, ...], action: str) -> None:
    if r.status not in allowed:
        raise RuleError(f"此转介当前为“{STATUS_LABELS[r.status]}”，不能{action}")


def _check_date(d: dt.date | None, today: dt.date, field_name: str, label: str, not_before: dt.date) -> None:
    if d is None:
        raise ValidationError({field_name: f"请填写{label}"})
    if d > today:
        raise ValidationError({field_name: f"{label}不能晚于今天"})
    if d < not_before:
        raise ValidationError({field_name: f"{label}不能早于{format_cn(not_before)}"})
    if too_early(d, label):
        raise ValidationError({field_name: too_early(d, label)})


def check_consent(r: Referral, c: Consent, today: dt.date) -> Consent:
    _need(r, ("awaiting_consent",), "登记本人同意")
    errors: dict[str, str] = {}
    out = _check_consent(c, r.applicant, r.referred_on, today, errors, r.legal_aid)
    if errors:
        raise ValidationError(errors)
    return out


def check_printable(r: Referral) -> None:
    """The letter carries her details to another organisation: only with her consent."""
    if r.status == "withdrawn":
        raise RuleError("这件转介已撤回，不能再打印转介函。")
    if r.consent is None:
        raise RuleError("还没有登记她同意把个人信息提供给接收机构。请先点“登记本人同意”，再打印转介函。")


def check_accept(r: Referral, on: dt.date, lawyer: str, lawyer_phone: str, today: dt.date) -> tuple[str, str]:
    """Returns the lawyer's name and phone, normalised."""
    _need(r, ("referred",), "登记受理")
    _check_date(on, today, "answered_on", "受理日期", r.sent_on or r.referred_on)
    return _check_lawyer(lawyer, lawyer_phone, required=False)


def _check_lawyer(lawyer: str, lawyer_phone: str, required: bool) -> tuple[str, str]:
    errors: dict[str, str] = {}
    name = _text(lawyer, "lawyer", "承办人", errors, required=required)
    tel = _phone(lawyer_phone, "lawyer_phone", errors)
    if errors:
        raise ValidationError(errors)
    return name, tel


def check_assign(r: Referral, lawyer: str, lawyer_phone: str) -> tuple[str, str]:
    _need(r, ("accepted",), "登记承办人")
    return _check_lawyer(lawyer, lawyer_phone, required=True)


def _step_text(value: str, key: str, field_name: str, required: str) -> str:
    """A step's text (a reason, a note) in normal form, or ValidationError keyed `key`."""
    errors: dict[str, str] = {}
    label, most = LIMITS[field_name]
    out = limits.clean_text(value, key, label, errors, most=most, required=required)
    if errors:
        raise ValidationError(errors)
    return out


def check_refuse(r: Referral, reason: str, on: dt.date, today: dt.date) -> str:
    """The reason, in normal form."""
    _need(r, ("referred",), "登记不予受理")
    reason = _step_text(reason, "reason", "refused_reason", "请写明接收机构不予受理的理由")
    _check_date(on, today, "answered_on", "答复日期", r.sent_on or r.referred_on)
    return reason


def check_withdraw(r: Referral, reason: str, on: dt.date, today: dt.date) -> str:
    """The reason, in normal form."""
    _need(r, OPEN_STATUSES, "撤回")
    reason = _step_text(reason, "reason", "withdrawn_reason", "请写明撤回的原因（如她本人不再申请）")
    _check_date(on, today, "withdrawn_on", "撤回日期", r.referred_on)
    return reason


def check_conclude(r: Referral, result: str, note: str, on: dt.date, today: dt.date) -> str:
    """The note, in normal form."""
    _need(r, ("accepted",), "办结")
    if result not in r.kind.results:
        raise ValidationError({"result": "请选择办理结果"})
    note = _step_text(note, "result_note", "result_note", "结果为“其他”时请写明情况" if result == "其他" else "")
    _check_date(on, today, "concluded_on", "办结日期", r.answered_on or r.referred_on)
    return note


def check_papers(r: Referral, papers: list[str], other: str) -> tuple[list[str], str]:
    _need(r, OPEN_STATUSES, "修改移送材料")
    errors: dict[str, str] = {}
    other = _text(other, "papers_other", "其他材料", errors)
    if errors:
        raise ValidationError(errors)
    return [p for p in PAPERS if p in papers], other


def draft_from_petition(p: Petition, today: dt.date, staff: str, service: str = LEGAL_AID) -> Referral:
    """A referral form filled from a petition: the woman, her contact details, the facts carried over."""
    woman = p.woman
    text = p.facts + p.request
    return Referral(
        service=service,
        referred_on=today,
        applicant=Person(**{k: getattr(woman, k) for k in Person.__dataclass_fields__}),
        township=p.township, village=p.village,
        matter=matter_for(p.category, p.subcategory, p.dv), role="", legal_state="",
        help_kinds=["申请人身安全保护令"] if "保护令" in text and service == LEGAL_AID else [],
        facts=p.facts, request=p.request, organisation=None, staff=staff,
        opponent_name=p.respondent_name, opponent_relation=p.respondent_relation,
        victim_of=["家庭暴力"] if p.dv else [],
    )


# --- correcting a saved referral (domain/corrections.py) ----------------------------------------------

# The referral's own fields a correction may change, with their names on the form, in the form's order; the
# applicant is compared field by field too. Her consent and the organisation's answer are steps of their own
# (their dialogs on the referral's page), not corrected here; the case number never changes.
CORRECTION_LABELS = {
    "service": "服务类别", "referred_on": "转介日期", "organisation": "接收机构", "staff": "经办人", "staff_phone": "经办人电话",
    "township": "乡镇", "village": "村（社区）", "occupation": "职业或工作单位", "matter": "纠纷事项",
    "role": "她在案件中的身份", "legal_state": "案件所处阶段", "help_kinds": "申请的帮助",
    "opponent_name": "对方当事人", "opponent_relation": "与她的关系", "facts": "案情和申请理由", "request": "诉求",
    "victim_of": "她是否遭受", "means": "经济困难的说明", "household_size": "家庭人口",
    "household_income": "家庭年收入", "papers": "材料清单", "papers_other": "其他材料",
}
CLOSED_WORDS = {"refused": "接收机构已答复不予受理", "withdrawn": "已撤回", "concluded": "已办结"}


def correction_values(r: Referral) -> dict[str, object]:
    values: dict[str, object] = {f: getattr(r, f) for f in CORRECTION_LABELS}
    values["organisation"] = r.organisation.name if r.organisation else ""
    values["household_size"] = r.household_size or ""
    values["household_income"] = format_yuan(r.household_income) if r.household_income is not None else ""
    return values


def check_referred_on(saved: Referral, referred_on: dt.date) -> None:
    """A corrected referral date may not come after what followed it (her consent, the answer, the end)."""
    later = ((saved.consent.on if saved.consent else None, "同意日期"), (saved.answered_on, "答复日期"),
             (saved.withdrawn_on, "撤回日期"), (saved.concluded_on, "办结日期"))
    for when, label in later:
        if when is not None and referred_on > when:
            raise ValidationError({"referred_on": f"转介日期不能晚于{label}（{format_cn(when)}）"})
