"""Made-up demo data for the kinds of work besides petitions: legal-aid referrals, mediations, households
and people on care lists — and the petitions that lead to them or come from them.

Each case is told as a story (demo_stories.py: the services' actions, stamped with their moments) whose
steps fit its age: referrals mostly answered within the seven days, a few waiting too long; mediations
mostly closed (most 和好, agreements with their items, some 调解不成), return visits done or due;
households with members, cadres, measures, monthly visits with cash and goods over the last two years,
promised follow-ups, some visits due or overdue this month. People come back: a woman who petitioned is
referred, a household's visit finds violence and opens a petition, a mother on the register asks for
mediation with her son. demo.py decides how many of each and when; this module makes them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..domain import household as household_rules
from ..domain import mediation as mediation_rules
from ..domain import referral as referral_rules
from ..domain.dates import format_cn
from ..domain.household import Cadre, CareList, Finding, Household, Measure, Member, Visit
from ..domain.mediation import (
    Agreement,
    AgreementItem,
    Closing,
    Investigation,
    Mediation,
    Mediator,
    Party,
    ReturnVisit,
    Session,
)
from ..domain.records import Person
from ..domain.referral import Consent, Organisation, Referral
from ..domain.rhythm import Rhythm
from ..services import mediations as mediation_service
from ..services.context import Context
from ..store import bulk
from ..store import households as household_store
from ..store import mediations as mediation_store
from ..store import organisations as organisation_store
from . import stories

if TYPE_CHECKING:
    import sqlite_utils

    from .petitions import Scenario, _Maker, _State

VISIT_YEARS = 2  # visits are on record for the last two years
RECENT_DAYS = 45
TASK_LATE_DAYS = 40  # a follow-up forgotten at first is done this many days late (never left open for a year)


def age_on(birth: dt.date, on: dt.date) -> int:
    """domain.dates.age_on (whole years), without relativedelta: it is asked often here."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _fmt(template: str, values: dict[str, Any]) -> str:
    return template.format(**values)


# --------------------------------------------------------------------------------------------
# The world the cases live in: staff, the directory, the roster, the care lists


class World:
    """What every case needs: the random source, the day, the people maker, the office's lists."""

    def __init__(self, ctx: Context, db: sqlite_utils.Database, rng: random.Random, state: _State,
                 maker: _Maker) -> None:
        self.rng, self.s, self.maker = rng, state, maker
        self.today, self.now = state.today, state.now
        self.orgs = organisation_store.all_(db)
        self.roster = self._roster(db)
        self.active = [m for m in self.roster if m.active]
        self.committee = mediation_service.committee_name(ctx)
        self.care = {c.name: c for c in household_store.care_lists(db)}
        self.staff_phone = {name: maker.phone() for name in state.staff}
        self.combos = set(state.combos)

    def lists(self) -> dict[str, Any]:
        """The office's lists it read (to make cases elsewhere with `again`)."""
        return {k: getattr(self, k) for k in ("orgs", "roster", "active", "committee", "care", "staff_phone", "combos")}

    @classmethod
    def again(cls, lists: dict[str, Any], rng: random.Random, state: _State, maker: _Maker) -> World:
        """The same office's lists (`lists`) with a random source and people maker of its own (demo/workers.py)."""
        w = cls.__new__(cls)
        w.rng, w.s, w.maker = rng, state, maker
        w.today, w.now = state.today, state.now
        for k, v in lists.items():
            setattr(w, k, v)
        return w

    def _roster(self, db: sqlite_utils.Database) -> list[Mediator]:
        """The mediator roster; a demo office without one gets a few made-up mediators."""
        if len([m for m in mediation_store.mediators(db) if m.active]) < 3:
            for i, title in enumerate(("专职调解员", "专职调解员", "兼职调解员", "兼职调解员", "律师")):
                name = self.maker.name(i != 4 and self.rng.random() < 0.8)
                if mediation_store.mediator_by_name(db, name) is None:
                    mediation_store.save_mediator(db, Mediator(name, self.maker.phone(), title), self.now)
        return mediation_store.mediators(db, include_inactive=True)

    def staff(self) -> str:
        return self.rng.choice(self.s.staff)

    def at(self, day: dt.date, after: dt.datetime | None) -> dt.datetime:
        return self.maker._at(day, after)

    def place(self) -> tuple[str, str]:
        township, villages = self.rng.choice(self.s.townships)
        return township, self.rng.choice(villages) if villages else ""

    def remember(self, woman: Person, category: str, sub: str, township: str, village: str) -> None:
        """Women with an ID number may come back later, about this or something else."""
        from .petitions import _Woman

        if woman.id_number and (category, sub) in self.combos:
            self.s.came(_Woman(woman, category, sub, township, village))

    def returning(self, chance: float, young: bool = False) -> Any:
        """Now and then a woman already on file (a _Woman), else None."""
        from .petitions import RECENT

        if self.s.recent and self.rng.random() < chance:
            w = self.rng.choice(self.s.recent[-RECENT:])
            if w.person.birth_date and (young or age_on(w.person.birth_date, self.today) >= 18):
                return w
        return None

    def day_after(self, start: dt.date, days: int) -> dt.date:
        return min(start + dt.timedelta(days=days), self.today)


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _male_name(w: World, surname: str = "") -> str:
    return w.maker.name(False, surname)


def _surname(name: str) -> str:
    from .petitions import _surname as surname

    return surname(name)


_OCCUPATIONS = ("务农", "务农", "务农", "外出务工", "个体经营", "无业", "家政服务员", "超市收银员", "餐馆服务员",
                "保洁员", "乡村教师", "小学教师")
_MALE_JOBS = ("务农", "务农", "外出务工", "外出务工", "货车司机", "个体经营", "建筑工人", "无业")

# --------------------------------------------------------------------------------------------
# Legal-aid referrals


@dataclass(frozen=True)
class _Matter:
    weight: int
    stages: tuple[tuple[str, str], ...]  # (role, legal state)
    helps: tuple[tuple[str, ...], ...]
    opponents: tuple[str, ...]
    facts: tuple[str, ...]
    requests: tuple[str, ...]
    results: tuple[str, ...]
    victim: float = 0.0  # chance she is a victim of violence, abuse or abandonment (art. 32)


