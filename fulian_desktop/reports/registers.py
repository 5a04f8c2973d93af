"""The office's registers (台账) as spreadsheets: the columns of each kind, shared by export and import.

A register exported here imports back as it is (its headers are the field labels), and a register the
office kept by hand maps onto the same fields (the aliases are the headers such registers use).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain import household as household_rules
from ..domain import mediation as mediation_rules
from ..domain.dates import from_iso
from ..domain.statuses import status_label

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str = "text"  # text / date / int / money (fen) / id / phone / bool / list
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 0  # column width in an export (0: from the content)
    # A required field a register may never have had: recorded as this (未记录) when its column or cell is
    # empty, and the record marked 待补全 (services/importing.py). Without it a required field must have a
    # column, or one value for the whole file.
    gap: str = ""
    # What a row is given when the register has no column (or an empty cell) for this field, where nothing is missing
    # by it (shown by the import wizard and `import --show-columns`).
    absent: str = ""


UNRECORDED = "未记录"  # a short value the register did not record (乡镇, 问题类别)
UNRECORDED_TEXT = "（原台账未记录）"  # a text the register did not record (事情经过, 走访人)
ADDED_ON_IMPORT = "导入当天"  # a date the register did not record: the record's date is the day it was imported


def _person(prefix: str = "", who: str = "") -> list[Field]:
    return [
        Field(f"{prefix}sex", f"{who}性别", aliases=("性别",) if not who else ()),
        Field(f"{prefix}id_number", f"{who}身份证号", "id",
              aliases=("身份证号码", "身份证", "公民身份号码", "证件号码") if not who else ()),
        Field(f"{prefix}phone", f"{who}联系电话", "phone",
              aliases=("电话", "手机", "手机号", "联系方式", "电话号码") if not who else ()),
        Field(f"{prefix}address", f"{who}住址", aliases=("地址", "家庭住址", "住所", "通讯地址") if not who else ()),
    ]


CASE_NO = Field("case_no", "案件编号", aliases=("编号", "登记编号", "案号", "序号编号"))
TOWNSHIP = Field("township", "乡镇", required=True, gap=UNRECORDED,
                 aliases=("乡镇（街道）", "乡镇街道", "所在乡镇", "镇", "乡镇（场）", "所属乡镇", "乡（镇）", "街道"))
VILLAGE = Field("village", "村（社区）", aliases=("村", "村社区", "村居", "村（居）", "社区", "所在村", "村（居委会）",
                                              "村组", "村名", "所属村"))
STATUS = Field("status", "状态", aliases=("办理状态", "当前状态"))

KIND_LABELS = {
    "petition": "信访登记台账",
    "referral": "转介台账",  # every service's referrals (法律援助 and the others, domain/referral.SERVICES)
    "mediation": "婚姻家庭纠纷调解台账",
    "household": "帮扶对象名册",
    "visit": "走访慰问登记",
}

FIELDS: dict[str, list[Field]] = {
    "petition": [
        CASE_NO,
        Field("received_on", "收到日期", "date", True, ("日期", "来访日期", "登记日期", "接待日期", "信访日期", "时间",
                                                       "来访时间", "登记时间", "接访日期", "接访时间", "收件日期")),
        Field("channel", "信访方式", required=True, aliases=("方式", "来源", "渠道", "信访形式", "来访方式", "信访渠道",
                                                          "信访类型")),
        Field("name", "信访人", required=True, aliases=("姓名", "来访人", "来访人姓名", "当事人", "信访人姓名", "反映人",
                                                     "来访者", "当事人姓名", "申请人", "申请人姓名", "求助人")),
        *_person(),
        Field("headcount", "人数", "int", aliases=("来访人数", "人次")),
        TOWNSHIP, VILLAGE,
        Field("category", "问题类别", required=True, gap=UNRECORDED,
              aliases=("类别", "问题分类", "反映问题类别", "类型", "问题类型", "信访类别", "诉求类别")),
        Field("subcategory", "具体问题", aliases=("问题细类", "具体类别", "小类")),
        Field("facts", "事情经过", required=True, width=40, gap=UNRECORDED_TEXT,
              aliases=("主要问题", "反映问题", "反映的主要问题", "信访事项", "内容", "简要情况", "基本情况", "事由",
                       "反映内容", "来访事由", "信访内容", "来访内容", "主要内容", "问题描述", "反映情况", "事情经过及诉求",
                       "信访事由", "来访原因", "主要问题及诉求")),
        Field("request", "诉求", width=30, aliases=("信访诉求", "主要诉求", "要求", "诉求内容", "来访诉求", "具体诉求")),
        Field("dv", "涉及家庭暴力", "bool", aliases=("家暴", "是否家暴", "家庭暴力")),
        Field("receiving_staff", "接待人", aliases=("接待人员", "登记人", "经办人", "接访人", "接待干部", "记录人")),
        Field("respondent_name", "被反映人", aliases=("被投诉人", "对方姓名")),
        Field("respondent_relation", "与被反映人关系", aliases=("关系", "与当事人关系")),
        STATUS,
        Field("accepted_on", "受理日期", "date"),
        Field("refused_reason", "不予受理理由"),
        Field("handling", "办理方式", aliases=("处理方式",)),
        Field("handling_agency", "转办单位", aliases=("转交单位", "承办单位")),
        Field("result", "处理结果", aliases=("结果", "办理结果", "调处结果", "办结结果")),
        Field("reply", "答复内容", width=30, aliases=("答复", "处理情况", "办理情况", "答复意见", "处理意见", "办理意见",
                                                   "化解情况", "处理情况及结果")),
        Field("concluded_on", "办结日期", "date", aliases=("结案日期", "办结时间", "答复日期", "办结日")),
    ],
    "referral": [
        CASE_NO,
        Field("referred_on", "转介日期", "date", True, ("日期", "登记日期", "转介时间", "申请日期", "来访日期")),
        Field("name", "申请人", required=True, aliases=("姓名", "当事人", "受援人", "申请人姓名", "受援人姓名")),
        *_person(),
        TOWNSHIP, VILLAGE,
        Field("matter", "事项", required=True, aliases=("案件类型", "纠纷事项", "援助事项", "类型")),
        Field("role", "诉讼地位", aliases=("身份",)),
        Field("legal_state", "案件所处阶段", aliases=("阶段",)),
        Field("help_kinds", "申请的帮助", "list", aliases=("援助方式", "申请援助方式")),
        Field("facts", "案情", required=True, width=40, gap=UNRECORDED_TEXT,
              aliases=("案情和申请理由", "简要案情", "基本情况", "事由", "案情简介", "主要案情", "反映内容", "申请理由")),
        Field("request", "诉求", width=30),
        Field("service", "服务", aliases=("转介服务", "转介类型", "转介事项", "转介类别", "服务类别", "服务类型", "服务项目",
                                          "转介服务类别"), absent="按接收机构在机构名录中提供的服务"),
        Field("organisation", "接收机构", required=True, aliases=("转介机构", "转往机构", "受理机构", "转介单位",
                                                                 "法律援助机构", "承办机构")),
        Field("staff", "经办人", aliases=("转介人", "登记人")),
        Field("victim_of", "受害情况", "list", aliases=("是否家暴受害人",)),
        Field("means", "经济状况说明", aliases=("经济状况",)),
        STATUS,
        Field("answered_on", "答复日期", "date", aliases=("受理日期",)),
        Field("lawyer", "承办人", aliases=("承办律师", "律师")),
        Field("refused_reason", "不予受理理由"),
        Field("concluded_on", "办结日期", "date"),
        Field("result", "办理结果", aliases=("结果", "援助结果")),
    ],
    "mediation": [
        CASE_NO,
        Field("received_on", "受理日期", "date", True, ("日期", "登记日期", "申请日期", "受理时间", "调解日期")),
        Field("applicant", "申请人", required=True, aliases=("申请人姓名", "当事人（申请人）", "当事人", "申请方",
                                                          "当事人甲方", "甲方")),
        Field("applicant_id_number", "申请人身份证号", "id"),
        Field("applicant_phone", "申请人电话", "phone", aliases=("申请人联系电话",)),
        Field("respondent", "被申请人", required=True, aliases=("被申请人姓名", "当事人（被申请人）", "对方当事人",
                                                             "被申请方", "当事人乙方", "乙方")),
        Field("respondent_id_number", "被申请人身份证号", "id"),
        Field("respondent_phone", "被申请人电话", "phone", aliases=("被申请人联系电话",)),
        TOWNSHIP, VILLAGE,
        Field("source", "纠纷来源", aliases=("来源",)),
        Field("dispute_type", "纠纷类型", required=True, aliases=("类型", "纠纷类别")),
        Field("relationship", "当事人关系", aliases=("关系",)),
        Field("facts", "纠纷简要情况", required=True, width=40, gap=UNRECORDED_TEXT,
              aliases=("简要情况", "纠纷情况", "基本情况", "事由", "纠纷事由", "主要纠纷", "纠纷内容", "反映内容",
                       "纠纷简况", "案情")),
        Field("request", "申请事项"),
        Field("mediators", "调解员", "list", aliases=("调解人", "调解人员", "主持调解人")),
        Field("registrar", "登记人", aliases=("经办人",)),
        Field("outcome", "调解结果", aliases=("结果", "调解情况", "调处结果", "处理结果", "办理结果")),
        Field("outcome_on", "结案日期", "date", aliases=("调结日期", "办结日期", "调解结束日期", "结案时间")),
        Field("outcome_note", "结果说明", width=30, aliases=("调解结果说明", "情况说明")),
    ],
    "household": [
        CASE_NO,
        Field("care_list", "名单", aliases=("名单类别", "对象类别")),
        Field("received_on", "纳入日期", "date", True, ("日期", "登记日期", "纳入时间", "建档日期", "认定日期"),
              gap=ADDED_ON_IMPORT),
        Field("name", "户主姓名", required=True, aliases=("姓名", "户主", "帮扶对象", "对象姓名", "帮扶对象姓名",
                                                       "困难妇女姓名")),
        *_person(),
        TOWNSHIP, VILLAGE,
        Field("house_address", "组、门牌", aliases=("组", "门牌")),
        Field("household_type", "户类型", aliases=("户属性", "类型")),
        Field("causes", "致贫原因", "list", aliases=("主要致贫原因",)),
        Field("cadre", "帮扶责任人", aliases=("责任人", "帮扶干部", "帮扶人", "结对帮扶人", "联系干部", "包户干部")),
        Field("cadre_phone", "责任人电话", "phone", aliases=("帮扶责任人电话",)),
        STATUS,
    ],
    "visit": [
        Field("household_no", "帮扶对象编号", aliases=("案件编号", "编号")),
        Field("name", "户主姓名", required=True, aliases=("姓名", "户主", "帮扶对象", "对象姓名", "慰问对象",
                                                       "走访对象", "帮扶对象姓名")),
        Field("id_number", "户主身份证号", "id", aliases=("身份证号", "身份证号码")),
        Field("phone", "联系电话", "phone", aliases=("电话", "手机", "联系方式")),
        Field("township", "乡镇", aliases=TOWNSHIP.aliases), VILLAGE,
        Field("visited_on", "走访日期", "date", True, ("日期", "慰问日期", "时间", "走访时间", "慰问时间")),
        Field("visitors", "走访人", required=True, gap=UNRECORDED_TEXT,
              aliases=("走访人员", "慰问人", "帮扶人", "走访干部", "慰问人员", "帮扶责任人", "走访责任人")),
        Field("kind", "方式", aliases=("走访方式", "类别", "类型")),
        Field("cash", "慰问金（元）", "money", aliases=("慰问金", "慰问金额", "金额")),
        Field("goods", "慰问物资", aliases=("物资",)),
        Field("goods_value", "物资折合（元）", "money", aliases=("物资折合", "物资金额", "折合金额")),
        Field("seen", "走访情况", width=30, aliases=("情况", "家庭情况")),
        Field("asked", "群众诉求", width=30, aliases=("诉求",)),
    ],
}


def field_map(kind: str) -> dict[str, Field]:
    return {f.key: f for f in FIELDS[kind]}


# --------------------------------------------------------------------------------------------
# Export: one row per record, values by field key (dates as dt.date, money in fen)

_PERSON_COLS = "p.name, p.sex, p.id_number, p.phone, p.address"

_EXPORT_SQL = {
    "petition": f"""
        SELECT c.case_no, c.received_on, t.channel, {_PERSON_COLS}, t.headcount, c.township, c.village,
               c.category, c.subcategory, t.facts, t.request, t.dv, t.receiving_staff, t.respondent_name,
               t.respondent_relation, c.status, t.accepted_on, t.refused_reason, t.handling, t.handling_agency,
               t.result, t.reply, t.concluded_on
        FROM cases c JOIN petitions t ON t.case_id = c.id
        LEFT JOIN people p ON p.id = (SELECT cp.person_id FROM case_people cp WHERE cp.case_id = c.id
                                      AND cp.role = 'petitioner' ORDER BY cp.position LIMIT 1)
        WHERE c.kind = 'petition' {{where}} ORDER BY c.received_on, c.id""",
    "referral": f"""
        SELECT c.case_no, r.referred_on, {_PERSON_COLS}, c.township, c.village, r.matter, r.role, r.legal_state,
               r.help_kinds, r.facts, r.request, r.service, r.organisation_name, r.staff, r.victim_of, r.means, c.status,
               r.answered_on, r.lawyer, r.refused_reason, r.concluded_on, r.result
        FROM cases c JOIN referrals r ON r.case_id = c.id LEFT JOIN people p ON p.id = c.person_id
        WHERE c.kind = 'referral' {{where}} ORDER BY c.received_on, c.id""",
    "mediation": """
        SELECT c.case_no, c.received_on,
               (SELECT group_concat(name, '、') FROM (SELECT p.name FROM mediation_parties mp JOIN people p ON p.id = mp.person_id
                   WHERE mp.case_id = c.id AND mp.side = 'applicant' ORDER BY mp.position)),
               (SELECT p.id_number FROM mediation_parties mp JOIN people p ON p.id = mp.person_id
                   WHERE mp.case_id = c.id AND mp.side = 'applicant' ORDER BY mp.position LIMIT 1),
               (SELECT p.phone FROM mediation_parties mp JOIN people p ON p.id = mp.person_id
                   WHERE mp.case_id = c.id AND mp.side = 'applicant' ORDER BY mp.position LIMIT 1),
               (SELECT group_concat(name, '、') FROM (SELECT p.name FROM mediation_parties mp JOIN people p ON p.id = mp.person_id
                   WHERE mp.case_id = c.id AND mp.side = 'respondent' ORDER BY mp.position)),
               (SELECT p.id_number FROM mediation_parties mp JOIN people p ON p.id = mp.person_id
                   WHERE mp.case_id = c.id AND mp.side = 'respondent' ORDER BY mp.position LIMIT 1),
               (SELECT p.phone FROM mediation_parties mp JOIN people p ON p.id = mp.person_id
                   WHERE mp.case_id = c.id AND mp.side = 'respondent' ORDER BY mp.position LIMIT 1),
               c.township, c.village, m.source, m.dispute_type, m.relationship, m.facts, m.request,
               (SELECT group_concat(name, '、') FROM (SELECT r.name FROM mediation_mediators mm
                   JOIN mediators r ON r.id = mm.mediator_id WHERE mm.case_id = c.id ORDER BY mm.position)),
               m.registrar, m.outcome, m.outcome_on, m.outcome_note
        FROM cases c JOIN mediations m ON m.case_id = c.id
        WHERE c.kind = 'mediation' {where} ORDER BY c.received_on, c.id""",
    "household": f"""
        SELECT c.case_no, l.name, c.received_on, {_PERSON_COLS}, c.township, c.village, h.address,
               h.household_type, h.causes,
               (SELECT k.name FROM household_cadres k WHERE k.case_id = c.id ORDER BY k.from_date DESC, k.id DESC LIMIT 1),
               (SELECT k.phone FROM household_cadres k WHERE k.case_id = c.id ORDER BY k.from_date DESC, k.id DESC LIMIT 1),
               c.status
        FROM cases c JOIN households h ON h.case_id = c.id JOIN care_lists l ON l.id = h.list_id
        LEFT JOIN people p ON p.id = c.person_id
        WHERE c.kind = 'household' {{where}} ORDER BY c.township, c.village, c.id""",
    "visit": """
        SELECT c.case_no, p.name, p.id_number, p.phone, c.township, c.village, v.visited_on, v.visitors, v.kind,
               v.cash_fen, v.goods, v.goods_fen, v.seen, v.asked
        FROM visits v JOIN cases c ON c.id = v.case_id LEFT JOIN people p ON p.id = c.person_id
        WHERE 1 = 1 {where} ORDER BY v.visited_on, v.id""",
}
_DATE_COLUMN = {"visit": "v.visited_on"}

EXPORT_KINDS = tuple(_EXPORT_SQL)


def export_rows(db: sqlite_utils.Database, kind: str, date_from: str | None = None,
                date_to: str | None = None) -> Iterator[dict[str, object]]:
    """Every record of a register (received, or visited, between the two ISO dates if given)."""
    column = _DATE_COLUMN.get(kind, "c.received_on")
    conds, params = [], []
    if date_from:
        conds.append(f"{column} >= ?")
        params.append(date_from)
    if date_to:
        conds.append(f"{column} <= ?")
        params.append(date_to)
    where = "".join(f" AND {c}" for c in conds)
    fields = FIELDS[kind]
    for r in db.execute(_EXPORT_SQL[kind].format(where=where), params):
        row = dict(zip([f.key for f in fields], r, strict=True))
        for f in fields:
            v = row[f.key]
            if f.type == "date":
                row[f.key] = from_iso(v) if isinstance(v, str) else None
            elif f.type == "bool":
                row[f.key] = "是" if v else "否"
            elif f.type == "list" and isinstance(v, str) and v.startswith("["):
                row[f.key] = "、".join(json.loads(v))
            elif v is None:
                row[f.key] = "" if f.type not in ("int", "money") else None
        if "status" in row:
            row["status"] = status_label("household" if kind == "household" else kind, str(row["status"]))
        if kind == "mediation":
            row["outcome"] = mediation_rules.OUTCOMES.get(str(row["outcome"]), row["outcome"])
        if kind == "visit":
            row["kind"] = household_rules.VISIT_KINDS.get(str(row["kind"]), row["kind"])
        yield row

