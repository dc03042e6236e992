"""Exports: CSV/XLSX of the displayed rows with provenance; PNG/SVG rendered by kaleido in Chromium."""

from __future__ import annotations

import io
import shutil
import subprocess

import pandas as pd
import pytest
from PIL import Image

from components import charts, export, vocab
from components import queries as q
from components.filters import Filters
from components.layout import COLUMNS

F = Filters()
SHOWN = ["region", "value", "unit", "period", "qualifier"]  # a table's columns, without provenance
PROVENANCE = ["文档", "来源", "发布日期", "原句"]
needs_browser = pytest.mark.skipif(export.unavailable_reason() is not None, reason=str(export.unavailable_reason()))


@pytest.fixture(scope="module", autouse=True)
def _stop_browser():
    yield
    export.renderer().stop()


@pytest.fixture()
def rows(con):
    return q.figures_table(con, F, metric=("signed_amount",))


def test_csv_has_bom_and_the_displayed_rows_with_provenance(rows):
    data = export.to_csv(export.export_frame(rows, SHOWN, COLUMNS))
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == [COLUMNS[c] for c in SHOWN] + PROVENANCE
    assert len(back) == len(rows)
    assert list(back["原句"]) == list(rows["evidence"])
    assert list(back["来源"]) == list(rows["outlet"])
    assert list(back["数值"]) == pytest.approx(list(rows["value"]))


def test_xlsx_has_the_rows_and_a_notes_sheet(rows):
    f = Filters(provinces=("重庆",))
    t = export.TableExport(export.export_frame(rows, SHOWN, COLUMNS), title="签约金额数字",
                           filters=export.filters_text(f), units=["亿元"])
    sheets = pd.read_excel(io.BytesIO(export.to_xlsx(t)), sheet_name=None)
    assert list(sheets) == ["数据", "说明"]
    assert len(sheets["数据"]) == len(rows) and set(PROVENANCE) <= set(sheets["数据"].columns)
    assert list(sheets["数据"]["原句"]) == list(rows["evidence"])
    notes = dict(zip(sheets["说明"]["项目"], sheets["说明"]["内容"].astype(str)))
    as_of, _source, rates = vocab.fx()
    assert "省份：重庆" in notes["筛选条件"] and notes["单位"] == "亿元"
    assert notes["汇率日期"] == as_of and f"1 USD = {dict(rates)['USD']:g} 元" in notes["汇率"]
    assert notes["范围"].startswith("显示的行") and notes["生成时间"][:2] == "20"


def test_list_columns_become_text(con):
    df = q.region_values(con, F)
    out = export.export_frame(df, ["region", "doc_ids"], COLUMNS)
    assert all(isinstance(v, str) for v in out["doc_ids"])


def test_annotate_puts_filters_and_source_in_the_figure(con):
    df = q.top_regions(con, F)
    meta = export.ChartMeta("签约金额（亿元，2023年）", "亿元", "2023年", "省份：重庆", "数据来源：3 篇文档")
    fig = export.annotate(charts.region_bar(df, meta.title, "亿元"), meta)
    assert fig.layout.title.text == meta.title
    assert "单位：亿元" in fig.layout.title.subtitle.text and "省份：重庆" in fig.layout.title.subtitle.text
    assert fig.layout.annotations[-1].text == "数据来源：3 篇文档"
    assert fig.layout.width == export.WIDTH and export.FONT_FAMILY in fig.layout.font.family


def _meta(con, df, title):
    return export.ChartMeta(title, "亿元", "全部年份", export.filters_text(F, with_year=False),
                            export.source_text(df, q.documents_index(con), "只计实绩"))


@needs_browser
def test_png_is_2x_and_not_blank(con):
    df = q.top_regions(con, F)
    fig = charts.region_bar(df, "签约金额前十地区（亿元，全部年份）", "亿元")
    meta = _meta(con, df, fig.layout.title.text)
    img = Image.open(io.BytesIO(export.chart_image(fig, meta, "png"))).convert("RGB")
    assert img.size == (2 * export.WIDTH, 2 * export.annotate(fig, meta).layout.height)
    colors = img.getcolors(maxcolors=1 << 20)
    assert len(colors) > 50  # text, bars and anti-aliasing, not a blank page
    bar = tuple(int(charts.ACHIEVED[i:i + 2], 16) for i in (1, 3, 5))
    assert any(c == bar for _n, c in colors)


@needs_browser
def test_svg_carries_title_filters_source_and_the_chinese_font(con):
    df = q.top_regions(con, F)
    fig = charts.region_bar(df, "签约金额前十地区（亿元，全部年份）", "亿元")
    svg = export.chart_image(fig, _meta(con, df, fig.layout.title.text), "svg").decode("utf-8")
    assert svg.startswith("<svg")
    for text in ("签约金额前十地区（亿元，全部年份）", "单位：亿元", "不含目标值", "数据来源：", "南方日报"):
        assert text in svg, text
    assert export.FONT_FAMILY in svg


