"""Page widgets shared by every page: setup (filters), KPI cards, charts, source lines,
empty states, evidence expanders and tables."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import os
import re

import duckdb
import pandas as pd
import streamlit as st

from components import briefing, cache, charts, db, export, queries, vocab
from components.filters import PARAMS, Filters, Options, sidebar
from components.safe_text import literal

NO_DATA = "暂无数据"
# the toolbar in Chinese (a locale given with the chart: nothing fetched); no PNG button there, since
# 下载 PNG below each chart gives the captioned image
PLOTLY_CONFIG = {"displaylogo": False, "locale": "zh-CN", "locales": {"zh-CN": charts.PLOTLY_LOCALE},
                 "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage", "sendDataToCloud"]}
_EXPORT_CTX = "_export_ctx"  # (Filters, region labels) of the current run, for export captions

# Chinese column names for tables
COLUMNS = {
    "region": "地区", "province": "省份", "region_level": "层级", "metric": "指标", "metric_label": "指标",
    "value": "数值", "unit": "单位", "value_cny": "折合亿元", "period": "时段", "yoy_pct": "同比%",
    "is_target": "目标值", "qualifier": "口径", "industry_chain": "产业链", "subject": "对象",
    "stage": "环节", "days": "现用时(天)", "baseline_days": "原用时(天)", "reduction_pct": "缩短%",
    "category_label": "机制类别", "name": "做法", "summary": "事实", "kind": "类型",
    "doc_title": "文档", "outlet": "来源", "date_published": "发布日期", "evidence": "原句",
    "n_sources": "来源数", "sources": "报道媒体", "n_facts": "事实条数", "regions": "涉及地区",
    "n_figures": "数字", "n_durations": "时长", "n_mechanisms": "机制", "doc_year": "年份",
    "signed_amount": "签约金额(亿元)", "funds_in_place": "资金到位额(亿元)", "rate_pct": "到位率%",
    "split": "分项", "review_label": "审核状态", "signed_evidence": "签约金额原句", "funds_evidence": "资金到位原句", "days_text": "现用时", "baseline_text": "原用时",
    "stage_group": "环节", "stage_written": "原文环节", "baseline_label": "对比基准",
    "when": "时间",
}


def _ensure_navigation() -> None:
    """With a pages/ folder beside app.py, streamlit starts in its old multipage mode: a session
    whose first URL is a page runs that page file alone (no app.py: no page config, file names
    as navigation). st.navigation() turns that mode off for good; do the same and rerun, so
    app.py's navigation runs the page."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - other streamlit layouts
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


# Chinese where Streamlit has no setting, and a layout for narrow screens
STYLE = """<style>
/* the table toolbar's tooltips are English; every table has 下载 CSV / 下载 XLSX below it */
[data-testid="stElementToolbar"] { display: none !important; }
/* the chart toolbar's fullscreen button (added by Streamlit, outside plotly's locale) */
.js-plotly-plot .plotly .modebar-btn[data-title="Fullscreen"]::after { content: "全屏" !important; }
.js-plotly-plot .plotly .modebar-btn[data-title="Close fullscreen"]::after { content: "退出全屏" !important; }
/* a select menu with no match says so in Chinese */
div[role="option"][style*="contents"] > span:only-child { font-size: 0; }
div[role="option"][style*="contents"] > span:only-child::after { content: "无匹配项"; font-size: 14px; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 3rem 0.6rem 2rem 0.6rem; }
  h1 { font-size: 1.55rem !important; }
  [data-testid="stMetricValue"] { font-size: 1.5rem; }
  /* KPI cards two by two rather than one per line */
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-direction: row; flex-wrap: wrap; gap: 0.5rem 1rem; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    width: calc(50% - 0.5rem) !important; flex: 0 0 calc(50% - 0.5rem) !important; min-width: 0 !important; }
}
</style>"""


def version_label(version: str) -> str:
    """'2026-12-05 14:22:34' from a version file facts-20261205T142234….duckdb."""
    m = re.search(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})", os.path.basename(version))
    return f"{m[1]}-{m[2]}-{m[3]} {m[4]}:{m[5]}:{m[6]}" if m else "当前版本"


