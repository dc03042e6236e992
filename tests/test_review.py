"""Human review as data (etl/review.py): decisions in a log beside the database, re-applied by every
load before the swap, reported when their fact is gone, exported and imported, never lost when two
administrators write at once."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl import review
from etl.ingest import ingest
from etl.store import current_file, versions_dir
from tests.conftest import ROOT, SEEDS


def q(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(current_file(db)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def fact(db: Path, where: str, params=None) -> dict:
    con = duckdb.connect(str(current_file(db)), read_only=True)
    try:
        cur = con.execute(f"SELECT * FROM v_facts WHERE {where} ORDER BY fact_key LIMIT 1", params or [])
        return dict(zip([d[0] for d in cur.description], cur.fetchone()))
    finally:
        con.close()


def wipe_versions(db: Path) -> None:
    """Forget every built version (a full re-ingest from the originals); the review log stays."""
    db.unlink()
    shutil.rmtree(versions_dir(db))


@pytest.fixture()
def corpus(tmp_path) -> Path:
    db = tmp_path / "facts.duckdb"
    res = ingest([str(SEEDS)], db)
    assert not res.failures and res.version
    return db


def test_fact_keys_are_unique_and_stable(corpus):
    n, distinct = q(corpus, "SELECT count(*), count(DISTINCT fact_key) FROM fact_reviews")[0]
    assert n == distinct == q(corpus, "SELECT count(*) FROM facts")[0][0]
    before = dict(q(corpus, "SELECT fact_id, fact_key FROM fact_reviews"))
    wipe_versions(corpus)
    ingest([str(SEEDS)], corpus)
    assert dict(q(corpus, "SELECT fact_id, fact_key FROM fact_reviews")) == before
    # the key names the document by its content hash, not its id
    sha = dict(q(corpus, "SELECT doc_id, sha256 FROM documents"))
    for fid, key in before.items():
        doc = q(corpus, "SELECT doc_id FROM facts WHERE fact_id = ?", [fid])[0][0]
        assert key.startswith(sha[doc] + ":")


def test_correction_survives_a_full_reingest(corpus):
    f = fact(corpus, "kind = 'figure' AND metric = 'signed_amount' AND is_primary")
    ev = review.make_event(f["fact_key"], "corrected", "张三", f, {"value": 12345.6, "is_target": True})
    res = review.record(corpus, [ev])
    assert res.version and res.review.counts == {"corrected": 1}
    for _ in range(2):
        g = fact(corpus, "fact_key = ?", [f["fact_key"]])
        assert (g["value"], g["is_target"], g["review_status"], g["reviewed_by"]) == (12345.6, True, "corrected", "张三")
        assert g["value_cny"] == pytest.approx(12345.6)
        assert json.loads(g["review_original"]) == {"value": f["value"], "is_target": bool(f["is_target"])}
        wipe_versions(corpus)  # then a full reload from the originals
        res = ingest([str(SEEDS)], corpus)
        assert res.docs_new == 5 and res.review.counts == {"corrected": 1} and not res.review.orphans


def test_rebuilding_restores_the_machine_reading_before_applying(corpus):
    f = fact(corpus, "kind = 'figure' AND is_primary AND region_id IS NOT NULL")
    other = q(corpus, "SELECT region_id FROM regions WHERE region_id <> ? AND level = 'county' LIMIT 1",
              [f["region_id"]])[0][0]
    review.record(corpus, [review.make_event(f["fact_key"], "corrected", "李四", f, {"region_id": other})])
    g = fact(corpus, "fact_key = ?", [f["fact_key"]])
    assert g["region_id"] == other and g["province"] and g["region_level"] == "county"
    # a later load of nothing new, then an undo: the machine's reading comes back unchanged
    assert ingest([str(SEEDS)], corpus).unchanged
    review.record(corpus, [review.make_event(f["fact_key"], "machine", "李四", g)])
    h = fact(corpus, "fact_key = ?", [f["fact_key"]])
    assert (h["region_id"], h["region"], h["value"], h["review_status"]) == (f["region_id"], f["region"], f["value"], "machine")


def test_rejected_fact_is_kept_but_never_counted(corpus):
    f = fact(corpus, "kind = 'figure' AND is_primary AND n_sources = 1")
    review.record(corpus, [review.make_event(f["fact_key"], "rejected", "王五", f)])
    g = fact(corpus, "fact_key = ?", [f["fact_key"]])
    assert g["review_status"] == "rejected" and not g["is_primary"]
    assert q(corpus, "SELECT count(*) FROM v_figures WHERE fact_key = ?", [f["fact_key"]])[0][0] == 0


def test_rejecting_the_primary_source_promotes_another(corpus):
    rows = q(corpus, "SELECT cluster_id FROM facts WHERE n_sources > 1 AND is_primary LIMIT 1")
    if not rows:
        pytest.skip("no fact reported by two documents in the corpus")
    f = fact(corpus, "cluster_id = ? AND is_primary", [rows[0][0]])
    others = [k for (k,) in q(corpus, "SELECT fact_key FROM v_facts WHERE cluster_id = ? AND NOT is_primary",
                              [rows[0][0]])]
    review.record(corpus, [review.make_event(f["fact_key"], "rejected", "王五", f)])
    assert not fact(corpus, "fact_key = ?", [f["fact_key"]])["is_primary"]
    assert sum(fact(corpus, "fact_key = ?", [k])["is_primary"] for k in others) == 1


def test_vanished_decisions_are_reported_and_kept(corpus):
    f = fact(corpus, "kind = 'figure' AND is_primary")
    sha = f["fact_key"].split(":")[0]
    gone = review.make_event(f"{sha}:figure:99990-99999:signed_amount", "corrected", "赵六",
                             {**f, "char_start": 99990}, {"value": 1.0})
    no_doc = review.make_event("0" * 64 + ":mechanism:1-5:task_force", "verified", "赵六",
                               {"kind": "mechanism", "evidence": "某地组建专班。"})
    res = review.record(corpus, [gone, no_doc])
    reasons = {o[0]: o[-1] for o in res.review.orphans}
    assert reasons == {gone["key"]: review.REASON_GONE, no_doc["key"]: review.REASON_NO_DOC}
    assert {r[0] for r in q(corpus, "SELECT fact_key FROM review_orphans")} == set(reasons)
    # a later full load reports them again; the log still holds them
    wipe_versions(corpus)
    assert {o[0] for o in ingest([str(SEEDS)], corpus).review.orphans} == set(reasons)
    assert {e["key"] for e in review.read_log(review.log_path(corpus))} == set(reasons)


def test_verified_facts_of_every_kind_stay_verified_across_reloads(corpus):
    keys = []
    for kind in ("figure", "duration", "mechanism"):
        f = fact(corpus, "kind = ? AND is_primary", [kind])
        review.append(review.log_path(corpus), [review.make_event(f["fact_key"], "verified", "甲", f)])
        keys.append(f["fact_key"])
    for _ in range(2):
        res = ingest([str(SEEDS)], corpus)
        assert res.review.counts == {"verified": 3} and not res.review.orphans
        assert [fact(corpus, "fact_key = ?", [k])["review_status"] for k in keys] == ["verified"] * 3
        wipe_versions(corpus)


def test_verification_lapses_when_the_machine_reading_changes(corpus):
    f = fact(corpus, "kind = 'figure' AND is_primary")
    stale = review.make_event(f["fact_key"], "verified", "孙七", {**f, "value": f["value"] + 1})
    res = review.record(corpus, [stale])
    assert [o[-1] for o in res.review.orphans] == [review.REASON_CHANGED]
    assert fact(corpus, "fact_key = ?", [f["fact_key"]])["review_status"] == "machine"


def test_cli_ingest_reports_a_vanished_correction(corpus):
    f = fact(corpus, "kind = 'figure' AND is_primary")
    sha = f["fact_key"].split(":")[0]
    review.append(review.log_path(corpus), [review.make_event(
        f"{sha}:figure:99990-99999:signed_amount", "corrected", "赵六", {**f, "evidence": "消失的句子"}, {"value": 1.0})])
    p = subprocess.run([sys.executable, "-m", "etl", "ingest", str(SEEDS), "--db", str(corpus)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "review: applied none; 1 not applied" in p.stdout
    assert "review not applied: corrected by 赵六" in p.stderr and review.REASON_GONE in p.stderr
    assert "消失的句子" in p.stderr
    # and again by a load that changes nothing
    p = subprocess.run([sys.executable, "-m", "etl", "ingest", str(SEEDS), "--db", str(corpus)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert "unchanged" in p.stdout and "1 not applied" in p.stdout and review.REASON_GONE in p.stderr


def test_export_import_round_trip(corpus, tmp_path):
    f = fact(corpus, "kind = 'mechanism' AND is_primary")
    review.record(corpus, [review.make_event(f["fact_key"], "verified", "周八", f)])
    out = tmp_path / "review.jsonl"
    run = lambda *a: subprocess.run([sys.executable, "-m", "etl", "review", *a], cwd=ROOT,  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    p = run("export", str(out), "--db", str(corpus))
    assert p.returncode == 0 and "exported 1" in p.stdout
    # a colleague's database, built from the same originals, takes the file
    other = tmp_path / "other" / "facts.duckdb"
    ingest([str(SEEDS)], other)
    p = run("import", str(out), "--db", str(other))
    assert p.returncode == 0 and "imported 1" in p.stdout, p.stderr
    assert fact(other, "fact_key = ?", [f["fact_key"]])["review_status"] == "verified"
    p = run("import", str(out), "--db", str(other))
    assert "imported 0" in p.stdout and "1 already present" in p.stdout
    assert len(review.read_log(review.log_path(other))) == 1


def test_bad_import_file_is_refused_whole(corpus, tmp_path):
    f = fact(corpus, "kind = 'figure' AND is_primary")
    good = review.make_event(f["fact_key"], "verified", "吴九", f)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({**good, "id": "x", "status": "maybe"}) + "\n",
                   encoding="utf-8")
    with pytest.raises(review.ReviewError) as e:
        review.import_file(corpus, bad)
    assert "第 2 行" in str(e.value) and "第 3 行" in str(e.value)
    assert not review.log_path(corpus).exists()


@pytest.mark.parametrize("fields, message", [
    ({"value": "abc"}, "不是数字"), ({"value": -1}, "负数"), ({"days": 3}, "不能更正"),
    ({"period_start": "2024-05-01", "period_end": "2024-01-31"}, "晚于"), ({}, "至少"),
])
def test_bad_corrections_are_refused(fields, message):
    with pytest.raises(review.ReviewError, match=message):
        review.make_event("abc:figure:1-2:signed_amount", "corrected", "某人", {"kind": "figure"}, fields)


def test_a_reviewer_is_required():
    with pytest.raises(review.ReviewError, match="审核人"):
        review.make_event("abc:figure:1-2:signed_amount", "verified", " ")


def test_latest_decision_wins():
    a = review.make_event("k:figure:1-2:m", "verified", "甲")
    b = review.make_event("k:figure:1-2:m", "rejected", "乙")
    assert review.latest([b, a])["k:figure:1-2:m"]["status"] == "rejected"


def _admin(db: str, key: str, value: float, barrier) -> None:
    f = {"kind": "figure"}
    ev = review.make_event(key, "corrected", f"管理员{value}", f, {"value": value})
    barrier.wait()
    review.record(Path(db), [ev])


def test_two_admins_correcting_at_once_lose_neither(corpus):
    keys = [k for (k,) in q(corpus, "SELECT fact_key FROM v_facts WHERE kind = 'figure' AND is_primary "
                                    "ORDER BY fact_key LIMIT 2")]
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_admin, args=(str(corpus), k, 1000.0 + i, barrier)) for i, k in enumerate(keys)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    got = dict(q(corpus, "SELECT fact_key, value FROM v_facts WHERE review_status = 'corrected'"))
    assert got == {keys[0]: 1000.0, keys[1]: 1001.0}
    assert len(review.read_log(review.log_path(corpus))) == 2
    assert os.path.exists(current_file(corpus))


def test_decided_since_names_only_newer_decisions(tmp_path):
    from datetime import UTC, datetime, timedelta

    log = tmp_path / "r.jsonl"
    t0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    review.append(log, [review.make_event("k:figure:1-2:m", "verified", "甲", at=t0)])
    assert review.decided_since(log, "k:figure:1-2:m", t0 + timedelta(seconds=1)) is None
    assert review.decided_since(log, "k:figure:1-2:m", t0 - timedelta(seconds=1))["by"] == "甲"
    assert review.decided_since(log, "other:figure:1-2:m", t0 - timedelta(seconds=1)) is None
    assert review.decided_since(log, "k:figure:1-2:m", None) is None
