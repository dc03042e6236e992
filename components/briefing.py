"""简报 pack: key-figure sentences with citations, charts, approval and mechanism tables, 口径说明,
as DOCX and PPTX bytes (pure: a connection and Filters in, bytes out; no streamlit here).

Command line (scheduled reports):
    python -m components.briefing --province 重庆 --period 2023Q1 --out brief.docx [--out brief.pptx]
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
    title: str
    source: str
    png: bytes


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
            per_metric: int = 5) -> Brief:
    """Everything the pack says, read from the database under the filters (the period's year for
    charts and tables, the period's window for key figures)."""
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
            items.append((fig, meta))
    images_out, error = [], None
    if images and items:
        try:
            pngs = export.chart_images(items, "png")
            images_out = [ChartImage(clean(m.title), clean(m.source), b) for (_f, m), b in zip(items, pngs)]
        except export.ExportUnavailable as e:
            error = str(e)
    scope = "、".join(f.provinces) if f.provinces else "全国"
    notes = [*NOTES, f"筛选条件：{export.filters_text(f, region_labels)}；关键数字时段：{period.label}。"]
    if fx := vocab.fx_note():
        notes.append(fx)
    notes.append(f"数据版本：{version or '—'}；生成时间：{datetime.now().astimezone():%Y-%m-%d %H:%M}。")
    return Brief(title=f"招商引资简报：{scope}（{period.label if period.year else period_label}）", generated=datetime.now().astimezone(),
                 filters=filt, period=period, key_figures=figs, charts=images_out,
                 approval=approval_table(queries.approval_durations(con, f, "achieved")),
                 mechanisms=mechanism_table(queries.mechanism_matrix(con, f, top=MECH_TOP)),
                 notes=notes, chart_error=error, version=version)


# ---------------------------------------------------------------- DOCX


SECTIONS = ("一、关键数字", "二、图表", "三、审批提速", "四、招商机制", "五、口径说明")


def _docx_east_asian(doc) -> None:
    """w:eastAsia on every style and run (and zh-CN as the East-Asian language) so Word and
    LibreOffice pick Simplified glyphs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fix(rpr):
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for a in ("w:eastAsiaTheme",):
            fonts.attrib.pop(qn(a), None)
        fonts.set(qn("w:eastAsia"), FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:eastAsia"), LANG)

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            fix(rpr)
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            style.append(rpr)
        fix(rpr)
    for r in doc.element.body.iter(qn("w:r")):
        fix(r.get_or_add_rPr())


def _docx_table(doc, df: pd.DataFrame) -> None:
    t = doc.add_table(rows=1, cols=len(df.columns))
    t.style = "Light Grid Accent 1"
    for cell, col in zip(t.rows[0].cells, df.columns):
        cell.text = str(col)
    for row in df.itertuples(index=False):
        for cell, v in zip(t.add_row().cells, row):
            cell.text = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def to_docx(b: Brief) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    doc.add_heading(b.title, level=0)
    doc.add_paragraph(f"生成日期：{fmt_date(b.generated)}　筛选：{b.filters or '全部数据'}")

    doc.add_heading(SECTIONS[0], level=1)
    if not b.key_figures:
        doc.add_paragraph("当前筛选条件下没有已完成的关键数字。")
    for i, k in enumerate(b.key_figures, 1):
        p = doc.add_paragraph(style="List Number")
        p.add_run(k.sentence)
        cite = p.add_run(f"〔{k.citation}；原文：“{k.evidence}”〕")
        cite.font.size = Pt(9)
        cite.font.color.rgb = RGBColor(0x55, 0x5B, 0x66)

    doc.add_heading(SECTIONS[1], level=1)
    if b.chart_error:
        doc.add_paragraph(b.chart_error)
    elif not b.charts:
        doc.add_paragraph("当前筛选条件下没有可绘制的图表。")
    for c in b.charts:
        doc.add_picture(io.BytesIO(c.png), width=Cm(16))
        cap = doc.add_paragraph()
        run = cap.add_run(f"图：{c.title}。{c.source}")
        run.font.size = Pt(9)

    doc.add_heading(SECTIONS[2], level=1)
    if b.approval.empty:
        doc.add_paragraph("当前筛选条件下没有审批或落地用时。")
    else:
        _docx_table(doc, b.approval)
    doc.add_heading(SECTIONS[3], level=1)
    if b.mechanisms.empty:
        doc.add_paragraph("当前筛选条件下没有招商机制的证据。")
    else:
        _docx_table(doc, b.mechanisms)
    doc.add_heading(SECTIONS[4], level=1)
    for n in b.notes:
        doc.add_paragraph(n, style="List Bullet")
    _docx_east_asian(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- PPTX


def _pptx_east_asian(prs) -> None:
    """a:ea (and a:latin) typeface plus lang=zh-CN on every run of every slide."""
    from pptx.oxml.ns import qn
    from pptx.oxml.xmlchemy import OxmlElement

    after = ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")
    for slide in prs.slides:
        for tag in ("a:r", "a:fld", "a:endParaRPr"):
            for el in slide._element.iter(qn(tag)):
                rpr = el if tag == "a:endParaRPr" else el.get_or_add_rPr()
                rpr.set("lang", LANG)
                rpr.set("altLang", "en-US")
                ea = rpr.find(qn("a:ea"))
                if ea is None:
                    ea = OxmlElement("a:ea")
                    nxt = next((rpr.find(qn(t)) for t in after if rpr.find(qn(t)) is not None), None)
                    if nxt is not None:
                        nxt.addprevious(ea)
                    else:
                        rpr.append(ea)
                ea.set("typeface", FONT)


def _place_title(shape, size: int = 28) -> None:
    """The default template's placeholders are laid out for 4:3: put the title across the 16:9 slide."""
    from pptx.util import Cm, Pt

    shape.left, shape.top, shape.width, shape.height = Cm(1.5), Cm(0.6), Cm(30.8), Cm(2.2)
    for p in shape.text_frame.paragraphs:
        for r in p.runs:
            r.font.size = Pt(size)
            r.font.bold = True


def _slide(prs, title: str):
    s = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    s.shapes.title.text = title
    _place_title(s.shapes.title)
    return s


def _text(slide, lines: Sequence[tuple[str, str]], top_cm: float = 3.2, size: int = 16):
    """Paragraphs of (main text, small grey text)."""
    from pptx.dml.color import RGBColor
    from pptx.util import Cm, Pt

    box = slide.shapes.add_textbox(Cm(1.5), Cm(top_cm), Cm(30.8), Cm(15))
    tf = box.text_frame
    tf.word_wrap = True
    for i, (main, small) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        r = p.add_run()
        r.text = main
        r.font.size = Pt(size)
        if small:
            p.add_line_break()
            r2 = p.add_run()
            r2.text = small
            r2.font.size = Pt(max(10, size - 6))
            r2.font.color.rgb = RGBColor(0x55, 0x5B, 0x66)
        p.space_after = Pt(8)
    return box


def _pptx_table(slide, df: pd.DataFrame, top_cm: float = 3.2):
    from pptx.util import Cm, Pt

    rows = min(len(df), PPTX_TABLE_ROWS)
    shape = slide.shapes.add_table(rows + 1, len(df.columns), Cm(1.5), Cm(top_cm), Cm(30.8), Cm(1 + rows))
    t = shape.table
    for j, col in enumerate(df.columns):
        t.cell(0, j).text = str(col)
    for i, row in enumerate(df.head(rows).itertuples(index=False), 1):
        for j, v in enumerate(row):
            t.cell(i, j).text = "" if v is None or (isinstance(v, float) and pd.isna(v)) else charts.trunc(v, 28)
    for r in t.rows:
        for c in r.cells:
            for p in c.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(11)


def to_pptx(b: Brief) -> bytes:
    from pptx import Presentation
    from pptx.util import Cm, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Cm(33.867), Cm(19.05)  # 16:9
    s = prs.slides.add_slide(prs.slide_layouts[0])
    s.shapes.title.text = b.title
    _place_title(s.shapes.title, 36)
    s.shapes.title.top, s.shapes.title.height = Cm(5.5), Cm(3.5)
    sub = s.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Cm(1.5), Cm(10), Cm(30.8), Cm(4)
    sub.text = f"生成日期：{fmt_date(b.generated)}\n筛选：{b.filters or '全部数据'}"
    for p in s.placeholders[1].text_frame.paragraphs:
        for r in p.runs:
            r.font.size = Pt(16)

    figs = b.key_figures or []
    for i in range(0, max(len(figs), 1), 5):
        s = _slide(prs, SECTIONS[0] + (f"（{i // 5 + 1}）" if len(figs) > 5 else ""))
        chunk = figs[i:i + 5]
        _text(s, [(k.sentence, f"　{k.citation}") for k in chunk] or [("当前筛选条件下没有已完成的关键数字。", "")])
    for c in b.charts:
        s = _slide(prs, c.title)
        pic = s.shapes.add_picture(io.BytesIO(c.png), Cm(1.5), Cm(3.0), height=Cm(13.8))
        if pic.width > Cm(30.8):  # keep wide charts on the slide
            ratio = Cm(30.8) / pic.width
            pic.width, pic.height = int(pic.width * ratio), int(pic.height * ratio)
        _text(s, [(c.source, "")], top_cm=17.0, size=10)
    if b.chart_error:
        _text(_slide(prs, SECTIONS[1]), [(b.chart_error, "")])
    s = _slide(prs, SECTIONS[2])
    if b.approval.empty:
        _text(s, [("当前筛选条件下没有审批或落地用时。", "")])
    else:
        _pptx_table(s, b.approval)
    s = _slide(prs, SECTIONS[3])
    if b.mechanisms.empty:
        _text(s, [("当前筛选条件下没有招商机制的证据。", "")])
    else:
        _pptx_table(s, b.mechanisms)
    _text(_slide(prs, SECTIONS[4]), [(n, "") for n in b.notes], size=13)
    if len(b.approval) > PPTX_TABLE_ROWS or len(b.mechanisms) > PPTX_TABLE_ROWS:
        _text(prs.slides[-1], [(f"幻灯片中的表格只列前 {PPTX_TABLE_ROWS} 行，完整表格见 Word 版简报。", "")],
              top_cm=16.5, size=11)
    _pptx_east_asian(prs)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def render(b: Brief, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(b)
    if fmt == "pptx":
        return to_pptx(b)
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
                                 description="生成招商引资简报（DOCX / PPTX）")
    ap.add_argument("--db", default=None, help="数据库指针（默认 data/facts.duckdb 或 ZSYZ_DB）")
    ap.add_argument("--province", action="append", help="省份，可重复，如 重庆")
    ap.add_argument("--region", action="append", help="地区名称或编码，可重复")
    ap.add_argument("--chain", action="append", choices=list(vocab.chain_labels()), help="产业链键，可重复")
    ap.add_argument("--period", default=None, help="2023、2023Q1、2023H1 或 2023-03（默认全部年份）")
    ap.add_argument("--verified", action="store_true", help="仅用经人工核实或更正的事实")
    ap.add_argument("--charts", default=",".join(DEFAULT_CHARTS),
                    help=f"图表，逗号分隔：{','.join(CHARTS)}；空串不含图表")
    ap.add_argument("--out", action="append", required=True, help="输出文件 .docx 或 .pptx，可重复")
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
        if ext not in ("docx", "pptx"):
            print(f"输出文件须为 .docx 或 .pptx：{out}", file=sys.stderr)
            return 2
        fmts.append(ext)
    keys = [k for k in args.charts.split(",") if k.strip()]
    bad = [k for k in keys if k not in CHARTS]
    if bad:
        print(f"未知图表：{','.join(bad)}（可选：{','.join(CHARTS)}）", file=sys.stderr)
        return 2
    try:
        period = parse_period(args.period)
    except ValueError as e:
        print(e, file=sys.stderr)
        return 2
    con = duckdb.connect(version, read_only=True)
    try:
        try:
            f = _filters(con, args)
        except SystemExit as e:
            print(e, file=sys.stderr)
            return 2
        brief = collect(con, f, period, keys, version=os.path.basename(version))
    finally:
        con.close()
    if brief.chart_error:
        print(f"警告：{brief.chart_error}", file=sys.stderr)
    for out, fmt in zip(args.out, fmts):
        data = render(brief, fmt)
        with open(out, "wb") as fh:
            fh.write(data)
        print(f"{out}: {len(brief.key_figures)} 条关键数字，{len(brief.charts)} 张图表，{len(data)} 字节")
    export.renderer().stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
