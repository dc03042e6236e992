"""简报 pack: key-figure sentences with citations, charts, approval and mechanism tables, 口径说明 and,
against an earlier state of the data, a 新变化 section; as DOCX in 公文 form (GB/T 9704-2012), a PDF
of the same (LibreOffice on the server) and 16:9 PPTX (pure but for the PDF: a connection and
Filters in, bytes out; no streamlit here).

Command line (scheduled reports):
    python -m components.briefing --province 重庆 --period 2023Q1 --out b.docx --out b.pdf --out b.pptx
        [--since 2023-05-10 | --since previous]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

from components import charts, export, queries, vocab

if TYPE_CHECKING:  # filters.py holds the widgets (streamlit); the CLI imports it lazily
    from components.filters import Filters

FONT = export.FONT_FAMILY
LANG = "zh-CN"
CHARTS = {  # key -> label; builders in _chart()
    "signed": "签约金额前十地区",
    "projects": "签约与开工项目数",
    "funds": "签约金额与资金到位额",
    "approval": "审批与落地用时",
    "mechanisms": "招商机制证据数",
    "map": "地区分布",
}
DEFAULT_CHARTS = ("signed", "projects", "funds", "approval", "mechanisms")
PROJECT_METRICS = ("signed_projects", "started_projects")
PPTX_TABLE_ROWS = 8  # rows of a table on one slide (the DOCX has them all)
CARD_ROWS = 4  # a table this short is shown on its slide as cards
IMAGE_WIDTH = 760  # px of a chart image in the pack: 13 px type reads as about 8 pt across the 156 mm 版心
MECH_TOP = 40  # regions in the mechanism heatmap and table (those with the most evidence)
NOTES = [
    "关键数字均为文档报告的已完成实绩，目标、计划类数字不列入；每个数字注明来源文档与原句。",
    "同一地区同一指标取报告的最大一项（全年与季度、总额与子口径可能相互包含，不相加）；图表中同一地区同一年份取最大一项，不同年份相加。",
    "两篇文档报道的同一事实合并为一条，只引用其中一篇。",
    "上下级地区（省、市、区县、园区）的数字可能相互包含，不宜相加。",
]


# ---------------------------------------------------------------- periods


@dataclasses.dataclass(frozen=True)
class Period:
    label: str
    year: int | None = None
    start: date | None = None
    end: date | None = None


ALL_PERIODS = Period("全部年份")


def parse_period(s: str | None) -> Period:
    """'2023' | '2023Q1' | '2023H1' | '2023-03' -> Period; None/'' -> all years."""
    if not s:
        return ALL_PERIODS
    s = s.strip().upper()
    if m := re.fullmatch(r"(\d{4})", s):
        y = int(m[1])
        return Period(f"{y}年", y, date(y, 1, 1), date(y, 12, 31))
    if m := re.fullmatch(r"(\d{4})([QH][1-4])", s):
        y, span = int(m[1]), m[2]
        if span in vocab.SPANS:
            return Period(vocab.period_label(y, span), y, *vocab.span_dates(y, span))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", s):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return Period(f"{y}年{mo}月", y, date(y, mo, 1), (pd.Timestamp(y, mo, 1) + pd.offsets.MonthEnd(0)).date())
    raise ValueError(f"时段格式应为 2023、2023Q1、2023H1 或 2023-03，而不是 {s!r}")


def period_phrase(start, end) -> str:
    """A fact's period as a briefing writes it: 2023年一季度 / 2023年上半年 / 2023年1-8月 / 2023年."""
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return queries.period_text(start, end)
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s.year == e.year and s.day == 1 and e == e + pd.offsets.MonthEnd(0):
        y, m1, m2 = s.year, s.month, e.month
        if (m1, m2) == (1, 12):
            return f"{y}年"
        for span, (_label, a, b) in vocab.SPANS.items():
            if (m1, m2) == (a, b):
                return vocab.period_label(y, span)
        if m1 == m2:
            return f"{y}年{m1}月"
        return f"{y}年{m1}-{m2}月"
    return queries.period_text(start, end)


# ---------------------------------------------------------------- content


def num(v) -> str:
    """4908 / 3680.4 / 14.24: no thousands separator, as Chinese prose writes it."""
    return vocab.fmt_num(v, thousands=False)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(s) -> str:
    """Document text without the control characters XML (DOCX/PPTX) cannot hold."""
    return _CONTROL.sub("", "" if s is None else str(s))


def fmt_date(d) -> str:
    if d is None or pd.isna(d):
        return "日期未注明"
    d = pd.Timestamp(d)
    return f"{d.year}年{d.month}月{d.day}日"


@dataclasses.dataclass
class KeyFigure:
    sentence: str          # 2023年一季度，重庆市签约金额4908亿元（正式合同）。
    citation: str          # 来源：重庆日报《…》，2023年5月10日
    evidence: str
    value: float           # in the metric's unit (亿元 for money)
    unit: str
    metric: str
    region: str
    fact_id: str
    doc_id: str
    doc_title: str


def key_sentence(r) -> str:
    unit = vocab.metric_units().get(r.metric, r.unit or "")
    cur = r.currency if isinstance(r.currency, str) else "CNY"
    if r.metric in vocab.money_metrics() and cur != "CNY":
        amount = f"{vocab.money_text(r.value, r.unit, cur).replace(' ', '')}（约合{num(r.amount)}{unit}）"
    else:
        amount = f"{num(r.amount)}{unit}"
    qual = f"（{r.qualifier}）" if isinstance(r.qualifier, str) and r.qualifier else ""
    yoy = ""
    if r.yoy_pct is not None and pd.notna(r.yoy_pct):
        yoy = f"，同比{'增长' if r.yoy_pct >= 0 else '下降'}{num(abs(r.yoy_pct))}%"
    return f"{period_phrase(r.period_start, r.period_end)}，{r.region}{vocab.metric_label(r.metric)}{amount}{qual}{yoy}。"


def key_figures(df: pd.DataFrame) -> list[KeyFigure]:
    out = []
    for r in df.itertuples():
        cite = f"来源：{r.outlet or '未注明来源'}《{r.doc_title or r.doc_id}》，{fmt_date(r.date_published)}"
        out.append(KeyFigure(clean(key_sentence(r)), clean(cite), clean(r.evidence), float(r.amount),
                             vocab.metric_units().get(r.metric, ""), r.metric, clean(r.region), r.fact_id, r.doc_id,
                             clean(r.doc_title or r.doc_id)))
    return out


@dataclasses.dataclass
class ChartImage:
    title: str      # the caption: 签约金额前十地区（亿元，2023年）
    source: str     # 数据来源：…；口径说明：…
    png: bytes      # the chart alone (title and source are written once, beside it)
    message: str = ""  # what the chart says, in one sentence: 签约金额重庆市居首，4908亿元


@dataclasses.dataclass
class Masthead:
    """The 版头 and 版记 of a 简报 (GB/T 9704-2012 and the common 简报 layout)."""
    name: str = "招商引资工作简报"
    issue: str = "第1期"
    editor: str = "招商引资工作专班办公室"
    date: date | None = None            # default: the day it is generated (Beijing time)
    send_to: str = "领导小组各成员单位"
    copy_to: str = "各区县（园区）招商部门"


@dataclasses.dataclass
class Change:
    kind: str             # new | changed | rank
    text: str             # the sentence the pack prints
    source: str           # 来源：outlet《title》，date
    evidence: str = ""
    fact_id: str | None = None
    before: str = ""      # changed values: what the earlier data said, with its source


