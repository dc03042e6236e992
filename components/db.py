"""The dashboard's only I/O: a read-only connection to the current database version.

The ETL swaps data/facts.duckdb (a symlink) to a new version file atomically; the version
(the real path) keys the connection and every cache, so a new load shows without restart.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DB_ENV = "ZSYZ_DB"
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "facts.duckdb"


def db_path() -> Path:
    return Path(os.environ.get(DB_ENV, DEFAULT_DB))


def current_version() -> str | None:
    """Real path of the version the pointer designates (None when nothing is loaded)."""
    p = db_path()
    if not (p.is_symlink() or p.exists()):
        return None
    real = os.path.realpath(p)
    return real if os.path.exists(real) else None


def open_version(version: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(version, read_only=True)


def versions() -> list[tuple[str, str]]:
    """(path, built_at) of the kept versions beside the pointer, newest first (unreadable ones left out)."""
    from components import queries

    p = db_path()
    vd = p.parent / (p.name + ".versions")
    out = []
    for f in sorted(vd.glob("*.duckdb"), key=lambda x: x.stat().st_mtime, reverse=True) if vd.is_dir() else []:
        try:
            con = duckdb.connect(str(f), read_only=True)
        except duckdb.Error:
            continue
        try:
            out.append((str(f), queries.version_built_at(con) or ""))
        except duckdb.Error:
            pass
        finally:
            con.close()
    return out


def open_as_of(version: str, day) -> duckdb.DuckDBPyConnection:
    """An in-memory connection showing `version` as it stood on `day` (documents published by then)."""
    from components import queries

    con = duckdb.connect()
    con.execute("ATTACH " + "'" + str(version).replace("'", "''") + "' AS src (READ_ONLY)")
    for stmt in queries.as_of_sql(day):
        con.execute(stmt)
    tables, views = queries.attached_objects(con, "src")
    for t in tables:  # the other tables as they are (fact_base, derived from the facts, below)
        if t not in ("documents", "facts", "fact_base"):
            con.execute(f'CREATE VIEW "{t}" AS SELECT * FROM src."{t}"')
    pending = list(views)  # the version's own views, now over the views above (in dependency order)
    while pending:
        left = []
        for v in pending:
            try:
                con.execute(v)
            except duckdb.CatalogException:
                left.append(v)
        if len(left) == len(pending):
            con.execute(left[0])  # raises: a view over something that does not exist
        pending = left
    if "fact_base" in tables:  # the precomputed table, recomputed over the facts of that day
        con.execute("CREATE VIEW fact_base AS SELECT * FROM v_fact_base")
    return con
