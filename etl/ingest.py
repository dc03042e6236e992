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

from etl import review
from etl.checks import CheckFailed, assert_checks
from etl.document import DocInfo
from etl.gazetteer import load_gazetteer, unlisted_parent
from etl.limits import fmt_mb, limits
from etl.models import Fact
from etl.pipeline import EXTRACTOR_VERSION, extract_document
from etl.readers import SUPPORTED, ReadError, read_document
from etl.store import fact_row, read_orphans, read_previous, read_review_state, write_lock, write_version

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
    review: review.Applied | None = None  # decisions applied, and those whose fact is gone


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


def cluster(facts_by_doc: dict[str, list[Fact]], doc_dates: dict[str, date | None]) -> list[tuple]:
    """Rows for the facts table: facts that report the same real-world fact in several
    documents share a cluster; one of them (the earliest source) is primary."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for doc_id in sorted(facts_by_doc):
        for f in facts_by_doc[doc_id]:
            groups[f.identity()].append(f)
    rows = []
    for k, fs in groups.items():
        # split a group into clusters of the same fact with one telling per document
        clusters: list[list[Fact]] = []
        for f in fs:
            for c in clusters:
                if all(x.doc_id != f.doc_id for x in c) and c[0].same_fact(f):
                    c.append(f)
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
    prev_meta, prev_original = read_review_state(db)  # corrected rows go back to the machine's reading
    docs: dict[str, dict] = dict(prev_docs)
    facts_by_doc: dict[str, list[Fact]] = {
        d: [_fact_from_row(review.machine_row(r, prev_original.get(r["fact_id"]))) for r in fs]
        for d, fs in prev_facts.items()}
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
    events, log_digest = review.load(review.log_path(db))
    if not changed and prev_docs and prev_meta.get("review_digest") == log_digest:
        res.unchanged = True
        res.review = review.Applied({}, orphans=read_orphans(db))  # still reported on every run
        return res
    if not docs:
        return res
    gaz = load_gazetteer()
    regions = [(r.region_id, r.name, r.short_name, r.level, r.parent_id, r.province, r.lon, r.lat)
               for r in gaz.regions.values()]
    # parks a document names that no list has, inside their host (etl.mentions)
    unlisted = {f.region_id: f for fs in facts_by_doc.values() for f in fs if unlisted_parent(f.region_id or "")}
    regions += [(rid, f.region, f.region, f.region_level, unlisted_parent(rid), f.province, None, None)
                for rid, f in sorted(unlisted.items())]
    meta = {"extractor_version": EXTRACTOR_VERSION, "built_at": now.isoformat(timespec="seconds"),
            "review_digest": log_digest}
    new_ids = {d for d, v in docs.items() if v.get("ingested_at") == now}
    while True:
        # human review decisions (etl/review.py) applied to the machine's facts before the swap
        res.review = rv = review.apply(facts_by_doc, {d: v["sha256"] for d, v in docs.items()}, events, gaz)
        rows = cluster(rv.facts_by_doc, {d: v.get("date_published") for d, v in docs.items()})
        rows += [fact_row(f, "rejected-" + f.fact_id(), False, 1) for f in rv.rejected]  # kept, never counted
        try:
            res.version = write_version(db, list(docs.values()), rows, regions, meta, assert_checks,
                                        reviews=rv.reviews, orphans=rv.orphans)
            return res
        except CheckFailed as e:
            # a document whose facts fail the data checks is reported and left out; the rest load
            bad = set(e.docs) & new_ids
            if not bad or bad == set(docs):
                raise
            for d in sorted(bad):
                res.failures.append((docs[d]["path"], "data checks failed: " + ", ".join(e.docs[d])))
                res.docs_new -= 1
                del docs[d]
                if d in prev_docs:  # the version already loaded stays
                    docs[d] = prev_docs[d]
                    facts_by_doc[d] = [_fact_from_row(r) for r in prev_facts[d]]
                else:
                    del facts_by_doc[d]
            new_ids -= bad
            res.docs_total = len(docs)


POOL_MIN_FILES = 40


def process_file(path: Path, sha: str, m: dict) -> tuple[dict, list[Fact]] | str:
    """Read and extract one file; a string is the reason it was skipped."""
    try:
        raw = read_document(path)
    except ReadError as e:
        return str(e)
    info = DocInfo(path.stem, m.get("title") or raw.title, m.get("outlet") or raw.meta.get("outlet"),
                   _parse_date(m.get("date_published")) or _parse_date(raw.meta.get("date")),
                   m.get("url") or raw.meta.get("url"))
    try:
        ctx, facts = extract_document(raw.text, info)
    except Exception as e:  # a rule bug must not lose the batch
        return f"extraction failed: {type(e).__name__}: {e}"
    doc = {
        "doc_id": path.stem, "path": str(path), "sha256": sha, "extractor_version": EXTRACTOR_VERSION,
        "format": raw.format, "encoding": raw.encoding, "title": info.title or _first_line(raw.text),
        "outlet": ctx.outlet, "url": info.url,
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
