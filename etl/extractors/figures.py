"""kind="figure": signed amounts, project counts, funds in place, project investment,
fund sizes, land, firms and industry output (shared/spec/facts.md §1)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.numbers import count_regex, count_value, money_regex, money_value
from etl.regex_needs import Gated
from etl.rules import load_yaml
from etl.segment import CLAUSE_SEP, Sentence, clause_bounds, clauses

kind = "figure"
SIGNING_CONTEXT_CHARS = 80  # how far back in the paragraph a signing context reaches
FLOW_METRICS = {"signed_amount", "signed_projects", "started_projects", "funds_in_place", "industry_output"}
PROJECT_METRICS = {"project_investment", "land_area", "fund_size"}  # one project's, fund's or site's size
_AT_CAPACITY = re.compile(r"(?:达产|达效|建成|投产)后")
_NEW_FIRMS = re.compile(r"新增|新落户|新引进|新入驻|新签约|新注册|新批|新设立|新设")


def is_flow(text: str, f: RawFigure) -> bool:
    """A figure of a period: flows, goals, and firms newly landed (新增入驻企业74家); not a
    project's output once running (全部达产后年产值约80亿元), which is a capacity."""
    if _AT_CAPACITY.search(text[f.clause[0] : f.pos]):
        return False
    if f.metric in FLOW_METRICS or f.is_target:
        return True
    return f.metric == "enterprise_count" and bool(_NEW_FIRMS.search(text[f.clause[0] : f.pos]))


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
    for w in r["not_target_phrases"]:  # a metric's or a programme's name, not a goal
        before = before.replace(w, "\0" * len(w))
    # 完成市考核目标45个的88.9%，其中…: that goal word governs the rate's base, not what follows
    before = _RATE_CLAUSE.sub(lambda m: "\0" * len(m.group()), before)
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
    # 力争全市累计签约…: 累计 right after the goal word is the goal's own cumulative, no achievement
    lead = re.match(r"[^，,、。；;：:]{0,8}?累计", between)
    if lead:
        between = between[lead.end() :]
    return not any(a in between for a in r["achieved_words"])


def _size_is_target(text: str, pos: int, c0: int, metric: str, skip: list[tuple[int, int]]) -> bool:
    """A project's size (总投资约180亿元; 项目规划用地约2200亩) is what the project is, not a goal,
    even in a sentence about a project still planned (公司拟在…投资建设…项目): only a goal word in
    its own clause (预计总投资…) makes it one."""
    if metric == "project_investment" or (metric == "land_area" and "项目" in text[c0:pos]):
        return is_target(text[c0:], pos - c0, [(a - c0, b - c0) for a, b in skip])
    return is_target(text, pos, skip)


def _qualifier(text: str, c0: int, pos: int, end: int) -> str | None:
    seg = text[c0:pos]
    found = []
    for q in rules()["_qual"]:
        if q in seg and not any(q in f for f in found):
            found.append(q)
    if not found and (label := _item_label(seg)):
        found.append(label)  # 新能源及其装备制造(1177.75亿元): a part named by its label
    return "；".join(found) if found else None


def _item_label(seg: str) -> str | None:
    """A list item's label that names a part, not a place (places are the figure's region)."""
    from etl.gazetteer import load_gazetteer

    if not _ITEM_LABEL.fullmatch(seg) or _ITEM_WORDS.search(seg):
        return None
    label = re.sub(r"^(?:其中|含|包括)|[（(]$", "", seg)
    forms = load_gazetteer().surface_forms()
    if len(label) < 2 or any(x in forms for x in (label, label[-3:], label[-4:])):
        return None  # a place (or one ending in a place name: 市开发区 is handled as a zone)
    return label


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


_RESPECTIVELY = re.compile(r"分别(?:为|是|达到|达|实现|完成)?")
_TOPIC_HEAD = re.compile(r"^(?:从)?([^，,。；;]{2,12}?)(?:方面|来看)$")


def _carried(text: str, c0: int, pos: int) -> str | None:
    """Earlier text of the sentence (since its last ；) whose metric word governs a figure
    that names none in its own clause: the clause says 分别 (签约金额排名前三的是A、B、C，分别为…),
    or the sentence opens on a topic (到位资金方面，A、B分别实现…)."""
    start = max(text.rfind("；", 0, c0), text.rfind(";", 0, c0)) + 1
    head = text[start:c0]
    if not head:
        return None
    first = CLAUSE_SEP.split(head, maxsplit=1)[0]
    topic = _TOPIC_HEAD.match(first)
    if topic:
        return topic.group(1)
    if "分别" in text[c0:pos]:
        return head
    return None


