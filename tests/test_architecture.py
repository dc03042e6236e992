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


def test_no_class_in_the_etl_is_much_over_150_lines():
    import ast

    for p in ETL:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno - node.lineno < 160, (p.name, node.name)


def test_the_document_model_holds_no_resolution():
    text = (ROOT / "etl" / "document.py").read_text(encoding="utf-8")
    assert "etl.resolve" not in text and "extractors" not in text


def test_the_pipeline_loops_over_the_registry():
    text = (ROOT / "etl" / "pipeline.py").read_text(encoding="utf-8")
    assert "for e in REGISTRY" in text
    assert not re.search(r"from etl\.extractors import (?!REGISTRY)", text)


def test_one_identity_per_kind_of_fact():
    # de-duplication within a document, clustering across documents and the stored id all use it
    assert "f.identity()" in (ROOT / "etl" / "pipeline.py").read_text(encoding="utf-8")
    assert "f.cluster_key(" in (ROOT / "etl" / "ingest.py").read_text(encoding="utf-8")
    assert "self.identity()" in (ROOT / "etl" / "models.py").read_text(encoding="utf-8").split("def cluster_key")[1]
    assert "f.fact_id()" in (ROOT / "etl" / "store.py").read_text(encoding="utf-8")


def test_region_rules_live_in_one_file_in_one_order():
    from etl.resolve.regions import RULES

    text = (ROOT / "etl" / "resolve" / "regions.py").read_text(encoding="utf-8")
    assert text.count("RULES: tuple[Rule, ...] = (") == 1
    assert all(f"def {r.fn.__name__}(" in text for r in RULES)
