"""All dashboard SQL: named functions (con, f: Filters, ...) -> DataFrame.

Rules: values are bound parameters ($name), never formatted into SQL; the only SQL fragments
chosen by callers come from whitelists (SPLITS, METRICS); every result has a row cap.
No streamlit here: pages call these through components/cache.py.

Counting rule (口径): the ETL reports figures as the documents state them, and for one region
the figures of one year often contain each other (全年 ⊃ 一季度, 签约总额 ⊃ 亿元以上项目).
So a region's value for a metric is the largest reported figure per year, summed over years.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from components import vocab

if TYPE_CHECKING:  # filters.py holds the widgets; only the dataclass is needed here
    from components.filters import Filters

MAX_ROWS = 500          # tables and chart inputs
MAX_AGG_ROWS = 5000     # row-level inputs that a chart aggregates
CONTEXT_CHARS = 120     # characters shown around an evidence sentence

# caller-chosen SQL fragments: whitelists only
SPLITS = {
    "none": "''",
    "qualifier": f"coalesce(nullif(qualifier, ''), '{vocab.UNSPECIFIED}')",
    "industry_chain": "coalesce(industry_chain, '')",
}
TARGET_MODES = ("filter", "exclude", "only", "any")
KPI_METRICS = ("signed_amount", "signed_projects", "started_projects", "funds_in_place")
CHECKED_SQL = "review_status IN ('verified', 'corrected')"  # a person has checked it (已核实 or 已更正)



def _cmp_sql() -> str:
    """A figure's comparable period code (vocab.parse_cmp: '2023', '2023Q1', '2023M1-8'), NULL when its
    period is not one calendar year's whole months of a comparable kind."""
    whens = " ".join(f"WHEN {m1 * 100 + m2} THEN '{k}'" for m1 in range(1, 13) for m2 in range(m1, 13)
                     if (k := vocab.period_kind(m1, m2)) is not None)
    return f"""CASE WHEN v.kind = 'figure' AND year(v.period_start) = year(v.period_end) AND day(v.period_start) = 1
                    AND v.period_end = last_day(v.period_end)
               THEN CAST(year(v.period_start) AS VARCHAR)
                    || CASE month(v.period_start) * 100 + month(v.period_end) {whens} END END"""


def _peer_sql() -> str:
    whens = " ".join(f"WHEN '{lv}' THEN '{g}'" for lv, g in vocab.LEVEL_PEER.items())
    return f"CASE v.region_level {whens} END"


# every fact with its year (the period's year, else its document's year), its comparable period
# code and its level's peer group
_BASE = f"""
SELECT v.*,
       coalesce(year(coalesce(v.period_end, v.period_start)), d.doc_year, year(v.date_published)) AS fact_year,
       CASE WHEN v.kind = 'figure' AND v.unit IN ('亿元', '亿') THEN v.value_cny ELSE v.value END AS amount,
       {_cmp_sql()} AS cmp,
       {_peer_sql()} AS peer
FROM v_facts v JOIN documents d ON d.doc_id = v.doc_id
"""


def metrics() -> frozenset[str]:
    return frozenset(vocab.metric_labels())


def _check_metrics(ms) -> list[str]:
    ms = [ms] if isinstance(ms, str) else list(ms)
    bad = [m for m in ms if m not in metrics()]
    if bad:
        raise ValueError(f"unknown metric(s): {bad}")
    return ms


def where(f: Filters | None, *, kinds=None, targets: str = "filter", primary: bool = True,
          use_regions: bool = True, use_year: bool = True, use_chain: bool = True,
          like_period: bool = False, like_level: bool = False) -> tuple[str, dict]:
    """The shared WHERE clause over _BASE's columns, with its bound parameters. `like_period` keeps
    only figures of the filters' comparison period (f.cmp), `like_level` only regions of its peer
    group (f.peer); each applies only when the filters carry one."""
    if targets not in TARGET_MODES:
        raise ValueError(targets)
    conds, params = ["review_status <> 'rejected'"], {}  # rejected by a reviewer: never counted
    if f is not None and f.verified_only:
        conds.append(CHECKED_SQL)
    if primary:
        conds.append("is_primary")
    if kinds:
        conds.append("list_contains($kinds, kind)")
        params["kinds"] = list(kinds)
    if f is not None:
        if f.provinces:
            conds.append("list_contains($provinces, province)")
            params["provinces"] = list(f.provinces)
        if f.levels:
            conds.append("list_contains($levels, region_level)")
            params["levels"] = list(f.levels)
        if f.regions and use_regions:
            conds.append("list_contains($regions, region_id)")
            params["regions"] = list(f.regions)
        if f.chains and use_chain:
            conds.append("list_contains($chains, industry_chain)")
            params["chains"] = list(f.chains)
        if f.year is not None and use_year:
            conds.append("fact_year = $year")
            params["year"] = int(f.year)
            if f.span in vocab.SPANS:  # figures whose period lies within the part of the year; durations
                # dated by their event where the text dates it, else by their document; mechanisms by year
                conds.append("(kind = 'mechanism' OR (coalesce(period_start, date_published) >= $span_start"
                             " AND coalesce(period_end, date_published) <= $span_end))")
                params["span_start"], params["span_end"] = vocab.span_dates(int(f.year), f.span)
        if like_period and f.cmp:
            conds.append("cmp = $cmp")
            params["cmp"] = f.cmp
        if like_level and f.peer:
            conds.append("peer = $peer")
            params["peer"] = f.peer
    include = bool(f and f.include_targets)
    if targets == "exclude" or (targets == "filter" and not include):
        conds.append("NOT coalesce(is_target, FALSE)")
    elif targets == "only":
        conds.append("coalesce(is_target, FALSE)")
    return " AND ".join(conds), params


def _sel(f, **kw) -> tuple[str, dict]:
    """`sel` CTE: the facts the filters select."""
    w, params = where(f, **kw)
    return f"sel AS (SELECT * FROM {BASE} b WHERE {w})", params


BASE = "__fact_base__"  # in SQL text: the facts with their derived columns (see _source)
# the ancestors of the regions in `best`, nearest first (WITH RECURSIVE): a child is never added to
# its parent, whose own report holds it
_ANCESTORS = """anc AS (SELECT region_id, parent_id AS ancestor_id, 1 AS depth FROM regions
            WHERE parent_id IS NOT NULL AND region_id IN (SELECT region_id FROM best)
            UNION ALL
            SELECT a.region_id, r.parent_id, a.depth + 1 FROM anc a JOIN regions r ON r.region_id = a.ancestor_id
            WHERE r.parent_id IS NOT NULL AND a.depth < 8)"""


