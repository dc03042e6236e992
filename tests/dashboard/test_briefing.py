"""简报 pack: DOCX/PPTX read back with python-docx / python-pptx; figures checked against the database."""

from __future__ import annotations

import io
import os
from datetime import date

import docx
import duckdb
import pptx
import pytest
from docx.oxml.ns import qn as wqn
from pptx.oxml.ns import qn as aqn

from components import briefing, export
from components.filters import Filters

FONT = export.FONT_FAMILY
with_images = export.unavailable_reason() is None


@pytest.fixture(scope="module")
def mcon(fixture_db):
    c = duckdb.connect(os.path.realpath(fixture_db), read_only=True)
    yield c
    c.close()
    export.renderer().stop()


@pytest.fixture(scope="module")
def brief(mcon):
    return briefing.collect(mcon, Filters(), images=with_images)


@pytest.fixture(scope="module")
def word(brief):
    return docx.Document(io.BytesIO(briefing.to_docx(brief)))


@pytest.fixture(scope="module")
def deck(brief):
    return pptx.Presentation(io.BytesIO(briefing.to_pptx(brief)))


def fact(con, fact_id):
    """A fact's own value (亿元 for money), its document and sentence, straight from the database."""
    return con.execute(
        "SELECT CASE WHEN unit IN ('亿元', '亿') THEN value_cny ELSE value END, d.title, d.outlet, f.evidence "
        "FROM facts f JOIN documents d USING (doc_id) WHERE fact_id = ?", [fact_id]).fetchone()


def figure_paragraphs(word):
    return [p for p in word.paragraphs if p.style.name == "List Number"]


def test_docx_title_and_headings(word, brief):
    assert word.paragraphs[0].style.name == "Title" and word.paragraphs[0].text == brief.title
    assert "生成日期：" in word.paragraphs[1].text
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == list(briefing.SECTIONS)


def test_key_figures_equal_the_database_and_are_cited(mcon, word, brief):
    paras = figure_paragraphs(word)
    assert len(paras) == len(brief.key_figures) > 0
    for p, k in zip(paras, brief.key_figures):
        value, title, outlet, evidence = fact(mcon, k.fact_id)
        assert k.value == pytest.approx(value)
        assert briefing.num(value) in k.sentence and p.text.startswith(k.sentence)
        assert f"来源：{outlet}《{title}》" in p.text and evidence in p.text


def test_largest_figure_of_each_metric_comes_first(mcon, brief):
    firsts = {}
    for k in brief.key_figures:
        firsts.setdefault(k.metric, k.value)
    top = dict(mcon.execute(
        "SELECT metric, max(CASE WHEN unit IN ('亿元', '亿') THEN value_cny ELSE value END) FROM facts "
        "WHERE kind = 'figure' AND is_primary AND NOT coalesce(is_target, FALSE) "
        "AND metric IN ('signed_amount', 'signed_projects', 'started_projects', 'funds_in_place') GROUP BY 1"
    ).fetchall())
    assert firsts == pytest.approx(top)


def test_no_target_is_a_key_figure(mcon, brief):
    targets = {r[0] for r in mcon.execute("SELECT fact_id FROM facts WHERE is_target").fetchall()}
    assert targets and not targets & {k.fact_id for k in brief.key_figures}


@pytest.mark.skipif(not with_images, reason=str(export.unavailable_reason()))
def test_chart_images_in_docx_and_pptx(brief, word, deck):
    assert len(brief.charts) == len(briefing.DEFAULT_CHARTS)  # every default chart has data in the fixture
    assert len(word.inline_shapes) == len(brief.charts)
    pics = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]  # PICTURE
    assert len(pics) == len(brief.charts)
    assert all(p.image.content_type == "image/png" and len(p.image.blob) > 10_000 for p in pics)


def test_approval_table_labels_baselines_and_leaves_out_commitments_and_unmapped_stages(brief):
    t = brief.approval
    assert set(t["环节"]) == {"签约→开工", "签约→投产", "拿地→施工许可", "注册→开工"}  # mapped stages only
    assert {"改革前", "对比：某某项目"} <= set(t["对比基准"])
    assert len(t) == 4  # not the promised 签约→开工 of 东莞, not 受理→闭环处理


def test_approval_and_mechanism_tables(word, brief):
    heads = [[c.text for c in t.rows[0].cells] for t in word.tables]
    assert heads == [list(brief.approval.columns), list(brief.mechanisms.columns)]
    assert len(word.tables[0].rows) == len(brief.approval) + 1
    assert "专班推进" in [r.cells[0].text for r in word.tables[1].rows]


