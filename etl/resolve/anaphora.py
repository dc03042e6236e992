"""What a mention stands for: a named place is itself; 我市/全县/该区/园区 stand for a place named
before them that fits their level, else the outlet's place, else the place the document is about."""

from __future__ import annotations

import bisect
import re

from etl.document import Document
from etl.mentions import MUNICIPALITIES, ZONE_LEVELS, Mention

CONTEXT_PARAGRAPHS = 8
ZONE_ANAPHOR_PARAGRAPHS = 3
# a mention at the head of a clause is its topic (比如在莘庄工业区，…; 两江新区围绕…)
TOPIC_PREFIX = re.compile(r"(?:比如|例如|其中|而|同时|此外|另外|目前|如今|近年来|今年|去年|截至目前|据悉|据了解)?(?:在|由|从|对)?$")
_BREAK_CHARS = frozenset("，,。；;：:！？!?\n“”")  # a clause ends at any of these
# a park or zone word: 园区 may refer to a park the gazetteer does not list
_PARK_WORD = re.compile(r"(?:经济技术开发区|经济开发区|开发区|高新区|产业园区|产业园|工业园区|工业园)")


def is_topical(text: str, start: int) -> bool:
    k = start
    lo = max(0, start - 8)
    while k > lo and text[k - 1] not in _BREAK_CHARS:
        k -= 1
    return bool(TOPIC_PREFIX.fullmatch(text[k:start]))


def fits(gaz, named: set[str], rid: str, level: str, surface: str = "") -> str | None:
    """rid itself or the ancestor of rid that an anaphor of `level` refers to (named: the places the
    document names, for a county-level city's own 我市)."""
    r = gaz.by_id(rid)
    chain = [r] + gaz.parents(rid)
    if level == "city":  # a county-level city's own 我市/全市 (常熟市…我市), unless its prefecture is named too
        for x in chain:
            if x.level not in ("county",) + ZONE_LEVELS:
                break
            if x.level == "county" and x.name.endswith("市") and x.parent_id not in named:
                return x.region_id
    for x in chain:
        if level == "city" and (x.level == "prefecture" or (x.level == "province" and x.short_name in MUNICIPALITIES)):
            return x.region_id
        if level == "province" and x.level == "province" and x.name.endswith(("省", "自治区")):
            return x.region_id  # 全省 never stands for 香港 or a municipality
        if level == "county" and x.level == "county" and x.name.endswith("县"):
            return x.region_id
    if level == "district" and r.level in ("county",) + ZONE_LEVELS:
        return rid
    if level == "district" and r.level in ("prefecture", "province"):
        # 全区 of a city or province inside an autonomous region (广西, 新疆) is that region
        return next((x.region_id for x in chain if x.level == "province" and x.name.endswith("自治区")), None)
    if level in ZONE_LEVELS and r.level == level:
        return rid
    if level == "zone" and r.level in ZONE_LEVELS:
        return rid
    if level.startswith("zone_named_") and r.level in ZONE_LEVELS and (surface + r.name + r.short_name).find(level[11:]) >= 0:
        return rid
    return None


