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


_END = "。！？!?"
_PARALLEL = "；;"


def _paragraph_scope(sentence: str, paragraph: str) -> str:
    """The paragraph without the sentence's parallel items: in 沈阳突出基金招商…；长春…引进零部件配套
    企业；哈尔滨…。 each ；-item is about its own subject, so a chain named in one is not another's."""
    k = paragraph.find(sentence.strip())
    if k < 0:
        return paragraph
    end = k + len(sentence.strip())
    a = max(paragraph.rfind(c, 0, k) for c in _END) + 1
    ends = [i for i in (paragraph.find(c, end - 1) for c in _END) if i >= 0]
    b = min(ends) + 1 if ends else len(paragraph)
    if not any(c in paragraph[a:b] for c in _PARALLEL):
        return paragraph
    return paragraph[:a] + sentence + paragraph[b:]


def _up_to(sentence: str, paragraph: str) -> str:
    """The paragraph up to the end of the sentence: a chain named only after it (…获智能制造产业发展部
    奖) is not what the sentence's figure is about."""
    k = paragraph.find(sentence.strip())
    return paragraph if k < 0 else paragraph[: k + len(sentence.strip())]


@functools.lru_cache(maxsize=4096)  # called once per fact; facts of one sentence share it
def chain_for(sentence: str, paragraph: str) -> str | None:
    """The one chain the sentence names, else the one its paragraph names up to the sentence
    (leaving out the other ；-items of its own sentence run), else None."""
    for scope in (sentence, _up_to(sentence, _paragraph_scope(sentence, paragraph))):
        found = chains_in(scope)
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            return None
    return None