def test_docx_runs_and_styles_set_the_east_asian_font(word):
    runs = list(word.element.body.iter(wqn("w:r")))
    assert runs
    for r in runs:
        assert r.find(wqn("w:rPr")).find(wqn("w:rFonts")).get(wqn("w:eastAsia")) == FONT
    for name in ("Normal", "Title", "Heading 1"):
        fonts = word.styles[name].element.find(wqn("w:rPr")).find(wqn("w:rFonts"))
        assert fonts.get(wqn("w:eastAsia")) == FONT and fonts.get(wqn("w:eastAsiaTheme")) is None


def test_pptx_slides_with_citations_and_east_asian_font(deck, brief):
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == brief.title
    for section in briefing.SECTIONS[2:]:
        assert section in titles
    text = "\n".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    for k in brief.key_figures:
        assert k.sentence in text and k.citation in text
    for s in deck.slides:
        for r in s._element.iter(aqn("a:r")):
            rpr = r.find(aqn("a:rPr"))
            assert rpr.get("lang") == "zh-CN" and rpr.find(aqn("a:ea")).get("typeface") == FONT


def test_cli_province_and_quarter(tmp_path, mcon, fixture_db):
    out = tmp_path / "brief.docx"
    assert briefing.main(["--db", str(fixture_db), "--province", "重庆", "--period", "2023Q1", "--charts", "",
                          "--out", str(out)]) == 0
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    v = mcon.execute("SELECT value FROM facts WHERE region_id = '500000' AND metric = 'signed_amount' "
                     "AND is_primary").fetchone()[0]
    assert f"2023年一季度，重庆市签约金额{briefing.num(v)}亿元" in text
    assert "东莞" not in text.split("二、图表")[0]  # only 重庆's figures


def test_cli_rejects_unknown_values(tmp_path, fixture_db):
    out = str(tmp_path / "x.docx")
    assert briefing.main(["--db", str(fixture_db), "--province", "火星", "--out", out]) == 2
    assert briefing.main(["--db", str(fixture_db), "--period", "2023Q5", "--out", out]) == 2
    assert briefing.main(["--db", str(fixture_db), "--out", str(tmp_path / "x.pdf")]) == 2
    assert not os.path.exists(out)


@pytest.mark.parametrize("text,label,start,end", [
    ("2023", "2023年", date(2023, 1, 1), date(2023, 12, 31)),
    ("2023Q1", "2023年一季度", date(2023, 1, 1), date(2023, 3, 31)),
    ("2024q4", "2024年四季度", date(2024, 10, 1), date(2024, 12, 31)),
    ("2023H2", "2023年下半年", date(2023, 7, 1), date(2023, 12, 31)),
    ("2024-02", "2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
])
def test_parse_period(text, label, start, end):
    p = briefing.parse_period(text)
    assert (p.label, p.start, p.end) == (label, start, end)


@pytest.mark.parametrize("start,end,phrase", [
    ("2023-01-01", "2023-03-31", "2023年一季度"),
    ("2023-01-01", "2023-06-30", "2023年上半年"),
    ("2023-01-01", "2023-08-31", "2023年1-8月"),
    ("2023-01-01", "2023-12-31", "2023年"),
    ("2023-01-01", "2023-09-30", "2023年前三季度"),
])
def test_period_phrase(start, end, phrase):
    assert briefing.period_phrase(date.fromisoformat(start), date.fromisoformat(end)) == phrase


def test_builders_do_not_import_streamlit():
    import subprocess
    import sys

    from tests.dashboard.conftest import ROOT

    code = "import sys, components.export, components.briefing; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_control_characters_in_documents_do_not_break_the_pack(mcon, brief):
    from components import queries

    df = queries.key_figures(mcon, Filters(), per_metric=1)
    df.loc[0, "evidence"] = "原句\x0b含\x01控制符"
    b = briefing.Brief(**{**brief.__dict__, "key_figures": briefing.key_figures(df), "charts": []})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(briefing.to_docx(b))).paragraphs)
    assert "原句含控制符" in text
    assert pptx.Presentation(io.BytesIO(briefing.to_pptx(b))).slides


def test_foreign_money_in_its_own_currency_and_in_yuan(mcon):
    from components import queries

    df = queries.key_figures(mcon, Filters(regions=("440300",)), per_metric=5)
    (k,) = [k for k in briefing.key_figures(df) if k.region == "深圳市"]
    assert "2亿美元（约合14.24亿元）" in k.sentence
