"""Tests for etl.readers: decoding, docx/pdf/html extraction and ReadError reasons.

Binary fixtures (docx, pdf, broken files) are built at test time in tmp_path.
Seed texts are copies in tests/fixtures/seeds/ (UTF-8, NFC).
"""

from __future__ import annotations

import dataclasses
import io
import random
import zipfile
from pathlib import Path

import pytest

from etl.readers import SUPPORTED, RawDocument, ReadError, read_document, read_txt_bytes
from tests.conftest import count_calls

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SIMPLIFIED_SEEDS = [
    "000_32c011ca81334cc8.txt",
    "001_0969cefc7d53b824.txt",
    "003_b8137bc2e9dd74e6.txt",
    "004_337bac2747934923.txt",
]
TRADITIONAL_SEED = "002_46f560f447c43a67.txt"
ALL_SEEDS = sorted([*SIMPLIFIED_SEEDS, TRADITIONAL_SEED])


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def big5_passage() -> str:
    """The lines of the traditional seed that Big5 can encode (it has a few '産')."""
    lines = []
    for line in seed(TRADITIONAL_SEED).split("\n"):
        try:
            line.encode("big5")
        except UnicodeEncodeError:
            continue
        lines.append(line)
    return "\n".join(lines)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def reason(path: Path) -> str:
    with pytest.raises(ReadError) as info:
        read_document(path)
    return str(info.value)


def txt_reason(data: bytes) -> str:
    with pytest.raises(ReadError) as info:
        read_txt_bytes(data)
    return str(info.value)


# ---------------------------------------------------------------------------
# fixture builders


def make_docx(path: Path, *, title: str | None = "两江新区招商报告", core_title: str = "") -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = core_title
    if title is not None:
        d.add_heading(title, level=0)
    d.add_paragraph("一季度新签约项目276个。")
    table = d.add_table(rows=3, cols=3)
    rows = [("项目", "金额", "地区"), ("智能制造基地", "50亿元", "江宁"), ("新能源电池", "12亿元", "肇庆")]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("以上项目均已开工。")
    d.save(path)
    return path


def make_pdf(objects: list[bytes], *, info: bytes | None = None) -> bytes:
    """A PDF with the given object bodies (object 1 = catalog), correct xref offsets."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    bodies = list(objects) + ([info] if info is not None else [])
    for i, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    trailer = b"<< /Size %d /Root 1 0 R" % (len(bodies) + 1)
    if info is not None:
        trailer += b" /Info %d 0 R" % len(bodies)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def ascii_pdf(*page_texts: str, title: str | None = "Test Title") -> bytes:
    """Helvetica text, one page per string (ASCII only)."""
    n = len(page_texts)
    # objects: 1 catalog, 2 pages, 3 font, then (page, content) pairs
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(page_texts):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objs.append(stream(b"BT /F1 18 Tf 72 700 Td (" + text.encode("ascii") + b") Tj ET"))
    info = b"<< /Title (" + title.encode("ascii") + b") >>" if title else None
    return make_pdf(objs, info=info)


def chinese_pdf(text: str) -> bytes:
    """A Type0/Identity-H font (not embedded) with a ToUnicode CMap: pypdf reads the
    text layer through the CMap, as with real Chinese PDFs."""
    chars = sorted(set(text))
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    bfchar = b"".join(b"<%04X> <%04X>\n" % (cid[ch], ord(ch)) for ch in chars)
    cmap = (
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + b"%d beginbfchar\n" % len(chars) + bfchar + b"endbfchar\n"
        b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )
    hexcodes = "".join("%04X" % cid[ch] for ch in text).encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        stream(b"BT /F1 18 Tf 72 700 Td <" + hexcodes + b"> Tj ET"),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 8 0 R /DW 1000 >>",
        stream(cmap),
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -120 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    return make_pdf(objs)


def pypdf_bytes(pages: int = 1, password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(612, 792)
    if password is not None:
        w.encrypt(user_password=password, algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


ARTICLE_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="{charset}">
<title>两江新区招商成绩单_重庆日报网</title>
<meta name="publishdate" content="2024-04-15">
<meta property="og:site_name" content="重庆日报网">
<style>.x {{ color: red }}</style>
<script>var tracker = "不要这段脚本";</script>
</head><body>
<header><div class="logo">重庆日报网首页</div></header>
<nav><a href="/">首页</a> <a href="/news">新闻中心</a> <a href="/biz">财经频道</a></nav>
<article>
  <h1>两江新区居综合榜第一</h1>
  <p>一季度，两江新区新签约项目
  276个，总投资1152亿元。</p>
  <p>招商引资<b>实效指数</b>居全市首位。<br>其中制造业项目占七成。</p>
  <script>document.write("也不要这段");</script>
</article>
<aside>相关阅读：东莞出台十八条招商措施</aside>
<footer>版权所有 重庆日报网</footer>
</body></html>
"""

