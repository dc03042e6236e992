"""Document dates and the periods figures refer to (pure).

一季度 of 2024 -> 2024-01-01..2024-03-31; 1—8月 2023 -> 2023-01-01..2023-08-31;
去年 in an article of 2024 -> 2023-01-01..2023-12-31. Relative words resolve against the
document's own date (or only its year, when only the year is known).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from etl.numbers import parse_cn_int


@dataclass(frozen=True)
class DocDate:
    year: int | None
    day: date | None  # full date when known
    source: str  # where it came from: manifest, header, issued, dateline, url, years-in-text, none


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None


_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"


def _mk(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _n(s: str) -> int | None:
    return int(s) if s.isdigit() else parse_cn_int(s)


# ---- document date -----------------------------------------------------------------------

_HEADER = re.compile(r"(?:时间|日期|发布时间|发布日期|发稿时间|来源时间)\s*[:：]\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_ISSUED = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:印发|发布|编发|签发)")
_ISO = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?!\d)")
_YEAR_MD = re.compile(r"(?<!\d)(20\d{2})\s*\n\s*(\d{1,2})/(\d{1,2})(?!\d)")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})年")
_FUTURE_BEFORE = ("到", "至", "于", "争取", "力争", "预计", "计划", "在")
_FUTURE_AFTER = ("前", "底前", "达产", "建成", "实现", "都会", "将")


# dates in a page's address: /2019-03/14/, /2014/05/03/, /2015/0721/, t20200513_, /20181029/; else
# a year and month (/201104/, /2019-03/)
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)")
_URL_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])(?!\d)")


def url_date(url: str | None) -> DocDate | None:
    """The date a page's address carries (news sites file pages by day or month)."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    for m in _URL_DAY.finditer(path):
        if (d := _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))) and d <= date.today():
            return DocDate(d.year, d, "url")
    for m in _URL_MONTH.finditer(path):
        if date(int(m.group(1)), int(m.group(2)), 1) <= date.today():
            return DocDate(int(m.group(1)), None, "url")
    return None


def document_date(text: str, manifest_date: date | None = None, url: str | None = None) -> DocDate:
    """The document's date: the manifest's when given; else its header, 印发 line or dateline;
    else the date in its address (url); else the latest year the text reports as past."""
    if manifest_date:
        return DocDate(manifest_date.year, manifest_date, "manifest")
    head = text[:600]
    for rx, src in ((_HEADER, "header"), (_YEAR_MD, "header")):
        m = rx.search(head)
        if m and (d := _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))):
            return DocDate(d.year, d, src)
    m = None
    for m in _ISSUED.finditer(text):
        pass
    if m and (d := _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))):
        return DocDate(d.year, d, "issued")
    m = _ISO.search(head)
    if m and (d := _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))):
        return DocDate(d.year, d, "dateline")
    if found := url_date(url):
        return found
    past = []
    for y in _YEAR.finditer(text):
        before = text[max(0, y.start() - 3) : y.start()]
        after = text[y.end() : y.end() + 4]
        if any(before.endswith(w) for w in _FUTURE_BEFORE) or any(after.startswith(w) for w in _FUTURE_AFTER):
            continue
        past.append(int(y.group(1)))
    if past:
        return DocDate(max(past), None, "years-in-text")
    return DocDate(None, None, "none")


# ---- periods in a sentence ---------------------------------------------------------------

_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# 2025年前 (before 2025) is no year of a figure; 2024年前三季度 / 2024年前8个月 are
# a year naming a meeting: the meeting's word ends the year's clause (2024年全省招商工作会议上)
_MEETING_AFTER = re.compile(r"[^，,。；;:：]{0,20}?(?:会议|发布会|推介会|洽谈会|博览会|交易会|大会|论坛|峰会)(?:上|中|期间)?(?:获悉|了解到|透露|宣布|发布)")
_EXPLICIT_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年(?!代|底前|前(?![一二三四1-4]季度|[一二三四五六七八九十\d]{1,2}个?月))")
# 全年/年内 name no year of their own: the full year of the year in context (过去一年…全年新签约)
_REL_YEAR = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "上一年": -1, "过去一年": -1, "前年": -2, "明年": 1}
_REL_YEAR_RX = re.compile("|".join(sorted(_REL_YEAR, key=len, reverse=True)))
_QUARTER = re.compile(r"(?:第)?([一二三四1-4])季度")
_HALF = re.compile(r"(上半年|下半年)")
_MONTH_RANGE = re.compile(rf"(?:前({_NUM})个?月|({_NUM})\s*月?\s*(?:-|—|–|~|至|到)\s*({_NUM})\s*月)")  # 1—9月, 10月至12月
# a day (not a dateline's: 东北网2月14日电, 本报3月1日讯 date the report, not its figures)
_MONTH_DAY = re.compile(rf"(?<![\d年.])({_NUM})月({_NUM})[日号](?![电讯])")
# 昨日/昨天 and 今日/今天 in a dated report
_REL_DAY = re.compile(r"(?<![每某])(昨日|昨天|今日|今天)")
# one month (10月份，开发区新签约项目6个; a table column headed 10月); not a day (10月12日), an end
# (10月底), a range's end (1—10月), a length (3个月) or a start (3月以来)
_MONTH = re.compile(rf"(?:((?:19|20)\d{{2}})年)?(?<![\d.\-—–~至到前])(?<!截至)({_NUM})月(?:份)?(?![底末初中旬上下\d日号]|份?以来)")
# 截至2023年底 / 截至2023年10月底 name their year
_UNTIL = re.compile(rf"截至(?:(?:19|20)\d{{2}}(?:年(?=[\d一二三四五六七八九十])|(?=年底)))?(?:今年({_NUM})月(?:底|末)|({_NUM})月(?:底|末)|目前|今年|去年|年底)?")
_SINCE_YEAR = re.compile(r"(今年|年初)以来")
_MONTH_LIST = re.compile(rf"(?<![\d.])({_NUM})月?、({_NUM})月")
# a day followed by what was said then (1月28日，记者从…获悉) dates the statement, not the figures
_SAID_AFTER = re.compile(r"[^。；;]{0,24}?(?:获悉|表示|介绍|了解到|透露|通报|称|发布会)")
_PLAN = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?(?:期间|以来|时期)")
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*(?:—|-|–|~|至|到)\s*((?:19|20)\d{2})(?:年)?")
# 过去五年 / 近五年 / 五年来 in a report: the N full years before the report's year
_PAST_YEARS = re.compile(r"(?:过去|近|这|前)([二两三四五六七八九十2-9])年|([二两三四五六七八九十2-9])年来")
_HUNDRED_DAYS = re.compile(r"百日|百天")


