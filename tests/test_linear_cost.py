"""Extraction cost grows linearly with the document (issue 11): counted in Python function
calls, not timed. For a linear cost the calls added by a third block of paragraphs equal those
added by the second; a quadratic pass adds 5/3 as many."""

from __future__ import annotations

import random
from pathlib import Path

from etl.document import DocInfo
from etl.pipeline import extract_document
from tests.conftest import count_calls

ROOT = Path(__file__).resolve().parent.parent


def flattened_page(n_paras: int, seed: int = 3) -> str:
    """Paragraphs of the bundled corpus, every third broken mid-sentence like a newspaper
    column (open paragraphs and continuations for the column repair)."""
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    paras = [x.strip() for s in sources for x in s.split("\n") if len(x.strip()) > 40]
    out = ["发布时间：2024-03-15"]
    for i in range(n_paras):
        p = rng.choice(paras)
        k = rng.randint(20, len(p) - 15)
        out += [p[:k], p[k:]] if i % 3 == 0 else [p]
    return "\n\n".join(out)


def calls(text: str) -> int:
    return count_calls(lambda: extract_document(text, DocInfo("x")))


def test_extraction_cost_is_linear_in_document_length():
    extract_document(flattened_page(20), DocInfo("warm"))  # rules, gazetteer, dictionaries
    n = 300
    c1, c2, c3 = (calls(flattened_page(k * n)) for k in (1, 2, 3))
    assert (c3 - c2) / (c2 - c1) < 1.25, (c1, c2, c3)
