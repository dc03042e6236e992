"""Plain data shapes shared by the ETL stages."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date

# export field order per kind, as in shared/spec/facts.md
FIGURE_FIELDS = ("metric", "value", "currency", "unit", "period_start", "period_end", "yoy_pct",
                 "is_target", "qualifier", "subject", "industry_chain")
DURATION_FIELDS = ("subject", "from_stage", "to_stage", "days", "baseline_days", "industry_chain")
MECHANISM_FIELDS = ("category", "name", "industry_chain")
KIND_FIELDS = {"figure": FIGURE_FIELDS, "duration": DURATION_FIELDS, "mechanism": MECHANISM_FIELDS}


@dataclass
class Fact:
    kind: str  # figure | duration | mechanism
    doc_id: str
    region_id: str | None
    region: str | None
    province: str | None
    region_level: str | None
    evidence: str
    char_start: int  # offsets into the original document text
    char_end: int
    sentence_start: int
    sentence_end: int
    # figure
    metric: str | None = None
    value: float | None = None
    unit: str | None = None
    currency: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    yoy_pct: float | None = None
    is_target: bool = False
    qualifier: str | None = None
    subject: str | None = None
    industry_chain: str | None = None
    # duration
    from_stage: str | None = None
    to_stage: str | None = None
    days: float | None = None
    baseline_days: float | None = None
    from_stage_key: str | None = None  # stage of etl/rules/stages.yml; None = unmapped
    to_stage_key: str | None = None
    stage_group: str | None = None  # what the duration compares on (签约→开工, 企业开办); None = unmapped
    baseline_kind: str | None = None  # own (改革前) | norm (一般) | other (对比：baseline_ref)
    baseline_ref: str | None = None
    # mechanism
    category: str | None = None
    name: str | None = None
    # bookkeeping
    rule: str = ""
    region_rule: str = ""  # the region resolver's rule that placed it (etl.resolve.regions)
    extra: dict = field(default_factory=dict)

    # ---- identity: one definition for de-duplication, clustering and the stored id ----
    def identity(self) -> tuple:
        """What makes two facts the same real-world fact, apart from the period (and a duration's
        baseline), which `same_fact` compares leniently: a restatement may omit them."""
        if self.kind == "figure":
            return ("figure", self.metric, round(self.value or 0, 4), self.currency, self.region_id,
                    bool(self.is_target))
        if self.kind == "duration":
            return ("duration", self.region_id, self.days, self.from_stage, self.to_stage, bool(self.is_target))
        return ("mechanism", self.region_id, self.category)

    def same_fact(self, other: Fact) -> bool:
        """Same identity, and periods (baselines) equal or one of them unstated."""
        if self.identity() != other.identity():
            return False
        if self.kind == "figure":
            return (self.period_start is None or other.period_start is None
                    or (self.period_start, self.period_end) == (other.period_start, other.period_end))
        if self.kind == "duration":
            return self.baseline_days is None or other.baseline_days is None or self.baseline_days == other.baseline_days
        return True

    def cluster_key(self, year: int | None) -> tuple:
        """Across documents the same fact only for the same period: a figure's exact period, a
        duration's or mechanism's year (its own period's, else its document's)."""
        if self.kind == "figure":
            return self.identity() + (self.period_start, self.period_end)
        if self.kind == "duration":
            return self.identity() + (self.baseline_days, year)
        return self.identity() + (year,)

    def fact_id(self) -> str:
        """Stable id of this telling: document, span and the full identity."""
        raw = (self.doc_id, self.kind, self.char_start, self.char_end, self.identity(),
               self.period_start, self.period_end, self.baseline_days)
        return hashlib.sha1(repr(raw).encode()).hexdigest()[:16]

    def review_key(self, sha256: str) -> str:
        return review_key(sha256, self)

    def export(self, doc: str) -> dict:
        d = asdict(self)
        out = {"doc": doc, "kind": self.kind, "region": self.region, "province": self.province}
        for k in KIND_FIELDS[self.kind]:
            v = d[k]
            out[k] = v.isoformat() if isinstance(v, date) else v
        out["evidence"] = self.evidence
        out["char_start"] = self.char_start
        out["char_end"] = self.char_end
        return out


def review_key(sha256: str, f) -> str:
    """Stable identity of a telling for human review, across re-extractions (any object with a
    fact's fields): the document's content hash, kind, evidence offsets and slot (metric, stages
    or category: several facts may share one table row)."""
    if f.kind == "figure":
        slot = f.metric or ""
    elif f.kind == "duration":
        slot = f"{f.from_stage or ''}>{f.to_stage or ''}"
    else:
        slot = f.category or ""
    return f"{sha256}:{f.kind}:{f.char_start}-{f.char_end}:{slot}"
