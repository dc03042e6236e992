"""One document prepared for extraction: normalised text, paragraphs, sentences (with
column repair), date, outlets and region context (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from etl.layout import repair_columns
from etl.periods import DocDate, document_date, sentence_year
from etl.regions import ZONE_LEVELS, DocRegions, Mention, outlet_regions
from etl.segment import SECTION_HEAD, Paragraph, Sentence, clause_bounds, paragraphs, split_sentences
from etl.textnorm import NormText, normalize

_SOURCE = re.compile(r"(?:来源|稿源|出处)\s*[:：]\s*([^\s，,。)）]{2,12})")
_BYLINE = re.compile(r"([\u4e00-\u9fff]{2,8}(?:日报|晚报|商报|杂志|新闻网))(?:[/／][\u4e00-\u9fff]{2,8})?记者")
CONTEXT_PARAGRAPHS = 8
ZONE_ANAPHOR_PARAGRAPHS = 3
# a mention at the head of a clause is its topic (比如在莘庄工业区，…; 两江新区围绕…)
_TOPIC_PREFIX = re.compile(r"(?:比如|例如|其中|而|同时|此外|另外|目前|如今|近年来|今年|去年|截至目前|据悉|据了解)?(?:在|由|从|对)?$")
# the attribution after a quote: …主任彭俊杰说。 / …负责人表示。
_SPEAKER_END = re.compile(r"(?:说|表示|介绍|坦言|感慨道|告诉记者)[。！!]?$")
# between a place and a practice it owns: 长春的双组长制, 深圳的“以商招商”
_OWNER_GAP = re.compile(r"的[“\"]?")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?\n“”]")
# a town or subdistrict at the head of a sentence (海虞镇盘活…; 梅李镇组建…): below the county, and
# not part of a development zone named nearby
_TOWN_HEAD = re.compile(r"(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)?(?![各全本该我每])[\u4e00-\u9fff]{2,3}(?<![小城])(?:镇|乡|街道)(?=[\u4e00-\u9fff])")
# a park or zone word: 园区 may refer to a park the gazetteer does not list
_PARK_WORD = re.compile(r"(?:经济技术开发区|经济开发区|开发区|高新区|产业园区|产业园|工业园区|工业园)")
# a numbered section heading (一、… （二）…): earlier sections' places do not carry over


def is_topical(text: str, start: int) -> bool:
    k = start
    lo = max(0, start - 8)
    while k > lo and not _CLAUSE_BREAK.match(text[k - 1]):
        k -= 1
    return bool(_TOPIC_PREFIX.fullmatch(text[k:start]))


@dataclass
class DocInfo:
    doc_id: str
    title: str | None = None
    outlet: str | None = None
    date_published: date | None = None


class DocContext:
    def __init__(self, text: str, info: DocInfo):
        self.info = info
        self.nt: NormText = normalize(text)
        t = self.nt.text
        self.pars: list[Paragraph] = paragraphs(t)
        self.date: DocDate = document_date(t, info.date_published)
        self.outlet, self.par_outlet_region = self._outlets()
        doc_outlet_region = self._outlet_region(self.outlet)
        self.regions = DocRegions(t, doc_outlet_region)
        self.gaz = self.regions.gaz
        self._par_mentions: list[list[Mention]] = [self.regions.mentions_in(p.start, p.end) for p in self.pars]
        self.pred: dict[int, int] = {i: i - 1 for i in range(len(self.pars))}
        self.links = repair_columns(self.pars, self._regions_of, self._related, frozenset(self.regions.m.forms))
        for ci, oi in self.links.items():
            self.pred[ci] = oi
        self.sentences: list[Sentence] = self._sentences()
        self._ana_cache: dict[tuple[int, int], str | None] = {}

    # ---- outlets ---------------------------------------------------------------------
    def _outlet_region(self, outlet: str | None) -> str | None:
        if not outlet:
            return None
        name = outlet_regions().get(outlet)
        if name is not None:
            hits = self.regions_lookup(name) if name else []
            return hits[0] if hits else None
        for surf in sorted(self.regions_forms(), key=len, reverse=True):
            if outlet.startswith(surf) and len(surf) >= 2:
                cands = self.regions_forms()[surf]
                return cands[0] if len(cands) == 1 else None
        return None

    def regions_forms(self) -> dict[str, list[str]]:
        from etl.regions import default_matcher

        return default_matcher().forms

    def regions_lookup(self, name: str) -> list[str]:
        return self.regions_forms().get(name, [])

    def _outlets(self) -> tuple[str | None, dict[int, str | None]]:
        """Document outlet and, for digests with a 来源 line per article, the outlet
        region of each paragraph."""
        doc_outlet = self.info.outlet
        per_par: dict[int, str | None] = {}
        marks: list[tuple[int, str]] = []
        for p in self.pars:
            m = _SOURCE.search(p.text) or _BYLINE.search(p.text)
            if m:
                marks.append((p.index, m.group(1)))
        if marks and marks[0][0] <= 3:
            doc_outlet = doc_outlet or marks[0][1]
            marks = marks[1:]
        last = -1
        for idx, name in marks:
            region = self._outlet_region_late(name)
            for i in range(last + 1, idx + 1):
                per_par[i] = region
            last = idx
        return doc_outlet, per_par

    def _outlet_region_late(self, name: str) -> str | None:
        # regions are not built yet when outlets are read: resolve lazily by name
        return name

    def outlet_region_for(self, par: int) -> str | None:
        name = self.par_outlet_region.get(par)
        if name:
            return self._outlet_region(name)
        return self._outlet_region(self.outlet)

    # ---- sentences -------------------------------------------------------------------
    def _sentences(self) -> list[Sentence]:
        per_par = {p.index: split_sentences(p) for p in self.pars}
        joined_into: dict[int, tuple[int, int]] = {}
        for ci, oi in self.links.items():
            if per_par[ci] and per_par[oi]:
                joined_into[oi] = per_par[ci].pop(0)
        out: list[Sentence] = []
        for p in self.pars:
            spans = per_par[p.index]
            for k, (a, b) in enumerate(spans):
                segs = [(a, b)]
                if k == len(spans) - 1 and p.index in joined_into:
                    segs.append(joined_into[p.index])
                s = Sentence(len(out), p.index, segs)
                s.text = "".join(self.nt.text[x:y] for x, y in segs)
                out.append(s)
        return out

    # ---- regions ---------------------------------------------------------------------
    def _regions_of(self, i: int, own_only: bool = False) -> set[str]:
        """Regions named in paragraph i (own_only) or in its story up to i."""
        j, hops = i, 0
        while j >= 0 and hops < 4:
            ids = {m.region_ids[0] for m in self._par_mentions[j] if m.anaphor_level is None}
            if ids or own_only:
                return ids
            j = self.pred.get(j, j - 1) if hasattr(self, "pred") else j - 1
            hops += 1
        return set()

    def _related(self, a: str, b: str) -> bool:
        return a == b or self.gaz.is_within(a, b) or self.gaz.is_within(b, a)

    def _walk(self, par: int, before: int, max_hops: int = CONTEXT_PARAGRAPHS):
        """Mentions in reverse reading order, starting before norm position `before` in
        paragraph `par`, then the paragraphs it continues."""
        j, hops = par, 0
        limit = before
        seen: set[int] = set()
        t = self.nt.text
        while j >= 0 and hops <= max_hops and j not in seen:
            seen.add(j)
            ms = [m for m in reversed(self._par_mentions[j]) if m.start < limit]
            yield from (m for m in ms if is_topical(t, m.start))
            yield from (m for m in ms if not is_topical(t, m.start))
            j = self.pred.get(j, j - 1)
            limit = 10**12
            hops += 1

    def resolve_mention(self, m: Mention, par: int) -> str | None:
        if m.anaphor_level is None:
            return m.region_ids[0]
        key = (m.start, par)
        if key in self._ana_cache:
            return self._ana_cache[key]
        self._ana_cache[key] = None  # guards recursion
        rid = None
        city_like = m.anaphor_level in ("city", "province", "county")
        hops = CONTEXT_PARAGRAPHS if city_like else ZONE_ANAPHOR_PARAGRAPHS
        if not city_like and (host := self._unlisted_zone_host(m, par)):
            self._ana_cache[key] = host
            return host
        speaker = m.surface.startswith("我") and not city_like  # 我区: the writer, who does not change
        for prev in self._walk(par, m.start, hops):
            if prev.blocked:  # a destination (在北京中关村设立招商工作站) is not what 我区 stands for
                continue
            r = self.resolve_mention(prev, self._par_of(prev.start))
            if r and (hit := self.regions._fits(r, m.anaphor_level, prev.surface)):
                rid = hit
                break
        if speaker:
            # the writer's 我区 named before (近年来，我区… -> 西青区) over a zone inside it named since
            # (西青经开区推行…。同时，我区持续开展…), and when nothing is named within reach
            own = self._speaker_region(m)
            if own and (rid is None or (rid != own and self.gaz.is_within(rid, own))):
                rid = own
        if rid is None and m.anaphor_level in ("city", "province"):
            out_r = self.outlet_region_for(par)
            if out_r:
                rid = self.regions._fits(out_r, m.anaphor_level)
        if rid is None and city_like:
            rid = self.regions.dominant(m.anaphor_level)
        self._ana_cache[key] = rid
        return rid

    def _speaker_region(self, m: Mention) -> str | None:
        """What the nearest earlier first-person anaphor of the same words (我区) stood for."""
        import bisect

        k = bisect.bisect_left(self.regions._starts, m.start)
        for prev in reversed(self.regions.mentions[:k]):
            if prev.surface != m.surface:
                continue
            r = self.resolve_mention(prev, self._par_of(prev.start))
            if r:
                return r
        return None

    def _most_specific(self, rid: str, mentions: list[Mention]) -> str:
        """A place inside rid named alongside it is what the text is about (上海…闵行区)."""
        best = rid
        for m in mentions:
            if m.anaphor_level is None:
                x = m.region_ids[0]
                if x != best and self.gaz.is_within(x, best):
                    best = x
        return best

    def _par_of(self, pos: int) -> int:
        import bisect

        if not hasattr(self, "_par_starts"):
            self._par_starts = [p.start for p in self.pars]
        return max(0, bisect.bisect_right(self._par_starts, pos) - 1)

    def sentence_mentions(self, s: Sentence) -> list[tuple[int, Mention]]:
        """(position in sentence text, mention) for mentions inside the sentence."""
        out = []
        off = 0
        for a, b in s.segments:
            for m in self.regions.mentions_in(a, b):
                out.append((off + m.start - a, m))
            off += b - a
        return out

    def resolve(self, s: Sentence, pos: int, mode: str = "figure") -> str | None:
        """Region a fact at sentence position pos is about."""
        ms = self.sentence_mentions(s)

        def ok(m: Mention) -> bool:
            return not m.blocked and not (mode == "figure" and m.host)

        cands = [(p, m) for p, m in ms if ok(m)]
        c0, c1 = clause_bounds(s.text, pos)
        if mode == "mechanism":
            # a place right before 的 and the practice owns it (沈阳的链长制与长春的双组长制)
            for p, m in cands:
                if p < pos and _OWNER_GAP.fullmatch(s.text[p + m.end - m.start : pos]):
                    rid = self.resolve_mention(m, s.paragraph)
                    if rid:
                        return rid
        for scope in ((c0, c1), (0, len(s.text))):
            inside = [(p, m) for p, m in cands if scope[0] <= p < scope[1]]
            before = [x for x in inside if x[0] < pos]
            after = [x for x in inside if x[0] >= pos]
            if mode == "mechanism" and scope[0] == 0:
                # a practice's region comes before it or heads a clause; a place named later in
                # the sentence (实行“研发在武汉、生产在襄阳”) is where things happen
                after = [x for x in after if c0 <= x[0] < c1 or is_topical(s.text, x[0])
                         or _TOPIC_PREFIX.fullmatch(s.text[clause_bounds(s.text, x[0])[0] : x[0]])]
            order = list(reversed(before)) + after
            # the clause's or sentence's topic before incidental mentions (该县在深圳设立…)
            topical = [x for x in order if is_topical(s.text, x[0])]
            order = topical + [x for x in order if x not in topical]
            for p, m in order:
                rid = self.resolve_mention(m, s.paragraph)
                if rid:
                    if scope[0] == 0 and m.anaphor_level is None:
                        rid = self._most_specific(rid, [x for _, x in inside])
                    if mode == "figure" and scope[0] == 0 and p >= c1 and not before:
                        # a place named only in a later clause (…年产值可达150亿元，可带动…企业落户银川)
                        # gives way to the place the text is about when that lies inside it
                        earlier = self._context_region(s, ok, mode)
                        if earlier and earlier != rid and self.gaz.is_within(earlier, rid):
                            return earlier
                    return rid
        return self._context_region(s, ok, mode)

    def _context_region(self, s: Sentence, ok, mode: str) -> str | None:
        """The region of the sentences before s (its paragraph, then the paragraphs it continues
        up to its section head), else the outlet's or the document's."""
        if mode in ("mechanism", "duration") and (rid := self._quote_speaker(s)):
            return rid
        section = self._section_start(s.paragraph)
        for m in self._walk(s.paragraph, s.start):
            if ok(m):
                par = self._par_of(m.start)
                if par < section:
                    break
                rid = self.resolve_mention(m, par)
                if rid:
                    if m.anaphor_level is None:
                        # named alongside it before this sentence (…云南省…；新签约项目1245个。昆明市…:
                        # not 昆明市, named only after)
                        rid = self._most_specific(rid, [x for x in self._par_mentions[par]
                                                        if ok(x) and (par != s.paragraph or x.start < s.start)])
                    if par != s.paragraph:
                        rid = self._paragraph_topic(par, m.start, rid, mode)
                    return self._town_owner(s, rid)
        return self.outlet_region_for(s.paragraph) or self.regions.dominant()

    def _quote_speaker(self, s: Sentence) -> str | None:
        """A quote that names no place (“我们的产业链招商人员…”) is about the speaker's region, named in
        the attribution right after it (两江新区招商集团…主任彭俊杰说。), even inside the speaker's
        organisation's name."""
        t = s.text.strip()
        if not (t.startswith("“") and t.endswith("”")) or s.index + 1 >= len(self.sentences):
            return None
        nxt = self.sentences[s.index + 1]
        if nxt.paragraph != s.paragraph or len(nxt.text) > 60 or not _SPEAKER_END.search(nxt.text.strip()):
            return None
        for _, m in self.sentence_mentions(nxt):
            rid = self.resolve_mention(m, nxt.paragraph)
            if rid:
                return rid
        return None

    def _unlisted_zone_host(self, m: Mention, par: int) -> str | None:
        """园区 after a park the gazetteer does not know (伊金霍洛旗依托蒙苏经济开发区零碳产业园，
        …，园区去年实现产值…) is that park: the place named before it in the paragraph hosts it."""
        p = self.pars[par]
        t = self.nt.text
        known = [x for x in self._par_mentions[par] if x.start < m.start and x.anaphor_level is None]
        last = None
        for z in _PARK_WORD.finditer(t, p.start, m.start):
            if not any(x.start <= z.start() < x.end for x in known):
                last = z
        if last is None or any(x.start > last.end() and self.gaz.by_id(x.region_ids[0]).level in ZONE_LEVELS for x in known):
            return None
        hosts = [x for x in known if x.end <= last.start() and not x.blocked]
        return hosts[-1].region_ids[0] if hosts else None

    def _paragraph_topic(self, par: int, start: int, rid: str, mode: str) -> str:
        """A zone named after the first sentence of an earlier paragraph that opened on no place
        of its own is an aside there (过去一年，我们…全年新签约…；长兴经开区全年签约…): a later
        paragraph that names no place continues the region that earlier paragraph was about."""
        firsts = self.__dict__.get("_first_sentence")
        if firsts is None:  # once per document: paragraph -> its first sentence
            firsts = self._first_sentence = {}
            for x in self.sentences:
                firsts.setdefault(x.paragraph, x)
        first = firsts.get(par)
        if first is None or start < first.end or self.gaz.by_id(rid).level not in ZONE_LEVELS:
            return rid
        if any(x.anaphor_level is None for _, x in self.sentence_mentions(first)):
            return rid  # the paragraph opened on a place of its own (上海…。…闵行区…)
        key = (-1, par)
        if key not in self._ana_cache:
            self._ana_cache[key] = None  # guards recursion
            self._ana_cache[key] = self.resolve(first, 0, mode)
        opening = self._ana_cache[key]
        if opening and opening != rid and self.gaz.is_within(rid, opening):
            return opening
        return rid

    def _section_start(self, par: int) -> int:
        """Index of the paragraph opening the numbered section (一、 / （二）) that holds par."""
        starts = self.__dict__.get("_section_starts")
        if starts is None:  # once per document
            starts, cur = [], 0
            for j, p in enumerate(self.pars):
                if SECTION_HEAD.match(p.text):
                    cur = j
                starts.append(cur)
            self._section_starts = starts
        return starts[par] if 0 <= par < len(starts) else 0

    def _town_owner(self, s: Sentence, rid: str) -> str:
        """A sentence about a town inherits the county, not a zone named in the sentences before."""
        if not _TOWN_HEAD.match(s.text) or any(p < 4 for p, _ in self.sentence_mentions(s)):
            return rid
        r = self.gaz.by_id(rid)
        while r is not None and r.level in ("new_area", "etdz", "hitech", "park"):
            r = self.gaz.by_id(r.parent_id) if r.parent_id else None
        return r.region_id if r is not None else rid

    # ---- periods and evidence ----------------------------------------------------------
    def year_hint(self, s: Sentence) -> int | None:
        """Year of the nearest earlier sentence in the paragraph that names one, else of its
        numbered section head (一、2024年工作回顾 / 二、2025年主要目标). One pass, cached."""
        hints = self.__dict__.get("_year_hints")
        if hints is None:
            section: list[int | None] = []  # per paragraph: year of the section head above it
            y = None
            for p in self.pars:
                section.append(y)
                if p.is_heading and SECTION_HEAD.match(p.text):
                    y = sentence_year(p.text, self.date)
            hints, carry = [], None
            for i, x in enumerate(self.sentences):
                if i and self.sentences[i - 1].paragraph == x.paragraph:
                    carry = sentence_year(self.sentences[i - 1].text, self.date) or carry
                else:
                    carry = None
                hints.append(carry or section[x.paragraph])
            self._year_hints = hints
        return hints[s.index]

    def evidence(self, s: Sentence, i: int, j: int) -> tuple[str, int, int]:
        """Verbatim original text for sentence-text [i, j), clipped to one segment."""
        a, b = s.norm_span(i, j)
        oa, ob = self.nt.orig_span(a, b)
        ev = self.nt.original[oa:ob].strip()
        lead = len(self.nt.original[oa:ob]) - len(self.nt.original[oa:ob].lstrip())
        return ev, oa + lead, oa + lead + len(ev)

    def sentence_orig_span(self, s: Sentence) -> tuple[int, int]:
        a, b = s.segments[0]
        return self.nt.orig_span(a, b)
