"""新变化 (since the last briefing): against an earlier data version or a date, the pack lists the
facts added, the figures whose value changed and the ranking moves, each with its source."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil

import docx
import duckdb
import pytest

from components import briefing, db
from components.filters import Filters
from tests.conftest import SEEDS
from tests.dashboard import conftest as fx

HELD_OUT = "004_337bac2747934923"  # a bundled document loaded in the second version only


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """The bundled corpus loaded twice into one database: first without one document (version A),
    then that document on top (version B, the current one)."""
    from etl.ingest import ingest

    root = tmp_path_factory.mktemp("since")
    first, second = root / "first", root / "second"
    first.mkdir()
    second.mkdir()
    for p in SEEDS.iterdir():
        shutil.copy(p, (second if p.stem == HELD_OUT else first) / p.name)
    shutil.copy(SEEDS / "manifest.csv", second / "manifest.csv")
    pointer = root / "facts.duckdb"
    a = ingest([str(first)], pointer, log=lambda *a: None)
    b = ingest([str(second)], pointer, log=lambda *a: None)
    assert not a.failures and not b.failures and a.version != b.version
    return pointer, str(a.version), str(b.version)


def added_facts(old: str, new: str) -> set[str]:
    """Straight from the two version files: achievements of B (one row per cluster) whose cluster
    has no source already in A."""
    with duckdb.connect(old, read_only=True) as c:
        known = {r[0] for r in c.execute("SELECT fact_id FROM facts").fetchall()}
    with duckdb.connect(new, read_only=True) as c:
        rows = c.execute("SELECT fact_id, cluster_id, is_primary, coalesce(is_target, FALSE) FROM facts").fetchall()
    known_clusters = {cl for fid, cl, _p, _t in rows if fid in known}
    return {fid for fid, cl, primary, target in rows if primary and not target and cl not in known_clusters}


def test_since_a_version_lists_exactly_the_facts_added(two_versions, monkeypatch):
    pointer, va, vb = two_versions
    expected = added_facts(va, vb)
    assert expected  # the held-out document brings facts of its own
    monkeypatch.setenv(db.DB_ENV, str(pointer))
    since = briefing.parse_since(os.path.basename(va))
    assert since == briefing.Since(version=os.path.realpath(va))
    assert briefing.parse_since("previous") == since  # the version before the current one
    con = duckdb.connect(vb, read_only=True)
    old = briefing.open_since(since, vb)
    try:
        b = briefing.collect(con, Filters(), images=False, since=old)
    finally:
        con.close()
        old[0].close()
    ch = b.changes
    assert {c.fact_id for c in ch.new} | {c.fact_id for c in ch.changed} == expected
    assert len({c.fact_id for c in ch.new}) == len(ch.new)  # each once
    with duckdb.connect(vb, read_only=True) as c:
        docs = dict(c.execute("SELECT fact_id, doc_id FROM facts").fetchall())
        title = c.execute("SELECT title FROM documents WHERE doc_id = ?", [HELD_OUT]).fetchone()[0]
    assert {docs[c.fact_id] for c in ch.new} == {HELD_OUT}
    assert all(f"《{title}》" in c.source and c.evidence for c in ch.new)  # each with its source
    # the held-out document's regions enter the signed-amount ranking
    assert ch.ranks and all(c.source.startswith("来源：") for c in ch.ranks)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(briefing.to_docx(b))).paragraphs)
    assert "一、新变化" in text and "二、关键数字" in text
    for c in ch.new + ch.ranks:
        assert c.text in text


def test_the_same_version_has_nothing_new(two_versions):
    _pointer, _va, vb = two_versions
    con = duckdb.connect(vb, read_only=True)
    old = duckdb.connect(vb, read_only=True)
    try:
        ch = briefing.changes_since(old, con, Filters(), "同一版本")
    finally:
        con.close()
        old.close()
    assert len(ch) == 0


def test_since_a_date_counts_documents_published_after_it(fixture_db):
    """As of 2023-05-10 the hand-written database knew only 重庆日报 (d3): the 南京 and 东莞 documents
    are new; 重庆晨报 (d4, 5月11日) only reprints d3's facts, which are not new; a target never is."""
    version = os.path.realpath(fixture_db)
    since = briefing.parse_since("2023-5-10")
    assert since == briefing.Since(day=fx.date(2023, 5, 10))
    con = duckdb.connect(version, read_only=True)
    old, label = briefing.open_since(since, version)
    try:
        ch = briefing.changes_since(old, con, Filters(), label)
    finally:
        con.close()
        old.close()
    expected = {ev for doc, _r, _k, ev, f in fx.FACTS
                if doc in ("d1_nanjing", "d2_dongguan") and not f.get("is_target")}
    assert {c.evidence for c in ch.new} == expected and not ch.changed
    assert "2023年5月10日" in label
    moves = {c.text.split("签约金额")[0]: c.text for c in ch.ranks}
    assert set(moves) == {"东莞市", "江宁高新区", "巴南区", "深圳市"}  # 重庆市 stays first
    assert "由第2位降至第4位" in moves["巴南区"] and "新进入前10名，居第2位" in moves["东莞市"]


