"""Industry-chain tagging from the chain lexicon (shared/spec/facts.md §4; pure)."""

from __future__ import annotations

import functools
import re

from etl.rules import load_yaml


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern, dict[str, str]]:
    term_to_chain: dict[str, str] = {}
    for chain, spec in load_yaml("chains.yml")["chains"].items():
        for t in spec["terms"]:
            term_to_chain[str(t)] = chain
    alts = "|".join(re.escape(t) for t in sorted(term_to_chain, key=len, reverse=True))
    return re.compile(alts), term_to_chain


def chains_in(text: str) -> set[str]:
    rx, t2c = _lexicon()
    return {t2c[m.group()] for m in rx.finditer(text)}


def chain_for(sentence: str, paragraph: str) -> str | None:
    """The one chain the sentence names, else the one its paragraph names, else None."""
    for scope in (sentence, paragraph):
        found = chains_in(scope)
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            return None
    return None
