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
    "restore": "恢复备份",
    "audit.view": "查看审计日志",
    "audit.export": "导出审计日志",
    "audit.verify": "校验审计日志",
    "audit.checkpoint": "打印审计日志核对码",
    "denied": "无权限被拒绝",
    "data.change": "数据变更",
}

RESULT_LABELS = {"ok": "成功", "denied": "被拒绝", "failed": "失败"}

TABLE_LABELS: dict[str, str] = {
    "cases": "案件", "people": "当事人", "case_people": "案件当事人", "case_links": "关联案件", "timeline": "办理经过",
    "petitions": "信访", "referrals": "转介", "mediations": "调解", "households": "帮扶户", "accounts": "账号",
    "settings": "设置", "lists": "列表", "organisations": "机构名录", "mediators": "调解员名册",
    "care_lists": "关爱名单",
}
FIELD_LABELS: dict[str, str] = {
    "status": "状态", "due_on": "期限", "due_label": "期限事项", "is_open": "未办结", "closed_on": "结案日期",
    "names": "当事人姓名", "summary": "摘要", "township": "乡镇", "village": "村", "category": "问题类别",
    "subcategory": "具体问题", "facts": "事情经过", "request": "诉求", "accepted_on": "受理日期",
    "told_on": "告知日期", "refused_reason": "不予受理理由", "handling": "办理方式", "handling_agency": "办理单位",
    "handling_opinion": "办理意见", "reply": "答复", "result": "结果", "concluded_on": "办结日期",
    "extension_days": "延期天数", "extension_reason": "延期理由", "name": "姓名", "sex": "性别",
    "birth_date": "出生日期", "id_number": "身份证号", "phone": "电话", "address": "住址",
    "marital_status": "婚姻状况", "display_name": "姓名", "roles": "角色", "active": "启用", "must_change": "需改密码",
    "value": "值", "note": "备注",
}


def field_label(name: str) -> str:
    """"petitions.accepted_on" -> "信访.受理日期"; "timeline+" -> "新增办理经过"; "people-" -> "删除当事人"."""
    if name.endswith("+"):
        return "新增" + TABLE_LABELS.get(name[:-1], name[:-1])
    if name.endswith("-"):
        return "删除" + TABLE_LABELS.get(name[:-1], name[:-1])
    table, _, column = name.partition(".")
    return f"{TABLE_LABELS.get(table, table)}.{FIELD_LABELS.get(column, column)}"


def event_label(event: str) -> str:
    return EVENT_LABELS.get(event, event)


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
