"""Serving under change: reader processes query the database in a loop while ingests run, two
at once, and while one is SIGKILLed mid-extraction and one mid-write. No reader ever fails,
the served database stays whole, the next run completes, re-running changes nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

READER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
from components import db as dbmod
import os
os.environ["ZSYZ_DB"] = sys.argv[1]
stop, out = sys.argv[2], sys.argv[3]
n, errors, counts = 0, [], set()
while not os.path.exists(stop):
    try:
        v = dbmod.current_version()
        if v is None:
            time.sleep(0.01)
            continue
        con = dbmod.open_version(v)
        try:
            con.execute("SET threads TO 1")
            d = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            f = con.execute("SELECT count(*) FROM facts f JOIN documents d USING (doc_id) WHERE f.kind = ?",
                            ["figure"]).fetchone()[0]
            counts.add(d)
            assert f > 0
        finally:
            con.close()
        n += 1
        time.sleep(0.01)
    except Exception as e:
        errors.append(f"{type(e).__name__}: {e}")
json.dump({"n": n, "errors": errors[:20], "counts": sorted(counts)}, open(out, "w"))
"""


def make_batch(d: Path, prefix: str, n: int, seeds: list[Path] | None = None) -> Path:
    d.mkdir(parents=True)
    seeds = seeds or sorted(SEEDS.glob("*.txt"))[1:]
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (d / f"{prefix}{i:02d}.txt").write_text(f"{text}\n（{prefix}{i}）", encoding="utf-8")
    return d


def ingest(db: Path, path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", "ingest", str(path), "--db", str(db), "-q"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(p: subprocess.Popen) -> tuple[int, str]:
    out, err = p.communicate(timeout=120)
    return p.returncode, out + err


def doc_count(db: Path) -> int:
    from etl.store import connect_read_only

    con = connect_read_only(db)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()


def version_ok(path: Path) -> bool:
    """A complete version: it opens and names when it was built."""
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return con.execute("SELECT count(*) FROM meta WHERE key = 'built_at'").fetchone()[0] == 1
        finally:
            con.close()
    except duckdb.Error:
        return False


def kill_when(p: subprocess.Popen, cond, limit: float = 60) -> bool:
    """SIGKILL p as soon as cond() holds; False when p ended first."""
    end = time.monotonic() + limit
    while p.poll() is None and time.monotonic() < end:
        if cond():
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
            return True
        time.sleep(0.002)
    return False


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("conc")
    db = tmp / "facts.duckdb"
    a, b, c = (make_batch(tmp / x, x, 2) for x in ("a", "b", "c"))
    k = make_batch(tmp / "k", "k", 10, sorted(SEEDS.glob("000_*.txt")))  # the longest seed: ~2 s
    from etl.ingest import ingest as ingest_in_process

    assert not ingest_in_process([str(a)], db).failures
    stop = tmp / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop), str(tmp / f"r{i}.json"), str(ROOT)])
               for i in range(2)]
    log: dict = {}
    try:
        time.sleep(0.3)
        # two writers at once: both batches end up in the database
        pb, pc = ingest(db, b), ingest(db, c)
        log["b"], log["c"] = finish(pb), finish(pc)
        log["after_bc"] = doc_count(db)
        # killed while extracting
        pk = ingest(db, k)
        log["killed_extracting"] = kill_when(pk, lambda: time.sleep(0.8) is None)
        log["after_kill1"] = doc_count(db)
        log["check1"] = subprocess.run([sys.executable, "-m", "etl", "check", "--db", str(db)], cwd=ROOT,
                                       capture_output=True, text=True).returncode
        # killed while writing its version file
        vd = db.parent / (db.name + ".versions")
        before = set(vd.iterdir())
        pk = ingest(db, k)
        log["killed_writing"] = kill_when(pk, lambda: any(p.suffix == ".duckdb" for p in set(vd.iterdir()) - before))
        log["after_kill2"] = doc_count(db)
        # the next run completes, the one after changes nothing
        log["rerun"] = finish(ingest(db, k))
        log["again"] = finish(ingest(db, k))
        log["versions"] = {p.name: version_ok(p) for p in vd.iterdir()}
    finally:
        stop.touch()
        for r in readers:
            r.wait(30)
    log["readers"] = [json.loads((tmp / f"r{i}.json").read_text()) for i in range(2)]
    log["final"] = doc_count(db)
    return log


def test_concurrent_writers_both_land(run):
    assert run["b"][0] == 0 and run["c"][0] == 0, run["b"][1] + run["c"][1]
    assert run["after_bc"] == 6


def test_kill_while_extracting_leaves_database_whole(run):
    assert run["killed_extracting"]
    assert run["after_kill1"] == 6 and run["check1"] == 0


def test_kill_while_writing_leaves_database_whole(run):
    assert run["killed_writing"]
    assert run["after_kill2"] == 6


def test_next_run_completes_and_rerun_changes_nothing(run):
    assert run["rerun"][0] == 0, run["rerun"][1]
    assert run["final"] == 16
    assert run["again"][0] == 0 and "unchanged" in run["again"][1]


def test_readers_never_failed(run):
    for r in run["readers"]:
        assert r["errors"] == [] and r["n"] > 10
        assert set(r["counts"]) <= {2, 4, 6, 16}


def test_killed_loads_leave_no_version_that_counts(run):
    # what a killed load wrote is removed by the next load; the 3 kept versions are whole
    assert list(run["versions"].values()) == [True] * 3, run["versions"]
