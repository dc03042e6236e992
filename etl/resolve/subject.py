"""The place a document is about, if it says so: named in its headline lines, else at the head
of its lead, else its outlet's place. Used for 我市/全县/本区 that name nothing nearby and for
figures whose text names no place. A document that says none of these has no subject: no guess."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.document import Document
from etl.mentions import Mention

# the lead's opening words before its subject: 本报讯（记者…）, 新华社北京6月1日电, 日前，近日，
_LEAD_PREFIX = re.compile(r"^(?:[^，,。]{0,16}?(?:讯|电)\s*(?:[（(][^）)]{0,30}[）)])?\s*)?(?:[^，,。]{0,8}?(?:日前|近日|今年以来|近年来|今年|目前|日)\s*[，,]?\s*)?")


@dataclass(frozen=True)
class Subject:
    region_id: str | None
    source: str  # headline | lead | outlet | none


def _deepest(doc: Document, ms: list[Mention]) -> str | None:
    """The first usable place named, or a place inside it named alongside it (长治…沁源 -> 沁源县)."""
    named = [m for m in ms if m.anaphor_level is None and not m.blocked and not m.host]
    if not named:
        return None
    best = named[0].region_ids[0]
    for m in named[1:]:
        rid = m.region_ids[0]
        if rid != best and doc.gaz.is_within(rid, best):
            best = rid
    return best


def document_subject(doc: Document, outlet_region) -> Subject:
    heads = doc.headlines
    ms = [m for p in heads for m in doc.par_mentions[p.index]]
    if rid := _deepest(doc, ms):
        return Subject(rid, "headline")
    # the lead: the first sentence of the body, its subject at the head (after a dateline)
    body = next((s for s in doc.sentences if s.paragraph not in {p.index for p in heads}
                 and re.search(r"[。！？!?；;]", s.text)), None)
    if body is not None:
        head = _LEAD_PREFIX.match(body.text).end()
        lead = [m for p, m in doc.sentence_mentions(body) if head <= p <= head + 2]
        if rid := _deepest(doc, lead):
            return Subject(rid, "lead")
    if rid := outlet_region(0):
        return Subject(rid, "outlet")
    return Subject(None, "none")
