"""Documents of the genre written for the project (not the seeds), annotated by hand in
tests/genre/gold.jsonl: the rules must generalise beyond the five seed files."""

import json
import subprocess
import sys

import pytest

from etl.evaluate import score
from etl.export import export_rows
from etl.ingest import ingest
from etl.readers import read_document
from tests.conftest import ROOT

GENRE = ROOT / "tests" / "genre"


@pytest.fixture(scope="module")
def gold():
    return [json.loads(x) for x in (GENRE / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def pred(tmp_path_factory):
    db = tmp_path_factory.mktemp("genre") / "g.duckdb"
    res = ingest([str(GENRE / "docs")], db)
    assert not res.failures
    return export_rows(db)


@pytest.fixture(scope="module")
def scores(gold, pred):
    return score(gold, pred)


def test_gold_file_is_valid():
    p = subprocess.run([sys.executable, str(GENRE / "check_gold.py")], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr


def test_figures(scores):
    assert scores["figure"]["precision"] >= 0.95 and scores["figure"]["recall"] >= 0.90


def test_durations(scores):
    assert scores["duration"]["f1"] >= 0.85


def test_mechanisms(scores):
    assert scores["mechanism"]["f1"] >= 0.75


def test_evidence_verbatim(pred):
    texts = {p.stem: read_document(p).text for p in (GENRE / "docs").iterdir() if p.suffix in (".txt", ".html")}
    for p in pred:
        assert p["evidence"] in texts[p["doc"]], p


def test_html_navigation_and_scripts_ignored(pred):
    evidence = " ".join(p["evidence"] for p in pred if p["doc"] == "xihaian_page")
    assert evidence and "<" not in evidence
