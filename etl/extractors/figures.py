"""kind="figure": signed amounts, project counts, funds in place, project investment,
fund sizes, land, firms and industry output (shared/spec/facts.md §1)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.numbers import count_regex, count_value, money_regex, money_value
from etl.rules import load_yaml
from etl.segment import CLAUSE_SEP, Sentence, clause_bounds, clauses

kind = "figure"
FLOW_METRICS = {"signed_amount", "signed_projects", "started_projects", "funds_in_place", "industry_output"}


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    r = dict(load_yaml("metrics.yml"))
    alt = lambda ws: "|".join(sorted(ws, key=len, reverse=True))  # noqa: E731
    gap = r["trigger_gap"]
    r["_money_triggers"] = [
        (m, re.compile(rf"(?:{alt(spec['triggers'])})[^，,。；;、]{{0,{gap}}}$"))
        for m, spec in r["metrics"].items()
        if spec.get("money")
    ]
    r["_threshold"] = re.compile(r["threshold_after"])
    r["_growth"] = re.compile(r["growth"])
    r["_qual"] = sorted(r["qualifiers"], key=len, reverse=True)
    return r


@dataclass
class RawFigure:
    metric: str
    value: float
    unit: str
    currency: str | None
    pos: int  # start of the number in the sentence text
    end: int
    clause: tuple[int, int]
    is_target: bool
    qualifier: str | None
    subject: str | None
    yoy_pct: float | None = None


def _has(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)


def is_target(text: str, pos: int, skip: list[tuple[int, int]] = ()) -> bool:
    """A goal word before the number in the sentence, not cancelled by an achieved word
    (goal words inside `skip` spans, e.g. a superseded plan, do not count)."""
    r = rules()
    before = "".join("\0" if any(a <= k < b for a, b in skip) else ch for k, ch in enumerate(text[:pos]))
    for w in ("计划总投资", "计划投资", "规划面积"):  # a metric's name, not a goal
        before = before.replace(w, "\0" * len(w))
    c0, _ = clause_bounds(text, pos)
    if "目标" in text[c0:pos]:
        return True
    best = -1
    for w in r["target_words"]:
        k = before.rfind(w)
        if k > best:
            best = k
    if best < 0:
        return False
    between = before[best:]
    return not any(a in between for a in r["achieved_words"])


def _qualifier(text: str, c0: int, pos: int, end: int) -> str | None:
    seg = text[c0:pos]
    found = []
    for q in rules()["_qual"]:
        if q in seg and not any(q in f for f in found):
            found.append(q)
    return "；".join(found) if found else None


_PROJECT_AFTER = re.compile(r"^(?:的)?([^，,。；;、]{2,40}?(?:项目|基地|中心|总部|产业园|工厂|生产线))")
_PROJECT_BEFORE = re.compile(r"([^，,。；;、“”]{2,40}?(?:项目|基地|中心|总部|产业园|生产线))[^，,。；;]*$")
_FUND_AFTER = re.compile(r"^(?:的)?([^，,。；;、]{0,14}?基金)")


def _subject_project(text: str, end: int, pos: int) -> str | None:
    m = _PROJECT_AFTER.match(text[end:])
    if m:
        return _clean_subject(m.group(1))
    m = _PROJECT_BEFORE.search(text[:pos])
    if m:
        return _clean_subject(m.group(1))
    return None


def _clean_subject(s: str) -> str:
    s = re.sub(r"^(?:全名为|名为|其中|包括|该|此|这个|为|的|是|将|在)", "", s)
    s = re.sub(r"^.*?(?:的)(?=[^的]{4,}$)", "", s) if len(s) > 24 else s
    return s.strip("“”\"' ")


def _money_metric(text: str, pos: int, end: int, c0: int) -> str | None:
    r = rules()
    before = text[c0:pos]
    for metric, rx in r["_money_triggers"]:
        if rx.search(before):
            if metric == "project_investment":
                return _total_investment_metric(text, pos)
            return metric
    # fund: "推出 80 亿元的招商引资专项基金"
    if _FUND_AFTER.match(text[end:]):
        return "fund_size"
    return None


def _total_investment_metric(text: str, pos: int) -> str:
    """总投资/总额 after a signing batch is the batch's signed amount."""
    r = rules()
    signing = _has(text, r["signing_words"])
    batch = re.search(r"\d+个[^，,。；;]{0,20}项目|项目[^，,。；;]{0,6}\d+个|签约活动|集中签约", text)
    if signing and batch:
        return "signed_amount"
    return "project_investment"


