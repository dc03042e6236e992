"""A figure's period at the level of the document: the sentence's own words first
(etl.periods.resolve_period parses them), then what the document around it says — the year of
the sentences before, the title's period, a lead-in line ending in a colon, the flow figure
before it, 去年同期 a year back. Each step is a named function, applied in `figure_period`."""

from __future__ import annotations

import re
from datetime import date

from etl.document import Document
from etl.extractors import figures
from etl.periods import Period, resolve_period, sentence_year
from etl.segment import SECTION_HEAD, Sentence

_EXPLICIT_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")
_SPAN = re.compile(r"季度|半年|前\d{1,2}个?月|[前1-9一二三四五六七八九十]{1,3}\s*[-—–~至到]\s*\d{1,2}\s*月|\d{1,2}月份?")
# a signing event on a day (6月24日，某县举行集中签约活动): its projects and amount are of that day
_EVENT_DAY = re.compile(r"(?<![\d年.])(\d{1,2})月(\d{1,2})[日号]")
_EVENT_WORDS = re.compile(r"签约|举行|举办|召开|仪式|大会|活动")
_YEAR_GOAL = re.compile(r"年度|全年")  # a goal of the whole year
_PART = re.compile(r"\s*其中")  # a sentence of the parts of a total before it
_EXPLICIT_SPAN = re.compile(r"全年|年度|季度|半年|\d+月|[一二三四五六七八九十]+月")


def year_hints(doc: Document) -> list[int | None]:
    """Per sentence, the year of the nearest earlier sentence in its paragraph that names one,
    else the year of its numbered section head (一、2024年工作回顾 / 二、2025年主要目标). One pass."""
    section: list[int | None] = []  # per paragraph: year of the section head above it
    y = None
    for p in doc.pars:
        section.append(y)
        if p.is_heading and SECTION_HEAD.match(p.text):
            y = sentence_year(p.text, doc.date)
    hints: list[int | None] = []
    carry = None
    for i, x in enumerate(doc.sentences):
        if i and doc.sentences[i - 1].paragraph == x.paragraph:
            carry = sentence_year(doc.sentences[i - 1].text, doc.date) or carry
        else:
            carry = None
        hints.append(carry or section[x.paragraph])
    return hints


def title_period(doc: Document) -> tuple[int | None, Period | None]:
    """Year and period a report's title names (河南省2024年前三季度招商引资工作情况通报;
    西安高新区2023年招商引资工作综述; 前7月新疆…到位资金同比增38%, of the document's year): the year
    a sentence that names none is about, and the period of achieved flow figures that have none
    of their own or of their paragraph. A relative year (明年开建) is no year of the report."""
    p = next(iter(doc.headlines), None) or doc.title
    if p is None:
        return None, None
    year = int(m.group(1)) if (m := _EXPLICIT_YEAR.search(p.text)) else None
    if not year:
        per = resolve_period(p.text, doc.date, None) if doc.date.year and _SPAN.search(p.text) else None
        return (None, per) if per is not None and per.start and per.end else (None, None)
    per = resolve_period(p.text, doc.date, year)
    whole_year = per is not None and (per.start, per.end) == (date(year, 1, 1), date(year, 12, 31))
    if whole_year and not re.search(r"全年|年度|\d{4}年(?:招商|工作)", p.text):
        per = None  # a bare year in a headline (2023年…) may head any period's figures
    return year, per


def lead_in_period(doc: Document, par: int) -> Period | None:
    """A paragraph ending in a colon leads in the list below it (2023年，开发区…交出亮眼答卷：
    ▲签约项目：62个 …): its period holds for the list's items and the paragraph right after."""
    j = par - 1
    while j >= 0 and par - j <= 12:
        t = doc.pars[j].text.rstrip()
        if t.endswith((":", "：")):
            return resolve_period(t, doc.date, None)
        if len(t) > 40:
            return None
        j -= 1
    return None


def inherited_period(doc: Document, par: int, last_period: dict[int, Period]) -> Period | None:
    """A flow figure with no period of its own takes the period of the nearest earlier flow
    figure in its paragraph or the paragraphs before it (no heading in between)."""
    j, hops = par, 0
    while j >= 0 and hops <= 3:
        if j in last_period:
            return last_period[j]
        j = doc.pred.get(j, j - 1)
        if j >= 0 and doc.pars[j].is_heading:
            return None
        hops += 1
    return None


def year_back(p: Period) -> Period:
    """The same span a year earlier (2024-01-01..2024-09-30 -> 2023-01-01..2023-09-30)."""
    def back(d: date) -> date:
        return d.replace(year=d.year - 1, day=28) if (d.month, d.day) == (2, 29) else d.replace(year=d.year - 1)
    return Period(back(p.start), back(p.end))


