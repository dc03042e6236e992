"""Loads that never hang and never lose a document (issue 11): a killed pooled load leaves no
lock behind, a stale lock is reported, documents with equal names stay apart, --db never
replaces a user's file, links out of a folder are not followed, a file over the time limit is
skipped with the reason, and the CLI behaves at the ends of a pipe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.ingest import POOL_MIN_FILES
from tests.conftest import ROOT, SEEDS

SHORT = sorted(SEEDS.glob("*.txt"))[1:]  # the shorter seeds


def cli(*args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def write_docs(d: Path, prefix: str, n: int) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = SHORT[i % len(SHORT)].read_text(encoding="utf-8")
        (d / f"{prefix}{i:03d}.txt").write_text(f"{text}\n（{prefix}{i}）", encoding="utf-8")
    return d


def children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has ended
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def doc_ids(db: Path) -> list[str]:
    from etl.store import connect_read_only

    con = connect_read_only(db)
    try:
        return sorted(r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall())
    finally:
        con.close()


# --------------------------------------------------------------------------- the lock


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the worker pool needs two cores")
def test_sigkilled_pooled_load_releases_lock_and_next_load_completes(tmp_path):
    db = tmp_path / "facts.duckdb"
    big = write_docs(tmp_path / "big", "p", POOL_MIN_FILES + 5)
    p = subprocess.Popen([sys.executable, "-m", "etl", "ingest", str(big), "--db", str(db), "-q"], cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    end = time.monotonic() + 60
    while p.poll() is None and time.monotonic() < end and len(workers) < 2:
        workers = children(p.pid)
        time.sleep(0.01)
    assert workers, "the load ended before its worker pool started"
    time.sleep(0.3)  # the workers are extracting
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    end = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(alive(w) for w in workers), "pool workers outlived their killed parent"
    small = write_docs(tmp_path / "small", "s", 2)
    r = cli("ingest", str(small), "--db", str(db), "-q", timeout=60)
    assert r.returncode == 0, r.stderr
    assert doc_ids(db) == ["s000", "s001"]


STALE_HOLDER = r"""
import os, sys, time
sys.path.insert(0, sys.argv[2])
from etl.store import write_lock
with write_lock(sys.argv[1]):
    pid = os.fork()
    if pid == 0:  # a left-over child keeps the descriptor, its parent ends
        os.close(1)
        os.close(2)
        time.sleep(120)
        os._exit(0)
    print(pid, flush=True)
    os._exit(0)
