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
