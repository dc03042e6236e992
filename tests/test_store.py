"""Versions, atomic swap and the post-load data checks."""

import os

import duckdb
import pytest

from etl.checks import CheckFailed, assert_checks, run_checks
from etl.store import current_file, versions_dir, write_version

DOC = {"doc_id": "d1", "sha256": "x", "extractor_version": "t", "text": "签约项目12个", "n_chars": 7}
REGION = ("500000", "重庆市", "重庆", "province", None, "重庆", 106.5, 29.5)


def fact(**kw):
    base = dict(fact_id="f1", doc_id="d1", kind="figure", region_id="500000", region="重庆市", province="重庆",
                region_level="province", metric="signed_projects", value=12.0, unit="个", evidence="签约项目12个",
                char_start=0, char_end=7, cluster_id="c1", is_primary=True, n_sources=1)
    base.update(kw)
    from etl.store import FACT_COLUMNS

    return tuple(base.get(c) for c in FACT_COLUMNS)


def build(tmp_path, rows):
    db = tmp_path / "facts.duckdb"
    return db, write_version(db, [DOC], rows, [REGION], {"v": "1"}, assert_checks)


def test_good_version_swapped_in(tmp_path):
    db, path = build(tmp_path, [fact()])
    assert db.is_symlink() and current_file(db) == path.resolve()


@pytest.mark.parametrize(
    "bad",
    [
        {"metric": "not_a_metric"},
        {"unit": "亩"},
        {"evidence": "别的句子"},
        {"char_end": 3},
        {"region_id": "999999"},
        {"province": None},
        {"period_start": "2024-05-01", "period_end": "2024-01-01"},
        {"kind": "opinion"},
        {"is_primary": False},
    ],
)
def test_bad_row_fails_and_keeps_old_version(tmp_path, bad):
    db, good = build(tmp_path, [fact()])
    with pytest.raises(CheckFailed):
        write_version(db, [DOC], [fact(**bad)], [REGION], {"v": "2"}, assert_checks)
    assert current_file(db) == good.resolve()
    assert sorted(versions_dir(db).glob("*.duckdb")) == [good]


def test_checks_report_names(tmp_path):
    db, path = build(tmp_path, [fact()])
    con = duckdb.connect(str(path))
    con.execute("UPDATE facts SET metric = 'oops'")
    assert any(f.startswith("metric in vocabulary") for f in run_checks(con))
    con.close()


def test_old_versions_pruned(tmp_path):
    db = tmp_path / "facts.duckdb"
    for i in range(5):
        write_version(db, [DOC], [fact()], [REGION], {"v": str(i)}, assert_checks)
    assert len(list(versions_dir(db).glob("*.duckdb"))) == 3
    assert os.path.exists(os.path.realpath(db))


@pytest.mark.parametrize("bad", [{}, {"evidence": "签约项目13个"}, {"char_start": 1}])
def test_evidence_checked_in_long_documents_too(tmp_path, bad):
    """Evidence far into a long text is checked without counting characters from the start."""
    from etl.checks import LONG_TEXT

    text = "前言。" * (LONG_TEXT // 3 + 10) + "签约项目12个"
    start = len(text) - 7
    doc = {**DOC, "text": text, "n_chars": len(text)}
    db = tmp_path / "facts.duckdb"
    kw = {"char_start": start, "char_end": start + 7, **bad}
    if "char_start" in bad:
        kw["char_start"] = start + bad["char_start"]
    row = fact(**kw)
    if not bad:
        write_version(db, [doc], [row], [REGION], {"v": "1"}, assert_checks)
        return
    with pytest.raises(CheckFailed, match="evidence verbatim"):
        write_version(db, [doc], [row], [REGION], {"v": "1"}, assert_checks)


def test_every_fact_column_is_a_field_or_set_by_fact_row():
    from dataclasses import fields

    from etl.models import Fact
    from etl.store import FACT_COLUMNS, fact_row

    own = {"fact_id", "value_cny", "cluster_id", "is_primary", "n_sources"}
    assert set(FACT_COLUMNS) - {f.name for f in fields(Fact)} == own
    f = Fact(kind="figure", doc_id="d", region_id=None, region=None, province=None, region_level=None,
             evidence="x", char_start=0, char_end=1, sentence_start=0, sentence_end=1,
             metric="signed_amount", value=2.0, unit="亿", currency="USD")
    row = dict(zip(FACT_COLUMNS, fact_row(f, "c1", True, 3)))
    assert (row["cluster_id"], row["is_primary"], row["n_sources"], row["metric"]) == ("c1", True, 3, "signed_amount")
    assert row["value_cny"] > 2.0 and row["fact_id"] == f.fact_id()
