"""Staff accounts: who they are, what makes a good user name and password, the lock-out rule."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .errors import FulianError, ValidationError
from .permissions import ROLE_LABELS

MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCK_MINUTES = 15
MIN_PASSWORD = 8
MAX_PASSWORD = 128
IDLE_LOCK_DEFAULT_MINUTES = 10
CASE_ROLES = ("window", "mediator", "director")
ROLES = (*CASE_ROLES, "admin")

LOGIN_FAILED = "用户名或密码不正确，或者账号已停用。"
_USERNAME = re.compile(r"^[\w.\-]{2,20}$")


class LoginFailed(FulianError):
    """The same message whether the user name is unknown, the password wrong or the account disabled."""


class AccountLocked(FulianError):
    pass


@dataclass
class Account:
    id: int | None
    username: str
    display_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    active: bool = True
    must_change: bool = False
    last_login: str = ""

    @property
    def role_labels(self) -> str:
        return "、".join(ROLE_LABELS[r] for r in ROLES if r in self.roles) or "（没有角色）"


def normalize_username(name: str) -> str:
    """The form a user name is compared in: NFKC, no spaces around, case-insensitive."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def normalize_password(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def check_username(name: str, errors: dict[str, str], key: str = "username") -> str:
    n = unicodedata.normalize("NFKC", name).strip()
    if not n:
        errors[key] = "请填写登录用的用户名"
    elif not _USERNAME.match(n):
        errors[key] = "用户名为2到20个字，可用汉字、字母、数字、点、下划线和短横线，不能有空格"
    return n


def check_display_name(name: str, errors: dict[str, str], key: str = "display_name") -> str:
    n = " ".join(name.split())
    if not n:
        errors[key] = "请填写工作人员的姓名"
    elif len(n) > 20:
        errors[key] = "姓名不能超过20个字"
    return n


def check_password(password: str, username: str, errors: dict[str, str], key: str = "password") -> str:
    p = normalize_password(password)
    if len(p) < MIN_PASSWORD:
        errors[key] = f"密码至少{MIN_PASSWORD}位"
    elif len(p) > MAX_PASSWORD:
        errors[key] = f"密码不能超过{MAX_PASSWORD}位"
    elif p.strip() != p:
        errors[key] = "密码的开头和结尾不能是空格"
    elif normalize_username(p) == normalize_username(username):
        errors[key] = "密码不能与用户名相同"
    elif len(set(p)) < 3:
        errors[key] = "密码太简单了，请换一个"
    return p


def check_roles(roles: set[str] | frozenset[str], errors: dict[str, str], key: str = "roles") -> frozenset[str]:
    unknown = set(roles) - set(ROLES)
    if unknown:
        errors[key] = "不认识的角色"
    elif not roles:
        errors[key] = "请至少选择一个角色"
    return frozenset(roles)


def validate_new_account(username: str, display_name: str, roles: set[str] | frozenset[str],
                         password: str) -> tuple[str, str, frozenset[str], str]:
    errors: dict[str, str] = {}
    u = check_username(username, errors)
    d = check_display_name(display_name, errors)
    r = check_roles(roles, errors)
    p = check_password(password, u, errors)
    if errors:
        raise ValidationError(errors)
    return u, d, r, p


def roles_text(roles: frozenset[str] | set[str]) -> str:
    return ",".join(r for r in ROLES if r in roles)


def roles_from_text(text: str) -> frozenset[str]:
    return frozenset(r for r in text.split(",") if r)


# The recovery key as the office sees it, on the screen and on the printed sheet: groups of four letters and
# digits separated by spaces, four groups a line. Typed back, spaces, dashes and small letters are all accepted.
RECOVERY_KEY_EXAMPLE = "ABCD EFGH ……"


def recovery_key_lines(key: str) -> tuple[str, str]:
    """The two lines the key is shown in ("ABCD EFGH JKLM NPQR", "STUV WXYZ 2345 6789")."""
    clean = "".join(ch for ch in key.upper() if ch.isalnum())
    groups = [clean[i : i + 4] for i in range(0, len(clean), 4)]
    return " ".join(groups[:4]), " ".join(groups[4:])