ARTICLE_TEXT = (
    "两江新区居综合榜第一\n\n"
    "一季度，两江新区新签约项目276个，总投资1152亿元。\n\n"
    "招商引资实效指数居全市首位。\n其中制造业项目占七成。"
)


# ---------------------------------------------------------------------------
# interface


def test_supported_suffixes():
    assert SUPPORTED == (".txt", ".docx", ".pdf", ".html", ".htm")


def test_raw_document_is_frozen_and_hashable(tmp_path):
    doc = read_document(write(tmp_path, "a.txt", "招商引资"))
    assert isinstance(doc, RawDocument)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]
    hash(doc)


def test_path_is_kept_as_given_str_or_pathlike(tmp_path):
    p = write(tmp_path, "a.txt", "招商引资")
    assert read_document(p).path == str(p)
    assert read_document(str(p)).path == str(p)


def test_read_error_is_an_exception_with_reason():
    err = ReadError("empty file")
    assert isinstance(err, Exception)
    assert str(err) == "empty file"


# ---------------------------------------------------------------------------
# txt: encodings


@pytest.mark.parametrize("name", ALL_SEEDS)
def test_utf8_seed_reads_back_exactly(name):
    doc = read_document(SEEDS / name)
    assert doc.text == seed(name)
    assert doc.format == "txt"
    assert doc.encoding == "utf-8"
    assert doc.title is None


@pytest.mark.parametrize("name", ["000_32c011ca81334cc8.txt", TRADITIONAL_SEED])
def test_utf8_bom(tmp_path, name):
    doc = read_document(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + seed(name).encode("utf-8")))
    assert doc.text == seed(name)
    assert doc.encoding == "utf-8-sig"
    assert not doc.text.startswith("\ufeff")


@pytest.mark.parametrize("name", SIMPLIFIED_SEEDS)
def test_gb18030_seed(tmp_path, name):
    original = seed(name)
    doc = read_document(write(tmp_path, "gb.txt", original.encode("gb18030")))
    assert doc.text == original
    assert doc.encoding == "gb18030"


@pytest.mark.parametrize("name", ["000_32c011ca81334cc8.txt", "004_337bac2747934923.txt"])
def test_gbk_seed(tmp_path, name):
    original = seed(name)
    text, enc = read_txt_bytes(original.encode("gbk", errors="strict"))
    assert text == original
    assert enc == "gb18030"  # GB18030 is a superset of GBK


def test_big5_passage_of_traditional_seed():
    original = big5_passage()
    assert len(original) > 1000
    text, enc = read_txt_bytes(original.encode("big5", errors="strict"))
    assert text == original
    assert enc == "big5"


def test_big5_whole_traditional_seed_with_variant_replaced():
    # '産' (U+7523) is not in Big5; '產' (U+7522) is
    original = seed(TRADITIONAL_SEED).replace("\u7523", "\u7522")
    text, enc = read_txt_bytes(original.encode("big5"))
    assert text == original
    assert enc == "big5"


