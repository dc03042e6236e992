"""The CLI end to end: bad files are reported and skipped, the rest loads, encodings agree."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

SEED_UTF8 = "004_337bac2747934923"  # simplified
SEED_TRAD = "002_46f560f447c43a67"  # traditional


def run(*args, cwd=ROOT):
    p = subprocess.run([sys.executable, "-m", "etl", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("batch")
    (d / f"{SEED_UTF8}.txt").write_text((SEEDS / f"{SEED_UTF8}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (d / "copy_gbk.txt").write_bytes((SEEDS / f"{SEED_UTF8}.txt").read_text(encoding="utf-8").encode("gb18030"))
    trad = (SEEDS / f"{SEED_TRAD}.txt").read_text(encoding="utf-8")
    (d / f"{SEED_TRAD}.txt").write_text(trad, encoding="utf-8")
    (d / "copy_big5.txt").write_bytes(trad.replace("産", "產").encode("big5"))
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(random.Random(0).randbytes(4096))
    (d / "truncated.docx").write_bytes(b"PK\x03\x04" + random.Random(1).randbytes(300))
    (d / "fake.pdf").write_text("这不是PDF文件，只是文本。", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def loaded(batch, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "facts.duckdb"
    code, out, err = run("ingest", str(batch), "--db", str(db))
    return db, code, out, err


def test_partial_batch_exit_code(loaded):
    assert loaded[1] == 2


@pytest.mark.parametrize("name,reason", [("empty.txt", "empty"), ("binary.txt", "binary"),
                                         ("truncated.docx", "docx"), ("fake.pdf", "PDF")])
def test_each_bad_file_named_with_reason(loaded, name, reason):
    err = loaded[3]
    line = next((x for x in err.splitlines() if name in x), "")
    assert reason in line


def test_no_traceback(loaded):
    assert "Traceback" not in loaded[2] + loaded[3]


def test_good_files_loaded(loaded):
    assert "documents: 4 in database" in loaded[2]


def export(db, *extra):
    code, out, _ = run("export", "--db", str(db), *extra)
    assert code == 0
    return [json.loads(x) for x in out.splitlines()]


def _figures(rows, doc):
    return sorted((r["metric"], r["value"], r["currency"], r["region"], r["is_target"]) for r in rows
                  if r["doc"] == doc and r["kind"] == "figure")


def test_gbk_copy_same_figures(loaded):
    rows = export(loaded[0])
    assert _figures(rows, "copy_gbk") == _figures(rows, SEED_UTF8) != []


def test_big5_copy_same_figures(loaded):
    rows = export(loaded[0])
    assert _figures(rows, "copy_big5") == _figures(rows, SEED_TRAD) != []


def test_export_kind_filter(loaded):
    rows = export(loaded[0], "--kind", "duration")
    assert rows and {r["kind"] for r in rows} == {"duration"}


def test_reingest_unchanged_is_skipped(batch, tmp_path):
    db = tmp_path / "f.duckdb"
    run("ingest", str(batch), "--db", str(db))
    first = os.path.realpath(db)
    code, out, _ = run("ingest", str(batch), "--db", str(db))
    assert "unchanged" in out and "4 unchanged skipped" in out
    assert os.path.realpath(db) == first


def test_reader_of_old_version_unaffected_by_swap(batch, tmp_path):
    import duckdb

    db = tmp_path / "f.duckdb"
    run("ingest", str(batch / f"{SEED_UTF8}.txt"), "--db", str(db))
    old = duckdb.connect(os.path.realpath(db), read_only=True)
    n_old = old.execute("SELECT count(*) FROM documents").fetchone()[0]
    code, _, _ = run("ingest", str(batch / f"{SEED_TRAD}.txt"), "--db", str(db))
    assert code == 0
    assert old.execute("SELECT count(*) FROM documents").fetchone()[0] == n_old == 1
    old.close()
    new = duckdb.connect(os.path.realpath(db), read_only=True)
    assert new.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    new.close()
    assert db.is_symlink()


def test_missing_path_reported(tmp_path):
    code, _, err = run("ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "x.duckdb"))
    # nothing at all loaded: an error (1), not "partial" (2)
    assert code == 1 and "no such file" in err and "Traceback" not in err


def test_export_without_database(tmp_path):
    code, _, err = run("export", "--db", str(tmp_path / "none.duckdb"))
    assert code == 1 and "no database" in err


def test_evaluate_prints_scores(loaded, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": SEED_UTF8, "kind": "figure", "region": "江宁高新区", "metric": "signed_projects",
                                "value": 66, "currency": None, "is_target": False}, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, _ = run("evaluate", "--gold", str(gold), "--db", str(loaded[0]))
    assert code == 0 and "figure" in out and "R=1.000" in out


def test_check_command_passes(loaded):
    code, out, _ = run("check", "--db", str(loaded[0]))
    assert code == 0 and "all checks passed" in out


def test_rule_change_reextracts(batch, tmp_path, monkeypatch):
    from etl import ingest as ing

    db = tmp_path / "f.duckdb"
    ing.ingest([str(batch / f"{SEED_UTF8}.txt")], db)
    monkeypatch.setattr(ing, "EXTRACTOR_VERSION", "changed-rules")
    res = ing.ingest([str(batch / f"{SEED_UTF8}.txt")], db)
    assert res.docs_new == 1 and not res.unchanged
