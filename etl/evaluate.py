"""Precision, recall and F1 per kind against gold facts (pure).

Figures match on doc, metric, value (0.5 %), currency, is_target and region; durations on
doc, region and days (15 %); mechanisms on doc, region and category (as sets). Regions are
compared after folding long zone names and dropping parent prefixes and level suffixes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from etl.gazetteer import load_gazetteer
from etl.readers import SUPPORTED

_LONG_TO_SHORT = [("高新技术产业开发区", "高新区"), ("高新技术产业园区", "高新区"), ("经济技术开发区", "经开区"),
                  ("经济开发区", "经开区"), ("技术开发区", "经开区"), ("开发区", "经开区")]
_ZONE_END = ("高新区", "经开区", "工业区", "工业园区", "产业园", "园区", "科学城", "新城", "保税区", "自贸区")


def fold(name: str | None) -> str:
    """Comparable form of a region name: 重庆两江新区 -> 两江, 西部(重庆)科学城 == 重庆高新区."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", str(name)).replace(" ", "")
    gaz = load_gazetteer()
    hits = gaz.lookup(s) or gaz.lookup(s.replace("(", "（").replace(")", "）"))
    if len(hits) == 1:
        s = hits[0].short_name if hits[0].level not in ("province", "prefecture", "county") else hits[0].name
    for long, short in _LONG_TO_SHORT:
        s = s.replace(long, short)
    provinces = [r.short_name for r in gaz.regions.values() if r.level == "province"]
    changed = True
    while changed:
        changed = False
        for p in provinces:
            for pre in (p + "省", p + "市", p + "自治区", p):
                if s.startswith(pre) and len(s) > len(pre) + 1:
                    s, changed = s[len(pre):], True
                    break
            if changed:
                break
        m = re.match(r"^(.{2,4}?市)(.{2,})$", s)
        if not changed and m and not m.group(2).startswith(("区", "县")):
            s, changed = m.group(2), True
    if not s.endswith(_ZONE_END):
        for suf in ("新区", "市", "区", "县", "省"):
            if s.endswith(suf) and len(s) > len(suf) + 1:
                return s[: -len(suf)]
    return s


def _close(a, b, rel: float, floor: float = 1e-9) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= max(rel * abs(b), floor)


def match(kind: str, g: dict, p: dict) -> bool:
    if fold(g.get("region")) != fold(p.get("region")) or not fold(g.get("region")):
        return False
    if kind == "figure":
        return (p.get("metric") == g.get("metric") and _close(p.get("value"), g.get("value"), 0.005)
                and (p.get("currency") or "CNY") == (g.get("currency") or "CNY")
                and bool(p.get("is_target")) == bool(g.get("is_target")))
    if kind == "duration":
        if g.get("days") is None:
            return p.get("days") is None and _close(p.get("baseline_days"), g.get("baseline_days"), 0.15, 0.01)
        return _close(p.get("days"), g.get("days"), 0.15, 0.01)
    return p.get("category") == g.get("category")


def _doc_key(doc) -> str:
    """A document id without a file suffix (a01.txt -> a01); b/report stays b/report."""
    s = str(doc)
    p = Path(s)
    return s[: -len(p.suffix)] if p.suffix.lower() in SUPPORTED else s


def score(gold: list[dict], pred: list[dict]) -> dict[str, dict]:
    out = {}
    docs = {_doc_key(g["doc"]) for g in gold}
    for kind in ("figure", "duration", "mechanism"):
        G, P = defaultdict(list), defaultdict(list)
        for g in gold:
            if g.get("kind") == kind:
                G[_doc_key(g["doc"])].append(g)
        for p in pred:
            d = _doc_key(p.get("doc", ""))
            if p.get("kind") == kind and d in docs:
                P[d].append(p)
        if kind == "mechanism":
            for D in (G, P):
                for d in list(D):
                    D[d] = list({(fold(x.get("region")), x.get("category")): x for x in D[d]}.values())
        tp = fp = fn = 0
        for d in docs:
            used: set[int] = set()
            for g in G[d]:
                hit = next((j for j, p in enumerate(P[d]) if j not in used and match(kind, g, p)), None)
                if hit is None:
                    fn += 1
                else:
                    used.add(hit)
                    tp += 1
            fp += len(P[d]) - len(used)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[kind] = {"tp": tp, "fp": fp, "fn": fn, "precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3)}
    return out