def test_big5_file_via_read_document(tmp_path):
    original = big5_passage()
    doc = read_document(write(tmp_path, "b5.txt", original.encode("big5")))
    assert doc.text == original
    assert doc.encoding == "big5"


def test_gbk_bytes_that_also_decode_as_big5_are_not_garbled():
    # find a GBK passage that is *also* valid Big5, then make sure GBK wins
    original = seed("001_0969cefc7d53b824.txt")
    found = None
    for start in range(0, len(original) - 40, 7):
        passage = original[start:start + 40]
        data = passage.encode("gbk")
        try:
            data.decode("big5")
        except UnicodeDecodeError:
            continue
        if not data.isascii():
            found = passage
            break
    assert found is not None, "precondition: some GBK passage decodes as Big5"
    text, enc = read_txt_bytes(found.encode("gbk"))
    assert text == found
    assert enc == "gb18030"


@pytest.mark.parametrize("length", [8, 30, 200])
def test_big5_bytes_are_not_returned_as_gb18030_garble(length):
    # Big5 bytes always decode "successfully" as GB18030, into rare characters
    original = big5_passage()
    for start in range(0, len(original) - length, max(1, len(original) // 25)):
        passage = original[start:start + length]
        data = passage.encode("big5")
        if data.isascii() or not passage.strip():
            continue
        data.decode("gb18030")  # precondition: cross-decoding does not fail
        text, enc = read_txt_bytes(data)
        assert text == passage, (passage, enc)
        assert enc == "big5"


@pytest.mark.parametrize("length", [8, 30, 200])
def test_gbk_passages_are_not_read_as_big5(length):
    original = seed("004_337bac2747934923.txt")
    for start in range(0, len(original) - length, max(1, len(original) // 25)):
        passage = original[start:start + length]
        data = passage.encode("gbk")
        if data.isascii() or not passage.strip():
            continue
        text, _ = read_txt_bytes(data)
        assert text == passage


def test_traditional_text_in_gb18030_is_gb18030():
    # GB18030 covers traditional characters too; must not be mistaken for Big5
    original = seed(TRADITIONAL_SEED)
    text, enc = read_txt_bytes(original.encode("gb18030"))
    assert text == original
    assert enc == "gb18030"


def test_utf16_with_bom():
    original = seed("004_337bac2747934923.txt")
    text, enc = read_txt_bytes(original.encode("utf-16"))
    assert text == original
    assert enc == "utf-16"


def test_utf8_cut_inside_last_character_is_accepted():
    data = "招商引资项目".encode()[:-1]
    text, enc = read_txt_bytes(data)
    assert text == "招商引资项"
    assert enc == "utf-8"


def test_read_txt_bytes_returns_text_and_encoding():
    assert read_txt_bytes("签约项目".encode()) == ("签约项目", "utf-8")
    assert read_txt_bytes(b"plain ascii") == ("plain ascii", "utf-8")


# ---------------------------------------------------------------------------
# txt: normalisation


def test_crlf_and_cr_become_lf():
    text, _ = read_txt_bytes("第一行\r\n第二行\r第三行\n".encode())
    assert text == "第一行\n第二行\n第三行\n"


def test_crlf_in_gb18030():
    text, _ = read_txt_bytes("新签约项目\r\n总投资1152亿元\r\n".encode("gb18030"))
    assert text == "新签约项目\n总投资1152亿元\n"


def test_nfc():
    text, _ = read_txt_bytes("Cafe\u0301 \uf900".encode("utf-8"))
    assert text == "Caf\u00e9 \u8c48"


def test_other_characters_unchanged():
    s = "\n\n  前导空白\t制表符　全角空格，全角标点！ＡＢＣ１２３\n\n"
    assert read_txt_bytes(s.encode("utf-8"))[0] == s


# ---------------------------------------------------------------------------
# txt: failures


def test_empty_file(tmp_path):
    assert reason(write(tmp_path, "e.txt", b"")) == "empty file"


@pytest.mark.parametrize("data", [b"   \n\t\r\n ", "\u3000\u3000\n".encode("utf-8"), b"\xef\xbb\xbf",
                                  b"\xef\xbb\xbf  \n"])
def test_whitespace_only_is_empty(data):
    assert txt_reason(data) == "empty file"


def test_random_binary(tmp_path):
    data = random.Random(0).randbytes(4096)
    assert reason(write(tmp_path, "r.txt", data)) == "binary file, not text"


def test_nul_byte_is_binary():
    assert txt_reason("招商引资".encode() + b"\x00" + "项目".encode()) == (
        "binary file, not text"
    )


def test_control_bytes_are_binary():
    data = bytes(random.Random(1).choice(b"\x01\x02\x03\x04\x05\x06\x0e\x10abc") for _ in range(500))
    assert txt_reason(data) == "binary file, not text"


def test_utf16_without_bom_is_binary():
    assert txt_reason("招商 investment".encode("utf-16-le")) == "binary file, not text"


def test_random_high_bytes_are_undecodable():
    rng = random.Random(0)
    data = bytes(0x80 | b for b in rng.randbytes(3000))
    assert txt_reason(data) == "undecodable text: not UTF-8, GB18030 or Big5"


def test_valid_gb18030_but_implausible_is_undecodable():
    # GBK/3 and GBK/4 rare characters: decodes strictly, reads as nonsense
    rng = random.Random(0)
    data = b"".join(bytes([rng.randrange(0x81, 0xA0), rng.randrange(0x40, 0x7F)]) for _ in range(300))
    data.decode("gb18030")
    assert txt_reason(data).startswith("undecodable text")


def test_latin1_is_undecodable_not_garbled():
    data = "Café résumé naïve façade à la carte".encode("latin-1")
    assert txt_reason(data).startswith("undecodable text")


def test_mostly_utf8_with_stray_byte_names_the_offset():
    text = seed("001_0969cefc7d53b824.txt")
    at = len(text[:100].encode("utf-8"))
    data = text[:100].encode("utf-8") + b"\xff" + text[100:].encode("utf-8")
    assert txt_reason(data) == (
        f"undecodable text: invalid UTF-8 at byte {at} (and not GB18030 or Big5 either)"
    )


def test_bom_but_invalid_utf8():
    assert txt_reason(b"\xef\xbb\xbf" + "招商".encode("gbk")) == (
        "undecodable text: UTF-8 BOM but not valid UTF-8"
    )


# ---------------------------------------------------------------------------
# docx


def test_docx_paragraphs_and_table_in_order(tmp_path):
    doc = read_document(make_docx(tmp_path / "r.docx"))
    assert doc.format == "docx"
    assert doc.encoding is None
    assert doc.text == (
        "两江新区招商报告\n"
        "一季度新签约项目276个。\n"
        "项目\t金额\t地区\n"
        "智能制造基地\t50亿元\t江宁\n"
        "新能源电池\t12亿元\t肇庆\n"
        "以上项目均已开工。"
    )
    assert doc.title == "两江新区招商报告"
    assert doc.meta["tables"] == 1
    assert doc.meta["paragraphs"] == 3


def test_docx_heading_is_title(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("正文之前的一段。")
    d.add_heading("招商引资工作总结", level=1)
    d.add_paragraph("正文。")
    d.save(tmp_path / "h.docx")
    assert read_document(tmp_path / "h.docx").title == "招商引资工作总结"


def test_docx_core_title_when_no_heading(tmp_path):
    doc = read_document(make_docx(tmp_path / "c.docx", title=None, core_title="核心标题"))
    assert doc.title == "核心标题"
    assert doc.text.startswith("一季度新签约项目276个。")


def test_docx_no_title(tmp_path):
    assert read_document(make_docx(tmp_path / "n.docx", title=None)).title is None


def test_docx_merged_cells_not_duplicated(tmp_path):
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "合并标题"
    for c, v in enumerate(["甲", "乙", "丙"]):
        t.cell(1, c).text = v
    d.save(tmp_path / "m.docx")
    assert read_document(tmp_path / "m.docx").text == "合并标题\n甲\t乙\t丙"


def test_docx_line_break_and_crlf(tmp_path):
    import docx

    d = docx.Document()
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行")
    d.save(tmp_path / "br.docx")
    assert read_document(tmp_path / "br.docx").text == "第一行\n第二行"


def test_docx_truncated(tmp_path):
    data = make_docx(tmp_path / "ok.docx").read_bytes()
    p = write(tmp_path, "t.docx", data[: len(data) // 2])
    assert reason(p) == "not a valid .docx (truncated or corrupt zip)"


def test_docx_that_is_text(tmp_path):
    p = write(tmp_path, "fake.docx", "这其实是一个文本文件。")
    assert reason(p) == "not a valid .docx (not a zip file)"


def test_docx_that_is_legacy_doc(tmp_path):
    p = write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert reason(p).startswith("not a valid .docx (legacy .doc")


def test_docx_zip_but_not_word(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert reason(write(tmp_path, "z.docx", buf.getvalue())) == (
        "not a valid .docx (zip file but not a Word document)"
    )


def test_docx_with_broken_xml(tmp_path):
    src = zipfile.ZipFile(make_docx(tmp_path / "ok.docx"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            zf.writestr(item, data)
    assert reason(write(tmp_path, "x.docx", buf.getvalue())).startswith("not a valid .docx")


def test_docx_without_text(tmp_path):
    import docx

    docx.Document().save(tmp_path / "blank.docx")
    assert reason(tmp_path / "blank.docx") == "no text in document"


# ---------------------------------------------------------------------------
# pdf


def test_pdf_text_layer(tmp_path):
    doc = read_document(write(tmp_path, "a.pdf", ascii_pdf("Investment 123 million")))
    assert doc.format == "pdf"
    assert doc.encoding is None
    assert doc.text == "Investment 123 million"
    assert doc.title == "Test Title"
    assert doc.meta["pages"] == 1


def test_pdf_pages_joined_by_blank_line(tmp_path):
    doc = read_document(write(tmp_path, "b.pdf", ascii_pdf("Page one", "Page two", title=None)))
    assert doc.text == "Page one\n\nPage two"
    assert doc.title is None
    assert doc.meta["pages"] == 2


def test_pdf_chinese_text_layer(tmp_path):
    text = "招商引资项目签约总投资50亿元"
    doc = read_document(write(tmp_path, "zh.pdf", chinese_pdf(text)))
    assert doc.text == text


def test_pdf_fake(tmp_path):
    assert reason(write(tmp_path, "f.pdf", "这不是PDF")) == "not a valid PDF (no %PDF header)"


def test_pdf_header_then_garbage(tmp_path):
    data = b"%PDF-1.4\n" + random.Random(3).randbytes(2000)
    assert reason(write(tmp_path, "g.pdf", data)).startswith("not a valid PDF")


def test_pdf_truncated(tmp_path):
    data = ascii_pdf("Investment 123 million")
    r = reason(write(tmp_path, "t.pdf", data[:60]))
    assert r.startswith("not a valid PDF") or r.startswith("PDF has no")


def test_pdf_blank_page_has_no_text_layer(tmp_path):
    assert reason(write(tmp_path, "blank.pdf", pypdf_bytes(1))) == "PDF has no text layer (scanned?)"


def test_pdf_zero_pages(tmp_path):
    assert reason(write(tmp_path, "zero.pdf", pypdf_bytes(0))) == "PDF has no pages"


def test_pdf_encrypted(tmp_path):
    assert reason(write(tmp_path, "enc.pdf", pypdf_bytes(1, password="secret"))) == (
        "PDF is encrypted (password required)"
    )


# ---------------------------------------------------------------------------
# html


def test_html_article_only_and_title(tmp_path):
    doc = read_document(write(tmp_path, "a.html", ARTICLE_HTML.format(charset="utf-8")))
    assert doc.format == "html"
    assert doc.encoding == "utf-8"
    assert doc.text == ARTICLE_TEXT
    assert doc.title == "两江新区招商成绩单_重庆日报网"
    assert doc.meta["date"] == "2024-04-15"
    assert doc.meta["outlet"] == "重庆日报网"
    assert doc.meta["lang"] == "zh-CN"


@pytest.mark.parametrize("junk", ["不要这段脚本", "也不要这段", "首页", "新闻中心", "相关阅读", "版权所有", "color"])
def test_html_boilerplate_removed(tmp_path, junk):
    doc = read_document(write(tmp_path, "a.htm", ARTICLE_HTML.format(charset="utf-8")))
    assert junk not in doc.text


@pytest.mark.parametrize("charset", ["gbk", "gb2312", "GB18030"])
def test_html_gbk_with_meta_charset(tmp_path, charset):
    data = ARTICLE_HTML.format(charset=charset).encode("gbk")
    doc = read_document(write(tmp_path, "g.html", data))
    assert doc.text == ARTICLE_TEXT
    assert doc.encoding == "gb18030"
    assert doc.title == "两江新区招商成绩单_重庆日报网"


def test_html_http_equiv_charset(tmp_path):
    html = ARTICLE_HTML.format(charset="x").replace(
        '<meta charset="x">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    )
    doc = read_document(write(tmp_path, "h.html", html.encode("gbk")))
    assert doc.text == ARTICLE_TEXT
    assert doc.encoding == "gb18030"


def test_html_wrong_charset_label_is_detected(tmp_path):
    # labelled utf-8 but saved as GBK
    doc = read_document(write(tmp_path, "w.html", ARTICLE_HTML.format(charset="utf-8").encode("gbk")))
    assert doc.text == ARTICLE_TEXT
    assert doc.encoding == "gb18030"


def test_html_latin1_label_on_gbk_page(tmp_path):
    doc = read_document(write(tmp_path, "l.html", ARTICLE_HTML.format(charset="iso-8859-1").encode("gbk")))
    assert doc.text == ARTICLE_TEXT


def test_html_big5_without_label(tmp_path):
    body = big5_passage().split("\n")
    paras = [p for p in body if p.strip()]
    html = "<html><head><title>重慶招商</title></head><body>" + "".join(
        f"<p>{p}</p>" for p in paras
    ) + "</body></html>"
    doc = read_document(write(tmp_path, "b.html", html.encode("big5")))
    assert doc.encoding == "big5"
    assert doc.title == "重慶招商"
    assert doc.text == "\n\n".join(paras)


def test_html_main_text_without_article(tmp_path):
    html = """<html><head><title>T</title></head><body>
    <div class="menu"><a href="/1">首页导航链接</a><a href="/2">政务公开栏目</a><a href="/3">互动交流平台</a></div>
    <div class="links"><ul><li><a href="/a">东莞出台十八条招商措施推动发展</a></li>
        <li><a href="/b">上海的区政府是如何招商的呢</a></li></ul></div>
    <div id="content"><div class="TRS_Editor">
      <p>江宁高新区签约亿元以上项目66个。</p>
      <p>总额达378.6亿元，完成进度94.3%。</p>
    </div></div>
    <div class="copyright">主办单位：某某市人民政府办公室</div>
    </body></html>"""
    doc = read_document(write(tmp_path, "c.html", html))
    assert doc.text == "江宁高新区签约亿元以上项目66个。\n\n总额达378.6亿元，完成进度94.3%。"


def test_html_gov_style_meta(tmp_path):
    html = """<html><head><meta name="PubDate" content="2023-05-10 09:55">
    <meta name="SiteName" content="重庆市人民政府网"><meta name="ContentSource" content="重庆日报">
    </head><body><p>重庆百日招商成绩亮眼。</p></body></html>"""
    doc = read_document(write(tmp_path, "g.html", html))
    assert doc.meta["date"] == "2023-05-10 09:55"
    assert doc.meta["outlet"] == "重庆市人民政府网"
    assert doc.title is None


def test_html_h1_when_no_title(tmp_path):
    html = "<html><body><h1>招商大会召开</h1><p>会议签约项目二十个。</p></body></html>"
    doc = read_document(write(tmp_path, "h1.html", html))
    assert doc.title == "招商大会召开"
    assert doc.text == "招商大会召开\n\n会议签约项目二十个。"


def test_html_table_rows_and_cells(tmp_path):
    html = """<html><body><p>签约项目如下：</p><table>
    <tr><th>项目</th><th>金额</th></tr>
    <tr><td>智能制造基地</td><td><p>50亿元</p></td></tr>
    </table></body></html>"""
    doc = read_document(write(tmp_path, "t.html", html))
    assert doc.text == "签约项目如下：\n\n项目\t金额\n\n智能制造基地\t50亿元"


def test_html_pre_keeps_whitespace(tmp_path):
    html = "<html><body><p>代码：</p><pre>a  b\n  c</pre></body></html>"
    assert read_document(write(tmp_path, "p.html", html)).text == "代码：\n\na  b\n  c"


def test_html_comments_and_hidden_are_skipped(tmp_path):
    html = """<html><body><!-- 注释不要 --><p>正文内容在这里。</p>
    <div style="display:none">隐藏内容不要</div><p hidden>也隐藏</p></body></html>"""
    assert read_document(write(tmp_path, "c.html", html)).text == "正文内容在这里。"


def test_html_without_text(tmp_path):
    html = "<html><head><title>空</title><script>var a = '字';</script></head><body> </body></html>"
    assert reason(write(tmp_path, "e.html", html)) == "no text in document"


def test_html_binary(tmp_path):
    assert reason(write(tmp_path, "b.html", random.Random(0).randbytes(1000))) == "binary file, not text"


# ---------------------------------------------------------------------------
# dispatch and robustness


@pytest.mark.parametrize("name,expected", [
    ("a.xyz", "unsupported file type .xyz"),
    ("a.doc", "unsupported file type .doc"),
    ("a.tar.gz", "unsupported file type .gz"),
    ("README", "unsupported file type (no extension)"),
])
def test_unsupported_suffix(tmp_path, name, expected):
    assert reason(write(tmp_path, name, "招商")) == expected


def test_suffix_case_insensitive(tmp_path):
    assert read_document(write(tmp_path, "A.TXT", "招商")).text == "招商"
    assert read_document(write(tmp_path, "B.HTM", "<p>招商</p>")).format == "html"


def test_missing_file(tmp_path):
    assert reason(tmp_path / "nope.txt") == "file not found"


def test_directory(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    assert reason(tmp_path / "dir.txt").startswith("not a file")


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".html", ".txt"])
def test_empty_file_any_format(tmp_path, suffix):
    assert reason(write(tmp_path, "e" + suffix, b"")) == "empty file"


def _junk_payloads(tmp_path: Path) -> list[bytes]:
    rng = random.Random(42)
    docx_bytes = make_docx(tmp_path / "src.docx").read_bytes()
    pdf_bytes = ascii_pdf("Investment 123 million")
    payloads = [rng.randbytes(n) for n in (1, 7, 100, 5000)]
    payloads += [docx_bytes[:n] for n in (4, 30, 500, len(docx_bytes) - 10)]
    payloads += [pdf_bytes[:n] for n in (5, 9, 100, len(pdf_bytes) - 20)]
    payloads += [b"PK\x03\x04" + rng.randbytes(300), b"%PDF-" + rng.randbytes(300),
                 b"<html>\x00</html>", b"\xff\xfe\x00", b"\xfe\xff\xd8"]
    return payloads


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf", ".html"])
def test_junk_raises_only_read_error_and_prints_nothing(tmp_path, capfd, suffix):
    for i, data in enumerate(_junk_payloads(tmp_path)):
        p = write(tmp_path, f"junk{i}{suffix}", data)
        try:
            doc = read_document(p)
        except ReadError as e:
            assert str(e)  # a reason, never blank
        else:
            assert isinstance(doc, RawDocument) and doc.text.strip()
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_read_error_chains_the_original(tmp_path):
    with pytest.raises(ReadError) as info:
        read_document(write(tmp_path, "t.docx", b"PK\x03\x04 truncated"))
    assert info.value.__cause__ is not None


def test_html_blocks_named_nav_sidebar_or_footer_are_dropped(tmp_path):
    page = ("<html><head><meta charset='utf-8'><title>t</title></head><body>"
            "<div class='nav'><ul><li><a href='/'>首页</a></li><li><a href='/z'>招商引资</a></li></ul></div>"
            "<div class='sidebar'><h3>热点排行</h3><ul><li><a href='/1'>新区2023年签约项目156个</a></li></ul></div>"
            "<div class='article'><h1>新区前三季度签约项目112个</h1>"
            "<p>今年前三季度，新区共签约招商引资项目112个，签约总额812.4亿元，同比增长21.6%。</p></div>"
            "<div id='footer'><p>吉ICP备05001234号-1　您是第1286543位访客</p></div></body></html>")
    p = tmp_path / "page.html"
    p.write_text(page, encoding="utf-8")
    text = read_document(p).text
    assert "812.4亿元" in text and "新区前三季度签约项目112个" in text
    assert "156个" not in text and "首页" not in text and "ICP" not in text


def test_html_cost_is_linear_in_nesting(tmp_path):
    """A page of deeply nested divs (issue 11: 10,000 took 20 s): counted in Python calls, the
    work for twice the nesting is about twice, not four times."""
    def page(n: int) -> Path:
        p = tmp_path / f"n{n}.html"
        p.write_text("<html><body>" + "<div class='c'>" * n + "<p>重庆市签约金额100亿元。</p>" + "</div>" * n
                     + "</body></html>", encoding="utf-8")
        return p

    small, big = page(1000), page(2000)
    assert read_document(small).text == "重庆市签约金额100亿元。"
    a, b = count_calls(lambda: read_document(small)), count_calls(lambda: read_document(big))
    assert b / a < 2.4, (a, b)


def test_html_metadata_from_structured_data(tmp_path):
    """Date and site name that only JSON-LD carries (no meta tags) come through trafilatura;
    the page title loses the site's suffix."""
    html = """<html><head><title>东莞招商签约 - 东莞时间网</title>
    <script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
    "headline": "东莞招商签约", "datePublished": "2024-05-10T08:00:00+08:00",
    "publisher": {"@type": "Organization", "name": "东莞时间网"}}</script>
    </head><body><article><h1>东莞招商签约</h1><p>东莞市一季度签约项目120个。</p></article></body></html>"""
    doc = read_document(write(tmp_path, "ld.html", html))
    assert doc.title == "东莞招商签约"
    assert doc.meta["date"] == "2024-05-10" and doc.meta["outlet"] == "东莞时间网"
    assert doc.text == "东莞招商签约\n\n东莞市一季度签约项目120个。"


def test_html_genre_page_title_without_site_suffix():
    from tests.conftest import ROOT

    doc = read_document(ROOT / "tests" / "genre" / "docs" / "blind3_changchun_newarea_page.html")
    assert doc.title == "长春新区前三季度签约项目112个 签约额突破800亿元"
    assert doc.text.startswith("长春新区前三季度签约项目112个 签约额突破800亿元\n\n发布时间：2024-10-21")
