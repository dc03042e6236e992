"""Cost of one large document: seconds and peak memory against its size (a size ladder).

Builds, at run time, one valid Chinese .txt per size (default 1, 2, 4, 8 and 19 MB — the file
limit is 20 MB): paragraphs of the bundled corpus with shifted numbers, every third broken
mid-sentence like a flattened newspaper page, so that the column repair has work to do. For
each size, in a fresh process each:
  1. extraction alone (read, normalise, segment, resolve, extract),
  2. the full CLI load (`python -m etl ingest FILE --db …`; extraction in its time-limited
     worker process, the limit raised to 900 s so that a loaded machine does not stop it),
and prints wall and CPU seconds (CPU time is what to compare on a shared machine), peak
resident memory (ru_maxrss; for the load, of its largest process) and the ratio of
extraction CPU time to the size before.
Nothing is kept (the inputs live in a temporary folder).

Usage: .venv/bin/python benchmarks/bench_sizes.py [--sizes 1,2,4,8,19]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EXTRACT = r"""
import resource, sys, time
sys.path.insert(0, sys.argv[2])
from etl.document import DocInfo
from etl.pipeline import extract_document
from etl.readers import read_document
extract_document("发布时间：2024-03-15\n\n重庆市签约金额100亿元。", DocInfo("warm"))
t, c = time.perf_counter(), time.process_time()
raw = read_document(sys.argv[1])
ctx, facts = extract_document(raw.text, DocInfo("big"))
s, cpu = time.perf_counter() - t, time.process_time() - c
print(s, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(facts))
"""


def build(path: Path, mb: float, seed: int = 11) -> None:
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    paras = [x.strip() for s in sources for x in s.split("\n") if len(x.strip()) > 40]
    parts, total, i = ["发布时间：2024-03-15"], 0, 0
    while total < mb * 1e6:
        p = re.sub(r"\d+(?:\.\d+)?", lambda m: str(round(float(m.group()) * rng.uniform(0.5, 1.5), 2)),
                   rng.choice(paras))
        k = rng.randint(20, len(p) - 15)
        parts += [p[:k], p[k:]] if i % 3 == 0 else [p]
        total += len(p.encode("utf-8")) + 2
        i += 1
    path.write_text("\n\n".join(parts), encoding="utf-8")


def run_ingest(path: Path, db: Path) -> tuple[float, float, int, int]:
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "etl", "ingest", str(path), "--db", str(db), "-q", "--timeout", "900"],
                         cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    s = time.perf_counter() - t
    return s, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,2,4,8,19", help="MB, comma-separated")
    a = ap.parse_args()
    sizes = [float(x) for x in a.sizes.split(",")]
    print(f"cpu: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print("| size | extract s (CPU s) | extract peak MB | ingest s (CPU s) | ingest peak MB | facts | extract CPU vs previous |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    prev = prev_mb = None
    with tempfile.TemporaryDirectory(prefix="bench-sizes-") as tmp:
        for mb in sizes:
            doc = Path(tmp) / f"doc_{mb:g}mb.txt"
            build(doc, mb)
            real_mb = doc.stat().st_size / 1e6
            out = subprocess.run([sys.executable, "-c", EXTRACT, str(doc), str(ROOT)], capture_output=True,
                                 text=True, check=True).stdout.split()
            ex_s, ex_cpu, ex_kb, n_facts = float(out[0]), float(out[1]), int(out[2]), int(out[3])
            in_s, in_cpu, in_kb, code = run_ingest(doc, Path(tmp) / f"db_{mb:g}" / "facts.duckdb")
            ratio = f"{ex_cpu / prev:.2f}× for {real_mb / prev_mb:.2f}× size" if prev else "—"
            print(f"| {real_mb:.1f} MB | {ex_s:.1f} ({ex_cpu:.1f}) | {ex_kb / 1024:.0f} | {in_s:.1f} ({in_cpu:.1f}) "
                  f"| {in_kb / 1024:.0f} | {n_facts} | {ratio} |" + ("" if code == 0 else f" (ingest exit {code})"),
                  flush=True)
            prev, prev_mb = ex_cpu, real_mb
            doc.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
