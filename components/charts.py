"""Pure chart builders: DataFrame -> go.Figure (no streamlit here).

Every title carries its unit and period; hover text names the document and the evidence
sentence; one palette and one template ("zsyz", Chinese font) for all charts.
"""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from components import palette, vocab
from components.safe_text import plotly_literal

FONT = "Noto Sans CJK SC, Microsoft YaHei, sans-serif"
PALETTE = palette.BASE
ACHIEVED, TARGET, BASELINE, MUTED = palette.ACHIEVED, palette.TARGET, palette.BASELINE, palette.MUTED
GEO_DIR = Path(__file__).resolve().parent / "geo"
EVIDENCE_CHARS = 60

pio.templates["zsyz"] = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=13, color="#262730"),
    colorway=PALETTE,
    title=dict(font=dict(family=FONT, size=16), x=0, xanchor="left"),
    hoverlabel=dict(font=dict(family=FONT, size=12), bgcolor="white", align="left"),
    paper_bgcolor="white", plot_bgcolor="white",
    xaxis=dict(gridcolor="#eceff2", zerolinecolor="#d0d5db", automargin=True),
    yaxis=dict(gridcolor="#eceff2", zerolinecolor="#d0d5db", automargin=True),
    legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
    margin=dict(l=10, r=20, t=70, b=10),
))
TEMPLATE = "plotly_white+zsyz"

# plotly.js zh-CN locale (toolbar, messages, number and date formats), served with each chart's config
PLOTLY_LOCALE = {
    "dictionary": {
        "Autoscale": "自动缩放", "Box Select": "矩形选择", "Compare data on hover": "悬停时比较数据",
        "Double-click to zoom back out": "双击恢复缩放", "Download plot": "下载图表",
        "Download plot as a PNG": "下载图表（PNG）", "Download plot as JSON": "下载图表（JSON）",
        "Draw circle": "画圆", "Draw closed freeform": "画闭合曲线", "Draw line": "画线",
        "Draw open freeform": "画曲线", "Draw rectangle": "画矩形", "Erase active shape": "删除图形",
        "Image download succeeded": "图片已下载", "JSON download succeeded": "JSON 已下载",
        "Lasso Select": "套索选择", "Orbital rotation": "轨道旋转", "Pan": "平移",
        "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
        "Reset": "重置", "Reset axes": "重置坐标轴", "Reset camera to default": "重置视角",
        "Reset camera to last save": "恢复上次视角", "Reset view": "重置视图", "Reset views": "重置视图",
        "Share chart...": "分享图表", "Show closest data on hover": "悬停显示最近数据",
        "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败。",
        "Sorry, there was a problem downloading your JSON file!": "抱歉，JSON 下载失败。",
        "Toggle Spike Lines": "显示/隐藏辅助线", "Toggle show closest data on hover": "切换悬停显示最近数据",
        "Turntable rotation": "转盘旋转", "Zoom": "缩放", "Zoom in": "放大", "Zoom out": "缩小",
        "Click to enter Colorscale title": "点击输入色标标题", "Click to enter Plot title": "点击输入图表标题",
        "Click to enter X axis title": "点击输入 X 轴标题", "Click to enter Y axis title": "点击输入 Y 轴标题",
        "trace": "数据系列", "source:": "来源：", "target:": "目标：", "kde:": "核密度：",
        "new text": "新文本",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
        "shortMonths": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
        "date": "%Y-%m-%d", "decimal": ".", "thousands": ",",
    },
}


# ---------------------------------------------------------------- helpers


def trunc(s, n: int = EVIDENCE_CHARS) -> str:
    s = "" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s)
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _wrap(s: str, width: int = 30) -> str:
    return "<br>".join(s[i:i + width] for i in range(0, len(s), width)) or "—"