def sentence_year(text: str, doc: DocDate) -> int | None:
    # a year in the name of a meeting (记者从2024年全省招商工作会议上获悉，2023年…) dates the
    # meeting, not the figures: the first year that names no meeting, else a relative year
    # (…会议上获悉，去年…), else the meeting's
    years = list(_EXPLICIT_YEAR.finditer(text))
    m = next((y for y in years if not _MEETING_AFTER.match(text, y.end())), None)
    if m:
        return int(m.group(1))
    r = _REL_YEAR_RX.search(text)
    if r and doc.year:
        return doc.year + _REL_YEAR[r.group()]
    return int(years[0].group(1)) if years else None


_COMPARE = re.compile(r"(?:同比|环比|比|较|相比|超过|抢出了?|占)(?:19|20)?\d{0,2}(?:去年|上年|上一年|前年|年)?(?:同期|全年)?")
_FIRST_QUARTERS = re.compile(r"前([一二三四1-4])季度")


def _candidates(text: str, doc: DocDate, y: int, year_hint: int | None, year: int | None,
                pos: int | None = None) -> list[tuple[int, Period]]:
    """Every period expression in text with its position (a month only before pos)."""
    head, hundred, tail = _all_candidates(text, doc, y, year_hint, year)
    out = [(a, per) for a, per, month in head if not month or pos is None or a < pos]
    if not out:  # a campaign's name (四季度…开展“百日攻坚”) does not override a stated period
        out += hundred
    return out + list(tail)


