"""Clusters: two reports are one fact only when metric, value, region and period agree; durations
and mechanisms of different years stay apart."""

from __future__ import annotations

from datetime import date

from etl.ingest import cluster
from etl.models import Fact
from etl.store import FACT_COLUMNS


def _fact(doc, kind="figure", **kw):
    return Fact(kind=kind, doc_id=doc, region_id="500000", region="重庆市", province="重庆", region_level="province",
                evidence="x", char_start=0, char_end=1, sentence_start=0, sentence_end=1, **kw)


def _clusters(facts_by_doc, dates, years=None):
    rows = [dict(zip(FACT_COLUMNS, r)) for r in cluster(facts_by_doc, dates, years)]
    return sorted(sorted(r["doc_id"] for r in rows if r["cluster_id"] == c) for c in {r["cluster_id"] for r in rows})


Q1_23 = dict(period_start=date(2023, 1, 1), period_end=date(2023, 3, 31))
Q1_24 = dict(period_start=date(2024, 1, 1), period_end=date(2024, 3, 31))
DATES = {"a": date(2023, 4, 10), "b": date(2023, 4, 12), "c": date(2024, 4, 10), "d": None}


def test_same_figure_same_period_is_one_fact():
    f = dict(metric="signed_amount", value=100.0, unit="亿元", currency="CNY")
    assert _clusters({"a": [_fact("a", **f, **Q1_23)], "b": [_fact("b", **f, **Q1_23)]}, DATES) == [["a", "b"]]


def test_same_value_other_period_or_unknown_period_stays_apart():
    f = dict(metric="signed_amount", value=100.0, unit="亿元", currency="CNY")
    got = _clusters({"a": [_fact("a", **f, **Q1_23)], "c": [_fact("c", **f, **Q1_24)], "d": [_fact("d", **f)]}, DATES)
    assert got == [["a"], ["c"], ["d"]]


def test_mechanisms_of_different_years_stay_apart():
    m = dict(category="performance_race", name="赛马榜")
    facts = {"a": [_fact("a", "mechanism", **m)], "b": [_fact("b", "mechanism", **m)],
             "c": [_fact("c", "mechanism", **m)], "d": [_fact("d", "mechanism", **m)]}
    # d has no date but its document's year (from its text) is 2024: one story with c
    assert _clusters(facts, DATES, {"d": 2024}) == [["a", "b"], ["c", "d"]]


def test_durations_dated_by_their_event():
    d = dict(from_stage="签约", to_stage="开工", days=30.0)
    facts = {"a": [_fact("a", "duration", **d)], "c": [_fact("c", "duration", **d, **Q1_23)]}
    # c was published in 2024 about a 2023 event: the same year as a's report
    assert _clusters(facts, DATES) == [["a", "c"]]