def evidence_hover(doc_title, outlet, evidence, head: str = "") -> str:
    """'<b>head</b><br>来源：outlet《title》<br>“evidence…”' (truncated, escaped)."""
    src = " ".join(x for x in (plotly_literal(outlet) if pd.notna(outlet) else "",
                               f"《{plotly_literal(trunc(doc_title, 30))}》" if pd.notna(doc_title) else "") if x)
    ev = _wrap(plotly_literal(trunc(evidence)))
    parts = [f"<b>{head}</b>"] if head else []
    parts += [f"来源：{src or '—'}", f"原句：“{ev}”"]
    return "<br>".join(parts)


TITLE_LINE = 18  # characters of a title line: fits a phone (390 px) at 16 px


def wrap_title(title: str, width: int = TITLE_LINE) -> str:
    """A long title broken before its （…） and after its ；/，, so a narrow screen never clips it."""
    if len(title) <= width:
        return title
    parts, cur = [], ""
    for piece in re.split(r"(?=（)|(?<=[；，])", title):
        if cur and len(cur) + len(piece) > width:
            parts.append(cur)
            cur = piece
        else:
            cur += piece
    return "<br>".join([*parts, cur] if cur else parts)


def plain_title(fig: go.Figure) -> str:
    """A figure's title as one line of text (for file names and captions)."""
    return str(fig.layout.title.text or "").replace("<br>", "")


def _layout(fig: go.Figure, title: str, height: int | None = None, **kw) -> go.Figure:
    fig.update_layout(template=TEMPLATE, title=dict(text=title), height=height, **kw)
    return fig


def _unit_label(fig: go.Figure, text: str) -> go.Figure:
    """A vertical chart's y unit written horizontally above the axis (rotated CJK reads badly)."""
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=1.0, xanchor="right", yanchor="bottom",
                       showarrow=False, font=dict(size=12, color="#6c7a89"))
    return fig


def _bargap(n: int) -> float:
    return 0.2 if n > 3 else 0.55


def _region_label(df: pd.DataFrame) -> list[str]:
    """Region names, disambiguated with the province when two regions share a name."""
    names = df["region"].fillna(vocab.UNSPECIFIED).astype(str)
    ids = df["region_id"] if "region_id" in df else names
    per_name = pd.DataFrame({"n": names, "i": ids}).drop_duplicates().groupby("n").size()
    return [f"{n}（{p}）" if per_name.get(n, 1) > 1 else n for n, p in zip(names, df.get("province", names))]


def _yoy(v) -> str:
    return "" if v is None or pd.isna(v) else f"同比{v:+.1f}%"


def bar_period(period, years) -> str:
    """The period a bar's value covers: the figure's own period, or the years summed."""
    ys = sorted({int(y) for y in (list(years) if years is not None and not isinstance(years, float) else [])})
    if len(ys) > 1:
        return "、".join(str(y) for y in ys) + "年合计"
    return period if isinstance(period, str) and period != vocab.UNSPECIFIED else ""


def _bar_text(r, with_period: bool = True) -> str:
    """'4,908（2023年1-3月）同比+27.1%': the value with its period, so Q1 is never read as a year; without
    the period when every bar has the same one (a like-for-like ranking: the title says it)."""
    p = bar_period(getattr(r, "period", None), getattr(r, "years", None)) if with_period else ""
    return f"{vocab.fmt_num(r.value)}{f'（{p}）' if p else ''} {_yoy(getattr(r, 'yoy_pct', None))}".strip()


def _one_period(df: pd.DataFrame) -> bool:
    return "period" in df and df["period"].nunique(dropna=False) <= 1 and not any(
        isinstance(y, (list, tuple)) and len(y) > 1 for y in df.get("years", []))


def _text_margin(texts) -> int:
    """Right margin for bar labels outside the bars: as wide as the longest (CJK ≈ 13 px, digits ≈ 7.5 px)."""
    width = max((sum(13 if ord(ch) > 0x2E80 else 7.5 for ch in t) for t in texts), default=0)
    return int(min(260, 16 + width))


