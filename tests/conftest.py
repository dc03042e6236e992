"""Shared test helpers for the ETL tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT / "data" / "raw"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden snapshots")


@pytest.fixture(scope="session")
def seed_gold() -> list[dict]:
    return [json.loads(x) for x in (GOLDEN / "seeds_gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> Path:
    """The bundled corpus ingested once per session."""
    from etl.ingest import ingest

    db = tmp_path_factory.mktemp("seeds") / "facts.duckdb"
    res = ingest([str(SEEDS)], db)
    assert not res.failures
    return db


def count_calls(fn) -> int:
    """Python function calls made by fn(): a cost measure that does not depend on the machine's load."""
    import sys

    n = 0

    def count(frame, event, arg):
        nonlocal n
        if event == "call":
            n += 1

    sys.setprofile(count)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return n


def sentence(text: str):
    """A one-paragraph Sentence for extractor unit tests."""
    from etl.segment import Sentence

    s = Sentence(0, 0, [(0, len(text))])
    s.text = text
    return s
