"""Document text -> facts (pure): the garden stage of the ETL."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from etl.context import DocContext, DocInfo
from etl.extractors import durations, figures, mechanisms
from etl.extractors.chains import chain_for
from etl.models import Fact
from etl.periods import Period, event_period, resolve_period, sentence_year
from etl.regions import display_name
from etl.segment import CLAUSE_SEP, Sentence, clause_bounds


def _rules_checksum() -> str:
    """Version of the extraction: a checksum of the rule files and the extraction code, so a
    rule change re-extracts documents that are otherwise unchanged."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    files = sorted([*root.glob("*.py"), *root.glob("extractors/*.py"), *root.glob("rules/*.*")])
    for f in files:
        if f.name not in ("__main__.py", "store.py", "export.py", "evaluate.py", "checks.py", "limits.py", "uploads.py",
                          "README.md"):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


EXTRACTOR_VERSION = _rules_checksum()


def _region_fields(ctx: DocContext, rid: str | None) -> dict:
    if not rid:
        return {"region_id": None, "region": None, "province": None, "region_level": None}
    r = ctx.gaz.by_id(rid)
    return {"region_id": rid, "region": display_name(r), "province": r.province, "region_level": r.level}


def _base(ctx: DocContext, s: Sentence, i: int, j: int, rid: str | None, kind: str) -> dict:
    ev, a, b = ctx.evidence(s, i, j)
    sa, sb = ctx.sentence_orig_span(s)
    par = ctx.pars[s.paragraph].text
    return {"kind": kind, "doc_id": ctx.info.doc_id, **_region_fields(ctx, rid), "evidence": ev,
            "char_start": a, "char_end": b, "sentence_start": sa, "sentence_end": sb,
            "industry_chain": chain_for(s.text, par)}


def _clause_span(text: str, pos: int, end: int) -> tuple[int, int]:
    c0, _ = clause_bounds(text, pos)
    _, c1 = clause_bounds(text, max(pos, end - 1))
    return c0, c1


def _figure_span(text: str, f: figures.RawFigure) -> tuple[int, int]:
    c0, c1 = _clause_span(text, f.pos, f.end)
    if f.yoy_pct is not None:
        m = re.search(r"\d+(?:\.\d+)?%", text[c1:])
        if m:
            tail = text[c1 : c1 + m.end()]
            if not re.search(r"[。；;]", tail):
                c1 = c1 + m.end()
                while c1 < len(text) and text[c1] == "%":
                    c1 += 1
                nxt = re.match(r"(?:、\d+(?:\.\d+)?%)+", text[c1:])
                if nxt:
                    c1 += nxt.end()
    if figures.label_end(text) == c0:
        c0 = 0  # ▲签约项目：62个: the label with its figure
    while c0 < c1 and text[c0] in "“”\"' ":
        c0 += 1
    return c0, c1


def _lead_in_period(ctx: DocContext, par: int):
    """A paragraph ending in a colon leads in the list below it (2023年，开发区…交出亮眼答卷：
    ▲签约项目：62个 …): its period holds for the list's items and the paragraph right after."""
    j = par - 1
    while j >= 0 and par - j <= 12:
        t = ctx.pars[j].text.rstrip()
        if t.endswith((":", "：")):
            return resolve_period(t, ctx.date, None)
        if len(t) > 40:
            return None
        j -= 1
    return None


_EXPLICIT_SPAN = re.compile(r"全年|年度|季度|半年|\d+月|[一二三四五六七八九十]+月")


def _year_back(p: Period) -> Period:
    """The same span a year earlier (2024-01-01..2024-09-30 -> 2023-01-01..2023-09-30)."""
    def back(d: date) -> date:
        return d.replace(year=d.year - 1, day=28) if (d.month, d.day) == (2, 29) else d.replace(year=d.year - 1)
    return Period(back(p.start), back(p.end))


def extract_figures(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    last_period: dict[int, tuple] = {}
    title_year, title_period = _title_period(ctx)
    prev = None
    par_before = ""
    header = None
    for s in ctx.sentences:
        same_par = prev is not None and prev.paragraph == s.paragraph
        par_before = par_before + prev.text if same_par else ""
        nxt = ctx.sentences[s.index + 1] if s.index + 1 < len(ctx.sentences) else None
        next_text = nxt.text if nxt is not None and nxt.paragraph == s.paragraph and s.text.rstrip().endswith(("；", ";")) else ""
        raws = figures.extract_raw(s, prev.text if same_par else "", par_before, next_text)
        prev = s
        header = _table_row(ctx, s, header, title_year, title_period, last_period, out)
        if not raws:
            continue
        hint = ctx.year_hint(s) or title_year
        ms = [(p, m) for p, m in ctx.sentence_mentions(s) if not m.blocked and m.anaphor_level is None]
        paired = figures.respective_regions(s.text, [(p, p + m.end - m.start) for p, m in ms], raws)
        for k, f in enumerate(raws):
            rid = ctx.resolve_mention(ms[paired[k]][1], s.paragraph) if k in paired else ctx.resolve(s, f.pos, "figure")
            i, j = _figure_span(s.text, f)
            base = _base(ctx, s, i, j, rid, "figure")
            # an achieved figure is no later than the document (…预计明年投产。截至6月底，已聚集…)
            fhint = None if hint and ctx.date.year and hint > ctx.date.year and not f.is_target else hint
            per = resolve_period(s.text, ctx.date, fhint, f.pos, achieved=not f.is_target)
            flow = figures.is_flow(s.text, f)
            if per is not None and f.metric in figures.PROJECT_METRICS and not f.is_target and per.start is not None and per.start == per.end:
                per = None  # 10月12日，总投资35亿元的…项目签约: the day of an event, no period of the project
            if per is None and f.is_target and fhint and f.metric in figures.FLOW_METRICS:
                per = Period(date(fhint, 1, 1), date(fhint, 12, 31))  # 2023年主要预期目标是：…；新签约…120个以上: a goal of that year
            if per is None and flow:
                per = _inherited_period(ctx, s.paragraph, last_period)
            if per is None and flow and not f.is_target:
                per = _lead_in_period(ctx, s.paragraph) or title_period
            if per is not None and per.start is None and per.end is not None and flow:
                per = Period(date(per.end.year, 1, 1), per.end)  # 截至10月底，全县共签约项目27个: the year so far
            prior = last_period.get(s.paragraph)
            if (per is not None and prior is not None and re.match(r"其中", s.text) and not _EXPLICIT_SPAN.search(s.text[: f.pos])
                    and (per.start, per.end) == (date(per.end.year, 1, 1), date(per.end.year, 12, 31)) and prior.end and prior.end.year == per.end.year):
                per = prior  # 今年前三季度…112个。其中，今年签约的亿元以上项目74个: a part of the same span
            if not f.is_target and re.search(r"(?<![比较与和])" + figures.rules()["same_period_last_year"] + "(?!相比|比)", s.text[: f.pos]):
                # 去年同期，新区签约项目87个: the span of the figures before, a year back
                if prior is not None and prior.start is not None and prior.end is not None:
                    per = _year_back(prior)
            elif per is not None and (f.metric in figures.FLOW_METRICS or f.is_target):
                last_period[s.paragraph] = per
            out.append(_figure_fact(base, f, per))
    return out


def _figure_fact(base: dict, f: figures.RawFigure, per, yoy_pct=None) -> Fact:
    """A figure fact: currency only for money; the period's ends; yoy_pct overrides the figure's."""
    return Fact(**base, metric=f.metric, value=f.value, unit=f.unit,
                currency=f.currency if f.unit not in ("个", "家", "亩") else None,
                period_start=per.start if per else None, period_end=per.end if per else None,
                yoy_pct=yoy_pct if yoy_pct is not None else f.yoy_pct, is_target=f.is_target,
                qualifier=f.qualifier, subject=f.subject, rule="figure")


def _table_row(ctx: DocContext, s: Sentence, header, title_year, title_period, last_period, out: list[Fact]):
    """Figures of a table row (a .docx table reads as tab-separated lines): each value cell is
    read as the phrase its row label and column head make (figures.table_phrases); the row is
    the evidence. Returns the table's header row for the rows below (None outside a table)."""
    sa, sb = ctx.sentence_orig_span(s)
    line = ctx.nt.original[sa:sb]
    if "\t" not in line.strip() or len(s.segments) > 1:
        return None
    cells = figures.table_cells(line, header)
    if not figures.is_value_row(cells):
        # a header, unless a row of a table already headed (项目名称 | 所在县区 | … with no figure)
        return header if header and len(cells) == len(header) - (header[0] in figures.SERIAL_HEAD) else cells
    hint = ctx.year_hint(s) or title_year
    label = next((m for p, m in ctx.sentence_mentions(s) if p == 0 and not m.blocked), None)
    for phrase, yoy in figures.table_phrases(header, cells):
        raws = figures.extract_raw(Sentence(0, 0, [], phrase))
        if len(raws) != 1:
            continue
        f = raws[0]
        if f.metric in figures.PROJECT_METRICS and figures.is_total_row(cells):
            continue  # 合计 of a project list: a sum, no one project's size
        rid = ctx.resolve_mention(label, s.paragraph) if label else ctx.resolve(s, 0, "figure")
        base = _base(ctx, s, 0, len(s.text), rid, "figure")
        per = resolve_period(phrase, ctx.date, hint, f.pos)
        flow = f.metric in figures.FLOW_METRICS or f.is_target
        if per is None and flow:
            per = _inherited_period(ctx, s.paragraph, last_period) or (None if f.is_target else title_period)
        out.append(_figure_fact(base, f, per, yoy))
    return header


_BYLINE_LINE = re.compile(r"来源|时间|日期|记者|发布|编辑|作者|通讯员")


def _title(ctx: DocContext):
    """The title: the first of the first three lines that is no sentence and no byline."""
    for p in ctx.pars[:3]:
        if not re.search(r"[。！？!?；;]", p.text) and not _BYLINE_LINE.search(p.text):
            return p
    return None


def _title_period(ctx: DocContext):
    """Year and period a report's title names (河南省2024年前三季度招商引资工作情况通报;
    西安高新区2023年招商引资工作综述): the year a sentence that names none is about, and the
    period of achieved flow figures that have none of their own or of their paragraph."""
    p = _title(ctx)
    year = sentence_year(p.text, ctx.date) if p is not None else None
    if not year:
        return None, None
    per = resolve_period(p.text, ctx.date, year)
    whole_year = per is not None and (per.start, per.end) == (date(year, 1, 1), date(year, 12, 31))
    if whole_year and not re.search(r"全年|年度|\d{4}年(?:招商|工作)", p.text):
        per = None  # a bare year in a headline (2023年…) may head any period's figures
    return year, per


def _inherited_period(ctx: DocContext, par: int, last_period: dict[int, tuple]):
    """A flow figure with no period of its own takes the period of the nearest earlier
    flow figure in its paragraph or the paragraphs before it (no heading in between)."""
    j, hops = par, 0
    while j >= 0 and hops <= 3:
        if j in last_period:
            return last_period[j]
        j = ctx.pred.get(j, j - 1)
        if j >= 0 and ctx.pars[j].is_heading:
            return None
        hops += 1
    return None


_SUBJECT = re.compile(r"([\u4e00-\u9fffA-Za-z0-9（）()]{2,24}?(?:项目|有限公司|公司|基地|工厂))")


def _duration_subject(ctx: DocContext, s: Sentence, pos: int) -> str | None:
    """The project or company the duration is about: nearest before it in the sentence,
    else in the paragraph's earlier sentences."""
    hits = _SUBJECT.findall(s.text[:pos])
    if hits:
        return figures._clean_subject(hits[-1])
    for prev in reversed(ctx.sentences[: s.index]):
        if prev.paragraph != s.paragraph:
            break
        hits = _SUBJECT.findall(prev.text)
        if hits:
            return figures._clean_subject(hits[-1])
    return None


def extract_durations(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    reco = mechanisms.recommendation_pars(ctx.pars)  # a recommended time is not an achieved one
    for s in ctx.sentences:
        if s.paragraph in reco:
            continue
        for d in durations.extract_raw(s):
            rid = ctx.resolve(s, d.pos, "duration")
            c0, c1 = _clause_span(s.text, d.pos, d.end)
            # keep the comparison clause (比特斯拉…少1个多月) when it gave the baseline
            if d.baseline_days is not None and d.days is not None:
                m = re.search(r"少|快|缩短", s.text[c1:])
                if m:
                    _, c1 = clause_bounds(s.text, c1 + m.start())
            base = _base(ctx, s, c0, c1, rid, "duration")
            when = event_period(s.text, ctx.date, d.pos)  # the event's own date where the text gives it
            out.append(Fact(**base, subject=_duration_subject(ctx, s, d.pos), from_stage=d.from_stage, to_stage=d.to_stage,
                            days=d.days, baseline_days=d.baseline_days, rule="duration",
                            period_start=when.start if when else None, period_end=when.end if when else None))
    return out


def extract_mechanisms(ctx: DocContext) -> list[Fact]:
    out: list[Fact] = []
    reco = mechanisms.recommendation_pars(ctx.pars)  # 建议…探索组建…: proposed to the region, not its practice
    for s in ctx.sentences:
        if s.paragraph in reco:
            continue
        for m in mechanisms.extract_raw(s):
            rid = ctx.resolve(s, m.pos, "mechanism")
            c0, c1 = _clause_span(s.text, m.pos, m.end)
            base = _base(ctx, s, c0, c1, rid, "mechanism")
            out.append(Fact(**base, category=m.category, name=m.name, rule="mechanism"))
    return out


APPROX_HEAD = re.compile(r"(?:突破|超过|超|逾|近|约|达到|达)\d")
# a headline's 项目总投资 (新引进项目总投资超400亿元) may restate the body's signed amount
HEADLINE_SAME = {"project_investment": ("project_investment", "signed_amount")}


_BOUND_NUM = re.compile(r"(突破|超过|超|逾|近)\s*(\d+(?:\.\d+)?)")


def _bound_of(f: Fact) -> str | None:
    """The bound word a figure is stated with (签约额突破800亿元 -> 突破), if any."""
    if f.value is None or not f.evidence:
        return None
    for m in _BOUND_NUM.finditer(f.evidence):
        if abs(float(m.group(2)) - f.value) < 1e-9:
            return m.group(1)
    return None


def drop_headline_restatements(facts: list[Fact], heading_spans: list[tuple[int, int]], gaz=None) -> list[Fact]:
    """A headline's rounded figure (近8000亿元) restates a body figure (7985.6亿元); so does a
    lead's bound (签约额突破800亿元) restating the exact figure of the body (签约总额812.4亿元)
    for the same place and period. A headline naming the city (钦州港 -> 钦州市) restates a
    figure of a place within it."""
    def in_heading(f: Fact) -> bool:
        return any(a <= f.char_start < b for a, b in heading_spans)

    def same_place(b: Fact, f: Fact, head: bool) -> bool:
        return b.region_id == f.region_id or (head and gaz is not None and bool(b.region_id) and bool(f.region_id)
                                              and gaz.is_within(b.region_id, f.region_id))

    body = [f for f in facts if f.kind == "figure" and not in_heading(f)]
    # exact body figures by (metric, place, goal, period), found once per document
    bounds = {id(f): _bound_of(f) for f in body}
    exact: dict[tuple, list[Fact]] = {}
    for b in body:
        if bounds[id(b)] is None and b.value is not None:
            exact.setdefault((b.metric, b.region_id, b.is_target, b.period_start, b.period_end), []).append(b)
    out = []
    for f in facts:
        if f.kind == "figure" and in_heading(f):
            # a bound in the headline (突破2000亿元, 超30亿美元) rounds further than a plain number
            tol = 0.15 if APPROX_HEAD.search(f.evidence or "") else 0.05
            if any(b.metric in HEADLINE_SAME.get(f.metric, (f.metric,)) and same_place(b, f, True)
                   and (b.is_target == f.is_target or f.metric == "project_investment")
                   and abs((b.value or 0) - (f.value or 0)) <= tol * max(abs(b.value or 0), 1e-9) for b in body):
                continue
        elif f.kind == "figure" and f.value is not None and (bound := bounds.get(id(f))):
            up = bound != "近"
            same = exact.get((f.metric, f.region_id, f.is_target, f.period_start, f.period_end), ())
            if any(b.sentence_start != f.sentence_start and abs(b.value - f.value) <= 0.1 * b.value
                   and (b.value >= f.value if up else b.value <= f.value) for b in same):
                continue
        out.append(f)
    return out


def dedupe_within(facts: list[Fact]) -> list[Fact]:
    """One fact per real-world fact within a document: a figure restated later, and one
    mechanism per (region, category)."""
    out: list[Fact] = []
    seen: dict[tuple, Fact] = {}
    for f in facts:
        if f.kind == "figure":
            k = ("figure", f.metric, round(f.value or 0, 4), f.currency, f.region_id, f.is_target)
            prev = seen.get(k)
            if prev is not None and prev.sentence_start != f.sentence_start:
                same_period = (prev.period_start, prev.period_end) == (f.period_start, f.period_end)
                if same_period or prev.period_start is None or f.period_start is None:
                    if prev.period_start is None and f.period_start is not None:
                        prev.period_start, prev.period_end = f.period_start, f.period_end
                    if prev.yoy_pct is None and f.yoy_pct is not None:
                        prev.yoy_pct = f.yoy_pct  # a table row restating a sentence adds its change
                    continue
            seen.setdefault(k, f)
        elif f.kind == "duration":
            k = ("duration", f.region_id, f.days, f.from_stage, f.to_stage)
            prev = seen.get(k)
            if prev is not None and f.days is not None and (prev.baseline_days is None or f.baseline_days is None):
                # the same step told twice (a headline, then the body with its comparison): one
                # fact, the telling that gives the baseline
                if prev.baseline_days is None and f.baseline_days is not None:
                    out[out.index(prev)] = f
                    seen[k] = f
                continue
            if prev is not None and prev.baseline_days == f.baseline_days:
                continue
            seen.setdefault(k, f)
        else:
            k = ("mechanism", f.region_id, f.category)
            if k in seen:
                continue
            seen[k] = f
        out.append(f)
    return out


def extract_document(text: str, info: DocInfo) -> tuple[DocContext, list[Fact]]:
    ctx = DocContext(text, info)
    facts = extract_figures(ctx) + extract_durations(ctx) + extract_mechanisms(ctx)
    # headings, and the title even when longer than a heading (…综述：全年签约项目总投资突破2000亿元)
    headings = [ctx.nt.orig_span(p.start, p.end) for p in ctx.pars
                if p.is_heading or p is _title(ctx)]
    return ctx, dedupe_within(drop_headline_restatements(facts, headings, ctx.gaz))


__all__ = ["extract_document", "EXTRACTOR_VERSION", "CLAUSE_SEP"]
