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

OFFICE_FONTS = {briefing.FONT_TITLE, briefing.FONT_H1, briefing.FONT_H2, briefing.FONT_BODY}
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
    return [p for p in word.paragraphs if p.style.name == "关键数字"]


def test_docx_masthead_title_and_headings(word, brief):
    """版头 (name in red, 期号, 编发单位 and date over a red rule), the headline, headings 一、（一）."""
    m = brief.masthead
    head = word.paragraphs[:4]
    assert [p.style.name for p in head] == ["版头", "期号", "编发", "Title"]
    assert head[0].text == m.name == "招商引资工作简报" and head[1].text == m.issue
    assert head[2].text == f"{m.editor}\t{briefing.fmt_date(m.date)}" and head[3].text == brief.title
    assert word.styles["版头"].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    rule = head[2]._p.pPr.find(wqn("w:pBdr")).find(wqn("w:bottom"))
    assert rule.get(wqn("w:color")) == "FF0000"
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == briefing.sections(brief)
    assert briefing.sections(brief)[:2] == ["一、关键数字", "二、图表"]
    subs = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert subs and subs[0] == "（一）签约金额"


def test_docx_page_is_a4_with_the_standard_margins_and_line_grid(word):
    sec = word.sections[0]
    mm = lambda v: round(v / 36000, 1)  # noqa: E731 - EMU to mm
    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert (mm(sec.top_margin), mm(sec.bottom_margin), mm(sec.left_margin), mm(sec.right_margin)) == (37, 35, 28, 26)
    grid = sec._sectPr.find(wqn("w:docGrid"))
    assert grid.get(wqn("w:linePitch")) == "579"  # 22 lines in the 225 mm 版心
    normal = word.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    odd = "".join(p.text for p in sec.footer.paragraphs)
    assert odd.startswith("— ") and odd.endswith(" —") and word.settings.odd_and_even_pages_header_footer
    assert "PAGE" in sec.footer._element.xml and "PAGE" in sec.even_page_footer._element.xml


def test_docx_closes_with_send_and_copy_lines_at_the_foot_of_the_page(word, brief):
    """版记: 报送, 抄送 and the issuing line, framed at the foot of the 版心 between black rules."""
    rows = [p for p in word.paragraphs if p.style.name == "版记" and p.text]
    m = brief.masthead
    assert [p.text for p in rows] == [f"报送：{m.send_to}", f"抄送：{m.copy_to}",
                                      f"{m.editor}\t{briefing.fmt_date(m.date)}印发"]
    ys = [int(p._p.pPr.find(wqn("w:framePr")).get(wqn("w:y"))) for p in rows]
    assert ys == sorted(ys) and ys[-1] > 225 / 25.4 * 1440 * 0.9  # stacked, at the bottom of the 版心
    first, last = (p._p.pPr.find(wqn("w:pBdr")) for p in (rows[0], rows[-1]))
    assert first.find(wqn("w:top")).get(wqn("w:sz")) == last.find(wqn("w:bottom")).get(wqn("w:sz")) == "8"


def test_key_figures_equal_the_database_and_are_cited(mcon, word, brief):
    paras = figure_paragraphs(word)
    assert len(paras) == len(brief.key_figures) > 0
    for p, k in zip(paras, brief.key_figures):
        value, title, outlet, evidence = fact(mcon, k.fact_id)
        assert k.value == pytest.approx(value)
        assert briefing.num(value) in k.sentence and k.sentence in p.text
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
    heads = [[c.text for c in t.rows[0].cells] for t in word.tables[:2]]
    assert heads == [list(brief.approval.columns), list(brief.mechanisms.columns)]
    for t in word.tables[:2]:  # the header repeats on every page and keeps with the first row
        assert t.rows[0]._tr.trPr.find(wqn("w:tblHeader")) is not None
        assert all(p.paragraph_format.keep_with_next for c in t.rows[0].cells for p in c.paragraphs)
        assert all(r._tr.trPr.find(wqn("w:cantSplit")) is not None for r in t.rows)
    assert len(word.tables[0].rows) == len(brief.approval) + 1
    assert "专班推进" in [r.cells[0].text for r in word.tables[1].rows]