_MATTERS: dict[str, _Matter] = {
    "离婚": _Matter(
        30, (("原告", "尚未进入程序"),) * 4 + (("原告", "诉讼中"), ("被告", "诉讼中")),
        (("咨询", "诉讼代理"), ("诉讼代理",), ("代书",), ("咨询",)), ("丈夫",),
        ("{woman}与{opp}于{wed}年结婚，育有{kids}。{opp}长期沉迷赌博，欠下外债约{amount}，夫妻感情破裂。",
         "{woman}与{opp}结婚{yrs}年，{opp}外出务工后与他人同居，已{months}未回家，也不给家里寄钱。",
         "{woman}与{opp}婚后经常因家庭琐事争吵，已分居{months}，{opp}拒绝协议离婚。"),
        ("请求法律援助，代理其离婚诉讼，争取孩子的抚养权并依法分割夫妻共同财产。",
         "请求帮助起草离婚起诉状。", "请求提供离婚方面的法律咨询。"),
        ("判决", "调解结案", "调解结案", "撤诉", "代书完毕", "咨询完毕"), victim=0.15),
    "家庭暴力": _Matter(
        20, (("申请人", "尚未进入程序"),) * 3 + (("原告", "尚未进入程序"),),
        (("申请人身安全保护令",), ("申请人身安全保护令", "诉讼代理"), ("咨询", "申请人身安全保护令")), ("丈夫", "前夫", "男友"),
        ("{opp}酒后多次殴打{woman}，{date}又将其打伤，派出所已出具家庭暴力告诫书。",
         "{woman}长期遭受{opp}的打骂，{date}被{opp}用皮带抽打致多处软组织挫伤，已报警并就医。"),
        ("请求帮助向法院申请人身安全保护令。", "请求代为申请人身安全保护令并代理离婚诉讼。"),
        ("人身安全保护令已签发", "人身安全保护令已签发", "判决", "调解结案"), victim=1.0),
    "抚养": _Matter(
        12, (("原告", "尚未进入程序"), ("申请人", "尚未进入程序")),
        (("诉讼代理",), ("咨询", "代书")), ("前夫",),
        ("{woman}与{opp}于{wed}年离婚，孩子随{woman}生活，{opp}应每月支付抚养费{monthly}，已{months}未付。",),
        ("请求代理追索抚养费。", "请求帮助申请强制执行抚养费。"),
        ("调解结案", "判决", "代书完毕")),
    "赡养": _Matter(
        6, (("原告", "尚未进入程序"),),
        (("诉讼代理",), ("咨询",)), ("子女",),
        ("{woman}今年{age}岁，丈夫已去世，儿子{opp}不履行赡养义务，还占用了她的承包地。",),
        ("请求代理追索赡养费。",),
        ("调解结案", "判决"), victim=0.3),
    "财产": _Matter(
        10, (("原告", "尚未进入程序"), ("原告", "诉讼中")),
        (("诉讼代理",), ("咨询",)), ("兄弟姐妹", "其他"),
        ("{woman}的父母去世后留下房屋一栋，{opp}以出嫁女无继承权为由独占全部遗产。",
         "村组以{woman}已出嫁为由，不分给她征地补偿款，应得约{amount}。"),
        ("请求代理继承纠纷诉讼。", "请求代理追索征地补偿款。"),
        ("判决", "调解结案", "咨询完毕")),
    "劳动": _Matter(
        12, (("申请人", "尚未进入程序"), ("申请人", "仲裁中")),
        (("仲裁代理",), ("咨询",), ("代书",)), ("用人单位",),
        ("{woman}在{company}工作{yrs}年，公司拖欠其{months}工资共计{wage}。",
         "{woman}怀孕后被{company}以效益不好为由辞退，未获任何补偿。"),
        ("请求代理劳动仲裁，追讨拖欠的工资。", "请求代理劳动仲裁，要求用人单位支付经济补偿。"),
        ("调解结案", "其他", "咨询完毕", "代书完毕")),
    "人身损害": _Matter(
        6, (("原告", "尚未进入程序"),),
        (("诉讼代理",), ("咨询",)), ("其他",),
        ("{date}，{woman}因宅基地纠纷被邻居{opp}打伤，住院{days}天，医药费约{amount}，对方拒不赔偿。",),
        ("请求代理人身损害赔偿诉讼。",),
        ("判决", "调解结案")),
    "其他": _Matter(
        4, (("尚未确定", "尚未进入程序"),),
        (("咨询",),), ("其他",),
        ("{woman}咨询户口迁移和宅基地使用权方面的法律问题。",),
        ("请求提供法律咨询。",),
        ("咨询完毕",)),
}
_REFUSALS = (
    "经审查，申请人家庭经济状况不符合法律援助条件，已告知其可自行委托律师。",
    "申请事项不属于法律援助范围，已告知其他救济途径。",
    "申请人未能补齐必要的证明材料。",
    "该案已超过诉讼时效，不符合法律援助条件。",
)
_WITHDRAWALS = ("双方已自行和解，本人不再申请法律援助。", "本人已自行委托律师。", "本人外出务工，决定暂不起诉。")
_RESULT_NOTES = {
    "判决": ("法院判决支持了{woman}的主要诉讼请求。", "法院判决准予离婚，孩子由{woman}抚养。", ""),
    "调解结案": ("经法院调解，双方达成协议。", "经仲裁委调解，对方同意支付{wage}。", ""),
    "撤诉": ("双方和好，{woman}撤回起诉。",),
    "代书完毕": ("已代写起诉状并告知立案程序。",),
    "咨询完毕": ("",),
    "人身安全保护令已签发": ("法院已签发人身安全保护令，禁止{opp}骚扰、殴打{woman}。", ""),
    "其他": ("经劳动监察部门协调，用人单位已支付拖欠的工资。",),
    "终止法律援助": ("受援人失去联系，法律援助终止。",),
}
_OTHER_PAPERS = {"家庭暴力": ("伤情照片", "聊天记录截图", "病历"), "离婚": ("聊天记录截图", "房产证复印件"),
                 "劳动": ("工资条", "欠条复印件"), "财产": ("房产证复印件", "征地补偿方案"), "人身损害": ("病历", "医药费票据")}
_ORG_WEIGHTS = {"法律援助中心": 6, "司法所": 2, "律师事务所": 2, "其他": 1}


def _values(w: World, woman: Person, opp: str, on: dt.date) -> dict[str, Any]:
    r = w.rng
    age = age_on(woman.birth_date, on) if woman.birth_date else r.randint(25, 55)
    yrs = r.randint(2, max(2, min(25, age - 20)))
    incident = on - dt.timedelta(days=r.randint(1, 30))
    township = woman.address[:3] if woman.address else "城关镇"
    return {
        "woman": woman.name, "opp": opp or "对方", "wed": on.year - yrs, "yrs": yrs, "age": age,
        "kids": r.choice(("一子一女", "一个儿子", "一个女儿", "两个女儿")), "amount": f"{r.randint(3, 40)}万元",
        "months": f"{r.randint(3, 18)}个月", "monthly": f"{r.choice((500, 600, 800, 1000))}元",
        "wage": f"{r.randint(5, 30) * 1000}元", "days": r.randint(3, 15),
        "date": f"{incident.year}年{incident.month}月{incident.day}日",
        "company": f"{township}{r.choice(('恒达', '鑫盛', '华美', '宏发'))}{r.choice(('制衣厂', '电子厂', '食品公司'))}",
    }


def _organisation(w: World, township: str) -> Organisation:
    r = w.rng
    weights = []
    for o in w.orgs:
        weight = _ORG_WEIGHTS.get(o.kind, 1)
        if o.kind == "司法所":
            weight = 6 if o.name.startswith(township) else 0
        weights.append(weight)
    if not any(weights):
        weights = [1] * len(w.orgs)
    return r.choices(w.orgs, weights=weights)[0]


def _papers(w: World, matter: str, state: str, means: str, victim: bool) -> list[str]:
    r = w.rng
    papers = ["身份证"] if r.random() < 0.95 else []
    if r.random() < 0.6:
        papers.append("户口簿")
    if matter in ("离婚", "抚养") and r.random() < 0.8:
        papers.append("结婚证/离婚证")
    if r.random() < 0.5:
        papers.append("证据材料")
    if means in ("个人诚信承诺", "经济困难证明"):
        papers.append("经济困难证明或个人诚信承诺")
    if victim and r.random() < 0.5:
        papers.append("告诫书或报警回执")
    if state == "诉讼中":
        papers.append("法律文书（起诉状、判决书等）")
    return papers


def referral_form(w: World, on: dt.date, applicant: Person, township: str, village: str, matter: str,
                  opp: str = "", opp_relation: str = "", facts: str = "", request: str = "",
                  dv: bool = False, guardian: Person | None = None) -> tuple[Referral, Organisation]:
    """A filled-in referral form (with her consent when she gave it on the day) and where it goes."""
    r = w.rng
    spec = _MATTERS[matter]
    role, state = r.choice(spec.stages)
    helps = list(r.choice(spec.helps))
    if "保护令" in facts + request and "申请人身安全保护令" not in helps:
        helps.append("申请人身安全保护令")
    relation = opp_relation or r.choice(spec.opponents)
    if not opp and relation != "用人单位":
        opp = _male_name(w) if relation in ("丈夫", "前夫", "男友", "子女", "其他") else w.maker.name(r.random() < 0.5)
    values = _values(w, applicant, opp, on)
    if relation == "用人单位" and not opp:
        opp = values["company"]
        values["opp"] = opp
    victim_of: list[str] = []
    if dv or r.random() < spec.victim:
        victim_of = ["家庭暴力"] if matter != "赡养" else [r.choice(("虐待", "遗弃"))]
    means = "" if victim_of else _weighted(r, {"个人诚信承诺": 5, "经济困难证明": 3, "社会救助对象等（免予核查）": 1,
                                              "由接收机构核查": 1})
    minor = applicant.birth_date is not None and age_on(applicant.birth_date, on) < referral_rules.ADULT_AGE
    consent = None
    if r.random() < 0.88:
        consent = Consent(on=on, by="法定代理人或近亲属" if minor else "本人",
                          name=f"{guardian.name}（母亲）" if minor and guardian else ("监护人" if minor else ""),
                          way="书面签字" if r.random() < 0.85 else "口头同意")
    org = _organisation(w, township)
    staff = w.staff()
    form = Referral(
        referred_on=on, applicant=applicant, township=township, village=village, matter=matter, role=role,
        legal_state=state, help_kinds=helps, facts=facts or _fmt(r.choice(spec.facts), values),
        request=request or _fmt(r.choice(spec.requests), values), organisation=org, staff=staff,
        staff_phone=w.staff_phone.get(staff, ""), occupation=r.choice(_OCCUPATIONS) if not minor else "学生",
        opponent_name=opp, opponent_relation=relation, victim_of=victim_of, means=means,
        household_size=r.randint(2, 6) if r.random() < 0.7 else None,
        household_income=r.randint(60, 480) * 10000 if r.random() < 0.6 else None,
        papers=_papers(w, matter, state, means, bool(victim_of)),
        papers_other=r.choice(("", "", "") + _OTHER_PAPERS.get(matter, ())), consent=consent,
    )
    return form, org