@functools.lru_cache(maxsize=512)  # the figures of one sentence ask alike
def _all_candidates(text: str, doc: DocDate, y: int, year_hint: int | None,
                    year: int | None) -> tuple[tuple, tuple, tuple]:
    """Every period expression in text: (position, period, whether a bare month), then those of
    a hundred-days campaign, then 全年/年内/年度."""
    out: list[tuple[int, Period]] = []
    months: set[int] = set()  # indices in out of the bare months
    for m in _UNTIL.finditer(text):
        month = m.group(1) or m.group(2)
        if month and (mm := _n(month)):
            out.append((m.start(), Period(None, _month_end(y, mm))))
        elif "年底" in m.group():
            out.append((m.start(), Period(None, date(y, 12, 31))))
        else:
            start = date(y, 1, 1) if ("今年" in text or year_hint or year) else None
            out.append((m.start(), Period(start, doc.day if doc.day and doc.day.year == y else None)))
    for m in _MONTH_DAY.finditer(text):
        mm, dd = _n(m.group(1)), _n(m.group(2))
        if _SAID_AFTER.match(text, m.end()):
            continue
        if mm and dd and (d := _mk(y, mm, dd)):
            out.append((m.start(), Period(d, d)))
    if doc.day:
        for m in _REL_DAY.finditer(text):
            d = doc.day - timedelta(days=1) if m.group(1).startswith("昨") else doc.day
            out.append((m.start(), Period(d, d)))
    taken_q = set()
    for m in _FIRST_QUARTERS.finditer(text):
        q = _QUARTERS[m.group(1)]
        out.append((m.start(), Period(date(y, 1, 1), _month_end(y, 3 * q))))
        taken_q.add(m.start(1))
    for m in _QUARTER.finditer(text):
        if m.start(1) in taken_q:
            continue
        q = _QUARTERS[m.group(1)]
        out.append((m.start(), Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q))))
    for m in _HALF.finditer(text):
        half = Period(date(y, 1, 1), date(y, 6, 30)) if m.group(1) == "上半年" else Period(date(y, 7, 1), date(y, 12, 31))
        out.append((m.start(), half))
    for m in _MONTH_RANGE.finditer(text):
        a, b = (1, _n(m.group(1))) if m.group(1) else (_n(m.group(2)), _n(m.group(3)))
        if a and b and 1 <= a <= b <= 12:
            out.append((m.start(), Period(date(y, a, 1), _month_end(y, b))))
    listed: list[tuple[int, int]] = []
    for m in _MONTH_LIST.finditer(text):  # 9、10月份: the months from the first to the last
        a, b = _n(m.group(1)), _n(m.group(2))
        if a and b and 1 <= a < b <= 12:
            out.append((m.start(), Period(date(y, a, 1), _month_end(y, b))))
            listed.append((m.start(), m.end()))
    for m in _PLAN.finditer(text):  # “十三五”期间: the plan's five years
        k = 10 + (_n(m.group(1)) or 0)
        if 11 <= k <= 19:
            first = 1981 + 5 * (k - 6)
            out.append((m.start(), Period(date(first, 1, 1), date(first + 4, 12, 31))))
    for m in _YEAR_RANGE.finditer(text):  # 三年（2018—2020）
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + 10:
            out.append((m.start(), Period(date(a, 1, 1), date(b, 12, 31))))
    for m in _MONTH.finditer(text):
        if any(a <= m.start() < b for a, b in listed):
            continue
        mm, my = _n(m.group(2)), int(m.group(1)) if m.group(1) else y
        if mm and 1 <= mm <= 12:  # only before pos (not 预计2025年6月建成 after it): _candidates
            months.add(len(out))
            out.append((m.start(), Period(date(my, mm, 1), _month_end(my, mm))))
    for m in _PAST_YEARS.finditer(text):
        n, base = _n(m.group(1) or m.group(2)), doc.year or y
        if n and base:
            out.append((m.start(), Period(date(base - n, 1, 1), date(base - 1, 12, 31))))
    for m in _SINCE_YEAR.finditer(text):
        out.append((m.start(), Period(date(y, 1, 1), doc.day if doc.day and doc.day.year == y else None)))
    head = tuple((a, per, k in months) for k, (a, per) in enumerate(out))
    # a "first hundred days" campaign report: taken as the first quarter (_candidates keeps it
    # only where the text states no other period)
    hundred = tuple((m.start(), Period(date(y, 1, 1), date(y, 3, 31))) for m in _HUNDRED_DAYS.finditer(text))
    tail = tuple((m.start(), Period(date(y, 1, 1), date(y, 12, 31))) for m in re.finditer(r"全年|年内|年度", text))
    return head, hundred, tail


def resolve_period(text: str, doc: DocDate, year_hint: int | None = None, pos: int | None = None,
                   achieved: bool = False) -> Period | None:
    """The period a sentence's figure covers, or None when the sentence fixes none.
    pos: where the figure's number stands; the last period expression before it wins.
    year_hint: the year of the surrounding paragraph when the sentence names none.
    achieved: an achieved figure whose period names no year and would end well after the
    document's date (1—11月 or 截至10月底 in a bulletin of January) is of the year before."""
    per = _resolve_period(text, doc, year_hint, pos)
    if (achieved and per is not None and per.end is not None and doc.day is not None and year_hint is None
            and per.end.year == doc.day.year and (per.end - doc.day).days > _LATE_DAYS):
        masked = _COMPARE.sub(lambda m: "\0" * len(m.group()), text)
        if sentence_year(masked[:pos] if pos is not None else masked, doc) is None and not _REL_YEAR_RX.search(masked):
            prev = DocDate(doc.year - 1 if doc.year else None, None, doc.source)
            return _resolve_period(text, prev, doc.day.year - 1, pos) or per
    return per


def event_period(text: str, doc: DocDate, pos: int | None = None) -> Period | None:
    """When a sentence dates its event itself (2023年3月签约…仅用时…, 去年…): that period; else None,
    and the document's date stands for it. A comparison base (比去年) dates nothing."""
    masked = _COMPARE.sub(lambda m: "\0" * len(m.group()), text)
    if sentence_year(masked, doc) is None:
        return None
    return _resolve_period(text, doc, None, pos)


# an achieved period may end a little after the date of its report (上半年 reviewed on 20 June)
_LATE_DAYS = 31


def _resolve_period(text: str, doc: DocDate, year_hint: int | None = None, pos: int | None = None) -> Period | None:
    # a comparison base (同比去年, 比上年) never sets the period; nor does a year after the number
    text = _COMPARE.sub(lambda m: "\0" * len(m.group()), text)
    year = sentence_year(text[:pos] if pos is not None else text, doc)
    y = year or year_hint or doc.year
    if y is None:
        return None
    cands = _candidates(text, doc, y, year_hint, year, pos)
    if cands:
        if pos is not None:
            before = [c for c in cands if c[0] < pos]
            if before:
                return max(before, key=lambda c: c[0])[1]
        return min(cands, key=lambda c: c[0])[1]
    if year or _REL_YEAR_RX.search(text):
        return Period(date(y, 1, 1), date(y, 12, 31))
    return None