def test_a_changed_value_is_reported_with_what_it_was(tmp_path):
    """A corrected figure (same region, metric, period and 口径; new value, so a new fact) shows
    as a change with the earlier value and both sources, not as a new fact."""
    from etl.store import FACT_COLUMNS, write_version

    docs, rows = fx.build_rows()
    i_val, i_id = FACT_COLUMNS.index("value"), FACT_COLUMNS.index("fact_id")
    i_cny, i_ev = FACT_COLUMNS.index("value_cny"), FACT_COLUMNS.index("evidence")
    k = next(i for i, r in enumerate(rows) if r[i_ev] == "资金到位1152亿元。")
    fixed = list(rows)
    r = list(fixed[k])
    r[i_val], r[i_cny], r[i_id] = 1125.0, 1125.0, "f-corrected"
    fixed[k] = tuple(r)
    meta = {"extractor_version": "test", "built_at": "2024-01-01T00:00:00"}
    pointer = tmp_path / "facts.duckdb"
    va = write_version(pointer, docs, rows, fx.REGIONS, meta, check=lambda c: None)
    vb = write_version(pointer, docs, fixed, fx.REGIONS, {**meta, "built_at": "2024-02-01T00:00:00"},
                       check=lambda c: None)
    old, con = duckdb.connect(str(va), read_only=True), duckdb.connect(str(vb), read_only=True)
    try:
        ch = briefing.changes_since(old, con, Filters(), "上一版本")
    finally:
        con.close()
        old.close()
    assert not ch.new and not ch.ranks
    (c,) = ch.changed
    assert c.fact_id == "f-corrected" and "重庆市资金到位额1125亿元" in c.text
    assert "此前为1152亿元" in c.before and "重庆日报《重庆一季度招商引资亮眼》" in c.before


def test_cli_since_writes_the_section(tmp_path, fixture_db):
    out = tmp_path / "b.docx"
    assert briefing.main(["--db", str(fixture_db), "--since", "2023-05-10", "--charts", "", "--issue", "第7期",
                          "--editor", "某市投资促进局", "--out", str(out)]) == 0
    paras = [p.text for p in docx.Document(out).paragraphs]
    assert paras[1] == "第7期" and paras[2].startswith("某市投资促进局\t")
    assert "一、新变化" in paras and any(p.startswith("与2023年5月10日") for p in paras)


def test_no_section_without_since(fixture_db):
    con = duckdb.connect(os.path.realpath(fixture_db), read_only=True)
    try:
        b = briefing.collect(con, Filters(), images=False)
    finally:
        con.close()
    assert b.changes is None and briefing.sections(b)[0] == "一、关键数字"
    assert dataclasses.replace(b, changes=briefing.Changes("x")).changes is not None


def test_as_of_a_date_keeps_the_versions_other_tables_and_views(fixture_db, tmp_path):
    """A version with tables and views beyond these (as later schemas add) still opens as of a date:
    its views are rebuilt over the documents and facts known then."""
    path = tmp_path / "v.duckdb"
    shutil.copy(os.path.realpath(fixture_db), path)
    with duckdb.connect(str(path)) as c:
        c.execute("CREATE TABLE notes_extra (fact_id VARCHAR, note VARCHAR)")
        c.execute("INSERT INTO notes_extra SELECT fact_id, 'x' FROM facts")
        c.execute("CREATE VIEW v_noted AS SELECT v.fact_id, n.note FROM v_facts v JOIN notes_extra n USING (fact_id)")
    con = db.open_as_of(str(path), fx.date(2023, 5, 10))
    try:
        n = con.execute("SELECT count(*) FROM v_noted").fetchone()[0]
        docs = {r[0] for r in con.execute("SELECT DISTINCT doc_id FROM v_facts").fetchall()}
    finally:
        con.close()
    assert docs == {"d3_chongqing"} and n == sum(1 for d, *_ in fx.FACTS if d == "d3_chongqing")