def test_docx_fonts_are_the_office_faces_for_every_character(word):
    """方正小标宋简体 / 黑体 / 楷体 / 仿宋 by level, the same face for digits (ascii/hAnsi), no theme fonts;
    Noto CJK is for the server's rendering only."""
    expect = {"Title": briefing.FONT_TITLE, "Heading 1": briefing.FONT_H1, "Heading 2": briefing.FONT_H2,
              "Heading 3": briefing.FONT_BODY, "Normal": briefing.FONT_BODY, "关键数字": briefing.FONT_BODY}
    for name, face in expect.items():
        fonts = word.styles[name].element.find(wqn("w:rPr")).find(wqn("w:rFonts"))
        assert {fonts.get(wqn(a)) for a in ("w:ascii", "w:hAnsi", "w:eastAsia")} == {face}, name
        assert not [a for a in fonts.attrib if "heme" in a], name
    assert word.styles["Heading 3"].font.bold and not word.styles["Heading 1"].font.bold
    for st in word.styles:
        rpr = st.element.find(wqn("w:rPr"))
        fonts = rpr.find(wqn("w:rFonts")) if rpr is not None else None
        assert fonts is None or not [a for a in fonts.attrib if "heme" in a], st.name
    for r in word.element.body.iter(wqn("w:r")):
        fonts = r.find(wqn("w:rPr")).find(wqn("w:rFonts")) if r.find(wqn("w:rPr")) is not None else None
        if fonts is not None and fonts.get(wqn("w:eastAsia")):
            assert fonts.get(wqn("w:eastAsia")) in OFFICE_FONTS and fonts.get(wqn("w:ascii")) in OFFICE_FONTS
    xml = word.element.xml + word.styles.element.xml
    assert "Noto" not in xml
    table = next(r.target_part for r in word.part.rels.values() if r.reltype.endswith("/fontTable")).blob.decode()
    for face, alt in briefing.FONT_FALLBACKS.items():
        assert f'w:name="{face}"' in table and f'w:val="{alt}"' in table


def slide_text(s) -> str:
    return "\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)


def test_pptx_is_16_9_with_a_message_per_slide_and_cited_key_figures(deck, brief):
    assert deck.slide_width * 9 == pytest.approx(deck.slide_height * 16, rel=1e-3)
    cover = slide_text(deck.slides[0])
    assert brief.masthead.name in cover and brief.title in cover
    titles = [s.shapes.title.text for s in list(deck.slides)[1:]]
    assert all(titles) and len(set(titles)) == len(titles)  # one message each, never repeated
    text = "\n".join(slide_text(s) for s in deck.slides)
    for k in brief.key_figures:
        assert f"{briefing.num(k.value)} {k.unit}" in text and k.citation in text
    for s in deck.slides:
        for r in s._element.iter(aqn("a:r")):
            rpr = r.find(aqn("a:rPr"))
            assert rpr.get("lang") == "zh-CN"
            assert rpr.find(aqn("a:ea")).get("typeface") in (briefing.PPT_TITLE_FONT, briefing.PPT_BODY_FONT)


@pytest.mark.skipif(not with_images, reason=str(export.unavailable_reason()))
def test_chart_caption_and_source_once(brief, word, deck):
    """The image holds the chart alone; the document states its caption and source line once."""
    caps = [p.text for p in word.paragraphs if p.style.name == "Caption" and p.text.startswith("图")]
    assert caps == [f"图{i}　{c.title}" for i, c in enumerate(brief.charts, 1)]
    body = "\n".join(p.text for p in word.paragraphs)
    for c in brief.charts:
        assert body.count(c.source) == 1
    for s in deck.slides:
        pics = [sh for sh in s.shapes if sh.shape_type == 13]
        if pics:
            c = next(c for c in brief.charts if c.png == pics[0].image.blob)
            text = slide_text(s)
            assert text.count(c.title) == 1 and text.count(c.source) == 1
            assert pics[0].width * pics[0].height > 0.35 * deck.slide_width * deck.slide_height  # the chart large


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
    assert briefing.main(["--db", str(fixture_db), "--out", str(tmp_path / "x.txt")]) == 2
    assert briefing.main(["--db", str(fixture_db), "--since", "2023-13-40", "--out", out]) == 2
    assert briefing.main(["--db", str(fixture_db), "--since", "no-such-version", "--out", out]) == 2
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


def test_approval_chart_message_names_the_stage_and_what_it_compares_with(brief):
    msgs = [c.message for c in brief.charts if "用时" in c.message]
    assert msgs == ["江宁高新区签约→开工用时压缩最多，较改革前缩短50%"]