class Anaphora:
    def __init__(self, doc: Document, outlet_region, subject: str | None = None):
        self.doc = doc
        self.gaz = doc.gaz
        self.named = doc.mentions.named
        self.outlet_region = outlet_region  # par -> region id of the outlet, or None
        self.subject = subject  # the place the document is about (etl.resolve.subject)
        self._cache: dict[tuple[int, int], str | None] = {}
        self._dominant: dict[tuple, str | None] = {}

    def walk(self, par: int, before: int, max_hops: int = CONTEXT_PARAGRAPHS):
        """Mentions in reverse reading order, starting before norm position `before` in
        paragraph `par`, then the paragraphs it continues; topical mentions first in each."""
        d = self.doc
        j, hops = par, 0
        limit = before
        seen: set[int] = set()
        t = d.nt.text
        while j >= 0 and hops <= max_hops and j not in seen:
            seen.add(j)
            ms = [m for m in reversed(d.par_mentions[j]) if m.start < limit]
            yield from (m for m in ms if is_topical(t, m.start))
            yield from (m for m in ms if not is_topical(t, m.start))
            j = d.pred.get(j, j - 1)
            limit = 10**12
            hops += 1

    def resolve(self, m: Mention, par: int) -> str | None:
        if m.anaphor_level is None:
            return m.region_ids[0]
        key = (m.start, par)
        if key in self._cache:
            return self._cache[key]
        self._cache[key] = None  # guards recursion
        rid = None
        city_like = m.anaphor_level in ("city", "province", "county")
        hops = CONTEXT_PARAGRAPHS if city_like else ZONE_ANAPHOR_PARAGRAPHS
        if not city_like and (host := self._unlisted_zone_host(m, par)):
            self._cache[key] = host
            return host
        if not city_like and (zone := self._zone_of_city(m, par)):
            self._cache[key] = zone
            return zone
        speaker = m.surface.startswith("我") and not city_like  # 我区: the writer, who does not change
        for prev in self.walk(par, m.start, hops):
            if prev.blocked:  # a destination (在北京中关村设立招商工作站) is not what 我区 stands for
                continue
            r = self.resolve(prev, self.doc.par_of(prev.start))
            if r and (hit := self.fits(r, m.anaphor_level, prev.surface)):
                rid = hit
                break
        if rid is None and city_like and self.subject:
            rid = self.fits(self.subject, m.anaphor_level)  # the place the document says it is about
        if speaker:
            # the writer's 我区 named before (近年来，我区… -> 西青区) over a zone inside it named since
            # (西青经开区推行…。同时，我区持续开展…), and when nothing is named within reach
            own = self._speaker_region(m)
            if own and (rid is None or (rid != own and self.gaz.is_within(rid, own))):
                rid = own
        if rid is None and m.anaphor_level in ("city", "province"):
            out_r = self.outlet_region(par)
            if out_r:
                rid = self.fits(out_r, m.anaphor_level)
        if rid is None and city_like:
            rid = self.dominant(m.anaphor_level)
        self._cache[key] = rid
        return rid

    def _zone_of_city(self, m: Mention, par: int) -> str | None:
        """市开发区 / 县经开区: the zone of that level of the city (county) the text is about, when it
        has exactly one."""
        t = self.doc.nt.text
        word = t[m.start - 1 : m.start]
        if word not in ("市", "县") or m.anaphor_level not in ZONE_LEVELS:
            return None
        owner = self.resolve(Mention(m.start - 1, m.start, word, ("",), "city" if word == "市" else "county"), par)
        if not owner:
            return None
        zones = [z for z in self.gaz.regions.values() if z.level == m.anaphor_level and self.gaz.is_within(z.region_id, owner)]
        return zones[0].region_id if len(zones) == 1 else None

    def _speaker_region(self, m: Mention) -> str | None:
        """What the nearest earlier first-person anaphor of the same words (我区) stood for."""
        ms = self.doc.mentions
        k = bisect.bisect_left(ms._starts, m.start)
        for prev in reversed(ms.mentions[:k]):
            if prev.surface != m.surface:
                continue
            r = self.resolve(prev, self.doc.par_of(prev.start))
            if r:
                return r
        return None

    def _unlisted_zone_host(self, m: Mention, par: int) -> str | None:
        """园区 after a park the gazetteer does not know (伊金霍洛旗依托蒙苏经济开发区零碳产业园，
        …，园区去年实现产值…) is that park: the place named before it in the paragraph hosts it."""
        d = self.doc
        p = d.pars[par]
        t = d.nt.text
        known = [x for x in d.par_mentions[par] if x.start < m.start and x.anaphor_level is None]
        last = None
        for z in _PARK_WORD.finditer(t, p.start, m.start):
            if not any(x.start <= z.start() < x.end for x in known):
                last = z
        if last is None or any(x.start > last.end() and self.gaz.by_id(x.region_ids[0]).level in ZONE_LEVELS for x in known):
            return None
        hosts = [x for x in known if x.end <= last.start() and not x.blocked]
        return hosts[-1].region_ids[0] if hosts else None

    def fits(self, rid: str, level: str, surface: str = "") -> str | None:
        return fits(self.gaz, self.named, rid, level, surface)

    def dominant(self, level: str | None = None, share: float = 0.0) -> str | None:
        """The region the document talks about most (counting parents of mentions), if it has at
        least `share` of the mentions counted; once per document and level."""
        if (level, share) not in self._dominant:
            self._dominant[(level, share)] = self._most_named(level, share)
        return self._dominant[(level, share)]

    def _most_named(self, level: str | None, share: float) -> str | None:
        from collections import Counter

        c: Counter[str] = Counter()
        named = [mm for mm in self.doc.mentions.mentions if mm.anaphor_level is None]
        # places named as destinations or organisations count only where nothing else is named
        # (调研组赴兰州新区…。新区…: a report on the place visited)
        for mm in [x for x in named if not x.blocked] or named:
            rid = mm.region_ids[0]
            if level:
                hit = self.fits(rid, level)
                if hit:
                    c[hit] += 1
            else:
                c[rid] += 1
        if not c:
            return None
        rid, n = c.most_common(1)[0]
        return rid if n >= share * sum(c.values()) else None
