"""Numbers, money and durations in Chinese text (pure).

3000万欧元 -> (0.3, 'EUR'); 16.88亿元 -> (16.88, 'CNY'); 2—3个月 -> 75 days; 1小时 -> 1/24.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.rules import load_yaml

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "零〇一二两三四五六七八九十百千"
# an Arabic number, optionally with thousands separators and decimals
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
NUM = rf"(?:{ARABIC}|[{CN_NUM}]+(?:点[{CN_NUM}]+)?)"
RANGE_SEP = r"(?:-|—|–|~|至|到)"


def parse_cn_int(s: str) -> int | None:
    """Chinese numerals up to the thousands: 三 -> 3, 十二 -> 12, 二百五十 -> 250."""
    if not s or any(c not in CN_DIGITS and c not in CN_UNITS for c in s):
        return None
    total, cur = 0, 0
    for c in s:
        if c in CN_DIGITS:
            cur = CN_DIGITS[c]
        else:
            total += (cur or 1) * CN_UNITS[c]
            cur = 0
    return total + cur


def parse_number(s: str) -> float | None:
    s = s.strip()
    if not s:
        return None
    if re.fullmatch(ARABIC, s):
        return float(s.replace(",", ""))
    if "点" in s:
        a, b = s.split("点", 1)
        ia = parse_cn_int(a)
        if ia is None or not all(c in CN_DIGITS for c in b):
            return None
        return float(f"{ia}.{''.join(str(CN_DIGITS[c]) for c in b)}")
    v = parse_cn_int(s)
    return float(v) if v is not None else None


@functools.lru_cache(maxsize=1)
def _units() -> dict:
    return load_yaml("units.yml")


@functools.lru_cache(maxsize=1)
def money_regex() -> re.Pattern:
    u = _units()
    scales = "|".join(sorted(u["money_scale"], key=len, reverse=True))
    curs = "|".join(sorted(u["currencies"], key=len, reverse=True))
    before = "|".join(sorted(u["approx_before"], key=len, reverse=True))
    after = "|".join(sorted(u["approx_after"], key=len, reverse=True))
    qty = "|".join(sorted(u.get("quantity_units", []), key=len, reverse=True)) or "(?!)"
    # 约36亿元人民币, 1500亿元以上, 3000万欧元, 2000亿(高质量发展基金), 4.07亿元; 二十亿元 (Chinese
    # numerals, not 数十亿 / 上百亿 / 百亿级); 8000万至1亿美元 (a range whose ends have their own scale)
    return re.compile(
        rf"(?P<approx>{before})?(?P<num>{ARABIC}|(?<![数几上百千万亿{CN_NUM}])[一二两三四五六七八九十][{CN_NUM}]{{0,3}}(?:点[{CN_NUM}]+)?(?=(?:{after})?(?:{scales})))"
        rf"(?:(?P<scale0>{scales})?(?P<range_sep>{RANGE_SEP})(?P<num2>{ARABIC}))?"
        rf"(?P<more>{after})?(?P<scale>{scales})(?P<more2>{after})?(?!{qty})(?P<cur>{curs})?(?P<above>以上|左右)?(?!级|元级)"
    )


def money_value(num: str, scale: str, cur: str | None) -> tuple[float, str]:
    """Value in 亿 of its currency and the ISO currency (num: Arabic or Chinese numerals)."""
    factor = _units()["money_scale"][scale]
    code = _units()["currencies"].get(cur or "", "CNY")
    v = parse_number(num)
    return round((v or 0.0) * factor, 6), code


@functools.lru_cache(maxsize=1)
def count_regex() -> re.Pattern:
    after = "|".join(sorted(_units()["approx_after"], key=len, reverse=True))
    # 276个, 600余家, 1.2万亩, 140余家, 12000亩; not 500强 / 第3个
    return re.compile(
        rf"(?<![第\d.])(?P<num>{ARABIC}|[{CN_NUM}]{{1,4}})(?P<wan>万)?(?P<more>{after})?(?P<unit>个(?!月|多月|工作日|小时|星期|季度|百分点)|家|亩|项(?!目))(?P<above>以上)?"
    )


def count_value(num: str, wan: str | None) -> float | None:
    v = parse_number(num)
    if v is None:
        return None
    return round(v * (10000 if wan else 1), 6)


# ---- durations ---------------------------------------------------------------------------

DAY_UNITS = {"天": 1.0, "日": 1.0, "工作日": 1.0, "个工作日": 1.0, "周": 7.0, "个星期": 7.0, "星期": 7.0,
             "个月": 30.0, "月": 30.0, "年": 360.0, "小时": 1 / 24, "个小时": 1 / 24, "分钟": 1 / 1440}
DUR_UNIT = r"(?:个工作日|工作日|个多月|个月|个小时|小时|分钟|个星期|星期|周|天|日|年)"
DURATION = re.compile(
    rf"(?P<num>{NUM}|半)(?:(?P<sep>{RANGE_SEP})(?P<num2>{NUM}))?(?P<more>多)?(?P<unit>{DUR_UNIT})(?P<more2>多)?"
)


@dataclass(frozen=True)
class Span:
    months: float | None  # month count when the unit is months (to add months later)
    more: bool  # N个多月
    days: float


def duration_days(num: str, unit: str, num2: str | None = None, more: bool = False) -> Span | None:
    """Days for '3个多月' (100), '2—3个月' (75), '一周' (7), '2小时' (0.0833)."""
    a = 0.5 if num == "半" else parse_number(num)
    if a is None:
        return None
    if num2:
        b = parse_number(num2)
        if b is None:
            return None
        a = (a + b) / 2
    if unit == "个多月":
        unit, more = "个月", True
    factor = DAY_UNITS[unit]
    months = a if factor == 30.0 else None
    days = a * factor + (10 if more and factor == 30.0 else 0)
    return Span(months, more and factor == 30.0, round(days, 4))
