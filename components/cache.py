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


def warm(version: str | None = None) -> None:
    """Run the default overview's queries for `version` into the caches (what a link without filters
    opens first). Called by serve.py when the server starts and when a new version appears; the
    calls are the overview's own (same arguments), so its first run finds them cached."""
    from components import filters

    version = version or db.current_version()
    if version is None:
        return

    def go(fn, *args, **kwargs):
        return _run(version, fn.__name__, args, tuple(sorted(kwargs.items())))

    go(queries.filter_options)
    f = filters.resolve_like(filters.Filters(), go(queries.comparison_options, filters.Filters()))
    for fn, kw in ((queries.kpis, {}), (queries.top_regions, dict(metric="signed_amount", n=10)),
                   (queries.nested_children, dict(metric=("signed_amount",))),
                   (queries.unlike_regions, dict(metric=("signed_amount",))), (queries.province_summary, {}),
                   (queries.region_points, {}), (queries.latest_facts, dict(limit=20))):
        go(fn, f, **kw)
    go(queries.documents_index)
