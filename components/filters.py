"""Sidebar filters shared by every page; their state lives in the URL query string.

First run of a session: URL parameters become the widgets' values (each value is checked
against the values present in the database or the vocabulary; anything else is ignored).
Every run writes the current values back to the URL, so a copied link reopens the same view
and a reload keeps it. Widget values are re-seeded on every run (ss[k] = ss[k]) so they
survive switching pages.

URL keys: province, level, region, chain (lists joined by ','), year, span, targets=1, verified=1, and the
like-for-like comparison: cmp (one comparable period, e.g. 2023Q1, 2023M1-8) and peer (one peer
group of levels). Rankings and KPI cards compare only figures of that period and, for rankings,
regions of that group; by default the period and group that the most regions report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from components import vocab

ALL = "全部"
SEP = ","
_K = {  # widget keys
    "provinces": "flt_province",
    "levels": "flt_level",
    "regions": "flt_region",
    "chains": "flt_chain",
    "year": "flt_year",
    "span": "flt_span",
    "include_targets": "flt_targets",
    "verified_only": "flt_verified",
    "cmp": "flt_cmp",
    "peer": "flt_peer",
}
_SEEDED = "_flt_seeded"
PARAMS = ("province", "level", "region", "chain", "year", "span", "targets", "verified", "cmp", "peer")  # the filters' URL keys


@dataclasses.dataclass(frozen=True)
class Filters:
    provinces: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()       # region_id
    chains: tuple[str, ...] = ()        # chains.yml keys
    year: int | None = None             # None = 全部
    span: str | None = None             # part of the year (vocab.SPANS), only with a year; None = 全年
    include_targets: bool = False
    verified_only: bool = False         # only facts a person verified or corrected (etl/review.py)
    cmp: str | None = None              # comparison period (vocab.parse_cmp code); rankings and KPIs use it only
    peer: str | None = None             # peer group of levels (vocab.PEER_GROUPS) that rankings compare

    def is_default(self) -> bool:
        return self == Filters()


@dataclasses.dataclass(frozen=True)
class Options:
    """What the filters may take: values present in the database / vocabulary."""
    provinces: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    region_labels: Mapping[str, str] = dataclasses.field(default_factory=dict)
    region_province: Mapping[str, str] = dataclasses.field(default_factory=dict)
    region_level: Mapping[str, str] = dataclasses.field(default_factory=dict)
    chains: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @classmethod
    def from_query(cls, d: dict) -> Options:
        """From queries.filter_options()."""
        reg = d["regions"]
        ids = tuple(reg["region_id"]) if len(reg) else ()
        labels = {r.region_id: f"{r.region}（{r.province or '—'}·{vocab.level_label(r.region_level)}）"
                  for r in reg.itertuples()}
        return cls(provinces=tuple(d["provinces"]), levels=tuple(d["levels"]), regions=ids,
                   region_labels=labels,
                   region_province={r.region_id: r.province for r in reg.itertuples()},
                   region_level={r.region_id: r.region_level for r in reg.itertuples()},
                   chains=tuple(d["chains"]), years=tuple(int(y) for y in d["years"]))


def _split(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        v = SEP.join(str(x) for x in v)
    return [x.strip() for x in str(v).split(SEP) if x.strip()]


def _keep(values, allowed) -> tuple:
    seen: list = []
    for v in values:
        if v in allowed and v not in seen:
            seen.append(v)
    return tuple(seen)


def from_params(params: Mapping, opts: Options) -> Filters:
    """URL parameters -> Filters; unknown keys and values that are not in `opts` are dropped."""
    year = None
    span = str(params.get("span", "") or "").strip().upper()
    raw_year = str(params.get("year", "") or "").strip()
    if raw_year.isdigit() and int(raw_year) in opts.years:
        year = int(raw_year)
    return Filters(
        provinces=_keep(_split(params.get("province")), opts.provinces),
        levels=_keep(_split(params.get("level")), opts.levels),
        regions=_keep(_split(params.get("region")), opts.regions),
        chains=_keep(_split(params.get("chain")), opts.chains),
        year=year,
        span=span if year is not None and span in vocab.SPANS else None,
        include_targets=str(params.get("targets", "")).strip().lower() in ("1", "true", "yes", "on"),
        verified_only=str(params.get("verified", "")).strip().lower() in ("1", "true", "yes", "on"),
        cmp=_cmp_param(params.get("cmp")),
        peer=str(params.get("peer", "") or "").strip() if params.get("peer") in vocab.PEER_GROUPS else None,
    )


def _cmp_param(v) -> str | None:
    p = vocab.parse_cmp(v)
    return None if p is None else f"{p[0]}{p[1]}"


def to_params(f: Filters) -> dict[str, str]:
    """Filters -> URL parameters (defaults omitted)."""
    out = {}
    for key, vals in (("province", f.provinces), ("level", f.levels), ("region", f.regions), ("chain", f.chains)):
        if vals:
            out[key] = SEP.join(vals)
    if f.year is not None:
        out["year"] = str(f.year)
    if f.year is not None and f.span:
        out["span"] = f.span
    if f.include_targets:
        out["targets"] = "1"
    if f.verified_only:
        out["verified"] = "1"

    if f.cmp:
        out["cmp"] = f.cmp
    if f.peer:
        out["peer"] = f.peer
    return out


def resolve_like(f: Filters, options: pd.DataFrame | None) -> Filters:
    """The comparison period and peer group: the chosen ones when `options` (queries.comparison_options
    for f) offers them, else the period the most regions report (the latest on a tie) and, within
    it, the group with the most regions (the higher level on a tie); "" when nothing is comparable."""
    if options is None:
        return f
    if options.empty:
        return dataclasses.replace(f, cmp="", peer="")
    per = options.groupby("cmp").agg(n=("n_regions", "sum"), end=("period_end", "max"))
    cmp = f.cmp if f.cmp in per.index else per.sort_values(["n", "end"], ascending=False).index[0]
    n = options[options["cmp"] == cmp].set_index("peer")["n_regions"]
    peers = [g for g in vocab.PEER_GROUPS if g in n.index]
    peer = f.peer if f.peer in peers else max(peers, key=lambda g: (n[g], -peers.index(g)))
    return dataclasses.replace(f, cmp=cmp, peer=peer)


def validate(f: Filters, opts: Options) -> Filters:
    return from_params(to_params(f), opts)


def _current_from_state(opts: Options) -> Filters:
    ss = st.session_state
    year = ss.get(_K["year"], ALL)
    return validate(Filters(
        provinces=tuple(ss.get(_K["provinces"], ())), levels=tuple(ss.get(_K["levels"], ())),
        regions=tuple(ss.get(_K["regions"], ())), chains=tuple(ss.get(_K["chains"], ())),
        year=None if year in (None, ALL) else int(year), include_targets=bool(ss.get(_K["include_targets"], False)),
        span=None if ss.get(_K["span"], ALL) in (None, ALL) else ss.get(_K["span"]),
        verified_only=bool(ss.get(_K["verified_only"], False)),
        cmp=ss.get(_K["cmp"]) or None, peer=ss.get(_K["peer"]) or None,
    ), opts)


def _seed(f: Filters) -> None:
    ss = st.session_state
    ss[_K["provinces"]] = list(f.provinces)
    ss[_K["levels"]] = list(f.levels)
    ss[_K["regions"]] = list(f.regions)
    ss[_K["chains"]] = list(f.chains)
    ss[_K["year"]] = str(f.year) if f.year is not None else ALL
    ss[_K["span"]] = f.span or ALL
    ss[_K["include_targets"]] = f.include_targets
    ss[_K["verified_only"]] = f.verified_only
    ss[_K["cmp"]] = f.cmp or None
    ss[_K["peer"]] = f.peer or None


def sidebar(opts: Options, like_options: Callable[[Filters], pd.DataFrame] | None = None) -> Filters:
    """Render the filters in the sidebar and return the current Filters. `like_options(f)` gives the
    comparable periods and peer groups of f's selection (queries.comparison_options)."""
    ss = st.session_state
    if not ss.get(_SEEDED):
        f0 = from_params(st.query_params.to_dict(), opts)
        ss[_SEEDED] = True
    else:
        f0 = _current_from_state(opts)
    # regions offered: those under the chosen provinces/levels, plus the ones already chosen
    offered = tuple(r for r in opts.regions
                    if (not f0.provinces or opts.region_province.get(r) in f0.provinces)
                    and (not f0.levels or opts.region_level.get(r) in f0.levels))
    f0 = dataclasses.replace(f0, regions=tuple(r for r in f0.regions if r in offered))
    like = like_options(f0) if like_options is not None else None
    f0 = resolve_like(f0, like)
    _seed(f0)
    sb = st.sidebar
    sb.header("筛选")
    sb.multiselect("省份", opts.provinces, key=_K["provinces"], placeholder=ALL)
    sb.multiselect("地区层级", opts.levels, key=_K["levels"], format_func=vocab.level_label, placeholder=ALL)
    sb.multiselect("地区", offered, key=_K["regions"], placeholder=ALL,
                   format_func=lambda r: opts.region_labels.get(r, r))
    sb.multiselect("产业链", opts.chains, key=_K["chains"], format_func=vocab.chain_label, placeholder=ALL)
    sb.selectbox("时间", [ALL, *(str(y) for y in opts.years)], key=_K["year"],
                 format_func=lambda y: y if y == ALL else f"{y}年")
    if ss.get(_K["year"], ALL) != ALL:
        sb.selectbox("时段", [ALL, *vocab.SPANS], key=_K["span"], format_func=vocab.span_label,
                     help="只看报告时段落在所选季度或半年之内的数字（如 1—2 月计入一季度）；审批用时按文中所述的事件时间（未注明的按发布日期），招商做法按年份筛选。")
    sb.toggle("包含目标值", key=_K["include_targets"],
              help="目标、计划类数字单独显示，从不与已完成的实绩相加。")
    sb.toggle("仅显示已核实", key=_K["verified_only"],
              help="只统计经人工核实或更正的事实（图表、指标卡与表格都随之变化）；已驳回的事实在任何情况下都不计入。")

    if like is not None:
        _like_widgets(sb, like, f0.cmp)
    f = _current_from_state(opts)
    f = dataclasses.replace(f, cmp=f0.cmp if f.cmp is None else f.cmp, peer=f0.peer if f.peer is None else f.peer)
    cur = st.query_params.to_dict()
    params = {**{k: v for k, v in cur.items() if k not in PARAMS}, **to_params(f)}  # a page's own keys stay
    if cur != params:
        st.query_params.from_dict(params)
    if not f.is_default():
        sb.caption("当前筛选已写入网址，复制链接即可分享此视图。")
    return f