def page(title: str, intro: str | None = None, url_keys: tuple[str, ...] = ()) -> Filters:
    """Title, sidebar filters and the database check; stops the page when there is no data.
    `url_keys`: the page's own URL parameters (its in-page choices); other pages' are dropped."""
    _ensure_navigation()
    stale = [k for k in st.query_params.to_dict() if k not in PARAMS and k not in url_keys]
    for k in stale:
        del st.query_params[k]
    st.html(STYLE)
    st.title(title)
    if intro:
        st.caption(intro)
    version = db.current_version()
    if version is None:
        empty_state("尚未载入数据库，请先运行 `python -m etl ingest data/raw --db data/facts.duckdb`。")
        st.stop()
    try:
        opts = Options.from_query(cache.run(queries.filter_options))
    except (duckdb.Error, OSError) as e:
        st.error(f"无法读取数据库：{e}")
        st.stop()
    f = sidebar(opts, lambda f0: cache.run(queries.comparison_options, dataclasses.replace(f0, cmp=None, peer=None)))
    st.session_state[_EXPORT_CTX] = (f, dict(opts.region_labels))
    st.sidebar.caption(f"数据版本：{version_label(version)}")
    return f


def empty_state(hint: str | None = None) -> None:
    st.info(f"{NO_DATA}：{hint}" if hint else NO_DATA, icon=":material/info:")


def like_text(f: Filters) -> str:
    """'2023年一季度 · 区县' : the comparison a ranking or card shows."""
    if f.cmp == "":
        return vocab.NO_LIKE_DATA
    return "、".join(x for x in (vocab.cmp_label(f.cmp) if f.cmp else "", vocab.peer_label(f.peer) if f.peer else "") if x)


def kpi_cards(df: pd.DataFrame, f: Filters | None = None) -> None:
    """One st.metric per row of queries.kpis(); figure cards sum the comparison period only and say so."""
    cols = st.columns(len(df)) if len(df) else []
    period = vocab.cmp_label(f.cmp) if f is not None and f.cmp else (vocab.NO_LIKE_DATA if f is not None else "")
    for col, r in zip(cols, df.itertuples()):
        v = "—" if r.value is None or pd.isna(r.value) else vocab.fmt_kpi(r.value)
        figure = r.key in queries.KPI_METRICS
        col.metric(f"{r.label}（{r.unit}）", v, help=f"只合计{period}的实绩" if figure and period else None)
    if f is not None:
        st.caption(f"数字类卡片只合计同一种时段（{period}）的已完成实绩，不含目标值；上级地区已报告同一指标的，"
                   f"其下级地区（区县、园区）不再重复计入。" if f.cmp else
                   f"数字类卡片：{vocab.NO_LIKE_DATA}（所选范围内没有全年、季度、半年或1—N月累计的数字）。")


def plot(fig, key: str | None = None, *, rows: pd.DataFrame | None = None, note: str = "", unit: str = "") -> None:
    """A chart; with `rows` (the data behind it) also its source line and PNG/SVG downloads."""
    # on screen the title wraps (a phone never clips it); exports keep it on one line
    fig.update_layout(title_text=charts.wrap_title(charts.plain_title(fig)))
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, key=key)
    if rows is not None:
        chart_downloads(fig, source_line(rows, note), unit, key)


def _filters_ctx() -> tuple[Filters | None, dict]:
    return st.session_state.get(_EXPORT_CTX, (None, {}))


def export_filters(f: Filters) -> None:
    """The filters that exports of this page describe, where the page narrows the sidebar's own
    (区域画像: one region, every year and chain)."""
    _, labels = _filters_ctx()
    st.session_state[_EXPORT_CTX] = (f, labels)


def _key(*parts) -> str:
    return "dl_" + hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()[:12]


def chart_downloads(fig, source: str, unit: str = "", key: str | None = None) -> None:
    """PNG (2x) and SVG buttons; the image (title, unit, period, filters, source inside) is rendered
    by kaleido only when a button is clicked."""
    reason = export.unavailable_reason()
    if reason:
        st.caption(f":material/warning: {reason}")
        return
    f, labels = _filters_ctx()
    title = charts.plain_title(fig) or "图表"
    meta = export.ChartMeta(title, unit, vocab.period_label(f.year if f else None, f.span if f else None),
                            export.filters_text(f, labels, with_year=False), source)
    with st.container(horizontal=True, gap="small"):
        for fmt in ("png", "svg"):
            st.download_button(f"下载 {fmt.upper()}", lambda fmt=fmt: export.chart_image(fig, meta, fmt),
                               file_name=export.file_name(title, meta.period, fmt), mime=export.MIME[fmt], on_click="ignore",
                               type="tertiary", icon=":material/download:", key=_key(key, title, fmt))


