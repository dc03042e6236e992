"""serve.py's warm-up: the default overview's queries computed before the first visitor asks."""

from __future__ import annotations

import functools

from streamlit.testing.v1 import AppTest

from components import cache, queries
from tests.dashboard.test_pages import run

WARM = "from components import cache\ncache.warm()\n"


def _count_queries(monkeypatch) -> list[str]:
    calls: list[str] = []
    for name in ("filter_options", "comparison_options", "kpis", "top_regions", "nested_children", "unlike_regions",
                 "province_summary", "region_points", "latest_facts", "documents_index"):
        real = getattr(queries, name)

        @functools.wraps(real)
        def counted(*a, _real=real, _n=name, **k):
            calls.append(_n)
            return _real(*a, **k)

        monkeypatch.setattr(queries, name, counted)
    return calls


def test_after_the_warm_up_the_overview_runs_no_query(monkeypatch):
    cache._run.clear()
    calls = _count_queries(monkeypatch)
    run("overview")
    assert "top_regions" in calls  # cold: the overview computes its queries
    cache._run.clear()
    calls.clear()
    AppTest.from_string(WARM, default_timeout=60).run()
    assert "top_regions" in calls
    calls.clear()
    at = run("overview")
    assert calls == []  # every query of the default link was precomputed
    assert at.get("plotly_chart")
