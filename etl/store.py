"""The only writer to DuckDB (I/O boundary).

A database path given by the user (e.g. data/facts.duckdb) is a *pointer*: a symlink to one
immutable version file in `<name>.versions/`. A load builds a new version file beside the
old one, runs the data checks on it, and swaps the pointer atomically (os.replace of a
symlink), so a dashboard reading the old version never sees a lock or a half-written file.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import operator
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.models import Fact, review_key
from etl.rules import load_yaml

SCHEMA = Path(__file__).with_name("schema.sql")
KEEP_VERSIONS = 3
FACT_COLUMNS = (
    "fact_id", "doc_id", "kind", "region_id", "region", "province", "region_level", "metric", "value",
    "unit", "currency", "value_cny", "period_start", "period_end", "yoy_pct", "is_target", "qualifier",
    "subject", "industry_chain", "from_stage", "to_stage", "days", "baseline_days", "category", "name",
    "evidence", "char_start", "char_end", "sentence_start", "sentence_end", "cluster_id", "is_primary",
    "n_sources", "region_rule", "from_stage_key", "to_stage_key", "stage_group", "baseline_kind", "baseline_ref",
)
DOC_COLUMNS = (
    "doc_id", "path", "sha256", "extractor_version", "format", "encoding", "title", "outlet", "url",
    "date_published", "date_source", "doc_year", "date_accessed", "n_chars", "text", "ingested_at",
)


def versions_dir(db: Path) -> Path:
    return db.parent / (db.name + ".versions")


def current_file(db: Path) -> Path | None:
    """The version file the pointer designates, or None when there is no database."""
    if db.is_symlink() or db.exists():
        real = Path(os.path.realpath(db))
        return real if real.exists() else None
    return None


def connect_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    cur = current_file(Path(db))
    if cur is None:
        raise FileNotFoundError(f"no database at {db}")
    return duckdb.connect(str(cur), read_only=True)


@functools.lru_cache(maxsize=1)
def fx_rates() -> dict[str, float]:
    return {k: float(v) for k, v in load_yaml("fx.yml")["rates_to_cny"].items()}


def fact_key(sha256: str, f) -> str:
    """A fact's stable identity for human review (`models.review_key`)."""
    return review_key(sha256, f)


def fact_row(f: Fact, cluster_id: str, is_primary: bool, n_sources: int) -> tuple:
    value_cny = None
    if f.kind == "figure" and f.unit in ("亿元", "亿") and f.value is not None:
        rate = fx_rates().get(f.currency or "CNY")
        value_cny = round(f.value * rate, 6) if rate else None
    d = {**f.__dict__, "fact_id": f.fact_id(), "value_cny": value_cny, "cluster_id": cluster_id,
         "is_primary": is_primary, "n_sources": n_sources}
    return _FACT_ROW(d)


_FACT_ROW = operator.itemgetter(*FACT_COLUMNS)  # every column is a Fact field or set by fact_row


REVIEW_COLUMNS = ("fact_id", "fact_key", "review_status", "reviewed_by", "reviewed_at", "original")
ORPHAN_COLUMNS = ("fact_key", "review_status", "reviewed_by", "reviewed_at", "doc_id", "evidence", "summary",
                  "reason")


def _unreviewed(docs: list[dict], facts: list[tuple]) -> list[tuple]:
    from types import SimpleNamespace

    sha = {d["doc_id"]: d.get("sha256") or "" for d in docs}
    out = []
    for row in facts:
        f = SimpleNamespace(**dict(zip(FACT_COLUMNS, row)))
        out.append((f.fact_id, fact_key(sha.get(f.doc_id, ""), f), "machine", None, None, None))
    return out


REGION_COLUMNS = ("region_id", "name", "short_name", "level", "parent_id", "province", "lon", "lat")


