"""No document can abort a batch: extraction and writing are isolated per document."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import etl.ingest as ingest_mod
from etl.ingest import ingest
from etl.models import Fact
from etl.pipeline import dedupe_within
from etl.segment import Paragraph, split_sentences
from tests.conftest import ROOT

DEVSET = ROOT.parent / "shared" / "devset" / "docs"

GOOD = "本市今年一季度新签约项目12个，签约金额45.6亿元。"
BAD = "本县上半年签约项目8个，总投资20亿元。"


def _facts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT doc_id, count(*) FROM facts GROUP BY doc_id").fetchall())


def test_a_document_failing_the_data_checks_is_reported_and_the_rest_load(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    real = ingest_mod.extract_document

    def broken(text, info):  # a rule bug that yields a metric outside the vocabulary
        ctx, facts = real(text, info)
        if info.doc_id == "bad":
            for f in facts:
                f.metric = "no_such_metric"
        return ctx, facts

    monkeypatch.setattr(ingest_mod, "extract_document", broken)
    res = ingest([str(tmp_path)], tmp_path / "facts.duckdb")
    assert [(Path(p).name, r.split(":")[0]) for p, r in res.failures] == [("bad.txt", "data checks failed")]
    assert "metric in vocabulary" in res.failures[0][1]
    assert set(_facts(tmp_path / "facts.duckdb")) == {"good"}


def test_a_failing_document_keeps_its_previously_loaded_version(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    db = tmp_path / "facts.duckdb"
    assert not ingest([str(tmp_path)], db).failures
    before = _facts(db)["bad"]
    (tmp_path / "bad.txt").write_text(BAD + "另有新签约项目3个。", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD + "到位资金10亿元。", encoding="utf-8")
    real = ingest_mod.extract_document

    def broken(text, info):
        ctx, facts = real(text, info)
        if info.doc_id == "bad":
            facts[0].evidence = "不在原文中的证据"
        return ctx, facts

    monkeypatch.setattr(ingest_mod, "extract_document", broken)
    res = ingest([str(tmp_path)], db)
    assert [Path(p).name for p, _ in res.failures] == ["bad.txt"]
    after = _facts(db)
    assert after["bad"] == before and after["good"] > 0


def test_the_same_telling_found_twice_is_one_fact():
    f = Fact("figure", "d", "500000", "重庆市", "重庆", "province", "签约项目8个", 0, 6, 0, 6,
             metric="signed_projects", value=8, unit="个")
    g = Fact(**{**f.__dict__, "extra": {}})
    assert dedupe_within([f, g]) == [f]
    assert f.fact_id() == g.fact_id()


def test_facts_differing_in_identity_have_different_ids():
    f = Fact("duration", "d", None, None, None, None, "用时8天", 0, 4, 0, 4, days=8, from_stage="拿地", to_stage="开工")
    g = Fact(**{**f.__dict__, "from_stage": "签约", "extra": {}})
    assert f.fact_id() != g.fact_id()


@pytest.mark.parametrize("text, n", [
    ("要点 - 甲市签约项目5个 - 乙县签约项目3个", 3),      # bullets with the punctuation lost
    ("甲市签约项目5个[1] 乙县签约项目3个[2]", 2),          # citation marks end a sentence
    ("甲市签约项目5个。乙县签约项目3个。", 2),
    ("2024-05-03 甲市签约项目5个。", 1),                   # a date's hyphens are no bullet
])
def test_sentences_of_pages_that_lost_their_punctuation(text, n):
    assert len(split_sentences(Paragraph(0, 0, len(text), text))) == n


@pytest.mark.skipif(not (DEVSET / "c11.txt").exists(),
                    reason="../shared/devset is not here (CI has it): the one-line page with lost punctuation")
def test_the_devset_page_that_aborted_the_batch_now_loads_with_the_rest(tmp_path):
    for name in ("c11.txt", "a01.txt"):
        (tmp_path / name).write_bytes((DEVSET / name).read_bytes())
    res = ingest([str(tmp_path)], tmp_path / "facts.duckdb")
    assert not res.failures
    counts = _facts(tmp_path / "facts.duckdb")
    assert counts.get("c11", 0) > 0 and counts.get("a01", 0) > 0
    with duckdb.connect(str(tmp_path / "facts.duckdb"), read_only=True) as con:
        longest = con.execute("SELECT max(length(evidence)) FROM facts WHERE doc_id = 'c11'").fetchone()[0]
    assert longest < 200  # evidence is a clause, not the whole one-line page
