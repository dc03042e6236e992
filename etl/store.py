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
import hashlib
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.models import Fact
from etl.rules import load_yaml

SCHEMA = Path(__file__).with_name("schema.sql")
KEEP_VERSIONS = 3
FACT_COLUMNS = (
    "fact_id", "doc_id", "kind", "region_id", "region", "province", "region_level", "metric", "value",
    "unit", "currency", "value_cny", "period_start", "period_end", "yoy_pct", "is_target", "qualifier",
    "subject", "industry_chain", "from_stage", "to_stage", "days", "baseline_days", "category", "name",
    "evidence", "char_start", "char_end", "sentence_start", "sentence_end", "cluster_id", "is_primary",
    "n_sources",
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


def fact_id(f: Fact) -> str:
    h = hashlib.sha1(f"{f.doc_id}|{f.kind}|{f.char_start}|{f.char_end}|{f.metric}|{f.category}|{f.value}|{f.days}".encode())
    return h.hexdigest()[:16]


def fact_row(f: Fact, cluster_id: str, is_primary: bool, n_sources: int) -> tuple:
    value_cny = None
    if f.kind == "figure" and f.unit in ("亿元", "亿") and f.value is not None:
        rate = fx_rates().get(f.currency or "CNY")
        value_cny = round(f.value * rate, 6) if rate else None
    d = {**f.__dict__, "fact_id": fact_id(f), "value_cny": value_cny, "cluster_id": cluster_id,
         "is_primary": is_primary, "n_sources": n_sources}
    return tuple(d.get(c) for c in FACT_COLUMNS)


REGION_COLUMNS = ("region_id", "name", "short_name", "level", "parent_id", "province", "lon", "lat")


def _bulk(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(columns)).astype(object)
    frame = frame.where(frame.notna(), None)
    con.register("_bulk_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _bulk_frame")
    finally:
        con.unregister("_bulk_frame")


def _new_version_path(db: Path) -> Path:
    vd = versions_dir(db)
    vd.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return vd / f"{db.stem}-{stamp}-{os.getpid()}.duckdb"


def write_version(db: Path, docs: list[dict], facts: list[tuple], regions: list[tuple],
                  meta: dict[str, str], check) -> Path:
    """Write a complete new version file, run `check(con)` on it, then swap the pointer.
    On any failure the new file is removed and the pointer is untouched."""
    db = Path(db)
    path = _new_version_path(db)
    try:
        con = duckdb.connect(str(path))
        try:
            con.execute("BEGIN")
            con.execute(SCHEMA.read_text(encoding="utf-8"))
            con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
            # bulk loads through Arrow-backed frames: row-by-row inserts dominate big loads
            _bulk(con, "regions", REGION_COLUMNS, regions)
            _bulk(con, "documents", DOC_COLUMNS, [tuple(d.get(c) for c in DOC_COLUMNS) for d in docs])
            _bulk(con, "facts", FACT_COLUMNS, facts)
            con.execute("CREATE TABLE fact_base AS SELECT * FROM v_fact_base")  # precomputed for the dashboard
            con.execute("COMMIT")
            check(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        swap(db, path)
    except BaseException:
        for p in (path, Path(str(path) + ".wal")):
            if p.exists():
                p.unlink()
        raise
    prune(db)
    return path


@contextlib.contextmanager
def write_lock(db: Path):
    """One writer at a time per database pointer (CLI and uploads alike): an exclusive flock
    on `.<name>.lock` beside it, released by the OS even when the holder is killed."""
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(db.parent / f".{db.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def swap(db: Path, version: Path) -> None:
    """Point db at version atomically."""
    tmp = db.parent / f".{db.name}.tmp-{os.getpid()}-{time.monotonic_ns()}"
    target = os.path.relpath(version, db.parent)
    os.symlink(target, tmp)
    os.replace(tmp, db)


def prune(db: Path, keep: int = KEEP_VERSIONS) -> None:
    """Remove old version files (readers holding one open keep reading it)."""
    vd = versions_dir(db)
    if not vd.exists():
        return
    cur = current_file(db)
    files = sorted(vd.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
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


def doc_hashes(db: Path) -> dict[str, str]:
    """doc_id -> sha256 of the documents in the current version ({} when there is none)."""
    cur = current_file(Path(db))
    if cur is None:
        return {}
    try:
        con = duckdb.connect(str(cur), read_only=True)
    except duckdb.Error:
        return {}
    try:
        return dict(con.execute("SELECT doc_id, sha256 FROM documents").fetchall())
    except duckdb.Error:
        return {}
    finally:
        con.close()


def read_previous(db: Path) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """Documents and their facts from the current version, to reuse unchanged ones."""
    cur = current_file(Path(db))
    if cur is None:
        return {}, {}
    try:
        con = duckdb.connect(str(cur), read_only=True)
    except duckdb.Error:
        return {}, {}
    try:
        docs = {r["doc_id"]: r for r in rows(con, "SELECT * FROM documents")}
        facts: dict[str, list[dict]] = {}
        for r in rows(con, "SELECT * FROM facts"):
            facts.setdefault(r["doc_id"], []).append(r)
        return docs, facts
    except duckdb.Error:
        return {}, {}
    finally:
        con.close()
