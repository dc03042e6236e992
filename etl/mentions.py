"""Region mentions in a text: where the gazetteer's places and the anaphora (我市, 全县, 园区) are
named, with what the words around them say (part of an organisation's name, a destination, a host).
Finding only; which region a fact is about is decided in etl.resolve.regions (pure, rules-driven)."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from etl.gazetteer import UNLISTED_PREFIX, Gazetteer, Region, load_gazetteer
from etl.regex_needs import Gated
from etl.rules import load_csv, load_yaml

CITY_LEVELS = ("prefecture",)
ZONE_LEVELS = ("new_area", "etdz", "hitech", "park")
MUNICIPALITIES = ("北京", "上海", "天津", "重庆")


@dataclass(frozen=True)
class Mention:
    start: int  # normalised-text offsets
    end: int
    surface: str
    region_ids: tuple[str, ...]  # candidates ('' for anaphora)
    anaphor_level: str | None = None
    blocked: bool = False  # part of an organisation name, or a destination
    host: bool = False  # host of an event


@functools.lru_cache(maxsize=1)
def _context_rules() -> dict:
    r = load_yaml("region_context.yml")
    org = "|".join(sorted(r["org_suffixes"], key=len, reverse=True))
    breakers = re.escape(r["org_gap_breakers"])
    verbs = "|".join(sorted(r["org_gap_verbs"], key=len, reverse=True))
    return {
        "org": re.compile(rf"(?:(?!{verbs})[^{breakers}]){{0,{r['org_suffix_max_gap']}}}?(?:{org})"),
        "origin": re.compile(r["origin_after"]),
        "before": tuple(r["blocked_before"]),
        "away": tuple(r["away_before"]),
        "compare": tuple(r["compare_before"]),
        "compare_after": re.compile(r["compare_after"]),
        "label_after": re.compile(r["label_after"]),
        "exemplar_after": re.compile(r["exemplar_after"]),
        "not_place": re.compile("|".join(map(re.escape, r["not_place_words"]))),
        "object": (re.compile(r["object_before"]), re.compile(r["object_after"])),
        "dest_end": tuple(r["destination_list_end"]),
        "facility": re.compile(rf"(?:{'|'.join(r['facility_verbs'])})[^，,。；;]{{0,12}}?(?:{'|'.join(r['facility_nouns'])})"),
        "host": re.compile(rf"[^，,。；;！？]{{0,{r['host_max_gap']}}}?{r['host_event_end']}"),
        "venue": re.compile(rf"[^，,。；;！？!?]{{0,{r['venue_max_gap']}}}?(?:{'|'.join(r['venue_adverbs'])})?(?:{'|'.join(r['venue_verbs'])})"),
        "anaphora": [(re.compile(a["pattern"]), a["level"]) for a in r["anaphora"]],
        "unlisted": Gated(re.compile(
            rf"(?:^|(?<=[，,。；;：:\n、]))(?P<name>[\u4e00-\u9fff（）()]{{2,10}}?(?:{'|'.join(r['unlisted_zone_suffix'])}))"
            rf"(?=(?:{'|'.join(r['unlisted_zone_then'])}))", re.M),
            # every match holds a zone word right before a verb: tested before the regex tries every position
            gate=re.compile(rf"(?:{'|'.join(r['unlisted_zone_suffix'])})(?:{'|'.join(r['unlisted_zone_then'])})")),
        "gloss": re.compile(r["gloss_open"] + r"[^）)]{0,40}[）)]"),
        "grouping": re.compile(rf"(?P<name>{'|'.join(r['groupings'])})"),
        "named_zone": re.compile(rf"(?![市县区省州旗])[\u4e00-\u9fff]{{0,2}}?(?P<suffix>{'|'.join(sorted(r['named_zone_suffix'], key=len, reverse=True))})"),
        "named_zone_level": dict(r["named_zone_suffix"]),
        "named_zone_not": tuple(r["org_gap_verbs"]) + ("入驻", "落户", "进驻", "加快", "推进", "全市", "全县", "全区"),
    }


class TermMatcher:
    """Leftmost-longest, non-overlapping matches of a fixed vocabulary (Aho-Corasick)."""

    def __init__(self, terms) -> None:
        import ahocorasick_rs

        self.terms = sorted({t for t in terms if t and "\n" not in t})
        self.empty = not self.terms
        if not self.empty:
            self.auto = ahocorasick_rs.AhoCorasick(self.terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    CHUNK = 1 << 16  # characters per call: the library copies what it scans (19 MB: +150 MB)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        if self.empty:
            return []
        terms, out, start = self.terms, [], 0
        while start < len(text):
            # cut after a line break (no term holds one), so that no match spans two pieces
            end = len(text) if len(text) - start <= self.CHUNK else text.rfind("\n", start, start + self.CHUNK) + 1
            if end <= start:
                end = len(text) if (k := text.find("\n", start + self.CHUNK)) < 0 else k + 1
            out += [(start + a, start + b, terms[k]) for k, a, b in self.auto.find_matches_as_indexes(text[start:end])]
            start = end
        return out


class RegionMatcher:
    """Finds region mentions among the gazetteer's surface forms."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.forms = gaz.surface_forms()
        self.terms = TermMatcher(self.forms)

    def raw_mentions(self, text: str) -> list[tuple[int, int, str]]:
        return self.terms.find(text)