def _bulk(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows through one Arrow table (row-by-row inserts dominate big loads)."""
    if not rows:
        return
    import pyarrow as pa

    try:
        frame = pa.table([pa.array(col, from_pandas=True) for col in zip(*rows, strict=True)], names=list(columns))
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column of mixed types: let DuckDB cast each value
        import pandas as pd

        frame = pd.DataFrame.from_records(rows, columns=list(columns)).astype(object)
        frame = frame.where(frame.notna(), None)
    con.register("_bulk_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _bulk_frame")
    finally:
        con.unregister("_bulk_frame")


PARTIAL = ".partial.duckdb"  # a version being written; renamed to .duckdb once complete


def _new_version_path(db: Path) -> Path:
    vd = versions_dir(db)
    vd.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return vd / f"{db.stem}-{stamp}-{os.getpid()}{PARTIAL}"


def write_version(db: Path, docs: list[dict], facts: list[tuple], regions: list[tuple],
                  meta: dict[str, str], check, reviews: list[tuple] | None = None,
                  orphans: list[tuple] = ()) -> Path:
    """Write a complete new version file, run `check(con)` on it, then swap the pointer.
    On any failure the new file is removed and the pointer is untouched. The file carries
    the name `….partial.duckdb` until it is complete, so a killed load's leftover is never
    taken for a version. `reviews` (REVIEW_COLUMNS rows, etl/review.py) default to every fact
    unreviewed."""
    db = Path(db)
    check_pointer(db)
    if reviews is None:
        reviews = _unreviewed(docs, facts)
    path = _new_version_path(db)
    final = path.with_name(path.name[: -len(PARTIAL)] + ".duckdb")
    try:
        con = duckdb.connect(str(path))
        try:
            con.execute("BEGIN")
            con.execute(SCHEMA.read_text(encoding="utf-8"))
            con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
            _bulk(con, "regions", REGION_COLUMNS, regions)
            _bulk(con, "documents", DOC_COLUMNS, [tuple(d.get(c) for c in DOC_COLUMNS) for d in docs])
            # one row per telling: the id is the fact's full identity and span (`Fact.fact_id`)
            seen: set[str] = set()
            _bulk(con, "facts", FACT_COLUMNS, [r for r in facts if not (r[0] in seen or seen.add(r[0]))])
            _bulk(con, "fact_reviews", REVIEW_COLUMNS, reviews)
            _bulk(con, "review_orphans", ORPHAN_COLUMNS, list(orphans))
            con.execute("CREATE TABLE fact_base AS SELECT * FROM v_fact_base")  # precomputed for the dashboard
            con.execute("COMMIT")
            check(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(path, final)
        swap(db, final)
    except BaseException:
        for p in (path, Path(str(path) + ".wal"), final):
            if p.exists() and p.resolve() != current_file(db):
                p.unlink()
        raise
    prune(db)
    return final


class NotAPointer(ValueError):
    """--db names a file that is not the project's pointer to a version."""


def check_pointer(db: Path) -> None:
    """db must be absent or the project's pointer (a symlink into <name>.versions/): never
    replace a user's own file."""
    db = Path(db)
    if db.is_symlink():
        target = Path(os.path.realpath(db))
        if target.parent == Path(os.path.realpath(versions_dir(db))):
            return
        raise NotAPointer(f"{db} is a link to {os.readlink(db)}, not to a version in {versions_dir(db).name}/; "
                          "it is left as it is (choose another --db)")
    if db.exists():
        kind = "folder" if db.is_dir() else "file"
        raise NotAPointer(f"{db} is an existing {kind}, not a database pointer made by this tool; "
                          "it is left as it is (choose another --db)")


class LockError(RuntimeError):
    """The write lock could not be taken (a stale lock, or the wait limit passed)."""


_HELD_LOCKS: set[int] = set()  # lock descriptors this process holds (closed in pool workers)
STALE_GRACE_S = 2.0


def lock_path(db: Path) -> Path:
    db = Path(db)
    return db.parent / f".{db.name}.lock"


def release_inherited_locks() -> None:
    """In a forked worker: close the parent's lock descriptors, so that the lock never
    outlives the process that took it."""
    for fd in list(_HELD_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
        _HELD_LOCKS.discard(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(fd: int) -> tuple[int, str] | None:
    """(pid, started) written into the lock file by the process that holds it."""
    try:
        raw = os.pread(fd, 200, 0).decode("ascii", "replace").split()
        return (int(raw[0]), raw[1] if len(raw) > 1 else "?") if raw else None
    except (OSError, ValueError):
        return None


def _lock_holders(path: Path) -> list[int]:
    """Processes with the lock file open (from /proc; [] where unavailable)."""
    target = os.path.realpath(path)
    pids = []
    try:
        procs = [d for d in os.listdir("/proc") if d.isdigit()]
    except OSError:
        return []
    for d in procs:
        try:
            if any(os.readlink(f"/proc/{d}/fd/{fd}") == target for fd in os.listdir(f"/proc/{d}/fd")):
                pids.append(int(d))
        except OSError:
            continue
    return sorted(pids)


@contextlib.contextmanager
def write_lock(db: Path, wait_s: float | None = None, on_wait=None):
    """One writer at a time per database pointer (CLI and uploads alike): an exclusive flock
    on `.<name>.lock` beside it, released by the OS when the holder ends (pool workers close
    their inherited copy). The holder writes its pid into the file; a waiter reports whom it
    waits for (`on_wait(pid, started)`), and raises LockError when the lock is held although
    its taker has ended (a stale lock) or after `wait_s` seconds."""
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(db)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _HELD_LOCKS.add(fd)
    try:
        start = time.monotonic()
        told, dead_since = None, None
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pass
            holder = _holder(fd)
            if holder is not None and holder != told:
                told = holder
                if on_wait:
                    on_wait(*holder)
            if holder is not None and not _alive(holder[0]):
                dead_since = dead_since or time.monotonic()
                if time.monotonic() - dead_since > STALE_GRACE_S:
                    others = [p for p in _lock_holders(path) if p != os.getpid()]
                    raise LockError(
                        f"stale lock {path}: the load that took it (pid {holder[0]}, {holder[1]}) has ended, "
                        "but the lock is still held (left-over processes of a killed load"
                        + (f"; processes with the lock file open: pid {', '.join(map(str, others))}" if others else "")
                        + "); end them, then load again")
            else:
                dead_since = None
            if wait_s is not None and time.monotonic() - start > wait_s:
                raise LockError(f"another load holds {path}"
                                + (f" (pid {holder[0]}, since {holder[1]})" if holder else "")
                                + f"; gave up after {wait_s:g} s")
            time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {datetime.now(UTC).isoformat(timespec='seconds')}\n".encode(), 0)
        yield
    finally:
        _HELD_LOCKS.discard(fd)
        os.close(fd)


def swap(db: Path, version: Path) -> None:
    """Point db at version atomically."""
    tmp = db.parent / f".{db.name}.tmp-{os.getpid()}-{time.monotonic_ns()}"
    target = os.path.relpath(version, db.parent)
    os.symlink(target, tmp)
    os.replace(tmp, db)


def prune(db: Path, keep: int = KEEP_VERSIONS) -> None:
    """Remove old version files (readers holding one open keep reading it), and what killed
    loads left: partial files of ended processes never count as versions."""
    vd = versions_dir(db)
    if not vd.exists():
        return
    cur = current_file(db)
    for p in vd.glob(f"*{PARTIAL}*"):
        pid = p.name.split(PARTIAL)[0].rsplit("-", 1)[-1]
        if not (pid.isdigit() and _alive(int(pid))):
            try:
                p.unlink()
            except OSError:
                pass
    files = sorted((p for p in vd.glob("*.duckdb") if not p.name.endswith(PARTIAL)),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for p in files[keep:]:
        if cur is not None and p.resolve() == cur:
            continue
        try:
            p.unlink()
        except OSError:
            pass


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _from_current(db: Path, read, default):
    """`read(con)` on the current version opened read-only; `default` when there is no version
    or it cannot be read (an older version without the table, a damaged file)."""
    cur = current_file(Path(db))
    if cur is None:
        return default
    try:
        con = duckdb.connect(str(cur), read_only=True)
    except duckdb.Error:
        return default
    try:
        return read(con)
    except duckdb.Error:
        return default
    finally:
        con.close()


def doc_hashes(db: Path) -> dict[str, str]:
    """doc_id -> sha256 of the documents in the current version ({} when there is none)."""
    return _from_current(db, lambda con: dict(con.execute("SELECT doc_id, sha256 FROM documents").fetchall()), {})


def read_previous(db: Path) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """Documents and their facts from the current version, to reuse unchanged ones."""
    def read(con):
        docs = {r["doc_id"]: r for r in rows(con, "SELECT * FROM documents")}
        facts: dict[str, list[dict]] = {}
        for r in rows(con, "SELECT * FROM facts"):
            facts.setdefault(r["doc_id"], []).append(r)
        return docs, facts
    return _from_current(db, read, ({}, {}))


def read_review_state(db: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The current version's meta and, per fact_id, the machine's values a correction replaced
    (fact_reviews.original); ({}, {}) when there is no version or it predates reviews."""
    def read(con):
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        try:
            orig = dict(con.execute("SELECT fact_id, original FROM fact_reviews WHERE original IS NOT NULL").fetchall())
        except duckdb.Error:
            orig = {}
        return meta, orig
    return _from_current(db, read, ({}, {}))


def read_orphans(db: Path) -> list[tuple]:
    """The current version's review decisions whose fact no longer exists (ORPHAN_COLUMNS rows)."""
    return _from_current(db, lambda con: con.execute(
        f"SELECT {', '.join(ORPHAN_COLUMNS)} FROM review_orphans ORDER BY reviewed_at, fact_key").fetchall(), [])