def progress_referral(w: World, story: stories.ReferralStory, last: dt.datetime) -> dt.datetime:
    """Consent, answer, lawyer, result: as far as the referral's age allows. Returns the last moment."""
    r, today = w.rng, w.today
    ref = story.r
    values = {"woman": ref.applicant.name, "opp": ref.opponent_name or "对方", "wage": f"{r.randint(5, 30) * 1000}元"}
    if ref.consent is None:
        day = w.day_after(ref.referred_on, r.randint(1, 4))
        if (today - ref.referred_on).days <= 5 and r.random() < 0.6:
            return last  # still waiting for her to sign
        last = w.at(day, last)
        minor = ref.applicant.birth_date is not None and age_on(ref.applicant.birth_date, day) < 18
        story.consent(last, w.staff(), Consent(on=day, by="法定代理人或近亲属" if minor else "本人",
                                               name="监护人" if minor else ""))
    sent = ref.sent_on
    assert sent is not None
    roll = r.random()
    if roll < 0.03:
        day = w.day_after(sent, r.randint(1, 6))
        last = w.at(day, last)
        story.withdraw(last, w.staff(), r.choice(_WITHDRAWALS), day)
        return last
    answer_in = r.randint(1, 7) if r.random() < 0.88 else r.randint(8, 16)
    if r.random() < 0.07 and 8 <= (today - sent).days <= 45:
        return last  # waiting too long: the start page shows it overdue
    answered = sent + dt.timedelta(days=answer_in)
    if answered > today:
        return last
    staff = w.staff()
    if r.random() < 0.09:
        last = w.at(answered, last)
        story.refuse(last, staff, r.choice(_REFUSALS), answered)
        return last
    lawyer, lawyer_phone = w.maker.name(r.random() < 0.4), w.maker.phone()
    last = w.at(answered, last)
    if r.random() < 0.65:
        story.accept(last, staff, answered, lawyer, lawyer_phone if r.random() < 0.8 else "")
    else:
        story.accept(last, staff, answered)
        assign = answered + dt.timedelta(days=r.randint(0, 4))
        if assign > today:
            return last
        last = w.at(assign, last)
        story.assign_lawyer(last, w.staff(), lawyer, lawyer_phone)
    helps = set(ref.help_kinds)
    if helps <= {"咨询", "代书"}:
        span = r.randint(2, 20)
    elif helps <= {"咨询", "申请人身安全保护令"}:
        span = r.randint(2, 10)
    else:
        span = r.randint(30, 240)
    ended = answered + dt.timedelta(days=span)
    if ended > today:
        return last
    spec = _MATTERS.get(ref.matter)
    if "申请人身安全保护令" in helps and span <= 10:
        result = "人身安全保护令已签发"
    elif helps <= {"咨询"}:
        result = "咨询完毕"
    elif helps <= {"代书", "咨询"}:
        result = "代书完毕"
    elif r.random() < 0.03:
        result = "终止法律援助"
    else:
        result = r.choice(spec.results if spec else ("其他",))
        if result in ("咨询完毕", "代书完毕", "人身安全保护令已签发") and not helps & {"咨询", "代书", "申请人身安全保护令"}:
            result = "调解结案"
    note = r.choice(_RESULT_NOTES.get(result, ("",))).format(**values)
    if result == "其他" and not note:
        note = "已协助其通过其他途径解决。"
    last = w.at(ended, last)
    story.conclude(last, w.staff(), result, note, ended)
    return last


def make_referral(w: World, on: dt.date, consent: bool = False
                  ) -> tuple[stories.ReferralStory, tuple[str, str, str, str]]:
    """A woman who walks in asking for a lawyer (`consent`: she agrees on the spot); returns the story and
    where she lives (for remembering)."""
    r = w.rng
    matter = r.choices(list(_MATTERS), weights=[m.weight for m in _MATTERS.values()])[0]
    back = w.returning(0.12)
    if back is not None:
        woman, township, village = back.person, back.township, back.village
    else:
        township, village = w.place()
        ages = (58, 82) if matter == "赡养" else (20, 58)
        woman = w.maker.person(True, ages, on, w.maker.address(township, village) if village else township,
                               r.choice(("已婚", "已婚", "离婚", "分居")) if matter != "赡养" else "丧偶",
                               with_id=r.random() < 0.92, with_phone=r.random() < 0.95)
    form, org = referral_form(w, on, woman, township, village, matter)
    if consent and form.consent is None:
        minor = woman.birth_date is not None and age_on(woman.birth_date, on) < referral_rules.ADULT_AGE
        form.consent = Consent(on=on, by="法定代理人或近亲属" if minor else "本人", name="监护人" if minor else "")
    story = stories.ReferralStory(form, org, w.at(on, None), form.staff)
    category = referral_rules.MATTER_CATEGORY.get(matter, "其他")
    sub = {"离婚": "离婚问题", "家庭暴力": "家庭暴力", "抚养": "家庭纠纷", "赡养": "家庭纠纷", "劳动": "劳动权益",
           "人身损害": "人身伤害", "财产": "继承"}.get(matter, "其他")
    return story, (category, sub, township, village)


def finish_referral(w: World, story: stories.ReferralStory, waiting: bool = False) -> bulk.ReferralLoad:
    """The referral told as far as its age allows; `waiting`: sent, and no answer yet."""
    assert story.r.created_at is not None
    if not waiting:
        progress_referral(w, story, story.r.created_at)
    return story.load()


# --------------------------------------------------------------------------------------------
# Mediations


@dataclass(frozen=True)
class _Dispute:
    weight: int
    relationship: str
    outcomes: dict[str, float]
    facts: tuple[str, ...]
    requests: tuple[str, ...]
    applicant_said: tuple[str, ...]
    respondent_said: tuple[str, ...]
    found: tuple[str, ...]
    agreed: tuple[str, ...]  # what a session that agrees writes
    reconciled: tuple[str, ...]  # 和好情况
    failed: tuple[str, ...]  # 调解不成的原因
    routes: tuple[str, ...] = ("引导诉讼",)
    items: tuple[tuple[str, str, str, str], ...] = ()  # agreement items: what, how, by when, where
    duties: str = "双方均有履行协议、维护家庭和睦的责任。"


_HABITS = ("沉迷打牌赌博", "常年在外务工很少回家", "酗酒后脾气暴躁", "把工资全部交给自己的父母", "与异性来往密切",
           "不做家务也不管孩子")