class FigurePeriods:
    """Periods of the figures of one document, read in order (a figure's period may come from
    the figures before it)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.title_year, self.title_period = title_period(doc)
        self.last: dict[int, Period] = {}  # paragraph -> period of its last flow figure
        self.last_metric: dict[tuple[int, str], Period] = {}  # (paragraph, metric) -> the same, per metric
        self.hints = year_hints(doc)
        self._stated: dict[int, Period | None] = {}

    def event_day(self, s: Sentence) -> Period | None:
        """The day of the signing event the sentence's paragraph reports, if its first sentence
        dates one (6月24日，温县举行…集中签约活动。…15个项目成功签约)."""
        d = self.doc
        first = d.first_sentence.get(s.paragraph)
        if first is None or not d.date.year:
            return None
        m = _EVENT_DAY.search(first.text)
        if not m or not _EVENT_WORDS.search(first.text):
            return None
        y = self.hints[first.index] or d.date.year
        try:
            day = date(y, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
        return Period(day, day) if not d.date.day or day <= d.date.day else None

    def stated_before(self, s: Sentence) -> Period | None:
        """The span an earlier sentence of the paragraph states (今年以来，…先后于7月、9月组织开展…。
        …成功签约项目463个): a period stated once holds for the figures below it. Days are events."""
        d = self.doc
        for k in range(s.index - 1, max(-1, s.index - 13), -1):  # a paragraph's lead is near
            prev = d.sentences[k]
            if prev.paragraph != s.paragraph:
                break
            if k not in self._stated:
                per = resolve_period(prev.text, d.date, self.hints[k], len(prev.text), achieved=True)
                self._stated[k] = per if per is not None and per.start is not None and per.start != per.end else None
            if self._stated[k] is not None:
                return self._stated[k]
        return None

    def hint(self, s: Sentence) -> int | None:
        return self.hints[s.index] or self.title_year

    def of(self, s: Sentence, f: figures.RawFigure, hint: int | None) -> Period | None:
        doc = self.doc
        # an achieved figure is no later than the document (…预计明年投产。截至6月底，已聚集…)
        fhint = None if hint and doc.date.year and hint > doc.date.year and not f.is_target else hint
        per = resolve_period(s.text, doc.date, fhint, f.pos, achieved=not f.is_target)
        flow = figures.is_flow(s.text, f)
        if per is not None and f.metric in figures.PROJECT_METRICS and not f.is_target and per.start is not None and per.start == per.end:
            per = None  # 10月12日，总投资35亿元的…项目签约: the day of an event, no period of the project
        if per is None and f.is_target and fhint and f.metric in figures.FLOW_METRICS:
            per = Period(date(fhint, 1, 1), date(fhint, 12, 31))  # 2023年主要预期目标是：…；新签约…120个以上: a goal of that year
        if f.is_target and per is not None and per.end and _YEAR_GOAL.search(s.text[f.clause[0] : f.pos]):
            per = Period(date(per.end.year, 1, 1), date(per.end.year, 12, 31))  # 前三季度…，占年度任务64亿元的97.8%
        if per is None and flow and _PART.match(s.text):
            # 其中，州政府负责推进项目96个…: a part shares the period of its total (the figure of the
            # same metric before it), even where other figures of other spans stand between
            per = self.last_metric.get((s.paragraph, f.metric))
        if per is None and flow:
            per = inherited_period(doc, s.paragraph, self.last)
        if per is None and flow and not f.is_target and f.metric in ("signed_projects", "signed_amount"):
            per = self.event_day(s)
        if per is None and flow and not f.is_target:
            per = self.stated_before(s)
        if per is None and flow and not f.is_target:
            per = lead_in_period(doc, s.paragraph) or self.title_period
        if per is not None and per.start is None and per.end is not None and flow:
            per = Period(date(per.end.year, 1, 1), per.end)  # 截至10月底，全县共签约项目27个: the year so far
        prior = self.last.get(s.paragraph)
        total = self.last_metric.get((s.paragraph, f.metric)) or prior  # what a 其中 part breaks down
        if (per is not None and total is not None and _PART.match(s.text) and not _EXPLICIT_SPAN.search(s.text[: f.pos])
                and (per.start, per.end) == (date(per.end.year, 1, 1), date(per.end.year, 12, 31)) and total.end and total.end.year == per.end.year):
            per = total  # 今年前三季度…112个。其中，今年签约的亿元以上项目74个: a part of the same span as its total
        if not f.is_target and re.search(r"(?<![比较与和])" + figures.rules()["same_period_last_year"] + "(?!相比|比)", s.text[: f.pos]):
            # 去年同期，新区签约项目87个: the span of the figures before, a year back
            if prior is not None and prior.start is not None and prior.end is not None:
                per = year_back(prior)
        elif per is not None and (f.metric in figures.FLOW_METRICS or f.is_target):
            self.last[s.paragraph] = per
            self.last_metric[(s.paragraph, f.metric)] = per
        if f.is_target and per is not None and per.end is not None and per.end == doc.date.day and per.start == date(per.end.year, 1, 1):
            # 截至目前，…完成目标任务195亿元的106%: the goal is the whole year's (the figures after it
            # keep the span the text stated)
            per = Period(per.start, date(per.end.year, 12, 31))
        return per

    def of_table_cell(self, s: Sentence, phrase: str, f: figures.RawFigure, hint: int | None) -> Period | None:
        per = resolve_period(phrase, self.doc.date, hint, f.pos)
        flow = f.metric in figures.FLOW_METRICS or f.is_target
        if per is None and flow:
            per = inherited_period(self.doc, s.paragraph, self.last) or (None if f.is_target else self.title_period)
        return per
