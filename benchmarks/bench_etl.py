"""ETL throughput and latency against the floor of bare jieba segmentation.

Builds a corpus of at least --mb megabytes (default 20) from the bundled documents: each
file mixes paragraphs of the seeds with shifted numbers, so every file is distinct (the
content-hash skip never applies). Then it times
  1. extraction only (normalise, segment, resolve, extract) per document,
  2. the full `ingest` (read files, extract, cluster, write and check a DuckDB version),
  3. `jieba.lcut` over the same texts (the floor the ETL is compared with),
and prints MB/s, per-document latency and the ratio ETL / jieba.

Usage: .venv/bin/python benchmarks/bench_etl.py [--mb 20] [--keep]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_corpus(out: Path, mb: float, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    paras = [x for s in sources for x in s.split("\n") if x.strip()]
    out.mkdir(parents=True, exist_ok=True)
    files, total, i = [], 0, 0
    while total < mb * 1e6:
        body = rng.sample(paras, k=min(len(paras), rng.randint(30, 80)))
        text = "\n\n".join(re.sub(r"\d+(?:\.\d+)?", lambda m: str(round(float(m.group()) * rng.uniform(0.5, 1.5), 2)), p)
                           for p in body)
        text = f"发布时间：2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n\n" + text
        p = out / f"bench_{i:05d}.txt"
        p.write_text(text, encoding="utf-8")
        files.append(p)
        total += len(text.encode("utf-8"))
        i += 1
    return files


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--keep", action="store_true", help="keep the corpus in benchmarks/corpus")
    a = ap.parse_args()

    from etl.document import DocInfo
    from etl.ingest import ingest
    from etl.pipeline import extract_document

    work = ROOT / "benchmarks" / "corpus" if a.keep else Path(tempfile.mkdtemp(prefix="bench-"))
    files = build_corpus(work / "docs", a.mb)
    texts = [p.read_text(encoding="utf-8") for p in files]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"corpus: {len(files)} documents, {mb:.1f} MB")

    extract_document(texts[0], DocInfo("warm"))  # load rules, gazetteer, jieba dictionary once
    lat = []
    t0 = time.perf_counter()
    for i, t in enumerate(texts):
        s = time.perf_counter()
        extract_document(t, DocInfo(f"d{i}"))
        lat.append(time.perf_counter() - s)
    extract_s = time.perf_counter() - t0

    db = work / "bench.duckdb"
    t0 = time.perf_counter()
    res = ingest([str(work / "docs")], db)
    ingest_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    res2 = ingest([str(work / "docs")], db)
    reingest_s = time.perf_counter() - t0

    import jieba

    jieba.setLogLevel(60)
    jieba.lcut("预热")
    t0 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    jieba_s = time.perf_counter() - t0

    q = statistics.quantiles(lat, n=100)
    facts = sum(res.facts_by_kind.values())
    print(f"extraction only : {mb / extract_s:6.2f} MB/s  ({extract_s:.1f} s; per doc p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms)")
    print(f"full ingest     : {mb / ingest_s:6.2f} MB/s  ({ingest_s:.1f} s; {facts} facts, {len(res.failures)} failures)")
    print(f"re-ingest same  : {reingest_s:6.2f} s    (unchanged={res2.unchanged})")
    print(f"jieba.lcut floor: {mb / jieba_s:6.2f} MB/s  ({jieba_s:.1f} s)")
    print(f"ratio extraction/jieba {extract_s / jieba_s:.2f}; full ingest/jieba {ingest_s / jieba_s:.2f} (target <= 1)")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