_DISPUTES: dict[str, _Dispute] = {
    "婚姻": _Dispute(
        50, "夫妻",
        {"reconciled": 0.88, "agreed": 0.03, "failed": 0.05, "self_settled": 0.02, "ended": 0.02},
        ("{a}与{r}结婚{yrs}年，育有{kids}。近来{r}{habit}，双方经常争吵，{a}提出离婚，{r}不同意。",
         "{a}与{r}因家庭开支和照顾老人的问题矛盾不断，已分居{months}。"),
        ("请求调解夫妻矛盾。", "请求调解，如调解不成则协议离婚。", ""),
        ("{r}{habit}，家里的事全靠我一个人，我实在过不下去了。", "我只希望他能改，能好好过日子。"),
        ("我知道自己有不对的地方，但我不想离婚，愿意改。", "她脾气也不好，总是翻旧账。"),
        ("双方感情基础尚好，矛盾主要因{r}{habit}引起。", ""),
        ("{r}当面认错，保证{promise}；双方同意继续共同生活。",),
        ("{r}当面认错并写下保证书，保证{promise}，双方和好。", "经耐心疏导，双方互相体谅，表示今后有事商量着办，握手言和。"),
        ("{a}坚持离婚，{r}不同意，分歧较大。",),
        items=(("{r}每月将收入的一半交给{a}用于家庭开支", "银行转账", "每月10日前", ""),),
    ),
    "家庭暴力": _Dispute(
        8, "夫妻",
        {"reconciled": 0.75, "agreed": 0.05, "failed": 0.12, "self_settled": 0.03, "ended": 0.05},
        ("{r}酒后多次殴打{a}，{date}又因琐事将其打伤，派出所已出具告诫书。",),
        ("请求制止{r}的家庭暴力行为。",),
        ("他一喝酒就动手，我和孩子都很害怕。",),
        ("那天喝多了，我以后不会再动手了。",),
        ("{r}确有殴打行为，已有报警记录和伤情照片。",),
        ("{r}承认错误，写下不再施暴的保证书。",),
        ("{r}写下不再施暴的保证书，{a}表示愿意再给他一次机会；已告知{a}可依法申请人身安全保护令。",),
        ("{a}坚持离婚，并要求{r}赔偿医药费，{r}拒绝。",),
        routes=("引导诉讼", "提请行政机关处理"),
    ),
    "抚养": _Dispute(
        8, "夫妻",
        {"reconciled": 0.30, "agreed": 0.55, "failed": 0.10, "self_settled": 0.03, "ended": 0.02},
        ("{a}与{r}于{wed}年离婚，孩子随{a}生活，{r}每月应付抚养费{monthly}，已{months}未付。",),
        ("请求调解，由{r}按时支付抚养费。",),
        ("孩子上学要用钱，他一分钱都不给。",),
        ("这两年生意不好，手头确实紧。",),
        ("{r}有固定收入，具备支付能力。",),
        ("{r}同意补付拖欠的抚养费，今后按月支付。",),
        ("{r}表示今后按时支付抚养费，并多去看望孩子，双方和好如初。",),
        ("{r}只同意减半支付，{a}不同意。",),
        items=(("{r}一次性补付拖欠的抚养费{arrears}元", "现金", "{due}前", "村委会"),
               ("{r}今后每月支付抚养费{monthly}", "银行转账", "每月5日前", "")),
        duties="{r}作为孩子的父亲，依法负有支付抚养费的义务。",
    ),
    "赡养": _Dispute(
        12, "父母子女",
        {"reconciled": 0.55, "agreed": 0.35, "failed": 0.06, "self_settled": 0.02, "ended": 0.02},
        ("{a}今年{age}岁，老伴已去世，{rs}互相推诿，都不愿赡养，{a}独自住在老房子里。",),
        ("请求调解，由{rs}按月支付赡养费。", "请求子女轮流照顾。"),
        ("我年纪大了，种不了地，儿子们谁都不管我。",),
        ("不是我不管，是兄弟们都不出钱。", "我家里也困难，孩子还在上学。"),
        ("{a}无固定收入，患有高血压，生活困难。",),
        ("{rs}同意按月支付赡养费，轮流照顾母亲。",),
        ("{rs}当场向母亲认错，表示今后轮流照顾，母子和好。",),
        ("{r}拒绝承担赡养费。",),
        items=(("{rs}每人每月支付赡养费{amount}元", "银行转账", "每月5日前", ""),
               ("{r}负责接{a}到家中同住照顾", "接回同住", "{due}前", "")),
        duties="子女对父母有赡养扶助的义务。",
    ),
    "财产分割": _Dispute(
        7, "兄弟姐妹",
        {"reconciled": 0.30, "agreed": 0.50, "failed": 0.12, "self_settled": 0.05, "ended": 0.03},
        ("{a}的父母去世后留下老宅一栋，{r}认为出嫁的女儿无权继承，独自占有。",),
        ("请求依法分割父母的遗产。",),
        ("我也是父母的孩子，也照顾过他们，应该有一份。",),
        ("她早就嫁出去了，房子一直是我在修缮。",),
        ("老宅系父母遗产，双方均为第一顺序继承人。",),
        ("双方同意老宅归{r}，由{r}给予{a}适当补偿。",),
        ("兄妹二人互相谅解，{a}表示不再要求分割，兄妹和好。",),
        ("双方对补偿金额分歧较大。",),
        items=(("老宅归{r}所有，{r}补偿{a}人民币{amount}元", "现金", "{due}前", "村委会"),),
        duties="双方均为第一顺序继承人，应依法平等分割遗产。",
    ),
    "其他": _Dispute(
        15, "婆媳",
        {"reconciled": 0.88, "agreed": 0.04, "failed": 0.04, "self_settled": 0.02, "ended": 0.02},
        ("{a}与婆婆{r}同住，因照看孩子和家务分工经常发生口角，{date}双方发生推搡。",),
        ("请求调解婆媳矛盾。",),
        ("婆婆处处看我不顺眼，说我不会带孩子。",),
        ("我是为孙子好，她不听劝。",),
        ("婆媳矛盾主要因生活习惯和育儿观念不同引起。",),
        ("婆媳互相道歉，约定家务分工。",),
        ("婆媳互相道歉，{a}的丈夫表示今后多从中调和，双方和好。",),
        ("双方各执一词，互不让步。",),
        items=(("{a}一家另起炉灶，每月给婆婆生活费{amount}元", "现金", "每月5日前", ""),),
    ),
}
_SOURCES = {"当事人申请": 62, "公安移交": 12, "法院委托": 8, "主动调解": 18}
_PROMISES = ("戒酒", "不再赌博", "按时回家", "把工资交给家里", "多分担家务")
_SELF_SETTLED = ("调解前双方已自行协商解决。", "双方在亲友劝说下自行和解。")
_ENDED = ("申请人撤回调解申请。", "一方当事人外出务工，无法继续调解。", "一方已向人民法院起诉，终止调解。")
_VISIT_FINDINGS = {
    "agreed": ("协议已按期履行，当事人表示满意。", "对方已按协议付款，双方关系缓和。"),
    "other": ("双方关系明显好转，未再发生争吵。", "一家人相处融洽，当事人表示满意。", "电话回访，当事人表示矛盾已化解。"),
}
_PLACES = ("{township}妇联调解室", "县妇联调解室", "{village}村委会", "当事人家中")
_SUBJECTS = (("邻居", "{x}是{a}家的邻居"), ("村妇联主席", "{village}村妇联主席"), ("亲属", "{a}的母亲"))


def _dispute_values(w: World, m: Mediation, d: _Dispute) -> dict[str, Any]:
    r = w.rng
    applicant = m.applicants[0].person
    respondents = [p.person.name for p in m.respondents]
    age = age_on(applicant.birth_date, m.received_on) if applicant.birth_date else r.randint(30, 75)
    yrs = r.randint(3, max(3, min(30, age - 20)))
    incident = m.received_on - dt.timedelta(days=r.randint(1, 15))
    due = m.received_on + dt.timedelta(days=r.randint(40, 90))
    monthly = r.choice((500, 600, 800, 1000))
    return {
        "a": applicant.name, "r": respondents[0], "rs": "、".join(respondents), "yrs": yrs, "age": age,
        "kids": r.choice(("一子一女", "一个儿子", "一个女儿", "两个孩子")), "habit": r.choice(_HABITS),
        "months": f"{r.randint(2, 12)}个月", "monthly": f"{monthly}元", "wed": m.received_on.year - r.randint(1, 6),
        "date": f"{incident.year}年{incident.month}月{incident.day}日", "promise": r.choice(_PROMISES),
        "arrears": monthly * r.randint(3, 12), "amount": r.choice((200, 300, 500, 800, 20000, 50000)),
        "due": format_cn(due), "township": m.township, "village": m.village or m.township,
    }


def mediation_parties(w: World, dispute: str, on: dt.date, township: str, village: str,
                      applicant: Person | None = None) -> list[Party]:
    r = w.rng
    address = w.maker.address(township, village) if village else township
    relationship = _DISPUTES[dispute].relationship
    if applicant is None:
        ages = (60, 85) if dispute == "赡养" else (22, 60)
        applicant = w.maker.person(True, ages, on, address, "丧偶" if dispute == "赡养" else (
            "离婚" if dispute == "抚养" else "已婚"), with_id=r.random() < 0.85, with_phone=r.random() < 0.9)
    parties = [Party(applicant, "applicant", r.choice(_OCCUPATIONS) if dispute != "赡养" else "务农")]
    a_age = age_on(applicant.birth_date, on) if applicant.birth_date else 45

    def other(female: bool, ages: tuple[int, int], marital: str, surname: str = "") -> Party:
        with_id = r.random() < 0.55
        person = w.maker.person(female, ages, on, address, marital, with_id=with_id, with_phone=r.random() < 0.7,
                                surname=surname)
        stated = None
        if person.birth_date is None:
            stated = age_on(w.maker.last_birth, on)
        return Party(person, "respondent", r.choice(_MALE_JOBS if not female else _OCCUPATIONS), stated)

    if relationship == "夫妻":
        parties.append(other(False, (max(20, a_age - 3), a_age + 6), "离婚" if dispute == "抚养" else "已婚"))
    elif relationship == "父母子女":
        surname = _surname(applicant.name) if r.random() < 0.3 else ""
        first = other(False, (max(25, a_age - 38), max(26, a_age - 20)), "已婚", surname)
        parties.append(first)
        if r.random() < 0.5:
            parties.append(other(False, (max(22, a_age - 40), max(24, a_age - 22)), "已婚",
                                 _surname(first.person.name)))
    elif relationship == "兄弟姐妹":
        parties.append(other(False, (max(20, a_age - 8), a_age + 8), "已婚", _surname(applicant.name)))
    else:  # 婆媳
        parties.append(other(True, (a_age + 20, a_age + 32), "已婚"))
    return parties