def _project_count_metric(text: str, pos: int, end: int, c0: int, c1: int) -> str | None:
    r = rules()
    clause = text[c0:c1]
    after = text[end : end + 16]
    before = text[max(c0, pos - 16) : pos]
    noun_after = re.match(r"^[^，,。；;、]{0,14}?项目", after)
    noun_before = re.search(r"项目[^，,。；;、]{0,6}$", before)
    if not (noun_after or noun_before):
        return None
    if _has(clause, r["project_count_exclude"]):
        return None
    # clause first, then the nearest signing/started word in the sentence
    if _has(clause, r["started_words"]) and not _has(clause, ["签约", "签订"]):
        return "started_projects"
    if _has(clause, r["signing_words"]):
        return "signed_projects"
    best, metric = 10**9, None
    for words, m in ((r["signing_words"] + [t for t in rules()["metrics"]["signed_amount"]["triggers"]], "signed_projects"),
                     (r["started_words"], "started_projects")):
        for w in words:
            for mm in re.finditer(re.escape(w), text):
                d = abs(mm.start() - pos)
                if d < best:
                    best, metric = d, m
    return metric if best < 60 else None


def _firm_count(text: str, pos: int, end: int, c0: int, c1: int) -> bool:
    r = rules()
    nouns = "|".join(r["firm_nouns"])
    after = text[end:c1]
    noun_after = re.match(rf"^[^，,。；;]{{0,14}}?(?:{nouns})", after)
    noun_before = re.search(rf"(?:{nouns})[^，,。；;]{{0,4}}$", text[c0:pos])
    if not (noun_after or noun_before):
        return False
    rest = after[noun_after.end():] if noun_after else after
    if _has(rest, r["firm_verbs_after"]):
        return True
    if _has(rest, r["firm_verbs_other"]):
        return False
    # verb before, in this clause or an earlier clause of a list ("有A，15家B，40家C")
    k = pos
    for a, b in reversed([c for c in clauses(text) if c[0] <= c0]):
        seg = text[a : min(b, k)]
        if _has(seg, r["firm_verbs_other"]):
            return False
        if any(seg.rfind(v) >= 0 for v in r["firm_verbs_before"]):
            return True
        if a != c0 and not re.match(r"^\d+(?:个|家)", text[a:b]):
            break
    return False