@functools.lru_cache(maxsize=1)
def default_matcher() -> RegionMatcher:
    return RegionMatcher(load_gazetteer())


@functools.lru_cache(maxsize=1)
def outlet_regions() -> dict[str, str]:
    return {r["outlet"]: r["region"] for r in load_csv("outlets.csv")}


def _is_blocked(text: str, start: int, end: int) -> bool:
    rules = _context_rules()
    if rules["org"].match(text, end) or rules["origin"].match(text, end) or rules["label_after"].match(text[end : end + 4]):
        return True
    if text[max(0, start - 1) : start] == "是" and rules["exemplar_after"].match(text[end : end + 40]):
        return True  # …，是某省重大项目快速落地的一个缩影
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")" and rules["org"].match(text, end + 1):
        return True  # 凯腾世链传动(南京)有限公司
    before = text[max(0, start - 3) : start]
    if any(before.endswith(b) for b in rules["before"]) or _is_compared(text, start):
        return True
    ob, oa = rules["object"]  # 对各旗县区、稀土高新区实行…: what the practice is applied to
    return bool(ob.search(text[max(0, start - 14) : start]) and oa.match(text[end:]))


def _is_compared(text: str, start: int, end: int | None = None) -> bool:
    """A place a figure is ranked or measured against (总量居全省第3位; 约占全省的21%; 全市第一)."""
    before = text[max(0, start - 3) : start]
    rules = _context_rules()
    return any(before.endswith(b) for b in rules["compare"]) or (end is not None and bool(rules["compare_after"].match(text[end : end + 4])))


_ZAI_BEFORE = re.compile(r"在[^，,。；;：:！？!?在]{0,20}$")


def _after_zai(text: str, start: int) -> bool:
    """A place after 在 in its clause, with at most a list's other names between (在A、B同步举行)."""
    return bool(_ZAI_BEFORE.search(text[max(0, start - 21) : start]))


def _destination_spans(text: str, raw: list[tuple[int, int, str]]) -> set[int]:
    """Start offsets of mentions inside a list that ends with 等地/等重点地区, or that follows 在 and
    precedes an outpost being set up there (在上海、深圳设立驻点招商工作站; 在武汉光谷建设科创飞地)."""
    out: set[int] = set()
    ends = _context_rules()["dest_end"]
    i = 0
    while i < len(raw):
        j = i
        while j + 1 < len(raw) and raw[j + 1][0] - raw[j][1] <= 1 and text[raw[j][1] : raw[j + 1][0]] in ("", "、", ",", "和", "及"):
            j += 1
        tail = text[raw[j][1] : raw[j][1] + 6]
        if any(tail.startswith(e) for e in ends):
            out.update(raw[k][0] for k in range(i, j + 1))
        elif text[max(0, raw[i][0] - 1) : raw[i][0]] == "在" and _context_rules()["facility"].match(text, raw[j][1]):
            out.update(raw[k][0] for k in range(i, j + 1))  # 在上海、深圳设立驻点招商工作站
        elif _after_zai(text, raw[i][0]) and _context_rules()["venue"].match(text, raw[j][1]):
            # 我们将在北京举办招商推介会; 在A高新区、B经开区、C园区同步举行: the venue
            out.update(raw[k][0] for k in range(i, j + 1))
        elif j > i and any(text[max(0, raw[i][0] - 3) : raw[i][0]].endswith(b) for b in _context_rules()["before"]):
            out.update(raw[k][0] for k in range(i, j + 1))  # 学习借鉴深圳、苏州的经验: the whole list
        i = j + 1
    return out


def _find_all(text: str, word: str, start: int) -> list[int]:
    out, i = [], text.find(word, start)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + len(word))
    return out