def _carried_money_metric(carried: str) -> str | None:
    """The metric of the last money word in carried text (no gap limit)."""
    best, metric = -1, None
    for m, spec in rules()["metrics"].items():
        if not spec.get("money"):
            continue
        for w in spec["triggers"]:
            k = carried.rfind(w)
            if k >= 0 and (k > best or (k == best and metric == "project_investment")):
                best, metric = k, m
    return "signed_amount" if metric == "project_investment" and _has(carried, rules()["signing_words"]) else metric


def _money_metric(text: str, pos: int, end: int, c0: int, signing_ctx: bool = False) -> str | None:
    r = rules()
    # 实际到位省外资金分别为512.6亿元: 分别… does not count against the trigger gap
    before = _RESPECTIVELY.sub("", text[c0:pos])
    for metric, rx in r["_money_triggers"]:
        if rx.search(before):
            if metric == "project_investment":
                return _total_investment_metric(text, pos, signing_ctx)
            return metric
    # fund: "推出 80 亿元的招商引资专项基金"
    if _FUND_AFTER.match(text[end:]):
        return "fund_size"
    if re.match(r"(?:的项目)?(?:集中)?(?:签约|签下|落户签约)", text[end:]):
        return "signed_amount"  # 逾56亿元签约大庆
    carried = _carried(text, c0, pos)
    return _carried_money_metric(carried) if carried else None


def _total_investment_metric(text: str, pos: int, signing_ctx: bool = False) -> str | None:
    """总投资/总额 after a signing batch is the batch's signed amount; of a batch started (总投资72亿元的
    48个项目集中开工) it is no figure of ours; else one project's size."""
    r = rules()
    signing = _has(text, r["signing_words"]) or signing_ctx
    batch = re.search(r"\d+个(?!月)[^，,。；;]{0,20}项目|项目[^，,。；;]{0,6}\d+(?:个(?!月)|项)|签约活动|集中签约"
                      r"|签(?:约|订|署)[^，,。；;]{0,6}?项目(?:总投资|投资总额)", text)
    if signing and batch:
        return "signed_amount"
    if (batch or "集中开工" in text) and _has(text, r["started_words"]):
        return None  # 重点项目集中开工 投资71.73亿元: a batch started
    return "project_investment"


def _project_count_metric(text: str, pos: int, end: int, c0: int, c1: int) -> str | None:
    r = rules()
    clause = text[c0:c1]
    after = text[end : end + 16]
    before = text[max(c0, pos - 16) : pos]
    # not the noun of another count before it, when words stand between (签约的27个项目来自11个招商专班)
    other = [m for m in re.finditer(r"\d+个[^，,。；;、\d]{0,14}?项目", before) if m.end() < len(before)]
    before = before[other[-1].end():] if other else before
    if re.match(r"^[^，,。；;、项]{0,4}?(?:县|市|区|镇|乡|省|国)(?!级)", after):
        return None  # 65个贫困县引进项目…: a count of places, not of projects
    if re.match(r"^(?:批次|批|次|类|方面|领域|部门|专班|小组|工作组|板块|园区)", after):
        return None  # 分6个批次发布项目700个: batches counted, not projects
    noun_after = re.match(r"^[^，,。；;、]{0,14}?项目", after)
    noun_before = re.search(r"项目[^，,。；;、]{0,6}$", before)
    if not (noun_after or noun_before):
        return None
    if _has(clause, r["project_count_exclude"]):
        return None
    # clause first, then the nearest signing/started word in the sentence; with both in the clause,
    # the one nearest before the count governs it (新签约开工项目285个: started)
    started = _has(clause, r["started_words"])
    if started and not _has(clause, ["签约", "签订"]):
        return "started_projects"
    if started and _has(clause, r["signing_words"]):
        head = text[c0:pos]
        last = lambda ws: max((head.rfind(w) for w in ws), default=-1)  # noqa: E731
        return "started_projects" if last(r["started_words"]) > last(r["signing_words"]) else "signed_projects"
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
        if a != c0 and not re.match(r"^\d+(?:个|家)", text[a:b]) and text[b : b + 1] != "、":
            break  # an earlier item of a list (引进电池、电机、光伏等企业30余家) keeps looking
    return False