def mediation_form(w: World, on: dt.date, dispute: str, parties: list[Party], township: str, village: str,
                   source: str = "") -> tuple[Mediation, dict[str, Any]]:
    """The form, and the made-up particulars its texts were written with (for the sessions that follow)."""
    r = w.rng
    d = _DISPUTES[dispute]
    mediators = r.sample(w.active, k=min(len(w.active), 1 if r.random() < 0.6 else 2))
    form = Mediation(
        received_on=on, source=source or _weighted(r, dict(_SOURCES)), dispute_type=dispute,
        relationship=d.relationship, township=township, village=village, facts="", request="",
        registrar=w.staff(), parties=parties, mediator_ids=[m.id for m in mediators if m.id is not None],
    )
    values = _dispute_values(w, form, d)
    form.facts = _fmt(r.choice(d.facts), values)
    form.request = _fmt(r.choice(d.requests), values)
    return form, values


def progress_mediation(w: World, story: stories.MediationStory, last: dt.datetime,
                       values: dict[str, Any] | None = None) -> dt.datetime:
    """Investigations, sessions, the outcome, return visits and the file, as far as its age allows."""
    r, today = w.rng, w.today
    m = story.m
    d = _DISPUTES.get(m.dispute_type, _DISPUTES["其他"])
    values = values or _dispute_values(w, m, d)
    outcome = _weighted(r, d.outcomes)
    mediators = "、".join(x.name for x in m.mediators)
    present = "、".join(p.person.name for p in m.parties)
    recorder = w.staff()
    place = _fmt(r.choice(_PLACES), values)
    overlong = r.random() < 0.07
    day = m.received_on
    if r.random() < 0.5:  # an investigation first
        day = day + dt.timedelta(days=r.randint(1, 5))
        if day > today:
            return last
        role, who = r.choice(_SUBJECTS)
        subject = w.maker.name(role != "邻居" or r.random() < 0.5)
        last = w.at(day, last)
        story.investigation(last, w.staff(), Investigation(
            held_on=day, place=_fmt("{village}" if role != "亲属" else "当事人家中", values), investigator=mediators,
            recorder=recorder, subject=subject, subject_role=_fmt(who, {**values, "x": subject}),
            content="据了解，" + _fmt(r.choice(d.found) or d.found[0], values)))
    sessions = 0 if outcome in ("self_settled", "ended") and r.random() < 0.6 else r.choices((1, 2, 3), (6, 3, 1))[0]
    for i in range(sessions):
        day = day + dt.timedelta(days=r.randint(1, 8) if i == 0 else r.randint(4, 10) + (25 if overlong else 0))
        if day > today:
            return last
        final = i == sessions - 1 and outcome in ("reconciled", "agreed", "failed")
        if final:
            result = "调解不成" if outcome == "failed" else "达成一致"
            detail = _fmt(r.choice(d.failed if outcome == "failed" else d.agreed), values)
        else:
            result, detail = "未达成一致，择期再调", r.choice(("双方情绪激动，约定冷静几天后再调。", "双方分歧较大，约定下次再调。"))
        last = w.at(day, last)
        story.session(last, recorder, Session(
            held_on=day, place=place, mediators=mediators, recorder=recorder, present=present,
            others=r.choice(("", "", "村妇联主席", "双方亲属")), applicant_said=_fmt(r.choice(d.applicant_said), values),
            respondent_said=_fmt(r.choice(d.respondent_said), values), facts_found=_fmt(r.choice(d.found), values),
            result=result, result_detail=detail))
    if not story.m.sessions and outcome in mediation_rules.NEEDS_SESSION:
        return last
    on = day + dt.timedelta(days=r.randint(0, 2) if sessions else r.randint(5, 25) + (25 if overlong else 0))
    if on > today:
        return last
    agreement = None
    note = ""
    route = ""
    if outcome == "agreed":
        items = d.items or _DISPUTES["婚姻"].items
        agreement = Agreement(
            facts=m.facts, duties=_fmt(d.duties, values),
            items=[AgreementItem(*(_fmt(x, values) for x in it)) for it in items])
        note = r.choice(("", "双方当场签字，协议即时生效。"))
    elif outcome == "reconciled":
        note = _fmt(r.choice(d.reconciled), values)
    elif outcome == "failed":
        note, route = _fmt(r.choice(d.failed), values), r.choice(d.routes)
    elif outcome == "self_settled":
        note = r.choice(_SELF_SETTLED)
    else:
        note = r.choice(_ENDED)
    visit_on = on + dt.timedelta(days=mediation_rules.DEFAULT_VISIT_DAYS) if r.random() < 0.9 else None
    last = w.at(on, last)
    story.close(last, w.staff(), Closing(outcome, on, note, route, agreement), visit_on)
    done = on
    index = 0
    while index < len(story.m.visits):
        v = story.m.visits[index]
        visited = v.due_on + dt.timedelta(days=r.randint(-3, 5))
        visited = max(visited, on)
        if visited > today - dt.timedelta(days=2) or (r.random() < 0.05 and v.due_on > today - dt.timedelta(days=60)):
            break  # still to be made: due, or (lately) overdue
        findings = r.choice(_VISIT_FINDINGS["agreed" if outcome == "agreed" else "other"])
        conflict = r.random() < 0.03
        performance = (r.choice(("已履行", "已履行", "正在履行", "部分履行")) if outcome == "agreed" else "不适用")
        last = w.at(visited, last)
        story.record_visit(last, w.staff(), ReturnVisit(
            due_on=v.due_on, visited_on=visited, visitor=r.choice(story.m.mediators).name if story.m.mediators else recorder,
            method=r.choice(("上门", "上门", "电话", "约谈")), performance=performance,
            satisfaction=r.choice(("满意", "满意", "基本满意")) if not conflict else "基本满意",
            new_conflict=conflict, findings=findings if not conflict else "双方又因小事发生争吵。",
            measures="已再次上门做双方的工作，矛盾已平息。" if conflict else ""), scheduled=index)
        done = visited
        if outcome == "agreed" and index == 0 and r.random() < 0.4:
            story.schedule_visit(last, w.staff(), visited + dt.timedelta(days=90), "了解协议履行情况")
        index += 1
    if not story.m.pending_visits:
        filed = done + dt.timedelta(days=r.randint(5, 40))
        if filed <= today and r.random() < 0.8:
            last = w.at(filed, last)
            keep = "永久" if m.dispute_type == "家庭暴力" else ("10年" if outcome in ("self_settled", "ended") else "30年")
            story.filing(last, w.staff(), w.staff(), filed, keep)
    return last


def make_mediation(w: World, on: dt.date
                   ) -> tuple[bulk.MediationLoad, Person, tuple[str, str, str, str] | None]:
    """A dispute brought to the committee, told to its end; returns the load, the applicant and, when she
    may come back, where she lives (for remembering)."""
    r = w.rng
    dispute = _weighted(r, {k: d.weight for k, d in _DISPUTES.items()})
    back = w.returning(0.06) if dispute != "赡养" else None
    if back is not None:
        township, village, applicant = back.township, back.village, back.person
    else:
        (township, village), applicant = w.place(), None
    parties = mediation_parties(w, dispute, on, township, village, applicant)
    form, values = mediation_form(w, on, dispute, parties, township, village)
    created = w.at(on, None)
    story = stories.MediationStory(form, w.roster, created, form.registrar)
    progress_mediation(w, story, created, values)
    sub = {"婚姻": "离婚问题", "家庭暴力": "家庭暴力"}.get(dispute, "家庭纠纷")
    return story.load(), story.m.applicants[0].person, (("婚姻家庭", sub, township, village) if back is None else None)


# --------------------------------------------------------------------------------------------
# Petitions that lead to a referral or a mediation


def _petition_start(w: World, received: dt.date, topic: tuple[str, str], channel: str
                    ) -> tuple[stories.PetitionStory, Scenario, dt.datetime]:
    form, scenario = w.maker.petition(received, topic[0], topic[1], channel, plain=True)
    created = w.at(received, None)
    story = stories.PetitionStory(form, created, form.receiving_staff)
    story.office = w.s.office
    return story, scenario, created


def _accept(w: World, p: stories.PetitionStory, by: dt.date, last: dt.datetime) -> dt.datetime:
    r = w.rng
    on = p.p.received_on + dt.timedelta(days=r.randint(0, max(0, min(7, (by - p.p.received_on).days))))
    last = w.at(on, last)
    p.accept(last, w.staff(), on)
    return last