def _value_hover(r, unit: str, head: str) -> str:
    extra = [f"{vocab.fmt_num(r.value)} {unit}"]
    if getattr(r, "period", None):
        extra.append(r.period)
    if _yoy(getattr(r, "yoy_pct", None)):
        extra.append(_yoy(r.yoy_pct))
    cur = getattr(r, "currency", None)
    if isinstance(cur, str) and cur not in ("", "CNY"):
        extra.append(f"原值 {vocab.money_text(r.orig_value, r.orig_unit, cur)}")
    n = getattr(r, "n_reports", 1) or 1
    if n > 1:
        extra.append(f"共{n}项报告，取各年最大值")
    return evidence_hover(r.doc_title, r.outlet, r.evidence, f"{head}：{'，'.join(extra)}")


# ---------------------------------------------------------------- bars


def region_bar(df: pd.DataFrame, title: str, unit: str, *, color: str = ACHIEVED,
               name: str = "实绩") -> go.Figure:
    """Horizontal bars, one per region (df from queries.region_values with one split)."""
    fig = go.Figure()
    if not df.empty:
        d = df.sort_values("value", ascending=True)
        labels = _region_label(d)
        fig.add_bar(
            y=labels, x=d["value"], orientation="h", name=name, marker_color=color,
            text=[_bar_text(r, not _one_period(d)) for r in d.itertuples()], textposition="outside",
            cliponaxis=False,
            hovertext=[_value_hover(r, unit, lab) for r, lab in zip(d.itertuples(), labels)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    return _layout(fig, title, height=max(260, 60 + 32 * len(df)), showlegend=False,
                   margin=dict(r=_text_margin(fig.data[0].text if fig.data else [])),
                   xaxis_title=f"{unit}", yaxis_title=None)


def split_bars(df: pd.DataFrame, title: str, unit: str, split_name: str, split: str = "qualifier") -> go.Figure:
    """One bar per region and split value ('东莞市｜亿元以上产业项目'), coloured by split value; splits
    overlap (a subset of a total), so they are listed side by side and never stacked."""
    fig = go.Figure()
    rows: list[str] = []
    if not df.empty:
        d = df.assign(label=_region_label(df))
        d["row"] = [f"{lab}｜{sp or vocab.UNSPECIFIED}" for lab, sp in zip(d["label"], d["split"])]
        d = d.sort_values(["region_total", "region_id", "value"], ascending=[False, True, False])
        rows = list(d["row"])
        for value, g in d.groupby("split", sort=False):
            fig.add_bar(
                y=g["row"], x=g["value"], orientation="h", name=f"{split_name}：{value or vocab.UNSPECIFIED}",
                marker_color=palette.split_color(split, value or vocab.UNSPECIFIED),
                text=[_bar_text(r, not _one_period(d)) for r in g.itertuples()],
                textposition="outside", cliponaxis=False,
                hovertext=[_value_hover(r, unit, r.row) for r in g.itertuples()],
                hovertemplate="%{hovertext}<extra></extra>",
            )
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1])
    return _layout(fig, title, height=max(300, 110 + 30 * len(rows)), barmode="relative", xaxis_title=None,  # the unit is in the title; the legend has the space below
                   yaxis_title=None, margin=dict(r=_text_margin([t for tr in fig.data for t in tr.text or []])))