def source_line(df: pd.DataFrame, note: str = "") -> str:
    """'数据来源：N 篇文档（outlet…）；口径说明：…' under a chart (outlets come from documents:
    shown literally); returns the text."""
    source = export.source_text(df, cache.run(queries.documents_index), note)
    st.caption(literal(source))
    return source


def table(df: pd.DataFrame, columns: list[str], height: int | str = "auto", key: str | None = None, *,
          title: str = "数据", all_rows=None, note: str = "", downloads: bool = True) -> None:
    """A dataframe with Chinese headers; only the listed columns (those present); then CSV/XLSX of
    those rows with their provenance columns. `all_rows` (a callable returning the same query
    without its display limit) adds a 全部行 choice."""
    cols = [c for c in columns if c in df.columns]
    out = df[cols].rename(columns={c: COLUMNS.get(c, c) for c in cols})
    config = {COLUMNS.get(c, c): st.column_config.DateColumn(format="YYYY-MM-DD")
              for c in cols if pd.api.types.is_datetime64_any_dtype(df[c])}
    config.update({COLUMNS.get(c, c): st.column_config.CheckboxColumn() for c in cols if c == "is_target"})
    st.dataframe(out, hide_index=True, width="stretch", height=height, key=key, column_config=config,
                 placeholder="—")
    if downloads and len(df):
        table_downloads(df, columns, title=title, all_rows=all_rows, note=note, key=key)


def table_downloads(df: pd.DataFrame, columns: list[str], *, title: str = "数据", all_rows=None, note: str = "",
                    key: str | None = None) -> None:
    """CSV (UTF-8 with BOM) and XLSX (with a 说明 sheet) of the displayed rows, or of all rows;
    built only when a button is clicked."""
    f, labels = _filters_ctx()
    k = _key(key, title, *columns)
    scope = "显示的行"
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        if all_rows is not None:
            scope = st.segmented_control("导出范围", ["显示的行", "全部行"], default="显示的行", key=k + "_scope",
                                         label_visibility="collapsed") or "显示的行"

        def build(fmt: str):
            rows = all_rows() if scope == "全部行" and all_rows is not None else df
            data = export.export_frame(rows, columns, COLUMNS)
            if fmt == "csv":
                return export.to_csv(data)
            units = sorted({str(u) for u in rows.get("unit", pd.Series(dtype=str)).dropna()})
            version = os.path.basename(db.current_version() or "")
            return export.to_xlsx(export.TableExport(data, title=title, filters=export.filters_text(f, labels),
                                                     scope=scope, units=units, note=note, version=version))

        per = vocab.period_label(f.year if f else None, f.span if f else None)
        for fmt in ("csv", "xlsx"):
            st.download_button(f"下载 {fmt.upper()}", lambda fmt=fmt: build(fmt), file_name=export.file_name(title, per, fmt),
                               mime=export.MIME[fmt], on_click="ignore", type="tertiary",
                               icon=":material/table_view:", key=f"{k}_{fmt}")


def evidence_expander(df: pd.DataFrame, label: str = "查看证据原句", extra: list[str] | None = None) -> None:
    """Document + sentence for every row behind a chart."""
    with st.expander(f"{label}（{len(df)} 条）"):
        table(df, ["region", *(extra or []), "evidence", "doc_title", "outlet", "date_published"])


def highlight(before: str, hit: str, after: str, cut_before: bool = True, cut_after: bool = True) -> str:
    """Context with the evidence wrapped in <mark>; all document text HTML-escaped."""
    esc = lambda s: html.escape(s or "").replace("\n", "<br>")  # noqa: E731
    return (("…" if cut_before else "") + esc(before) + "<mark>" + esc(hit) + "</mark>" + esc(after)
            + ("…" if cut_after else ""))


def context_block(row) -> None:
    """One source of a fact: its document and the sentence highlighted in context."""
    date = "" if pd.isna(row.date_published) else f" · {pd.Timestamp(row.date_published).date()}"
    st.markdown(f"**{literal(row.outlet or '未注明来源')}**《{literal(row.doc_title or row.doc_id)}》"
                f"{date} · 字符 {row.char_start}–{row.char_end}")
    why = vocab.region_rule_label(getattr(row, "region_rule", None))
    if why:  # why the fact is filed under its region (etl/resolve/regions.py)
        st.caption(f"地区归属：{literal(getattr(row, 'region', None) or '未指明')}（依据：{why}）")
    st.html(f'<div style="line-height:1.8;padding:.6rem .8rem;border-left:3px solid #c53948;'
            f'background:#fafafa">{highlight(row.before, row.hit, row.after, row.cut_before, row.cut_after)}</div>')