def _like_widgets(sb, like: pd.DataFrame, cmp: str) -> None:
    """比较时段 and 比较层级: one comparable period and one peer group for rankings and KPI cards."""
    sb.subheader("同口径比较")
    if like.empty:
        sb.caption(f"{vocab.NO_LIKE_DATA}：所选范围内没有可比较时段（全年、季度、半年、1—N月累计）的数字。")
        return
    per = like.groupby("cmp")["n_regions"].sum()
    order = sorted(per.index, key=lambda c: vocab.cmp_dates(c), reverse=True)
    sb.selectbox("比较时段", order, key=_K["cmp"], format_func=lambda c: f"{vocab.cmp_label(c)}（{per[c]}个地区）",
                 help="排名与汇总卡片只比较同一种时段的数字：全年、某一季度、上半年或下半年、同为1—N月累计；"
                      "其他时段的地区列为“无同口径数据”。")
    n = like[like["cmp"] == st.session_state.get(_K["cmp"])].set_index("peer")["n_regions"]
    peers = [g for g in vocab.PEER_GROUPS if g in n.index]
    if st.session_state.get(_K["peer"]) not in peers:
        st.session_state[_K["peer"]] = peers[0] if peers else None
    sb.selectbox("比较层级", peers, key=_K["peer"], format_func=lambda g: f"{vocab.peer_label(g)}（{n[g]}个地区）",
                 help="排名只在同一层级的地区之间进行（省级、地市、区县、园区与新区）；下级地区列在其上级之下，不与上级相加。")