@dataclasses.dataclass
class Changes:
    since: str                                   # 2023年5月10日 / 数据版本 …
    new: list[Change] = dataclasses.field(default_factory=list)
    changed: list[Change] = dataclasses.field(default_factory=list)
    ranks: list[Change] = dataclasses.field(default_factory=list)

    def __len__(self) -> int:
        return len(self.new) + len(self.changed) + len(self.ranks)


@dataclasses.dataclass
class Brief:
    title: str
    generated: datetime
    filters: str
    period: Period
    key_figures: list[KeyFigure]
    charts: list[ChartImage]
    approval: pd.DataFrame
    mechanisms: pd.DataFrame
    notes: list[str]
    chart_error: str | None = None
    version: str = ""
    masthead: Masthead = dataclasses.field(default_factory=Masthead)
    changes: Changes | None = None


def _top(df: pd.DataFrame, col: str):
    d = df.dropna(subset=[col])
    return d.loc[d[col].idxmax()] if len(d) else None


def _message(key: str, df: pd.DataFrame) -> str:
    """One sentence: what the chart shows (its largest value)."""
    if key == "signed":
        r = df.iloc[0]
        more = f"，其次为{df.iloc[1]['region']}（{num(df.iloc[1]['value'])}亿元）" if len(df) > 1 else ""
        return f"签约金额{r['region']}居首，{num(r['value'])}亿元{more}"
    if key == "projects":
        r = _top(df[df["metric"] == "signed_projects"], "value")
        s = _top(df[df["metric"] == "started_projects"], "value")
        parts = [f"签约项目{r['region']}最多（{num(r['value'])}个）" if r is not None else "",
                 f"开工项目{s['region']}最多（{num(s['value'])}个）" if s is not None else ""]
        return "，".join(x for x in parts if x)
    if key == "funds":
        r = _top(df, "rate_pct")
        return f"资金到位率{r['region']}最高，{num(r['rate_pct'])}%（{r['period']}）" if r is not None else \
            "签约金额与资金到位额对比"
    if key == "approval":
        r = _top(df, "reduction_pct")
        if r is not None:
            return (f"{r['region']}{r['stage_group']}用时压缩最多，"
                    f"较{vocab.baseline_phrase(r['baseline_kind'], r['baseline_ref'])}缩短{num(r['reduction_pct'])}%")
        r = df.sort_values("days").iloc[0]
        return f"{r['region']}{r['stage_group']}用时最短，{vocab.fmt_days(r['days'])}"
    if key == "mechanisms":
        r = mechanism_table(df).iloc[0]
        return f"{r['机制类别']}的做法证据最多（{r['证据条数']}条，{r['地区数']}个地区）"
    if key == "map":
        return f"{df['region_id'].nunique()}个地区有数据"
    return ""


def _chart(con, key: str, f: Filters, period: str):
    """(figure, rows, note, unit) of one chart, or None when it has no data."""
    if key == "signed":
        df = queries.top_regions(con, f, metric="signed_amount", n=10)
        fig = charts.region_bar(df, f"签约金额前十地区（亿元，{period}）", "亿元")
        return (fig, df, "只计已完成的实绩；同一地区同一年份的多项报告取最大一项，不同年份相加", "亿元") if len(df) else None
    if key == "projects":
        df = queries.region_values(con, f, metric=PROJECT_METRICS, targets="exclude")
        fig = charts.metric_bars(df, f"签约与开工项目数（个，{period}）", PROJECT_METRICS, "个")
        return (fig, df, "只计实绩；同一地区同一年份的多项报告取最大一项", "个") if len(df) else None
    if key == "funds":
        df = queries.funds_rate(con, f)
        fig = charts.funds_bars(df, f"签约金额与资金到位额（亿元，{period}）")
        return (fig, df, "到位率 = 资金到位额 ÷ 签约金额，同一地区同一时段", "亿元") if len(df) else None
    if key == "approval":
        df = queries.approval_durations(con, f, "achieved")
        fig = charts.approval_dumbbell(df, f"各环节实际用时（天，对数坐标，{period}）")
        return (fig, df, "● 现用时，○ 对比基准（改革前、一般情况或文中对比的项目）；只含统一环节的实绩，不含承诺时限",
                "天") if len(df) else None
    if key == "mechanisms":
        df = queries.mechanism_matrix(con, f, top=MECH_TOP)
        fig = charts.mechanism_heatmap(df, f"招商机制证据数（条，{period}）")
        return (fig, df, "每格为该地区该类做法的证据句数", "条") if len(df) else None
    if key == "map":
        pts, prov = queries.region_points(con, f), queries.province_summary(con, f)
        fig = charts.china_map(prov, pts, f"地区分布（省份着色：事实条数；气泡：签约金额 亿元；{period}）")
        return (fig, pts, "开发区、新区等画在其上级行政区的位置", "") if len(pts) else None
    raise ValueError(f"unknown chart: {key}")


