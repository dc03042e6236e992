"""Orchestration: files -> documents -> facts -> a new database version (snapshot ->
meadow -> garden -> grapher). Reading and writing happen at the edges."""

from __future__ import annotations

import csv
import hashlib
import os
import sys
import time
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
from etl.store import (
    check_pointer,
    fact_row,
    read_orphans,
    read_previous,
    read_review_state,
    release_inherited_locks,
    versions_dir,
    write_lock,
    write_version,
)

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


def collect_files(paths: list[str], db: Path | None = None) -> tuple[list[Path], list[tuple[str, str]]]:
    """Supported files of the given files and folders, each once. In a folder, hidden entries
    and manifest.csv are left out; other files of an unsupported type, and symbolic links
    leading outside the folder, are skipped with a reason."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    own = {Path(os.path.abspath(db)), Path(os.path.abspath(versions_dir(db)))} if db is not None else set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            root = path.resolve()
            for f in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in f.relative_to(path).parts):
                    continue
                fa = Path(os.path.abspath(f))
                if not f.is_file() or f.name == "manifest.csv" or any(o == fa or o in fa.parents for o in own):
                    continue  # not a document, or the database this load writes
                if f.suffix.lower() not in SUPPORTED:  # said, never dropped in silence
                    kind = f"file type {f.suffix.lower()}" if f.suffix else "file without an extension"
                    skipped.append((str(f), f"unsupported {kind} (supported: {', '.join(SUPPORTED)})"))
                    continue
                if f.is_symlink() and not f.resolve().is_relative_to(root):
                    skipped.append((str(f), f"symbolic link to a file outside {path} (not loaded)"))
                    continue
                files.append(f)
        elif path.is_file():
            files.append(path)
        else:
            skipped.append((str(path), "no such file or folder"))
    seen: set[Path] = set()
    return [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))], skipped


def _parse_date(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return None


def load_manifests(files: list[Path]) -> dict[tuple[Path, str], dict]:
    """manifest.csv beside the documents: doc_id,title,outlet,date_published,url,date_accessed;
    keyed by (folder, file stem), so equal names in two folders keep their own rows."""
    out: dict[tuple[Path, str], dict] = {}
    for d in sorted({f.parent for f in files}):
        m = d / "manifest.csv"
        if m.exists():
            with open(m, encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    if row.get("doc_id"):
                        out[(d, row["doc_id"])] = row
    return out


def source_key(path: Path) -> str:
    """What makes a file one document: its resolved absolute path."""
    return str(Path(path).resolve())


class DocIds:
    """Readable document ids that never collide. A file keeps the id it was loaded under
    (found by its path; a file moved away from its old place takes over that id); a new file
    gets its stem (`report`), or when another file holds that already `folder/report`, then
    `folder/report.html`, then a hash of its path appended."""

    def __init__(self, prev_docs: dict[str, dict]):
        self.taken: dict[str, str] = {}  # doc_id -> source key
        for d, row in prev_docs.items():
            self.taken[d] = source_key(Path(row["path"])) if row.get("path") else d
        self.by_source = {k: d for d, k in self.taken.items()}

    def assign(self, path: Path) -> str:
        key = source_key(path)
        if key in self.by_source:
            return self.by_source[key]
        cands = [path.stem, f"{path.parent.name}/{path.stem}", f"{path.parent.name}/{path.name}"]
        for c in cands:
            old = self.taken.get(c)
            if old is None or (old != key and not Path(old).exists() and path.stem == c):
                break  # free, or its file is gone (moved here)
        else:
            c = f"{cands[-1]}#{hashlib.sha1(key.encode()).hexdigest()[:8]}"
        self.by_source.pop(self.taken.get(c), None)
        self.taken[c] = key
        self.by_source[key] = c
        return c


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
            groups[f.cluster_key(year(f))].append(f)
    rows = []
    for k, fs in groups.items():
        # split a group into clusters of one telling per document (the key holds the period)
        clusters: list[list[Fact]] = []
        docs_in: list[set[str]] = []
        for f in fs:
            for c, seen in zip(clusters, docs_in):
                if f.doc_id not in seen:
                    c.append(f)
                    seen.add(f.doc_id)
                    break
            else:
                clusters.append([f])
                docs_in.append({f.doc_id})
        for c in clusters:
            c.sort(key=lambda x: (doc_dates.get(x.doc_id) or date.max, x.doc_id, x.char_start))
            cid = hashlib.sha1(repr((k, c[0].doc_id, c[0].char_start)).encode()).hexdigest()[:16]
            n = len({x.doc_id for x in c})
            for i, f in enumerate(c):
                rows.append(fact_row(f, cid, i == 0, n))
    return rows


def ingest(paths: list[str], db: Path, progress: bool = False, timeout_s: float | None = None,
           on_wait=None) -> IngestResult:
    """Load files into a new version on top of the current one. Writers take turns (a lock
    beside the pointer), so two loads never drop each other's documents. `timeout_s` limits
    the extraction of each file (a file over it is skipped with the reason)."""
    check_pointer(db)
    with write_lock(db, on_wait=on_wait):
        return _ingest(paths, db, progress, timeout_s)


def _ingest(paths: list[str], db: Path, progress: bool, timeout_s: float | None = None) -> IngestResult:
    res = IngestResult()
    files, missing = collect_files(paths, db)
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
    todo: list[tuple[Path, str, dict, str]] = []
    ids = DocIds(prev_docs)
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
        doc_id = ids.assign(path)
        old = prev_docs.get(doc_id)
        if old and old["sha256"] == sha and old["extractor_version"] == EXTRACTOR_VERSION \
                and old.get("path") and source_key(Path(old["path"])) == source_key(path):
            res.docs_reused += 1
            continue
        todo.append((path, sha, manifest.get((path.parent, path.stem), {}), doc_id))
    for path, outcome in _run(todo, progress, timeout_s):
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
        rows = cluster(rv.facts_by_doc, {d: v.get("date_published") for d, v in docs.items()},
                       {d: v.get("doc_year") for d, v in docs.items()})
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
                    facts_by_doc[d] = [_fact_from_row(review.machine_row(r, prev_original.get(r["fact_id"])))
                                       for r in prev_facts[d]]
                else:
                    del facts_by_doc[d]
            new_ids -= bad
            res.docs_total = len(docs)


POOL_MIN_FILES = 40


def process_file(path: Path, sha: str, m: dict, doc_id: str | None = None) -> tuple[dict, list[Fact]] | str:
    """Read and extract one file; a string is the reason it was skipped."""
    doc_id = doc_id or path.stem
    try:
        raw = read_document(path)
    except ReadError as e:
        return str(e)
    info = DocInfo(doc_id, m.get("title") or raw.title, m.get("outlet") or raw.meta.get("outlet"),
                   _parse_date(m.get("date_published")) or _parse_date(raw.meta.get("date")),
                   m.get("url") or raw.meta.get("url"))
    try:
        ctx, facts = extract_document(raw.text, info)
    except Exception as e:  # a rule bug must not lose the batch
        return f"extraction failed: {type(e).__name__}: {e}"
    doc = {
        "doc_id": doc_id, "path": source_key(path), "sha256": sha, "extractor_version": EXTRACTOR_VERSION,
        "format": raw.format, "encoding": raw.encoding, "title": info.title or _first_line(raw.text),
        "outlet": ctx.outlet, "url": info.url,
        "date_published": ctx.date.day, "date_source": ctx.date.source, "doc_year": ctx.date.year,
        "date_accessed": _parse_date(m.get("date_accessed")), "n_chars": len(raw.text), "text": raw.text,
    }
    return doc, facts


def _worker_init(parent: int) -> None:
    """A pool worker never holds the parent's write lock and ends with its parent (even a
    SIGKILLed one), so a killed load cannot leave the next one waiting."""
    release_inherited_locks()
    die_with_parent(parent)


def die_with_parent(parent: int) -> None:
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent ended before the signal was armed
        os._exit(1)


def _process_args(args: tuple) -> tuple[Path, tuple | str]:
    return args[0], process_file(*args)


def _run(todo: list[tuple], progress: bool, timeout_s: float | None = None):
    """Extract files; yields (path, outcome) in order. Large batches, and every batch under a
    time limit, run in worker processes; a file over `timeout_s` is killed and reported."""
    bar = None
    if progress and len(todo) > 1:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc="ingest", unit="doc", file=sys.stderr)
    workers = min(os.cpu_count() or 1, 8, len(todo))
    try:
        if todo and (timeout_s or (len(todo) >= POOL_MIN_FILES and workers > 1)):
            outs = _pool(todo, max(workers, 1), timeout_s)
        else:
            outs = map(_process_args, todo)
        for out in outs:
            if bar:
                bar.update()
            yield out
    finally:
        if bar:
            bar.close()


def _worker_loop(conn, parent: int) -> None:
    _worker_init(parent)
    while True:
        try:
            args = conn.recv()
        except EOFError:
            return
        if args is None:
            return
        conn.send(_process_args(args))


def _pool(todo: list[tuple], workers: int, timeout_s: float | None):
    """Forked workers, one file at a time each, so that one file can be stopped alone."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    from etl.pipeline import warm

    warm()  # rules, gazetteer and dictionaries once, shared by fork
    ctx = mp.get_context("fork")
    parent = os.getpid()
    results: dict[int, tuple] = {}
    busy: dict = {}  # conn -> (process, index, deadline)
    idle: list = []
    nxt = done = lost = 0

    def start():
        a, b = ctx.Pipe()
        proc = ctx.Process(target=_worker_loop, args=(b, parent), daemon=True)
        proc.start()
        b.close()
        return proc, a

    def stop(proc, conn) -> None:
        if proc.is_alive():
            proc.kill()
        proc.join()
        conn.close()

    try:
        while done < len(todo):
            while nxt < len(todo) and (idle or len(busy) < workers):
                proc, conn = idle.pop() if idle else start()
                try:
                    conn.send(todo[nxt])
                except OSError:  # the worker is gone: the file goes to a new one, twice at most
                    stop(proc, conn)
                    lost += 1
                    if lost > 2:
                        results[nxt], lost = (todo[nxt][0], "extraction failed (no worker process)"), 0
                        nxt += 1
                    continue
                lost = 0
                busy[conn] = (proc, nxt, time.monotonic() + timeout_s if timeout_s else None)
                nxt += 1
            deadlines = [d for _, _, d in busy.values() if d is not None]
            wait_s = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            for conn in wait(list(busy), timeout=wait_s):
                proc, i, _ = busy.pop(conn)
                try:
                    results[i] = conn.recv()
                    idle.append((proc, conn))
                except Exception as e:  # EOF: the worker died on this file (memory, a crash)
                    why = "worker process ended" if isinstance(e, EOFError | OSError) else type(e).__name__
                    results[i] = (todo[i][0], f"extraction failed ({why})")
                    stop(proc, conn)
            now = time.monotonic()
            for conn, (proc, i, deadline) in list(busy.items()):
                if deadline is not None and now >= deadline and not conn.poll():
                    del busy[conn]
                    stop(proc, conn)
                    results[i] = (todo[i][0], f"extraction timed out (limit {timeout_s:g} s)")
            while done in results:
                yield results.pop(done)
                done += 1
    finally:
        for proc, conn in [*idle, *((p, c) for c, (p, _, _) in busy.items())]:
            try:
                conn.send(None)
            except OSError:
                pass
            stop(proc, conn)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:80]
    return ""