def _named_zones(text: str, mentions: list[Mention], gaz: Gazetteer, extra: dict[str, Region]) -> list[Mention]:
    """株洲经开区, 台州智造新城: a zone no list has, named after a listed place, is a place inside
    it; its name without the place (智造新城, not a bare 新城) names it later in the text."""
    rules = _context_rules()
    for m in sorted(mentions, key=lambda x: x.start):
        if m.anaphor_level is not None or m.blocked or m.region_ids[0].startswith(UNLISTED_PREFIX):
            continue
        z = rules["named_zone"].match(text, m.end)
        if z is None or re.search(r"[的和与及、等在到向对为是把被从]", z.group()) or any(
                v in z.group() for v in rules["named_zone_not"]):
            continue  # 某县依托开发区…: a verb, not a name
        host = gaz.by_id(m.region_ids[0])
        if host is None or host.level == "province":
            continue
        name, tail = text[m.start : z.end()], z.group()
        level = rules["named_zone_level"][z.group("suffix")]
        # 苏州国家高新技术产业开发区 is the listed 苏州高新区
        known = [r for r in gaz.lookup(host.short_name + {"etdz": "经开区", "hitech": "高新区"}.get(level, "-"))
                 if r.level == level]
        rid = known[0].region_id if known else f"{UNLISTED_PREFIX}{host.region_id}:{name}"
        if not known:
            extra[rid] = Region(rid, name, name, level, host.region_id, host.province, None, None)
        spans = [(m.start, z.end())]
        if len(tail) > len(z.group("suffix")):  # 智造新城 alone, later
            spans += [(i, i + len(tail)) for i in _find_all(text, tail, z.end())]
        for a, b in spans:
            if a != m.start and any(x.start < b and a < x.end and x.anaphor_level is None for x in mentions):
                continue
            mentions = [x for x in mentions if not (a <= x.start < b)]
            # the head of a list whose next item is a venue or destination is one too
            # (在某市国家高新技术产业开发区、某某经济技术开发区同步举行)
            away = text[b : b + 1] in ("、", ",", "和", "及") and any(x.start == b + 1 and x.blocked for x in mentions)
            mentions.append(Mention(a, b, name, (rid,), None, (m.blocked or away) if a == m.start else away,
                                    m.host if a == m.start else False))
    return mentions


