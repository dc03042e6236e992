"""From a document to facts, one function per kind (registered in etl.extractors.REGISTRY):
the sentence-level rules of figures.py / durations.py / mechanisms.py find the candidates, the
resolvers (etl.resolve) give each its region and period, and the evidence is cut from the text."""

from __future__ import annotations

import re
import weakref

from etl.document import Document
from etl.extractors import durations, figures, mechanisms
from etl.extractors.chains import chain_for
from etl.mentions import display_name
from etl.models import Fact
from etl.periods import event_period
from etl.resolve.periods import FigurePeriods
from etl.resolve.regions import Query, RegionResolver, Resolution
from etl.segment import Sentence, clause_bounds


def _region_fields(doc: Document, res: Resolution) -> dict:
    rid = res.region_id
    if not rid:
        return {"region_id": None, "region": None, "province": None, "region_level": None, "region_rule": res.rule}
    r = doc.gaz.by_id(rid)
    return {"region_id": rid, "region": display_name(r), "province": r.province, "region_level": r.level,
            "region_rule": res.rule}


def _base(doc: Document, s: Sentence, i: int, j: int, res: Resolution, kind: str) -> dict:
    ev, a, b = doc.evidence(s, i, j)
    sa, sb = doc.sentence_orig_span(s)
    par = doc.pars[s.paragraph].text
    return {"kind": kind, "doc_id": doc.info.doc_id, **_region_fields(doc, res), "evidence": ev,
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


def _figure_fact(base: dict, f: figures.RawFigure, per, yoy_pct=None) -> Fact:
    """A figure fact: currency only for money; the period's ends; yoy_pct overrides the figure's."""
    return Fact(**base, metric=f.metric, value=f.value, unit=f.unit,
                currency=f.currency if f.unit not in ("个", "家", "亩") else None,
                period_start=per.start if per else None, period_end=per.end if per else None,
                yoy_pct=yoy_pct if yoy_pct is not None else f.yoy_pct, is_target=f.is_target,
                qualifier=f.qualifier, subject=f.subject, rule="figure")


# ---- figures --------------------------------------------------------------------------------

def figure_facts(doc: Document, res: RegionResolver) -> list[Fact]:
    out: list[Fact] = []
    periods = FigurePeriods(doc)
    prev = None
    par_before = ""
    header = None
    for s in doc.sentences:
        same_par = prev is not None and prev.paragraph == s.paragraph
        par_before = par_before + prev.text if same_par else ""
        nxt = doc.sentences[s.index + 1] if s.index + 1 < len(doc.sentences) else None
        next_text = nxt.text if nxt is not None and nxt.paragraph == s.paragraph and s.text.rstrip().endswith(("；", ";")) else ""
        raws = figures.extract_raw(s, prev.text if same_par else "", par_before, next_text)
        prev = s
        header = _table_row(doc, res, periods, s, header, out)
        if not raws:
            continue
        hint = periods.hint(s)
        ms = [(p, m) for p, m in doc.sentence_mentions(s) if not m.blocked and m.anaphor_level is None]
        paired = figures.respective_regions(s.text, [(p, p + m.end - m.start) for p, m in ms], raws)
        for k, f in enumerate(raws):
            where = res.resolve(Query(s, f.pos, "figure", ms[paired[k]][1] if k in paired else None))
            i, j = _figure_span(s.text, f)
            out.append(_figure_fact(_base(doc, s, i, j, where, "figure"), f, periods.of(s, f, hint)))
    return out


def _table_row(doc: Document, res: RegionResolver, periods: FigurePeriods, s: Sentence, header, out: list[Fact]):
    """Figures of a table row (a .docx table reads as tab-separated lines): each value cell is
    read as the phrase its row label and column head make (figures.table_phrases); the row is
    the evidence. Returns the table's header row for the rows below (None outside a table)."""
    line = doc.original_line(s)
    if "\t" not in line.strip() or len(s.segments) > 1:
        return None
    cells = figures.table_cells(line, header)
    if not figures.is_value_row(cells):
        # a header, unless a row of a table already headed (项目名称 | 所在县区 | … with no figure)
        return header if header and len(cells) == len(header) - (header[0] in figures.SERIAL_HEAD) else cells
    hint = periods.hint(s)
    label = next((m for p, m in doc.sentence_mentions(s) if p == 0 and not m.blocked), None)
    for phrase, yoy in figures.table_phrases(header, cells):
        raws = figures.extract_raw(Sentence(0, 0, [], phrase))
        if len(raws) != 1:
            continue
        f = raws[0]
        if f.metric in figures.PROJECT_METRICS and figures.is_total_row(cells):
            continue  # 合计 of a project list: a sum, no one project's size
        where = res.resolve(Query(s, 0, "figure", label))
        base = _base(doc, s, 0, len(s.text), where, "figure")
        out.append(_figure_fact(base, f, periods.of_table_cell(s, phrase, f, hint), yoy))
    return header


_SKIPPED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _skipped_pars(doc: Document) -> set[int]:
    """mechanisms.skipped_pars, once per document (durations and mechanisms both ask)."""
    if doc not in _SKIPPED:
        _SKIPPED[doc] = mechanisms.skipped_pars(doc.pars)
    return _SKIPPED[doc]


# ---- durations ------------------------------------------------------------------------------

_SUBJECT = re.compile(r"([\u4e00-\u9fffA-Za-z0-9（）()]{2,24}?(?:项目|有限公司|公司|基地|工厂))")


def _duration_subject(doc: Document, s: Sentence, pos: int) -> str | None:
    """The project or company the duration is about: nearest before it in the sentence,
    else in the paragraph's earlier sentences."""
    hits = _SUBJECT.findall(s.text[:pos])
    if hits:
        return figures._clean_subject(hits[-1])
    for prev in reversed(doc.sentences[: s.index]):
        if prev.paragraph != s.paragraph:
            break
        hits = _SUBJECT.findall(prev.text)
        if hits:
            return figures._clean_subject(hits[-1])
    return None


def duration_facts(doc: Document, res: RegionResolver) -> list[Fact]:
    out: list[Fact] = []
    reco = _skipped_pars(doc)  # a recommended time is not an achieved one
    for s in doc.sentences:
        if s.paragraph in reco:
            continue
        for d in durations.extract_raw(s):
            where = res.resolve(Query(s, d.pos, "duration"))
            c0, c1 = _clause_span(s.text, d.pos, d.end)
            # keep the comparison clause (比特斯拉…少1个多月) when it gave the baseline
            if d.baseline_days is not None and d.days is not None:
                m = re.search(r"少|快|缩短", s.text[c1:])
                if m:
                    _, c1 = clause_bounds(s.text, c1 + m.start())
            base = _base(doc, s, c0, c1, where, "duration")
            when = event_period(s.text, doc.date, d.pos)  # the event's own date where the text gives it
            out.append(Fact(**base, subject=_duration_subject(doc, s, d.pos), from_stage=d.from_stage, to_stage=d.to_stage,
                            days=d.days, baseline_days=d.baseline_days, rule="duration", is_target=d.is_commitment,
                            from_stage_key=d.from_key, to_stage_key=d.to_key, stage_group=d.group,
                            baseline_kind=d.baseline_kind, baseline_ref=d.baseline_ref,
                            period_start=when.start if when else None, period_end=when.end if when else None))
    return out


# ---- mechanisms -----------------------------------------------------------------------------

def mechanism_facts(doc: Document, res: RegionResolver) -> list[Fact]:
    out: list[Fact] = []
    reco = _skipped_pars(doc)  # 建议…探索组建…: proposed to the region, not its practice
    for s in doc.sentences:
        if s.paragraph in reco:
            continue
        for m in mechanisms.extract_raw(s):
            shares: list[str] = []
            items = mechanisms.listed_items(s.text, m.end)
            if items:
                # 共外出招商90批次，分别为：甲县30批次…: each listed place its share; the total goes to
                # the place holding them all (resolver rule listed_total)
                ms = doc.sentence_mentions(s)
                for a, b in items:
                    own = next((x for p, x in ms if a <= p < b and res.usable(x, "mechanism")), None)
                    if own is not None and (w := res.resolve(Query(s, a, "mechanism", own))).region_id:
                        shares.append(w.region_id)
                        out.append(Fact(**_base(doc, s, a, b, w, "mechanism"), category=m.category, name=m.name,
                                        rule="mechanism"))
            where = res.resolve(Query(s, m.pos, "mechanism", shares=tuple(shares)))
            c0, c1 = _clause_span(s.text, m.pos, m.end)
            base = _base(doc, s, c0, c1, where, "mechanism")
            out.append(Fact(**base, category=m.category, name=m.name, rule="mechanism"))
    return out
