"""CLI: python -m etl ingest|export|evaluate|check|preview|review (orchestration only)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_DB = Path("data/facts.duckdb")
EXIT_OK, EXIT_ERROR, EXIT_PARTIAL, EXIT_CHECKS = 0, 1, 2, 3


def _ingest(a: argparse.Namespace) -> int:
    from etl.checks import CheckFailed
    from etl.ingest import ingest

    try:
        res = ingest(a.paths, Path(a.db), progress=not a.quiet and sys.stderr.isatty())
    except CheckFailed as e:
        print(f"错误：数据检查未通过，数据库未更新。\n{e}", file=sys.stderr)
        return EXIT_CHECKS
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(res.facts_by_kind.items())) or "none"
    state = "unchanged (nothing new)" if res.unchanged else (f"new version {res.version.name}" if res.version else "nothing written")
    print(f"documents: {res.docs_total} in database ({res.docs_new} new or changed, {res.docs_reused} unchanged skipped)")
    print(f"facts: {kinds}")
    print(f"database: {a.db} -> {state}")
    _review_report(res.review)
    for path, reason in res.failures:
        print(f"skipped: {path}: {reason}", file=sys.stderr)
    if res.failures:
        print(f"partial: {len(res.failures)} file(s) could not be read; the rest were loaded", file=sys.stderr)
        return EXIT_PARTIAL
    if res.docs_total == 0:
        print("no documents found", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _review_report(rv) -> None:
    """Review decisions applied by this load, and every one whose fact no longer exists."""
    if rv is None or not (rv.counts or rv.orphans):
        return
    applied = ", ".join(f"{k} {v}" for k, v in sorted(rv.counts.items())) or "none"
    print(f"review: applied {applied}; {len(rv.orphans)} not applied")
    for key, status, by, at, _doc, evidence, summary, reason in rv.orphans:
        print(f"review not applied: {status} by {by} at {at[:19]}: {summary}: {reason} "
              f"[{key}] “{(evidence or '')[:60]}”", file=sys.stderr)


def _review(a: argparse.Namespace) -> int:
    from etl import review
    from etl.checks import CheckFailed

    db = Path(a.db)
    try:
        if a.action == "export":
            n = review.export_file(db, Path(a.file))
            print(f"exported {n} review decision(s) from {review.log_path(db)} to {a.file}")
            return EXIT_OK
        added, skipped = review.import_file(db, Path(a.file))
    except review.ReviewError as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_ERROR
    print(f"imported {added} review decision(s) into {review.log_path(db)} ({skipped} already present)")
    if added and db.exists():
        from etl.ingest import ingest

        try:
            res = ingest([], db)
        except CheckFailed as e:
            print(f"错误：数据检查未通过，数据库未更新。\n{e}", file=sys.stderr)
            return EXIT_CHECKS
        print(f"database: {db} -> " + (f"new version {res.version.name}" if res.version else "unchanged"))
        _review_report(res.review)
    return EXIT_OK


def _export(a: argparse.Namespace) -> int:
    from etl.export import export_rows

    try:
        rows = export_rows(Path(a.db), a.kind)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    out = sys.stdout
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
    return EXIT_OK


def _evaluate(a: argparse.Namespace) -> int:
    from etl.evaluate import score
    from etl.export import export_rows

    gold = [json.loads(x) for x in Path(a.gold).read_text(encoding="utf-8").splitlines() if x.strip()]
    try:
        pred = export_rows(Path(a.db))
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    res = score(gold, pred)
    for kind, r in res.items():
        print(f"{kind:10s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
    if a.json:
        print(json.dumps(res, ensure_ascii=False))
    return EXIT_OK


def _check(a: argparse.Namespace) -> int:
    from etl.checks import run_checks
    from etl.store import connect_read_only

    try:
        con = connect_read_only(Path(a.db))
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    failures = run_checks(con)
    con.close()
    for f in failures:
        print(f"FAIL {f}")
    print("all checks passed" if not failures else f"{len(failures)} check(s) failed")
    return EXIT_CHECKS if failures else EXIT_OK


def _preview(a: argparse.Namespace) -> int:
    from etl.uploads import worker_main

    return worker_main(a.paths)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl", description="招商引资文档 -> DuckDB 事实库")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ingest", help="read documents (files or folders) into a new database version")
    p.add_argument("paths", nargs="+")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(fn=_ingest)
    p = sub.add_parser("export", help="facts as JSONL on stdout")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--kind", choices=["figure", "duration", "mechanism"])
    p.set_defaults(fn=_export)
    p = sub.add_parser("evaluate", help="precision/recall/F1 per kind against gold JSONL")
    p.add_argument("--gold", required=True)
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=_evaluate)
    p = sub.add_parser("preview", help="extract files without loading them (JSON lines; used by uploads)")
    p.add_argument("paths", nargs="+")
    p.set_defaults(fn=_preview)
    p = sub.add_parser("review", help="export or import the human review decisions (JSONL)")
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("file")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.set_defaults(fn=_review)
    p = sub.add_parser("check", help="run the data checks on the current version")
    p.add_argument("--db", default=str(DEFAULT_DB))
    p.set_defaults(fn=_check)
    a = ap.parse_args(argv)
    try:
        return a.fn(a)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
