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