def petition_to_referral(w: World, received: dt.date, topic: tuple[str, str], channel: str, on: dt.date,
                         petition: bulk.Reserved, referral: bulk.Reserved
                         ) -> tuple[bulk.PetitionLoad, bulk.ReferralLoad]:
    """A petition accepted, its woman referred to legal aid on `on`, the answer noted on the petition, the
    petition concluded once the referral has its answer."""
    r = w.rng
    p, _scenario, last = _petition_start(w, received, topic, channel)
    p.p.id, p.p.case_no = petition.case_id, petition.case_no
    last = _accept(w, p, on, last)
    draft = referral_rules.draft_from_petition(p.p, on, "")
    woman = p.p.woman
    relation = p.p.respondent_relation
    if relation and relation not in referral_rules.OPPONENT_RELATIONS:
        relation = "其他"
    form, org = referral_form(w, on, woman, p.p.township, p.p.village, draft.matter, p.p.respondent_name, relation,
                              p.p.facts, p.p.request, p.p.dv, guardian=p.p.petitioner if p.p.concerned else None)
    last = w.at(on, last)
    story = stories.refer_from_petition(p, form, org, last, form.staff, referral.case_no)
    end = progress_referral(w, story, last)
    stories.tell_petition(story, p, referral.case_no)
    ref = story.r
    answered = ref.answered_on or ref.withdrawn_on
    accepted = p.p.accepted_on
    assert accepted is not None
    limit = accepted + dt.timedelta(days=58)
    conclude_on = (answered + dt.timedelta(days=r.randint(1, 10))) if answered else limit
    conclude_on = min(conclude_on, limit)
    if conclude_on <= w.today and conclude_on >= on:
        name = woman.name
        if ref.status == "refused":
            reply, result = f"{org.name}不予受理，已向{name}解释原因并告知其他维权途径。", "解释说明"
        elif ref.status == "withdrawn":
            reply, result = f"{name}本人撤回了法律援助申请，已告知其可随时再来求助。", "解释说明"
        elif ref.lawyer:
            reply, result = f"已转介{org.name}，指派{ref.lawyer}律师为{name}提供法律援助。", "支持"
        else:
            reply, result = f"已转介{org.name}依法办理。", "支持"
        after = max(e.at for e in p.p.timeline if e.at.date() <= conclude_on)
        p.conclude(w.at(conclude_on, after), w.staff(), reply, result, conclude_on)
    del end
    return p.load(), story.load()


_RELATIONSHIP_OF = {"婆家": "婆媳", "子女": "父母子女", "兄弟姐妹": "兄弟姐妹", "父母": "父母子女"}


def petition_to_mediation(w: World, received: dt.date, topic: tuple[str, str], channel: str, on: dt.date,
                          petition: bulk.Reserved, mediation: bulk.Reserved
                          ) -> tuple[bulk.PetitionLoad, bulk.MediationLoad]:
    """A petition accepted and sent to the office's mediation committee on `on` (linked both ways), then
    concluded with what the mediation came to."""
    r = w.rng
    p, scenario, last = _petition_start(w, received, topic, channel)
    p.p.id, p.p.case_no = petition.case_id, petition.case_no
    last = _accept(w, p, on, last)
    draft = mediation_rules.draft_from_petition(p.p, on, "")
    draft.parties[0].person = p.p.woman
    if len(draft.parties) < 2:  # she complained about nobody by name (her in-laws): the committee asks
        female = scenario.relation == "婆家"
        draft.parties.append(Party(Person(name=w.maker.name(female), sex="女" if female else "男", ethnicity=""),
                                   "respondent"))
    dispute = draft.dispute_type or {"继承": "财产分割", "家庭纠纷": "赡养" if scenario.relation == "子女" else "其他"
                                     }.get(p.p.subcategory, "婚姻")
    draft.dispute_type = dispute
    draft.relationship = draft.relationship or _RELATIONSHIP_OF.get(scenario.relation, "夫妻" if dispute in (
        "婚姻", "家庭暴力", "抚养") else "其他")
    mediators = r.sample(w.active, k=min(len(w.active), 1 if r.random() < 0.6 else 2))
    draft.mediator_ids = [m.id for m in mediators if m.id is not None]
    staff = w.staff()
    draft.registrar = staff
    last = w.at(on, last)
    story = stories.mediate_from_petition(p, draft, w.roster, last, staff, w.committee, mediation.case_no)
    progress_mediation(w, story, last)
    m = story.m
    accepted = p.p.accepted_on
    assert accepted is not None
    if m.outcome_on is not None:
        conclude_on = min(m.outcome_on + dt.timedelta(days=r.randint(0, 5)), accepted + dt.timedelta(days=58))
        if on <= conclude_on <= w.today:
            if m.outcome in mediation_rules.RESOLVED_OUTCOMES:
                reply = f"经{w.committee}调解，{mediation_rules.OUTCOMES[m.outcome]}，纠纷已化解。"
                result = "支持"
            else:
                reply = f"经{w.committee}调解未能达成一致，已告知{p.p.woman.name}可依法向人民法院起诉。"
                result = "解释说明"
            after = max(e.at for e in [*m.timeline, *p.p.timeline] if e.at.date() <= conclude_on)
            p.conclude(w.at(conclude_on, after), w.staff(), reply, result, conclude_on)
    return p.load(), story.load()


# --------------------------------------------------------------------------------------------
# Households and care lists

LIST_WEIGHTS = {"帮扶户": 25, "留守儿童": 35, "春蕾女童": 20, "“两癌”救助对象": 20}
SPAWNING_LISTS = ("帮扶户", "“两癌”救助对象")  # whose visits may find violence or a dispute
_CADRE_UNITS = ("县妇联", "县妇联", "县农业农村局", "县教育局", "县人社局", "县卫健局", "{township}人民政府")
_CAUSE_WEIGHTS = {"因病": 30, "因残": 20, "因学": 12, "缺劳力": 12, "缺技术": 8, "缺资金": 8, "因灾": 4, "缺土地": 3,
                  "缺水": 3}
_MEASURES = (
    ("雨露计划", "子女就读中职，享受雨露计划补助", "县教育局", 150000, "已发放"),
    ("小额信贷", "发放扶贫小额信贷用于发展养殖", "县农商银行", 5000000, "已发放，按期还款"),
    ("产业", "赠送鸡苗两百只，发展林下养鸡", "县农业农村局", 200000, "年增收约三千元"),
    ("易地搬迁", "搬迁至{township}集中安置点", "{township}人民政府", 0, "已入住新房"),
    ("公共服务", "办理大病医疗救助", "县医保局", 800000, "已报销"),
    ("基础设施", "入户道路硬化、自来水入户", "{village}村委会", 0, "已完工"),
    ("其他", "推荐参加县妇联家政服务培训", "县妇联", 0, "已结业，在县城从事家政服务"),
)
_SEEN = {
    "帮扶户": ("家中整洁，户主在家务农，孩子正常上学。", "户主腿疾复发，行动不便，家中收入主要靠低保。",
             "新房已经入住，家里养的鸡鸭长势良好。", "丈夫外出务工，妻子在家照顾老人和孩子。",
             "老人身体状况稳定，按时服药。", "家中刚收完稻谷，生活有保障。"),
    "留守儿童": ("孩子身体健康，跟着奶奶生活，学习成绩中等。", "孩子性格内向，已与班主任沟通，请老师多关心。",
             "通过视频与孩子父母通话，告知孩子近况。", "孩子期中考试进步明显，奶奶很高兴。"),
    "春蕾女童": ("学习认真，本学期成绩进步明显。", "已与班主任了解在校情况，表现良好。", "家中困难，已鼓励她安心读书。"),
    "“两癌”救助对象": ("术后恢复良好，按时复查。", "正在化疗，精神状态尚可，家人照顾周到。", "病情稳定，已能做些轻家务。"),
}
_ASKED = ("希望帮忙联系孩子的助学金。", "希望协调解决饮水问题。", "希望介绍就近务工的机会。", "希望申请危房改造。",
          "希望帮助办理医疗救助。")
_PROMISES_HH = (("联系县教育局落实助学金", "已落实助学金"), ("协调村委会解决饮水管道", "水管已接通"),
                ("推荐参加县妇联家政培训", "已报名参加培训"), ("帮助提交危房改造申请", "申请已提交乡政府"),
                ("协助办理医疗救助手续", "已办妥"))
_GOODS = (("大米一袋、食用油一桶", 15000), ("学习用品一套", 8000), ("牛奶两箱", 12000), ("冬衣一套", 20000),
          ("棉被一床", 18000))