class Mentions:
    """All region mentions of one text, in reading order."""

    def __init__(self, text: str, matcher: RegionMatcher | None = None):
        self.text = text
        self.m = matcher or default_matcher()
        self.gaz = self.m.gaz
        raw = self.m.raw_mentions(text)
        words = [(w.start(), w.end()) for w in _context_rules()["not_place"].finditer(text)]
        raw = [x for x in raw if not any(a <= x[0] < b for a, b in words)]  # 大理岩: a rock, not 大理
        dest = _destination_spans(text, raw)
        # regions the document names outright (full names, cities, provinces, zones) and
        # their parents, with the surfaces that name them: a bare county short name (巴南, 资中)
        # needs its city among them, and of two places one surface names (吉林: the province and
        # its city) the one whose parent another surface names wins
        # (a surface naming several places supports none of them: 江北区 is in 重庆 and in 宁波)
        support: dict[str, set[str]] = {}
        for _s, _e, surf in raw:
            cands = [rid for rid in self.m.forms.get(surf, []) if not self._short_county(surf, rid)]
            for rid in cands[:1] if len(cands) == 1 else ():
                for x in [rid] + [r.region_id for r in self.gaz.parents(rid)]:
                    support.setdefault(x, set()).add(surf)
        self.support = support
        mentions: list[Mention] = []
        for s, e, surf in raw:
            cands = self._filter(surf, self.m.forms.get(surf, []))
            if not cands:
                continue
            host = bool(_context_rules()["host"].match(text, e))
            mentions.append(Mention(s, e, surf, tuple(cands), None, _is_blocked(text, s, e) or s in dest, host))
        # a place a paragraph sends people to or sets up an outpost in (该县在深圳设立驻点招商工作组) is
        # away again when named later in that paragraph (…就是工作组在深圳跟踪对接半年后促成的)
        rules = _context_rules()
        away: set[tuple[int, str]] = set()
        for k, mm in enumerate(mentions):
            key = (text.rfind("\n", 0, mm.start), mm.region_ids[0])
            before = text[max(0, mm.start - 3) : mm.start]
            if any(before.endswith(b) for b in rules["away"]) or (before.endswith("在") and rules["facility"].match(text, mm.end)):
                away.add(key)
            elif key in away and not mm.blocked:
                mentions[k] = Mention(mm.start, mm.end, mm.surface, mm.region_ids, None, True, mm.host)
        mentions = [mm for k, mm in enumerate(mentions)
                    if not (k + 1 < len(mentions) and mentions[k + 1].start == mm.end
                            and self.gaz.is_within(mentions[k + 1].region_ids[0], mm.region_ids[0])
                            and mentions[k + 1].region_ids[0] != mm.region_ids[0])]

        taken = sorted((mm.start, mm.end) for mm in mentions)
        starts = [t[0] for t in taken]
        for rx, level in _context_rules()["anaphora"]:
            for a in rx.finditer(text):
                k = bisect.bisect_left(starts, a.end())
                if k and taken[k - 1][1] > a.start():
                    continue  # inside a named mention
                if text[a.start() - 1 : a.start()] in ("(", "（") or text[a.end() : a.end() + 1] in (")", "）"):
                    continue  # 镇街（园区）: a kind of place, not a reference
                mentions.append(Mention(a.start(), a.end(), a.group(), ("",), level, _is_compared(text, a.start(), a.end())))
        mentions = self._unlisted_zones(text, mentions)
        glosses = [(g.start(), g.end()) for g in _context_rules()["gloss"].finditer(text)]
        if glosses:
            mentions = [Mention(mm.start, mm.end, mm.surface, mm.region_ids, mm.anaphor_level, True, mm.host)
                        if any(a < mm.start < b for a, b in glosses) else mm for mm in mentions]
        mentions.sort(key=lambda x: x.start)
        self.mentions = mentions
        self.named = {mm.region_ids[0] for mm in mentions if mm.anaphor_level is None}
        self._starts = [mm.start for mm in mentions]

    def _unlisted_zones(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Parks no list has, named as a clause's subject (苏银产业园签约项目5个), become places of
        this document (`self.extra`), inside the place their name holds or the one named before."""
        self.extra: dict[str, Region] = {}
        mentions.sort(key=lambda x: x.start)
        rules = _context_rules()
        found = [(z, "park") for z in rules["unlisted"].finditer(text)] + [(z, "group") for z in rules["grouping"].finditer(text)]
        order: list[int] = []  # indices of mentions by start (made again when mentions change)
        keys: list[int] = []
        for z, level in sorted(found, key=lambda x: x[0].start("name")):
            a, b, name = z.start("name"), z.end("name"), z.group("name")
            if len(order) != len(mentions):
                order = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
                keys = [mentions[k].start for k in order]
            inner = [m for m in (mentions[k] for k in sorted(order[bisect.bisect_left(keys, a) : bisect.bisect_left(keys, b)]))
                     if m.end <= b and m.anaphor_level is None]
            if any(m.start == a and m.end == b for m in inner):
                continue  # a listed zone
            host = inner[0] if inner else next((m for m in reversed(mentions) if m.end <= a and m.anaphor_level is None
                                                and not m.blocked and m.region_ids[0] not in self.extra), None)
            if host is None:
                continue
            parent = self.gaz.by_id(host.region_ids[0])
            if level == "group":  # a grouping lies in the province of the place named before it
                parent = next((x for x in [parent] + self.gaz.parents(parent.region_id) if x.level == "province"), parent)
            rid = f"{UNLISTED_PREFIX}{parent.region_id}:{name}"
            self.extra[rid] = Region(rid, name, name, level, parent.region_id, parent.province, None, None)
            mentions = [m for m in mentions if not (a <= m.start < b)]
            mentions.append(Mention(a, b, name, (rid,)))
            order = []
        mentions = _named_zones(text, mentions, self.gaz, self.extra)
        if self.extra:
            self.gaz = self.gaz.with_regions(self.extra)
        return mentions

    # --- candidates -------------------------------------------------------------------
    def _short_county(self, surf: str, rid: str) -> bool:
        r = self.gaz.by_id(rid)
        return r.level == "county" and surf != r.name and not surf.endswith(("区", "县", "市", "旗"))

    def _filter(self, surf: str, cands: list[str]) -> list[str]:
        keep = []
        for rid in cands:
            if self._short_county(surf, rid):
                parent = self.gaz.by_id(rid).parent_id
                if parent not in self.support:
                    continue  # bare county short names need their city in the text
            keep.append(rid)
        if len(keep) > 1:
            supported = [rid for rid in keep
                         if any(self.support.get(p.region_id, set()) - {surf} for p in self.gaz.parents(rid))]
            keep = supported or keep
            order = {"province": 0, "prefecture": 1, "new_area": 2, "hitech": 3, "etdz": 3, "park": 4, "county": 5}
            keep.sort(key=lambda rid: order.get(self.gaz.by_id(rid).level, 9))
        return keep[:1]

    def mentions_in(self, start: int, end: int) -> list[Mention]:

        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out


_AUTONOMOUS = {"自治州": "州", "自治县": "县", "自治旗": "旗"}


def display_name(r: Region) -> str:
    """Short display form used in facts: 闵行区, 东莞市, 两江新区, 肇庆高新区, 重庆市; an autonomous
    prefecture or county by its common short form (伊犁州, 楚雄州, 石柱县)."""
    if r.level in ZONE_LEVELS:
        return r.short_name or r.name
    if r.level in ("prefecture", "county") and r.short_name != r.name:
        for long, short in _AUTONOMOUS.items():
            if r.name.endswith(long):
                return r.short_name + short
    return r.name
