"""The plain document model: original and normalised text with the offset map, paragraphs,
sentences (columns repaired), title, date, outlets and the region mentions found in the text.
Built once per document and only read afterwards; no decision about what a fact is about."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from etl.layout import repair_columns
from etl.mentions import Mention, Mentions
from etl.periods import DocDate, document_date
from etl.segment import SECTION_HEAD, Paragraph, Sentence, paragraphs, split_sentences
from etl.textnorm import NormText, normalize

_SOURCE = re.compile(r"(?:来源|稿源|出处)\s*[:：]\s*([^\s，,。)）]{2,12})")
# a byline or dateline naming the paper: 某某日报记者; 某某日报社全媒体记者; 某某日报讯; 某某时报讯
_BYLINE = re.compile(r"([\u4e00-\u9fff]{2,8}(?:日报|晚报|商报|时报|杂志|新闻网))(?:[/／][\u4e00-\u9fff]{2,8})?(?:社)?(?:[\u4e00-\u9fff]{0,5}记者|讯)")
_BYLINE_GATE = re.compile(r"日报|晚报|商报|时报|杂志|新闻网")  # cheap test before the byline's own
_BYLINE_LINE = re.compile(r"来源|时间|日期|记者|发布|编辑|作者|通讯员")
# a site's navigation, breadcrumb or toolbar line (当前位置：首页 > 要闻; 打印 | 分享)
_NAV_LINE = re.compile(r"首页|当前位置|您的位置|你的位置|位置[:：]|>|＞|»|\||设为|收藏|搜索|登录|注册|打印|分享|浏览|字号|网站|频道")
HEAD_LINES = 8  # how far down a page its headline may stand (below navigation lines)


@dataclass
class DocInfo:
    doc_id: str
    title: str | None = None
    outlet: str | None = None
    date_published: date | None = None
    url: str | None = None


class Document:
    def __init__(self, text: str, info: DocInfo):
        self.info = info
        self.nt: NormText = normalize(text)
        t = self.nt.text
        self.pars: list[Paragraph] = paragraphs(t)
        self.date: DocDate = document_date(t, info.date_published, info.url)
        self.outlet, self.par_outlets = self._outlets()
        self.mentions = Mentions(t)
        self.gaz = self.mentions.gaz
        self.par_mentions: list[list[Mention]] = [self.mentions.mentions_in(p.start, p.end) for p in self.pars]
        # the paragraph each one continues (the one before, or across a repaired column break)
        self.pred: dict[int, int] = {i: i - 1 for i in range(len(self.pars))}
        self.links = repair_columns(self.pars, self._regions_of, self._related, self.mentions.m.forms)
        self.pred.update(self.links)
        self.sentences: list[Sentence] = self._sentences()
        self.first_sentence: dict[int, Sentence] = {}  # paragraph -> its first sentence
        for x in self.sentences:
            self.first_sentence.setdefault(x.paragraph, x)
        self._par_starts = [p.start for p in self.pars]
        self._section_starts = self._sections()

    # ---- outlets ---------------------------------------------------------------------
    def _outlets(self) -> tuple[str | None, dict[int, str]]:
        """The document's outlet and, for digests with a 来源 line per article, the outlet
        named for each paragraph."""
        doc_outlet = self.info.outlet
        per_par: dict[int, str] = {}
        marks: list[tuple[int, str]] = []
        for p in self.pars:
            m = _SOURCE.search(p.text) or (_BYLINE_GATE.search(p.text) and _BYLINE.search(p.text))
            if m:
                marks.append((p.index, m.group(1)))
        if marks and marks[0][0] <= 3:
            doc_outlet = doc_outlet or marks[0][1]
            marks = marks[1:]
        last = -1
        for idx, name in marks:
            for i in range(last + 1, idx + 1):
                per_par[i] = name
            last = idx
        return doc_outlet, per_par

    def outlet_for(self, par: int) -> str | None:
        return self.par_outlets.get(par) or self.outlet

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

    def _sections(self) -> list[int]:
        """Per paragraph, the index of the paragraph opening its numbered section (一、 / （二）)."""
        starts, cur = [], 0
        for j, p in enumerate(self.pars):
            if SECTION_HEAD.match(p.text):
                cur = j
            starts.append(cur)
        return starts

    def section_start(self, par: int) -> int:
        return self._section_starts[par] if 0 <= par < len(self._section_starts) else 0

    @property
    def title(self) -> Paragraph | None:
        """The first of the first three lines that is no sentence and no byline."""
        for p in self.pars[:3]:
            if not re.search(r"[。！？!?；;]", p.text) and not _BYLINE_LINE.search(p.text):
                return p
        return None

    @property
    def headlines(self) -> list[Paragraph]:
        """The headline lines above the body: title, 原标题 and subtitles, skipping a site's
        navigation lines and bylines; they end at the first sentence of the body."""
        out: list[Paragraph] = []
        for p in self.pars[:HEAD_LINES]:
            if re.search(r"[。！？!?；;]", p.text) and not p.text.startswith("原标题"):
                break
            if len(p.text) >= 6 and not _NAV_LINE.search(p.text) and not _BYLINE_LINE.search(p.text[:8]):
                out.append(p)
        return out

    def par_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._par_starts, pos) - 1)

    # ---- regions named (for the column repair) ----------------------------------------
    def _regions_of(self, i: int, own_only: bool = False) -> set[str]:
        """Regions named in paragraph i (own_only) or in its story up to i."""
        j, hops = i, 0
        while j >= 0 and hops < 4:
            ids = {m.region_ids[0] for m in self.par_mentions[j] if m.anaphor_level is None}
            if ids or own_only:
                return ids
            j = self.pred.get(j, j - 1)
            hops += 1
        return set()

    def _related(self, a: str, b: str) -> bool:
        return a == b or self.gaz.is_within(a, b) or self.gaz.is_within(b, a)

    def sentence_mentions(self, s: Sentence) -> list[tuple[int, Mention]]:
        """(position in sentence text, mention) for mentions inside the sentence."""
        out = []
        off = 0
        for a, b in s.segments:
            for m in self.mentions.mentions_in(a, b):
                out.append((off + m.start - a, m))
            off += b - a
        return out

    # ---- evidence --------------------------------------------------------------------
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

    def original_line(self, s: Sentence) -> str:
        a, b = self.sentence_orig_span(s)
        return self.nt.original[a:b]