_EXITS = {
    "帮扶户": ("全家迁往外地居住", "经核实不再符合帮扶条件", "户主去世，家庭成员并入子女户"),
    "留守儿童": ("父母返乡就业，不再是留守儿童", "已满十六周岁"),
    "春蕾女童": ("初中毕业，资助结束", "随父母转学外地"),
    "“两癌”救助对象": ("治疗结束，病情稳定", "迁往外地居住"),
}
_WORK_PLACES = ("广东东莞", "广东深圳", "浙江义乌", "福建晋江", "江苏苏州", "长沙")


@dataclass
class HouseholdPlan:
    """What demo.py decided for one entry: its list, and the cases its visits will open."""

    list_name: str
    findings: list[tuple[dt.date, str, bulk.Reserved]] = field(default_factory=list)  # (day, petition|mediation)


def _member(w: World, female: bool, ages: tuple[int, int], on: dt.date, address: str, marital: str,
            relation: str, surname: str = "") -> Member:
    r = w.rng
    p = w.maker.person(female, ages, on, address, marital, with_id=True, with_phone=r.random() < 0.4 and ages[0] >= 18,
                       surname=surname)
    age = age_on(p.birth_date, on) if p.birth_date else 30
    if age < 6:
        schooling = "学前教育"
    elif age < 12:
        schooling = "小学"
    elif age < 15:
        schooling = "初中"
    elif age < 18:
        schooling = r.choice(("高中", "中职"))
    else:
        schooling = "非在校生"
    health = r.choices(household_rules.HEALTH, (60, 20, 8, 12))[0] if age >= 18 else "健康"
    work = ("无劳动力" if age < 16 or age > 70 else "丧失劳动力" if health in ("大病", "残疾") else
            r.choice(("普通劳动力", "普通劳动力", "弱劳动力", "技能劳动力")))
    card = f"{p.id_number}{r.randint(1, 4)}{r.randint(1, 4)}" if health == "残疾" and p.id_number else ""
    return Member(p, relation, health, work, schooling, card)


def household_form(w: World, plan: HouseholdPlan, on: dt.date) -> tuple[Household, CareList]:
    r = w.rng
    care = w.care[plan.list_name]
    township, village = w.place()
    address = f"{r.randint(1, 12)}组{r.randint(1, 60)}号"
    full = f"{township}{village}{address}" if village else township
    extra: dict[str, Any] = {}
    members: list[Member] = []
    household_type, causes = "", []
    rhythm = Rhythm("month", 3 if plan.list_name == "春蕾女童" else care.rhythm_every, on) if care.rhythm_unit == "month" \
        else Rhythm(care.rhythm_unit, care.rhythm_every, on)
    if care.is_household:
        female = r.random() < 0.55
        back = w.returning(0.05) if female else None
        if back is not None and back.person.birth_date and age_on(back.person.birth_date, on) >= 25:
            head = Member(back.person, household_rules.HEAD_RELATION, "慢性病", "弱劳动力", "非在校生")
            township, village = back.township, back.village
            full = f"{township}{village}{address}" if village else township
        else:
            head = _member(w, female, (35, 72), on, full, r.choice(("已婚", "已婚", "丧偶", "离婚")), "")
        age = age_on(head.person.birth_date, on) if head.person.birth_date else 50
        surname = _surname(head.person.name)
        if head.person.marital_status == "已婚":
            members.append(_member(w, not female, (max(20, age - 5), age + 5), on, full, "已婚", "配偶"))
        father = surname if not female else (_surname(members[0].person.name) if members else surname)
        for _ in range(r.choice((0, 1, 1, 2, 2, 3))):
            if age < 28:
                break
            girl = r.random() < 0.5
            members.append(_member(w, girl, (max(3, age - 45), max(4, age - 22)), on, full, "未婚",
                                   "之女" if girl else "之子", father))
        if r.random() < 0.25 and age < 55:
            members.append(_member(w, True, (age + 22, age + 35), on, full, "丧偶", "之母"))
        household_type = r.choices(household_rules.HOUSEHOLD_TYPES, (50, 40, 10))[0]
        causes = list(dict.fromkeys(r.choices(list(_CAUSE_WEIGHTS), weights=list(_CAUSE_WEIGHTS.values()),
                                              k=r.choice((1, 2)))))
        extra = {"f1": round(r.uniform(0.5, 5), 1), "f2": r.randint(40, 160),
                 "f3": r.choices(("非危房", "A级", "B级", "C级", "D级"), (40, 25, 20, 10, 5))[0]}
    elif plan.list_name == "留守儿童":
        girl = r.random() < 0.5
        head = _member(w, girl, (4, 14), on, full, "未婚", "")
        grandma = _member(w, True, (55, 72), on, full, r.choice(("已婚", "丧偶")), "监护人")
        if r.random() < 0.6:
            members.append(grandma)
        extra = {"f1": f"{grandma.person.name}（祖母）", "f2": "祖辈监护",
                 "f3": r.choice(_WORK_PLACES), "f4": f"{township}中心小学" if age_on(head.person.birth_date or on, on) < 12
                 else f"{township}中学"}
    elif plan.list_name == "春蕾女童":
        head = _member(w, True, (7, 16), on, full, "未婚", "")
        age = age_on(head.person.birth_date or on, on)
        grade = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三", "高一")[min(9, max(0, age - 7))]
        extra = {"f1": f"{township}中心小学" if age < 13 else "县第一中学", "f2": grade,
                 "f3": r.choice((1000, 1500, 2000)), "f4": on.isoformat()}
    elif plan.list_name == "“两癌”救助对象":
        back = w.returning(0.05)
        if back is not None and back.person.birth_date and age_on(back.person.birth_date, on) >= 35:
            head = Member(back.person, household_rules.SELF_RELATION, "大病", "弱劳动力", "非在校生")
            township, village = back.township, back.village
        else:
            head = _member(w, True, (35, 64), on, full, r.choice(("已婚", "已婚", "丧偶")), "")
            head.health, head.work_ability = "大病", "弱劳动力"
        diagnosed = on - dt.timedelta(days=r.randint(10, 200))
        extra = {"f1": r.choice(("宫颈癌", "乳腺癌")), "f2": diagnosed.isoformat(), "f3": 10000, "f4": on.isoformat()}
    else:  # a list the office added: the person alone
        head = _member(w, True, (18, 70), on, full, "已婚", "")
    cadre = Cadre(name=w.maker.name(r.random() < 0.6), unit=_fmt(r.choice(_CADRE_UNITS), {"township": township}),
                  level=r.choices(household_rules.CADRE_LEVELS[:4], (1, 4, 6, 3))[0],
                  phone=w.maker.phone() if r.random() < 0.8 else "", from_date=on)
    form = Household(
        list_id=care.id or 0, received_on=on, head=head, members=members, township=township, village=village,
        address=address, household_type=household_type, causes=causes, extra=extra, rhythm=rhythm,
        cadre=cadre if care.is_household or r.random() < 0.7 else None,
        notes=r.choice(("", "", "", "住房为土坯房，已列入危房改造计划", "孩子在县城寄宿读书", "需定期复查")),
    )
    return form, care


def _visit_kind(w: World, list_name: str, day: dt.date) -> str:
    r = w.rng
    festive = day.month in (1, 2, 9) if list_name != "留守儿童" else day.month in (1, 6)
    if festive and r.random() < 0.7:
        return "solace"
    return "assist" if r.random() < 0.08 else "visit"