def metric_bars(df: pd.DataFrame, title: str, metrics: tuple[str, ...], unit: str) -> go.Figure:
    """One trace per metric (always all of them), grouped by region (df from region_values)."""
    fig = go.Figure()
    order = (df.groupby("region_id")["region_total"].first().sort_values(ascending=False).index.tolist()
             if not df.empty else [])
    labels = dict(zip(df["region_id"], _region_label(df))) if not df.empty else {}
    for m in metrics:
        g = df[df["metric"] == m] if not df.empty else df
        g = g.set_index("region_id").reindex([r for r in order if r in set(g["region_id"])]).reset_index() \
            if not g.empty else g
        fig.add_bar(
            x=[labels.get(r, r) for r in g.get("region_id", [])], y=list(g.get("value", [])),
            name=vocab.metric_label(m), marker_color=palette.metric_color(m),
            text=[vocab.fmt_num(v) for v in g.get("value", [])], textposition="outside", cliponaxis=False,
            hovertext=[_value_hover(r, unit, f"{labels.get(r.region_id)} {vocab.metric_label(m)}")
                       for r in g.itertuples()] if not g.empty else [],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_xaxes(categoryorder="array", categoryarray=[labels[r] for r in order])
    _unit_label(fig, unit)
    return _layout(fig, title, height=420, barmode="group", bargap=_bargap(len(order)), yaxis_title=None,
                   xaxis_title=None)


def funds_bars(df: pd.DataFrame, title: str) -> go.Figure:
    """Signed amount vs funds in place per region and period, 到位率 as text."""
    fig = go.Figure()
    x = [f"{r}<br>{p}" for r, p in zip(_region_label(df), df["period"])] if not df.empty else []
    fig.add_bar(x=x, y=list(df.get("signed_amount", [])), name="签约金额", marker_color=palette.metric_color("signed_amount"),
                text=[vocab.fmt_num(v) for v in df.get("signed_amount", [])], textposition="outside",
                hovertext=[evidence_hover(r.signed_doc_title, r.signed_outlet, r.signed_evidence,
                                          f"签约金额 {vocab.fmt_num(r.signed_amount)} 亿元（{r.period}）")
                           for r in df.itertuples()],
                hovertemplate="%{hovertext}<extra></extra>", cliponaxis=False)
    fig.add_bar(x=x, y=list(df.get("funds_in_place", [])), name="资金到位额", marker_color=palette.metric_color("funds_in_place"),
                text=[f"{vocab.fmt_num(v)}（到位率 {p:.1f}%）" for v, p in
                      zip(df.get("funds_in_place", []), df.get("rate_pct", []))], textposition="outside",
                hovertext=[evidence_hover(r.funds_doc_title, r.funds_outlet, r.funds_evidence,
                                          f"资金到位额 {vocab.fmt_num(r.funds_in_place)} 亿元，到位率 {r.rate_pct:.1f}%")
                           for r in df.itertuples()],
                hovertemplate="%{hovertext}<extra></extra>", cliponaxis=False)
    _unit_label(fig, "亿元")
    return _layout(fig, title, height=400, barmode="group", bargap=_bargap(len(x)), yaxis_title=None,
                   xaxis_title=None)


# ---------------------------------------------------------------- durations


ROW_CHARS = 12  # an axis label's characters: a phone keeps room for the plot (the hover has it all)


def _unique(labels: list[str]) -> list[str]:
    """Axis categories: a repeated label gets a trailing mark so that rows never merge."""
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if seen[lab] == 1 else f"{lab}（{seen[lab]}）")
    return out


