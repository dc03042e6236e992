"""Property-based tests (hypothesis): readers, normalisation and extraction never crash on any
input, offsets always fall inside the document, evidence is always the verbatim slice."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl.document import DocInfo
from etl.pipeline import extract_document
from etl.readers import SUPPORTED, RawDocument, ReadError, read_document, read_txt_bytes
from etl.textnorm import normalize

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# pieces of the genre, so generated text often triggers the extractors
FRAGMENTS = [
    "江宁区", "重庆市", "两江新区", "东莞", "深圳", "高新区", "签约", "项目", "总投资", "签约金额", "资金到位",
    "亿元", "万元", "亿美元", "个", "家", "亩", "天", "个月", "工作日", "从签约到开工", "由原来的", "压缩至",
    "缩短", "专班", "以商招商", "产业链招商", "并联审批", "2023年", "前8月", "一季度", "同比增长", "%", "力争",
    "目标", "其中", "。", "，", "；", "\n", "\n\n", " ", "\u3000", "（", "）", "“", "”", "12", "3.5", "66",
    "1,200", "１２", "三十", "百", "個", "產業", "億元", "zhǎng", "(gè)", "<script>", "![x](http://a/b.png)",
]
genre_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=60).map("".join)


# --------------------------------------------------------------------------- readers


@SETTINGS
@given(st.binary(max_size=4096))
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe\x00")
@example(b"\x00" * 10)
def test_txt_decoding_never_crashes(data):
    try:
        text, enc = read_txt_bytes(data)
    except ReadError as e:
        assert str(e)
        return
    assert text.strip() and "\r" not in text and "\x00" not in text and enc


@SETTINGS
@given(st.text(min_size=1, max_size=300).filter(lambda s: s.strip()), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_txt_roundtrip_or_clear_refusal(text, enc):
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        return
    try:
        out, _ = read_txt_bytes(data)
    except ReadError:
        return  # e.g. control characters read as binary: refused, never garbled silently
    assert out.strip()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


files = st.one_of(
    st.binary(max_size=2048),
    st.binary(max_size=512).map(lambda b: b"%PDF-1.4\n" + b),
    st.binary(max_size=512).map(lambda b: b"PK\x03\x04" + b),
    st.dictionaries(st.sampled_from(["[Content_Types].xml", "word/document.xml", "_rels/.rels", "x"]),
                    st.binary(max_size=200), max_size=4).map(_zip),
    st.text(max_size=300).map(lambda s: f"<html><body><p>{s}</p></body></html>".encode()),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files, st.sampled_from(SUPPORTED))
def test_any_file_is_read_or_refused_with_a_reason(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "doc" + suffix)
        with open(path, "wb") as f:
            f.write(data)
        try:
            doc = read_document(path)
        except ReadError as e:
            assert str(e)
            return
    assert isinstance(doc, RawDocument) and doc.text.strip() and "\r" not in doc.text


# --------------------------------------------------------------------------- normalisation


@SETTINGS
@given(genre_text)
def test_normalised_offsets_map_inside_the_original(text):
    nt = normalize(text)
    prev = 0
    for i in range(len(nt.text) + 1):
        o = nt.orig_index(i)
        assert prev <= o <= len(text)
        prev = o
    for i in range(len(nt.text)):
        a, b = nt.orig_span(i, i + 1)
        assert 0 <= a < b <= len(text)


@SETTINGS
@given(genre_text)
def test_normalisation_only_maps_or_deletes(text):
    nt = normalize(text)
    assert len(nt.text) <= len(text)
    assert nt.orig_slice(0, len(nt.text)) in text


# --------------------------------------------------------------------------- extraction


@SETTINGS
@given(genre_text)
@example("江宁区今年前8月签约项目总额达378.6亿元，从签约到开工由原来的180天压缩至90天，组建专班。")
@example("<script>alert(1)</script>江宁区签约10亿元。![x](http://a/b.png)")
def test_extraction_never_crashes_and_evidence_is_verbatim(text):
    _, facts = extract_document(text, DocInfo("doc"))
    for f in facts:
        assert 0 <= f.char_start <= f.char_end <= len(text)
        assert text[f.char_start:f.char_end] == f.evidence
        assert 0 <= f.sentence_start <= f.sentence_end <= len(text)
        assert f.kind in ("figure", "duration", "mechanism")
