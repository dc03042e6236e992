"""Chinese labels for the ETL's vocabulary (etl/rules/*.yml), pure and cached.

No streamlit here: charts, queries' callers and tests share these maps.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from datetime import date

from etl.rules import load_yaml

UNSPECIFIED = "未注明"

LEVEL_LABELS: dict[str, str] = {
    "province": "省级",
    "prefecture": "地级市",
    "county": "区县",
    "new_area": "国家级新区",
    "etdz": "经开区",
    "hitech": "高新区",
    "park": "园区",
}

KIND_LABELS = {"figure": "数字", "duration": "时长", "mechanism": "机制"}


@functools.lru_cache(maxsize=1)
def metric_labels() -> dict[str, str]:
    return {k: v["label"] for k, v in load_yaml("metrics.yml")["metrics"].items()}


@functools.lru_cache(maxsize=1)
def metric_units() -> dict[str, str]:
    return {k: v["unit"] for k, v in load_yaml("metrics.yml")["metrics"].items()}


@functools.lru_cache(maxsize=1)
def money_metrics() -> frozenset[str]:
    return frozenset(k for k, v in load_yaml("metrics.yml")["metrics"].items() if v.get("money"))


@functools.lru_cache(maxsize=1)
def chain_labels() -> dict[str, str]:
    return {k: v["label"] for k, v in load_yaml("chains.yml")["chains"].items()}


@functools.lru_cache(maxsize=1)
def category_labels() -> dict[str, str]:
    return {k: v["label"] for k, v in load_yaml("mechanisms.yml")["categories"].items()}


@functools.lru_cache(maxsize=1)
def category_descriptions() -> dict[str, str]:
    return {k: v.get("description", "") for k, v in load_yaml("mechanisms.yml")["categories"].items()}


@functools.lru_cache(maxsize=1)
def fx() -> tuple[str, str, tuple[tuple[str, float], ...]]:
    """(as_of, source, ((currency, rate), ...)) from etl/rules/fx.yml."""
    d = load_yaml("fx.yml")
    rates = tuple((k, float(v)) for k, v in d["rates_to_cny"].items())
    return str(d.get("as_of", "")), str(d.get("source", "")), rates


@functools.cache
def currency_names() -> dict[str, str]:
    """ISO code -> the usual Chinese word (USD -> 美元), the first listed in etl/rules/units.yml."""
    out: dict[str, str] = {"CNY": "元"}
    for word, code in load_yaml("units.yml")["currencies"].items():
        out.setdefault(code, word)
    return out


def money_text(value, unit, currency) -> str:
    """'2 亿美元', '16.88 亿元': a money figure in its own currency, in Chinese."""
    cur = currency if isinstance(currency, str) and currency else "CNY"
    u = str(unit or "")
    if cur != "CNY":
        u = u.replace(cur, "") + currency_names().get(cur, cur)
    return f"{fmt_num(value)} {u}".strip()


def fx_note(currencies: list[str] | None = None) -> str:
    """'汇率：1 USD = 7.12 元（…，截至 2024-12-31）'; only the given currencies when listed."""
    as_of, source, rates = fx()
    shown = [(c, r) for c, r in rates if c != "CNY" and (currencies is None or c in currencies)]
    if not shown:
        return ""
    body = "，".join(f"1 {currency_names().get(c, c)} = {r:g} 元" for c, r in shown)
    return f"外币金额按 {body} 折算为亿元人民币（{source}，截至 {as_of}）。"


def label(mapping: dict[str, str], key) -> str:
    if key is None or (isinstance(key, float) and math.isnan(key)) or key == "":
        return UNSPECIFIED
    return mapping.get(key, str(key))


# why a fact is filed under its region: the region resolver's rules (etl/resolve/regions.py)
REGION_RULE_LABELS: dict[str, str] = {
    "paired_by_extractor": "表格行或“分别”列举中与该数字对应的地区",
    "named_right_before": "紧接在数字之前点名的地区",
    "listed_total": "列举各地分项时的合计，归于包含它们的地区",
    "owner_before_de": "“某地的”做法",
    "same_clause": "同一分句中点名的地区",
    "same_sentence": "同一句中点名的地区",
    "quote_speaker": "引语之后说话人所在的地区",
    "context_before": "前文（同一段或同一节）所述的地区",
    "outlet_place": "发布媒体所在的地区",
    "subject_of_document": "文章标题、导语或来源所述的地区",
    "most_named": "全文提及最多的地区（推断，请核对）",
    "none": "文中未指明地区",
}


def region_rule_label(rule) -> str:
    return REGION_RULE_LABELS.get(str(rule or ""), "")


def level_label(level) -> str:
    return label(LEVEL_LABELS, level)


def metric_label(metric) -> str:
    return label(metric_labels(), metric)


def chain_label(chain) -> str:
    return label(chain_labels(), chain)


def category_label(category) -> str:
    return label(category_labels(), category)


# parts of a year the sidebar offers (key -> label, first and last month)
SPANS = {"Q1": ("一季度", 1, 3), "Q2": ("二季度", 4, 6), "Q3": ("三季度", 7, 9), "Q4": ("四季度", 10, 12),
         "H1": ("上半年", 1, 6), "H2": ("下半年", 7, 12), "Q1-3": ("前三季度", 1, 9)}


def span_label(span: str | None) -> str:
    return SPANS[span][0] if span in SPANS else "全年"


def span_dates(year: int, span: str) -> tuple[date, date]:
    """First and last day of a part of a year: (2023, 'Q1') -> 2023-01-01, 2023-03-31."""
    _, m1, m2 = SPANS[span]
    return date(year, m1, 1), date(year, m2, calendar.monthrange(year, m2)[1])


def period_label(year: int | None, span: str | None = None) -> str:
    if not year:
        return "全部年份"
    return f"{year}年{span_label(span)}" if span in SPANS else f"{year}年"


# what a duration's baseline is (etl: baseline_kind): the region's own earlier time, a general
# norm, or another project or place named in the text
BASELINE_LABELS = {"own": "改革前", "norm": "一般", "other": "对比"}
COMMITMENT_LABEL = "承诺"


def baseline_label(kind, ref=None, has_baseline: bool = True) -> str:
    """改革前 / 一般 / 对比：某某项目; 原用时 for a baseline of unknown kind, — for none."""
    if not has_baseline:
        return "—"
    if kind == "other" and isinstance(ref, str) and ref:
        return f"对比：{ref}"
    return BASELINE_LABELS.get(kind, "原用时") if isinstance(kind, str) else "原用时"


def baseline_phrase(kind, ref=None) -> str:
    """What 较…缩短 compares with: 改革前 / 一般情况 / 某某项目 (对比对象 when unnamed)."""
    if kind == "other":
        return ref if isinstance(ref, str) and ref else "对比对象"
    return {"own": "改革前", "norm": "一般情况"}.get(kind, "原用时") if isinstance(kind, str) else "原用时"


def fmt_days(days) -> str:
    """Human duration: 5分钟 / 2小时 / 3天 / 1.5个月 ."""
    if days is None or (isinstance(days, float) and math.isnan(days)):
        return "—"
    d = float(days)
    if d < 1 / 24:
        return f"{d * 1440:.0f}分钟"
    if d < 1:
        return f"{d * 24:.0f}小时"
    if d < 60:
        return f"{d:g}天"
    return f"{d / 30:.1f}个月"


def fmt_num(v, digits: int = 2, thousands: bool = True) -> str:
    """1,234.5 / 16.88 / 276 (no trailing zeros); thousands=False as prose writes it (4908)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    s = f"{float(v):{',' if thousands else ''}.{digits}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def fmt_kpi(v) -> str:
    """Short numbers for KPI cards: 9,814 / 361.3 / 16.88."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    v = float(v)
    return fmt_num(v, 0 if abs(v) >= 1000 else 1 if abs(v) >= 100 else 2)


# ---------------------------------------------------------------- like-for-like comparisons

# peer groups of region levels: rankings compare regions of one group only
PEER_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "province": ("省级", ("province",)),
    "prefecture": ("地市", ("prefecture",)),
    "county": ("区县", ("county",)),
    "zone": ("园区与新区", ("new_area", "etdz", "hitech", "park")),
}
LEVEL_PEER = {lv: g for g, (_label, lvs) in PEER_GROUPS.items() for lv in lvs}
NO_LIKE_DATA = "无同口径数据"


def peer_label(group) -> str:
    return PEER_GROUPS[group][0] if group in PEER_GROUPS else UNSPECIFIED


def peer_of(level) -> str | None:
    return LEVEL_PEER.get(level) if isinstance(level, str) else None


# kinds of comparable period within one year (code suffix -> label); a figure whose period is none
# of these (a single day, an open end, Feb–Apr, several years) is never compared

def period_kind(m1: int, m2: int) -> str | None:
    """(first month, last month) of a period lying in one calendar year, whole months -> kind code:
    '' (全年), Q1..Q4, H1, H2, Q1-3, M1-N (1—N月 cumulative), MN (one month)."""
    if m1 == 1 and m2 == 12:
        return ""
    for span, (_label, a, b) in SPANS.items():
        if (m1, m2) == (a, b):
            return span
    if m1 == m2:
        return f"M{m1}"
    if m1 == 1:
        return f"M1-{m2}"
    return None


def parse_cmp(code) -> tuple[int, str] | None:
    """'2023' / '2023Q1' / '2023M1-8' / '2023M5' -> (year, kind); anything else -> None."""
    m = re.fullmatch(r"(\d{4})(|Q[1-4]|H[12]|Q1-3|M1-\d{1,2}|M\d{1,2})", str(code or "").strip().upper())
    if not m:
        return None
    kind = m[2]
    bounds = _kind_months(kind)
    if bounds is None or period_kind(*bounds) != kind:  # canonical codes only (M1-3 is Q1)
        return None
    return int(m[1]), kind


def _kind_months(kind: str) -> tuple[int, int] | None:
    if kind == "":
        return 1, 12
    if kind in SPANS:
        return SPANS[kind][1], SPANS[kind][2]
    if kind.startswith("M1-"):
        n = int(kind[3:])
        return (1, n) if 2 <= n <= 12 else None
    if kind.startswith("M"):
        n = int(kind[1:])
        return (n, n) if 1 <= n <= 12 else None
    return None


def cmp_dates(code) -> tuple[date, date]:
    year, kind = parse_cmp(code)
    m1, m2 = _kind_months(kind)
    return date(year, m1, 1), date(year, m2, calendar.monthrange(year, m2)[1])


def cmp_label(code) -> str:
    """'2023年全年' / '2023年一季度' / '2023年1—8月' / '2023年5月'."""
    p = parse_cmp(code)
    if p is None:
        return UNSPECIFIED
    year, kind = p
    if kind == "":
        return f"{year}年全年"
    if kind in SPANS:
        return f"{year}年{SPANS[kind][0]}"
    m1, m2 = _kind_months(kind)
    return f"{year}年{m1}月" if m1 == m2 else f"{year}年1—{m2}月"