def _source(con: duckdb.DuckDBPyConnection) -> str:
    """fact_base, the table the ETL precomputes at load time (etl/schema.sql v_fact_base), or _BASE
    computed on the fly in a version written before it existed."""
    has = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'fact_base' AND NOT temporary "
                      "AND database_name = current_database()").fetchone()[0]
    has = has or con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'fact_base' "
                             "AND database_name = current_database()").fetchone()[0]
    return "fact_base" if has else f"({_BASE})"


def _x(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    return con.execute(sql.replace(BASE, _source(con)) if BASE in sql else sql, params or {})


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    return _x(con, sql, params).df()


def period_text(start, end) -> str:
    def ok(x):
        return x is not None and not (isinstance(x, float) and math.isnan(x)) and not pd.isna(x)

    s, e = (pd.Timestamp(start) if ok(start) else None), (pd.Timestamp(end) if ok(end) else None)
    if s is None and e is None:
        return vocab.UNSPECIFIED
    if s is not None and e is not None:
        if s == e:
            return f"{s.year}年{s.month}月{s.day}日"
        if s.year == e.year and (s.month, s.day) == (1, 1):
            last = (e + pd.offsets.MonthEnd(0)) == e
            if (e.month, e.day) == (12, 31):
                return f"{s.year}年"
            return f"{s.year}年1-{e.month}月" if last else f"{s.year}年1月1日至{e.month}月{e.day}日"
        return f"{s.date()}至{e.date()}"
    if s is not None:
        return f"{s.year}年{s.month}月起"
    return f"截至{e.year}年{e.month}月{e.day}日"


def _with_period(df: pd.DataFrame) -> pd.DataFrame:
    if not df.empty and "period_start" in df and "period_end" in df:
        df["period"] = [period_text(s, e) for s, e in zip(df["period_start"], df["period_end"])]
    elif "period_start" in df:
        df["period"] = pd.Series(dtype=str)
    return df


# ---------------------------------------------------------------- filter options


def filter_options(con: duckdb.DuckDBPyConnection) -> dict:
    """Values present in the data, for the sidebar and for validating URL parameters."""
    base = f"SELECT * FROM {BASE} b WHERE is_primary"
    provinces = [r[0] for r in _x(con,
        f"SELECT province, count(*) n FROM ({base}) WHERE province IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1"
    ).fetchall()]
    present = {r[0] for r in _x(con, f"SELECT DISTINCT region_level FROM ({base})").fetchall()}
    levels = [lv for lv in vocab.LEVEL_LABELS if lv in present]
    regions = _x(con,
        f"SELECT region_id, any_value(region) AS region, any_value(province) AS province, "
        f"any_value(region_level) AS region_level, count(*) AS n FROM ({base}) "
        f"WHERE region_id IS NOT NULL GROUP BY region_id ORDER BY n DESC, region_id LIMIT {MAX_ROWS}"
    ).df()
    years = [int(r[0]) for r in _x(con,
        f"SELECT DISTINCT fact_year FROM ({base}) WHERE fact_year IS NOT NULL ORDER BY 1 DESC").fetchall()]
    return {"provinces": provinces, "levels": levels, "regions": regions,
            "chains": list(vocab.chain_labels()), "years": years}


# ---------------------------------------------------------------- figures


def region_values(con: duckdb.DuckDBPyConnection, f: Filters, metric=("signed_amount",), split: str = "none",
                  targets: str = "exclude", limit: int = MAX_ROWS, like_period: bool = True,
                  like_level: bool = True) -> pd.DataFrame:
    """Per region (and split value) and metric: the largest figure of each year, summed over years,
    with the evidence of the largest one. Regions ordered by their total. With the filters'
    comparison period and peer group (like_period/like_level), only like figures: one period, so
    one value per region and split, and regions of one level."""
    ms = _check_metrics(metric)
    if split not in SPLITS:
        raise ValueError(f"unknown split: {split}")
    sel, params = _sel(f, kinds=("figure",), targets=targets, like_period=like_period, like_level=like_level)
    params.update(metrics=ms, limit=int(limit))
    sql = f"""
    WITH {sel},
    ranked AS (
      SELECT *, {SPLITS[split]} AS split,
             row_number() OVER (PARTITION BY region_id, metric, fact_year, {SPLITS[split]}
                                ORDER BY amount DESC, fact_id) AS rk
      FROM sel WHERE list_contains($metrics, metric) AND amount IS NOT NULL AND region_id IS NOT NULL),
    agg AS (
      SELECT region_id, any_value(region) AS region, any_value(province) AS province,
             any_value(region_level) AS region_level, metric, split,
             sum(amount) FILTER (WHERE rk = 1) AS value,
             coalesce(sum(amount) FILTER (WHERE rk = 1 AND {CHECKED_SQL}), 0) AS value_checked,
             count(*) AS n_reports,
             -- the largest figure's own columns (a struct, so NULL fields are kept together)
             arg_max(struct_pack(evidence, doc_id, doc_title, outlet, yoy_pct, qualifier, period_start,
                                 period_end, value, unit, currency, fact_id), amount) AS best,
             bool_or(is_target) AS is_target,
             list(DISTINCT doc_id) AS doc_ids, list(DISTINCT fact_year) FILTER (WHERE rk = 1) AS years
      FROM ranked GROUP BY region_id, metric, split)
    SELECT region_id, region, province, region_level, metric, split, value, value_checked, n_reports,
           best.evidence, best.doc_id, best.doc_title, best.outlet, best.yoy_pct, best.qualifier,
           best.period_start, best.period_end, best.value AS orig_value, best.unit AS orig_unit,
           best.currency, best.fact_id, is_target, doc_ids, years,
           sum(value) OVER (PARTITION BY region_id) AS region_total
    FROM agg ORDER BY region_total DESC, region_id, metric, value DESC LIMIT $limit
    """
    df = _with_period(_df(con, sql, params))
    if split == "industry_chain":
        df["split"] = [vocab.chain_label(x or None) for x in df["split"]]
    return df


def top_regions(con, f: Filters, metric: str = "signed_amount", n: int = 10) -> pd.DataFrame:
    df = region_values(con, f, metric=(metric,), targets="exclude")
    return df.head(int(n)).reset_index(drop=True)


def _nested_free_totals(con: duckdb.DuckDBPyConnection, f: Filters, ms) -> pd.Series:
    """Per metric: the largest figure per region and year, summed, leaving out a region's year when
    one of its ancestors (县 ⊂ 市 ⊂ 省, 园区 ⊂ 区) reports the same metric for that year, since the
    ancestor's figure already contains it."""
    sel, params = _sel(f, kinds=("figure",), targets="exclude", like_period=True)
    params["metrics"] = _check_metrics(ms)
    sql = f"""WITH RECURSIVE {sel},
    best AS (SELECT region_id, metric, fact_year, max(amount) AS v FROM sel
             WHERE list_contains($metrics, metric) AND amount IS NOT NULL AND region_id IS NOT NULL
             GROUP BY ALL),
    {_ANCESTORS}
    SELECT b.metric, sum(b.v) AS value FROM best b
    WHERE NOT EXISTS (SELECT 1 FROM anc JOIN best p ON p.region_id = anc.ancestor_id
                      WHERE anc.region_id = b.region_id AND p.metric = b.metric
                        AND p.fact_year IS NOT DISTINCT FROM b.fact_year)
    GROUP BY 1"""
    df = _df(con, sql, params)
    return df.set_index("metric")["value"] if not df.empty else pd.Series(dtype=float)


def kpis(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per KPI card: key, label, value, unit (achievements only, never targets)."""
    sums = _nested_free_totals(con, f, KPI_METRICS)
    sel, params = _sel(f, kinds=None, targets="filter", primary=False)  # every source counts as a document
    n_regions, n_docs, n_facts = _x(con,
        f"WITH {sel} SELECT count(DISTINCT region_id), count(DISTINCT doc_id), count(*) FILTER (WHERE is_primary) "
        f"FROM sel", params
    ).fetchone()
    rows = [(m, vocab.metric_label(m), float(sums.get(m, 0.0)) if m in sums else None, vocab.metric_units()[m])
            for m in KPI_METRICS]
    rows += [("n_regions", "地区数", n_regions, "个"), ("n_docs", "文档数", n_docs, "篇"),
             ("n_facts", "事实条数", n_facts, "条")]
    return pd.DataFrame(rows, columns=["key", "label", "value", "unit"])


def comparison_options(con: duckdb.DuckDBPyConnection, f: Filters, metric=KPI_METRICS) -> pd.DataFrame:
    """Comparable periods and peer groups the selected achievements offer: per (cmp, peer) the
    regions and figures reporting any of the metrics. The sidebar picks its defaults from these."""
    sel, params = _sel(f, kinds=("figure",), targets="exclude")
    params["metrics"] = _check_metrics(metric)
    sql = f"""WITH {sel}
    SELECT cmp, peer, count(DISTINCT region_id) AS n_regions, count(*) AS n_figures,
           max(period_end) AS period_end
    FROM sel WHERE list_contains($metrics, metric) AND cmp IS NOT NULL AND peer IS NOT NULL
                   AND amount IS NOT NULL AND region_id IS NOT NULL
    GROUP BY ALL ORDER BY cmp, peer"""
    return _df(con, sql, params)


def unlike_regions(con: duckdb.DuckDBPyConnection, f: Filters, metric=("signed_amount",),
                   limit: int = MAX_ROWS) -> pd.DataFrame:
    """Regions of the selection that report the metric(s) but stay out of the like-for-like ranking:
    `reason` 'period' (no figure of the comparison period: `has` lists what they report instead) or
    'level' (a like figure, but another peer group)."""
    ms = _check_metrics(metric)
    sel, params = _sel(f, kinds=("figure",), targets="exclude")
    params.update(metrics=ms, cmp=f.cmp, peer=f.peer, limit=int(limit))
    sql = f"""WITH {sel},
    m AS (SELECT * FROM sel WHERE list_contains($metrics, metric) AND amount IS NOT NULL AND region_id IS NOT NULL),
    r AS (SELECT region_id, any_value(region) AS region, any_value(province) AS province,
                 any_value(region_level) AS region_level, any_value(peer) AS peer,
                 bool_or(cmp IS NOT DISTINCT FROM $cmp) AS has_like
          FROM m GROUP BY 1),
    best AS (SELECT region_id, metric, period_start, period_end, max(amount) AS value FROM m GROUP BY ALL)
    SELECT r.region_id, r.region, r.province, r.region_level, r.peer,
           CASE WHEN NOT r.has_like THEN 'period' ELSE 'level' END AS reason,
           list(struct_pack(metric := b.metric, period_start := b.period_start, period_end := b.period_end,
                            value := b.value) ORDER BY b.period_end DESC NULLS LAST, b.value DESC) AS has
    FROM r JOIN best b USING (region_id)
    WHERE NOT r.has_like OR ($peer IS NOT NULL AND r.peer IS DISTINCT FROM $peer)
    GROUP BY ALL ORDER BY reason DESC, r.region_id LIMIT $limit"""
    df = _df(con, sql, params)
    df["has_text"] = ["；".join(f"{vocab.metric_label(h['metric'])} {vocab.fmt_num(h['value'])}"
                               f"（{period_text(h['period_start'], h['period_end'])}）" for h in hs[:4])
                      + ("…" if len(hs) > 4 else "") for hs in df["has"]] if not df.empty else pd.Series(dtype=str)
    return df


def nested_children(con: duckdb.DuckDBPyConnection, f: Filters, metric=("signed_amount",)) -> pd.DataFrame:
    """Regions reporting a like figure (same metric, same comparison period) that lie inside another
    such region (县 ⊂ 市 ⊂ 省, 园区 ⊂ 区): `parent_id` the nearest reporting ancestor. Their figures
    are part of the ancestor's and are never added to it."""
    ms = _check_metrics(metric)
    sel, params = _sel(f, kinds=("figure",), targets="exclude", like_period=True)
    params["metrics"] = ms
    sql = f"""WITH RECURSIVE {sel},
    best AS (SELECT region_id, metric, max(amount) AS value, any_value(region) AS region,
                    any_value(region_level) AS region_level, any_value(peer) AS peer
             FROM sel WHERE list_contains($metrics, metric) AND amount IS NOT NULL AND region_id IS NOT NULL
             GROUP BY ALL),
    {_ANCESTORS}
    SELECT b.region_id, b.region, b.region_level, b.peer, b.metric, b.value,
           arg_min(p.region_id, anc.depth) AS parent_id, arg_min(p.region, anc.depth) AS parent
    FROM best b JOIN anc ON anc.region_id = b.region_id
         JOIN best p ON p.region_id = anc.ancestor_id AND p.metric = b.metric
    GROUP BY ALL ORDER BY parent_id, b.metric, b.value DESC, b.region_id LIMIT {MAX_ROWS}"""
    return _df(con, sql, params)


def figures_table(con: duckdb.DuckDBPyConnection, f: Filters, metric=None, targets: str = "filter",
                  limit: int = MAX_ROWS) -> pd.DataFrame:
    """Figure facts, one per cluster, newest first."""
    sel, params = _sel(f, kinds=("figure",), targets=targets)
    cond = ""
    if metric is not None:
        params["metrics"] = _check_metrics(metric)
        cond = "WHERE list_contains($metrics, metric)"
    params["limit"] = int(limit)
    sql = f"""WITH {sel}
    SELECT fact_id, cluster_id, region_id, region, province, region_level, metric, value, unit, currency,
           value_cny, period_start, period_end, fact_year, yoy_pct, coalesce(is_target, FALSE) AS is_target,
           qualifier, subject, industry_chain, doc_id, doc_title, outlet, date_published, evidence, n_sources,
           review_status, review_original
    FROM sel {cond}
    ORDER BY fact_year DESC NULLS LAST, period_end DESC NULLS LAST, date_published DESC NULLS LAST, fact_id
    LIMIT $limit"""
    return _with_period(_df(con, sql, params))


def latest_facts(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 20) -> pd.DataFrame:
    """The most recent facts of every kind (one per cluster), with a one-line summary."""
    sel, params = _sel(f, kinds=None, targets="filter")
    params["limit"] = int(limit)
    sql = f"""WITH {sel}
    SELECT fact_id, cluster_id, kind, region_id, region, province, metric, value, unit, currency, value_cny,
           is_target, qualifier, from_stage, to_stage, days, baseline_days, category, name, period_start,
           period_end, fact_year, doc_id, doc_title, outlet, date_published, evidence, n_sources, review_status
    FROM sel
    ORDER BY fact_year DESC NULLS LAST, coalesce(period_end, period_start, date_published) DESC NULLS LAST,
             date_published DESC NULLS LAST, fact_id
    LIMIT $limit"""
    return _with_summary(_with_period(_df(con, sql, params)))


def _summary(r) -> str:
    if r.kind == "figure":
        tgt = "（目标）" if bool(r.is_target) else ""
        if r.metric in vocab.money_metrics():
            return f"{vocab.metric_label(r.metric)} {vocab.money_text(r.value, r.unit, r.currency)}{tgt}"
        return f"{vocab.metric_label(r.metric)} {vocab.fmt_num(r.value)} {r.unit or ''}{tgt}".strip()
    if r.kind == "duration":
        stage = f"{r.from_stage or '?'}→{r.to_stage or '?'}"
        before = f"（原 {vocab.fmt_days(r.baseline_days)}）" if pd.notna(r.baseline_days) else ""
        return f"{stage} {vocab.fmt_days(r.days)}{before}"
    return f"{vocab.category_label(r.category)}：{r.name or ''}"


def _with_summary(df: pd.DataFrame) -> pd.DataFrame:
    df["summary"] = [_summary(r) for r in df.itertuples()] if not df.empty else pd.Series(dtype=str)
    return df


def funds_rate(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """到位率 = funds_in_place / signed_amount, only where both are reported for the same region and
    the same (known) period; the largest figure of each metric for that period."""
    sel, params = _sel(f, kinds=("figure",), targets="exclude", like_period=True, like_level=True)
    params["limit"] = MAX_ROWS
    sql = f"""WITH {sel},
    best AS (
      SELECT * FROM sel
      WHERE metric IN ('signed_amount', 'funds_in_place') AND amount IS NOT NULL AND region_id IS NOT NULL
        AND coalesce(period_start, period_end) IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY region_id, metric, period_start, period_end
                                 ORDER BY amount DESC, fact_id) = 1)
    SELECT s.region_id, s.region, s.province, s.region_level, s.period_start, s.period_end, s.fact_year,
           s.amount AS signed_amount, p.amount AS funds_in_place,
           round(100 * p.amount / s.amount, 1) AS rate_pct, s.qualifier,
           s.doc_id AS signed_doc_id, s.doc_title AS signed_doc_title, s.outlet AS signed_outlet,
           s.evidence AS signed_evidence, p.doc_id AS funds_doc_id, p.doc_title AS funds_doc_title,
           p.outlet AS funds_outlet, p.evidence AS funds_evidence,
           s.{CHECKED_SQL} AND p.{CHECKED_SQL} AS checked
    FROM best s JOIN best p
      ON s.region_id = p.region_id AND s.metric = 'signed_amount' AND p.metric = 'funds_in_place'
     AND s.period_start IS NOT DISTINCT FROM p.period_start AND s.period_end IS NOT DISTINCT FROM p.period_end
    WHERE s.amount > 0
    ORDER BY rate_pct DESC, s.region_id LIMIT $limit"""
    df = _with_period(_df(con, sql, params))
    df["doc_id"] = df["signed_doc_id"]
    df["outlet"] = df["signed_outlet"]
    df["doc_ids"] = [sorted({a, b}) for a, b in zip(df["signed_doc_id"], df["funds_doc_id"])]
    return df


# ---------------------------------------------------------------- durations and mechanisms


def durations(con: duckdb.DuckDBPyConnection, f: Filters, stage: str | None = None,
              limit: int = MAX_ROWS) -> pd.DataFrame:
    """Durations achieved (days, baseline_days, reduction_pct), one per cluster; `stage` is 'from→to'
    as written. Commitments (is_target) are not achievements: see approval_durations."""
    sel, params = _sel(f, kinds=("duration",), targets="exclude")
    cond = ""
    if stage:
        cond = "AND stage = $stage"
        params["stage"] = stage
    params["limit"] = int(limit)
    sql = f"""WITH {sel}
    SELECT * FROM (
      SELECT fact_id, cluster_id, region_id, region, province, region_level,
             coalesce(from_stage, '?') || '→' || coalesce(to_stage, '?') AS stage, from_stage, to_stage,
             days, baseline_days,
             CAST(CASE WHEN days IS NOT NULL AND baseline_days > 0 THEN round(100 * (1 - days / baseline_days), 1)
                  END AS DOUBLE) AS reduction_pct,
             fact_year, period_start, period_end, doc_id, doc_title, outlet, date_published, evidence, n_sources,
             review_status
      FROM sel WHERE days IS NOT NULL OR baseline_days IS NOT NULL)
    WHERE TRUE {cond}
    ORDER BY reduction_pct DESC NULLS LAST, coalesce(baseline_days, days) DESC, fact_id LIMIT $limit"""
    return _with_when(_df(con, sql, params))


def _with_when(df: pd.DataFrame) -> pd.DataFrame:
    """`when` a duration happened: the event's own date where the text gives it, else the document's."""
    df["when"] = [period_text(s, e) if pd.notna(s) or pd.notna(e) else
                  (f"{pd.Timestamp(d).date()}（发布日期）" if pd.notna(d) else f"{y}年（文档年份）" if pd.notna(y) else vocab.UNSPECIFIED)
                  for s, e, d, y in zip(df["period_start"], df["period_end"], df["date_published"], df["fact_year"])] \
        if not df.empty else pd.Series(dtype=str)
    return df


def duration_stages(con: duckdb.DuckDBPyConnection, f: Filters) -> list[str]:
    df = durations(con, f)
    return df["stage"].value_counts().index.tolist() if not df.empty else []


APPROVAL_PARTS = ("achieved", "commitment", "unmapped")


def approval_durations(con: duckdb.DuckDBPyConnection, f: Filters, part: str = "achieved",
                       stage_group: str | None = None, limit: int = MAX_ROWS) -> pd.DataFrame:
    """Durations for the 审批提速 page, one per cluster, in one of three parts that never mix:
    'achieved' (mapped stages, achieved times), 'commitment' (times promised, is_target) and
    'unmapped' (achieved, a stage as written that maps to no stage). baseline_label says what
    the baseline is (改革前 / 一般 / 对比：某某)."""
    if part not in APPROVAL_PARTS:
        raise ValueError(part)
    sel, params = _sel(f, kinds=("duration",), targets="any")
    cond = {"achieved": "NOT is_commitment AND stage_group IS NOT NULL",
            "commitment": "is_commitment", "unmapped": "NOT is_commitment AND stage_group IS NULL"}[part]
    if stage_group:
        cond += " AND stage_group = $stage_group"
        params["stage_group"] = stage_group
    params["limit"] = int(limit)
    sql = f"""WITH {sel}
    SELECT * FROM (
      SELECT fact_id, cluster_id, region_id, region, province, region_level,
             stage_group,
             coalesce(from_stage, '?') || '→' || coalesce(to_stage, '?') AS stage_written, from_stage, to_stage,
             from_stage_key, to_stage_key, days, baseline_days, baseline_kind, baseline_ref,
             coalesce(is_target, FALSE) AS is_commitment,
             CAST(CASE WHEN days IS NOT NULL AND baseline_days > 0 THEN round(100 * (1 - days / baseline_days), 1)
                  END AS DOUBLE) AS reduction_pct,
             subject, fact_year, period_start, period_end, doc_id, doc_title, outlet, date_published, evidence,
             n_sources, review_status
      FROM sel WHERE days IS NOT NULL OR baseline_days IS NOT NULL)
    WHERE {cond}
    ORDER BY reduction_pct DESC NULLS LAST, coalesce(baseline_days, days) DESC, fact_id LIMIT $limit"""
    df = _with_when(_df(con, sql, params))
    df["baseline_label"] = [vocab.baseline_label(k, r, pd.notna(b)) for k, r, b in
                            zip(df["baseline_kind"], df["baseline_ref"], df["baseline_days"])]
    return df


def approval_stage_groups(con: duckdb.DuckDBPyConnection, f: Filters) -> list[str]:
    """The mapped stages of achieved durations, most frequent first (the page's only categories)."""
    df = approval_durations(con, f, "achieved")
    return df["stage_group"].value_counts().index.tolist() if not df.empty else []


def mechanisms(con: duckdb.DuckDBPyConnection, f: Filters, category: str | None = None,
               region_id: str | None = None, limit: int = MAX_AGG_ROWS) -> pd.DataFrame:
    """Mechanism evidence, one row per cluster."""
    sel, params = _sel(f, kinds=("mechanism",), targets="any")
    conds = ["category IS NOT NULL"]
    if category:
        conds.append("category = $category")
        params["category"] = category
    if region_id:
        conds.append("region_id = $region_id")
        params["region_id"] = region_id
    params["limit"] = int(limit)
    sql = f"""WITH {sel}
    SELECT fact_id, cluster_id, region_id, coalesce(region, '{vocab.UNSPECIFIED}') AS region, province,
           region_level, category, name, fact_year, doc_id, doc_title, outlet, date_published, evidence, n_sources,
           review_status
    FROM sel WHERE {' AND '.join(conds)}
    ORDER BY region_id NULLS LAST, category, fact_id LIMIT $limit"""
    df = _df(con, sql, params)
    df["category_label"] = [vocab.category_label(c) for c in df["category"]]
    return df


def mechanism_matrix(con: duckdb.DuckDBPyConnection, f: Filters, top: int = 40) -> pd.DataFrame:
    """Region × category: evidence count (one per cluster) and the first sentence, for the `top`
    regions with the most evidence. `n_regions` is the count before the cut."""
    sel, params = _sel(f, kinds=("mechanism",), targets="any")
    params["top"] = int(top)
    sql = f"""WITH {sel},
    cell AS (SELECT region_id, category, any_value(coalesce(region, '{vocab.UNSPECIFIED}')) AS region,
                    any_value(province) AS province, count(*) AS n,
                    count(*) FILTER (WHERE {CHECKED_SQL}) AS n_checked,
                    arg_min(struct_pack(doc_title, outlet, evidence), fact_id) AS first,
                    list(DISTINCT doc_id) AS doc_ids
             FROM sel WHERE category IS NOT NULL GROUP BY region_id, category),
    tot AS (SELECT region_id, sum(n) AS total, count(*) OVER () AS n_regions FROM cell GROUP BY region_id),
    keep AS (SELECT * FROM tot ORDER BY total DESC, region_id NULLS LAST LIMIT $top)
    SELECT c.region_id, c.region, c.province, c.category, c.n, c.n_checked, c.first.doc_title AS doc_title,
           c.first.outlet AS outlet, c.first.evidence AS evidence, c.doc_ids, k.total, k.n_regions
    FROM cell c JOIN keep k ON k.region_id IS NOT DISTINCT FROM c.region_id
    ORDER BY k.total DESC, c.region_id NULLS LAST, c.category"""
    return _df(con, sql, params)


# ---------------------------------------------------------------- map


def region_points(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Regions with facts at a position: their own lon/lat, else the nearest ancestor's."""
    sel, params = _sel(f, kinds=None, targets="filter")
    sql = f"""WITH RECURSIVE {sel},
    counts AS (SELECT region_id, any_value(region) AS region, count(*) AS n_facts,
                      count(*) FILTER (WHERE {CHECKED_SQL}) AS n_checked, list(DISTINCT doc_id) AS doc_ids,
                      arg_max(outlet, coalesce(amount, 0)) AS outlet, arg_max(doc_title, coalesce(amount, 0)) AS doc_title,
                      arg_max(evidence, coalesce(amount, 0)) AS evidence
               FROM sel WHERE region_id IS NOT NULL GROUP BY 1),
    walk AS (
      SELECT r.region_id, r.parent_id AS next_id, r.lon, r.lat, 0 AS depth
      FROM regions r JOIN counts c USING (region_id)
      UNION ALL
      SELECT w.region_id, p.parent_id, p.lon, p.lat, w.depth + 1
      FROM walk w JOIN regions p ON p.region_id = w.next_id
      WHERE (w.lon IS NULL OR w.lat IS NULL) AND w.depth < 6),
    pos AS (SELECT region_id, arg_min(lon, depth) AS lon, arg_min(lat, depth) AS lat, min(depth) AS depth
            FROM walk WHERE lon IS NOT NULL AND lat IS NOT NULL GROUP BY 1)
    SELECT r.region_id, coalesce(c.region, r.name) AS region, r.name AS full_name, r.level AS region_level, r.province,
           pos.lon, pos.lat, pos.depth > 0 AS inherited, c.n_facts, c.n_checked, c.doc_ids, c.outlet, c.doc_title, c.evidence
    FROM counts c JOIN regions r USING (region_id) JOIN pos USING (region_id)
    ORDER BY c.n_facts DESC, r.region_id LIMIT {MAX_ROWS}"""
    df = _df(con, sql, params)
    vals = region_values(con, f, metric=("signed_amount",), targets="exclude", like_level=False)
    amount = dict(zip(vals["region_id"], vals["value"]))
    df["signed_amount"] = [amount.get(r) for r in df["region_id"]]
    return df


def province_summary(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per province (adcode = the province's region_id): facts, regions, documents."""
    sel, params = _sel(f, kinds=None, targets="filter")
    sql = f"""WITH {sel}
    SELECT p.region_id AS adcode, p.name AS province_name, s.province, count(*) AS n_facts,
           count(DISTINCT s.region_id) AS n_regions, count(DISTINCT s.doc_id) AS n_docs,
           list(DISTINCT s.doc_id) AS doc_ids
    FROM sel s JOIN regions p ON p.level = 'province' AND p.province = s.province
    GROUP BY ALL ORDER BY n_facts DESC LIMIT {MAX_ROWS}"""
    return _df(con, sql, params)


# ---------------------------------------------------------------- provenance


def documents_overview(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Documents with the facts found in them that match the filters (every source, not only primaries)."""
    sel, params = _sel(f, kinds=None, targets="filter", primary=False)
    params["limit"] = MAX_ROWS
    sql = f"""WITH {sel},
    c AS (SELECT doc_id, count(*) AS n_facts,
                 count(*) FILTER (WHERE kind = 'figure') AS n_figures,
                 count(*) FILTER (WHERE kind = 'duration') AS n_durations,
                 count(*) FILTER (WHERE kind = 'mechanism') AS n_mechanisms,
                 string_agg(DISTINCT region, '、' ORDER BY region) AS regions
          FROM sel GROUP BY 1)
    SELECT d.doc_id, d.title AS doc_title, d.outlet, d.date_published, d.doc_year, d.format, d.url, d.n_chars,
           c.n_facts, c.n_figures, c.n_durations, c.n_mechanisms, c.regions
    FROM documents d JOIN c USING (doc_id)
    ORDER BY d.date_published DESC NULLS LAST, d.doc_id LIMIT $limit"""
    return _df(con, sql, params)


def like_pattern(q: str) -> str:
    """A LIKE pattern matching q literally anywhere (ESCAPE '\\')."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_evidence(con: duckdb.DuckDBPyConnection, f: Filters, q: str = "", limit: int = 100) -> pd.DataFrame:
    """Facts (one per cluster) whose evidence in any source contains q, newest first."""
    sel, params = _sel(f, kinds=None, targets="filter")
    params.update(pat=like_pattern((q or "").strip()), limit=int(min(limit, MAX_ROWS)))
    sql = f"""WITH {sel},
    hits AS (SELECT DISTINCT cluster_id FROM v_fact_sources WHERE evidence LIKE $pat ESCAPE '\\'),
    src AS (SELECT cluster_id, string_agg(DISTINCT coalesce(outlet, doc_id), '、') AS sources
            FROM v_fact_sources GROUP BY 1)
    SELECT s.fact_id, s.cluster_id, s.kind, s.region_id, s.region, s.province, s.metric, s.value, s.unit, s.currency,
           s.is_target, s.from_stage, s.to_stage, s.days, s.baseline_days, s.category, s.name,
           s.period_start, s.period_end, s.fact_year, s.doc_id, s.doc_title, s.outlet, s.date_published,
           s.evidence, s.n_sources, src.sources, s.review_status, s.reviewed_by, s.reviewed_at, s.review_original
    FROM sel s JOIN hits USING (cluster_id) LEFT JOIN src USING (cluster_id)
    ORDER BY s.fact_year DESC NULLS LAST, s.date_published DESC NULLS LAST, s.fact_id LIMIT $limit"""
    return _with_summary(_with_period(_df(con, sql, params)))


def fact_sources(con: duckdb.DuckDBPyConnection, cluster_id: str, window: int = CONTEXT_CHARS) -> pd.DataFrame:
    """Every source of a cluster with the evidence in its context (text split into before/hit/after)."""
    sql = """
    SELECT s.doc_id, s.doc_title, s.outlet, s.date_published, d.url, s.evidence, s.char_start, s.char_end,
           s.region, s.region_rule,
           substr(d.text, greatest(s.char_start - $w, 0) + 1, s.char_start - greatest(s.char_start - $w, 0)) AS before,
           substr(d.text, s.char_start + 1, s.char_end - s.char_start) AS hit,
           substr(d.text, s.char_end + 1, $w) AS after,
           s.char_start > $w AS cut_before, s.char_end + $w < length(d.text) AS cut_after
    FROM v_fact_sources s JOIN documents d USING (doc_id)
    WHERE s.cluster_id = $cid
    ORDER BY s.date_published NULLS LAST, s.doc_id LIMIT 50"""
    return _df(con, sql, {"cid": cluster_id, "w": int(window)})


# ---------------------------------------------------------------- region profile


def region_choices(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Regions with facts under the province/level filters (any year, chain or region choice)."""
    sel, params = _sel(f, kinds=None, targets="any", use_regions=False, use_year=False, use_chain=False)
    sql = f"""WITH {sel}
    SELECT region_id, any_value(region) AS region, any_value(province) AS province,
           any_value(region_level) AS region_level, count(*) AS n_facts
    FROM sel WHERE region_id IS NOT NULL GROUP BY 1 ORDER BY n_facts DESC, region_id LIMIT {MAX_ROWS}"""
    return _df(con, sql, params)


def region_info(con: duckdb.DuckDBPyConnection, region_id: str) -> pd.DataFrame:
    sql = """SELECT r.region_id, r.name, r.short_name, r.level, r.province, r.lon, r.lat,
                    p.region_id AS parent_id, p.name AS parent_name
             FROM regions r LEFT JOIN regions p ON p.region_id = r.parent_id WHERE r.region_id = $rid"""
    return _df(con, sql, {"rid": region_id})


def documents_index(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """doc_id -> title, outlet, date (for source lines)."""
    return _df(con, f"SELECT doc_id, title AS doc_title, outlet, date_published FROM documents "
                    f"ORDER BY doc_id LIMIT {MAX_AGG_ROWS}", {})


# ---------------------------------------------------------------- briefings


def key_figures(con: duckdb.DuckDBPyConnection, f: Filters, metric=KPI_METRICS, start=None, end=None,
                per_metric: int = 5) -> pd.DataFrame:
    """The figures a briefing states: per metric, the regions with the largest reported achievement,
    one fact each (its own value, period and document). `start`/`end` (dates) keep only facts whose
    period lies inside that window."""
    ms = _check_metrics(metric)
    sel, params = _sel(f, kinds=("figure",), targets="exclude", like_level=True)
    params.update(metrics=ms, n=int(per_metric))
    cond = ""
    if start is not None:
        cond += " AND period_start >= $start"
        params["start"] = start
    if end is not None:
        cond += " AND period_end <= $end"
        params["end"] = end
    sql = f"""WITH {sel},
    best AS (
      SELECT * FROM sel
      WHERE list_contains($metrics, metric) AND amount IS NOT NULL AND region_id IS NOT NULL {cond}
      QUALIFY row_number() OVER (PARTITION BY region_id, metric
                                 ORDER BY amount DESC, period_end DESC NULLS LAST, fact_id) = 1)
    SELECT fact_id, region_id, region, province, region_level, metric, value, unit, currency, amount,
           period_start, period_end, yoy_pct, qualifier, doc_id, doc_title, outlet, date_published, evidence,
           n_sources
    FROM best
    QUALIFY row_number() OVER (PARTITION BY metric ORDER BY amount DESC, fact_id) <= $n
    ORDER BY list_position($metrics, metric), amount DESC, fact_id LIMIT {MAX_ROWS}"""
    return _with_period(_df(con, sql, params))


# ---------------------------------------------------------------- human review (etl/review.py)

REVIEW_STATUSES = ("machine", "verified", "corrected", "rejected")
REVIEW_DIMENSIONS = {"status": "review_status", "metric": "coalesce(metric, category, kind)",
                     "region": f"coalesce(region, '{vocab.UNSPECIFIED}')", "kind": "kind"}
_REVIEW_BASE = "SELECT * FROM v_facts"  # every source of every fact, rejected ones included


def review_queue(con: duckdb.DuckDBPyConnection, doc_id: str | None = None, region_id: str | None = None,
                 metric: str | None = None, status: str | None = None, q: str = "",
                 limit: int = MAX_ROWS, offset: int = 0) -> pd.DataFrame:
    """Facts to review (every source, not only primaries), in document order; `metric` is a figure
    metric, a mechanism category or a kind. `n_total` is the count before limit/offset."""
    conds, params = ["TRUE"], {"limit": int(min(limit, MAX_ROWS)), "offset": max(int(offset), 0)}
    if doc_id:
        conds.append("doc_id = $doc_id")
        params["doc_id"] = doc_id
    if region_id:
        conds.append("region_id = $region_id")
        params["region_id"] = region_id
    if metric:
        conds.append("(metric = $metric OR category = $metric OR (kind = $metric AND metric IS NULL))")
        params["metric"] = metric
    if status:
        if status not in REVIEW_STATUSES:
            raise ValueError(status)
        conds.append("review_status = $status")
        params["status"] = status
    if (q or "").strip():
        conds.append("evidence LIKE $pat ESCAPE '\\'")
        params["pat"] = like_pattern(q.strip())
    sql = f"""SELECT fact_key, fact_id, cluster_id, kind, region_id, region, province, region_level, metric, value,
           unit, currency, value_cny, period_start, period_end, is_target, qualifier, from_stage, to_stage, days,
           baseline_days, category, name, doc_id, doc_title, outlet, date_published, evidence, char_start, char_end,
           is_primary, n_sources, review_status, reviewed_by, reviewed_at, review_original,
           count(*) OVER () AS n_total
    FROM ({_REVIEW_BASE}) WHERE {' AND '.join(conds)}
    ORDER BY date_published DESC NULLS LAST, doc_id, char_start, kind, fact_key LIMIT $limit OFFSET $offset"""
    return _with_summary(_with_period(_df(con, sql, params)))


def review_fact(con: duckdb.DuckDBPyConnection, fact_key: str, window: int = CONTEXT_CHARS) -> pd.DataFrame:
    """One fact by its review identity, with its sentence in context (before/hit/after)."""
    sql = f"""SELECT v.*, substr(d.text, greatest(v.char_start - $w, 0) + 1,
                                 v.char_start - greatest(v.char_start - $w, 0)) AS before,
           substr(d.text, v.char_start + 1, v.char_end - v.char_start) AS hit,
           substr(d.text, v.char_end + 1, $w) AS after,
           v.char_start > $w AS cut_before, v.char_end + $w < length(d.text) AS cut_after, d.url
    FROM ({_REVIEW_BASE}) v JOIN documents d USING (doc_id) WHERE v.fact_key = $key LIMIT 1"""
    return _with_summary(_with_period(_df(con, sql, {"key": fact_key, "w": int(window)})))


def review_options(con: duckdb.DuckDBPyConnection) -> dict:
    """Documents, regions and metrics present among the facts, for the review queue's filters."""
    docs = _df(con, f"""SELECT doc_id, any_value(doc_title) AS doc_title, count(*) AS n,
                               count(*) FILTER (WHERE review_status = 'machine') AS n_machine
                        FROM ({_REVIEW_BASE}) GROUP BY doc_id ORDER BY n_machine DESC, doc_id LIMIT {MAX_AGG_ROWS}""", {})
    regions = _df(con, f"""SELECT region_id, any_value(region) AS region, any_value(province) AS province, count(*) AS n
                           FROM ({_REVIEW_BASE}) WHERE region_id IS NOT NULL GROUP BY 1
                           ORDER BY n DESC, region_id LIMIT {MAX_AGG_ROWS}""", {})
    metrics = [r[0] for r in con.execute(
        f"SELECT coalesce(metric, category, kind) AS m, count(*) n FROM ({_REVIEW_BASE}) GROUP BY 1 ORDER BY n DESC, 1"
    ).fetchall()]
    return {"docs": docs, "regions": regions, "metrics": metrics}


def gazetteer_regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every region of the gazetteer (the correction form's choices), provinces first."""
    return _df(con, """SELECT region_id, name, short_name, level, province FROM regions
                       ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'prefecture' THEN 1 WHEN 'county' THEN 2 ELSE 3 END,
                                province, region_id""", {})


def review_counts(con: duckdb.DuckDBPyConnection, by: str = "status", limit: int = MAX_ROWS) -> pd.DataFrame:
    """Facts per review status, and per `by` (status | metric | region | kind) and status: one row per
    value with n_machine, n_verified, n_corrected, n_rejected, n."""
    if by not in REVIEW_DIMENSIONS:
        raise ValueError(by)
    sql = f"""SELECT {REVIEW_DIMENSIONS[by]} AS key, count(*) AS n,
           count(*) FILTER (WHERE review_status = 'machine') AS n_machine,
           count(*) FILTER (WHERE review_status = 'verified') AS n_verified,
           count(*) FILTER (WHERE review_status = 'corrected') AS n_corrected,
           count(*) FILTER (WHERE review_status = 'rejected') AS n_rejected
    FROM ({_REVIEW_BASE}) GROUP BY 1 ORDER BY n DESC, 1 LIMIT $limit"""
    return _df(con, sql, {"limit": int(limit)})


def documents_to_review(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Documents with facts nobody has reviewed yet, most waiting first."""
    sql = f"""SELECT doc_id, any_value(doc_title) AS doc_title, any_value(outlet) AS outlet,
           any_value(date_published) AS date_published, count(*) AS n_facts,
           count(*) FILTER (WHERE review_status = 'machine') AS n_machine,
           count(*) FILTER (WHERE {CHECKED_SQL}) AS n_checked,
           count(*) FILTER (WHERE review_status = 'rejected') AS n_rejected
    FROM ({_REVIEW_BASE}) GROUP BY doc_id HAVING n_machine > 0
    ORDER BY n_machine DESC, date_published DESC NULLS LAST, doc_id LIMIT {MAX_ROWS}"""
    return _df(con, sql, {})


def review_orphans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Review decisions of the log whose fact no longer exists in this version."""
    return _df(con, f"""SELECT fact_key, review_status, reviewed_by, reviewed_at, doc_id, evidence, summary, reason
                        FROM review_orphans ORDER BY reviewed_at DESC, fact_key LIMIT {MAX_ROWS}""", {})


def cluster_reviews(con: duckdb.DuckDBPyConnection, cluster_id: str) -> pd.DataFrame:
    """Review status, reviewer and the machine's original values of each source of a cluster."""
    sql = """SELECT doc_id, doc_title, outlet, fact_key, review_status, reviewed_by, reviewed_at, review_original
             FROM v_facts WHERE cluster_id = $cid ORDER BY date_published NULLS LAST, doc_id LIMIT 50"""
    return _df(con, sql, {"cid": cluster_id})

# ---------------------------------------------------------------- since the last briefing

CHANGE_ROWS = 100_000  # facts compared between two versions (every fact under the filters)


def change_facts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Every achievement under the filters, every source of a cluster (not only its primary row):
    what a 新变化 section compares between an earlier state of the data and this one."""
    sel, params = _sel(f, kinds=None, targets="exclude", primary=False)
    params["limit"] = CHANGE_ROWS
    sql = f"""WITH {sel}
    SELECT fact_id, cluster_id, is_primary, kind, region_id, region, province, metric, value, unit, currency,
           amount, value_cny, is_target, qualifier, yoy_pct, from_stage, to_stage, days, baseline_days, category,
           name, period_start, period_end, fact_year, doc_id, doc_title, outlet, date_published, evidence
    FROM sel ORDER BY kind, region_id, metric, fact_id LIMIT $limit"""
    return _with_summary(_with_period(_df(con, sql, params)))


def as_of_sql(day) -> list[str]:
    """Statements that make an in-memory connection, with a version attached as `src`, show the
    data as it stood on `day` (a date): documents published (or, undated, loaded) by then, their
    facts, and one primary row per cluster among them. The version's other tables and its views
    follow (attached_objects)."""
    d = pd.Timestamp(day).date().isoformat()  # a date, never caller text
    return [
        f"CREATE VIEW documents AS SELECT * FROM src.documents "
        f"WHERE coalesce(date_published, CAST(ingested_at AS DATE)) <= DATE '{d}'",
        """CREATE VIEW facts AS SELECT * REPLACE (
             row_number() OVER (PARTITION BY cluster_id ORDER BY is_primary DESC, fact_id) = 1 AS is_primary,
             CAST(count(*) OVER (PARTITION BY cluster_id) AS INTEGER) AS n_sources)
           FROM src.facts WHERE doc_id IN (SELECT doc_id FROM documents)""",
    ]


def attached_objects(con: duckdb.DuckDBPyConnection, db_name: str = "src") -> tuple[list[str], list[str]]:
    """(table names, CREATE VIEW statements) of an attached database, to rebuild its views over
    redefined tables."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
                                        [db_name]).fetchall()]
    views = [r[0] for r in con.execute("SELECT sql FROM duckdb_views() WHERE database_name = ? AND NOT internal "
                                       "ORDER BY view_oid", [db_name]).fetchall()]
    return tables, views


def version_built_at(con: duckdb.DuckDBPyConnection) -> str | None:
    """When a version was loaded (meta.built_at), or None."""
    row = con.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()
    return row[0] if row else None
