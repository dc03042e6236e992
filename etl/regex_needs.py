"""The literal words a regex cannot match without (pure): `needs(r"(?:围绕|聚焦)[^，]{0,10}产业链")`
is {"产业链"}. A sentence holding none of them is not worth the regex's scan, which for patterns
opening on a character class tries every position."""

from __future__ import annotations

import re
import re._constants as c
import re._parser as p

_ANY = None  # no literal is required (an empty match, or a part we do not read)


def needs(pattern: str) -> frozenset[str] | None:
    """Words one of which every match of `pattern` contains, or None when none can be named."""
    try:
        tree = p.parse(pattern)
    except re.error:
        return _ANY
    if tree.state.flags & (c.SRE_FLAG_IGNORECASE | c.SRE_FLAG_VERBOSE):
        return _ANY
    return _seq(list(tree))


def _best(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """Of two sets either of which is required, the one with the longest shortest word (then the
    one with fewer words)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _seq(items: list) -> frozenset[str] | None:
    best, run = _ANY, ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if run:
            best, run = _best(best, frozenset([run])), ""
        best = _best(best, _item(op, av))
    if run:
        best = _best(best, frozenset([run]))
    return best


def _item(op, av) -> frozenset[str] | None:
    if op is c.SUBPATTERN:
        return _seq(list(av[-1]))
    if op is c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            n = _seq(list(alt))
            if n is None:
                return _ANY
            out |= n
        return frozenset(out)
    if op is c.IN and av and all(o is c.LITERAL for o, _ in av):
        return frozenset(chr(x) for _, x in av)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _seq(list(av[2]))
    return _ANY


class NeedsGate:
    """Which of several regexes are worth trying on a text: those whose needed words it holds
    (one overlapping Aho-Corasick scan), and those with no word to need."""

    def __init__(self, patterns: list[str]) -> None:
        import ahocorasick_rs

        self.needs = [needs(x) for x in patterns]
        self.words = sorted({w for n in self.needs if n for w in n})
        self.auto = ahocorasick_rs.AhoCorasick(self.words or ["\0"])

    def worth(self, text: str) -> list[bool]:
        found = set(self.auto.find_matches_as_strings(text, overlapping=True)) if self.words else set()
        return [n is None or not found.isdisjoint(n) for n in self.needs]


class Gated:
    """A compiled regex that skips texts holding none of the words it needs, and (where given)
    texts where a stricter `gate`, a cheap regex every match must also satisfy, finds nothing."""

    def __init__(self, rx: re.Pattern, gate: re.Pattern | None = None) -> None:
        self.rx = rx
        self.gate = gate
        self.words = None if rx.flags & re.IGNORECASE else needs(rx.pattern)

    def worth(self, text: str) -> bool:
        return (self.words is None or any(w in text for w in self.words)) and (self.gate is None or bool(self.gate.search(text)))

    def finditer(self, text: str):
        return self.rx.finditer(text) if self.worth(text) else iter(())
