"""Repair of interleaved newspaper columns (pure).

A page flattened to text can break a story at a column end and resume it several
paragraphs later, after lines of other stories. We find paragraphs that end mid-sentence
("open") and paragraphs that begin with the tail of a sentence ("continuations"), and pair
them by evidence: a word spanning the break (…与赣 | 州经开区…), a quote left open and closed,
a speaker attribution (…”赣州经开区 | 招商干部告诉记者。), regions that agree, and shared
vocabulary. The result is a predecessor link per paragraph used for context.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

from etl.segment import Paragraph

_FIRST_SENT = re.compile(r"^[^。！？!?]{1,14}[。！？!?]")
_SPEECH = re.compile(r"(?:说|表示|告诉记者|介绍|称|指出|透露|坦言)[。！？!?]$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=1)
def _jieba_words() -> frozenset[str]:
    import jieba

    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    return frozenset(w for w, f in jieba.dt.FREQ.items() if f > 0 and len(w) >= 2)


def _spans_boundary(left: str, right: str, extra_words: frozenset[str] | set[str]) -> bool:
    """A known word that starts in left's tail and ends in right's head."""
    words = _jieba_words()
    for i in range(1, min(4, len(left)) + 1):
        for j in range(1, min(4, len(right)) + 1):
            w = left[-i:] + right[:j]
            if (w in words or w in extra_words) and _CJK.match(w[0]):
                return True
    return False


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _bigrams(s: str) -> Counter[str]:
    s = "".join(_CJK_RUN.findall(s))
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


def _quote_balance(s: str) -> int:
    return s.count("“") - s.count("”")


def is_continuation(p: Paragraph) -> bool:
    return not p.is_heading and bool(_FIRST_SENT.match(p.text)) and "：" not in p.text[:14] and ":" not in p.text[:14]


def repair_columns(
    pars: list[Paragraph],
    regions_of: callable,
    region_related: callable,
    extra_words: frozenset[str] | set[str] = frozenset(),
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
    # IDF over paragraphs for cohesion
    df: Counter[str] = Counter()
    grams = {p.index: _bigrams(p.text) for p in pars}
    for g in grams.values():
        df.update(set(g))
    n = len(pars)

    def cohesion(a: Counter, b: Counter) -> float:
        shared = set(a) & set(b)
        w = sum(math.log(n / df[x]) for x in shared)
        return min(2.0, w / 15.0)

    def story_text(i: int) -> Counter:
        c: Counter[str] = Counter()
        j = i
        while j >= 0 and j > i - 4:
            c.update(grams[pars[j].index])
            if pars[j].is_heading:
                break
            j -= 1
        return c

    def block(ci: int) -> list[int]:
        """Continuation paragraph and those after it up to the next break."""
        out = [ci]
        k = ci + 1
        while k < len(pars) and not pars[k].is_heading and not is_continuation(pars[k]) and not pars[k - 1].is_open:
            out.append(k)
            k += 1
        return out

    pos = {p.index: k for k, p in enumerate(pars)}
    scored: list[tuple[float, int, int]] = []
    for o in opens:
        oi = pos[o.index]
        o_regions = regions_of(oi)
        o_text = story_text(oi)
        rank = 0
        nxt = pars[oi + 1] if oi + 1 < len(pars) else None
        cands = list(conts)
        if nxt is not None and not nxt.is_heading and nxt not in cands:
            cands.insert(0, nxt)  # a page break: the story goes on in the next paragraph
        for c in cands:
            ci = pos[c.index]
            if ci <= oi:
                continue
            rank += 1
            blk = block(ci)
            c_regions: set[str] = set()
            for k in blk:
                c_regions |= regions_of(k, own_only=True)
            if o_regions and c_regions and not any(region_related(a, b) for a in o_regions for b in c_regions):
                continue  # the continuation names another story's place
            score = -0.2 * rank
            if ci == oi + 1:
                score += 2
            if o_regions and c_regions:
                score += 5
            if _spans_boundary(o.text, c.text, extra_words):
                score += 3
            first = _FIRST_SENT.match(c.text)
            if re.search(r"”[^“”]{1,10}$", o.text) and first and _SPEECH.search(first.group()):
                score += 3
            if _quote_balance(o.text) > 0:
                score += 3 if sum(_quote_balance(pars[k].text) for k in blk) < 0 else -3
            bg: Counter[str] = Counter()
            for k in blk:
                bg.update(grams[pars[k].index])
            score += cohesion(o_text, bg)
            scored.append((score, oi, ci))
    scored.sort(reverse=True)
    used_o: set[int] = set()
    used_c: set[int] = set()
    links: dict[int, int] = {}
    for score, oi, ci in scored:
        if score < 2.5 or oi in used_o or ci in used_c:
            continue
        used_o.add(oi)
        used_c.add(ci)
        links[ci] = oi
    return links