def _last_is_target(text: str) -> bool:
    """The last figure of a sentence is a goal (a list of goals may go on after it)."""
    figs = extract_raw(Sentence(0, 0, [], text))
    return bool(figs) and max(figs, key=lambda f: f.pos).is_target


# what a project is expected to produce (预计…年产值, 建成后年产值, 将新增产值)
_EXPECTED_OUTPUT = re.compile(r"(?:预计|预期|建成后|投产后|达产后|改造后|将新增|将实现|可实现)[^，,。；;]{0,12}(?:年产值|产值|销售收入|年销售)")
# a number of places as a clause's subject (八市到资超500亿元; 五个县…): what follows holds for each
_PLACES_COUNTED = re.compile(r"(?:^|[^\d])[一二两三四五六七八九十\d]{1,2}(?:个)?(?:市|县|区|地)(?!级)")
# a clause stating a completion rate against a goal (完成市考核目标45个的88.9%)
_RATE_CLAUSE = re.compile(r"[^，,。；;]*?(?:任务|目标|计划)[^，,。；;]*?的\d+(?:\.\d+)?%")
# the base of a completion rate (目标任务75亿元的115.9%; 占年度任务64亿元的97.8%)
_RATE_BASE = re.compile(r"(?:的)?\d+(?:\.\d+)?%")
_TASK = re.compile(r"任务|目标|计划")
# a list item's label: a place or a short name before its number (霍邱县52个; 其中西陵区3个;
# 新能源及其装备制造(1177.75亿元))
_ITEM_LABEL = re.compile(r"(?:其中|含|包括)?[\u4e00-\u9fffA-Za-z]{2,14}[（(]?")
# between a list's head figure and its first item (…项目344个，分别为：霍邱县52个、…; …27个，其中西陵区3个)
_LIST_OPEN = re.compile(r"[，,]?(?:分别为|分别是|依次为|其中|包括)?[：:，,]?")
_ITEM_WORDS = re.compile(r"签|项目|资金|投资|开工|到位|引进|金额|总额|元|个|家|亩|增长|同比|完成")


def _is_item(text: str, f: RawFigure) -> bool:
    """f is a labeled list item: its clause is a short label and the figure (霍邱县52个)."""
    return bool(_ITEM_LABEL.fullmatch(text[f.clause[0] : f.pos])) and not _ITEM_WORDS.search(text[f.clause[0] : f.pos])


_COLON = re.compile(r"[:：]")


def _list_lead(text: str, start: int, c0: int) -> str | None:
    """The lead of the colon-opened list a labeled item stands in (排名靠前的地州市有：A 927亿元，B…;
    排名前五的产业链为：C(1177亿元)、D(659亿元)), if it is one."""
    label = text[c0:start]
    if not label or not _ITEM_LABEL.fullmatch(label) or _ITEM_WORDS.search(label):
        return None
    k = max((m.start() for m in _COLON.finditer(text, 0, c0)), default=-1)
    if k < 0 or re.search(r"[。；;]", text[k:c0]):
        return None
    return text[:k]


_PREV_COUNT = re.compile(r"(\d+)个[^，,。；;]{0,10}?项目")


def _prev_count_metric(prev: str) -> str | None:
    """The metric of the last project count of the sentence before (its parts follow after 其中)."""
    ms = list(_PREV_COUNT.finditer(prev))
    if not ms:
        return None
    m = ms[-1]
    c0, c1 = clause_bounds(prev, m.start())
    return _project_count_metric(prev, m.start(1), m.end(1) + 1, c0, c1)


