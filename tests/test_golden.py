"""Golden tests over the bundled corpus: the seed gold and per-document snapshots.

Regenerate snapshots only with `pytest tests/test_golden.py --update-golden` and review the diff.
"""

import json

import pytest

from etl.evaluate import score
from etl.export import export_rows
from etl.store import connect_read_only
from tests.conftest import GOLDEN, SEEDS

SNAPSHOT_FIELDS = ("kind", "region", "metric", "value", "currency", "is_target", "period_start", "period_end",
                   "yoy_pct", "days", "baseline_days", "category", "evidence")


@pytest.fixture(scope="module")
def pred(seeds_db):
    return export_rows(seeds_db)


@pytest.fixture(scope="module")
def scores(seed_gold, pred):
    return score(seed_gold, pred)


def test_figures_precision(scores):
    assert scores["figure"]["precision"] >= 0.95


def test_figures_recall(scores):
    assert scores["figure"]["recall"] >= 0.90


def test_durations_f1(scores):
    assert scores["duration"]["f1"] >= 0.85


def test_mechanisms_f1(scores):
    assert scores["mechanism"]["f1"] >= 0.75


def test_every_evidence_verbatim_in_its_document(pred):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    assert pred
    for p in pred:
        assert p["evidence"] in texts[p["doc"]], p
        assert texts[p["doc"]][p["char_start"] : p["char_end"]] == p["evidence"]


def test_export_fields_follow_spec(pred):
    for p in pred:
        assert {"doc", "kind", "region", "province", "evidence"} <= set(p)
        if p["kind"] == "figure":
            assert {"metric", "value", "unit", "currency", "period_start", "period_end", "yoy_pct", "is_target",
                    "qualifier", "subject", "industry_chain"} <= set(p)


def test_duplicated_story_counted_once(seeds_db):
    con = connect_read_only(seeds_db)
    try:
        rows = con.execute(
            "SELECT value, n_sources, count(*) AS n, sum(is_primary::INT) AS primaries FROM facts "
            "WHERE kind = 'figure' AND metric = 'enterprise_count' AND region = '两江新区' GROUP BY ALL").fetchall()
        total = con.execute("SELECT count(*) FROM v_figures WHERE metric = 'industry_output' AND region = '两江新区'").fetchone()[0]
    finally:
        con.close()
    assert rows == [(272.0, 2, 2, 1)]  # both documents keep their row, one counts
    assert total == 2  # 151.58 and 104.07 once each, not four rows


def test_targets_flagged_apart(pred):
    dg = [p for p in pred if p["kind"] == "figure" and p["region"] == "东莞市" and p["metric"] == "signed_amount"]
    assert {(p["value"], p["is_target"]) for p in dg} == {(3680.4, False), (2209.4, False), (1500.0, True)}


def _snapshot(rows):
    out = [{k: r.get(k) for k in SNAPSHOT_FIELDS} for r in rows]
    return sorted(out, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))


@pytest.mark.parametrize("doc", sorted(p.stem for p in SEEDS.glob("*.txt")))
def test_snapshot(doc, pred, request):
    path = GOLDEN / f"{doc}.facts.jsonl"
    got = _snapshot([p for p in pred if p["doc"] == doc])
    if request.config.getoption("--update-golden") or not path.exists():
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in got), encoding="utf-8")
    want = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        for k in SNAPSHOT_FIELDS:
            assert g[k] == w[k], f"{doc}: field {k} differs for {w['evidence']!r}"
