"""Document text -> facts (pure): the garden stage of the ETL. Loops over the extractor
registry, then keeps one fact per real-world fact (`Fact.identity`)."""

from __future__ import annotations

import bisect
import hashlib
import re
from pathlib import Path

from etl.document import DocInfo, Document
from etl.extractors import REGISTRY
from etl.models import Fact
from etl.resolve.regions import RegionResolver


def _rules_checksum() -> str:
    """Version of the extraction: a checksum of the rule files and the extraction code, so a
    rule change re-extracts documents that are otherwise unchanged."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    files = sorted([*root.glob("*.py"), *root.glob("extractors/*.py"), *root.glob("resolve/*.py"), *root.glob("rules/*.*")])
    for f in files:
        if f.name not in ("__main__.py", "store.py", "export.py", "evaluate.py", "checks.py", "limits.py", "uploads.py",
                          "README.md"):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


EXTRACTOR_VERSION = _rules_checksum()


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
    merged: list[list[int]] = []  # disjoint spans, sorted: a fact's span found by bisection
    for a, b in sorted(heading_spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        elif a < b:
            merged.append([a, b])
    starts = [a for a, _ in merged]

    def in_heading(f: Fact) -> bool:
        k = bisect.bisect_right(starts, f.char_start) - 1
        return k >= 0 and f.char_start < merged[k][1]

    def same_place(b: Fact, f: Fact, head: bool) -> bool:
        return b.region_id == f.region_id or (head and gaz is not None and bool(b.region_id) and bool(f.region_id)
                                              and gaz.is_within(b.region_id, f.region_id))

    body = [f for f in facts if f.kind == "figure" and not in_heading(f)]
    # exact body figures by (metric, place, goal, period), found once per document; body
    # figures indexed by value so that each comparison looks only at near values
    bounds = {id(f): _bound_of(f) for f in body}
    exact: dict[tuple, list[Fact]] = {}
    by_metric: dict[str, list[Fact]] = {}
    for b in body:
        by_metric.setdefault(b.metric, []).append(b)
        if bounds[id(b)] is None and b.value is not None:
            exact.setdefault((b.metric, b.region_id, b.is_target, b.period_start, b.period_end), []).append(b)
    by_metric = {k: _value_index(v) for k, v in by_metric.items()}
    exact = {k: _value_index(v) for k, v in exact.items()}
    out = []
    for f in facts:
        if f.kind == "figure" and in_heading(f):
            # a bound in the headline (突破2000亿元, 超30亿美元) rounds further than a plain number
            tol = 0.15 if APPROX_HEAD.search(f.evidence or "") else 0.05
            near = [b for m in HEADLINE_SAME.get(f.metric, (f.metric,)) if m in by_metric
                    for b in _near(by_metric[m], f.value or 0, tol)]
            if any(b.metric in HEADLINE_SAME.get(f.metric, (f.metric,)) and same_place(b, f, True)
                   and (b.is_target == f.is_target or f.metric == "project_investment")
                   and abs((b.value or 0) - (f.value or 0)) <= tol * max(abs(b.value or 0), 1e-9) for b in near):
                continue
        elif f.kind == "figure" and f.value is not None and (bound := bounds.get(id(f))):
            up = bound != "近"
            key = (f.metric, f.region_id, f.is_target, f.period_start, f.period_end)
            same = _near(exact[key], f.value, 0.1) if key in exact else ()
            if any(b.sentence_start != f.sentence_start and abs(b.value - f.value) <= 0.1 * b.value
                   and (b.value >= f.value if up else b.value <= f.value) for b in same):
                continue
        out.append(f)
    return out


def _value_index(facts: list[Fact]) -> tuple[list[float], list[Fact]]:
    items = sorted(facts, key=lambda b: b.value or 0)
    return [b.value or 0 for b in items], items


def _near(index: tuple[list[float], list[Fact]], v: float, tol: float) -> list[Fact]:
    """The facts whose value b may satisfy |b - v| <= tol * |b| (a superset, by bisection)."""
    keys, items = index
    a, b = v / (1 + tol), v / (1 - tol)
    margin = 1e-9 * (abs(v) + 1)
    return items[bisect.bisect_left(keys, min(a, b) - margin) : bisect.bisect_right(keys, max(a, b) + margin)]


def dedupe_within(facts: list[Fact]) -> list[Fact]:
    """One fact per real-world fact within a document (`Fact.identity` / `Fact.same_fact`): a
    figure restated in another sentence, a duration told twice (the telling with the baseline
    wins), one mechanism per (region, category), and never the same telling twice."""
    out: list[Fact] = []
    seen: dict[tuple, Fact] = {}
    for f in facts:
        k = f.identity()
        prev = seen.get(k)
        if prev is not None and prev.same_fact(f):
            if (prev.char_start, prev.char_end) == (f.char_start, f.char_end):
                continue  # the same telling found twice
            if f.kind == "figure" and prev.sentence_start != f.sentence_start:
                if prev.period_start is None and f.period_start is not None:
                    prev.period_start, prev.period_end = f.period_start, f.period_end
                if prev.yoy_pct is None and f.yoy_pct is not None:
                    prev.yoy_pct = f.yoy_pct  # a table row restating a sentence adds its change
                continue
            if f.kind == "duration" and f.days is not None:
                if prev.baseline_days is None and f.baseline_days is not None:
                    out[out.index(prev)] = f
                    seen[k] = f
                continue
            if f.kind == "mechanism":
                continue
        seen.setdefault(k, f)
        out.append(f)
    return out


def extract_document(text: str, info: DocInfo) -> tuple[Document, list[Fact]]:
    """Document -> facts: every registered extractor, then one fact per real-world fact."""
    doc = Document(text, info)
    resolver = RegionResolver(doc)
    facts = [f for e in REGISTRY for f in e.extract(doc, resolver)]
    # headings, and the title even when longer than a heading (…综述：全年签约项目总投资突破2000亿元)
    headings = [doc.nt.orig_span(p.start, p.end) for p in doc.pars if p.is_heading or p is doc.title]
    return doc, dedupe_within(drop_headline_restatements(facts, headings, doc.gaz))


# a short page with every kind of fact and a paragraph broken mid-sentence, so that warming
# up touches every rule, vocabulary and dictionary the extraction loads lazily
_WARM_TEXT = ("南京市招商引资工作情况\n发布时间：2024-03-10\n"
              "一季度，南京市新签约项目36个，总投资120亿元，实际到位资金45亿元，同比增长12%；推行“链长制”，\n"
              "项目从签约到开工仅用30天。\n")


def warm() -> None:
    """Load the rules, the gazetteer and the dictionary's words now (before forking workers, so
    that they share them instead of each loading its own)."""
    from etl.layout import _dictionary_words

    _dictionary_words()
    extract_document(_WARM_TEXT, DocInfo("warm"))


__all__ = ["extract_document", "EXTRACTOR_VERSION", "DocInfo", "warm"]