"""


def test_stale_lock_is_reported_not_waited_on(tmp_path):
    db = tmp_path / "facts.duckdb"
    out = subprocess.run([sys.executable, "-c", STALE_HOLDER, str(db), str(ROOT)], capture_output=True, text=True,
                         timeout=60)
    orphan = int(out.stdout.split()[0])
    try:
        r = cli("ingest", str(write_docs(tmp_path / "d", "d", 1)), "--db", str(db), "-q", timeout=60)
        assert r.returncode == 1
        assert "stale lock" in r.stderr and str(orphan) in r.stderr and "Traceback" not in r.stderr
    finally:
        os.kill(orphan, signal.SIGKILL)


def test_waiting_load_says_whom_it_waits_for(tmp_path):
    from etl.store import write_lock

    db = tmp_path / "facts.duckdb"
    d = write_docs(tmp_path / "d", "d", 1)
    with write_lock(db):
        p = subprocess.Popen([sys.executable, "-m", "etl", "ingest", str(d), "--db", str(db), "-q"], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert p.poll() is None  # it waits while the holder lives
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0 and f"pid {os.getpid()}" in err


# --------------------------------------------------------------------------- identity


def test_same_name_in_two_folders_is_two_documents(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "a").mkdir(parents=True)
    (corpus / "b").mkdir()
    (corpus / "a" / "report.txt").write_text(SHORT[0].read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "b" / "report.txt").write_text(SHORT[1].read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "a" / "report.html").write_text(
        "<html><body><article><p>" + SHORT[2].read_text(encoding="utf-8").replace("\n", "</p><p>")
        + "</p></article></body></html>", encoding="utf-8")
    db = tmp_path / "facts.duckdb"
    r = cli("ingest", str(corpus), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "3 in database (3 new" in r.stdout
    ids = doc_ids(db)
    assert len(ids) == 3 and "report" in ids
    by_doc = {}
    for row in cli("export", "--db", str(db)).stdout.splitlines():
        import json

        d = json.loads(row)
        by_doc.setdefault(d["doc"], 0)
        by_doc[d["doc"]] += 1
    assert set(by_doc) == set(ids)  # every document keeps its facts, under a readable doc

    # a later load of one of them changes that one only
    before = {d: n for d, n in by_doc.items()}
    (corpus / "a" / "report.txt").write_text(SHORT[3].read_text(encoding="utf-8"), encoding="utf-8")
    r = cli("ingest", str(corpus / "a" / "report.txt"), "--db", str(db))
    assert r.returncode == 0 and "3 in database (1 new" in r.stdout, r.stdout + r.stderr
    assert doc_ids(db) == ids
    from etl.store import connect_read_only

    con = connect_read_only(db)
    paths = dict(con.execute("SELECT doc_id, path FROM documents").fetchall())
    con.close()
    b_id = next(d for d, p in paths.items() if p.endswith(os.path.join("b", "report.txt")))
    after = {}
    for row in cli("export", "--db", str(db)).stdout.splitlines():
        import json

        d = json.loads(row)["doc"]
        after[d] = after.get(d, 0) + 1
    assert after[b_id] == before[b_id]


def test_evaluation_keeps_equal_names_apart():
    from etl.evaluate import score

    fact = {"kind": "mechanism", "region": "重庆市", "province": "重庆市", "category": "task_force"}
    gold = [{"doc": "report.txt", **fact}]
    res = score(gold, [{"doc": "b/report", **fact}])["mechanism"]
    assert res["tp"] == 0 and res["fn"] == 1  # another folder's report is not this report
    assert score(gold, [{"doc": "report", **fact}])["mechanism"]["tp"] == 1


def test_doc_is_the_file_stem_when_unambiguous(seeds_db):
    assert doc_ids(seeds_db) == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_moved_file_keeps_its_document(tmp_path):
    db = tmp_path / "facts.duckdb"
    old = write_docs(tmp_path / "old", "m", 2)
    assert cli("ingest", str(old), "--db", str(db), "-q").returncode == 0
    new = tmp_path / "new"
    old.rename(new)
    r = cli("ingest", str(new), "--db", str(db))
    assert r.returncode == 0 and "2 in database" in r.stdout, r.stdout + r.stderr
    assert doc_ids(db) == ["m000", "m001"]


# --------------------------------------------------------------------------- --db and links


def test_db_refuses_to_replace_a_plain_duckdb_file(tmp_path):
    import duckdb

    db = tmp_path / "mine.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE precious AS SELECT 42 AS answer")
    con.close()
    r = cli("ingest", str(write_docs(tmp_path / "d", "d", 1)), "--db", str(db))
    assert r.returncode == 1 and "not a database pointer" in r.stderr and "Traceback" not in r.stderr
    assert not db.is_symlink()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT answer FROM precious").fetchone()[0] == 42
    con.close()


def test_db_refuses_a_link_to_elsewhere(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("keep me", encoding="utf-8")
    db = tmp_path / "facts.duckdb"
    db.symlink_to(other)
    r = cli("ingest", str(write_docs(tmp_path / "d", "d", 1)), "--db", str(db))
    assert r.returncode == 1 and "not to a version" in r.stderr
    assert os.readlink(db) == str(other) and other.read_text(encoding="utf-8") == "keep me"


def test_unsupported_files_in_a_folder_are_named(tmp_path):
    corpus = write_docs(tmp_path / "corpus", "u", 1)
    (corpus / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (corpus / "manifest.csv").write_text("doc_id,title\nu000,标题\n", encoding="utf-8")
    (corpus / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    r = cli("ingest", str(corpus), "--db", str(tmp_path / "facts.duckdb"))
    assert r.returncode == 2
    assert "old.doc: unsupported file type .doc" in r.stderr
    assert "manifest.csv" not in r.stderr and ".hidden" not in r.stderr


def test_links_out_of_the_folder_are_skipped_with_reason(tmp_path):
    corpus = write_docs(tmp_path / "corpus", "c", 1)
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("机密：重庆市签约金额999亿元。", encoding="utf-8")
    (corpus / "x.txt").symlink_to(secret)
    (corpus / "inside.txt").symlink_to(corpus / "c000.txt")  # inside the folder: the same file once
    db = tmp_path / "facts.duckdb"
    r = cli("ingest", str(corpus), "--db", str(db))
    assert r.returncode == 2
    assert "x.txt: symbolic link to a file outside" in r.stderr
    assert doc_ids(db) == ["c000"]
    from etl.store import connect_read_only

    con = connect_read_only(db)
    assert con.execute("SELECT count(*) FROM documents WHERE text LIKE '%机密%'").fetchone()[0] == 0
    con.close()


# --------------------------------------------------------------------------- time limit, exit codes, pipes


def test_file_over_the_time_limit_is_skipped_with_reason(tmp_path, monkeypatch):
    import etl.ingest as ing

    real = ing.process_file

    def slow(path, *a, **k):
        if path.name == "slow.txt":
            time.sleep(600)
        return real(path, *a, **k)

    monkeypatch.setattr(ing, "process_file", slow)
    d = write_docs(tmp_path / "d", "d", 2)
    (d / "slow.txt").write_text("重庆市签约金额100亿元。", encoding="utf-8")
    res = ing.ingest([str(d)], tmp_path / "facts.duckdb", timeout_s=10)
    assert res.failures == [(str(d / "slow.txt"), "extraction timed out (limit 10 s)")]
    assert res.docs_new == 2


def test_worker_that_dies_on_a_file_loses_only_that_file(tmp_path, monkeypatch):
    import etl.ingest as ing

    real = ing.process_file

    def crash(path, *a, **k):
        if path.name == "crash.txt":
            os._exit(1)  # the worker process ends without a word (as when the OS kills it)
        return real(path, *a, **k)

    monkeypatch.setattr(ing, "process_file", crash)
    d = write_docs(tmp_path / "d", "d", 2)
    (d / "crash.txt").write_text("重庆市签约金额100亿元。", encoding="utf-8")
    res = ing.ingest([str(d)], tmp_path / "facts.duckdb", timeout_s=60)
    assert res.failures == [(str(d / "crash.txt"), "extraction failed (worker process ended)")]
    assert res.docs_new == 2


def test_cli_applies_the_time_limit(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in SHORT) * 40  # ~1 MB: seconds, not 50 ms
    (d / "long.txt").write_text(text, encoding="utf-8")
    r = cli("ingest", str(d), "--db", str(tmp_path / "facts.duckdb"), env={"ZSYZ_EXTRACT_TIMEOUT_S": "0.05"})
    assert r.returncode == 1
    assert "long.txt: extraction timed out (limit 0.05 s)" in r.stderr


def test_nothing_loaded_is_an_error_not_partial(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    r = cli("ingest", str(d), "--db", str(tmp_path / "facts.duckdb"))
    assert r.returncode == 1 and "none of the files could be loaded" in r.stderr


def test_export_into_a_closed_pipe(tmp_path):
    db = tmp_path / "facts.duckdb"
    assert cli("ingest", str(write_docs(tmp_path / "d", "e", 12)), "--db", str(db), "-q").returncode == 0
    p = subprocess.Popen([sys.executable, "-m", "etl", "export", "--db", str(db)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(60)
    assert first.startswith(b"{") and "Traceback" not in err and "BrokenPipe" not in err
    assert p.returncode == 0
