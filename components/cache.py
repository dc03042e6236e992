"""Cached access to the current database version (streamlit caches, keyed on the version).

The ETL swaps data/facts.duckdb to a new version file; `db.current_version()` (its real path)
is part of every cache key, so a new load shows on the next rerun without a restart.
"""

from __future__ import annotations

import streamlit as st

from components import db, queries


@st.cache_resource(show_spinner=False, max_entries=3)
def connection(version: str):
    """One read-only connection per version file; each query runs on its own cursor."""
    return db.open_version(version)


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _run(version: str, name: str, args: tuple, kwargs: tuple):
    fn = getattr(queries, name)
    cur = connection(version).cursor()
    try:
        return fn(cur, *args, **dict(kwargs))
    finally:
        cur.close()


def run(fn, *args, **kwargs):
    """queries.<fn>(con, *args, **kwargs) against the current version, cached."""
    version = db.current_version()
    if version is None:
        raise FileNotFoundError("no database")
    if getattr(queries, fn.__name__, None) is not fn:
        raise ValueError(f"not a query: {fn!r}")
    return _run(version, fn.__name__, args, tuple(sorted(kwargs.items())))
