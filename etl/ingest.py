"""Orchestration: files -> documents -> facts -> a new database version (snapshot ->
meadow -> garden -> grapher). Reading and writing happen at the edges."""

from __future__ import annotations

import csv
import hashlib
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from etl.checks import assert_checks
from etl.context import DocInfo
from etl.gazetteer import load_gazetteer
from etl.limits import fmt_mb, limits
from etl.models import Fact
from etl.pipeline import EXTRACTOR_VERSION, extract_document
from etl.readers import SUPPORTED, ReadError, read_document
from etl.store import fact_row, read_previous, write_lock, write_version

FACT_FIELDS = set(Fact.__dataclass_fields__)


@dataclass
class IngestResult:
    docs_total: int = 0
    docs_new: int = 0
    docs_reused: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    facts_by_kind: dict[str, int] = field(default_factory=dict)
    version: Path | None = None
    unchanged: bool = False


def collect_files(paths: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files += sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED
                            and not any(part.startswith(".") for part in f.relative_to(path).parts))
        elif path.is_file():
            files.append(path)
        else:
            missing.append((str(path), "no such file or folder"))
    seen: set[Path] = set()
    return [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))], missing


def _parse_date(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return None


def load_manifests(files: list[Path]) -> dict[str, dict]:
    """manifest.csv beside the documents: doc_id,title,outlet,date_published,url,date_accessed."""
    out: dict[str, dict] = {}
    for d in sorted({f.parent for f in files}):
        m = d / "manifest.csv"
        if m.exists():
            with open(m, encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    if row.get("doc_id"):
                        out[row["doc_id"]] = row
    return out


def _fact_from_row(r: dict) -> Fact:
    return Fact(**{k: v for k, v in r.items() if k in FACT_FIELDS})


def cluster(facts_by_doc: dict[str, list[Fact]], doc_dates: dict[str, date | None],
            doc_years: dict[str, int | None] | None = None) -> list[tuple]:
    """Rows for the facts table: facts that report the same real-world fact in several
    documents share a cluster; one of them (the earliest source) is primary. Figures are one fact
    only when metric, value, region and period all agree; durations and mechanisms (no period of
    their own) only when of the same year: the fact's period, else its document's."""
    years = doc_years or {}

    def year(f: Fact):
        if f.period_end or f.period_start:
            return (f.period_end or f.period_start).year
        d = doc_dates.get(f.doc_id)
        return years.get(f.doc_id) or (d.year if d else None)

    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for doc_id in sorted(facts_by_doc):
        for f in facts_by_doc[doc_id]:
            if f.kind == "figure":
                k = ("figure", f.metric, round(f.value or 0, 4), f.currency, f.region_id, bool(f.is_target),
                     f.period_start, f.period_end)
            elif f.kind == "duration":
                k = ("duration", f.region_id, f.days, f.baseline_days, f.from_stage, f.to_stage, year(f))
            else:
                k = ("mechanism", f.region_id, f.category, year(f))
            groups[k].append(f)
    rows = []
    for k, fs in groups.items():
        # split a group into clusters of one fact per document
        clusters: list[list[Fact]] = []
        for f in fs:
            for c in clusters:
                if any(x.doc_id == f.doc_id for x in c):
                    continue
                c.append(f)  # the key holds the period: one fact per document and cluster
                break
            else:
                clusters.append([f])
        for c in clusters:
            c.sort(key=lambda x: (doc_dates.get(x.doc_id) or date.max, x.doc_id, x.char_start))
            cid = hashlib.sha1(repr((k, c[0].doc_id, c[0].char_start)).encode()).hexdigest()[:16]
            n = len({x.doc_id for x in c})
            for i, f in enumerate(c):
                rows.append(fact_row(f, cid, i == 0, n))
    return rows


def ingest(paths: list[str], db: Path, progress: bool = False, log=print) -> IngestResult:
    """Load files into a new version on top of the current one. Writers take turns (a lock
    beside the pointer), so two loads never drop each other's documents."""
    with write_lock(db):
        return _ingest(paths, db, progress)


def _ingest(paths: list[str], db: Path, progress: bool) -> IngestResult:
    res = IngestResult()
    files, missing = collect_files(paths)
    res.failures += missing
    manifest = load_manifests(files)
    prev_docs, prev_facts = read_previous(db)
    docs: dict[str, dict] = dict(prev_docs)
    facts_by_doc: dict[str, list[Fact]] = {d: [_fact_from_row(r) for r in fs] for d, fs in prev_facts.items()}
    changed = False
    now = datetime.now(UTC).replace(tzinfo=None)
    todo: list[tuple[Path, str, dict]] = []
    max_bytes = limits().max_file_bytes
    for path in files:
        try:
            if path.stat().st_size > max_bytes:  # never read a huge file into memory
                res.failures.append((str(path), f"file too large (limit {fmt_mb(max_bytes)})"))
                continue
            data = path.read_bytes()
        except OSError as e:
            res.failures.append((str(path), f"cannot open: {e.strerror or e}"))
            continue
        sha = hashlib.sha256(data).hexdigest()
        old = prev_docs.get(path.stem)
        if old and old["sha256"] == sha and old["extractor_version"] == EXTRACTOR_VERSION:
            res.docs_reused += 1
            continue
        todo.append((path, sha, manifest.get(path.stem, {})))
    for path, outcome in _run(todo, progress):
        if isinstance(outcome, str):
            res.failures.append((str(path), outcome))
            continue
        doc, facts = outcome
        doc["ingested_at"] = now
        docs[doc["doc_id"]] = doc
        facts_by_doc[doc["doc_id"]] = facts
        res.docs_new += 1
        changed = True
    res.docs_total = len(docs)
    for fs in facts_by_doc.values():
        for f in fs:
            res.facts_by_kind[f.kind] = res.facts_by_kind.get(f.kind, 0) + 1
    if not changed and prev_docs:
        res.unchanged = True
        return res
    if not docs:
        return res
    gaz = load_gazetteer()
    regions = [(r.region_id, r.name, r.short_name, r.level, r.parent_id, r.province, r.lon, r.lat)
               for r in gaz.regions.values()]
    rows = cluster(facts_by_doc, {d: v.get("date_published") for d, v in docs.items()},
                   {d: v.get("doc_year") for d, v in docs.items()})
    meta = {"extractor_version": EXTRACTOR_VERSION, "built_at": now.isoformat(timespec="seconds")}
    res.version = write_version(db, list(docs.values()), rows, regions, meta, assert_checks)
    return res


POOL_MIN_FILES = 40


def process_file(path: Path, sha: str, m: dict) -> tuple[dict, list[Fact]] | str:
    """Read and extract one file; a string is the reason it was skipped."""
    try:
        raw = read_document(path)
    except ReadError as e:
        return str(e)
    info = DocInfo(path.stem, m.get("title") or raw.title, m.get("outlet") or raw.meta.get("outlet"),
                   _parse_date(m.get("date_published")) or _parse_date(raw.meta.get("date")))
    try:
        ctx, facts = extract_document(raw.text, info)
    except Exception as e:  # a rule bug must not lose the batch
        return f"extraction failed: {type(e).__name__}: {e}"
    doc = {
        "doc_id": path.stem, "path": str(path), "sha256": sha, "extractor_version": EXTRACTOR_VERSION,
        "format": raw.format, "encoding": raw.encoding, "title": info.title or _first_line(raw.text),
        "outlet": ctx.outlet, "url": m.get("url") or raw.meta.get("url"),
        "date_published": ctx.date.day, "date_source": ctx.date.source, "doc_year": ctx.date.year,
        "date_accessed": _parse_date(m.get("date_accessed")), "n_chars": len(raw.text), "text": raw.text,
    }
    return doc, facts


def _process_args(args: tuple) -> tuple[Path, tuple | str]:
    return args[0], process_file(*args)


def _run(todo: list[tuple[Path, str, dict]], progress: bool):
    """Extract files, in a process pool for large batches; yields (path, outcome) in order."""
    bar = None
    if progress and len(todo) > 1:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="ingest", unit="doc", file=sys.stderr)
    workers = min(os.cpu_count() or 1, 8)
    try:
        if len(todo) >= POOL_MIN_FILES and workers > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                for out in pool.map(_process_args, todo, chunksize=8):
                    if bar:
                        bar.update()
                    yield out
        else:
            for args in todo:
                out = _process_args(args)
                if bar:
                    bar.update()
                yield out
    finally:
        if bar:
            bar.close()


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:80]
    return ""