def _list_item_of(text: str, out: list[RawFigure], start: int, c0: int, unit: str) -> RawFigure | None:
    """The figure this number continues when it stands after 、 right behind a figure of the same
    kind (612.3亿元、538.9亿元; 97个、89个), alone or after a short label naming the item
    (…项目344个，分别为：霍邱县52个、舒城县47个; …27个，其中西陵区3个、点军区2个)."""
    if c0 == 0:
        return None
    label = text[c0:start]
    if label and (not _ITEM_LABEL.fullmatch(label) or _ITEM_WORDS.search(label)):
        return None

    def same(f: RawFigure) -> bool:
        return (f.currency is not None) if unit == "money" else f.unit == unit

    for f in reversed(out):
        if f.end > c0:
            continue
        # the item before ends right there, or with its counted noun (大物流专班1个项目，康养专班2个项目)
        closed = bool(re.fullmatch(r"[)）]?|(?:个)?项目", text[f.end : c0 - 1]))
        if text[c0 - 1] == "、" and f.clause[1] == c0 - 1 and closed:
            return f if same(f) else None
        if text[c0 - 1] in "，," and label and closed and _is_item(text, f):
            return f if same(f) else None  # 乌鲁木齐市927亿元，伊犁州785亿元
        opened = text[f.end : c0].strip("，,") or label.startswith(("其中", "含", "包括"))
        if label and _LIST_OPEN.fullmatch(text[f.end : c0]) and opened:
            return f if same(f) else None
        return None
    return None


# a line "指标：数值" (▲签约项目：62个; 签约金额：486.3亿元): the label names the figure after the colon
_LABEL_COLON = re.compile(r"^([^\w]*[\u4e00-\u9fffA-Za-z（）()]{2,14})[:：](?=[约近超逾达共]?\d)")


def label_end(text: str) -> int | None:
    """End of a line's "指标：" label (after the colon), if the line has one."""
    m = _LABEL_COLON.match(text)
    return m.end() if m else None


def _label_colon(text: str) -> str:
    """The colon after a line's label read as 为 (same length, so positions hold)."""
    m = _LABEL_COLON.match(text)
    return text[: m.end(1)] + "为" + text[m.end(1) + 1 :] if m else text


_MONEY, _COUNT = Gated(money_regex()), Gated(count_regex())  # most sentences hold no 亿/万 or 个/家/亩/项