def dumbbell(df: pd.DataFrame, title: str) -> go.Figure:
    """Before/after per region and stage: baseline_days ○ — ● days, with the % reduction.
    Rows with only one of the two show just that marker. Log axis (minutes to months)."""
    fig = go.Figure()
    d = df.copy()
    if not d.empty:
        d["full"] = [f"{r}｜{s}" for r, s in zip(_region_label(d), d["stage"])]
        d["row"] = _unique([trunc(x, ROW_CHARS) for x in d["full"]])
        d = d.iloc[::-1]  # largest reduction on top
    pos = lambda s: [v if v is not None and pd.notna(v) and v > 0 else None for v in s]  # noqa: E731
    lx, ly = [], []
    for r in d.itertuples():
        if pd.notna(r.days) and pd.notna(r.baseline_days) and r.days > 0 and r.baseline_days > 0:
            lx += [r.baseline_days, r.days, None]
            ly += [r.row, r.row, None]
    fig.add_scatter(x=lx, y=ly, mode="lines", line=dict(color=MUTED, width=4), hoverinfo="skip",
                    showlegend=False, name="变化")
    fig.add_scatter(
        x=pos(d.get("baseline_days", [])), y=list(d.get("row", [])), mode="markers", name="改革前用时",
        marker=dict(size=12, color="white", line=dict(color=BASELINE, width=2.5)),
        hovertext=[evidence_hover(r.doc_title, r.outlet, r.evidence, f"{r.full}：改革前 {vocab.fmt_days(r.baseline_days)}")
                   for r in d.itertuples()],
        hovertemplate="%{hovertext}<extra></extra>")
    fig.add_scatter(
        x=pos(d.get("days", [])), y=list(d.get("row", [])), mode="markers+text", name="现用时",
        marker=dict(size=12, color=ACHIEVED),
        text=[f"{vocab.fmt_days(r.days)}" + (f"（缩短{r.reduction_pct:g}%）" if pd.notna(r.reduction_pct) else "")
              for r in d.itertuples()],
        # text above ● when the old ○ lies to its right (never over the row labels)
        textposition=["top center" if pd.notna(r.baseline_days) and pd.notna(r.days) and r.baseline_days > r.days
                      else "middle right" for r in d.itertuples()],
        cliponaxis=False,
        hovertext=[evidence_hover(r.doc_title, r.outlet, r.evidence,
                                  f"{r.full}：现 {vocab.fmt_days(r.days)}"
                                  + (f"，较 {vocab.fmt_days(r.baseline_days)} 缩短 {r.reduction_pct:g}%"
                                     if pd.notna(r.reduction_pct) else ""))
                   for r in d.itertuples()],
        hovertemplate="%{hovertext}<extra></extra>")
    fig.update_yaxes(categoryorder="array", categoryarray=list(d.get("row", [])))
    ticks = [1 / 1440, 1 / 24, 1, 30, 365]
    fig.update_xaxes(type="log", tickvals=ticks, ticktext=["1分钟", "1小时", "1天", "1个月", "1年"], tickangle=0,
                     title=None)  # 天 and 对数坐标 are in the title; the legend has the space below
    return _layout(fig, title, height=max(280, 100 + 34 * len(d)), yaxis_title=None,
                   margin=dict(l=10, r=140, t=70, b=10))