def approval_table(df: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    rows = df.head(n)
    return pd.DataFrame({
        "地区": rows["region"], "环节": rows["stage_group"], "对比基准": rows["baseline_label"],
        "原用时": rows["baseline_days"].map(vocab.fmt_days),
        "现用时": rows["days"].map(vocab.fmt_days),
        "缩短": [f"{v:g}%" if pd.notna(v) else "—" for v in rows["reduction_pct"]],
        "来源": [clean(f"{o or '未注明来源'}《{t}》") for o, t in zip(rows["outlet"], rows["doc_title"])],
    }).map(lambda v: clean(v) if isinstance(v, str) else v)


def mechanism_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per category (df: queries.mechanism_matrix): regions, evidence sentences, the regions with most."""
    if df.empty:
        return pd.DataFrame(columns=["机制类别", "地区数", "证据条数", "涉及地区"])
    order = {c: i for i, c in enumerate(vocab.category_labels())}
    g = df.sort_values("n", ascending=False, kind="stable").groupby("category").agg(
        n_regions=("region_id", "nunique"), n=("n", "sum"),
        regions=("region", lambda s: "、".join(list(dict.fromkeys(s))[:8]) + ("等" if s.nunique() > 8 else "")))
    g = g.assign(o=[order.get(c, 99) for c in g.index]).sort_values(["n", "n_regions", "o"],
                                                                     ascending=[False, False, True])
    return pd.DataFrame({"机制类别": [vocab.category_label(c) for c in g.index], "地区数": g["n_regions"].tolist(),
                         "证据条数": g["n"].tolist(), "涉及地区": [clean(x) for x in g["regions"]]})



def collect(con, f: Filters, period: Period = ALL_PERIODS, chart_keys: Sequence[str] = DEFAULT_CHARTS,
            images: bool = True, region_labels: dict | None = None, version: str = "",
            per_metric: int = 5, masthead: Masthead | None = None, since=None) -> Brief:
    """Everything the pack says, read from the database under the filters (the period's year for
    charts and tables, the period's window for key figures). `since`: (connection, label) of an
    earlier state of the data; the pack then gains a 新变化 section."""
    if period.year is not None:
        f = dataclasses.replace(f, year=period.year)
    period_label = vocab.period_label(f.year, f.span)  # charts and tables: the sidebar's year (and part)
    figs = key_figures(queries.key_figures(con, f, start=period.start, end=period.end, per_metric=per_metric))
    docs = queries.documents_index(con)
    filt = export.filters_text(f, region_labels, with_year=False)
    items = []
    for key in chart_keys:
        got = _chart(con, key, f, period_label)
        if got:
            fig, df, note, unit = got
            meta = export.ChartMeta(fig.layout.title.text, unit, period_label, filt, export.source_text(df, docs, note))
            items.append((fig, meta, _message(key, df)))
    images_out, error = [], None
    if images and items:
        try:
            pngs = export.chart_images([(fig, m) for fig, m, _ in items], "png", bare=True, width=IMAGE_WIDTH)
            images_out = [ChartImage(clean(m.title), clean(m.source), b, clean(msg))
                          for (_f, m, msg), b in zip(items, pngs)]
        except export.ExportUnavailable as e:
            error = str(e)
    scope = "、".join(f.provinces) if f.provinces else "全国"
    generated = export.now_beijing()
    notes = [*NOTES, f"筛选条件：{export.filters_text(f, region_labels)}；关键数字时段：{period.label}。"]
    if fx := vocab.fx_note():
        notes.append(fx)
    changes = None
    if since is not None:
        old_con, label = since
        changes = changes_since(old_con, con, f, label)
        notes.append(f"新变化与{label}的数据相比：新增事实指此前没有任何来源报道的事实；数值变化指同一地区、指标、"
                     f"时段和口径的数字与此前不同；排名变化按签约金额。")
    notes.append(f"数据版本：{version or '—'}；生成时间：{export.beijing_text(generated, seconds=False)}。")
    head = period.label if period.year else period_label
    mh = dataclasses.replace(masthead or Masthead())
    if mh.date is None:
        mh.date = generated.date()
    return Brief(title=f"{head}{scope}招商引资情况", generated=generated,
                 filters=filt, period=period, key_figures=figs, charts=images_out,
                 approval=approval_table(queries.approval_durations(con, f, "achieved")),
                 mechanisms=mechanism_table(queries.mechanism_matrix(con, f, top=MECH_TOP)),
                 notes=notes, chart_error=error, version=version, masthead=mh, changes=changes)


# ---------------------------------------------------------------- since the last briefing


@dataclasses.dataclass(frozen=True)
class Since:
    """The earlier state a 新变化 section compares with: a kept data version, or a date (the data
    as it stood then: documents published by that day)."""
    version: str | None = None
    day: date | None = None


def parse_since(s: str | None) -> Since | None:
    """'2023-05-10' -> a date; 'previous' -> the version before the current one; else a version
    file (a path, or a file name in the versions folder)."""
    if not s:
        return None
    s = s.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", s):
        try:
            return Since(day=date.fromisoformat("-".join(f"{int(x):02d}" for x in s.split("-"))))
        except ValueError:
            raise ValueError(f"日期无效：{s}") from None
    from components import db

    kept = [v for v, _ in db.versions()]
    if s in ("previous", "上一版本"):
        cur = db.current_version()
        older = [v for v in kept if os.path.realpath(v) != cur]
        if not older:
            raise ValueError("没有更早的数据版本可比较（只保留最近 3 个版本），请改用日期")
        return Since(version=os.path.realpath(older[0]))
    hits = [v for v in kept if os.path.basename(v) == s] or ([s] if os.path.isfile(s) else [])
    if not hits:
        raise ValueError(f"找不到数据版本：{s}（可用日期，如 2023-05-10，或 previous）")
    return Since(version=os.path.realpath(hits[0]))


def open_since(since: Since, current: str):
    """(connection, label) of the earlier state; the caller closes the connection."""
    import duckdb

    from components import db

    if since.day is not None:
        return db.open_as_of(current, since.day), f"{fmt_date(since.day)}（以文档发布日期为准）"
    con = duckdb.connect(since.version, read_only=True)
    built = queries.version_built_at(con)
    when = f"，{built.replace('T', ' ')[:16]} 载入" if built else ""
    return con, f"数据版本 {os.path.basename(since.version)}{when}"


_SLOT = ["region_id", "metric", "period_start", "period_end", "qualifier"]


def _cite(r) -> str:
    return clean(f"来源：{r.outlet or '未注明来源'}《{r.doc_title or r.doc_id}》，{fmt_date(r.date_published)}")


def _fact_text(r) -> str:
    if r.kind == "figure":
        return clean(key_sentence(r))
    period = period_phrase(r.period_start, r.period_end)
    lead = f"{period}，" if period and period != "—" and "未" not in period else ""
    if r.kind == "duration":
        before = f"（原需{vocab.fmt_days(r.baseline_days)}）" if pd.notna(r.baseline_days) else ""
        now = vocab.fmt_days(r.days) if pd.notna(r.days) else "用时未注明"
        return clean(f"{lead}{r.region}{r.from_stage or ''}至{r.to_stage or ''}用时{now}{before}。")
    return clean(f"{r.region}新增{vocab.category_label(r.category)}做法：{r.name or ''}。")


def _slots(df: pd.DataFrame) -> pd.DataFrame:
    """Per figure slot (region, metric, period, 口径): its largest value, one row each."""
    d = df[(df["kind"] == "figure") & df["is_primary"]].assign(qualifier=lambda x: x["qualifier"].fillna(""))
    d = d.sort_values(["amount", "fact_id"], ascending=[False, True]).drop_duplicates(_SLOT)
    return d.set_index(_SLOT)


def _ranks(df: pd.DataFrame) -> dict[str, int]:
    return {rid: i for i, rid in enumerate(df["region_id"].drop_duplicates(), 1)}


def diff(old: pd.DataFrame, new: pd.DataFrame, old_rank: pd.DataFrame, new_rank: pd.DataFrame,
         since: str, top: int = 10) -> Changes:
    """新变化 between two states (frames of queries.change_facts; rankings of queries.region_values):
    facts whose story is new (no source of their cluster was known before), figures whose value
    differs from the one known for the same region, metric, period and 口径, and regions that
    moved in the signed-amount ranking."""
    out = Changes(since)
    known = set(old["fact_id"])
    known_clusters = set(new.loc[new["fact_id"].isin(known), "cluster_id"])
    cand = new[new["is_primary"] & ~new["cluster_id"].isin(known_clusters)]
    before = _slots(old)
    for r in cand.itertuples():
        c = Change("new", _fact_text(r), _cite(r), clean(r.evidence), r.fact_id)
        if r.kind == "figure":
            key = (r.region_id, r.metric, r.period_start, r.period_end, r.qualifier if isinstance(r.qualifier, str) else "")
            if key in before.index:
                b = before.loc[key]
                if abs(float(b["amount"]) - float(r.amount)) <= 1e-9 * max(1.0, abs(float(r.amount))):
                    continue  # the same figure in other words: nothing new
                unit = vocab.metric_units().get(r.metric, r.unit or "")
                c.kind = "changed"
                c.before = clean(f"此前为{num(b['amount'])}{unit}（{_cite(b)}）")
        (out.changed if c.kind == "changed" else out.new).append(c)
    r0, r1 = _ranks(old_rank), _ranks(new_rank)
    best = new_rank.drop_duplicates("region_id").set_index("region_id")
    for rid, rank in r1.items():
        if rank > top:
            break
        was = r0.get(rid)
        if was == rank:
            continue
        r = best.loc[rid]
        move = (f"新进入前{top}名，居第{rank}位" if was is None or was > top else
                f"由第{was}位{'升' if rank < was else '降'}至第{rank}位")
        src = clean(f"来源：{r['outlet'] or '未注明来源'}《{r['doc_title'] or r['doc_id']}》")
        out.ranks.append(Change("rank", clean(f"{r['region']}签约金额排名{move}（{num(r['value'])}亿元）。"), src,
                                clean(r["evidence"]), r["fact_id"]))
    return out


def changes_since(old_con, con, f: Filters, since: str) -> Changes:
    return diff(queries.change_facts(old_con, f), queries.change_facts(con, f),
                queries.region_values(old_con, f, metric=("signed_amount",)),
                queries.region_values(con, f, metric=("signed_amount",)), since)


# ---------------------------------------------------------------- DOCX (GB/T 9704-2012)

# fonts as an office PC names them; fontTable.xml gives Word the older names as fallbacks, and the
# server's PDF maps them to Noto CJK (components/fonts/office-fonts.conf)
FONT_TITLE, FONT_H1, FONT_H2, FONT_BODY, FONT_PAGE = "方正小标宋简体", "黑体", "楷体", "仿宋", "宋体"
FONT_FALLBACKS = {"方正小标宋简体": "宋体", "黑体": "SimHei", "楷体": "楷体_GB2312", "仿宋": "仿宋_GB2312",
                  "宋体": "SimSun"}
# type sizes of the standard (pt): 初号 42, 二号 22, 三号 16, 四号 14, 小四 12
SIZE_MASTHEAD, SIZE_TITLE, SIZE_BODY, SIZE_SMALL, SIZE_TABLE = 42, 22, 16, 14, 12
LINE_PT = 28.95          # 版心 225 mm / 22 lines
LINE_TWIPS = 579
RED = "FF0000"
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225  # 版心
CLOSING_LINE, CLOSING_PAD = 20, 4         # pt: a line of the 版记 and the space above and below it
MAX_CHANGES = 40         # items per 新变化 list printed in the pack
CN_NUM = "一二三四五六七八九十"


def sections(b: Brief) -> list[str]:
    """First-level headings of the pack, numbered 一、二、…"""
    names = (["新变化"] if b.changes is not None else []) + ["关键数字", "图表", "审批提速", "招商机制", "口径说明"]
    return [f"{CN_NUM[i]}、{n}" for i, n in enumerate(names)]


def _rpr_fonts(rpr, face: str, size: float | None = None, bold: bool | None = None, color: str | None = None):
    """Explicit fonts on a w:rPr (ascii, hAnsi and eastAsia alike, so digits are not set in another
    face), no theme fonts or colours, zh-CN as the East-Asian language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def child(tag):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        return el

    fonts = child("w:rFonts")
    for a in list(fonts.attrib):
        del fonts.attrib[a]
    for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(a), face)
    fonts.set(qn("w:hint"), "eastAsia")
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            child(tag).set(qn("w:val"), "1" if bold else "0")
    for tag in ("w:i", "w:iCs"):
        el = rpr.find(qn(tag))
        if el is not None:
            rpr.remove(el)
    col = rpr.find(qn("w:color"))
    if col is not None:
        rpr.remove(col)
    if color:
        child("w:color").set(qn("w:val"), color)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            child(tag).set(qn("w:val"), str(int(round(size * 2))))
    child("w:lang").set(qn("w:eastAsia"), LANG)
    # schema order of the children the element holds
    order = ["w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
             "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
             "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
             "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
             "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"]
    rank = {qn(t): i for i, t in enumerate(order)}
    kids = sorted(list(rpr), key=lambda e: rank.get(e.tag, 99))
    for k in kids:
        rpr.remove(k)
        rpr.append(k)


PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _order_ppr(ppr) -> None:
    """Children of a w:pPr in the schema's order (Word and LibreOffice ignore misplaced ones)."""
    from docx.oxml.ns import qn

    rank = {qn(f"w:{t}"): i for i, t in enumerate(PPR_ORDER)}
    for k in sorted(list(ppr), key=lambda e: rank.get(e.tag, len(rank))):
        ppr.remove(k)
        ppr.append(k)


def _para_style(doc, name: str, face: str, size: float, *, bold=False, color=None, align=None,
                indent_chars: float = 0, exact: bool = True, before=0, after=0, keep_next=False,
                grid: bool = True):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    try:
        st = doc.styles[name]
    except KeyError:
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
    pf = st.paragraph_format
    ppr = st.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:numPr", "w:contextualSpacing"):
        el = ppr.find(qn(tag))
        if el is not None:
            ppr.remove(el)
    pf.alignment = align
    pf.first_line_indent = Pt(size * indent_chars) if indent_chars else Pt(0)
    pf.left_indent = pf.right_indent = Pt(0)
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(LINE_PT)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.keep_with_next = keep_next
    pf.widow_control = True
    if not grid and ppr.find(qn("w:snapToGrid")) is None:
        el = OxmlElement("w:snapToGrid")
        el.set(qn("w:val"), "0")
        ppr.append(el)
    _order_ppr(ppr)
    _rpr_fonts(st.element.get_or_add_rPr(), face, size, bold, color)
    return st


def _docx_styles(doc) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    for rpr in defaults.iter(qn("w:rPr")) if defaults is not None else []:
        _rpr_fonts(rpr, FONT_BODY, SIZE_BODY)
    _para_style(doc, "Normal", FONT_BODY, SIZE_BODY, align=A.JUSTIFY, indent_chars=2)
    _para_style(doc, "Title", FONT_TITLE, SIZE_TITLE, align=A.CENTER, exact=False, before=LINE_PT / 2,
                after=LINE_PT)
    _para_style(doc, "Heading 1", FONT_H1, SIZE_BODY, align=A.JUSTIFY, indent_chars=2, keep_next=True)
    _para_style(doc, "Heading 2", FONT_H2, SIZE_BODY, align=A.JUSTIFY, indent_chars=2, keep_next=True)
    _para_style(doc, "Heading 3", FONT_BODY, SIZE_BODY, bold=True, align=A.JUSTIFY, indent_chars=2, keep_next=True)
    _para_style(doc, "Caption", FONT_H1, SIZE_SMALL, align=A.CENTER, keep_next=True)
    _para_style(doc, "资料来源", FONT_H2, SIZE_SMALL, align=A.JUSTIFY, exact=False, after=LINE_PT / 2, grid=False)
    _para_style(doc, "关键数字", FONT_BODY, SIZE_BODY, align=A.JUSTIFY, indent_chars=2)
    _para_style(doc, "插图", FONT_BODY, SIZE_BODY, align=A.CENTER, exact=False, keep_next=True, grid=False)
    _para_style(doc, "表格文字", FONT_BODY, SIZE_TABLE, align=A.LEFT, exact=False, grid=False)
    _para_style(doc, "表头", FONT_H1, SIZE_TABLE, align=A.CENTER, exact=False, keep_next=True, grid=False)
    _para_style(doc, "版头", FONT_TITLE, SIZE_MASTHEAD, color=RED, align=A.CENTER, exact=False, grid=False)
    _para_style(doc, "期号", FONT_BODY, SIZE_BODY, align=A.CENTER)
    _para_style(doc, "编发", FONT_BODY, SIZE_BODY, align=A.LEFT)
    _para_style(doc, "版记", FONT_BODY, SIZE_SMALL, align=A.LEFT, exact=False, grid=False)
    _para_style(doc, "页码", FONT_PAGE, SIZE_SMALL, exact=False, grid=False)
    for st in doc.styles:  # no theme fonts left anywhere (they override explicit ones)
        rpr = st.element.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None and any("Theme" in a or "theme" in a for a in fonts.attrib):
            face = fonts.get(qn("w:eastAsia")) or FONT_BODY
            _rpr_fonts(rpr, face)


def _font_table(doc) -> None:
    """fontTable.xml: each office face with its older name as w:altName (Word's fallback) and the
    GB2312 charset."""
    import lxml.etree as et
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = et.fromstring(part.blob)
    for face, alt in FONT_FALLBACKS.items():
        font = et.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": face})
        et.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        et.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
        et.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "modern" if face == FONT_H1 else "roman"})
        et.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    part._blob = et.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _border(el_pr, tag: str, sides: dict[str, tuple[int, str]]) -> None:
    """sides: side -> (size in 1/8 pt, colour) on a w:pBdr or w:tcBorders."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    bdr = el_pr.find(qn(tag))
    if bdr is None:
        bdr = OxmlElement(tag)
        el_pr.append(bdr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side in sides:
            size, color = sides[side]
            e = OxmlElement(f"w:{side}")
            if size:
                e.set(qn("w:val"), "single")
                e.set(qn("w:sz"), str(size))
                e.set(qn("w:space"), "1")
                e.set(qn("w:color"), color)
            else:
                e.set(qn("w:val"), "nil")
            bdr.append(e)


def _page_setup(doc) -> None:
    """A4, the standard's margins (天头 37 mm, 订口 28 mm: 版心 156 × 225 mm), 22 lines of 28
    characters, page numbers '— 1 —' in 4号宋体 outside the 版心: odd pages right, even pages left,
    one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(23)  # page number 7 mm under the 版心
    sect = sec._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((sec.footer, A.RIGHT), (sec.even_page_footer, A.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles["页码"]
        p.alignment = align
        if align == A.RIGHT:
            p.paragraph_format.right_indent = Pt(SIZE_SMALL)
        else:
            p.paragraph_format.left_indent = Pt(SIZE_SMALL)
        p.add_run("— ")
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        p._p.append(fld)
        p.add_run(" —")


def _docx_masthead(doc, b: Brief) -> None:
    """版头: the red name, 期号, 编发单位 and date, the red separator over the 版心's width."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    m = b.masthead
    doc.add_paragraph(clean(m.name), style="版头").paragraph_format.space_before = Pt(SIZE_BODY)
    doc.add_paragraph(clean(m.issue), style="期号")
    p = doc.add_paragraph(style="编发")
    p.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    p.add_run(f"{clean(m.editor)}\t{fmt_date(m.date)}")
    p.paragraph_format.space_after = Pt(LINE_PT / 2)
    _border(p._p.get_or_add_pPr(), "w:pBdr", {"bottom": (18, RED)})  # red rule, 2.25 pt
    _order_ppr(p._p.pPr)


def _cn_table(doc, df: pd.DataFrame, widths: Sequence[float] | None = None) -> None:
    """A table whose header row repeats on every page and never stands alone at a page foot (it
    keeps with the first row; rows never split)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    t = doc.add_table(rows=1, cols=len(df.columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths is None:
        head = [export._width(str(c)) + 2 for c in df.columns]  # a header never breaks inside a word
        est = [min(max([h] + [export._width(str(v)) for v in df[c].head(30)]), 30) for c, h in zip(df.columns, head)]
        widths = [TEXT_WIDTH_MM * x / sum(est) for x in est]

    def row_props(row, header: bool):
        trpr = row._tr.get_or_add_trPr()
        e = OxmlElement("w:cantSplit")
        trpr.append(e)
        if header:
            e = OxmlElement("w:tblHeader")
            trpr.append(e)

    def fill(cells, values, style, keep):
        sid = doc.styles[style].style_id  # by id: python-docx's lookup by style object is slow
        for cell, v, w in zip(cells, values, widths):
            cell.width = Mm(w)
            p = cell.paragraphs[0]
            p._p.style = sid
            p.add_run("" if v is None or (isinstance(v, float) and pd.isna(v)) else clean(str(v)))
            p.paragraph_format.keep_with_next = keep

    t.autofit = False
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w / 25.4 * 1440)))  # twips: LibreOffice lays out by the grid
    row_props(t.rows[0], True)
    fill(t.rows[0].cells, list(df.columns), "表头", True)
    for i, row in enumerate(df.itertuples(index=False)):
        r = t.add_row()
        row_props(r, False)
        fill(r.cells, list(row), "表格文字", False)


def _numbered(doc, i: int, text: str, cite: str = "", style: str = "关键数字"):

    p = doc.add_paragraph(style=style)
    p.add_run(f"{i}．{text}")
    if cite:
        r = p.add_run(cite)
        _rpr_fonts(r._r.get_or_add_rPr(), FONT_H2, SIZE_SMALL)
    p.paragraph_format.widow_control = True
    return p


def _docx_changes(doc, ch: Changes) -> None:
    doc.add_paragraph(f"与{ch.since}相比：新增事实{len(ch.new)}条，数值变化{len(ch.changed)}条，"
                      f"排名变化{len(ch.ranks)}条。")
    groups = [("新增事实", ch.new), ("数值变化", ch.changed), ("排名变化", ch.ranks)]
    for j, (name, items) in enumerate(groups):
        doc.add_heading(f"（{CN_NUM[j]}）{name}", level=2)
        if not items:
            doc.add_paragraph("无。")
        for i, c in enumerate(items[:MAX_CHANGES], 1):
            extra = f"{c.before}。" if c.before else ""
            quote = f"原文：“{c.evidence}”" if c.evidence else ""
            _numbered(doc, i, c.text + extra, f"（{c.source}{'；' + quote if quote else ''}）")
        if len(items) > MAX_CHANGES:
            doc.add_paragraph(f"另有{len(items) - MAX_CHANGES}条，见看板“数据溯源”页。")


def _picture_mm(png: bytes, max_w: float = TEXT_WIDTH_MM, max_h: float = 150) -> tuple[float, float]:
    from PIL import Image

    w, h = Image.open(io.BytesIO(png)).size
    scale = min(max_w / w, max_h / h)
    return w * scale, h * scale


def to_docx(b: Brief) -> bytes:
    """The 简报 as Word: 版头, headline, numbered sections (一、（一）1.), charts captioned once with their
    source, tables with repeating headers, 口径说明, 版记 (报送/抄送), page numbers."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document()
    _docx_styles(doc)
    _page_setup(doc)
    _font_table(doc)
    _docx_masthead(doc, b)
    doc.add_paragraph(b.title, style="Title")
    heads = iter(sections(b))

    if b.changes is not None:
        doc.add_heading(next(heads), level=1)
        _docx_changes(doc, b.changes)

    doc.add_heading(next(heads), level=1)
    if not b.key_figures:
        doc.add_paragraph("当前筛选条件下没有已完成的关键数字。")
    by_metric: dict[str, list[KeyFigure]] = {}
    for k in b.key_figures:
        by_metric.setdefault(k.metric, []).append(k)
    for j, (metric, ks) in enumerate(by_metric.items()):
        doc.add_heading(f"（{CN_NUM[j]}）{vocab.metric_label(metric)}", level=2)
        for i, k in enumerate(ks, 1):
            _numbered(doc, i, k.sentence, f"（{k.citation}；原文：“{k.evidence}”）")

    doc.add_heading(next(heads), level=1)
    if b.chart_error:
        doc.add_paragraph(b.chart_error)
    elif not b.charts:
        doc.add_paragraph("当前筛选条件下没有可绘制的图表。")
    for i, c in enumerate(b.charts, 1):
        if c.message:
            p = doc.add_paragraph(f"图{i}显示，{c.message}。")
            p.paragraph_format.keep_with_next = True
        w, h = _picture_mm(c.png)
        doc.add_paragraph(style="插图").add_run().add_picture(io.BytesIO(c.png), width=Mm(w), height=Mm(h))
        doc.add_paragraph(f"图{i}　{c.title}", style="Caption")
        doc.add_paragraph(c.source, style="资料来源")

    n_table = 0
    for df, empty, name in ((b.approval, "当前筛选条件下没有审批或落地用时。", "审批与落地用时"),
                            (b.mechanisms, "当前筛选条件下没有招商机制的证据。", "招商机制类别与证据")):
        doc.add_heading(next(heads), level=1)
        if df.empty:
            doc.add_paragraph(empty)
            continue
        n_table += 1
        doc.add_paragraph(f"表{n_table}　{name}", style="Caption")
        _cn_table(doc, df)
        doc.add_paragraph(style="资料来源")

    doc.add_heading(next(heads), level=1)
    for i, n in enumerate(b.notes, 1):
        _numbered(doc, i, n, style="Normal").alignment = WD_ALIGN_PARAGRAPH.LEFT
    _docx_closing(doc, b.masthead)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_closing(doc, m: Masthead) -> None:
    """版记 at the foot of the last page: 报送 / 抄送 and the issuing line between black rules (thick
    outside, thin inside) over the 版心's width, the last rule on the 版心's lower edge. Each line is
    a frame at its own height from the bottom margin, so Word and LibreOffice place it alike."""
    from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    rows = [f"报送：{clean(m.send_to)}" if m.send_to else "", f"抄送：{clean(m.copy_to)}" if m.copy_to else "",
            f"{clean(m.editor)}\t{fmt_date(m.date)}印发"]
    rows = [r for r in rows if r]
    per_line = int((TEXT_WIDTH_MM / 25.4 * 72 - 2 * SIZE_SMALL) // SIZE_SMALL)  # characters on a line
    heights = [(-(-export._width(r) // (2 * per_line)) * CLOSING_LINE + 2 * CLOSING_PAD) for r in rows]
    bottom = TEXT_HEIGHT_MM / 25.4 * 72  # pt from the top margin to the 版心's lower edge
    tops = [bottom - sum(heights[i:]) for i in range(len(rows))]
    width = str(int(TEXT_WIDTH_MM / 25.4 * 1440))
    for i, (text, top) in enumerate(zip(rows, tops)):
        p = doc.add_paragraph(style="版记")
        pf = p.paragraph_format
        pf.space_before = pf.space_after = Pt(CLOSING_PAD)
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(CLOSING_LINE)
        pf.left_indent = pf.right_indent = Pt(SIZE_SMALL)  # one character in
        pf.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM) - Pt(2 * SIZE_SMALL), WD_TAB_ALIGNMENT.RIGHT)
        p.add_run(text)
        ppr = p._p.get_or_add_pPr()
        frame = OxmlElement("w:framePr")
        for k, v in (("w:w", width), ("w:hSpace", "0"), ("w:wrap", "around"), ("w:vAnchor", "margin"),
                     ("w:hAnchor", "margin"), ("w:xAlign", "center"), ("w:y", str(int(top * 20)))):
            frame.set(qn(k), v)
        ppr.append(frame)
        sides = {"bottom": (8 if i == len(rows) - 1 else 4, "000000")}
        if i == 0:
            sides["top"] = (8, "000000")
        _border(ppr, "w:pBdr", sides)
        _order_ppr(ppr)
        anchor = doc.add_paragraph(style="版记")  # each frame anchors to a paragraph of its own
        anchor.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        anchor.paragraph_format.line_spacing = Pt(1)


# ---------------------------------------------------------------- PPTX (16:9)

PPT_TITLE_FONT, PPT_BODY_FONT = "黑体", "微软雅黑"  # faces of an office PC; the server renders Noto CJK
SLIDE_W, SLIDE_H = 33.867, 19.05                     # cm, 16:9
MARGIN = 1.5
INK, GREY, ACCENT = (0x26, 0x27, 0x30), (0x55, 0x5B, 0x66), (0xC0, 0x00, 0x00)
CARDS = (3, 2)                                        # key-figure grid: columns, rows
PPT_CHANGE_SLIDES = 2                                # slides per 新变化 group (4 cards each)


def _pptx_east_asian(prs) -> None:
    """a:ea typeface (the run's own latin face, else the body face) and lang=zh-CN on every run."""
    from pptx.oxml.ns import qn
    from pptx.oxml.xmlchemy import OxmlElement

    after = ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")
    for slide in prs.slides:
        for tag in ("a:r", "a:fld", "a:endParaRPr"):
            for el in slide._element.iter(qn(tag)):
                rpr = el if tag == "a:endParaRPr" else el.get_or_add_rPr()
                rpr.set("lang", LANG)
                rpr.set("altLang", "en-US")
                latin = rpr.find(qn("a:latin"))
                face = latin.get("typeface") if latin is not None else PPT_BODY_FONT
                ea = rpr.find(qn("a:ea"))
                if ea is None:
                    ea = OxmlElement("a:ea")
                    nxt = next((rpr.find(qn(t)) for t in after if rpr.find(qn(t)) is not None), None)
                    if nxt is not None:
                        nxt.addprevious(ea)
                    else:
                        rpr.append(ea)
                ea.set("typeface", face)


def _run(p, text: str, size: float, color=INK, bold=False, face=PPT_BODY_FONT):
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    r = p.add_run()
    r.text = text
    r.font.size, r.font.bold, r.font.name = Pt(size), bold, face
    r.font.color.rgb = RGBColor(*color)
    return r


def _box(slide, left, top, width, height, lines, anchor_bottom=False):
    """A text box of paragraphs [(text, size, colour, bold, align)]."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Cm, Pt

    box = slide.shapes.add_textbox(Cm(left), Cm(top), Cm(width), Cm(height))
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.BOTTOM if anchor_bottom else MSO_ANCHOR.TOP
    for i, (text, size, color, bold, align) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = {"c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}.get(align, PP_ALIGN.LEFT)
        p.space_after = Pt(4)
        _run(p, text, size, color, bold, PPT_TITLE_FONT if bold else PPT_BODY_FONT)
    return box


def _slide(prs, message: str, caption: str = ""):
    """A slide that says one thing: its message as the title, a caption line under it."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Cm, Pt

    s = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    t = s.shapes.title
    t.left, t.top, t.width, t.height = Cm(MARGIN), Cm(0.7), Cm(SLIDE_W - 2 * MARGIN), Cm(2.0)
    t.text = message
    tf = t.text_frame
    tf.word_wrap = True
    for p in tf.paragraphs:
        p.alignment = 1  # left
        for r in p.runs:
            r.font.size, r.font.bold, r.font.name = Pt(26), True, PPT_TITLE_FONT
            r.font.color.rgb = RGBColor(*INK)
    bar = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Cm(MARGIN), Cm(2.75), Cm(SLIDE_W - 2 * MARGIN), Cm(0.08))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor(*ACCENT)
    bar.line.fill.background()
    if caption:
        _box(s, MARGIN, 2.9, SLIDE_W - 2 * MARGIN, 1.0, [(caption, 14, GREY, False, "l")])
    return s


def _footer(slide, text: str) -> None:
    _box(slide, MARGIN, SLIDE_H - 1.9, SLIDE_W - 2 * MARGIN, 1.4, [(text, 10, GREY, False, "l")], anchor_bottom=True)


def _cards(slide, figs: Sequence[KeyFigure], top: float = 4.2) -> None:
    """Key figures as a grid of cards filling the slide: the number large, what it is, its period,
    its source (and, with room, the sentence it comes from)."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Cm

    figs = list(figs[: CARDS[0] * CARDS[1]])
    cols = min(len(figs), CARDS[0])
    rows = -(-len(figs) // cols)
    gap = 0.6
    w = (SLIDE_W - 2 * MARGIN - gap * (cols - 1)) / cols
    h = (SLIDE_H - top - 0.9 - gap * (rows - 1)) / rows
    big = rows == 1
    for i, k in enumerate(figs):
        x, y = MARGIN + (i % cols) * (w + gap), top + (i // cols) * (h + gap)
        card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Cm(x), Cm(y), Cm(w), Cm(h))
        card.fill.solid()
        card.fill.fore_color.rgb = RGBColor(0xF6, 0xF7, 0xF9)
        card.line.color.rgb = RGBColor(0xD8, 0xDD, 0xE3)
        period = k.sentence.split("，", 1)[0]
        qual = re.search(r"（([^（）]*)）", k.sentence.split(vocab.metric_label(k.metric), 1)[-1])
        lines = [(k.region, 20 if big else 16, INK, True, "l"),
                 (f"{num(k.value)} {k.unit}", 54 if big else 36, ACCENT, True, "l"),
                 (f"{vocab.metric_label(k.metric)} · {period}" + (f" · {qual[1]}" if qual else ""),
                  16 if big else 13, INK, False, "l")]
        if big:
            lines.append((f"原文：“{charts.trunc(k.evidence, 90)}”", 13, INK, False, "l"))
        lines.append((k.citation, 11 if big else 10, GREY, False, "l"))
        box = _box(slide, x + 0.4, y + 0.3, w - 0.8, h - 0.6, lines)
        box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE


def _change_slides(prs, ch: Changes) -> None:
    """新变化 as cards, 2 × 2 a slide, at most PPT_CHANGE_SLIDES slides a group (the rest is in the Word
    version); an empty 新变化 says so on one slide."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Cm

    groups = [(name, items) for name, items in (("新增事实", ch.new), ("数值变化", ch.changed),
                                                ("排名变化", ch.ranks)) if items]
    if not groups:
        s = _slide(prs, "新变化：没有新增或变化的事实", f"与{ch.since}相比")
        _box(s, MARGIN, 4.2, SLIDE_W - 2 * MARGIN, 3, [("所选筛选条件下，此后没有新的事实、数值变化或排名变化。", 20, INK,
                                                       False, "l")])
        return
    per, top, gap = 4, 4.2, 0.6
    w, h = (SLIDE_W - 2 * MARGIN - gap) / 2, (SLIDE_H - top - 0.9 - gap) / 2
    for name, items in groups:
        shown = items[: per * PPT_CHANGE_SLIDES]
        pages = -(-len(shown) // per)
        for j in range(pages):
            more = f"，另有{len(items) - len(shown)}条见 Word 版简报" if j == pages - 1 and len(items) > len(shown) else ""
            s = _slide(prs, f"新变化·{name}{len(items)}条" + (f"（{j + 1}/{pages}）" if pages > 1 else ""),
                       f"与{ch.since}相比{more}")
            chunk = shown[j * per:(j + 1) * per]
            rows = 1 if len(chunk) <= 2 else 2
            hh = h if rows == 2 else SLIDE_H - top - 0.9
            for i, c in enumerate(chunk):
                x, y = MARGIN + (i % 2) * (w + gap), top + (i // 2) * (h + gap)
                card = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Cm(x), Cm(y), Cm(w), Cm(hh))
                card.fill.solid()
                card.fill.fore_color.rgb = RGBColor(0xF6, 0xF7, 0xF9)
                card.line.color.rgb = RGBColor(0xD8, 0xDD, 0xE3)
                lines = [(c.text, 20, INK, True, "l")]
                if c.before:
                    lines.append((c.before, 14, ACCENT, False, "l"))
                if c.evidence:
                    lines.append((f"原文：“{charts.trunc(c.evidence, 70)}”", 13, INK, False, "l"))
                lines.append((c.source, 11, GREY, False, "l"))
                _box(s, x + 0.4, y + 0.3, w - 0.8, hh - 0.6, lines).text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE


def _row_cards(slide, df: pd.DataFrame, top: float = 4.2) -> None:
    """Each row of a short table as a card: its first column as the heading, the others as lines."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Cm

    n = len(df)
    cols = 1 if n == 1 else 2
    rows = -(-n // cols)
    gap = 0.6
    w = (SLIDE_W - 2 * MARGIN - gap * (cols - 1)) / cols
    h = (SLIDE_H - top - 0.9 - gap * (rows - 1)) / rows
    for i, row in enumerate(df.itertuples(index=False)):
        x, y = MARGIN + (i % cols) * (w + gap), top + (i // cols) * (h + gap)
        card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Cm(x), Cm(y), Cm(w), Cm(h))
        card.fill.solid()
        card.fill.fore_color.rgb = RGBColor(0xF6, 0xF7, 0xF9)
        card.line.color.rgb = RGBColor(0xD8, 0xDD, 0xE3)
        vals = ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in row]
        lines = [(vals[0], 24 if rows == 1 else 20, ACCENT, True, "l")]
        lines += [(f"{c}：{v}", 18 if rows == 1 else 15, INK, False, "l") for c, v in zip(df.columns[1:], vals[1:])]
        _box(slide, x + 0.5, y + 0.3, w - 1.0, h - 0.6, lines).text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE


def _pptx_table(slide, df: pd.DataFrame, top: float = 4.0) -> None:
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Cm, Pt

    rows = min(len(df), PPTX_TABLE_ROWS)
    row_h = min(3.0, (SLIDE_H - top - 1.0) / (rows + 1))
    shape = slide.shapes.add_table(rows + 1, len(df.columns), Cm(MARGIN), Cm(top), Cm(SLIDE_W - 2 * MARGIN),
                                   Cm(row_h * (rows + 1)))
    t = shape.table
    for r in t.rows:
        r.height = Cm(row_h)
    est = [max([export._width(str(c)) + 3] + [min(40, export._width(str(v))) for v in df[c].head(rows)])
           for c in df.columns]
    for j, e in enumerate(est):
        t.columns[j].width = Cm((SLIDE_W - 2 * MARGIN) * e / sum(est))
    for j, col in enumerate(df.columns):
        t.cell(0, j).text = str(col)
    for i, row in enumerate(df.head(rows).itertuples(index=False), 1):
        for j, v in enumerate(row):
            t.cell(i, j).text = "" if v is None or (isinstance(v, float) and pd.isna(v)) else charts.trunc(v, 40)
    pad = Cm(max(0.1, (row_h - 1.4) / 2))  # LibreOffice shrinks rows to their text: pad them instead
    for r in t.rows:
        for c in r.cells:
            c.margin_top = c.margin_bottom = pad
            c.vertical_anchor = MSO_ANCHOR.MIDDLE
            for p in c.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size, run.font.name = Pt(18 if rows <= 4 else 15), PPT_BODY_FONT


def to_pptx(b: Brief) -> bytes:
    """16:9 slides, one message each: cover, 新变化, key figures as cards (one metric a slide),
    each chart large with its caption and source once, tables, 口径说明."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Cm

    prs = Presentation()
    prs.slide_width, prs.slide_height = Cm(SLIDE_W), Cm(SLIDE_H)
    m = b.masthead
    s = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _box(s, MARGIN, 3.2, SLIDE_W - 2 * MARGIN, 3.0, [(clean(m.name), 44, (0xFF, 0, 0), True, "c")])
    _box(s, MARGIN, 6.4, SLIDE_W - 2 * MARGIN, 1.2, [(clean(m.issue), 18, INK, False, "c")])
    rule = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, Cm(MARGIN), Cm(8.0), Cm(SLIDE_W - 2 * MARGIN), Cm(0.1))
    rule.fill.solid()
    rule.fill.fore_color.rgb = RGBColor(0xFF, 0, 0)  # the 版头's red rule
    rule.line.fill.background()
    _box(s, MARGIN, 9.0, SLIDE_W - 2 * MARGIN, 2.0, [(b.title, 32, INK, True, "c")])
    _box(s, MARGIN, 12.5, SLIDE_W - 2 * MARGIN, 3.0, [
        (f"{clean(m.editor)}　{fmt_date(m.date)}", 16, GREY, False, "c"),
        (f"筛选：{b.filters or '全部数据'}", 13, GREY, False, "c")])

    if b.changes is not None:
        _change_slides(prs, b.changes)

    by_metric: dict[str, list[KeyFigure]] = {}
    for k in b.key_figures:
        by_metric.setdefault(k.metric, []).append(k)
    if not by_metric:
        s = _slide(prs, "关键数字", b.period.label)
        _box(s, MARGIN, 4.0, SLIDE_W - 2 * MARGIN, 3, [("当前筛选条件下没有已完成的关键数字。", 18, INK, False, "l")])
    per = CARDS[0] * CARDS[1]
    for metric, ks in by_metric.items():
        top = ks[0]
        for i in range(0, len(ks), per):
            s = _slide(prs, f"{vocab.metric_label(metric)}：{top.region}最高，{num(top.value)}{top.unit}",
                       f"关键数字 · {b.period.label} · 只列已完成的实绩，每个数字注明来源")
            _cards(s, ks[i:i + per])

    for c in b.charts:
        s = _slide(prs, c.message or c.title, c.title)
        top, bottom = 4.0, SLIDE_H - 2.0
        w_px, h_px = _png_size(c.png)
        scale = min((SLIDE_W - 2 * MARGIN) / w_px, (bottom - top) / h_px)
        w, h = w_px * scale, h_px * scale
        s.shapes.add_picture(io.BytesIO(c.png), Cm((SLIDE_W - w) / 2), Cm(top), Cm(w), Cm(h))
        _footer(s, c.source)
    if b.chart_error:
        s = _slide(prs, "图表")
        _box(s, MARGIN, 4.0, SLIDE_W - 2 * MARGIN, 3, [(b.chart_error, 16, INK, False, "l")])

    for df, empty, title in ((b.approval, "当前筛选条件下没有审批或落地用时。", "审批提速"),
                             (b.mechanisms, "当前筛选条件下没有招商机制的证据。", "招商机制")):
        if df.empty:
            s = _slide(prs, title)
            _box(s, MARGIN, 4.0, SLIDE_W - 2 * MARGIN, 3, [(empty, 16, INK, False, "l")])
            continue
        if title == "审批提速":
            msg = f"审批与落地用时明细：{len(df)}项，{df['地区'].nunique()}个地区"
        else:
            msg = f"招商机制明细：{len(df)}类做法有证据，{df.iloc[0]['机制类别']}最多"
        more = f"（前 {PPTX_TABLE_ROWS} 行，完整表格见 Word 版简报）" if len(df) > PPTX_TABLE_ROWS else ""
        s = _slide(prs, msg, f"{title}{more}")
        if len(df) <= CARD_ROWS:
            _row_cards(s, df)  # a few rows read better as cards that fill the slide
        else:
            _pptx_table(s, df)
    s = _slide(prs, "口径说明")
    _box(s, MARGIN, 3.6, SLIDE_W - 2 * MARGIN, SLIDE_H - 4.2,
         [(f"{i}．{n}", 19, INK, False, "l") for i, n in enumerate(b.notes, 1)])
    _pptx_east_asian(prs)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _png_size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(png)).size


