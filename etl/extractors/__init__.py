"""Registry of extractors: each turns a document into facts of one kind, given the region
resolver; the pipeline loops over REGISTRY. The sentence-level rules live in figures.py,
durations.py and mechanisms.py (pure `extract_raw(sentence)`); facts.py attaches region, period,
chain and evidence. Adding a fact kind means one rules module, one function and one entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from etl.extractors.facts import duration_facts, figure_facts, mechanism_facts


@dataclass(frozen=True)
class Extractor:
    kind: str
    extract: Callable  # (Document, RegionResolver) -> list[Fact]


REGISTRY: tuple[Extractor, ...] = (
    Extractor("figure", figure_facts),
    Extractor("duration", duration_facts),
    Extractor("mechanism", mechanism_facts),
)
KINDS = tuple(e.kind for e in REGISTRY)