def approval_dumbbell(df: pd.DataFrame, title: str) -> go.Figure:
    """Like dumbbell, for the 审批提速 page: rows are region｜mapped stage (stage_group), and each
    baseline ○ says what it is (改革前 / 一般 / 对比：某某, df: queries.approval_durations)."""
    fig = go.Figure()
    d = df.copy()
    if not d.empty:
        d["row"] = [f"{r}｜{s}" for r, s in zip(_region_label(d), d["stage_group"])]
        d = d.iloc[::-1]  # largest reduction on top
    ok = lambda v: v is not None and pd.notna(v) and v > 0  # noqa: E731
    lx, ly = [], []
    for r in d.itertuples():
        if ok(r.days) and ok(r.baseline_days):
            lx += [r.baseline_days, r.days, None]
            ly += [r.row, r.row, None]
    fig.add_scatter(x=lx, y=ly, mode="lines", line=dict(color=MUTED, width=4), hoverinfo="skip",
                    showlegend=False, name="变化")
    # one ○ trace per kind of baseline, so that the legend tells them apart
    kinds = [("own", "改革前用时", "circle-open"), ("norm", "一般用时", "square-open"), ("other", "对比对象用时", "diamond-open"),
             (None, "原用时", "circle-open")]
    for kind, name, symbol in kinds:
        part = d[[(k == kind) if kind else not isinstance(k, str) for k in d.get("baseline_kind", [])]] if len(d) else d
        part = part[[ok(v) for v in part["baseline_days"]]] if len(part) else part
        if part.empty:
            continue
        fig.add_scatter(
            x=list(part["baseline_days"]), y=list(part["row"]), mode="markers", name=name,
            marker=dict(size=12, symbol=symbol, color=BASELINE, line=dict(color=BASELINE, width=2.5)),
            hovertext=[evidence_hover(r.doc_title, r.outlet, r.evidence,
                                      f"{r.row}：{r.baseline_label} {vocab.fmt_days(r.baseline_days)}")
                       for r in part.itertuples()],
            hovertemplate="%{hovertext}<extra></extra>")
    now = d[[ok(v) for v in d["days"]]] if len(d) else d
    fig.add_scatter(
        x=list(now.get("days", [])), y=list(now.get("row", [])), mode="markers+text", name="现用时",
        marker=dict(size=12, color=ACHIEVED),
        text=[vocab.fmt_days(r.days) + (f"（较{vocab.baseline_phrase(r.baseline_kind, r.baseline_ref)}缩短{r.reduction_pct:g}%）"
                                        if pd.notna(r.reduction_pct) else "")
              for r in now.itertuples()],
        # above the point when the baseline lies to its right: a label to its left would leave a phone's screen
        textposition=["top center" if pd.notna(r.baseline_days) and r.baseline_days > r.days else "middle right"
                      for r in now.itertuples()],
        cliponaxis=False,
        hovertext=[evidence_hover(r.doc_title, r.outlet, r.evidence,
                                  f"{r.row}：现 {vocab.fmt_days(r.days)}"
                                  + (f"，{r.baseline_label} {vocab.fmt_days(r.baseline_days)}，缩短 {r.reduction_pct:g}%"
                                     if pd.notna(r.reduction_pct) else ""))
                   for r in now.itertuples()],
        hovertemplate="%{hovertext}<extra></extra>")
    fig.update_yaxes(categoryorder="array", categoryarray=list(d.get("row", [])))
    ticks = [1 / 1440, 1 / 24, 1, 7, 30, 90, 365]
    fig.update_xaxes(type="log", tickvals=ticks, ticktext=["1分钟", "1小时", "1天", "1周", "1个月", "3个月", "1年"],
                     tickangle=0, title=None)  # 天 and 对数坐标 are in the title; the legend has the space below
    return _layout(fig, title, height=max(280, 100 + 34 * len(d)), yaxis_title=None,
                   margin=dict(l=10, r=160, t=70, b=10))


# ---------------------------------------------------------------- mechanisms


def mechanism_heatmap(df: pd.DataFrame, title: str) -> go.Figure:
    """Region × category evidence counts (df: queries.mechanism_matrix, one row per cell)."""
    fig = go.Figure()
    if df.empty:
        return _layout(fig, title, height=300)
    cats = [c for c in vocab.category_labels() if c in set(df["category"])]
    cats += sorted(set(df["category"]) - set(cats))
    d = df.assign(rl=_region_label(df))
    regions = d.groupby("rl", sort=False)["n"].sum().sort_values(ascending=True, kind="stable").index.tolist()
    cells = {(r.rl, r.category): r for r in d.itertuples()}
    z, text, hover = [], [], []
    for rl in regions:
        zr, tr, hr = [], [], []
        for c in cats:
            r = cells.get((rl, c))
            n = int(r.n) if r is not None else 0
            zr.append(n or None)
            tr.append(str(n) if n else "")
            head = f"{rl} · {vocab.category_label(c)}：{n} 条证据"
            hr.append(evidence_hover(r.doc_title, r.outlet, r.evidence, head)
                      + ("<br>（另有 %d 条）" % (n - 1) if n > 1 else "") if n else head)
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    top = max(int(d["n"].max()), 1)
    if top == 1:  # every cell one sentence: presence marks with a legend, not a 0–1 scale
        scale = dict(colorscale=[[0, ACHIEVED], [1, ACHIEVED]], zmin=1, zmax=1, showscale=False)
    else:  # counts: whole numbers only on the colour bar
        step = max(1, math.ceil(top / 6))
        scale = dict(colorscale=palette.COUNT_SCALE, zmin=1, zmax=top, zauto=False,
                     colorbar=dict(title=dict(text="证据句数（条）"), thickness=12, tickmode="array",
                                   tickvals=list(range(1, top + 1, step)), ticktext=[str(v) for v in range(1, top + 1, step)]))
    fig.add_heatmap(z=z, x=[vocab.category_label(c) for c in cats], y=regions, text=text,
                    texttemplate="%{text}", hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                    xgap=2, ygap=2, **scale)
    if top == 1:
        fig.add_scatter(x=[None], y=[None], mode="markers", name="有该类做法的证据（每格 1 条原句）",
                        marker=dict(symbol="square", size=12, color=ACHIEVED), showlegend=True)
    fig.update_xaxes(side="top", tickangle=-35, showgrid=False)
    fig.update_yaxes(showgrid=False)
    return _layout(fig, title, height=max(320, 190 + 30 * len(regions)), margin=dict(l=10, r=10, t=150, b=10),
                   legend=dict(y=0, yanchor="top"))