def make_household(w: World, plan: HouseholdPlan, on: dt.date, reserved: bulk.Reserved
                   ) -> tuple[bulk.HouseholdLoad, list[tuple[bulk.Reserved, Any]], tuple[str, str, str, str] | None]:
    """A household (or a person on a care list) and its life since: visits, cadres, measures, tasks, lifted,
    exited — and the cases its visits opened: (reserved, load), to be written at their own turn."""
    r, today = w.rng, w.today
    form, care = household_form(w, plan, on)
    staff = w.staff()
    story = stories.HouseholdStory(form, care, w.at(on, None), staff, reserved)
    h = story.h
    list_name = plan.list_name
    window = max(on, today - dt.timedelta(days=365 * VISIT_YEARS))
    # how it ends: lifted (脱贫) or off the list
    exit_on: dt.date | None = None
    lift_on: dt.date | None = None
    age = (today - on).days
    last_finding = max((d for d, _k, _res in plan.findings), default=None)
    if care.is_household and age > 500 and r.random() < 0.5:
        lift_on = on + dt.timedelta(days=r.randint(365, max(366, min(age - 30, 3 * 365))))
    if age > 200 and r.random() < (0.25 if list_name in ("留守儿童", "春蕾女童") else 0.07):
        exit_on = on + dt.timedelta(days=r.randint(180, max(181, age - 5)))
        if last_finding and exit_on <= last_finding:
            exit_on = None
    end = min(exit_on or today, today)
    events: list[tuple[dt.date, int, Any]] = []
    plans = bulk.rhythm_dates(story.h.rhythm, window, end) if story.h.rhythm is not None else []
    finding_days = {d: (kind, res) for d, kind, res in plan.findings}
    taken: set[dt.date] = set()
    for planned in plans:
        if r.random() < 0.07 and planned < today - dt.timedelta(days=31):
            continue  # a month missed
        day = planned + dt.timedelta(days=r.randint(-4, 6))
        day = min(max(day, on, window), end)
        if day > today or (planned >= today - dt.timedelta(days=3) and r.random() < 0.5):
            continue  # this month's visit not made yet
        if day in taken:
            continue
        taken.add(day)
        events.append((day, 1, ("visit", None)))
    for day, found in finding_days.items():
        events = [e for e in events if e[0] != day]
        events.append((day, 1, ("finding", found)))
    if care.is_household:
        for _ in range(r.choice((0, 1, 1, 2, 3))):
            day = on + dt.timedelta(days=r.randint(20, max(21, (end - on).days)))
            if day <= end:
                events.append((day, 2, ("measure", r.choice(_MEASURES))))
        if (end - on).days > 800 and r.random() < 0.5:
            events.append((on + dt.timedelta(days=r.randint(500, (end - on).days)), 0, ("cadre", None)))
    if lift_on and lift_on <= end:
        events.append((lift_on, 3, ("lift", None)))
    if exit_on:
        events.append((exit_on, 4, ("exit", None)))
    events.sort(key=lambda e: (e[0], e[1]))
    last = story.created_at
    opened: list[tuple[bulk.Reserved, Any]] = []
    seen_here = r.sample(_SEEN.get(list_name, _SEEN["帮扶户"]), k=min(3, len(_SEEN.get(list_name, _SEEN["帮扶户"]))))
    values = {"township": h.township, "village": h.village or h.township}
    for day, _order, (what, data) in events:
        if what in ("visit", "finding"):
            last = w.at(day, last)
            visitors = []
            cadre = h.current_cadre
            if cadre and r.random() < 0.6:
                visitors.append(cadre.name)
            visitor = w.staff()
            visitors.append(visitor)
            kind = _visit_kind(w, list_name, day) if what == "visit" else "visit"
            cash = goods_fen = 0
            goods = ""
            if kind == "solace":
                cash = r.choice((20000, 30000, 50000, 50000, 100000)) if r.random() < 0.8 else 0
                if r.random() < 0.6 or not cash:
                    goods, goods_fen = r.choice(_GOODS)
            elif kind == "assist":
                cash = r.choice((50000, 100000, 150000, 200000))
            promised, promise_due = "", None
            asked = r.choice(_ASKED) if r.random() < 0.2 else ""
            if asked and r.random() < 0.6:
                promise = r.choice(_PROMISES_HH)
                promised, promise_due = promise[0], day + dt.timedelta(days=r.randint(7, 30))
            seen = r.choice(seen_here)  # the same few things are seen in one home, month after month
            finding = None
            res: bulk.Reserved | None = None
            if what == "finding":
                kind_f, res = data
                finding = _finding(w, story, kind_f)
                seen = "走访中发现家庭矛盾，" + seen if finding.kind == "dispute" else "走访中发现当事人身上有伤，" + seen
            staff = visitor
            v = story.visit(last, staff, Visit(
                visited_on=day, visitors="、".join(visitors), kind=kind, cash_fen=cash, goods=goods,
                goods_fen=goods_fen, seen=seen, asked=asked, promised=promised, promise_due=promise_due,
                finding=finding), (res.case_id, res.case_no) if res else None)
            if res is not None and v.finding is not None:
                opened.append((res, _opened(w, story, v, last, staff, res)))
            if promised and promise_due is not None:
                task = story.tasks[-1].task
                done = promise_due - dt.timedelta(days=r.randint(0, 10))
                done = max(done, day)
                if done <= today and r.random() >= 0.85:  # forgotten for a while …
                    done = promise_due + dt.timedelta(days=TASK_LATE_DAYS)  # … and done late, not left for years
                if done <= today:
                    note = next(n for t, n in _PROMISES_HH if t == promised)
                    story.complete_task(w.at(done, last), w.staff(), task, done, note)
        elif what == "measure" and h.is_open:
            kind_m, detail, unit, amount, benefit = data
            last = w.at(day, last)
            story.measure(last, w.staff(), Measure(kind=kind_m, detail=_fmt(detail, values),
                                                   helping_unit=_fmt(unit, values), on_date=day, amount_fen=amount,
                                                   benefit=benefit))
        elif what == "cadre" and h.is_open:
            last = w.at(day, last)
            story.change_cadre(last, w.staff(), Cadre(
                name=w.maker.name(r.random() < 0.6), unit=_fmt(r.choice(_CADRE_UNITS), values),
                level=r.choice(("科级", "科员")), phone=w.maker.phone(), from_date=day))
        elif what == "lift" and h.status == "helping":
            last = w.at(day, last)
            story.lift(last, w.staff(), day, r.choice(("", "人均纯收入稳定超过标准", "两不愁三保障均已实现")))
        elif what == "exit" and h.status != "exited":
            last = w.at(day, last)
            story.exit(last, w.staff(), day, r.choice(_EXITS.get(list_name, ("不再符合条件",))))
    remember = None
    head = h.head.person
    if head.sex == "女" and head.birth_date and age_on(head.birth_date, on) >= 18:
        remember = ("婚姻家庭", "家庭纠纷", h.township, h.village)
    return story.load(), opened, remember


def _finding(w: World, story: stories.HouseholdStory, kind: str) -> Finding:
    """Violence or a dispute found on a visit: for a woman of the household, with the other party a member
    when there is one (her husband, her grown son), else someone outside it."""
    r = w.rng
    everyone = story.h.everyone
    women = [i for i, m in enumerate(everyone)
             if m.person.sex == "女" and m.relation in ("户主", "配偶", "本人", "之母")]
    index = women[0] if women else 0
    me = everyone[index]
    husband = next((m for m in everyone if m is not me and m.relation in ("户主", "配偶") and m.person.sex == "男"
                    and me.relation in ("户主", "配偶")), None)
    son = next((m for m in everyone if m is not me and m.relation == "之子" and m.person.birth_date
                and age_on(m.person.birth_date, w.today) >= 18 and me.relation in ("户主", "配偶")), None)
    name = husband.person.name if husband else _male_name(w)
    if kind == "petition":
        return Finding("dv", "petition", index, f"{me.person.name}反映丈夫{name}酒后对她动手，身上有多处淤青。",
                       "请求制止家庭暴力，必要时申请人身安全保护令。", name, "丈夫")
    mediator = r.choice(w.active)
    if son is not None and r.random() < 0.5:
        return Finding("dispute", "mediation", index,
                       f"{me.person.name}与儿子{son.person.name}因赡养和田地耕种问题发生争吵。", "请求调解母子矛盾。",
                       son.person.name, "子女", mediator.id, "赡养")
    return Finding("dispute", "mediation", index, f"{me.person.name}与丈夫{name}因家庭开支问题经常争吵。",
                   "请求调解夫妻矛盾。", name, "丈夫", mediator.id, "婚姻")


def _opened(w: World, story: stories.HouseholdStory, v: Visit, at: dt.datetime, staff: str,
            res: bulk.Reserved) -> Any:
    """The petition or mediation a visit's finding opened, told to its end."""
    assert v.finding is not None
    if v.finding.route == "petition":
        p = story.finding_petition(v, at, staff)
        p.p.id, p.p.case_no = res.case_id, res.case_no
        return _carry_on_petition(w, p, at)
    m = story.finding_mediation(v, w.roster, at, staff)
    progress_mediation(w, m, at)
    return m.load()


def _carry_on_petition(w: World, story: stories.PetitionStory, at: dt.datetime) -> bulk.PetitionLoad:
    """A petition a visit opened goes on like any other (accepted, handled, concluded as its age allows)."""
    from .petitions import SCENARIOS

    p = story.p
    scenario = SCENARIOS[("婚姻家庭", "家庭暴力" if p.dv else "家庭纠纷")][0]
    link = p.timeline[-1].note
    form = replace(p, timeline=[])
    out, updated = w.maker.progress(form, scenario, created=at, link_note=link)
    return bulk.PetitionLoad(out, names=story.names, summary=story.load().summary, updated_at=max(updated, at))
