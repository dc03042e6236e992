"""Export latency on the bundled corpus (a benchmark, not a test).

Loads data/raw into a temporary database (or uses --db), starts the export browser once, then:
  1. one chart PNG (2x) and SVG, cold (browser start included) and warm (median of --repeat);
  2. the 简报 pack for the whole corpus (no filters, all default charts): collect + DOCX + PPTX,
     warm (median of --repeat), with the parts;
  3. CSV and XLSX of the largest table (all figures).
Targets: pack < 3 s and chart PNG < 0.5 s with the export browser warm.

Usage: .venv/bin/python benchmarks/bench_exports.py [--db data/facts.duckdb] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="an existing database pointer (default: load data/raw into a temp dir)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import duckdb

    from components import briefing, charts, export, queries
    from components.filters import Filters

    tmp = None
    db = args.db
    if not db:
        tmp = tempfile.TemporaryDirectory()
        db = os.path.join(tmp.name, "facts.duckdb")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "etl", "ingest", str(ROOT / "data" / "raw"), "--db", db],
                       cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
        print(f"loaded data/raw in {time.perf_counter() - t:.1f} s")
    con = duckdb.connect(os.path.realpath(db), read_only=True)
    f = Filters()
    n_docs, n_facts = con.execute("SELECT count(DISTINCT doc_id), count(*) FROM facts").fetchone()
    print(f"corpus: {n_docs} documents, {n_facts} facts")
    if reason := export.unavailable_reason():
        print(reason)
        return 1

    df = queries.top_regions(con, f)
    fig = charts.region_bar(df, "签约金额前十地区（亿元，全部年份）", "亿元")
    meta = export.ChartMeta(fig.layout.title.text, "亿元", "全部年份", export.filters_text(f, with_year=False),
                            export.source_text(df, queries.documents_index(con), "只计实绩"))
    t = time.perf_counter()
    export.chart_image(fig, meta, "png")
    cold = time.perf_counter() - t
    png, _ = timed(lambda: export.chart_image(fig, meta, "png"), args.repeat)
    svg, _ = timed(lambda: export.chart_image(fig, meta, "svg"), args.repeat)

    collect, brief = timed(lambda: briefing.collect(con, f, briefing.ALL_PERIODS), args.repeat)
    docx_t, docx_b = timed(lambda: briefing.to_docx(brief), args.repeat)
    pptx_t, pptx_b = timed(lambda: briefing.to_pptx(brief), args.repeat)

    def pack():
        b = briefing.collect(con, f, briefing.ALL_PERIODS)
        return briefing.to_docx(b), briefing.to_pptx(b)

    pack_t, _ = timed(pack, args.repeat)
    pdf_t, pdf_b = (None, None) if export.pdf_unavailable_reason() else \
        timed(lambda: export.docx_to_pdf(docx_b), max(1, args.repeat // 2))

    rows = queries.figures_table(con, f)
    frame = export.export_frame(rows, ["region", "metric", "value", "unit", "period"], {})
    csv_t, _ = timed(lambda: export.to_csv(frame), args.repeat)
    xlsx_t, _ = timed(lambda: export.to_xlsx(export.TableExport(frame)), args.repeat)

    print()
    print("| export | time (s) | target | notes |")
    print("|---|---|---|---|")
    print(f"| chart PNG (2x), cold | {cold:.2f} | | starts the export browser (kaleido + Chromium) |")
    print(f"| chart PNG (2x), warm | {png:.3f} | < 0.5 | {export.WIDTH * 2} px wide, median of {args.repeat} |")
    print(f"| chart SVG, warm | {svg:.3f} | | |")
    print(f"| 简报 pack (DOCX + PPTX), warm | {pack_t:.2f} | < 3 | {len(brief.key_figures)} key figures, "
          f"{len(brief.charts)} charts |")
    print(f"| … collect (queries + {len(brief.charts)} PNGs) | {collect:.2f} | | |")
    print(f"| … DOCX | {docx_t:.3f} | | {len(docx_b) // 1024} KiB |")
    print(f"| … PPTX | {pptx_t:.3f} | | {len(pptx_b) // 1024} KiB |")
    if pdf_t is not None:
        print(f"| 简报 PDF from the DOCX (LibreOffice) | {pdf_t:.2f} | < 15 | a fresh headless soffice per document, "
              f"{len(pdf_b) // 1024} KiB |")
    print(f"| CSV of {len(rows)} rows | {csv_t:.4f} | | |")
    print(f"| XLSX of {len(rows)} rows | {xlsx_t:.3f} | | with the 说明 sheet |")
    export.renderer().stop()
    con.close()
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