# ---------------------------------------------------------------- map


@functools.lru_cache(maxsize=1)
def china_geojson() -> dict:
    return json.loads((GEO_DIR / "china_provinces.geojson").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def maritime_lines() -> tuple[list, list]:
    d = json.loads((GEO_DIR / "china_maritime.geojson").read_text(encoding="utf-8"))
    lon, lat = [], []
    for feat in d["features"]:
        for line in feat["geometry"]["coordinates"]:
            lon += [p[0] for p in line] + [None]
            lat += [p[1] for p in line] + [None]
    return lon, lat


def _spread(points: pd.DataFrame) -> pd.DataFrame:
    """Regions sharing one position (zones placed at their parent) fanned out on a small circle."""
    p = points.copy()
    if p.empty:
        return p
    key = p["lon"].round(3).astype(str) + "," + p["lat"].round(3).astype(str)
    idx = p.groupby(key).cumcount()
    size = key.map(key.value_counts())
    ang = 2 * math.pi * idx / size.clip(lower=1)
    r = (size > 1) * 0.35
    p["plon"] = p["lon"] + r * ang.map(math.cos)
    p["plat"] = p["lat"] + r * ang.map(math.sin)
    return p


def china_map(provinces: pd.DataFrame, points: pd.DataFrame, title: str) -> go.Figure:
    """Provinces shaded by fact count (local GeoJSON, no CDN), regions as bubbles sized by signed amount."""
    gj = china_geojson()
    fig = go.Figure()
    all_ids = [f["id"] for f in gj["features"]]
    names = {f["id"]: f["properties"]["name"] for f in gj["features"]}
    # The first trace must be a lon/lat scattergeo: plotly.js decides whether to fetch its topojson
    # base map from a CDN by looking at the first trace only (a choropleth's locationmode triggers it).
    mlon, mlat = maritime_lines()
    fig.add_scattergeo(lon=mlon, lat=mlat, mode="lines", line=dict(color="#8a94a0", width=1),
                       hoverinfo="skip", showlegend=False, name="海上边界")
    fig.add_choropleth(geojson=gj, featureidkey="id", locations=all_ids, z=[0] * len(all_ids),
                       colorscale=[[0, "#f3f4f6"], [1, "#f3f4f6"]], showscale=False,
                       marker_line=dict(color="white", width=0.8), hovertext=[names[i] for i in all_ids],
                       hovertemplate="%{hovertext}：暂无数据<extra></extra>", name="省份", showlegend=False)
    prov = provinces[provinces["adcode"].isin(all_ids)] if not provinces.empty else provinces
    top = int(max(prov.get("n_facts", pd.Series(dtype=int)).max() if not prov.empty else 1, 1))
    ticks = _int_ticks(top)
    fig.add_choropleth(
        geojson=gj, featureidkey="id", locations=list(prov.get("adcode", [])), z=list(prov.get("n_facts", [])),
        colorscale=palette.MAP_SCALE, zmin=0, zmax=top, zauto=False, marker_line=dict(color="white", width=0.8),
        colorbar=dict(title=dict(text="事实条数"), thickness=10, len=0.5, x=0.0, xanchor="left", y=0.25,
                      tickmode="array", tickvals=ticks, ticktext=[str(t) for t in ticks]), showlegend=False,
        hovertext=[f"<b>{r.province_name}</b><br>{r.n_facts} 条事实 · {r.n_regions} 个地区 · {r.n_docs} 篇文档"
                   for r in prov.itertuples()],
        hovertemplate="%{hovertext}<extra></extra>", name="事实条数")
    p = _spread(points)
    amt = p.get("signed_amount", pd.Series(dtype=float))
    mx = max([v for v in amt if pd.notna(v)] or [1])
    size = lambda v: 8 + 30 * math.sqrt(v / mx)  # noqa: E731 - bubble area grows with the amount
    sizes = [size(v) if pd.notna(v) and v > 0 else 7 for v in amt]
    fig.add_scattergeo(
        lon=list(p.get("plon", [])), lat=list(p.get("plat", [])), mode="markers", name="地区",
        marker=dict(size=sizes, color=[PALETTE[1] if pd.notna(v) and v > 0 else "#6c7a89" for v in amt],
                    opacity=0.8, line=dict(color="white", width=1)),
        hovertext=[evidence_hover(r.doc_title, r.outlet, r.evidence,
                                  f"{r.region}（{vocab.level_label(r.region_level)}）<br>"
                                  + (f"签约金额 {vocab.fmt_num(r.signed_amount)} 亿元 · " if pd.notna(r.signed_amount) else "")
                                  + f"{r.n_facts} 条事实" + ("（位置取上级地区）" if r.inherited else ""))
                   for r in p.itertuples()],
        hovertemplate="%{hovertext}<extra></extra>", showlegend=False)
    # the bubble-size legend: reference amounts drawn at their size on the open sea east of the map
    # (a legend entry would draw every size alike)
    refs = _nice_refs(mx) if any(pd.notna(v) and v > 0 for v in amt) else []
    if refs:
        lats = [27 - 4.5 * i for i in range(len(refs))]
        fig.add_scattergeo(lon=[124.5], lat=[31], mode="text", text=["签约金额（亿元）"], textposition="middle right",
                           textfont=dict(size=11, color="#555"), hoverinfo="skip", showlegend=False, name="气泡大小")
        fig.add_scattergeo(lon=[126] * len(refs), lat=lats, mode="markers+text", name="气泡大小",
                           text=[vocab.fmt_num(v) for v in reversed(refs)], textposition="middle right",
                           textfont=dict(size=11, color="#555"),
                           marker=dict(size=[size(v) for v in reversed(refs)], color=PALETTE[1], opacity=0.8,
                                       line=dict(color="white", width=1)), hoverinfo="skip", showlegend=False)
    fig.add_scattergeo(lon=[None], lat=[None], mode="markers", name="无同口径签约金额",
                       marker=dict(size=7, color="#6c7a89", opacity=0.8), showlegend=True, hoverinfo="skip")
    fig.update_geos(visible=False, projection=dict(type="conic equal area", parallels=[25, 47],
                                                   rotation=dict(lon=105)),
                    lonaxis_range=[76, 134], lataxis_range=[4, 53], bgcolor="white")
    return _layout(fig, title, height=600, margin=dict(l=0, r=0, t=60, b=0), showlegend=True,
                   legend=dict(y=0, yanchor="top", itemsizing="trace"))


def _int_ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to top (a count has no 27.6)."""
    step = max(1, math.ceil(top / 5))
    return list(range(0, top + 1, step))


def _nice_refs(mx: float) -> list[float]:
    """Two or three round amounts up to the largest, for the bubble legend (1, 2, 5 × 10^k)."""
    if not mx or mx <= 0:
        return []
    k = 10 ** math.floor(math.log10(mx))
    top = max(x * k for x in (1, 2, 5, 10) if x * k <= mx)
    return sorted({top, *(r for r in (top / 10, top / 100) if r >= mx / 50)})[-3:]
