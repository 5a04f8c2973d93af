"""What this office is: the county federation (县妇联) or a township's (乡镇（街道）妇联) under a named county.

Kept in the settings (office_level, office_county, office_township). A township's case numbers carry its short
name (信访〔2026〕福田铺第0001号) so that two offices never issue the same number; the county's stay as they are.
Exchange packages name the office they come from and the one they are for (services/exchange_packages.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ValidationError

COUNTY = "county"
TOWNSHIP = "township"
LEVEL_LABELS = {COUNTY: "县妇联", TOWNSHIP: "乡镇（街道）妇联"}
# what a township's name ends with, left off in its case numbers (福田铺乡 → 福田铺)
_SUFFIXES = ("街道办事处", "街道", "乡", "镇")


@dataclass(frozen=True)
class Office:
    level: str = COUNTY
    county: str = ""
    township: str = ""

    @property
    def is_township(self) -> bool:
        return self.level == TOWNSHIP

    @property
    def mark(self) -> str:
        """What a case number carries between 〔year〕 and 第: nothing at the county."""
        return township_mark(self.township) if self.is_township else ""

    @property
    def peer_key(self) -> str:
        """How the other side names this office in its exchange records: the township's name, or "县"."""
        return self.township if self.is_township else COUNTY

    @property
    def label(self) -> str:
        if self.is_township:
            return f"{self.county}{self.township}妇联" if self.county else f"{self.township}妇联"
        return f"{self.county}妇联" if self.county else "县妇联"

    def as_dict(self) -> dict[str, str]:
        return {"level": self.level, "county": self.county, "township": self.township}


def township_mark(name: str) -> str:
    name = name.strip()
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def office_from(level: str, county: str, township: str = "") -> Office:
    """The office as entered; ValidationError with a message by the field otherwise."""
    level = level.strip() or COUNTY
    county = "".join(county.split())
    township = "".join(township.split())
    errors: dict[str, str] = {}
    if level not in LEVEL_LABELS:
        errors["office_level"] = "请选择本单位是县妇联还是乡镇（街道）妇联"
    if not county:
        errors["office_county"] = "请填写所在的县（市、区），如“某某县”"
    elif len(county) > 20:
        errors["office_county"] = "县名不能超过20个字"
    if level == TOWNSHIP:
        if not township:
            errors["office_township"] = "请填写本乡镇（街道）的名称，如“福田铺乡”"
        elif len(township) > 20:
            errors["office_township"] = "乡镇（街道）名称不能超过20个字"
    else:
        township = ""
    if errors:
        raise ValidationError(errors)
    return Office(level, county, township)


def from_dict(d: object) -> Office | None:
    if not isinstance(d, dict):
        return None
    level, county, township = d.get("level"), d.get("county"), d.get("township", "")
    if level not in LEVEL_LABELS or not isinstance(county, str) or not isinstance(township, str):
        return None
    return Office(str(level), county, township if level == TOWNSHIP else "")
