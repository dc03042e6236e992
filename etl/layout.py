"""Repair of interleaved newspaper columns (pure).

A page flattened to text can break a story at a column end and resume it several
paragraphs later, after lines of other stories. We find paragraphs that end mid-sentence
("open") and paragraphs that begin with the tail of a sentence ("continuations"), and pair
them by evidence: a word spanning the break (…与赣 | 州经开区…), a quote left open and closed,
a speaker attribution (…”赣州经开区 | 招商干部告诉记者。), regions that agree, and shared
vocabulary. The result is a predecessor link per paragraph used for context.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import math
import operator
import os
import re
from collections import Counter
from collections.abc import Container

from etl.segment import Paragraph

_FIRST_SENT = re.compile(r"^[^。！？!?]{1,14}[。！？!?]")
_SPEECH = re.compile(r"(?:说|表示|告诉记者|介绍|称|指出|透露|坦言)[。！？!?]$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=1)
def _dictionary_words() -> frozenset[str]:
    """The words (2 to 8 characters, frequency above 0) of jieba's dictionary file, read without
    starting jieba: the same words its segmenter knows, in half the time and 90 MB less."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return frozenset()
    words = set()
    with open(os.path.join(os.path.dirname(spec.origin), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ")
            if len(parts) >= 2 and 2 <= len(parts[0]) <= 8 and parts[1].strip().isdigit() and int(parts[1]) > 0:
                words.add(parts[0])
    return frozenset(words)


def _spans_boundary(left: str, right: str, extra_words: Container[str]) -> bool:
    """A known word (two characters or more) that starts in left's tail and ends in right's head."""
    words = _dictionary_words()
    for i in range(1, min(4, len(left)) + 1):
        for j in range(1, min(4, len(right)) + 1):
            w = left[-i:] + right[:j]
            if (w in words or w in extra_words) and _CJK.match(w[0]):
                return True
    return False


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _bigrams(s: str) -> frozenset[str]:
    s = "".join(_CJK_RUN.findall(s))
    return frozenset(map(operator.add, s, s[1:]))


def _quote_balance(s: str) -> int:
    return s.count("“") - s.count("”")


def is_continuation(p: Paragraph) -> bool:
    return not p.is_heading and bool(_FIRST_SENT.match(p.text)) and "：" not in p.text[:14] and ":" not in p.text[:14]


# scores of a candidate pairing: the link threshold and the largest bonuses a pairing that is
# not the next paragraph can earn (regions 5, word across the break 3, speech 3, quotes 3,
# cohesion 2); each candidate further away costs RANK_COST, so candidates past MAX_RANK can
# never be linked and are not scored (this keeps the repair linear in the document's length)
LINK_MIN = 2.5
RANK_COST = 0.2
MAX_BONUS = 5 + 3 + 3 + 3 + 2.0
MAX_RANK = int((MAX_BONUS - LINK_MIN) / RANK_COST)
KEEP_BIGRAMS = 2000  # paragraphs up to which all bigram sets are kept (a long page recomputes them)


def repair_columns(
    pars: list[Paragraph],
    regions_of: callable,
    region_related: callable,
    extra_words: Container[str] = frozenset(),
) -> dict[int, int]:
    """Map continuation paragraph index -> open paragraph index it continues.

    regions_of(i) -> set of region ids named in paragraph i (or the story up to it);
    region_related(a, b) -> True when a and b are the same place or one contains the other.
    """
    opens = [p for p in pars if p.is_open]
    if not opens:
        return {}
    conts = [p for p in pars if is_continuation(p)]
    if not conts:
        return {}
    # IDF over paragraphs for cohesion; a paragraph's bigrams are kept only while needed
    df: Counter[str] = Counter()
    kept: list[frozenset[str]] = []  # a short page's bigram sets, kept for the scores below
    for p in pars:
        g = _bigrams(p.text)
        df.update(g)
        if len(pars) <= KEEP_BIGRAMS:
            kept.append(g)
    n = len(pars)

    @functools.lru_cache(maxsize=256)
    def grams(k: int) -> frozenset[str]:
        return kept[k] if kept else _bigrams(pars[k].text)

    def cohesion(a: set, b: set) -> float:
        w = math.fsum(math.log(n / df[x]) for x in a & b)
        return min(2.0, w / 15.0)

    def story_text(i: int) -> set[str]:
        c: set[str] = set()
        j = i
        while j >= 0 and j > i - 4:
            c |= grams(j)
            if pars[j].is_heading:
                break
            j -= 1
        return c

    heading = [p.is_heading for p in pars]
    cont_flag = [is_continuation(p) for p in pars]
    opened = [p.is_open for p in pars]

    def block(ci: int) -> list[int]:
        """Continuation paragraph and those after it up to the next break."""
        out = [ci]
        k = ci + 1
        while k < len(pars) and not heading[k] and not cont_flag[k] and not opened[k - 1]:
            out.append(k)
            k += 1
        return out

    cand_info: dict[int, tuple] = {}  # per continuation: its block's regions, bigrams, quotes, first sentence

    def cand(ci: int) -> tuple:
        if ci not in cand_info:
            blk = block(ci)
            c_regions: set[str] = set()
            for k in blk:
                c_regions |= regions_of(k, own_only=True)
            bg: set[str] = set()
            for k in blk:
                bg |= grams(k)
            first = _FIRST_SENT.match(pars[ci].text)
            cand_info[ci] = (c_regions, bg, sum(_quote_balance(pars[k].text) for k in blk),
                             bool(first and _SPEECH.search(first.group())))
        return cand_info[ci]

    pos = {p.index: k for k, p in enumerate(pars)}
    cont_pos = sorted(pos[c.index] for c in conts)
    scored: list[tuple[float, int, int]] = []
    for o in opens:
        oi = pos[o.index]
        if len(cand_info) > 4 * MAX_RANK:  # forget continuations no later open can reach
            cand_info = {k: v for k, v in cand_info.items() if k > oi}
        o_regions = regions_of(oi)
        o_text = story_text(oi)
        # candidates in rank order: the next paragraph (a page break: the story goes on there),
        # then the continuations after it
        cands = [oi + 1] if oi + 1 < len(pars) and not heading[oi + 1] else []
        k = bisect.bisect_right(cont_pos, oi + 1)
        cands += cont_pos[k : k + MAX_RANK - len(cands)]
        ends_in_quote = bool(re.search(r"”[^“”]{1,10}$", o.text))
        open_quote = _quote_balance(o.text) > 0
        for rank, ci in enumerate(cands, 1):
            c = pars[ci]
            c_regions, bg, c_quotes, c_speech = cand(ci)
            adjacent, regional = ci == oi + 1, bool(o_regions and c_regions)
            speech = ends_in_quote and c_speech
            quotes = (3 if c_quotes < 0 else -3) if open_quote else 0
            best = -RANK_COST * rank + 2 * adjacent + 5 * regional + 3 * speech + quotes + 3 + 2.0
            if best + 1e-9 < LINK_MIN:
                continue  # cannot reach the threshold even with a word across the break and cohesion
            if regional and not any(region_related(a, b) for a in o_regions for b in c_regions):
                continue  # the continuation names another story's place
            score = -RANK_COST * rank
            if adjacent:
                score += 2
            if regional:
                score += 5
            if _spans_boundary(o.text, c.text, extra_words):
                score += 3
            if speech:
                score += 3
            if open_quote:
                score += quotes
            score += cohesion(o_text, bg)
            scored.append((score, oi, ci))
    scored.sort(reverse=True)
    used_o: set[int] = set()
    used_c: set[int] = set()
    links: dict[int, int] = {}
    for score, oi, ci in scored:
        if score < LINK_MIN or oi in used_o or ci in used_c:
            continue
        used_o.add(oi)
        used_c.add(ci)
        links[ci] = oi
    return links
