"""Made-up women and their petitions: names, ID numbers and phones of people who do not exist, the
scenarios (facts, requests, replies) of every category, and `_Maker`, which tells one petition from intake to
its end as its age allows. generate.py decides how many and when; kinds.py tells the other kinds of work.

Names are drawn from common surname and given-name characters (a few rare ones such as 堃 and 喆),
ID numbers are made with invented regional codes (439xxx), phones are random.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..domain import petition as rules
from ..domain import petition_course as course
from ..domain.idcard import make_id_number
from ..domain.records import Person, Petition, Representative, Review, TimelineEntry
from ..domain.workdays import Calendar, add_workdays

# a petition is left open at most this many days after it came in (a few of them overdue, none for months)
OPEN_AT_MOST_DAYS = 100

# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------

# Common surnames, the more frequent ones (and those frequent in Hunan) repeated.
_SURNAMES = (
    "王王王李李李张张张刘刘刘陈陈陈杨杨黄黄赵吴吴周周徐孙马朱胡胡郭何何高林罗罗郑梁谢宋唐唐许韩冯"
    "邓邓曹彭彭曾曾肖肖田董袁潘于蒋蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭谭陆汪范金石廖廖贾夏韦付方"
    "白邹邹孟熊秦邱江尹薛段雷侯龙龙史陶黎贺贺顾毛毛郝龚邵万严覃武戴莫孔向向汤易易伍文欧阳"
)
_COMPOUND_SURNAMES = ("欧阳", "欧阳", "司马", "上官", "诸葛")
_FEMALE_CHARS = (
    "秀英华兰芳玲红霞丽琴燕梅娟敏静艳萍桂凤云莲春翠芬娥珍淑慧婷雪洁倩颖琳欣怡佳悦雨晨思梦丹"
    "玉金银菊荣桃香凤彩霞亚新小海美秋冬月晓雅嘉诗语可馨钰妍蓉薇青媛"
)
_MALE_CHARS = "伟强军勇明建国平华志斌杰海波刚辉林峰涛鹏超磊亮飞俊成德福贵生文武军红卫东阳长兵永"
_RARE_CHARS = "堃喆婧珺玥淼垚犇昇祎"
# Invented region codes that look like Hunan's (43xxxx) but belong to no real county.
_REGIONS = ("439021",) * 12 + ("439002", "439023", "439101", "439224", "439305")
_ETHNICITIES = ("汉族",) * 44 + ("苗族", "苗族", "土家族", "土家族", "瑶族", "侗族")


@dataclass
class _Woman:
    person: Person
    category: str
    subcategory: str
    township: str
    village: str
    case_id: int | None = None  # the petition she came with (set once it is numbered; not for other kinds)
    case_no: str = ""
    received_on: dt.date | None = None


# ---------------------------------------------------------------------------------------------
# What people come about: scenarios per category and sub-kind
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    relation: str  # respondent relation ("" when nobody in particular)
    opening: tuple[str, ...]
    middle: tuple[str, ...]
    closing: tuple[str, ...]
    request: tuple[str, ...]
    theme: str  # picks replies and handling
    dv: float = 0.0  # chance of the domestic-violence flag
    safety: float = 0.0  # chance of the safety-risk flag (given dv)
    group: float = 0.0  # chance of a group petition
    group_opening: tuple[str, ...] = ()
    group_middle: tuple[str, ...] = ()
    group_request: tuple[str, ...] = ()
    ages: tuple[int, int] = (22, 60)
    marital: tuple[str, ...] = ("已婚",)
    # the woman concerned is a girl and one of these petitions for her: (relation, female, ages)
    guardians: tuple[tuple[str, bool, int, int], ...] = ()
    replies: tuple[str, ...] = ()  # when the result is 支持
    handling: tuple[tuple[str, str], ...] = ()  # (method, agency); else by theme
    weight: int = 1
    middles: int = 1  # how many of `middle` may go together (1: they are alternatives)


_DV_CLOSING = (
    "{woman}曾向{police}报警，派出所对{resp}出具了家庭暴力告诫书，但{resp}仍不悔改。",
    "村委会和双方亲属多次调解，均无效果。",
    "{woman}现带着孩子暂住娘家，不敢回家，{resp}仍多次打电话威胁。",
    "{woman}身上的伤已拍照留存，邻居可以作证。",
    "{woman}曾在{hospital}就诊，有病历和伤情照片。",
)
_DV_REQUEST = (
    "请求妇联帮助申请人身安全保护令，制止{resp}的家庭暴力。",
    "希望妇联协调公安机关依法处理{resp}，保障她和孩子的人身安全。",
    "请求妇联帮助其离婚，并争取孩子的抚养权。",
    "请求妇联提供法律援助，帮她起诉离婚并要求{resp}赔偿医药费。",
    "希望妇联出面对{resp}进行批评教育，让他不再动手打人。",
)

SCENARIOS: dict[tuple[str, str], tuple[Scenario, ...]] = {
    ("婚姻家庭", "家庭暴力"): (
        Scenario(
            "丈夫",
            ("{woman}与{resp}于{wed}年登记结婚，育有{kids}。",
             "{woman}与丈夫{resp}结婚{yrs}年，育有{kids}，{resp}常年在外务工，去年回家后脾气越来越坏。"),
            ("{resp}长期酗酒，酒后多次对{woman}拳打脚踢，{date}又因家庭琐事将其打伤，经{hospital}诊断为软组织挫伤。",
             "{resp}怀疑{woman}与他人有不正当关系，经常辱骂、殴打她，还扣留她的身份证和手机，不准她与娘家来往。",
             "{date}晚，{resp}因打牌输钱回家与{woman}发生争吵，用皮带抽打{woman}，致其手臂、背部多处淤青。",
             "{resp}多次当着孩子的面殴打{woman}，并扬言如果她提出离婚就杀了她全家。",
             "{resp}不让{woman}外出工作，家中收入全部由其掌控，{woman}稍有不从便遭打骂。"),
            _DV_CLOSING, _DV_REQUEST, "dv", dv=1.0, safety=0.35, weight=6, middles=2,
            replies=(
                "经协调，公安机关已对{resp}进行训诫并出具告诫书；县妇联协助{woman}向法院申请人身安全保护令，法院已作出裁定。",
                "已协助{woman}申请法律援助，律师代理其离婚诉讼；{township}妇联定期上门查访，{woman}目前安全。",
            ),
        ),
        Scenario(
            "前夫",
            ("{woman}与{resp}已于{wed}年离婚，孩子随{woman}生活。",),
            ("离婚后{resp}仍经常到{woman}住处纠缠，{date}醉酒后闯入家中砸坏家具，并将{woman}推倒在地。",
             "{resp}不甘心离婚，多次到{woman}打工的地方吵闹，威胁要带走孩子。"),
            _DV_CLOSING, _DV_REQUEST[:2] + ("请求妇联协调派出所对{resp}进行训诫，禁止其骚扰。",),
            "dv", dv=1.0, safety=0.5, marital=("离婚",),
            replies=("经协调，派出所已对{resp}进行训诫，{resp}书面保证不再骚扰；{township}妇联定期回访。",),
        ),
        Scenario(
            "男友",
            ("{woman}与{resp}同居{yrs}年，未办理结婚登记，育有{kids}。",),
            ("{resp}脾气暴躁，稍不如意就动手打人，{date}将{woman}打伤后离家，至今下落不明。",
             "{woman}提出分手后，{resp}多次发信息威胁，并在村里散布对她不利的言论。"),
            _DV_CLOSING, _DV_REQUEST[:2], "dv", dv=1.0, safety=0.4, marital=("同居", "未婚"),
            replies=("公安机关已依法对{resp}作出治安处罚，{woman}已搬离原住处，目前安全。",),
        ),
        Scenario(
            "子女",
            ("{woman}今年{age}岁，老伴已去世，与儿子{resp}一家共同生活。",),
            ("{resp}嫌她年老多病拖累家庭，经常辱骂她，{date}因琐事将她推倒，致其腿部受伤。",),
            ("{woman}的女儿在外地打工，得知后让她来妇联求助。",
             "村委会曾上门调解，{resp}当面答应，事后依旧。"),
            ("请求妇联督促{resp}停止虐待，依法履行赡养义务。",),
            "dv", dv=1.0, safety=0.2, ages=(62, 85), marital=("丧偶",),
            replies=(
                "经{township}妇联和村委会上门调解，{resp}当面认错并签订赡养协议，妇联定期回访。",
                "派出所已对{resp}出具告诫书，{woman}已搬到女儿家居住。",
            ),
            handling=(("调解", "村（居）委会"), ("转办/交办", "公安")),
        ),
        Scenario(  # a girl beaten at home: the office must report her to the police (强制报告)
            "父母",
            ("{pet}反映，女儿{woman}今年{age}岁，在读{school}。",),
            ("{woman}的父亲{resp}酗酒后经常打骂她，{date}用木棍打伤她的手臂，老师发现后通知了家长。",),
            ("孩子现在不敢回家，暂住在外婆家。",),
            ("请求妇联帮助制止{resp}的家庭暴力，保护孩子的安全。",),
            "dv", dv=1.0, safety=0.6, ages=(9, 16), marital=("未婚",),
            replies=("派出所已对{resp}出具告诫书，县妇联和学校定期查访，孩子已回校上课。",),
            handling=(("转办/交办", "公安"),),
            guardians=(("母亲", True, 30, 48),),
        ),
    ),
    ("婚姻家庭", "离婚问题"): (
        Scenario(
            "丈夫",
            ("{woman}与{resp}于{wed}年结婚，育有{kids}。", "{woman}与{resp}经人介绍认识，婚后感情一般。"),
            ("近年来双方经常为家庭开支和老人赡养问题争吵，已分居{months}。",
             "{resp}沉迷网络赌博，欠下外债{amount}，{woman}多次劝说无果。",
             "{resp}外出务工后很少与家里联系，也不寄生活费回家。"),
            ("{woman}想离婚，但不知道财产和孩子抚养问题如何处理。",
             "{woman}曾向法院起诉离婚，法院判决不准离婚。"),
            ("请求妇联提供法律咨询，帮助其依法离婚。", "请求妇联帮助争取孩子的抚养权并依法分割夫妻共同财产。",
             "希望妇联帮助申请法律援助，代为起诉离婚。"),
            "divorce", dv=0.12, safety=0.2, weight=4, marital=("已婚", "分居"), middles=2,
            replies=(
                "已为{woman}申请法律援助，县法律援助中心指派律师代理诉讼，法院已受理。",
                "经调解，双方协议离婚，孩子由{woman}抚养。",
            ),
        ),
        Scenario(
            "前夫",
            ("{woman}与{resp}已于{wed}年经法院判决离婚，{child}由{woman}抚养。",),
            ("判决书确定{resp}每月支付抚养费{monthly}，但{resp}已{months}未付。",
             "{resp}以各种理由拒绝支付孩子的学费和医疗费。"),
            ("{woman}多次电话催要，{resp}不接电话。", "{woman}靠打零工维持生活，经济十分困难。"),
            ("请求妇联帮助追讨拖欠的抚养费。", "希望妇联帮助申请法院强制执行。"),
            "divorce", weight=2, marital=("离婚",),
            replies=(
                "经调解，{resp}同意按期支付抚养费，已补付拖欠部分。",
                "已协助{woman}向法院申请强制执行，拖欠的抚养费已执行到位。",
            ),
        ),
    ),
    ("婚姻家庭", "家庭纠纷"): (
        Scenario(
            "婆家",
            ("{woman}嫁到{village}已{yrs}年，与公婆同住。",),
            ("因分家和宅基地问题，{woman}与公婆、小叔子矛盾不断，{date}双方发生口角并有推搡。",
             "丈夫在外地务工，婆家嫌她只生了女儿，经常冷言冷语，不给她生活费。"),
            ("村委会调解过一次，没有结果。", "{woman}现在情绪很低落，经常失眠。"),
            ("希望妇联出面调解家庭矛盾。", "请求妇联协调村委会帮助解决分家和宅基地问题。"),
            "family", weight=2, middles=2,
            replies=("经{township}妇联和村委会调解，双方达成协议，家庭矛盾已化解。",),
        ),
        Scenario(
            "子女",
            ("{woman}今年{age}岁，育有{children}，均已成家。",),
            ("老伴去世后，子女互相推诿，都不愿赡养她，{woman}现独自住在老房子里，生活困难。",
             "儿子{resp}把她的承包地收去耕种，却不给她口粮和生活费。"),
            ("{woman}患有高血压，看病买药都要自己承担。",),
            ("请求妇联督促子女依法履行赡养义务。", "希望妇联帮助调解，让子女每月支付赡养费。"),
            "family", ages=(63, 88), marital=("丧偶",), weight=2,
            replies=("经调解，子女签订了赡养协议，约定每月轮流支付赡养费。",),
        ),
    ),
    ("婚姻家庭", "干涉婚姻"): (
        Scenario(
            "父母",
            ("{woman}今年{age}岁，在县城打工时与外地男青年相识相恋。",),
            ("父母嫌对方家里穷、路远，坚决反对两人结婚，并扣留了她的户口本。",
             "父母收了邻村一户人家{amount}彩礼，逼她嫁给对方，她不同意就把她关在家里。"),
            ("{woman}多次与父母沟通无果。",),
            ("请求妇联帮助做父母的思想工作，支持她婚姻自主。",
             "希望妇联协调取回户口本，让她能办理结婚登记。"),
            "family", ages=(19, 30), marital=("未婚",),
            replies=(
                "经{township}妇联和村干部多次上门做工作，父母已同意她的婚事并交还户口本。",
            ),
            handling=(("调解", "村（居）委会"), ("当场答复", "")),
        ),
    ),
    ("婚姻家庭", "配偶外遇/重婚/同居"): (
        Scenario(
            "丈夫",
            ("{woman}与{resp}于{wed}年结婚，育有{kids}。",),
            ("{resp}在外务工期间与他人同居，已有{months}没有回家，也不给家里寄钱。",
             "{woman}发现{resp}与一名女子以夫妻名义共同生活，并生育一子。"),
            ("{woman}要求其回家，{resp}提出离婚。",),
            ("请求妇联帮助收集证据，依法追究{resp}的责任。",
             "希望妇联帮助她在离婚时争取更多财产和损害赔偿。"),
            "divorce", marital=("已婚", "分居"), middles=2,
            replies=("已为{woman}申请法律援助，律师正在协助收集证据并代理离婚诉讼。",),
        ),
    ),
    ("婚姻家庭", "其他"): (
        Scenario(
            "",
            ("{woman}来电咨询婚姻家庭方面的法律问题。",),
            ("她想了解婚前购买的房子离婚时如何分割。", "她想知道非婚生子女能否上户口、能否继承财产。"),
            ("",),
            ("请求妇联给予法律咨询。",),
            "general", marital=("已婚", "未婚", "离婚"),
            replies=(
                "已当场解答{woman}的咨询，并告知可拨打12338热线或到县法律援助中心进一步咨询。",
            ),
            handling=(("当场答复", ""),),
        ),
    ),
    ("劳动和社会保障权益", "劳动权益"): (
        Scenario(
            "用人单位",
            ("{woman}自{wed}年起在{company}当{job}。",),
            ("公司以效益不好为由，拖欠她{months}工资共计{wage}。",
             "{woman}怀孕后，公司以各种理由将她辞退，未支付任何补偿。"),
            ("{woman}多次找公司负责人讨要，对方一直推脱。",),
            ("请求妇联帮助讨回被拖欠的工资。", "请求妇联帮助依法维护她在孕期的劳动权益。"),
            "labour", group=0.3,
            replies=(
                "经人社部门督办，用人单位已支付拖欠的工资。",
                "经劳动监察部门调查，公司已撤销辞退决定并补发工资。",
            ),
            group_opening=("{pet}等{head}名女工反映，她们在{company}做{job}。",),
            group_middle=("公司拖欠她们{months}工资，人均约{wage}，负责人至今避而不见。",
                          "公司突然停产，老板拖欠她们的工资和经济补偿。"),
            group_request=("请求妇联协调人社部门帮助她们讨回工资。",),
            weight=2,
        ),
    ),
    ("劳动和社会保障权益", "社会保障"): (
        Scenario(
            "",
            ("{woman}家住{village}，丈夫去年因病去世，留下{kids}。",),
            ("她家原来享受的低保今年被取消了，她不知道原因。",
             "她身患残疾，申请残疾人两项补贴一直没有批下来。"),
            ("家里现在靠亲戚接济过日子。",),
            ("请求妇联帮助了解原因，重新申请低保。", "希望妇联帮助反映困难，落实救助政策。"),
            "welfare", marital=("丧偶", "离婚"),
            replies=("经民政部门核实，已恢复其低保待遇并给予临时救助。", "残疾人两项补贴已审批发放。"),
        ),
    ),
    ("劳动和社会保障权益", "社会保险"): (
        Scenario(
            "用人单位",
            ("{woman}在{company}工作已有{yrs}年。",),
            ("公司一直没有为她缴纳社会保险，她生孩子时无法享受生育保险待遇。",
             "她在工作中受伤，公司拒绝为她申请工伤认定。"),
            ("",),
            ("请求妇联帮助督促公司补缴社会保险。", "希望妇联帮助申请工伤认定。"),
            "labour",
            replies=(
                "经协调，用人单位已补缴社会保险，生育保险待遇已落实。",
                "已协助申请工伤认定，人社部门已认定为工伤。",
            ),
        ),
    ),
    ("劳动和社会保障权益", "性别歧视"): (
        Scenario(
            "用人单位",
            ("{woman}今年{age}岁，大学毕业后到{company}应聘{job}岗位。",),
            ("面试时对方问她婚育情况，随后以只招男性为由拒绝录用。",
             "公司规定女职工入职两年内不得怀孕，否则自动离职。"),
            ("",),
            ("请求妇联依法督促用人单位纠正性别歧视行为。",),
            "labour", ages=(21, 35), marital=("未婚", "已婚"),
            replies=("经人社部门约谈，该用人单位已修改招聘条件，并向{woman}道歉。",),
        ),
    ),
    ("劳动和社会保障权益", "其他"): (
        Scenario(
            "用人单位",
            ("{woman}在{company}做{job}。",),
            ("公司安排她长期上夜班，哺乳期也不例外。",),
            ("",),
            ("请求妇联帮助维护女职工特殊劳动保护权益。",),
            "labour",
            replies=("经协调，公司已调整{woman}哺乳期的工作时间。",),
        ),
    ),
    ("人身权益", "人身伤害"): (
        Scenario(
            "其他",
            ("{woman}家住{village}。",),
            ("{date}，她因宅基地边界问题与邻居{resp}发生争执，被{resp}打伤住院{days}天。",
             "{date}，她在路边摆摊时与{resp}发生口角，被对方打伤面部。"),
            ("派出所已受理，但医药费一直没有着落。",),
            ("请求妇联帮助督促公安机关依法处理，并要求对方赔偿医药费。",),
            "injury", weight=2,
            replies=("公安机关已依法处理，对方赔偿了医药费。",),
        ),
    ),
    ("人身权益", "性侵害"): (
        Scenario(
            "其他",
            ("{pet}反映，女儿{woman}今年{age}岁，在读{school}。",),
            ("{woman}近期多次被同村男子{resp}骚扰，家长发现后已向{police}报案。",),
            ("孩子现在不敢去上学，晚上经常做噩梦。",),
            ("请求妇联协助跟进案件办理，并为孩子提供心理疏导。", "希望妇联帮助申请法律援助和司法救助。"),
            "injury", ages=(8, 16), marital=("未婚",), safety=0.6,
            replies=(
                "公安机关已立案侦查，县妇联协调为孩子提供心理疏导，并申请了司法救助。",
            ),
            handling=(("转办/交办", "公安"), ("转介法律援助", "司法局")),
            guardians=(("母亲", True, 30, 48), ("父亲", False, 32, 52)),
        ),
    ),
    ("人身权益", "拐卖"): (
        Scenario(
            "其他",
            ("{woman}自述{wed}年被人骗到{village}，与当地一男子共同生活至今。",),
            ("她一直没有户口，无法办理身份证和医保。", "她想回老家寻找亲人，但只记得老家的大概地名。"),
            ("",),
            ("请求妇联帮助寻亲，并协调公安机关解决户口问题。",),
            "general", ages=(35, 60), marital=("同居", "已婚"),
            replies=(
                "经公安机关协助，已为{woman}办理户口登记，并通过DNA比对联系上老家亲属。",
            ),
            handling=(("转办/交办", "公安"),),
        ),
    ),
    ("人身权益", "其他"): (
        Scenario(
            "其他",
            ("{woman}家住{village}。",),
            ("近半年来，有人在网上冒用她的照片发布不雅信息，对她造成很大困扰。",),
            ("",),
            ("请求妇联协调有关部门删除信息并追究责任。",),
            "injury", ages=(20, 45), marital=("未婚", "已婚"),
            replies=(
                "经网信部门协调，相关信息已删除，公安机关已对发布者进行处理。",
            ),
            handling=(("转办/交办", "公安"),),
        ),
    ),
    ("财产权益", "土地承包"): (
        Scenario(
            "村（居）委会",
            ("{woman}出嫁后户口一直留在{village}。",),
            ("第二轮土地承包调整时，村里以“出嫁女”为由收回了她的{area}责任田。",
             "她离婚后回到娘家居住，村组不给她分配承包地。"),
            ("她多次找村组干部反映，没有结果。",),
            ("请求妇联帮助依法保障她的土地承包经营权。",),
            "land", group=0.25,
            replies=("经协调，村组已依法落实承包地。",),
            group_opening=("{pet}等{head}名外嫁女反映，她们的户口都在{village}，",),
            group_middle=("第二轮土地承包调整时，村里以“出嫁女”为由收回了她们的责任田。",),
            group_request=("请求妇联协调乡镇政府依法落实她们的土地承包权益。",),
        ),
    ),
    ("财产权益", "征地补偿"): (
        Scenario(
            "村（居）委会",
            ("{village}因修建公路被征收土地，",),
            ("村组在分配征地补偿款时，没有给{woman}及其孩子分配，她应得约{amount}。",
             "村组以她已嫁到外村为由，不让她参与征地补偿款分配。"),
            ("她找乡政府反映过，乡里让她找村里。",),
            ("请求妇联帮助依法分得征地补偿款。",),
            "land", group=0.4,
            replies=("经{township}政府督促，村组已按规定补发应得的征地补偿款。",),
            group_opening=("{pet}等{head}名妇女反映，{village}近年因建设项目被征地，",),
            group_middle=("村组以她们已出嫁或离婚为由，不让她们参与征地补偿款分配，每人应得约{amount}。",),
            group_request=("请求妇联协调{township}政府督促村组依法足额发放她们的征地补偿款。",),
            weight=2,
        ),
    ),
    ("财产权益", "集体收益分配"): (
        Scenario(
            "村（居）委会",
            ("{woman}户口在{village}，{wed}年离婚后一直在村里居住。",),
            ("村里每年年底分配集体经济收益，今年却以她离婚为由没有分给她，按人头计约{amount}。",),
            ("",),
            ("请求妇联帮助依法享有集体经济组织成员权益。",),
            "land", group=0.35,
            replies=("经{township}政府督促，村组已修改村规民约，补发了应得的集体收益。",),
            group_opening=("{pet}等{head}人反映，她们的户口均在{village}，",),
            group_middle=("村里每年分配集体经济收益时，都以“出嫁女”“离婚女”为由不分给她们。",),
            group_request=("请求妇联帮助纠正村规民约中歧视妇女的规定，让她们平等分享集体收益。",),
        ),
    ),
    ("财产权益", "继承"): (
        Scenario(
            "兄弟姐妹",
            ("{woman}的父母已先后去世，留下老房子一栋和存款若干。",),
            ("哥哥{resp}认为出嫁的女儿没有继承权，独自占有了全部遗产。",),
            ("{woman}多次与哥哥协商未果。",),
            ("请求妇联帮助依法继承父母的遗产。",),
            "inherit", ages=(30, 65),
            replies=("经调解，兄妹达成遗产分割协议，{woman}分得相应份额。",),
        ),
    ),
    ("财产权益", "其他"): (
        Scenario(
            "丈夫",
            ("{woman}与{resp}于{wed}年结婚。",),
            ("{resp}瞒着她把夫妻共同所有的房子抵押借款{amount}，现在债主上门催债。",),
            ("",),
            ("请求妇联帮助维护她的财产权益。",),
            "divorce",
            replies=("已为{woman}提供法律咨询，并协助其向法院起诉。",),
        ),
    ),
    ("政治权利", ""): (
        Scenario(
            "村（居）委会",
            ("{woman}户口在{village}，",),
            ("村委会换届选举时，她因嫁到外地工作未被列入选民名单。",),
            ("",),
            ("请求妇联帮助依法保障她的选举权。",),
            "general",
            replies=(
                "经{township}政府核实，已将{woman}补列入选民名单。",
            ),
            handling=(("转办/交办", "乡镇政府"),),
        ),
    ),
    ("文化教育", ""): (
        Scenario(
            "父母",
            ("{pet}反映，外孙女{woman}今年{age}岁，父母都在外地打工。",),
            ("孩子初二下学期起辍学在家，父母打算让她外出打工。",),
            ("",),
            ("请求妇联帮助孩子返回学校读书。",),
            "general", ages=(12, 15), marital=("未婚",),
            replies=(
                "经{township}妇联、学校和村委会共同做工作，孩子已返校就读，并纳入困难学生资助。",
            ),
            handling=(("转办/交办", "教育局"), ("其他", "")),
            guardians=(("外婆", True, 55, 75), ("外公", False, 57, 78)),
        ),
    ),
    ("综合", ""): (
        Scenario(
            "",
            ("{woman}家住{village}，丈夫{yrs}年前因病去世，一人抚养{kids}。",),
            ("家里房子年久失修，孩子上学费用也没有着落。",),
            ("",),
            ("请求妇联帮助申请困难救助，并协调孩子的助学资助。",),
            "welfare", marital=("丧偶",),
            replies=("已协调民政部门给予临时救助，孩子已纳入助学资助对象。",),
        ),
    ),
    ("其他", ""): (
        Scenario(
            "",
            ("{woman}来电咨询。",),
            ("她想了解妇联“两癌”免费检查的时间和报名办法。", "她想咨询如何申请妇女创业担保贷款。"),
            ("",),
            ("请求告知有关政策。",),
            "general",
            replies=("已当场解答有关政策，并告知报名方式。",), handling=(("当场答复", ""),),
        ),
    ),
}

_GENERIC = Scenario(
    "",
    ("{woman}家住{village}，",),
    ("反映{category}方面的问题。",),
    ("",),
    ("请求妇联帮助协调解决。",),
    "general",
)

_CATEGORY_WEIGHTS = {"婚姻家庭": 50, "劳动和社会保障权益": 12, "人身权益": 10, "财产权益": 16,
                     "政治权利": 1, "文化教育": 2, "综合": 4, "其他": 5}
_CHANNEL_WEIGHTS = {"来访": 40, "来电": 25, "12338热线": 15, "网上": 12, "来信": 8}

_HANDLING: dict[str, tuple[tuple[str, str], ...]] = {
    "dv": (("转办/交办", "公安"), ("转介法律援助", "司法局"), ("转办/交办", "法院"), ("调解", "村（居）委会"),
           ("当场答复", "")),
    "divorce": (("转介法律援助", "司法局"), ("当场答复", ""), ("调解", "村（居）委会")),
    "family": (("调解", "村（居）委会"), ("调解", "乡镇政府"), ("当场答复", "")),
    "labour": (("转办/交办", "人社局"), ("转介法律援助", "司法局"), ("当场答复", "")),
    "welfare": (("转办/交办", "民政局"), ("转办/交办", "乡镇政府"), ("当场答复", "")),
    "injury": (("转办/交办", "公安"), ("转介法律援助", "司法局"), ("其他", "")),
    "land": (("转办/交办", "乡镇政府"), ("调解", "村（居）委会"), ("转介法律援助", "司法局")),
    "inherit": (("调解", "村（居）委会"), ("转介法律援助", "司法局"), ("当场答复", "")),
    "general": (("当场答复", ""), ("转办/交办", "乡镇政府"), ("其他", "")),
}
_OPINIONS = {
    "转办/交办": ("请{agency}依法调查处理，并于30日内将结果反馈县妇联。",
                  "已电话联系{agency}，约定共同核实情况。"),
    "转介法律援助": ("已转介县法律援助中心，指派律师提供法律咨询和代理。",),
    "调解": ("由县妇联权益部会同{township}妇联组织双方调解。", "请{agency}协助组织调解。"),
    "当场答复": ("当场向信访人解释有关法律政策。",),
    "其他": ("", "联系{township}妇联主席上门了解情况。"),
}
_SUPPORTED = ("已协调有关部门解决，信访人表示满意。",)  # for scenarios without their own replies
_EXPLAIN = (
    "已向信访人解释《中华人民共和国民法典》有关规定，建议其通过诉讼途径解决，信访人表示理解。",
    "已告知信访人依法维权的途径和所需材料，并提供了法律援助中心的联系方式。",
    "已向信访人说明有关政策规定和办理程序，信访人表示理解。",
)
_NOT_SUPPORTED = ("经核实，信访人反映的情况与事实有出入，其诉求缺乏法律依据，已当面向其说明。",)
_NOT_SUPPORTED_LAND = ("经调查，村组的做法符合有关规定，已向信访人解释说明。",)
_COURT_REFUSALS = (
    "该事项已由人民法院作出生效判决，已告知信访人通过申请再审等法定途径解决。",
    "该事项正在诉讼程序中，已告知信访人等待法院依法处理。",
)
_REFUSALS: dict[str, tuple[str, ...]] = {
    "general": (
        "信访人反映的事项已依法处理完毕，且无新的事实和理由，不再重复受理。",
        "该事项不属于妇联职责范围，已告知信访人向有权处理的机关提出。",
    ),
    "dv": _COURT_REFUSALS,
    "divorce": _COURT_REFUSALS,
    "family": (),
    "labour": ("该事项属于劳动争议，依法应向劳动人事争议仲裁委员会申请仲裁，已告知信访人。",),
    "welfare": (),
    "injury": _COURT_REFUSALS,
    "land": ("该事项属于土地承包经营纠纷，已告知信访人向农村土地承包仲裁委员会申请仲裁或向法院起诉。",),
    "inherit": _COURT_REFUSALS,
}
# where a refused petition can be taken instead, by theme
_ROUTES = {
    "labour": "向劳动人事争议仲裁委员会申请仲裁", "land": "向农村土地承包仲裁委员会申请仲裁或者依法向人民法院起诉",
    "dv": "依法向人民法院申请再审", "divorce": "依法向人民法院申请再审", "injury": "依法向人民法院申请再审",
    "inherit": "依法向人民法院申请再审",
}
# why a petition transferred in is not the office's (退回函)
_NOT_OURS = ("反映的是拖欠工资问题，属于人力资源和社会保障部门的职责。", "反映的是宅基地和房屋确权问题，属于乡镇人民政府和自然资源部门的职责。",
             "反映的是医疗费用报销问题，属于医疗保障部门的职责。", "反映的是对法院生效判决不服，应依法通过申请再审解决。")
# what she said of the outcome (at conclusion or a return call), how often
_RATINGS = ((0.62, "满意"), (0.86, "基本满意"), (0.95, "不满意"), (1.0, "未评价"))
_UNHAPPY = ("认为处理时间太长", "对方仍未履行，希望妇联继续督促", "对处理结果有意见，表示将向上一级妇联反映")
_REVIEW_REQUESTS = ("对处理意见不服，请求{stage}，要求重新调查核实。", "认为处理意见没有解决她的实际困难，请求{stage}。",
                    "提供了新的证明材料，请求{stage}。")
_REVIEW_OPINIONS = {
    "维持": ("经{stage}，原处理意见认定事实清楚，适用依据正确，予以维持。",),
    "变更": ("经{stage}，原处理意见对部分事实认定不全，现予变更，由有关部门重新协调解决。",),
}
_TRANSFER_ANSWERS = ("{agency}已依法处理，并将处理结果告知信访人。", "{agency}已约谈被反映人，责令其改正。",
                     "{agency}已受理，正在调查处理中。")
_EXTENSIONS = (
    "案情复杂，需协调多个部门共同处理",
    "需等待法院裁判结果",
    "当事人外出务工，无法按期调查核实",
    "需调取相关证据材料",
)
_KIDS = ("一子一女", "一个儿子", "一个女儿", "两个女儿", "两个儿子", "一女两子")
_JOBS = ("车间普工", "缝纫工", "保洁员", "服务员", "质检员", "仓库管理员", "销售", "文员")
_COMPANY_WORDS = ("恒达", "鑫盛", "华美", "宏发", "顺丰", "佳和", "金源", "永兴", "新华", "富强")
_COMPANY_KINDS = ("制衣厂", "电子厂", "食品有限公司", "建材有限公司", "物业服务公司", "酒店", "鞋业有限公司")
_HOSPITALS = ("县人民医院", "县中医医院", "{township}卫生院")


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------


def id_key(number: str) -> int | str:
    """An ID number as held among those used: its first 17 digits as an int (they decide the check character)."""
    head = number[:17]
    return int(head) if len(number) == 18 and head.isdigit() else number


class UsedIds:
    """The ID numbers already used, by id_key. A set of them until it holds SET_MOST; then a bit for each number of a
    region and year of birth (the region, the birth date, the two-digit sequence and the sex digit make the key),
    any other key staying in the set. A million people's numbers in a set of ints took about 110 MB; the bits of the
    few regions and the years of birth the demo makes take about 25 MB however many people (more than a set of
    fewer than 200,000: hence the set first)."""

    SET_MOST = 200_000
    _BITS = 12 * 31 * 1000  # (month, day, last three digits) of a year

    def __init__(self, keys: Iterable[int | str] = ()) -> None:
        self._bits: dict[int, bytearray] | None = None  # region and year (the key's first ten digits) -> its bits
        self._other: set[int | str] = set()
        for key in keys:
            self.add(key)

    @staticmethod
    def _place(key: int | str) -> tuple[int, int] | None:
        if not isinstance(key, int) or not 0 <= key < 10**17:
            return None
        head, rest = divmod(key, 10**7)  # head: region and year; rest: month, day, sequence and sex digit
        month, rest = divmod(rest, 10**5)
        day, last = divmod(rest, 1000)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return head, ((month - 1) * 31 + day - 1) * 1000 + last

    def __contains__(self, key: int | str) -> bool:
        place = None if self._bits is None else self._place(key)
        if place is None:
            return key in self._other
        bits = self._bits.get(place[0]) if self._bits is not None else None
        return bits is not None and bool(bits[place[1] >> 3] & (1 << (place[1] & 7)))

    def add(self, key: int | str) -> None:
        if self._bits is None:
            self._other.add(key)
            if len(self._other) > self.SET_MOST:  # from now on as bits
                kept, self._other, self._bits = self._other, set(), {}
                for k in kept:
                    self.add(k)
            return
        place = self._place(key)
        if place is None:
            self._other.add(key)
            return
        bits = self._bits.get(place[0])
        if bits is None:
            bits = self._bits[place[0]] = bytearray(self._BITS // 8 + 1)
        bits[place[1] >> 3] |= 1 << (place[1] & 7)


SERIALS = 500  # make_id_number's serials (the sequence and the sex digit) for one region, birth date and sex
RECENT = 3000  # those who come back are drawn from the last 3000 women who may (older ones are let go)


@dataclass
class _State:
    today: dt.date
    now: dt.datetime
    townships: list[tuple[str, list[str]]]
    combos: list[tuple[str, str]]
    combo_weights: list[int]
    staff: list[str]
    used_ids: UsedIds = field(default_factory=UsedIds)  # by id_key
    recent: list[_Woman] = field(default_factory=list)
    office: str = "县妇联"  # the name the notices and opinions are issued under
    calendar: Calendar = field(default_factory=Calendar)  # the holiday table (for the 5 working days to object)
    # (part, parts): the ID numbers' serials this maker draws from — those equal to `part` modulo `parts`. Cases made
    # in parts at once (demo/workers.py) each draw from serials of their own, so that no two parts make one number.
    serials: tuple[int, int] = (0, 1)

    def came(self, woman: _Woman) -> None:
        """She may come back: among the last RECENT women, from whom those who come back are drawn."""
        self.recent.append(woman)
        if len(self.recent) >= 2 * RECENT:
            del self.recent[:-RECENT]


class _Maker:
    def __init__(self, rng: random.Random, state: _State) -> None:
        self.rng = rng
        self.s = state
        self.last_birth = state.today  # of the last person made (known even when not recorded)
        self.last_repeat: _Woman | None = None  # the earlier woman the last petition made came back as
        self.last_added: _Woman | None = None  # the woman the last petition made added to those who may come back
        self.repeat_on: dt.date | None = None  # when the earlier petition of a repeat came in

    # -- people -------------------------------------------------------------------------------

    def name(self, female: bool, surname: str = "") -> str:
        r = self.rng
        if not surname:
            surname = r.choice(_COMPOUND_SURNAMES) if r.random() < 0.01 else r.choice(_SURNAMES)
        chars = _FEMALE_CHARS if female else _MALE_CHARS
        given = r.choice(chars)
        if r.random() < 0.004:
            given = r.choice(_RARE_CHARS)
        if r.random() < 0.68 or len(surname) == 2 and r.random() < 0.5:
            second = r.choice(_RARE_CHARS) if r.random() < 0.006 else r.choice(chars)
            given += second
        return surname + given

    def id_number(self, birth: dt.date, female: bool) -> str:
        region = self.rng.choice(_REGIONS)
        part, parts = self.s.serials
        if parts == 1:
            while True:
                number = make_id_number(region, birth, self.rng.randrange(SERIALS), female)
                key = id_key(number)
                if key not in self.s.used_ids:
                    self.s.used_ids.add(key)
                    return number
        own = len(range(part, SERIALS, parts))  # this part's serials: a few for each region, birth date and sex
        for tried in range(1, 1000):
            number = make_id_number(region, birth, part + parts * self.rng.randrange(own), female)
            key = id_key(number)
            if key not in self.s.used_ids:
                self.s.used_ids.add(key)
                return number
            if tried % 8 == 0:  # this region's few serials for the day all taken: another region
                region = self.rng.choice(_REGIONS)
        raise ValueError("no ID number left for this birth date")

    def phone(self) -> str:
        r = self.rng
        return f"1{r.choice('358')}{r.randrange(10)}{r.randrange(10**8):08d}"

    def address(self, township: str, village: str) -> str:
        r = self.rng
        if village.endswith("社区"):
            return f"{township}{village}{r.randint(1, 30)}栋{r.randint(1, 6)}0{r.randint(1, 4)}室"
        return f"{township}{village}{r.randint(1, 12)}组{r.randint(1, 60)}号"

    def person(
        self, female: bool, ages: tuple[int, int], on: dt.date, address: str, marital: str,
        with_id: bool = True, with_phone: bool = True, surname: str = "",
    ) -> Person:
        r = self.rng
        birth = _years_before(on, r.randint(*ages)) - dt.timedelta(days=r.randint(0, 364))
        self.last_birth = birth
        return Person(
            name=self.name(female, surname),
            sex="女" if female else "男",
            ethnicity=r.choice(_ETHNICITIES),
            # without an ID number, half of them still say when they were born
            birth_date=birth if with_id or r.random() < 0.5 else None,
            id_number=self.id_number(birth, female) if with_id else "",
            phone=self.phone() if with_phone else "",
            address=address,
            marital_status=marital,
        )

    # -- one petition ---------------------------------------------------------------------------

    def relative(self, woman: Person, age: int, on: dt.date, address: str) -> Person:
        """A parent, sister or brother who comes on the woman's behalf (ages that fit hers)."""
        r = self.rng
        surname = _surname(woman.name)
        label = r.choice(("母亲", "父亲", "姐姐", "哥哥") if age <= 50 else ("姐姐", "哥哥", "妹妹", "弟弟"))
        female = label in ("母亲", "姐姐", "妹妹")
        if label in ("母亲", "父亲"):
            ages = (age + 20, age + 35)
        elif label in ("姐姐", "哥哥"):
            ages = (age + 1, age + 12)
        else:
            ages = (max(18, age - 12), max(18, age - 1))
        return self.person(female, ages, on, address, "已婚", with_id=r.random() < 0.8,
                           surname="" if label == "母亲" else surname)

    def petition(self, received: dt.date, category: str, sub: str, channel: str,
                 plain: bool = False) -> tuple[Petition, Scenario]:
        """A filled-in registration form, and the scenario it came from (for handling and replies).
        `plain`: one woman's own matter on the topic given (no group petition, no change of topic), as
        when the petition is to be referred or mediated."""
        r, s = self.rng, self.s
        hotline = channel in ("来电", "12338热线")
        repeat = None
        if s.recent and r.random() < 0.07:
            within_year = [w for w in s.recent[-200:] if w.received_on and 0 <= (received - w.received_on).days <= 360]
            repeat = r.choice(within_year if within_year and r.random() < 0.6 else s.recent[-RECENT:])
            if r.random() < 0.6 and not plain:
                category, sub = repeat.category, repeat.subcategory
        scenario = r.choice(SCENARIOS.get((category, sub)) or (_GENERIC,))
        if scenario.guardians:
            repeat = None
        if repeat is not None:
            township, village = repeat.township, repeat.village
        else:
            township, villages = r.choice(s.townships)
            village = r.choice(villages) if villages else ""
        group = bool(scenario.group_opening) and r.random() < scenario.group and not plain
        headcount = r.randint(5, 36) if group else r.choice((1, 1, 1, 1, 1, 1, 2, 2, 3))
        address = self.address(township, village) if village else township
        with_id = not (hotline and r.random() < 0.4)
        if repeat is not None:
            woman = repeat.person
            birth = woman.birth_date or received
        else:
            woman = self.person(True, scenario.ages, received, address, r.choice(scenario.marital), with_id,
                                with_phone=not scenario.guardians and r.random() < 0.9)
            birth = self.last_birth
        age = _age(birth, received)
        petitioner, concerned = woman, None
        if scenario.guardians:
            _label, female, lo, hi = r.choice(scenario.guardians)
            petitioner = self.person(female, (lo, hi), received, address, "已婚", with_id=r.random() < 0.8)
            concerned = woman
        elif not group and repeat is None and r.random() < 0.15:
            petitioner, concerned = self.relative(woman, age, received, address), woman
        self.last_repeat, self.last_added = repeat, None
        if woman.id_number and repeat is None and not scenario.guardians:
            self.last_added = _Woman(woman, category, sub, township, village)
            s.came(self.last_added)

        company = f"{township}{r.choice(_COMPANY_WORDS)}{r.choice(_COMPANY_KINDS)}"
        resp_name = ""
        if scenario.relation in ("丈夫", "前夫", "男友", "子女", "其他", "兄弟姐妹", "父母"):
            resp_name = self.name(scenario.relation == "父母" and r.random() < 0.5)
        elif scenario.relation == "用人单位":
            resp_name = company
        elif scenario.relation == "村（居）委会" and village:
            resp_name = village + ("居民委员会" if village.endswith("社区") else "村民委员会")
        incident = received - dt.timedelta(days=r.randint(1, 40))
        yrs = r.randint(2, max(2, min(25, age - 20)))
        values = {
            "woman": woman.name, "pet": petitioner.name, "resp": resp_name or "对方",
            "wed": received.year - yrs, "yrs": yrs, "kids": r.choice(_KIDS),
            "children": r.choice(("两儿一女", "一儿两女", "三个子女", "四个子女", "两个儿子")),
            "child": r.choice(("儿子", "女儿")),
            "age": age, "school": "小学" if age < 12 else "初中" if age < 15 else "高中",
            "months": f"{r.randint(2, 14)}个月", "amount": f"{r.randint(8, 150) / 10:.1f}万元",
            "wage": f"{r.randint(4, 40) * 1000}元", "monthly": f"{r.choice((500, 600, 800, 1000, 1200))}元",
            "date": f"{incident.year}年{incident.month}月{incident.day}日", "days": r.randint(3, 20),
            "township": township, "village": village or township, "police": f"{township}派出所",
            "hospital": r.choice(_HOSPITALS).format(township=township), "company": company,
            "job": r.choice(_JOBS), "area": f"{r.randint(5, 40) / 10:.1f}亩", "head": headcount,
            "category": category,
        }
        opening, middle, requests = scenario.opening, scenario.middle, scenario.request
        if group:
            opening, middle, requests = scenario.group_opening, scenario.group_middle, scenario.group_request
        middles = r.sample(middle, k=min(len(middle), scenario.middles, r.choice((1, 1, 2))))
        facts = r.choice(opening) + "".join(middles) + ("" if group else r.choice(scenario.closing))
        dv = r.random() < scenario.dv
        form = Petition(
            channel=channel, nature=rules.DEFAULT_NATURE if plain else self.nature(category, sub, scenario), received_on=received, petitioner=petitioner, concerned=concerned,
            headcount=headcount, township=township, village=village, category=category, subcategory=sub,
            facts=facts.format(**values), request=r.choice(requests).format(**values), dv=dv,
            safety_risk=(dv or bool(scenario.guardians)) and r.random() < scenario.safety,
            receiving_staff=r.choice(s.staff), respondent_name=resp_name,
            respondent_relation=scenario.relation if resp_name else "",
        )
        if not plain and channel in ("12338热线", "网上") and r.random() < 0.3:  # a 工单 or a 交办 from above
            form.source_body = "12338热线工单" if channel == "12338热线" else r.choice(("县信访局", "市妇联", "12345热线工单"))
            form.source_no = f"GD{received:%Y%m%d}-{r.randint(1, 999):03d}"
            form.source_due_on = received + dt.timedelta(days=r.choice((30, 45, 60)))
        if form.is_group:  # the representatives they chose: a few beside the petitioner (at most five in all)
            names = {petitioner.name}
            for _ in range(r.randint(1, rules.MAX_REPRESENTATIVES - 1)):
                name = self.name(r.random() < 0.7)
                if name not in names:
                    names.add(name)
                    form.representatives.append(Representative(name, self.phone() if r.random() < 0.6 else ""))
        return form, scenario

    def nature(self, category: str, sub: str, scenario: Scenario) -> str:
        """Most petitions ask for something for her (申诉求决); a few make a suggestion (建议意见), and some
        accuse an official or a village committee (检举控告)."""
        roll = self.rng.random()
        if category in ("综合", "政治权利", "文化教育") and roll < 0.35:
            return "建议意见"
        if (sub in ("征地补偿", "集体收益分配") or scenario.relation == "村（居）委会") and roll < 0.3:
            return "检举控告"
        return "建议意见" if roll > 0.97 else rules.DEFAULT_NATURE

    # -- what happened since ------------------------------------------------------------------

    def _issue(self, p: Petition, at: dt.datetime, letter: course.Letter) -> None:
        p.documents.append(course.document_of(letter, created_at=at))

    def _rate(self, p: Petition, staff: str, concluded: dt.date, last: dt.datetime) -> dt.datetime:
        """Her satisfaction: asked at conclusion (half the time) or on a return call a few days on."""
        r, today = self.rng, self.s.today
        roll = r.random()
        rating = next(word for limit, word in _RATINGS if r.random() < limit)
        note = r.choice(_UNHAPPY) if rating == "不满意" else ""
        if roll < 0.5:
            p.rating, p.rating_note, p.rated_on, p.rating_way = rating, note, concluded, course.RATING_WAYS[0]
            p.timeline[-1].note += f"；信访人评价：{rating}"
            return last
        on = concluded + dt.timedelta(days=r.randint(3, 25))
        if roll < 0.8 and on <= today:
            p.rating, p.rating_note, p.rated_on, p.rating_way = rating, note, on, "回访"
            last = self._at(on, last)
            p.timeline.append(TimelineEntry(last, r.choice(self.s.staff), "满意度", course.rating_line("回访", rating, note)))
        return last


    def _at(self, day: dt.date, after: dt.datetime | None) -> dt.datetime:
        r = self.rng
        t = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(minutes=r.randint(0, 540))
        if after is not None and t <= after:
            t = after + dt.timedelta(minutes=r.randint(1, 30))
        return min(t, self.s.now)

    def _status(self, age: int) -> str:
        r = self.rng.random()
        table: tuple[tuple[float, str], ...]
        if age <= 3:
            table = ((0.70, "registered"), (0.85, "accepted"), (0.96, "in_progress"), (1, "refused"))
        elif age <= 15:
            table = ((0.30, "registered"), (0.55, "accepted"), (0.85, "in_progress"), (0.92, "refused"),
                     (1, "concluded"))
        elif age <= 60:
            table = ((0.02, "registered"), (0.12, "accepted"), (0.50, "in_progress"), (0.58, "refused"),
                     (1, "concluded"))
        elif age <= OPEN_AT_MOST_DAYS:  # a few still open past their 60 days: the start page's overdue ones
            table = ((0.01, "accepted"), (0.06, "in_progress"), (0.14, "refused"), (1, "concluded"))
        else:  # an office concludes its petitions: none left open for months or years
            table = ((0.09, "refused"), (1, "concluded"))
        return next(status for limit, status in table if r < limit)

    def progress(self, p: Petition, scenario: Scenario, created: dt.datetime | None = None,
                 link_note: str = "") -> tuple[Petition, dt.datetime]:
        """Move the petition on as staff would have, filling its fields and timeline. `created`: when it
        was registered; `link_note`: the 关联 note of a petition a household visit opened (never refused)."""
        r, today = self.rng, self.s.today
        theme = scenario.theme
        status = self._status((today - p.received_on).days)
        created = created or self._at(p.received_on, None)
        p.created_at = created
        p.timeline = [TimelineEntry(created, p.receiving_staff, "登记",
                                    f"{p.channel}，{'集体访，' if p.is_group else ''}{p.headcount}人")]
        if p.source_body:  # transferred in: the 5 working days to object, on the holiday table
            due = add_workdays(self.s.calendar, p.received_on, rules.OBJECTION_WORKDAYS)
            p.objection_due_on, p.objection_note = due.on, due.note
            p.timeline.append(TimelineEntry(created, p.receiving_staff, "交办", course.transfer_note(p)))
        if p.repeat_of is not None:  # flagged at intake; the clerk confirms it (mostly) or clears it
            earlier_on = self.repeat_on or p.received_on
            p.timeline.append(TimelineEntry(created, p.receiving_staff, "重复信访", course.repeat_flag_note(
                p.repeat_of_no, earlier_on, course.SAME_PERSON)))
            roll = r.random()
            if roll < 0.9 and (today - p.received_on).days > 2:
                confirmed = roll < 0.8
                p.repeat_state = "confirmed" if confirmed else "cleared"
                p.repeat_note = "" if confirmed else "反映的是另一件事"
                p.timeline.append(TimelineEntry(created, p.receiving_staff, "重复信访", course.repeat_line(
                    confirmed, p.repeat_of_no, p.repeat_note)))
        if link_note:
            p.timeline.append(TimelineEntry(created, p.receiving_staff, "关联", link_note))
            if status == "refused":  # what a visit found is taken up (and concluded, if it was long ago)
                status = "in_progress" if (today - p.received_on).days <= OPEN_AT_MOST_DAYS else "concluded"
        last = created
        staff = r.choice(self.s.staff)
        woman = p.woman.name
        values = {"woman": woman, "resp": p.respondent_name or "对方", "township": p.township}
        office = self.s.office
        if status == "refused" and p.source_body and p.objection_due_on and r.random() < 0.5:
            # transferred in and not the office's: objected to and sent back within the 5 working days (退回函)
            on = min(p.received_on + dt.timedelta(days=r.choice((1, 2, 3))), p.objection_due_on, today)
            reason = r.choice(_NOT_OURS)
            letter = course.objection_letter(p, office, p.source_body, reason, on, staff)
            p.status, p.objected_on, p.objected_to, p.objection_reason = "returned", on, p.source_body, reason
            last = self._at(on, last)
            self._issue(p, last, letter)
            p.timeline.append(TimelineEntry(last, staff, "退回", course.objection_note(p.source_body, reason, on)))
            return p, last
        if status == "refused":
            told = min(p.received_on + dt.timedelta(days=r.choice((0, 1, 3, 5, 8, 14, 16))), today)
            reason = r.choice(_REFUSALS.get(theme, ()) + _REFUSALS["general"]).split("，已告知")[0].rstrip("。")
            route = _ROUTES.get(theme, course.REFUSAL_ROUTES[4])
            way = course.way_for(p, told, "邮寄送达" if p.channel == "来信" else "")
            letter = course.refuse_letter(p, office, reason, route, told, way, staff)
            p.status, p.told_on, p.tell_way, p.refused_reason, p.refused_route = "refused", told, way, reason, route
            last = self._at(told, last)
            self._issue(p, last, letter)
            p.timeline.append(TimelineEntry(last, staff, "不予受理", course.refuse_note(p, reason, route, told, way)))
            if p.source_body:
                self._issue(p, last, course.report_back_letter(p, office, told, staff))
            return p, last
        if status == "registered":
            return p, last
        if p.nature in rules.FORWARDED_NATURES:  # passed to the body competent for it, and she is told where
            on = min(p.received_on + dt.timedelta(days=r.choice((1, 2, 3, 5, 7, 10, 14))), today)
            body = r.choice(course.FORWARD_BODIES[:2]) if r.random() < 0.8 else r.choice(course.FORWARD_BODIES)
            way = course.way_for(p, on, "邮寄送达" if p.channel == "来信" else "")
            letter = course.forward_letter(p, office, body, on, way, staff)
            p.status, p.forwarded_to, p.forwarded_on, p.told_on, p.tell_way = "forwarded", body, on, on, way
            last = self._at(on, last)
            self._issue(p, last, letter)
            p.timeline.append(TimelineEntry(last, staff, "转送", course.forward_note(p, body, on, way)))
            return p, last
        accepted = min(p.received_on + dt.timedelta(days=r.choice((0, 0, 0, 1, 2, 3, 5, 7, 10, 14, 18))), today)
        way = course.way_for(p, accepted, "邮寄送达" if p.channel == "来信" else "")
        letter = course.accept_letter(p, office, accepted, accepted, way, staff)
        p.status, p.accepted_on, p.told_on, p.tell_way = "accepted", accepted, accepted, way
        last = self._at(accepted, last)
        self._issue(p, last, letter)
        p.timeline.append(TimelineEntry(last, staff, "受理", course.accept_note(p, accepted, accepted, way)))
        if status == "accepted":
            return p, last
        extension = r.random() < 0.08 and rules.has_clock(p.nature)
        ext_days = r.randint(10, 30) if extension else 0
        if status == "concluded":
            span = r.randint(55, 60 + ext_days) if extension else r.randint(2, 58)
            concluded = min(accepted + dt.timedelta(days=span), today)
        else:
            concluded = None
        end = concluded or today
        handled = accepted + dt.timedelta(days=r.randint(0, min(10, (end - accepted).days)))
        method, agency = r.choice(scenario.handling or _HANDLING.get(theme, _HANDLING["general"]))
        opinion = r.choice(_OPINIONS[method]).format(agency=agency or "有关单位", township=p.township)
        p.status, p.handling, p.handling_agency, p.handling_opinion = "in_progress", method, agency, opinion
        last = self._at(handled, last)
        what = method + (f"（{agency}）" if agency else "")
        if method == "转办/交办" and agency:  # the 转送函 with its receipt; the answer, when it came
            answer_due = handled + dt.timedelta(days=course.TRANSFER_ANSWER_DAYS)
            p.transfer_sent_on, p.transfer_due_on = handled, answer_due
            what += course.transfer_out_words(handled, answer_due)
            p.timeline.append(TimelineEntry(last, staff, "办理", what + (f"：{opinion}" if opinion else "")))
            self._issue(p, last, course.transfer_letter(p, office, agency, opinion, handled, answer_due, staff))
            answered = handled + dt.timedelta(days=r.randint(5, 22))
            if answered <= (concluded or today) and r.random() < 0.9:
                answer = r.choice(_TRANSFER_ANSWERS).format(agency=agency)
                last = self._at(answered, last)
                p.timeline.append(TimelineEntry(last, staff, "转送答复", course.transfer_answer_note(p, answered, answer)))
                p.transfer_answered_on, p.transfer_answer = answered, answer
        else:
            p.timeline.append(TimelineEntry(last, staff, "办理", what + (f"：{opinion}" if opinion else "")))
        extend_on = accepted + dt.timedelta(days=r.randint(45, 58))
        if (not extension and concluded is None and (today - accepted).days > 50 and r.random() < 0.4
                and rules.has_clock(p.nature)):
            extension, ext_days = True, r.randint(10, 30)
        if extension and extend_on <= end and extend_on >= handled:
            reason = r.choice(_EXTENSIONS)
            letter = course.extend_letter(p, office, ext_days, reason, extend_on, "直接送达", staff)
            p.extension_days, p.extension_reason = ext_days, reason
            last = self._at(extend_on, last)
            self._issue(p, last, letter)
            p.timeline.append(TimelineEntry(last, staff, "延期", course.extend_note(ext_days, reason, extend_on, "直接送达")))
        elif concluded is not None:
            concluded = min(concluded, accepted + dt.timedelta(days=rules.deadlines.CONCLUDE_DAYS))
            concluded = max(concluded, handled)
        if concluded is None:
            return p, last
        roll = r.random() if not link_note else 0.0  # what a visit found is taken up
        if p.nature == "建议意见":
            result = "采纳" if roll < 0.4 else "部分采纳" if roll < 0.8 else "暂不采纳"
            reply = course.opinion_words(result)
        else:
            result = "支持" if roll < 0.6 else "解释说明" if roll < 0.9 else "不予支持"
            if result == "支持":
                reply = r.choice(scenario.replies or _SUPPORTED)
            elif result == "解释说明":
                reply = r.choice(_EXPLAIN)
            else:
                reply = r.choice(_NOT_SUPPORTED + (_NOT_SUPPORTED_LAND if theme == "land" else ()))
        written = course.draft_opinion(p, result)
        written.opinion = reply.format(**values)
        o = course.check_opinion(p, written)
        letter = course.opinion_letter(p, office, o, concluded, staff)
        p.status, p.reply, p.result, p.concluded_on = "concluded", o.opinion, result, concluded
        p.facts_found, p.legal_basis = o.facts_found, o.legal_basis
        last = self._at(concluded, last)
        self._issue(p, last, letter)
        p.timeline.append(TimelineEntry(last, staff, "办结", course.conclude_note(letter, result, o.opinion)))
        if p.source_body:
            self._issue(p, last, course.report_back_letter(p, office, concluded, staff))
        last = self._rate(p, staff, concluded, last)
        recent = (self.s.today - concluded).days <= 40  # a few under 复查 now, on the start page's clocks
        if p.nature == rules.DEFAULT_NATURE and r.random() < (0.3 if recent else 0.05):
            last = self._review(p, "review", concluded, last)
        return p, last

    def _review(self, p: Petition, stage: str, answered_before: dt.date, last: dt.datetime) -> dt.datetime:
        """She contests the answer: 复查 (mostly by the body above), answered within the 30 days; now and then 复核
        after it, which closes the matter for good."""
        r, today = self.rng, self.s.today
        received = answered_before + dt.timedelta(days=r.randint(0, 4))
        requested = min(received + dt.timedelta(days=r.randint(3, 25)), today)
        if received > today:
            return last
        if stage == "review":
            body = course.OFFICE_BODY if r.random() < 0.3 else "市妇联"
        else:
            body = "省妇联" if p.reviews and p.reviews[0].body == "市妇联" else "市妇联"
        name = rules.REVIEW_STAGES[stage]
        title, _answered = course.answer_before(p, stage)
        review = Review(stage, requested, received, body, r.choice(_REVIEW_REQUESTS).format(stage=name),
                        by_office=body == course.OFFICE_BODY)
        p.reviews.append(review)
        last = self._at(requested, last)
        staff = r.choice(self.s.staff)
        p.timeline.append(TimelineEntry(last, staff, f"请求{name}", course.review_request_note(review, title)))
        answered = requested + dt.timedelta(days=r.randint(8, 30))
        if answered > today:
            return last
        review.answered_on, review.result = answered, "维持" if r.random() < 0.85 else "变更"
        review.opinion = r.choice(_REVIEW_OPINIONS[review.result]).format(stage=name)
        last = self._at(answered, last)
        if review.by_office:
            letter = course.review_letter(p, review, self.s.office, course.DEFAULT_REVIEW_BODY, staff)
            self._issue(p, last, letter)
        p.timeline.append(TimelineEntry(last, staff, f"{name}答复", course.review_answer_note(review)))
        if stage == "review" and r.random() < 0.4:
            last = self._review(p, "re_review", answered, last)
        return last




def _years_before(day: dt.date, years: int) -> dt.date:
    """day - relativedelta(years=years), quicker: 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _age(birth: dt.date, on: dt.date) -> int:
    """domain.dates.age_on, quicker (whole years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _surname(name: str) -> str:
    return name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]

