"""kind="mechanism": how a region attracts investment, from the lexicon (facts.md §3)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.regex_needs import NeedsGate
from etl.rules import load_yaml
from etl.segment import SECTION_HEAD, Sentence

kind = "mechanism"


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    r = load_yaml("mechanisms.yml")
    plain: dict[str, str] = {}
    regexes: list[tuple[str, re.Pattern]] = []
    for cat, spec in r["categories"].items():
        for t in map(str, spec["terms"]):
            if t.startswith("re:"):
                regexes.append((cat, re.compile(t[3:])))
            else:
                plain.setdefault(t, cat)
    from etl.mentions import TermMatcher

    return {
        "plain": plain,
        "terms": TermMatcher(plain),
        "regexes": regexes,
        # one scan says which pattern terms can match a sentence at all (most match none)
        "regex_gate": NeedsGate([rx.pattern for _, rx in regexes]),
        "not_before": re.compile(r["not_actor_before"]),
        "not_after": re.compile(r["not_actor_after"]),
        "not_practice": re.compile(r["not_practice_before"]),
        "compared": re.compile(r["not_practice_compared"]),
        "reco_head": re.compile(r["recommendation_head"]),
        "reco_par": re.compile(r["recommendation_par"]),
        "furniture": re.compile(r["furniture_line"], re.I),
        "furniture_sep": re.compile(r["furniture_separators"]),
        "statistic_head": re.compile(r["statistic_head"]),
        "gap_after": re.compile(r["not_practice_after"]),
        "categories": r["categories"],
    }


@dataclass
class RawMechanism:
    category: str
    name: str
    pos: int
    end: int


_QUOTED_BEFORE = re.compile(r"[“\"]([^“”\"]{1,12})[”\"]$")
_SUFFIX = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?:工作机制|机制|模式|制度|体系|行动|活动|组团|工作组|制)")


def _name(text: str, a: int, b: int) -> str:
    """The region's own wording: a quoted coinage just before and a 机制/模式 suffix."""
    start, end = a, b
    q = _QUOTED_BEFORE.search(text[max(0, a - 16) : a])
    if q:
        start = a - (len(text[max(0, a - 16) : a]) - q.start())
    elif a > 0 and text[a - 1] == "“":
        close = text.find("”", b)
        if 0 <= close - b <= 8:
            start, end = a - 1, close + 1
    if end < len(text) and text[end : end + 1] == "”":
        end += 1
        start = min(start, text.rfind("“", 0, a)) if text.rfind("“", 0, a) >= 0 else start
    s = _SUFFIX.match(text[end:])
    if s:
        end += s.end()
    return text[start:end]


# 共外出招商90批次，分别为：甲县30批次、乙区25批次…: the practice's count split over places
_LIST_HEAD = re.compile(r"[^。；;]{0,16}?分别(?:为|是)?[:：]?")
_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:共|累计)?\d+(?:\.\d+)?(?:批次|人次|次|个|家|场|批)")


def listed_items(text: str, end: int) -> list[tuple[int, int]]:
    """Spans of the items of a 分别 list right after a practice's count (甲县30批次、乙区25批次),
    each a place's own share of the practice; [] when no such list follows."""
    h = _LIST_HEAD.match(text, end)
    if not h:
        return []
    out, k = [], h.end()
    while (m := _LIST_ITEM.match(text, k)) is not None:
        out.append((m.start(), m.end()))
        k = m.end()
        if text[k : k + 1] not in ("、", "，", ",", "和", "及"):
            break
        k += 1
    return out if len(out) >= 2 else []


def furniture_pars(pars: list) -> set[int]:
    """Paragraphs that are the page's furniture, not its report: navigation and breadcrumb lines
    (two or more separators: 首页 | 招商政策 | 以商招商), keyword lines, links to other articles,
    and numbered heads that title a statistic (四、外出招商统计)."""
    r = rules()
    return {j for j, p in enumerate(pars)
            if r["furniture"].match(p.text)
            or (SECTION_HEAD.match(p.text) and len(p.text) < 40 and r["statistic_head"].search(p.text.strip()))
            or (len(r["furniture_sep"].findall(p.text)) >= 2 and len(p.text) < 80 and not re.search(r"[。；;]", p.text))}


def skipped_pars(pars: list) -> set[int]:
    """Paragraphs whose practices and times are not the region's: recommendations and furniture."""
    return recommendation_pars(pars) | furniture_pars(pars)


def recommendation_pars(pars: list) -> set[int]:
    """Paragraphs that recommend rather than report, once per document: those under a numbered
    head of recommendations (三、意见建议 / （三）几点建议, down to the next head of its level) and
    those opening on 建议 (建议新区借鉴西咸新区做法，探索组建…)."""
    r = rules()
    out: set[int] = set()
    top = sub = False
    for j, p in enumerate(pars):
        h = SECTION_HEAD.match(p.text)
        if h:
            is_reco = bool(r["reco_head"].search(p.text[:16]))
            if h.group("top"):
                top, sub = is_reco, False
            else:
                sub = is_reco
        if top or sub or r["reco_par"].match(p.text):
            out.add(j)
    return out


def extract_raw(s: Sentence) -> list[RawMechanism]:
    text = s.text
    r = rules()
    out: list[RawMechanism] = []
    taken: list[tuple[int, int]] = []
    hits = [(a, b, r["plain"][t]) for a, b, t in r["terms"].find(text)]
    for (cat, rx), worth in zip(r["regexes"], r["regex_gate"].worth(text)):
        if worth:
            hits += [(m.start(), m.end(), cat) for m in rx.finditer(text)]
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    for a, b, cat in hits:
        if any(x < b and a < y for x, y in taken):
            continue
        if r["not_before"].search(text[max(0, a - 12) : a].rstrip("“\"")) and r["not_after"].match(text[b:]):
            taken.append((a, b))  # nor is a shorter term inside it (赛马 in 赛马榜)
            continue
        before = text[max(0, a - 12) : a].rstrip("“\"")
        if r["not_practice"].search(before) or r["compared"].search(before) or r["gap_after"].match(text[b:]):
            taken.append((a, b))
            continue
        if re.search(r"(?:登上|荣登|入围|上榜)[^，,。；;]{0,8}$", text[max(0, a - 12) : a]):
            taken.append((a, b))
            continue
        taken.append((a, b))
        out.append(RawMechanism(cat, _name(text, a, b), a, b))
    out.sort(key=lambda x: x.pos)
    return out
