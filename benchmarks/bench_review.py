"""Review on a database of many facts (a benchmark, not a test).

Builds a synthetic database of --facts facts (one per sentence), then times:
  1. the review queue (queries.review_queue, one page of 50) and one fact in context;
  2. the 人工审核 page under AppTest (first run, rerun);
  3. one decision end to end: append to the log + build the new version (review.record);
  4. applying 1,000 decisions in a load (review.apply on every fact).

Usage: .venv/bin/python benchmarks/bench_review.py [--facts 5000 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from benchmarks.bench_dashboard import load_regions  # noqa: E402

SENTENCES = 20  # per document: every fact has a sentence of its own, as in real documents


def build_db(path: Path, n_facts: int, seed: int = 7) -> Path:
    """n_facts facts (6 figures : 1 duration : 3 mechanisms), one per sentence, 20 per document."""
    import hashlib
    import random
    from datetime import date

    from etl.rules import load_yaml
    from etl.store import FACT_COLUMNS, fact_id, write_version

    rng = random.Random(seed)
    regions = [r for r in load_regions() if r[3] in ("province", "prefecture", "county")]
    metrics = [m for m, s in load_yaml("metrics.yml")["metrics"].items() if s.get("money")]
    cats = list(load_yaml("mechanisms.yml")["categories"])
    docs, rows = [], []
    for di in range((n_facts + SENTENCES - 1) // SENTENCES):
        parts = [f"第{di}篇第{k}句：该地区招商引资签约项目总额达{rng.randint(1, 999)}亿元。" for k in range(SENTENCES)]
        text = "".join(parts)
        y = 2021 + di % 4
        doc = dict(doc_id=f"bench_{di:06d}", path=None, sha256=hashlib.sha256(text.encode()).hexdigest(),
                   extractor_version="bench", format="txt", encoding="utf-8", title=f"基准文档{di}", outlet="基准日报",
                   url=None, date_published=date(y, 6, 1), date_source="header", doc_year=y, date_accessed=None,
                   n_chars=len(text), text=text, ingested_at=None)
        docs.append(doc)
        pos = 0
        for k, sent in enumerate(parts):
            if len(rows) >= n_facts:
                break
            reg = regions[rng.randrange(len(regions))]
            kind = rng.choices(("figure", "duration", "mechanism"), (6, 1, 3))[0]
            d = dict(doc_id=doc["doc_id"], kind=kind, region_id=reg[0], region=reg[1], province=reg[5],
                     region_level=reg[3], evidence=sent, char_start=pos, char_end=pos + len(sent), sentence_start=pos,
                     sentence_end=pos + len(sent), is_primary=True, n_sources=1)
            if kind == "figure":
                v = float(rng.randint(1, 999))
                d.update(metric=rng.choice(metrics), value=v, unit="亿元", currency="CNY", value_cny=v,
                         period_start=date(y, 1, 1), period_end=date(y, 3, 31), is_target=False)
            elif kind == "duration":
                d.update(from_stage="签约", to_stage="开工", days=float(rng.randint(5, 90)), baseline_days=180.0)
            else:
                d.update(category=rng.choice(cats), name="做法")
            from types import SimpleNamespace

            ns = SimpleNamespace(**{c: d.get(c) for c in FACT_COLUMNS})
            d["fact_id"] = fact_id(ns)
            d["cluster_id"] = "c" + d["fact_id"]
            rows.append(tuple(d.get(c) for c in FACT_COLUMNS))
            pos += len(sent)
    write_version(path, docs, rows, load_regions(), {"extractor_version": "bench", "built_at": "bench"},
                  check=lambda con: None)
    return path


def _t(fn, n: int = 3) -> float:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def bench(n_facts: int) -> dict[str, float]:
    import duckdb

    from components import queries
    from etl import review
    from etl.gazetteer import load_gazetteer
    from etl.ingest import _fact_from_row
    from etl.store import current_file, read_previous

    tmp = Path(tempfile.mkdtemp(prefix="bench_review_"))
    db = build_db(tmp / "facts.duckdb", n_facts)
    os.environ["ZSYZ_DB"] = str(db)
    res: dict[str, float] = {}
    con = duckdb.connect(str(current_file(db)), read_only=True)
    queries.review_queue(con, limit=1)  # warm-up: the first query of a connection loads the file
    res["queue page (50 of all, machine)"] = _t(lambda: queries.review_queue(con, status="machine", limit=50))
    res["queue page, filtered by metric"] = _t(lambda: queries.review_queue(con, metric="signed_amount", limit=50))
    key = queries.review_queue(con, limit=1)["fact_key"].iloc[0]
    res["one fact in context"] = _t(lambda: queries.review_fact(con, key))
    fact = queries.review_fact(con, key).iloc[0].to_dict()
    con.close()

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "review.py"), default_timeout=300)
    at.session_state["_zsyz_admin"] = True
    t0 = time.perf_counter()
    at.run()
    res["人工审核 page, first run"] = time.perf_counter() - t0
    res["人工审核 page, rerun"] = _t(lambda: at.run())
    assert not at.exception, [e.value for e in at.exception]

    res["one decision: log + new version"] = _t(
        lambda: review.record(db, [review.make_event(key, "verified", "基准", fact)]), n=2)

    docs, prev = read_previous(db)
    facts = {d: [_fact_from_row(r) for r in fs] for d, fs in prev.items()}
    sha = {d: v["sha256"] for d, v in docs.items()}
    from etl.store import fact_key

    events = [review.make_event(fact_key(sha[f.doc_id], f), "verified", "基准", f)
              for fs in list(facts.values())[:50] for f in fs][:1000]
    gaz = load_gazetteer()
    res[f"apply {len(events)} decisions to every fact"] = _t(lambda: review.apply(facts, sha, events, gaz))
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", type=int, nargs="+", default=[5000, 20000])
    a = ap.parse_args()
    results = {n: bench(n) for n in a.facts}
    steps = list(next(iter(results.values())))
    print("| step | " + " | ".join(f"{n:,} facts" for n in results) + " |")
    print("|---|" + "---|" * len(results))
    for s in steps:
        print(f"| {s} | " + " | ".join(f"{results[n][s] * 1000:.0f} ms" for n in results) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