def extract_raw(s: Sentence, prev_text: str = "") -> list[RawFigure]:
    """Figures of one sentence before region and period are attached. prev_text: the
    sentence before, for 其中… sentences that continue it."""
    text = s.text
    r = rules()
    out: list[RawFigure] = []
    # a superseded plan (原本计划要拿的地块大约100亩) is dropped with its clause
    superseded = [clause_bounds(text, text.find(w)) for w in r["superseded_words"] if w in text]
    for m in money_regex().finditer(text):
        pos, end = m.start("num"), m.end()
        c0, c1 = clause_bounds(text, pos)
        if r["_threshold"].match(text, m.end("cur") if m.group("cur") else m.end("scale")) and m.group("above"):
            continue
        if r["_threshold"].match(text[m.end():]) or (m.group("above") and re.match(r"(?:的)?(?:产业|工业|制造业|重大|重点)?项目", text[end:])):
            continue
        if _has(text[c0:c1], r["reward_words"]) and re.search(r"对(?:于)?", text[c0:pos]):
            continue
        if any(a <= pos < b for a, b in superseded):
            continue
        metric = _money_metric(text, pos, end, c0)
        if not metric:
            continue
        value, cur = money_value(m.group("num"), m.group("scale"), m.group("cur"))
        if m.group("num2"):
            v2, _ = money_value(m.group("num2"), m.group("scale"), m.group("cur"))
            value = round((value + v2) / 2, 6)
        unit = "亿元" if cur == "CNY" else "亿"
        subject = None
        if metric == "project_investment":
            subject = _subject_project(text, end, pos)
        elif metric == "fund_size":
            f = _FUND_AFTER.match(text[end:])
            subject = _clean_subject(f.group(1)) if f else None
        out.append(RawFigure(metric, value, unit, cur, pos, end, (c0, c1), is_target(text, pos, superseded),
                             _qualifier(text, c0, pos, end), subject))
    for m in count_regex().finditer(text):
        pos, end = m.start("num"), m.end()
        if any(f.pos <= pos < f.end for f in out):
            continue
        value = count_value(m.group("num"), m.group("wan"))
        if value is None or value <= 0:
            continue
        c0, c1 = clause_bounds(text, pos)
        if any(a <= pos < b for a, b in superseded):
            continue
        if not m.group("num")[0].isdigit() and value < 10:
            continue  # 一家企业, 两家公司, 四个十强榜: a reference, not a count
        unit = m.group("unit")
        if unit == "个":
            metric = _project_count_metric(text, pos, end, c0, c1)
            if metric is None and prev_text and re.match(r"^(?:其中|包括)", text):
                joined = prev_text + text
                k = len(prev_text)
                metric = _project_count_metric(joined, k + pos, k + end, k + c0, k + c1)
        elif unit == "家":
            metric = "enterprise_count" if _firm_count(text, pos, end, c0, c1) else None
        else:
            metric = None if text[end : end + 1] in ("均", "产") else "land_area"
        if not metric:
            continue
        out.append(RawFigure(metric, value, unit, None, pos, end, (c0, c1), is_target(text, pos, superseded),
                             _qualifier(text, c0, pos, end), None))
    _attach_growth(text, out)
    return out


@functools.lru_cache(maxsize=1)
def _any_trigger() -> list[tuple[str, re.Pattern]]:
    alt = lambda ws: "|".join(sorted(ws, key=len, reverse=True))  # noqa: E731
    return [(m, re.compile(alt(spec["triggers"]))) for m, spec in rules()["metrics"].items() if spec.get("triggers")]


def _attach_growth(text: str, figs: list[RawFigure]) -> None:
    """增长 9.4% after a figure is its yoy; 分别增长a%、b% pairs with the figures before it."""
    figs.sort(key=lambda f: f.pos)
    for g in rules()["_growth"].finditer(text):
        pcts = [float(x.rstrip("%")) for x in g.group("pcts").split("、")]
        if g.group("dir") in ("下降", "减少", "回落"):
            pcts = [-p for p in pcts]
        before = [f for f in figs if f.end <= g.start() and f.yoy_pct is None and f.unit != "亩"]
        if not before:
            continue
        if g.group("each") and len(pcts) > 1:
            for f, p in zip(before[-len(pcts):], pcts):
                f.yoy_pct = p
        else:
            f = before[-1]
            between = text[f.end : g.start()]
            other = any(rx.search(between + "\n") and m != f.metric for m, rx in _any_trigger())
            if not other and len(CLAUSE_SEP.findall(between)) <= 1 and not re.search(r"[。；;]", between):
                f.yoy_pct = pcts[0]
                base = g.group("base")
                if base and base.startswith("较") and "季度" in base:
                    f.qualifier = "；".join(x for x in (f.qualifier, f"增幅为{base}") if x)
