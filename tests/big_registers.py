"""Large registers as a county office keeps them, with made-up people: n rows of one kind in an .xlsx, for the
import benchmark (20,000 rows) and for the test that the bulk import writes what the row-by-row one does.

Seeded, so the same call gives the same file. The visits are of the households the roster of the same seed
holds: some found by the head's ID number, most by name, township and village."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from fulian_desktop.domain.idcard import make_id_number

KINDS = ("petition", "referral", "mediation", "household", "visit")

_SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
_GIVEN = "秀英桂兰玉兰凤英玉梅淑珍丽华美玲春梅海燕红梅小红金凤翠花秋菊月娥冬梅雪梅晓燕丽娟建华玉珍彩霞爱华"
_MEN = "建国志强庆卫东伟明海军德华永生春林文斌俊杰涛平辉刚勇"  # a man's name: the surname and two of these
_TOWNS = {"城关镇": ["东街社区", "西街社区", "南门村", "北门村"], "东山镇": ["东山村", "石桥村", "枫林村"],
          "西河乡": ["西河村", "柳塘村", "杨家湾村"], "南岭镇": ["南岭村", "竹园村", "茶亭村"],
          "北坪乡": ["北坪村", "梨树村", "高岭村"], "青溪镇": ["青溪村", "白沙村", "荷塘村"]}
_FACTS = ("丈夫酒后经常打骂，本人要求妇联出面制止。", "婆媳矛盾长期未解决，丈夫不管不问。", "离婚后前夫不按时支付抚养费。",
          "丈夫长期在外务工不回家，也不寄钱回家。", "村里分配征地补偿款时外嫁女没有份。", "丈夫与他人同居，要求离婚。",
          "子女不赡养老人，老人生活困难。", "在厂里受伤后老板不给赔偿。")
_CATEGORIES = (("婚姻家庭", "家庭暴力"), ("婚姻家庭", "家庭纠纷"), ("婚姻家庭", "离婚问题"),
               ("财产权益", "征地补偿"), ("劳动和社会保障权益", "劳动权益"), ("人身权益", "人身伤害"))
_STAFF = ("李红", "张敏", "王芳", "刘洁")


def _name(rng: random.Random, given: str = _GIVEN) -> str:
    pairs = [given[i:i + 2] for i in range(0, len(given), 2)]
    return rng.choice(_SURNAMES) + rng.choice(pairs)


def _man(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_MEN) + rng.choice(_MEN)


def _place(rng: random.Random) -> tuple[str, str]:
    town = rng.choice(list(_TOWNS))
    return town, rng.choice(_TOWNS[town])


def _day(rng: random.Random, today: dt.date, back: int = 4 * 365, before: int = 30) -> dt.date:
    return today - dt.timedelta(days=rng.randint(before, back))


def _id(rng: random.Random, serial: int, female: bool = True) -> str:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 50))
    return make_id_number("430124", birth, serial, female)


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("35789") + "".join(rng.choice("0123456789") for _ in range(9))


def _petitions(rng: random.Random, n: int, today: dt.date) -> tuple[list[str], list[list[Any]]]:
    headers = ["序号", "来访日期", "信访方式", "姓名", "身份证号", "联系电话", "乡镇", "村（社区）", "问题类别", "具体问题",
               "反映内容", "主要诉求", "接待人", "受理日期", "办理方式", "处理结果", "答复内容", "办结日期"]
    rows = []
    for i in range(n):
        day = _day(rng, today)
        town, village = _place(rng)
        category, sub = rng.choice(_CATEGORIES)
        state = rng.random()
        accepted = day + dt.timedelta(days=rng.randint(0, 5)) if state > 0.2 else None
        concluded = accepted + dt.timedelta(days=rng.randint(3, 25)) if accepted and state > 0.4 else None
        rows.append([i + 1, day, rng.choice(("来访", "来访", "来电", "来信")), _name(rng),
                     _id(rng, i) if i % 3 == 0 else "", _phone(rng) if i % 2 == 0 else "", town, village, category, sub,
                     f"{rng.choice(_FACTS)}（第{i + 1}件）", "请求妇联帮助", rng.choice(_STAFF), accepted,
                     "当场答复" if concluded else "", rng.choice(("支持", "解释说明")) if concluded else "",
                     "已向当事人说明有关规定" if concluded else "", concluded])
    return headers, rows


def _referrals(rng: random.Random, n: int, today: dt.date) -> tuple[list[str], list[list[Any]]]:
    headers = ["序号", "转介日期", "申请人", "身份证号", "联系电话", "乡镇", "村（社区）", "事项", "案情", "接收机构",
               "答复日期", "承办人", "办结日期", "办理结果"]
    rows = []
    for i in range(n):
        day = _day(rng, today)
        town, village = _place(rng)
        state = rng.random()
        answered = day + dt.timedelta(days=rng.randint(1, 7)) if state > 0.3 else None
        concluded = answered + dt.timedelta(days=rng.randint(5, 20)) if answered and state > 0.6 else None
        rows.append([i + 1, day, _name(rng), _id(rng, i) if i % 2 == 0 else "", _phone(rng), town, village,
                     rng.choice(("离婚", "抚养", "家庭暴力", "赡养")), f"{rng.choice(_FACTS)}（第{i + 1}件）",
                     "县法律援助中心", answered, "周律师" if answered else "", concluded,
                     rng.choice(("调解结案", "判决", "咨询完毕")) if concluded else ""])
    return headers, rows


def _mediations(rng: random.Random, n: int, today: dt.date) -> tuple[list[str], list[list[Any]]]:
    headers = ["序号", "受理日期", "申请人", "申请人联系电话", "被申请人", "纠纷类型", "当事人关系", "乡镇", "村（社区）",
               "纠纷简要情况", "调解员", "调解结果", "结案日期"]
    rows = []
    for i in range(n):
        day = _day(rng, today)
        town, village = _place(rng)
        outcome = rng.choice(("和好", "达成调解协议", "调解不成", "", ""))
        rows.append([i + 1, day, _name(rng), _phone(rng), _man(rng), rng.choice(("婚姻", "家庭暴力", "赡养")),
                     "夫妻", town, village, f"{rng.choice(_FACTS)}（第{i + 1}件）",
                     rng.choice(("陈秀兰", "黄德明", "陈秀兰、黄德明")), outcome,
                     day + dt.timedelta(days=rng.randint(1, 20)) if outcome else None])
    return headers, rows


def _roster(rng: random.Random, n: int, today: dt.date) -> list[list[Any]]:
    """The households: name, ID number (two in three), phone, township, village, 纳入日期 … No two of the same name
    in one village (a visit by name finds one household)."""
    rows = []
    used: set[tuple[str, str, str]] = set()
    ids: set[str] = set()
    for i in range(n):
        town, village = _place(rng)
        name = _name(rng)
        while (name, town, village) in used:
            name = _name(rng) + rng.choice(_GIVEN)
        used.add((name, town, village))
        number = _id(rng, i) if i % 3 else ""
        while number and number in ids:
            number = _id(rng, i)
        ids.add(number)
        rows.append([i + 1, _day(rng, today, 6 * 365, 4 * 365 + 30), name, number,
                     _phone(rng), town, village, f"{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
                     rng.choice(("一般户", "低保户")), rng.choice(("因病", "因残", "缺劳力")), rng.choice(_STAFF)])
    return rows


def _households(rng: random.Random, n: int, today: dt.date) -> tuple[list[str], list[list[Any]]]:
    headers = ["序号", "纳入日期", "户主姓名", "身份证号", "联系电话", "乡镇", "村（社区）", "组、门牌", "户类型", "致贫原因",
               "帮扶责任人"]
    return headers, _roster(rng, n, today)


def _visits(rng: random.Random, n: int, today: dt.date) -> tuple[list[str], list[list[Any]]]:
    """Visits to the households of the roster made with the same seed (four a household on average)."""
    roster = _roster(rng, max(n // 4, 1), today)
    headers = ["序号", "户主姓名", "户主身份证号", "乡镇", "村（社区）", "走访日期", "走访人", "方式", "慰问金（元）",
               "慰问物资", "走访情况", "物资折合（元）"]
    rows = []
    for i in range(n):
        h = roster[i % len(roster)]
        goods = rng.choice(("", "大米一袋", "食用油一桶"))
        rows.append([i + 1, h[2], h[3], h[5], h[6], _day(rng, today, 4 * 365, 1), rng.choice(_STAFF),
                     rng.choice(("走访", "慰问")), rng.choice((0, 200, 500)), goods, "家中生活基本稳定",
                     rng.choice((50, 80)) if goods else 0])
    return headers, rows


MAKERS = {"petition": _petitions, "referral": _referrals, "mediation": _mediations, "household": _households,
          "visit": _visits}


def rows(kind: str, n: int, today: dt.date, seed: int = 18) -> tuple[list[str], list[list[Any]]]:
    """The header and n rows of a register of this kind (a visit register's households: rows('household', n // 4))."""
    return MAKERS[kind](random.Random(seed), n, today)


def write(path: Path, kind: str, n: int, today: dt.date, seed: int = 18) -> Path:
    """The register as an .xlsx with a title row above the header, as offices keep them."""
    headers, data = rows(kind, n, today, seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append([f"某县妇联{today.year}年台账"])
    ws.append(headers)
    for row in data:
        ws.append(row)
    wb.save(path)
    return path