def extract_raw(s: Sentence, prev_text: str = "", par_before: str = "", next_text: str = "") -> list[RawFigure]:
    """Figures of one sentence before region and period are attached. prev_text: the
    sentence before, for 其中… sentences that continue it; par_before: the paragraph's text
    before the sentence (从产业类别看，签约项目主要集中在…。电子信息产业项目16个，总投资189.6亿元);
    next_text: the sentence after when this one ends in ； (营业收入…；净利润…)."""
    text = _label_colon(s.text)
    money, counts = list(_MONEY.finditer(text)), list(_COUNT.finditer(text))
    if not money and not counts:
        return []
    r = rules()
    # the paragraph has just been talking about signed projects
    signing_ctx = bool(re.search(r["signing_context"], par_before[-SIGNING_CONTEXT_CHARS:]))
    out: list[RawFigure] = []
    # a superseded plan (原本计划要拿的地块大约100亩) is dropped with its clause
    superseded = [clause_bounds(text, text.find(w)) for w in r["superseded_words"] if w in text]
    for m in money:
        pos, end = m.start("num"), m.end()
        c0, c1 = clause_bounds(text, pos)
        if r["_threshold"].match(text, m.end("cur") if m.group("cur") else m.end("scale")) and m.group("above"):
            continue
        if r["_threshold"].match(text[m.end():]) or (m.group("above") and re.match(r"(?:的)?(?:产业|工业|制造业|重大|重点)?项目", text[end:])):
            continue
        if m.group("approx") in r["threshold_bound_before"] and re.match(r["threshold_count"], text[end:]):
            continue  # 投资超10亿元项目5个: the class of the projects counted
        if _has(text[c0:c1], r["reward_words"]) and re.search(r"对(?:于)?", text[c0:pos]):
            continue
        if any(a <= pos < b for a, b in superseded):
            continue
        if re.search(r["shared_bound_before"], text[c0 : m.start()]) or (
                m.group("approx") and _PLACES_COUNTED.search(text[c0 : m.start()])):
            continue  # 八市到位资金均超过500亿元; 八市到资超500亿元: a bound shared by the places, not a figure of one
        if _has(text[c0:pos], r["money_exclude"]):
            continue  # 意向投资额: money not (yet) agreed
        metric = _money_metric(text, pos, end, c0, signing_ctx)
        listed = _list_item_of(text, out, m.start(), c0, "money")
        if not metric and listed:  # 612.3亿元、538.9亿元: the next item of a list
            metric = listed.metric
        if not metric and (lead := _list_lead(text, m.start(), c0)) is not None:
            # 排名前五的产业链为：新能源(1177.75亿元)、…: the lead names the metric, or the sentence before
            metric = _carried_money_metric(lead) or _carried_money_metric(prev_text)
        if not metric and out and re.match(r["same_period_last_year"] + r"(?:为|是|达)?$", text[c0:pos]):
            metric = out[-1].metric  # 实际到位资金326.5亿元，去年同期为279.8亿元
        if not metric and c0 > 0:
            # 到位资金增长15%以上，力争突破440亿元: the clause before names the metric with a rate only
            pc0, _ = clause_bounds(text, c0 - 1)
            prev_clause = text[pc0:c0]
            if r["_growth"].search(prev_clause) and not money_regex().search(prev_clause):
                metric = _carried_money_metric(prev_clause)
        if not metric and "分别" in text[c0:pos] and prev_text.rstrip().endswith(("；", ";")):
            metric = _carried_money_metric(prev_text)  # A实际到位资金96.3亿元；B、C分别为88.1亿元、75.6亿元
        rate_base = bool(_RATE_BASE.match(text, end) and _TASK.search(text[c0:pos]))
        if not metric and rate_base:
            # 到位资金86.9亿元，完成年度目标任务75亿元的115.9%: the base of a completion rate is the
            # goal of the figure before it
            money_before = [f for f in out if f.currency is not None]
            metric = money_before[-1].metric if money_before else _carried_money_metric(prev_text + text[:c0])
        if metric == "industry_output" and _EXPECTED_OUTPUT.search(text[c0:pos]):
            continue  # 预计改造后实现年产值3.8亿元; 将新增产值20亿元: a project's expected output, no figure of ours
        if not metric or (metric == "industry_output" and _has(text + next_text, r["firm_accounts_words"])):
            continue
        value, cur = money_value(m.group("num"), m.group("scale0") or m.group("scale"), m.group("cur"))
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
        out.append(RawFigure(metric, value, unit, cur, pos, end, (c0, c1),
                             rate_base or _size_is_target(text, pos, c0, metric, superseded),
                             _qualifier(text, c0, pos, end), subject))
    for m in counts:
        pos, end = m.start("num"), m.end()
        if any(f.pos <= pos < f.end for f in out):
            continue
        value = count_value(m.group("num"), m.group("wan"))
        if value is None or value <= 0:
            continue
        c0, c1 = clause_bounds(text, pos)
        if any(a <= pos < b for a, b in superseded):
            continue
        if re.search(r["shared_bound_before"], text[c0 : m.start()]):
            continue  # 均超过60个: a bound shared by the places listed, not a figure of one
        if not m.group("num")[0].isdigit() and value < 10 and not re.search(r"项目$", text[c0:pos]):
            continue  # 一家企业, 两家公司, 四个十强榜: a reference, not a count (but 项目五个 is one)
        unit = "个" if m.group("unit") == "项" else m.group("unit")  # 签订项目1118项
        listed = _list_item_of(text, out, m.start(), c0, unit)
        if unit == "个" and m.group("unit") == "个" and re.search(r"(?:新批|新设立|新设)[^，,。；;]{0,8}企业$", text[c0:pos]):
            metric, unit = "enterprise_count", "家"  # 全省新批外商投资企业109个: firms, counted in 家
        elif unit == "个":
            metric = _project_count_metric(text, pos, end, c0, c1)
            if metric is None and listed:  # 分别新签约项目97个、89个
                metric = listed.metric
            if metric is None and (lead := _list_lead(text, m.start(), c0)) is not None and "项目" in lead:
                started, signing = (max((lead.rfind(w) for w in r[k]), default=-1) for k in ("started_words", "signing_words"))
                metric = "started_projects" if started > signing else "signed_projects" if signing >= 0 else None
            if metric is None and prev_text and re.match(r"^(?:其中|包括)", text):
                joined = prev_text + text
                k = len(prev_text)
                metric = _project_count_metric(joined, k + pos, k + end, k + c0, k + c1)
                if metric is None and _list_lead(text, m.start(), c0) is None and _ITEM_LABEL.fullmatch(text[c0 : m.start()]):
                    metric = _prev_count_metric(prev_text)  # …27个项目…。其中，宜昌高新区10个，宜都市3个
            if metric is None and signing_ctx and (re.search(r"项目$", text[c0:pos])
                                                   or re.match(r"(?:个|项)?项目", text[end - 1 : end + 3])):
                # in a paragraph about signings, a project count with no verb of its own is signed
                # (…签约项目主要集中在…。电子信息产业项目16个; 26个项目投资额均超过5000万元)
                metric = "signed_projects"
            carried = _carried(text, c0, pos) if metric is None else None
            if carried and "项目" in carried and not _has(carried, r["project_count_exclude"]):
                # 签约项目数排名前三的是A、B、C，分别为286个…
                if _has(carried, r["started_words"]) and not _has(carried, ["签约", "签订"]):
                    metric = "started_projects"
                elif _has(carried, r["signing_words"]):
                    metric = "signed_projects"
        elif unit == "家":
            metric = "enterprise_count" if _firm_count(text, pos, end, c0, c1) else None
        else:
            # 亩均/亩产 are per-mu yields; 647亩产业用地 is land
            metric = None if re.match(r"均|产(?!业)", text[end : end + 2]) else "land_area"
        rate_base = bool(_RATE_BASE.match(text, end) and _TASK.search(text[c0:pos]))
        if rate_base and metric is None:
            # 新引进项目40个，完成市考核目标45个的88.9%: the base of a completion rate is the goal of
            # the count before it
            same = [f for f in out if f.unit == unit and f.currency is None]
            metric = same[-1].metric if same else None
        if not metric or (metric in ("signed_projects", "started_projects") and _has(text[c0:c1], r["project_count_exclude"])):
            continue  # 分别上榜2个项目; 续建和新签项目179个: not counted, whatever names the metric
        out.append(RawFigure(metric, value, unit, None, pos, end, (c0, c1),
                             rate_base or _size_is_target(text, pos, c0, metric, superseded),
                             _qualifier(text, c0, pos, end), None))
    # a list of goals goes on after ；(力争…90个以上，其中…10个；实际到位资金230亿元): figures of a
    # sentence continuing a goal sentence are goals unless an achieved word comes first
    if prev_text.rstrip().endswith(("；", ";")) and _has(prev_text, r["goal_list_words"]) and _last_is_target(prev_text):
        for f in out:
            if not f.is_target and not _has(text[: f.pos], r["achieved_words"]):
                f.is_target = True
    _attach_growth(text, out)
    return out


