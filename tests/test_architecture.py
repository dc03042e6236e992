"""Layering: pure ETL without streamlit; no SQL in pages; I/O only at the edges."""

import re

from tests.conftest import ROOT

ETL = sorted((ROOT / "etl").rglob("*.py"))


def test_etl_never_imports_streamlit():
    for p in ETL:
        assert not re.search(r"^\s*(import|from)\s+streamlit", p.read_text(encoding="utf-8"), re.M), p


def test_pages_hold_no_sql():
    for p in sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        text = p.read_text(encoding="utf-8")
        assert not re.search(r"\bSELECT\b|\.execute\(", text), p


def test_only_edges_touch_duckdb():
    allowed = {"store.py", "checks.py", "export.py"}
    for p in ETL:
        if "import duckdb" in p.read_text(encoding="utf-8"):
            assert p.name in allowed, p


def test_extractors_are_pure():
    for p in sorted((ROOT / "etl" / "extractors").glob("*.py")):
        text = p.read_text(encoding="utf-8")
        assert "open(" not in text and "duckdb" not in text, p
