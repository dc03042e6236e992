"""Which region a fact is about, and why.

`RegionResolver(doc).resolve(Query(sentence, pos, mode))` runs the rules of RULES in their
order; the first that names a place wins and the answer carries the rule's name and reason
(stored with the fact, shown on 数据溯源). A fact no rule can place gets no region, never a guess.
Each rule is a small function with the short sentences it exists for in tests/test_region_rules.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from etl.document import Document
from etl.mentions import ZONE_LEVELS, Mention, outlet_regions
from etl.resolve.anaphora import TOPIC_PREFIX, Anaphora, is_topical
from etl.resolve.subject import document_subject
from etl.segment import Sentence, clause_bounds

# the attribution after a quote: …主任彭俊杰说。 / …负责人表示。
_SPEAKER_END = re.compile(r"(?:说|表示|介绍|坦言|感慨道|告诉记者)[。！!]?$")
# between a place and a practice it owns: 长春的双组长制, 深圳的“以商招商”
_OWNER_GAP = re.compile(r"的[“\"]?")
# a town or subdistrict at the head of a sentence (海虞镇盘活…; 梅李镇组建…): below the county, and
# not part of a development zone named nearby
_TOWN_HEAD = re.compile(r"(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)?(?![各全本该我每])[\u4e00-\u9fff]{2,3}(?<![小城])(?:镇|乡|街道)(?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class Query:
    """A fact to place: its sentence, its position there, its kind, and the mention an
    extractor already paired it with (a table row's label, a 分别 list), if any."""
    s: Sentence
    pos: int
    mode: str = "figure"  # figure | duration | mechanism
    own: Mention | None = None
    shares: tuple[str, ...] = ()  # the places a 分别 list after the fact splits it over (their ids)


@dataclass(frozen=True)
class Resolution:
    region_id: str | None
    rule: str
    why: str = ""


@dataclass(frozen=True)
class Rule:
    """A named rule with the short sentences it exists for: (text, kind of fact, region expected,
    or None where the rule must leave the fact unplaced). tests/test_region_rules.py runs them."""
    name: str
    fn: Callable[[RegionResolver, Query], str | None]
    modes: tuple[str, ...] = ("figure", "duration", "mechanism")
    examples: tuple[tuple[str, str, str | None], ...] = ()

    @property
    def why(self) -> str:
        return (self.fn.__doc__ or "").strip().splitlines()[0]


class RegionResolver:
    def __init__(self, doc: Document):
        self.doc = doc
        self.gaz = doc.gaz
        self._outlet_cache: dict[str | None, str | None] = {}
        self._topic_cache: dict[int, str | None] = {}
        self._context_cache: dict[tuple, str | None] = {}  # context_before, once per sentence and kind
        self.subject = document_subject(doc, self.outlet_region)
        self.anaphora = Anaphora(doc, self.outlet_region, self.subject.region_id)

    def resolve(self, q: Query, after: str | None = None) -> Resolution:
        """The first rule's answer (only the rules after the one named `after`, if given)."""
        rules = RULES[[r.name for r in RULES].index(after) + 1 :] if after else RULES
        for rule in rules:
            if q.mode in rule.modes and (rid := rule.fn(self, q)):
                return Resolution(rid, rule.name, rule.why)
        return Resolution(None, "none", "no rule names a place for it")

    def region_of(self, q: Query) -> str | None:
        return self.resolve(q).region_id

    # ---- shared helpers ----------------------------------------------------------------
    def mention(self, m: Mention, par: int) -> str | None:
        return self.anaphora.resolve(m, par)

    def outlet_region(self, par: int) -> str | None:
        return self._outlet_region(self.doc.outlet_for(par))

    def _outlet_region(self, outlet: str | None) -> str | None:
        if outlet in self._outlet_cache:
            return self._outlet_cache[outlet]
        rid = None
        if outlet:
            forms = self.doc.mentions.m.forms
            name = outlet_regions().get(outlet)
            if name is not None:
                hits = forms.get(name, []) if name else []
                rid = hits[0] if hits else None
            else:  # the longest place form the outlet's name opens with (重庆日报 -> 重庆)
                surf = next((outlet[:k] for k in range(len(outlet), 1, -1) if outlet[:k] in forms), None)
                if surf is not None:
                    cands = forms[surf]
                    rid = cands[0] if len(cands) == 1 else None
        self._outlet_cache[outlet] = rid
        return rid

    def usable(self, m: Mention, mode: str) -> bool:
        """Mentions that can be a fact's place: not blocked (organisation, destination, model),
        and for figures not the host of an event."""
        return not m.blocked and not (mode == "figure" and m.host)

    def most_specific(self, rid: str, mentions: list[Mention]) -> str:
        """A place inside rid named alongside it is what the text is about (上海…闵行区)."""
        best = rid
        for m in mentions:
            if m.anaphor_level is None:
                x = m.region_ids[0]
                if x != best and self.gaz.is_within(x, best):
                    best = x
        return best

    def paragraph_topic(self, par: int, start: int, rid: str, mode: str) -> str:
        """A zone named after the first sentence of an earlier paragraph that opened on no place
        of its own is an aside there (过去一年，我们…全年新签约…；长兴经开区全年签约…): a later
        paragraph that names no place continues the region that earlier paragraph was about."""
        d = self.doc
        first = d.first_sentence.get(par)
        if first is None or start < first.end or self.gaz.by_id(rid).level not in ZONE_LEVELS:
            return rid
        if any(x.anaphor_level is None for _, x in d.sentence_mentions(first)):
            return rid  # the paragraph opened on a place of its own (上海…。…闵行区…)
        if par not in self._topic_cache:
            self._topic_cache[par] = None  # guards recursion
            self._topic_cache[par] = self.region_of(Query(first, 0, mode))
        opening = self._topic_cache[par]
        if opening and opening != rid and self.gaz.is_within(rid, opening):
            return opening
        return rid

    def town_owner(self, s: Sentence, rid: str) -> str:
        """A sentence about a town inherits the county, not a zone named in the sentences before."""
        if not _TOWN_HEAD.match(s.text) or any(p < 4 for p, _ in self.doc.sentence_mentions(s)):
            return rid
        r = self.gaz.by_id(rid)
        while r is not None and r.level in ZONE_LEVELS:
            r = self.gaz.by_id(r.parent_id) if r.parent_id else None
        return r.region_id if r is not None else rid

    def in_scope(self, q: Query, scope: tuple[int, int]) -> str | None:
        """The first place in scope: the clause's or sentence's topic, then the nearest mention
        before the fact, then those after it."""
        s, pos, mode = q.s, q.pos, q.mode
        ms = [(p, m) for p, m in self.doc.sentence_mentions(s) if self.usable(m, mode)]
        c0, c1 = clause_bounds(s.text, pos)
        inside = [(p, m) for p, m in ms if scope[0] <= p < scope[1]]
        before = [x for x in inside if x[0] < pos]
        after = [x for x in inside if x[0] >= pos]
        whole = scope[0] == 0
        if mode == "mechanism" and whole:
            # a practice's region comes before it or heads a clause; a place named later in
            # the sentence (实行“研发在武汉、生产在襄阳”) is where things happen
            after = [x for x in after if c0 <= x[0] < c1 or is_topical(s.text, x[0])
                     or TOPIC_PREFIX.fullmatch(s.text[clause_bounds(s.text, x[0])[0] : x[0]])]
        order = list(reversed(before)) + after
        # the clause's or sentence's topic before incidental mentions (该县在深圳设立…)
        topical = [x for x in order if is_topical(s.text, x[0])]
        order = topical + [x for x in order if x not in topical]
        for p, m in order:
            rid = self.mention(m, s.paragraph)
            if not rid:
                continue
            if whole and m.anaphor_level is None:
                rid = self.most_specific(rid, [x for _, x in inside])
            # a place named right after it and inside it is what is meant (全省65个贫困县…)
            nxt = next((x for q, x in inside if q == p + m.end - m.start and x.anaphor_level is None), None)
            if nxt is not None and self.gaz.is_within(nxt.region_ids[0], rid):
                rid = nxt.region_ids[0]
            if mode in ("figure", "duration") and whole and p >= c1 and not before:
                # a place named only in a later clause (…年产值可达150亿元，可带动…企业落户银川)
                # gives way to the place the text is about when that lies inside it
                earlier = self.resolve(q, after="same_sentence").region_id
                if earlier and earlier != rid and self.gaz.is_within(earlier, rid):
                    return earlier
            return rid
        return None


# ---- the rules, in order ------------------------------------------------------------------

def paired_by_extractor(r: RegionResolver, q: Query) -> str | None:
    """The extractor paired the figure with a place of its own (a table row's label; 分别 lists)."""
    return r.mention(q.own, q.s.paragraph) if q.own is not None else None


_RIGHT_BEFORE_GAP = ("", "共", "为", "有", "达", "计")


def named_right_before(r: RegionResolver, q: Query) -> str | None:
    """A place right before the figure's number owns it (霍邱县52个、舒城县47个; 乌鲁木齐市927亿元)."""
    s = q.s
    for p, m in r.doc.sentence_mentions(s):
        end = p + m.end - m.start
        if end <= q.pos and s.text[end : q.pos] in _RIGHT_BEFORE_GAP and r.usable(m, q.mode):
            return r.mention(m, s.paragraph)
    return None


def listed_total(r: RegionResolver, q: Query) -> str | None:
    """A total that a 分别 list splits over places, with no place of its own before it, belongs to
    the nearest place holding every listed one."""
    if len(set(q.shares)) < 2 or any(p < q.pos and r.usable(m, q.mode) for p, m in r.doc.sentence_mentions(q.s)):
        return None
    x = r.gaz.by_id(q.shares[0])
    while x is not None:
        if all(s == x.region_id or r.gaz.is_within(s, x.region_id) for s in q.shares):
            return x.region_id
        x = r.gaz.by_id(x.parent_id) if x.parent_id else None
    return None


def owner_before_de(r: RegionResolver, q: Query) -> str | None:
    """A place right before 的 owns the practice after it (沈阳的链长制与长春的双组长制)."""
    s = q.s
    for p, m in r.doc.sentence_mentions(s):
        if r.usable(m, q.mode) and p < q.pos and _OWNER_GAP.fullmatch(s.text[p + m.end - m.start : q.pos]):
            if rid := r.mention(m, s.paragraph):
                return rid
    return None


def same_clause(r: RegionResolver, q: Query) -> str | None:
    """A place named in the fact's own clause (topic first, then nearest before, then after)."""
    return r.in_scope(q, clause_bounds(q.s.text, q.pos))


def same_sentence(r: RegionResolver, q: Query) -> str | None:
    """A place named elsewhere in the fact's sentence."""
    return r.in_scope(q, (0, len(q.s.text)))


def quote_speaker(r: RegionResolver, q: Query) -> str | None:
    """A quote naming no place (“我们的产业链招商人员…”) is about the speaker's region, named in
    the attribution right after it (两江新区招商集团…主任彭俊杰说。)."""
    d, s = r.doc, q.s
    t = s.text.strip()
    if not (t.startswith("“") and t.endswith("”")) or s.index + 1 >= len(d.sentences):
        return None
    nxt = d.sentences[s.index + 1]
    if nxt.paragraph != s.paragraph or len(nxt.text) > 60 or not _SPEAKER_END.search(nxt.text.strip()):
        return None
    for _, m in d.sentence_mentions(nxt):
        if rid := r.mention(m, nxt.paragraph):
            return rid
    return None


def context_before(r: RegionResolver, q: Query) -> str | None:
    """The place of the sentences before: its paragraph, then the paragraphs it continues, up to
    its numbered section's head."""
    key = (q.s.paragraph, q.s.start, q.s.text, q.mode)  # the answer holds for the whole sentence
    if key not in r._context_cache:
        r._context_cache[key] = _context_before(r, q)
    return r._context_cache[key]


def _context_before(r: RegionResolver, q: Query) -> str | None:
    d, s = r.doc, q.s
    section = d.section_start(s.paragraph)
    for m in r.anaphora.walk(s.paragraph, s.start):
        if not r.usable(m, q.mode):
            continue
        par = d.par_of(m.start)
        if par < section:
            break
        rid = r.mention(m, par)
        if rid:
            if m.anaphor_level is None:
                # named alongside it before this sentence (…云南省…；新签约项目1245个。昆明市…:
                # not 昆明市, named only after)
                rid = r.most_specific(rid, [x for x in d.par_mentions[par]
                                            if r.usable(x, q.mode) and (par != s.paragraph or x.start < s.start)])
            if par != s.paragraph:
                rid = r.paragraph_topic(par, m.start, rid, q.mode)
            return r.town_owner(s, rid)
    return None


def outlet_place(r: RegionResolver, q: Query) -> str | None:
    """The place of the paper or site that published the text (重庆日报 -> 重庆市)."""
    return r.outlet_region(q.s.paragraph)


def subject_of_document(r: RegionResolver, q: Query) -> str | None:
    """The place the document says it is about (its headline, the head of its lead, its outlet)."""
    return r.subject.region_id


def most_named(r: RegionResolver, q: Query) -> str | None:
    """The place the document names in at least half of its place mentions."""
    return r.anaphora.dominant(share=0.5)


RULES: tuple[Rule, ...] = (
    Rule("paired_by_extractor", paired_by_extractor, examples=(
        ("许昌市、新乡市分别签约项目12个、8个。", "figure", "新乡市"),
    )),
    Rule("named_right_before", named_right_before, ("figure",), examples=(
        ("宜昌市集中签约项目27个，其中西陵区3个、点军区2个。", "figure", "西陵区"),
        ("全区到位资金4628亿元，其中：乌鲁木齐市927亿元、昌吉州593亿元。", "figure", "乌鲁木齐市"),
    )),
    Rule("listed_total", listed_total, ("mechanism",), examples=(
        ("今年各县领导外出招商40批次，分别为：丰县22批次、沛县18批次。", "mechanism", "徐州市"),
    )),
    Rule("owner_before_de", owner_before_de, ("mechanism",), examples=(
        ("沈阳的链长制值得借鉴。", "mechanism", "沈阳市"),
    )),
    Rule("same_clause", same_clause, examples=(
        ("成都高新区今年签约项目52个。", "figure", "成都高新区"),
        ("今年以来，南京江宁区新签约项目10个。", "figure", "江宁区"),
    )),
    Rule("same_sentence", same_sentence, examples=(
        ("面对困难，合肥经开区迎难而上，一季度签约项目20个。", "figure", "合肥经开区"),
    )),
    Rule("quote_speaker", quote_speaker, ("duration", "mechanism"), examples=(
        ("“我们推行帮办代办，项目从签约到开工仅用30天。”两江新区招商集团负责人说。", "duration", "两江新区"),
    )),
    Rule("context_before", context_before, examples=(
        ("株洲市全力抓招商。一季度新签约项目36个。", "figure", "株洲市"),
    )),
    Rule("outlet_place", outlet_place, examples=(
        ("来源：南京日报\n一季度新签约项目36个。", "figure", "南京市"),
    )),
    Rule("subject_of_document", subject_of_document, examples=(
        ("凤阳县招商引资工作情况\n一、签约情况\n一季度新签约项目16个。", "figure", "凤阳县"),
    )),
    Rule("most_named", most_named, examples=(
        ("一季度新签约项目16个。\n芜湖市持续优化营商环境，芜湖市招商成效明显。", "figure", "芜湖市"),
    )),
)