@functools.lru_cache(maxsize=1)
def _any_trigger() -> list[tuple[str, re.Pattern]]:
    alt = lambda ws: "|".join(sorted(ws, key=len, reverse=True))  # noqa: E731
    return [(m, re.compile(alt(spec["triggers"]))) for m, spec in rules()["metrics"].items() if spec.get("triggers")]


def _attach_growth(text: str, figs: list[RawFigure]) -> None:
    """增长 9.4% after a figure is its yoy; 分别增长a%、b% pairs with the figures before it."""
    if not figs:
        return
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
            # a metric word after a clause break names another subject (…1500亿元，战略性新兴产业协议固投增长10%)
            tail = CLAUSE_SEP.split(between)[-1] if CLAUSE_SEP.search(between) else ""
            other = any(rx.search(between + "\n") and (m != f.metric or rx.search(tail)) for m, rx in _any_trigger())
            if not other and len(CLAUSE_SEP.findall(between)) <= 1 and not re.search(r"[。；;]", between):
                f.yoy_pct = pcts[0]
                base = g.group("base")
                if base and base.startswith("较") and "季度" in base:
                    f.qualifier = "；".join(x for x in (f.qualifier, f"增幅为{base}") if x)


def respective_regions(text: str, mentions: list[tuple[int, int]], figs: list[RawFigure]) -> dict[int, int]:
    """许昌市、新乡市分别新签约项目97个、89个，协议总投资分别为612.3亿元、538.9亿元: the k-th
    figure of each metric after a list of places followed by 分别 belongs to the k-th place.
    mentions: (start, end) of the sentence's places in order. Returns figure index -> mention index."""
    out: dict[int, int] = {}
    i = 0
    while i < len(mentions):
        j = i
        while j + 1 < len(mentions) and text[mentions[j][1] : mentions[j + 1][0]] in ("、", "和", "与", "及", ","):
            j += 1
        n = j - i + 1
        if n >= 2:
            tail = text[mentions[j][1] :]
            stop = min([len(tail)] + [tail.find(w) for w in ("。", "；", ";") if w in tail])
            nxt = mentions[j + 1][0] - mentions[j][1] if j + 1 < len(mentions) else len(tail)
            k = tail.find("分别")
            if 0 <= k < min(stop, nxt) and not tail.startswith(("等", "两地", "三地")):
                lo, hi = mentions[j][1], mentions[j][1] + min(stop, nxt)
                groups: dict[str, list[int]] = {}
                for fi, f in enumerate(figs):
                    if lo <= f.pos < hi:
                        groups.setdefault(f.metric, []).append(fi)
                for idxs in groups.values():
                    if len(idxs) == n:
                        for r, fi in enumerate(sorted(idxs, key=lambda x: figs[x].pos)):
                            out[fi] = i + r
        i = j + 1
    return out