def briefing_panel(f: Filters, chart_keys: list[str], period: str | None,
                   masthead: briefing.Masthead | None = None, since: briefing.Since | None = None) -> None:
    """Build button and downloads of the 简报 pack (components/briefing_view.py)."""
    from components import briefing_view

    _, labels = _filters_ctx()
    briefing_view.panel(f, chart_keys, period, masthead or briefing.Masthead(), since, labels)


def like_context(f: Filters, metric: tuple[str, ...], ranked: pd.DataFrame, key: str) -> None:
    """Under a like-for-like ranking: the ranked regions with their reporting sub-regions nested
    (never added), and the regions left out: 无同口径数据 (another period) or another level."""
    kids = cache.run(queries.nested_children, f, metric=metric)
    out = cache.run(queries.unlike_regions, f, metric=metric)
    rows = nested_rows(ranked, kids)
    if any(r["说明"] for r in rows):
        with st.expander("上下级地区（下级数字已含在上级之中，不相加）"):
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"{key}_nest")
    if not out.empty:
        other = out.assign(地区=out["region"], 层级=out["region_level"].map(vocab.level_label),
                           情况=[vocab.NO_LIKE_DATA if r == "period" else "其他层级（可在侧栏“比较层级”切换）"
                               for r in out["reason"]],
                           已有数字=out["has_text"])
        with st.expander(f"未参加本次比较的地区（{len(out)} 个）"):
            st.dataframe(other[["地区", "层级", "情况", "已有数字"]], hide_index=True, width="stretch",
                         key=f"{key}_unlike")


def nested_rows(ranked: pd.DataFrame, kids: pd.DataFrame) -> list[dict]:
    """An indented table: each ranked region, then its reporting sub-regions (└) with their values."""
    rows: list[dict] = []
    if ranked.empty:
        return rows
    metrics = set(ranked["metric"])
    kids = kids[kids["metric"].isin(metrics)] if not kids.empty else kids
    parent_of = {(r.region_id, r.metric): (r.parent, r.parent_id) for r in kids.itertuples()}
    by_parent: dict[tuple, list] = {}
    for r in kids.itertuples():
        by_parent.setdefault((r.parent_id, r.metric), []).append(r)
    seen = set()
    for r in ranked.drop_duplicates(["region_id", "metric"]).itertuples():
        up = parent_of.get((r.region_id, r.metric))
        rows.append({"地区": r.region, "层级": vocab.level_label(r.region_level), "指标": vocab.metric_label(r.metric),
                     "数值": vocab.fmt_num(r.value),
                     "说明": f"含于{up[0]}（其数字已包含本地区）" if up else ""})
        for k in by_parent.get((r.region_id, r.metric), []):
            if (k.region_id, k.metric) in seen:
                continue
            seen.add((k.region_id, k.metric))
            rows.append({"地区": f"　└ {k.region}", "层级": vocab.level_label(k.region_level),
                         "指标": vocab.metric_label(k.metric), "数值": vocab.fmt_num(k.value),
                         "说明": f"含于{r.region}，不另计"})
    return rows


MAX_URL_TEXT = 100  # characters of free text kept in the URL


def url_choice(widget, label: str, options=None, *, key: str, param: str, default=None, **kw):
    """An in-page choice kept in the URL (?param=value): read once per session from the link, written
    back on every run (its default is left out). `options` None: free text (st.text_input)."""
    ss = st.session_state
    by_text = {str(o): o for o in options} if options is not None else None
    if not ss.get(f"_url_{key}"):
        ss[f"_url_{key}"] = True
        raw = st.query_params.get(param)
        if raw is not None:
            if by_text is None:
                ss[key] = str(raw)[:MAX_URL_TEXT]
            elif raw in by_text:
                ss[key] = by_text[raw]
    if by_text is not None and key in ss and ss[key] not in options:
        del ss[key]
    if key not in ss and default is not None:
        ss[key] = default
    value = widget(label, key=key, **kw) if options is None else widget(label, options, key=key, **kw)
    if value in (None, "", default):
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != str(value)[:MAX_URL_TEXT]:
        st.query_params[param] = str(value)[:MAX_URL_TEXT]
    return value