@needs_browser
def test_browser_is_started_once_and_reused(con):
    r = export.renderer()
    fig = charts.region_bar(q.top_regions(con, F), "t（亿元）", "亿元")
    r.render(fig, "svg")
    k = r._k
    r.render(fig, "svg")
    assert r._k is k is not None


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig not installed")
def test_the_simplified_chinese_face_is_installed():
    """Chromium draws CJK in the chart font, not empty boxes: fontconfig resolves it to Noto CJK."""
    out = subprocess.run(["fc-match", f"{export.FONT_FAMILY}:lang=zh-cn", "family"], capture_output=True,
                         text=True).stdout
    assert "Noto Sans CJK SC" in out


def test_missing_browser_gives_a_chinese_error(monkeypatch):
    monkeypatch.setenv(export.BROWSER_ENV, "/nonexistent/chromium")
    assert "未找到 Chromium" in export.unavailable_reason()
    with pytest.raises(export.ExportUnavailable, match="图片导出不可用"):
        export.Renderer().render({"data": [], "layout": {}}, "png")


def test_document_text_never_becomes_a_formula_or_markup():
    df = pd.DataFrame({"evidence": ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "普通\x0c原句"], "value": [-1.5, 2, 3]})
    data = export.export_frame(df, ["value"], COLUMNS)
    back = pd.read_csv(io.BytesIO(export.to_csv(data)), encoding="utf-8-sig")
    assert list(back["原句"]) == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "普通\x0c原句"]
    assert list(back["数值"]) == [-1.5, 2, 3]  # numbers untouched
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export.to_xlsx(export.TableExport(data))))["数据"]
    assert ws["B2"].value == "=HYPERLINK(\"http://x\")" and ws["B2"].data_type == "s"
    assert ws["B4"].value == "普通原句"  # a control character XLSX cannot hold is dropped
    fig = export.annotate(charts.region_bar(df.iloc[0:0], "t", "亿元"),
                          export.ChartMeta("t", source='数据来源：<a href="http://x">来源</a>'))
    assert "<a" not in fig.layout.annotations[-1].text


def test_booleans_read_yes_or_no_and_the_header_row_is_frozen(con):
    from openpyxl import load_workbook

    rows = q.figures_table(con, Filters(include_targets=True), metric=("signed_amount",))
    assert rows["is_target"].any() and not rows["is_target"].all()
    data = export.export_frame(rows, ["region", "value", "is_target"], COLUMNS)
    assert set(data["目标值"]) == {"是", "否"}
    back = pd.read_csv(io.BytesIO(export.to_csv(data)), encoding="utf-8-sig")
    assert list(back["目标值"]) == ["是" if t else "否" for t in rows["is_target"]]
    wb = load_workbook(io.BytesIO(export.to_xlsx(export.TableExport(data))))
    assert wb["数据"].freeze_panes == "A2" and wb["说明"].freeze_panes == "A2"
    values = [c.value for c in wb["数据"]["C"][1:]]
    assert set(values) == {"是", "否"}  # never TRUE/FALSE


def test_mixed_none_booleans_become_yes_no_or_empty():
    df = pd.DataFrame({"is_target": [True, None, False]}, dtype=object)
    yes, unknown, no = export.export_frame(df, ["is_target"], COLUMNS)["目标值"]
    assert (yes, no) == ("是", "否") and pd.isna(unknown)


def test_generation_time_is_beijing_time():
    from datetime import UTC, datetime

    t = export.TableExport(pd.DataFrame({"a": [1]}), generated=datetime(2024, 3, 1, 18, 30, tzinfo=UTC))
    notes = dict(export.notes_rows(t))
    assert notes["生成时间"] == "2024-03-02 02:30:00（北京时间）"  # UTC+8, the next day
    assert export.now_beijing().utcoffset().total_seconds() == 8 * 3600


def test_file_names_carry_the_title_and_period():
    assert export.file_name("签约金额（亿元，2023年一季度）", "2023年一季度", "png") == "签约金额_2023年一季度.png"
    assert export.file_name("最新事实", "全部年份", "csv") == "最新事实_全部年份.csv"
    assert export.file_name("a/b（x）", "", "xlsx") == "ab.xlsx"


@needs_browser
def test_a_long_source_line_wraps_inside_the_image(con):
    """The source line starts where the plot starts (after the region names) and wraps before the
    right edge: the image's right-hand strip stays white along the source lines."""
    df = q.top_regions(con, F).assign(region=lambda d: d["region"] + "经济技术开发区产业园")  # long labels
    fig = charts.region_bar(df, "签约金额前十地区（亿元，全部年份）", "亿元")
    note = "只计已完成的实绩；同一地区同一年份的多项报告取最大一项，不同年份相加；上下级地区的数字可能相互包含，不相加" * 3
    meta = export.ChartMeta(fig.layout.title.text, "亿元", "全部年份", "不含目标值",
                            export.source_text(df, q.documents_index(con), note))
    ann = export.annotate(fig, meta)
    assert ann.layout.annotations[-1].text.count("<br>") >= 2  # wrapped over several lines
    img = Image.open(io.BytesIO(export.chart_image(fig, meta, "png"))).convert("L")
    w, h = img.size
    band = img.crop((0, int(h * 0.8), w, h))  # the source lines at the foot
    assert band.getbbox() is not None
    inked = band.point(lambda v: 255 if v < 200 else 0).getbbox()
    assert inked is not None and inked[2] < w - 2 * 8  # text ends before the right edge
