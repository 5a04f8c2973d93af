"""The audit trail's words and its chain of hashes (no SQL here).

Each entry carries the SHA-256 of the entry before it; its own hash covers every column in a canonical
form (JSON, keys sorted, no spaces), so changing or removing an entry breaks the chain. Entries hold case
ids, field names and codes only — never names, ID numbers, phones or case text. The old and new values of
changed fields go to the record history inside the encrypted database; the entry carries a hash of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

GENESIS = "0" * 64

EVENT_LABELS: dict[str, str] = {
    "login": "登录",
    "login.failed": "登录失败",
    "logout": "退出",
    "lock": "锁屏",
    "unlock": "解除锁屏",
    "unlock.failed": "解锁失败",
    "recovery": "使用恢复密钥",
    "recovery.failed": "恢复密钥错误",
    "case.create": "新建案件",
    "case.update": "修改案件",
    "case.status": "状态变更",
    "case.correct": "更正",
    "case.undo": "撤销上一步",
    "case.view": "查看案件详情",
    "protection.view": "查看家暴防护",
    "protection.print": "打印家暴防护文书",
    "case.print": "打印",
    "case.export": "导出",
    "case.search": "查找",
    "person.change": "修改当事人信息",
    "account.change": "账号变更",
    "account.add": "新增账号",
    "account.roles": "角色变更",
    "account.disable": "停用账号",
    "account.enable": "启用账号",
    "account.password": "修改密码",
    "recovery.key": "更换恢复密钥",
    "setting.change": "设置变更",
    "list.change": "列表变更",
    "backup": "备份",
    "backup.open": "打开备份核对",
    "backup.verify": "核对备份文件（命令行）",
    "restore": "恢复备份",
    "audit.view": "查看审计日志",
    "audit.export": "导出审计日志",
    "audit.verify": "校验审计日志",
    "audit.checkpoint": "打印审计日志核对码",
    "denied": "无权限被拒绝",
    "data.change": "数据变更",
    "attachment.add": "添加附件",
    "attachment.correct": "更正附件",
    "attachment.remove": "删除附件",
    "attachment.open": "查看附件",
    "attachment.extract": "导出附件",
    "signature.add": "当场签名",
    "signature.void": "作废签名",
}

RESULT_LABELS = {"ok": "成功", "denied": "被拒绝", "failed": "失败"}

# --- what the trail shows: every table, field and operation in the office's words ------------------------
# The record history names tables and columns as the database does; the viewer, the CSV export and messages
# show them through these (tests/test_audit_words.py walks the schema, the events and the service functions).

TABLE_LABELS: dict[str, str] = {
    "settings": "设置", "lists": "列表", "people": "当事人", "cases": "案件", "case_people": "案件当事人",
    "attachments": "附件", "attachment_content": "附件内容", "signatures": "签名",
    "case_links": "关联案件", "petitions": "信访", "timeline": "办理经过", "organisations": "机构名录",
    "referrals": "转介", "mediators": "调解员名册", "mediations": "调解", "mediation_parties": "调解当事人",
    "mediation_mediators": "承办调解员", "mediation_sessions": "调解记录", "mediation_investigations": "调查记录",
    "mediation_agreement_items": "协议条款", "mediation_visits": "调解回访", "care_lists": "关爱对象名单",
    "households": "帮扶户", "household_members": "家庭成员", "household_cadres": "帮扶责任人",
    "household_measures": "帮扶措施", "visits": "走访记录", "tasks": "待办事项", "accounts": "账号",
    "import_gaps": "待补全项目", "case_documents": "文书", "petition_representatives": "集体访代表",
    "petition_reviews": "复查复核", "workday_calendar": "节假日表",
    "police_contacts": "告诫书和报警回执", "police_follow_ups": "告诫书后查访", "protection_orders": "人身安全保护令",
    "order_violations": "违反保护令", "mandatory_reports": "强制报告",
    "risk_items": "风险评估项目", "risk_assessments": "风险评估", "safety_plans": "安全计划",
}
# a column's name wherever it has no name of its own in its table (below)
COLUMN_LABELS: dict[str, str] = {
    "uuid": "交换用的记录标识", "id": "编号", "case_id": "案件", "person_id": "当事人", "position": "排序", "active": "是否启用",
    "created_at": "录入时间", "recorded_at": "录入时间", "recorded_by": "录入人", "name": "名称", "phone": "电话",
    "address": "地址", "kind": "类型", "status": "状态", "staff": "经办人", "township": "乡镇", "village": "村（社区）",
    "facts": "事情经过", "request": "诉求", "result": "结果", "refused_reason": "不予受理理由", "concluded_on": "办结日期",
    "due_on": "期限", "note": "说明", "notes": "备注", "title": "职务", "unit": "单位", "value": "内容",
}


def _table_columns() -> dict[str, dict[str, str]]:
    """Each table's own names for its columns: the correction forms' words where a column is a form's field
    (one word for one thing), the rest here."""
    from . import corrections, household, mediation, petition, referral

    return {
        "settings": {"key": "设置项", "value": "内容"},
        "lists": {"list": "列表名", "parent": "上级选项", "value": "选项"},
        "people": {**corrections.PERSON_LABELS, "pinyin": "拼音简码"},
        "cases": {
            "kind": "案件类型", "case_no": "案件编号", "year": "年份", "seq": "序号", "received_on": "收到日期",
            "names": "当事人姓名", "category": "问题类别", "subcategory": "具体类别", "summary": "摘要",
            "is_open": "是否未办结", "due_label": "期限事项", "closed_on": "结案日期", "supervised_on": "督办日期",
            "supervised_note": "督办意见", "supervised_by": "督办人",
        },
        "case_people": {"role": "身份", "address": "当时住址", "marital_status": "当时婚姻状况"},
        "case_links": {"from_case": "案件", "to_case": "关联的案件", "relation": "关联关系"},
        "petitions": {
            **petition.CORRECTION_LABELS, "accepted_on": "受理日期", "told_on": "告知日期", "handling": "办理方式",
            "handling_agency": "办理单位", "handling_opinion": "办理意见", "reply": "答复意见", "result": "办理结果",
            "extension_days": "延期天数", "extension_reason": "延期理由", "tell_way": "告知方式",
            "refused_route": "告知的其他途径", "forwarded_to": "转送机关", "forwarded_on": "转送日期",
            "facts_found": "事实和理由", "legal_basis": "法律法规依据", "rating": "满意度", "rating_note": "满意度说明",
            "rated_on": "评价日期", "rating_way": "评价方式", "repeat_of": "前次信访", "repeat_state": "重复信访核实",
            "repeat_note": "重复信访说明", "objection_due_on": "提出异议的期限", "objection_note": "异议期限说明",
            "transfer_sent_on": "转送日期", "transfer_due_on": "要求转送单位答复的日期", "transfer_answered_on": "转送单位答复日期",
            "transfer_answer": "转送单位的答复", "objected_on": "退回日期", "objected_to": "退回的单位",
            "objection_reason": "异议理由",
        },
        "petition_representatives": {"name": "代表姓名", "phone": "代表电话"},
        "workday_calendar": {"day": "日期", "kind": "放假或调休上班", "name": "节日"},
        "petition_reviews": {"stage": "复查或复核", "requested_on": "请求日期", "answer_received_on": "收到答复的日期",
                             "body": "受理机关", "request": "请求内容", "answered_on": "答复日期", "result": "复查复核结果",
                             "opinion": "复查复核意见", "by_office": "是否本会答复"},
        "case_documents": {"doc": "文书类别", "title": "文书名称", "issued_on": "出具日期", "way": "送达方式",
                           "content": "文书内容", "voided_on": "作废日期", "voided_reason": "作废原因"},
        "timeline": {"at": "时间", "action": "事项", "note": "内容"},
        "organisations": {"name": "机构名称", "kind": "机构类别", "contact_person": "联系人", "service": "提供的服务"},
        "referrals": {
            **referral.CORRECTION_LABELS, "organisation_id": "接收机构", "organisation_name": "接收机构名称",
            "organisation_kind": "接收机构类别", "organisation_address": "接收机构地址",
            "organisation_contact": "接收机构联系人", "organisation_phone": "接收机构电话", "consent_on": "同意日期",
            "consent_by": "同意人", "consent_name": "同意人姓名", "consent_way": "同意方式",
            "sent_on": "转介函送出日期", "answered_on": "答复日期", "lawyer": "承办律师", "lawyer_phone": "承办律师电话",
            "withdrawn_on": "撤回日期", "withdrawn_reason": "撤回原因", "result": "办理结果", "result_note": "结果说明",
        },
        "mediators": {"name": "姓名"},
        "mediations": {
            **mediation.LABELS, "outcome": "调解结果", "outcome_on": "结果日期", "outcome_note": "结果说明",
            "failed_route": "调解不成的去向", "agreement_facts": "协议中的纠纷事实", "agreement_duties": "协议中的权利义务",
            "archivist": "立卷人", "filed_on": "立卷日期", "keep_period": "保管期限", "file_remarks": "卷宗备注",
        },
        "mediation_parties": {**mediation.PARTY_LABELS, "side": "申请人或被申请人"},
        "mediation_mediators": {"mediator_id": "调解员"},
        "mediation_sessions": mediation.SESSION_LABELS,
        "mediation_investigations": mediation.INVESTIGATION_LABELS,
        "mediation_agreement_items": {**mediation.ITEM_LABELS, "content": "协议内容"},
        "mediation_visits": {**mediation.VISIT_LABELS, "due_on": "计划回访日期", "plan": "回访事项"},
        "care_lists": {"name": "名单名称", "unit": "计数单位", "fields": "登记项目", "rhythm_unit": "走访周期",
                       "rhythm_every": "走访间隔"},
        "households": {
            **household.LABELS, "list_id": "所在名单", "extra": "其他登记项目", "rhythm_unit": "走访周期",
            "rhythm_every": "走访间隔", "rhythm_start": "走访起算日期", "lifted_on": "脱贫日期", "exited_on": "退出日期",
            "exit_reason": "退出原因",
        },
        "household_members": {**household.MEMBER_LABELS, "person_id": "家庭成员"},
        "household_cadres": {"name": "姓名", "level": "职级", "from_date": "开始日期"},
        "household_measures": {"kind": "措施类别", "detail": "措施内容", "helping_unit": "帮扶单位", "on_date": "日期",
                               "amount_fen": "金额", "benefit": "受益情况"},
        "visits": {
            **household.VISIT_LABELS, "kind": "走访类型", "cash_fen": "慰问金", "goods_fen": "物资折合金额",
            "finding": "走访发现", "opened_case_id": "由此登记的案件",
        },
        "tasks": {"visit_id": "走访记录", "title": "事项", "due_on": "办理期限", "done_on": "办结日期",
                  "done_note": "办理情况"},
        "accounts": {"username": "用户名", "display_name": "姓名", "roles": "角色", "must_change": "须改密码"},
        "attachments": {"visit_id": "走访记录", "kind": "附件类别", "name": "文件名", "media": "文件类型",
                        "sha256": "内容校验码", "original_sha256": "原图校验码", "width": "宽度", "height": "高度",
                        "pages": "页数", "note": "附件说明", "received_on": "收到日期", "version": "版本",
                        "replaces": "更正的附件", "removed_at": "删除时间", "removed_by": "删除人",
                        "removed_reason": "删除原因"},
        "attachment_content": {"sha256": "内容校验码", "size": "大小", "data": "内容"},
        "signatures": {"document": "签名的文书", "part": "签名位置", "signer": "签名人", "signed_at": "签名时间",
                       "text_sha256": "所签文本的校验码", "image": "签名笔迹", "voided_at": "作废时间",
                       "voided_reason": "作废原因"},
        "import_gaps": {"field": "项目", "label": "项目名称"},
        "police_contacts": {"kind": "告诫书或报警回执", "station": "出具的公安机关", "issued_on": "出具日期",
                            "number": "告诫书（回执）编号"},
        "police_follow_ups": {"contact_id": "告诫书（回执）", "due_on": "计划查访日期", "with_whom": "与谁查访",
                              "done_on": "查访日期", "finding": "查访情况"},
        "protection_orders": {"respondent": "被申请人", "respondent_relation": "与申请人的关系",
                              "respondent_address": "被申请人住址", "requests": "请求事项", "facts": "事实与理由",
                              "evidence": "证据清单", "court": "人民法院", "urgent": "情况紧急", "on_behalf": "本会代为申请",
                              "wishes": "申请人的意愿", "consent_on": "同意代为申请的日期", "filed_at": "法院受理时间",
                              "outcome": "法院的结果", "ruled_on": "裁定日期", "order_no": "案号", "ordered": "保护令内容",
                              "ends_on": "有效期至", "extension_filed_on": "申请延长的日期", "outcome_note": "结果说明"},
        "order_violations": {"order_id": "人身安全保护令", "occurred_on": "发生日期", "what": "违反情况",
                             "reported_on": "报告日期", "reported_to": "报告的机关"},
        "mandatory_reports": {"ground": "须报告的情形", "found_on": "发现日期", "reported_on": "报案日期",
                              "reported_to": "报案的公安机关", "way": "报案方式", "receipt_no": "回执号"},
        "risk_items": {"code": "项目代码", "question": "问题", "weight": "分值", "critical": "是否一项即为高风险",
                       "source": "依据"},
        "risk_assessments": {"assessed_on": "评估日期", "occasion": "评估时机", "answers": "评估答案", "score": "得分",
                             "computed_level": "按清单的风险等级", "level": "风险等级", "level_reason": "调整等级的理由"},
        "safety_plans": {"made_on": "制定日期", "safe_place": "安全的去处", "contacts": "紧急时联系谁",
                         "documents": "证件和物品放在别处", "children": "孩子的安排", "other": "其他约定"},
    }


_COLUMNS: dict[str, dict[str, str]] = {}
UNKNOWN_TABLE, UNKNOWN_COLUMN = "其他记录", "其他项目"  # never shown for a table or column of this program


def table_label(table: str) -> str:
    return TABLE_LABELS.get(table, UNKNOWN_TABLE)


def column_label(table: str, column: str) -> str:
    """Its name in its table: "petitions", "accepted_on" -> "受理日期"."""
    if not _COLUMNS:
        _COLUMNS.update(_table_columns())
    return _COLUMNS.get(table, {}).get(column) or COLUMN_LABELS.get(column) or UNKNOWN_COLUMN


def field_label(name: str) -> str:
    """"petitions.accepted_on" -> "信访的受理日期"; "timeline+" -> "新增办理经过"; "people-" -> "删除当事人"."""
    if name.endswith("+"):
        return "新增" + table_label(name[:-1])
    if name.endswith("-"):
        return "删除" + table_label(name[:-1])
    table, _, column = name.partition(".")
    return f"{table_label(table)}的{column_label(table, column)}"


def fields_text(names: Sequence[str]) -> str:
    """What an action changed, grouped by record: "案件的状态、期限；信访的受理日期；新增办理经过"."""
    changed: dict[str, list[str]] = {}
    added: list[str] = []
    removed: list[str] = []
    for name in names:
        if name.endswith(("+", "-")):
            (added if name.endswith("+") else removed).append(table_label(name[:-1]))
            continue
        table, _, column = name.partition(".")
        changed.setdefault(table_label(table), []).append(column_label(table, column))
    parts = [f"{table}的{'、'.join(dict.fromkeys(cols))}" for table, cols in changed.items()]
    parts += [f"{verb}{'、'.join(dict.fromkeys(tables))}" for verb, tables in (("新增", added), ("删除", removed)) if tables]
    return "；".join(parts)


def event_label(event: str) -> str:
    return EVENT_LABELS.get(event, "其他事件")


# The operation an entry records is the service function that made it ("households.log_visit"): shown as the
# work it belongs to and what was done there ("帮扶户：登记走访").
OPERATION_MODULES: dict[str, str] = {
    "accounts": "账号", "audit": "审计日志", "backup": "备份", "cases": "案件", "context": "系统", "corrections": "更正",
    "exchange": "导入导出", "household_printing": "打印", "households": "帮扶户", "importing": "导入台账", "lists": "列表",
    "mediations": "调解", "organisations": "机构名录", "people": "当事人", "petitions": "信访", "printing": "打印",
    "referrals": "转介", "settings": "设置", "start_page": "工作台", "statistics": "统计", "undo": "撤销",
    "case_documents": "文书", "workdays": "节假日表", "police_contacts": "告诫书和查访",
    "protection_orders": "人身安全保护令", "mandatory_reports": "强制报告", "attachments": "附件", "signatures": "签名",
    "exchange_packages": "交换包", "session": "登录", "cli": "命令行", "generate": "演示数据", "locations": "数据库位置",
    "protection": "家暴防护", "dv_risk": "风险评估", "safety_plans": "安全计划", "dv_repeats": "曾来求助",
    "petition": "信访", "referral": "转介", "mediation": "调解", "household": "帮扶户",
}
OPERATION_WORDS: dict[str, str] = {
    # exchange packages between the townships and the county
    "set_office": "设置本单位", "export_package": "导出交换包", "open_package": "打开交换包", "preview": "预览交换包",
    "import_package": "导入交换包", "read_receipt": "读回执", "peers": "查看乡镇", "side_for": "选择以哪一边为准",
    "office_is_set": "查看本单位", "office": "查看本单位",
    # accounts and signing in
    "add_account": "新增账号", "change_password": "修改密码", "disable": "停用", "enable": "启用",
    "existing_data": "检查原有数据", "first_start": "首次使用", "get": "查看", "idle_minutes": "查看自动锁屏时间",
    "keyfile_for": "查找密钥文件", "list_accounts": "查看账号", "lock": "锁屏", "needs_setup": "检查是否首次使用",
    "new_recovery_key": "更换恢复密钥", "recover": "用恢复密钥重设密码", "rename": "改姓名", "reset_password": "重设密码",
    "set_idle_minutes": "设置自动锁屏时间", "set_roles": "设置角色", "set_up": "建立账号", "setup_demo": "建立演示账号",
    "sign_in": "登录", "unlock": "解除锁屏",
    # the audit trail
    "actors": "查看用户", "anchor": "记下核对码", "anchor_in": "记下核对码", "backed_up": "备份", "case_id_for": "按案件编号查找",
    "checkpoint": "打印核对码", "checkpoint_pdf": "打印核对码", "count": "统计条数", "describe": "说明",
    "opened_backup": "打开备份核对", "backup_opened": "打开备份核对", "note_verified": "记下命令行核对备份",
    "export_csv": "导出", "exported": "导出", "history": "查看修改历史", "opened": "打开", "page": "查看列表",
    "printed": "打印", "restored": "恢复备份", "searched": "查找", "verify": "校验", "viewed": "查看案件详情",
    "failure_word": "说明未完成的原因", "form_title": "查看表格名称", "target_label": "说明对象",
    # backup
    "check_live_location": "检查数据库位置", "check_password": "核对备份密码", "daily_snapshot": "本机自动备份",
    "weekly_check": "每周检查数据库",
    "failed": "备份未完成", "finish": "完成备份", "local_folder": "查找本机备份", "local_snapshots": "查看本机备份",
    "location_kind": "检查位置", "make_backup": "备份到U盘", "open_for_restore": "检查备份文件",
    "open_without_account": "检查备份文件", "prepare": "准备备份", "restore": "从备份恢复", "restore_failed": "恢复未完成",
    "restore_job": "准备恢复", "restore_without_account": "从备份恢复", "set_options": "备份设置",
    "set_password": "设置备份密码", "status": "查看备份情况",
    # lists and search
    "due_counts": "统计到期案件", "due_state": "查看时限", "due_this_week": "查看本周到期", "find": "查找",
    "id_for_number": "按编号查找", "intake_on": "统计当日登记", "kind_of": "查看类型", "kind_labels": "查看类型", "open_counts": "统计未办结",
    "search": "查找", "view": "查看案件详情",
    # correcting
    "add_note": "添加备注", "audit_of": "查看更正记录", "check_scope": "检查更正范围", "grounds_of": "查看更正理由",
    "pair_people": "核对当事人", "person_changes": "更正当事人信息", "write_people": "更正当事人信息",
    "listed_changes": "更正当事人信息", "write_listed": "更正当事人信息",
    "correct": "更正", "correct_visit": "更正回访记录", "correct_agreement": "更正调解协议",
    "correct_investigation": "更正调查记录", "correct_session": "更正调解记录", "correction_grounds": "查看更正理由",
    "last_step": "查看上一步", "undo_last_step": "撤销上一步",
    "last_protection_step": "查看家暴防护的上一步", "undo_protection_step": "撤销家暴防护的上一步",
    # spreadsheets, printing, statistics
    "case_list_rows": "导出案件列表", "check": "检查台账", "export_case_list": "导出案件列表", "export_register": "导出台账",
    "export_statistics": "导出统计表", "import_rows": "导入台账", "read": "读取台账", "statistics_pdf": "打印统计表",
    "run": "导入", "remembered": "查看上次选的列", "incomplete": "查看待补全", "incomplete_count": "统计待补全",
    "print_card": "打印帮扶手册", "print_month": "打印月度走访计划", "print_visit": "打印走访记录",
    "print_case": "打印", "print_document": "打印文书", "charts": "查看统计图", "compare": "统计", "paragraph": "写工作总结",
    "township_table": "各乡镇对比统计", "own_township": "查看本乡镇", "township_names": "查看乡镇名单",
    "tables": "查看统计表",
    # households
    "add_measure": "添加帮扶措施", "add_task": "添加待办事项", "care_list": "查看关爱名单", "care_lists": "查看关爱名单",
    "change_cadre": "更换帮扶责任人", "complete_task": "办结待办事项", "counts": "统计", "due_this_month": "查看本月应走访",
    "exit_": "退出帮扶", "lift": "标记脱贫", "list_summary": "生成摘要", "log_visit": "登记走访",
    "mediation_available": "检查能否转调解", "month_due": "统计本月应走访", "month_plan": "月度走访计划",
    "need_open": "检查是否在册", "open_tasks": "查看待办事项", "refresh_clock": "更新时限", "register": "登记",
    "register_count": "统计名册", "register_page": "查看名册", "resume": "恢复帮扶", "routes": "查看转办去向",
    "save_care_list": "保存关爱名单", "set_care_list_active": "启用或停用关爱名单", "set_rhythm": "设置走访周期",
    "visit": "查看走访记录",
    # the office's lists and settings
    "add": "添加选项", "remove": "删除选项", "values": "查看选项", "check_listed": "核对是否在列表中", "office_name": "查看单位名称", "put": "修改设置",
    "set_office_name": "修改单位名称",
    # mediation
    "add_investigation": "添加调查记录", "add_session": "添加调解记录", "check_can_transfer": "检查能否转调解",
    "committee_name": "查看调委会名称", "counts_by_month": "按月统计", "draft_from_petition": "从信访转调解",
    "file_code": "查看卷宗编号", "mediation_of_petition": "查看转出的调解", "mediators": "查看调解员",
    "open_from_petition": "从信访转调解", "open_mediation": "受理调解", "petition_number": "查看来源信访",
    "printable": "检查能否打印", "record_visit": "登记回访", "save_mediator": "保存调解员", "schedule_visit": "安排回访",
    "set_committee": "设置调委会", "set_filing": "立卷归档", "set_mediator_active": "启用或停用调解员",
    "update_agreement": "修改调解协议",
    # organisations, people
    "directory": "查看机构名录", "referral_count": "统计转介", "save": "保存机构", "set_active": "启用或停用机构",
    "find_matches": "查找同一人",
    # petitions
    "accept": "受理", "conclude": "办结", "extend": "延期", "names_of": "查看姓名", "refuse": "不予受理",
    "set_handling": "办理", "forward": "转送有权机关", "rate": "记录满意度", "settle_repeat": "核实重复信访",
    "request_review": "请求复查或复核", "answer_review": "复查或复核答复",
    "supervise": "督办", "lift_supervision": "解除督办", "supervision": "查看督办",
    "year_days": "查看节假日", "add_day": "添加节假日", "known_years": "查看节假日表的年份", "set_year": "添加或更正一年的节假日",
    "written_year": "查看节假日", "record_transfer_answer": "记录转送答复",
    "object_transfer": "提出异议、退回", "draft_opinion": "起草处理意见书",
    "list_documents": "查看文书", "print_entry": "打印文书", "print_issued": "打印文书",
    # referrals
    "assign_lawyer": "指派律师", "can_refer_petition": "检查能否转介", "form_from_petition": "从信访转介",
    "get_for_print": "准备打印", "new_form": "新建转介", "record_consent": "记录本人同意", "refer": "转介",
    "refer_from_petition": "从信访转介", "remembered_staff_phone": "查看经办人电话", "update_papers": "修改材料清单",
    "withdraw": "撤回",
    # 家暴防护: risk assessments, safety plans
    "check_handling": "检查是否办理本案", "shows_thread": "检查是否显示家暴防护", "checklist": "查看评估清单",
    "assess": "评估", "assessments": "查看评估", "assessment": "查看评估", "items_for_admin": "查看评估清单",
    "save_checklist": "修改评估清单", "current": "查看", "versions": "查看修改次数",
    "woman_name": "查看姓名", "papers": "查看文书", "print_assessment": "打印风险评估表", "print_plan": "打印安全计划",
    "person_picture": "查看当事人全貌", "person_of": "查看当事人",
    "earlier": "查看此前的求助", "people_of": "查找当事人", "caution": "检查是否不宜调解",
    "caution_in": "检查是否不宜调解", "note_at_intake": "标记曾来求助", "at_intake": "查找曾来求助",
    "repeat_at_intake": "查找重复信访",
    # the start page, the demo
    "backup_age_text": "查看上次备份", "clocks": "查看期限提醒", "last_backup": "查看上次备份", "generate": "生成",
    "open_context": "打开数据库", "system_clock": "读取时间",
}


# where one function name means different work in different places
OPERATION_LABELS: dict[str, str] = {
    "session.close": "退出登录", "people.history": "当事人：查看来访历史", "mediations.close": "调解：结案",
    "households.correct_visit": "帮扶户：更正走访记录",
    "police_contacts.of_case": "告诫书和查访：查看", "police_contacts.record": "告诫书和查访：记录告诫书或报警回执",
    "police_contacts.plan_visit": "告诫书和查访：计划查访", "police_contacts.move_visit": "告诫书和查访：调整查访日期",
    "police_contacts.drop_visit": "告诫书和查访：取消查访", "police_contacts.record_visit": "告诫书和查访：记录查访",
    "police_contacts.correct_contact": "告诫书和查访：更正告诫书或回执", "protection_orders.correct_ruling": "人身安全保护令：更正法院结果",
    "police_contacts.correct_visit": "告诫书和查访：更正查访记录", "protection_orders.correct_violation": "人身安全保护令：更正违反记录",
    "mandatory_reports.correct_report": "强制报告：更正报案记录",
    "protection_orders.of_case": "人身安全保护令：查看", "protection_orders.in_force_for": "人身安全保护令：查看有效的保护令",
    "protection_orders.draft": "人身安全保护令：起草申请书", "protection_orders.apply": "人身安全保护令：申请",
    "protection_orders.situation_proof": "人身安全保护令：出具情况证明",
    "protection_orders.record_filing": "人身安全保护令：记录法院受理", "protection_orders.record_ruling": "人身安全保护令：记录法院结果",
    "protection_orders.request_extension": "人身安全保护令：申请延长",
    "protection_orders.record_extension": "人身安全保护令：记录延长结果",
    "protection_orders.record_violation": "人身安全保护令：记录违反", "protection_orders.report_violation": "人身安全保护令：报告违反",
    "mandatory_reports.need": "强制报告：查看", "mandatory_reports.mark_required": "强制报告：标记须报告",
    "mandatory_reports.record_report": "强制报告：记录报案", "start_page.protection_due": "工作台：查看家暴防护待办",
    "safety_plans.save": "安全计划：制定或修改", "protection.opened": "家暴防护：查看",
    "attachments.attach": "附件：添加附件", "attachments.attach_to_person": "附件：添加当事人的附件",
    "attachments.correct": "附件：更正附件", "attachments.remove": "附件：删除附件", "attachments.of_case": "附件：查看附件",
    "attachments.of_person": "附件：查看当事人的附件", "attachments.versions": "附件：查看各版本",
    "attachments.get": "附件：查看附件", "attachments.content": "附件：打开附件", "attachments.thumbnail": "附件：查看缩略图",
    "attachments.printable": "附件：打印附件", "attachments.file_name": "附件：查看文件名",
    "attachments.extract": "附件：导出附件", "attachments.read_file": "附件：读取文件",
    "attachments.export_pdf": "附件：导出案件和附件为PDF",
    "attachments.printed_ones": "附件：查看可打印的附件", "attachments.papers": "附件：打印附件",
    "referrals.get_with_copies": "转介：准备打印转介函和材料复印件", "referrals.copies_count": "转介：统计可附的材料复印件",
    "signatures.document_text": "签名：查看所签文书的文本", "signatures.signers": "签名：查看签名人",
    "signatures.sign": "签名：当场签名", "signatures.of_case": "签名：查看签名", "signatures.still_current": "签名：核对所签版本",
    "signatures.void": "签名：作废签名", "signatures.marks": "签名：打印签名",
}


def operation_label(operation: str) -> str:
    """"households.log_visit" -> "帮扶户：登记走访"; "" -> ""."""
    if not operation:
        return ""
    if operation in OPERATION_LABELS:
        return OPERATION_LABELS[operation]
    module, _, name = operation.partition(".")
    work = OPERATION_MODULES.get(module, "其他")
    what = OPERATION_WORDS.get(name, "操作")
    return work if what == work else f"{work}：{what}"



def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": bytes(value).hex()}
    raise TypeError(f"cannot put {type(value).__name__} into the audit trail")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Change:
    """One row of the record history: a row added (I), a field changed (U) or a row removed (D)."""

    tbl: str
    row_id: int
    op: str
    field: str = ""
    old_value: Any = None
    new_value: Any = None

    def as_list(self) -> list[Any]:
        return [self.tbl, self.row_id, self.op, self.field, self.old_value, self.new_value]


def history_hash(changes: Sequence[Change]) -> str:
    return sha256(canonical([c.as_list() for c in changes])) if changes else ""


@dataclass
class Entry:
    id: int
    at: str
    actor_id: int | None
    actor: str
    event: str
    operation: str = ""
    case_id: int | None = None
    target: str = ""
    detail: str = "{}"
    result: str = "ok"
    history_hash: str = ""
    prev_hash: str = GENESIS
    hash: str = ""
    # shown in the viewer, not part of the chain
    case_no: str = field(default="", compare=False)
    actor_name: str = field(default="", compare=False)

    def chained_fields(self) -> list[Any]:
        return [self.id, self.at, self.actor_id, self.actor, self.event, self.operation, self.case_id, self.target,
                self.detail, self.result, self.history_hash, self.prev_hash]

    def compute_hash(self) -> str:
        return sha256(canonical(self.chained_fields()))

    def details(self) -> dict[str, Any]:
        try:
            value = json.loads(self.detail or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass
class Problem:
    """Something verify found: the entry (id) and what is wrong with it, for the user."""

    entry_id: int
    message: str


def check_chain(entries: Iterable[Entry], histories: dict[int, str], head: tuple[int, str]) -> list[Problem]:
    """Walk the chain: every entry's hash, its link to the one before, its record history (`histories`
    maps entry id to the hash of its history rows as they are now), no gaps, and the recorded end."""
    problems: list[Problem] = []
    prev, expected, last_id = GENESIS, 1, 0
    for e in entries:
        if e.id != expected:
            problems.append(Problem(e.id, f"第{expected}条到第{e.id - 1}条记录不见了（被删除）"))
        if e.prev_hash != prev:
            problems.append(Problem(e.id, f"第{e.id}条与前一条记录接不上（前面的记录被修改或删除）"))
        if e.compute_hash() != e.hash:
            problems.append(Problem(e.id, f"第{e.id}条记录被修改过"))
        if histories.get(e.id, "") != e.history_hash:
            problems.append(Problem(e.id, f"第{e.id}条记录的修改历史（字段的原值和新值）被改动过"))
        prev, expected, last_id = e.hash, e.id + 1, e.id
    head_id, head_hash = head
    if head_id != last_id or (head_id and head_hash != prev):
        if head_id > last_id:
            problems.append(Problem(last_id + 1, f"最后的第{last_id + 1}条到第{head_id}条记录不见了（被删除）"))
        else:
            problems.append(Problem(last_id, "审计日志的结尾记号与记录不符（记录被改动）"))
    return problems


# --- anchors: points of the chain kept outside the database ----------------------------------------------------
#
# Someone holding any staff password can open the database, delete the last entries and move the head, or edit
# an entry and recompute every later hash: the chain alone cannot tell. So the latest (entry, hash) is also kept
# where the database is not: in the key file (with a MAC keyed by the database key), in the header of every
# backup, and on paper (a short code the 主任 prints and files). Verifying compares the chain with each of them:
# up to the newest anchor that agrees, the trail is known good.


@dataclass(frozen=True)
class Anchor:
    """Entry `entry_id` had hash `hash` (or, on paper, a hash beginning with it) at time `at`, as kept in `where`."""

    entry_id: int
    hash: str
    at: str  # ISO date and time
    where: str  # 密钥文件 / 自动备份 / 纸质核对码


CODE_HEX = 16  # hex digits of the hash on a paper checkpoint: 64 bits, four groups of four


def anchor_mac(key: bytes, entry_id: int, entry_hash: str, at: str) -> str:
    """The MAC of a key-file anchor, keyed by the database key (not forged without a password)."""
    import hmac

    message = f"fulian-desktop audit anchor|{entry_id}|{entry_hash}|{at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def checkpoint_code(entry_id: int, entry_hash: str) -> str:
    """A code short enough to write on paper: 第1234条 3F2A-9C01-77BE-0D4E."""
    digits = entry_hash[:CODE_HEX].upper()
    return f"{entry_id}-" + "-".join(digits[i:i + 4] for i in range(0, CODE_HEX, 4))


def parse_checkpoint(text: str) -> tuple[int, str]:
    """(entry id, hash prefix, lower case) from a typed checkpoint code; ValueError with a message if unreadable."""
    cleaned = "".join(text.split()).replace("第", "").replace("条", "-").replace("—", "-").replace("－", "-")
    number, _sep, rest = cleaned.partition("-")
    digits = rest.replace("-", "").lower()
    if not number.isdigit() or len(digits) != CODE_HEX or any(c not in "0123456789abcdef" for c in digits):
        raise ValueError(f"核对码“{text.strip()}”的格式不对，应像 1234-3F2A-9C01-77BE-0D4E")
    return int(number), digits


def check_anchors(anchors: Iterable[Anchor], hash_of: Callable[[int], str | None],
                  last_id: int) -> tuple[int, list[Problem]]:
    """Compare the chain with each anchor: (the newest entry known good, what disagrees). `hash_of(id)` is the
    stored hash of entry `id` now, or None when it is not there."""
    good = 0
    problems: list[Problem] = []
    for a in sorted(anchors, key=lambda x: x.entry_id):
        when = a.at[:16].replace("T", " ")
        now = hash_of(a.entry_id) if a.entry_id > 0 else GENESIS
        if now is None:
            problems.append(Problem(a.entry_id, f"{a.where}（{when}）记下审计日志已有{a.entry_id}条记录，现在只有"
                                                f"{last_id}条：第{last_id + 1}条起的记录被删除"))
        elif now != a.hash and not (len(a.hash) == CODE_HEX and now.startswith(a.hash)):
            problems.append(Problem(a.entry_id, f"第{a.entry_id}条记录与{a.where}（{when}）记下的不一致："
                                                "这条或它之前的记录被改写过"))
        else:
            good = max(good, a.entry_id)
    return good, problems
