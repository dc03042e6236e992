"""Uploads: safe names, limits, a batch of bad files next to good ones, content-addressed
originals, commit on top of the current version, idempotent re-upload."""

from __future__ import annotations

import hashlib
import io
import os
import random
import zipfile
from pathlib import Path

import pytest

from etl import uploads
from etl.limits import MB, Limits, limits, to_env
from tests.conftest import SEEDS

SEED = "004_337bac2747934923"


def docx_bytes(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """A .docx-shaped zip whose document.xml unpacks to `unpacked` bytes of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * unpacked)
    return buf.getvalue()


def pdf_bytes(pages: int) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(200, 200)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


SEED_TEXT = (SEEDS / f"{SEED}.txt").read_text(encoding="utf-8")
LIM = Limits(max_file_bytes=1 * MB, max_files=20, max_docx_bytes=2 * MB, max_pdf_pages=2, extract_timeout_s=60)
BAD = {  # name -> (bytes, expected start of the reason)
    "empty.txt": (b"", "empty file"),
    "binary.txt": (random.Random(0).randbytes(4096), "binary file"),
    "latin1.txt": (b"caf\xe9 au lait, cr\xe8me br\xfbl\xe9e. " * 20, "undecodable text"),
    "truncated.docx": (docx_bytes(SEED_TEXT)[:3000], "not a valid .docx (truncated"),
    "bomb.docx": (zip_bomb(8 * MB), "not a valid .docx (zip bomb"),
    "fake.pdf": ("这不是PDF文件，只是文本。".encode(), "not a valid PDF (no %PDF"),
    "zero.pdf": (pdf_bytes(0), "PDF has no pages"),
    "long.pdf": (pdf_bytes(3), "PDF has too many pages"),
    "big.txt": (b"a" * (MB + 1), "file too large"),
    "script.exe": (b"MZ\x90\x00", "unsupported file type"),
}
GOOD = {
    "新闻.txt": SEED_TEXT.encode("utf-8"),
    "新闻_gbk.txt": SEED_TEXT.encode("gb18030"),
    "新闻.docx": docx_bytes(SEED_TEXT),
    "page.html": f"<html><head><title>新闻</title></head><body><p>{SEED_TEXT}</p></body></html>".encode(),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("up") / "facts.duckdb"


@pytest.fixture(scope="module")
def previews(db):
    batch = [*((n, b) for n, (b, _) in BAD.items()), *GOOD.items()]
    seen = []
    out = uploads.preview(batch, db, LIM, on_progress=lambda i, n, name: seen.append((i, n)))
    return {p.name: p for p in out}, seen


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("raw,safe", [
    ("report.txt", "report.txt"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\win.ini.TXT", "win.ini.txt"),
    ("/abs/path/报告.DOCX", "报告.docx"),
    (".hidden.txt", "hidden.txt"),
    ("a b;rm -rf *.txt", "a_b_rm_-rf.txt"),
    ("x<script>alert(1)</script>.html", "script.html"),  # '/' ends a path component
    ("x<img src=1>.html", "x_img_src_1.html"),
    ("name\x00\n.txt", "name.txt"),
    ("", "document"),
    ("..", "document"),
    ("....txt", "document.txt"),
])
def test_sanitize_name(raw, safe):
    assert uploads.sanitize_name(raw) == safe


def test_sanitized_names_are_bounded_and_plain():
    name = uploads.sanitize_name("长" * 500 + ".txt")
    assert len(name) <= uploads.MAX_NAME + 4 and "/" not in name and not name.startswith(".")


def test_equal_names_in_a_batch_are_told_apart():
    assert uploads.unique_names(["a.txt", "a.txt", "b.txt", "A.txt"]) == ["a.txt", "a-2.txt", "b.txt", "A-3.txt"]


# --------------------------------------------------------------------------- limits


def test_default_limits():
    lim = limits({})
    assert lim.max_file_bytes == 20 * MB and lim.max_files == 20 and lim.max_pdf_pages == 500


def test_limits_from_environment_and_bad_values_ignored():
    lim = limits({"ZSYZ_MAX_FILE_MB": "5", "ZSYZ_MAX_FILES": "3", "ZSYZ_MAX_PDF_PAGES": "x", "ZSYZ_EXTRACT_TIMEOUT_S": "-1"})
    assert lim.max_file_bytes == 5 * MB and lim.max_files == 3
    assert lim.max_pdf_pages == 500 and lim.extract_timeout_s == 60


def test_limits_pass_to_a_child_process_unchanged():
    lim = Limits(max_file_bytes=3 * MB + 5, max_files=4, max_docx_bytes=MB, max_pdf_pages=7, extract_timeout_s=1.5)
    assert limits(to_env(lim)) == lim


def test_batch_over_the_file_limit_refuses_the_rest():
    lim = Limits(max_files=2)
    reasons = uploads.check_batch([("a.txt", 10), ("b.txt", 10), ("c.txt", 10)], lim)
    assert reasons[:2] == [None, None] and reasons[2].startswith("too many files")


def test_default_size_limit_is_20_mb():
    assert uploads.check_file("a.txt", 20 * MB, limits({})) is None
    assert uploads.check_file("a.txt", 20 * MB + 1, limits({})).startswith("file too large")


# --------------------------------------------------------------------------- a mixed batch


@pytest.mark.parametrize("name", BAD)
def test_each_bad_file_gets_its_reason(previews, name):
    p = previews[0][uploads.sanitize_name(name)]
    assert not p.ok and p.error.startswith(BAD[name][1]), p.error


@pytest.mark.parametrize("name", GOOD)
def test_good_files_in_the_same_batch_are_extracted(previews, name):
    p = previews[0][name]
    assert p.ok, p.error
    assert sum(f["kind"] == "figure" for f in p.facts) >= 5


def test_preview_evidence_is_verbatim(previews):
    p = previews[0]["新闻.txt"]
    for f in p.facts:
        assert SEED_TEXT[f["char_start"]:f["char_end"]] == f["evidence"]


def test_preview_reports_progress(previews):
    seen = previews[1]
    n = len(BAD) + len(GOOD) - 3  # empty, too large and .exe are refused before extraction
    assert seen[0] == (0, n) and seen[-1] == (n, n)


def test_preview_writes_nothing(previews, db):
    assert not db.exists() and not uploads.uploads_dir(db).exists()


def test_extraction_timeout_kills_only_that_file(tmp_path):
    # a named pipe nobody writes to: reading it never ends (no timing involved)
    stuck, small = tmp_path / "stuck.txt", tmp_path / "small.txt"
    os.mkfifo(stuck)
    small.write_text(SEED_TEXT, encoding="utf-8")
    res = uploads.run_extract([str(stuck), str(small)], timeout_s=5.0)
    assert res[0]["error"].startswith("extraction timed out")
    assert "error" not in res[1] and res[1]["facts"]


# --------------------------------------------------------------------------- originals and commit


def test_same_bytes_same_place(tmp_path):
    a = uploads.store_original(b"abc", "x.txt", tmp_path)
    b = uploads.store_original(b"abc", "other-name.txt", tmp_path)
    assert a == b and a.read_bytes() == b"abc"
    assert a.parent.name == hashlib.sha256(b"abc").hexdigest() and a.name == "x.txt"


def test_name_clash_with_other_content_gets_hash_suffix(tmp_path):
    a = uploads.store_original(b"one", "r.txt", tmp_path)
    b = uploads.store_original(b"two", "r.txt", tmp_path)
    assert a.name == "r.txt" and b.name.startswith("r-") and b.stem != a.stem


def test_name_clash_with_loaded_document(tmp_path):
    p = uploads.store_original(b"new", f"{SEED}.txt", tmp_path, taken={SEED: "f" * 64})
    assert p.stem != SEED


def test_traversal_name_stays_inside(tmp_path):
    p = uploads.store_original(b"x", "../../../../tmp/evil.txt", tmp_path / "up")
    assert (tmp_path / "up").resolve() in p.resolve().parents


def test_commit_keeps_loaded_documents_and_is_idempotent(tmp_path):
    from etl.ingest import ingest
    from etl.store import doc_hashes

    db = tmp_path / "facts.duckdb"
    ingest([str(SEEDS / "000_32c011ca81334cc8.txt")], db)
    before = doc_hashes(db)
    stored, res = uploads.commit([("新闻.txt", GOOD["新闻.txt"])], db)
    assert res.version is not None and not res.failures
    after = doc_hashes(db)
    assert set(before) < set(after) and "新闻" in after
    assert stored[0].read_bytes() == GOOD["新闻.txt"]  # the original is kept
    version = res.version
    stored2, res2 = uploads.commit([("renamed.txt", GOOD["新闻.txt"])], db)
    assert res2.unchanged and stored2 == stored
    assert doc_hashes(db) == after
    from etl.store import current_file

    assert current_file(db) == version.resolve()


def test_preview_marks_known_bytes(tmp_path):
    db = tmp_path / "facts.duckdb"
    uploads.commit([("新闻.txt", GOOD["新闻.txt"])], db)
    (p,) = uploads.preview([("again.txt", GOOD["新闻.txt"])], db, LIM)
    assert p.ok and p.known


def test_cli_refuses_a_file_over_the_limit_and_loads_the_rest(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    (tmp_path / "big.txt").write_bytes(b"a" * (MB + 10))
    (tmp_path / "good.txt").write_text(SEED_TEXT, encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "etl", "ingest", str(tmp_path), "--db", str(tmp_path / "f.duckdb")],
                       cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "ZSYZ_MAX_FILE_MB": "1"})
    assert p.returncode == 2
    assert "big.txt: file too large (limit 1 MB)" in p.stderr and "documents: 1 in database" in p.stdout


class LazyUpload:
    """An uploaded file as Streamlit holds it: its size is known, its bytes read on demand."""

    reads = 0

    def __init__(self, data: bytes):
        self.data, self.size = data, len(data)

    def getvalue(self) -> bytes:
        LazyUpload.reads += 1
        return self.data


def test_files_past_the_batch_limit_are_never_read(tmp_path):
    LazyUpload.reads = 0
    lim = Limits(max_files=2)
    files = [(f"f{i}.txt", LazyUpload(SEED_TEXT.encode("utf-8"))) for i in range(5)]
    files.append(("huge.txt", LazyUpload(b"x" * (lim.max_file_bytes + 1))))
    out = uploads.preview(files, tmp_path / "facts.duckdb", lim)
    assert LazyUpload.reads == 2
    assert [p.ok for p in out] == [True, True, False, False, False, False]
    assert all("too many files" in p.error for p in out[2:])