# ---- tables: a .docx table reaches the text as one tab-separated line per row ---------------
_CELL_NUM = re.compile(r"^[+\-−]?\d+(?:\.\d+)?%?$")
_CELL_UNIT = re.compile(r"^(?P<name>[^()（）]*?)\s*[(（](?P<unit>[^()（）]{1,6})[)）]$")
_YOY_HEAD = re.compile(r"同比|增减|增幅|增速|增长")


SERIAL_HEAD = ("序号", "编号", "序", "排名", "排序")
_TOTAL_LABEL = ("合计", "总计", "小计", "全市", "全省", "全县", "全区")


def table_cells(line: str, header: list[str] | None = None) -> list[str]:
    """Cells of a row, less a serial-number column (序号 1, 2, 3…) that numbers the rows."""
    cells = [c.strip() for c in line.strip(" \r\n\u3000").split("\t")]
    if header and header[0] in SERIAL_HEAD and len(cells) == len(header) and re.fullmatch(r"\d{0,3}", cells[0]):
        return cells[1:]
    return cells


def is_value_row(cells: list[str]) -> bool:
    """A row of figures: a label, then at least one bare number (the header names the columns)."""
    return len(cells) >= 2 and not _CELL_NUM.match(cells[0]) and any(_CELL_NUM.match(c) for c in cells[1:])


def is_total_row(cells: list[str]) -> bool:
    return cells[0].replace(" ", "") in _TOTAL_LABEL


def _num(cell: str) -> float:
    return float(cell.rstrip("%").replace("−", "-"))


def table_phrases(header: list[str] | None, row: list[str]) -> list[tuple[str, float | None]]:
    """(phrase, yoy) per value cell of a row, the cell written out as words from its row label
    and column head so that the sentence rules read it: 签约项目（个）|58 under 1—10月累计 ->
    "1—10月累计，签约项目58个"; 太原市|812.6 under 签约金额（亿元） -> "太原市签约金额812.6亿元".
    yoy: the next column's value when that column is a change (同比增减 16.0%)."""
    header = header or []
    if header and header[0] in SERIAL_HEAD and len(header) == len(row) + 1:
        header = header[1:]
    lm = _CELL_UNIT.match(row[0])
    name, unit = (lm.group("name"), lm.group("unit")) if lm else (row[0], "")
    out = []
    for j in range(1, len(row)):
        cell, head = row[j], (header[j] if j < len(header) else "")
        if not _CELL_NUM.match(cell) or cell.endswith("%") or _YOY_HEAD.search(head) or "%" in unit:
            continue
        yoy = None
        if j + 1 < len(row) and j + 1 < len(header) and _YOY_HEAD.search(header[j + 1]) and _CELL_NUM.match(row[j + 1]):
            yoy = _num(row[j + 1])
        hm = _CELL_UNIT.match(head)
        if hm and not unit:  # the column is a metric (签约金额（亿元）), the row its subject
            phrase = f"{name}{hm.group('name')}{cell}{hm.group('unit')}"
        else:  # the column is a period (1—10月累计), the row a metric
            phrase = f"{head}，{name}{cell}{unit}" if head else f"{name}{cell}{unit}"
        out.append((phrase, yoy))
    return out