# ---------------------------------------------------------------- PDF


def to_pdf(b: Brief) -> bytes:
    """The same 简报 as PDF: the DOCX laid out by LibreOffice on the server (fonts mapped to Noto CJK)."""
    return export.docx_to_pdf(to_docx(b))


FORMATS = ("docx", "pdf", "pptx")


def render(b: Brief, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(b)
    if fmt == "pptx":
        return to_pptx(b)
    if fmt == "pdf":
        return to_pdf(b)
    raise ValueError(f"unknown format: {fmt}")


# ---------------------------------------------------------------- command line


def _filters(con, args) -> Filters:
    from components.filters import Filters

    opts = queries.filter_options(con)
    provinces = [p for p in (args.province or [])]
    bad = [p for p in provinces if p not in opts["provinces"]]
    if bad:
        raise SystemExit(f"未知省份：{'、'.join(bad)}（数据中有：{'、'.join(opts['provinces'])}）")
    regions: list[str] = []
    reg = opts["regions"]
    for name in args.region or []:
        hit = reg[(reg["region_id"] == name) | (reg["region"] == name)]
        if hit.empty:
            raise SystemExit(f"未知地区：{name}")
        regions += list(hit["region_id"])
    return Filters(provinces=tuple(provinces), regions=tuple(regions), chains=tuple(args.chain or ()),
                   include_targets=False, verified_only=bool(getattr(args, "verified", False)))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m components.briefing",
                                 description="生成招商引资简报（DOCX / PDF / PPTX）")
    ap.add_argument("--db", default=None, help="数据库指针（默认 data/facts.duckdb 或 ZSYZ_DB）")
    ap.add_argument("--province", action="append", help="省份，可重复，如 重庆")
    ap.add_argument("--region", action="append", help="地区名称或编码，可重复")
    ap.add_argument("--chain", action="append", choices=list(vocab.chain_labels()), help="产业链键，可重复")
    ap.add_argument("--period", default=None, help="2023、2023Q1、2023H1 或 2023-03（默认全部年份）")
    ap.add_argument("--verified", action="store_true", help="仅用经人工核实或更正的事实")
    ap.add_argument("--charts", default=",".join(DEFAULT_CHARTS),
                    help=f"图表，逗号分隔：{','.join(CHARTS)}；空串不含图表")
    ap.add_argument("--out", action="append", required=True, help="输出文件 .docx、.pdf 或 .pptx，可重复")
    ap.add_argument("--since", default=None,
                    help="与此前比较，简报增加“新变化”：日期（2023-05-10，按文档发布日期）、previous（上一数据版本）"
                         "或数据版本文件名")
    mh = Masthead()
    ap.add_argument("--name", default=mh.name, help=f"简报名称（版头，默认 {mh.name}）")
    ap.add_argument("--issue", default=mh.issue, help=f"期号（默认 {mh.issue}）")
    ap.add_argument("--editor", default=mh.editor, help=f"编发单位（默认 {mh.editor}）")
    ap.add_argument("--date", default=None, help="印发日期 2024-03-01（默认今天，北京时间）")
    ap.add_argument("--send-to", default=mh.send_to, help=f"报送（默认 {mh.send_to}）")
    ap.add_argument("--copy-to", default=mh.copy_to, help=f"抄送（默认 {mh.copy_to}）")
    args = ap.parse_args(argv)

    import duckdb

    from components import db

    if args.db:
        os.environ[db.DB_ENV] = args.db
    version = db.current_version()
    if version is None:
        print(f"找不到数据库：{db.db_path()}", file=sys.stderr)
        return 1
    fmts = []
    for out in args.out:
        ext = os.path.splitext(out)[1].lower().lstrip(".")
        if ext not in FORMATS:
            print(f"输出文件须为 .docx、.pdf 或 .pptx：{out}", file=sys.stderr)
            return 2
        fmts.append(ext)
    keys = [k for k in args.charts.split(",") if k.strip()]
    bad = [k for k in keys if k not in CHARTS]
    if bad:
        print(f"未知图表：{','.join(bad)}（可选：{','.join(CHARTS)}）", file=sys.stderr)
        return 2
    try:
        period = parse_period(args.period)
        since = parse_since(args.since)
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    if "pdf" in fmts and (why := export.pdf_unavailable_reason()):
        print(why, file=sys.stderr)
        return 1
    masthead = Masthead(args.name, args.issue, args.editor, day, args.send_to, args.copy_to)
    con = duckdb.connect(version, read_only=True)
    old = None
    try:
        try:
            f = _filters(con, args)
        except SystemExit as e:
            print(e, file=sys.stderr)
            return 2
        old = open_since(since, version) if since else None
        brief = collect(con, f, period, keys, version=os.path.basename(version), masthead=masthead, since=old)
    finally:
        con.close()
        if old:
            old[0].close()
    if brief.chart_error:
        print(f"警告：{brief.chart_error}", file=sys.stderr)
    for out, fmt in zip(args.out, fmts):
        data = render(brief, fmt)
        with open(out, "wb") as fh:
            fh.write(data)
        changed = f"，{len(brief.changes)} 条新变化" if brief.changes is not None else ""
        print(f"{out}: {len(brief.key_figures)} 条关键数字，{len(brief.charts)} 张图表{changed}，{len(data)} 字节")
    export.renderer().stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
