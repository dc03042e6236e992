"""kind="duration": how long a step took and the comparison (facts.md §2).

Only structured statements count (从A到B…用时D, D内完成V, 由D1压缩至D2, 一般情况下…需D,
不到D就V, N天办成); bare spans (5年前, 24小时在岗, 出让期限30—50年) are not durations.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.numbers import DUR_UNIT, NUM, RANGE_SEP, duration_days
from etl.regex_needs import Gated
from etl.rules import load_yaml
from etl.segment import Sentence, clause_bounds, clauses

kind = "duration"

# a year (2022年) is a date, never a span
# nor is a day of a month (12月20日), a number's tail, or a half of the year (上半年)
D = rf"(?!(?:19|20)\d\d年)(?<![\d.月])(?P<num>{NUM}|(?<![上下前后])半)(?:(?P<sep>{RANGE_SEP})(?P<num2>{NUM}))?(?P<unit>{DUR_UNIT})(?P<more>多)?"


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    r = load_yaml("durations.yml")
    alt = lambda ws: "|".join(sorted(ws, key=len, reverse=True))  # noqa: E731
    took = alt(r["took_words"])
    done = alt(r["done_words"])
    cut = alt(r["cut_words"])
    approx = alt(r["approx_words"])
    then = alt(r["then_words"])
    now = alt(r["now_words"])
    out = {
        **r,
        "from_to": re.compile(rf"从(?P<a>[^，,。；;]{{1,20}}?)(?:到|至)(?P<b>[^，,。；;]{{1,20}}?(?:[，,][^，,。；;]{{1,16}}?)??)[，,]?(?:项目|企业)?(?:{took})[^，,。；;\d]{{0,4}}?{D}"),
        # 从A到B before a cut in the same clause (从签约到开工平均用时已由2022年的5个多月缩短至…)
        "stages_before": re.compile(rf"从(?P<a>[^，,。；;]{{1,20}}?)(?:到|至)(?P<b>[^，,。；;]{{1,20}}?)(?:平均)?(?:{took})"),
        "within": re.compile(rf"(?<![每近])(?:最快|仅|只)?{D}内[，,]?(?:就|即|便)?(?:可)?(?:完成)?(?P<v>[^，,。；;”、]{{0,12}})"),
        "done_in": re.compile(rf"(?P<a>[\u4e00-\u9fff]{{2,10}}?)(?:仅需|只需|仅用|仅)?{D}(?P<v>{done})"),
        "less_than": re.compile(rf"(?:不到|不足|仅用|未满){D}(?:就|即|便)(?P<v>[\u4e00-\u9fff]{{1,6}})"),
        "after": re.compile(rf"{D}后(?:是|即|就是|召开|举行|进行)(?P<v>[^，,。；;]{{2,12}})"),
        # 由2022年的96天缩短至2023年的42天: years on either side are dates
        # 由去年的3个月缩短到目前的45天 / 由过去的45天压缩到现在的12天: when each side stood
        "compress": re.compile(rf"(?:由|从)(?:(?:(?:19|20)\d\d年|{then})(?:的)?)?(?:原)?{D.replace('(?P<', '(?P<b_')}(?:{cut}|提速)(?:至|到|为)(?:了)?(?:(?:(?:19|20)\d\d年|{now})(?:的)?)?(?:{approx})?{D}"),
        "now": re.compile(rf"(?:如今|现在|目前|现)?(?:最快|最短|仅需|只需|仅用)(?:只需|仅需|仅用)?{D}"),
        "same_year": re.compile(r"当(?P<u>[年月])(?P<a>签约|开工|落地|引进|拿地)[、，,]?(?:当(?P=u)[\u4e00-\u9fff]{2,4}[、，,]?)*当(?P=u)(?P<b>投产|达产|建成|竣工|开业|开工)"),
        # 项目拿地后最快3天即可开工: the step before 后 to the verb after the span
        "after_then": re.compile(rf"(?P<a>[\u4e00-\u9fff]{{1,4}})后(?:最快|仅需|只需|仅用|只用)?{D}(?:即可|就能|就可|即|就|便|可)(?P<v>{alt(r['after_then_verbs'])})"),
        "day_gate": re.compile(alt([*r["ordinal_days"], *r["same_day_words"], *r["at_once_words"], "即办"])),
        "after_day": re.compile(rf"(?P<a>[\u4e00-\u9fff]{{1,4}}?)(?:后)?(?:的)?(?:最快)?(?P<ord>{alt(r['ordinal_days'])})(?:就|即|便)?(?:能|可|可以)?(?:开始)?(?P<v>{alt(r['after_then_verbs'])})"),
        "same_day": re.compile(rf"(?P<a>[\u4e00-\u9fff]{{2,8}}?)(?:是)?(?:和|与|跟)(?P<b>[\u4e00-\u9fff]{{2,6}}?)(?:在)?(?:{alt(r['same_day_words'])})(?:{alt(r['same_day_verbs'])})"),
        # 仍需1个月左右 / 还需3个月以上 / 还需3个月才能正式投产: the time still to go
        "remaining": re.compile(rf"(?:{alt(r['remaining_words'])})(?:{approx})?{D}(?:左右|以上)?(?:才能|才可|方能|才会)?(?P<v>[\u4e00-\u9fff]{{0,6}})"),
        "took_then": re.compile(rf"(?:仅用时|仅用了|仅用|用时|历时|只用了|只用)(?:不到)?{D}(?:即|就|便)?(?P<v>开工|投产|落地|开业|竣工|投运|建成|拿证|签约|开工建设)"),
        "baseline_words": r["baseline_words"],
        "less_than_other": re.compile(rf"(?:比|较)(?P<who>[^，,。；;]{{1,10}}?)(?:用时)?(?:还)?(?:{cut}|少|快|提前)(?:了)?(?:{approx})?{D}"),
        # 审批时限压缩至15个工作日以内: the achieved time with no stated baseline
        "cut_to": re.compile(rf"(?:{cut})(?:至|到|为)(?:了)?(?:{approx})?{D}(?:以内|之内|内)?"),
        # the next span of a 分别 list: …压缩至5个工作日、15个工作日、8个工作日以内
        "list_next": re.compile(rf"(?:以内|之内|内)?(?:、|和|及){D}(?:以内|之内|内)?"),
        "pct_cut": re.compile(r"(?:压缩|缩短|减少)(?:了)?(?P<pct>\d+(?:\.\d+)?)%"),
        # a span then a stage reached: 20个工作日取得施工许可, 签约后仅用2天完成公司注册, 5个月内拿地开工
        "reach": re.compile(rf"(?<![\d.])(?:(?P<a>[\u4e00-\u9fff]{{1,6}}?)后)?(?:仅用了|只用了|仅用|只用|仅需|只需|用了|最快|仅|只)?{D}"
                            rf"(?:之内|以内|内)?(?:时间)?(?P<v>[\u4e00-\u9fff]{{1,16}})"),
        "reach_lead": re.compile(rf"^(?:{alt(r['reach_words'])})+"),
        # A到B仅用N天 without 从, both ends named stages: 首次对接洽谈到正式签约仅用9天
        "no_from": re.compile(rf"(?P<a>[\u4e00-\u9fff]{{2,12}})(?:到|至)(?P<b>[\u4e00-\u9fff]{{1,12}}?)(?:{took})[^，,。；;\d]{{0,4}}?{D}"),
        # 全过程仅用时3分钟12秒
        "whole": re.compile(rf"(?:{alt(r['whole_words'])})(?:仅|只)?(?:用时|耗时|历时|用了|仅需|只需|需要|需)(?:仅|只)?{D}(?:(?P<sec>\d+)秒)?"),
        # 当场办结, 当天拿证, 实行即办: no time at all
        "at_once": re.compile(rf"(?:(?:{alt(r['at_once_words'])})(?:即可|就能|就可|即|就|可以|可)?(?P<v>{alt(r['at_once_verbs'])})"
                              rf"|(?:实行|实现|做到|推行|全部|均可)(?P<v2>即办)(?!件))"),
        "commitment": re.compile(alt(r["commitment_words"])),
        # N days of effort that ended in a named stage: 连续奔波12天，终于拿到全部审批手续
        "finally": re.compile(rf"(?:{alt(r['effort_words'])})[^，,。；;\d]{{0,4}}?{D}[，,]?(?:终于|最终|才)(?P<v>[^，,。；;]{{1,24}})"),
        # a stated time limit: 答复时限为2个工作日, 审批周期控制在10天以内
        "limit": re.compile(rf"(?:{alt(r['limit_words'])})(?:为|是|不超过|控制在|严控在|缩短为)(?:{approx})?{D}(?:以内|之内|内)?"),
        "exclude_after": re.compile(rf"^(?:{alt(r['exclude_after'])})"),
        "exclude_before": tuple(r["exclude_before"]),
    }
    # a cheap test every match of these rules also passes, tried before the rule itself (they open
    # on a run of Chinese characters and would try every position of the sentence)
    gates = {
        "within": rf"{DUR_UNIT}多?内",
        "done_in": rf"{DUR_UNIT}多?(?:{done})",
        "after_day": rf"(?:{alt(r['ordinal_days'])})(?:就|即|便)?(?:能|可|可以)?(?:开始)?(?:{alt(r['after_then_verbs'])})",
        "same_day": rf"(?:{alt(r['same_day_words'])})(?:{alt(r['same_day_verbs'])})",
        "no_from": rf"(?:到|至)[\u4e00-\u9fff]{{1,12}}?(?:{took})",
    }
    for name, gate in gates.items():
        out[name] = Gated(out[name], gate=re.compile(gate))
    return out


@functools.lru_cache(maxsize=1)
def _stage_words() -> tuple[list[tuple[str, str]], frozenset[str]]:
    r = load_yaml("stages.yml")
    return [(str(w), st) for st, ws in r["stages"].items() for w in ws], frozenset(r["generic"])


def stage_hits(text: str | None) -> list[tuple[int, int, str]]:
    """(start, end, stage) of every stage word in text (stages.yml), longest first at a place."""
    words, _ = _stage_words()
    out = []
    for w, st in words:
        if w.startswith("="):  # the whole stage as written (=土地: 取得土地, not 土地征收补偿)
            if text == w[1:]:
                out.append((0, len(text), st))
            continue
        i = (text or "").find(w)
        while i >= 0:
            out.append((i, i + len(w), st))
            i = text.find(w, i + 1)
    return sorted(out, key=lambda h: (h[0], -h[1]))


def stage_key(text: str | None) -> str | None:
    """The stage a from_stage/to_stage as written names (签订正式投资协议 -> 签约; 拿地开工 -> 开工),
    None when it names none of stages.yml (kept as written, marked unmapped)."""
    _, generic = _stage_words()
    hits = stage_hits(text)
    best = [h for h in hits if h[2] not in generic] or hits
    if not best:
        return None
    return max(best, key=lambda h: (h[1], h[1] - h[0]))[2]


def stage_group(from_stage: str | None, to_stage: str | None) -> str | None:
    """The stage a duration is compared on: 签约→开工 when both ends map; the procedure when one
    end is absent or generic (企业开办→办成 -> 企业开办); None when an end as written maps to no stage."""
    _, generic = _stage_words()
    fk, tk = stage_key(from_stage), stage_key(to_stage)
    if (from_stage and fk is None) or (to_stage and tk is None) or not (fk or tk):
        return None
    if fk and tk and tk != fk and tk not in generic:
        return f"{fk}→{tk}"
    return fk or tk


@dataclass
class RawDuration:
    pos: int
    end: int
    days: float | None
    baseline_days: float | None
    from_stage: str | None
    to_stage: str | None
    baseline_kind: str | None = None  # own (改革前) | norm (一般) | other (对比：baseline_ref)
    baseline_ref: str | None = None
    is_commitment: bool = False  # a time promised (力争…2个月内签约), not achieved

    @property
    def from_key(self) -> str | None:
        return stage_key(self.from_stage)

    @property
    def to_key(self) -> str | None:
        return stage_key(self.to_stage)

    @property
    def group(self) -> str | None:
        return stage_group(self.from_stage, self.to_stage)


def _days(m: re.Match, prefix: str = "") -> tuple[float | None, float | None, bool]:
    g = lambda k: m.group(prefix + k)  # noqa: E731
    sp = duration_days(g("num"), g("unit"), g("num2"), bool(g("more")))
    if sp is None:
        return None, None, False
    return sp.days, sp.months, sp.more


def _excluded(text: str, m: re.Match) -> bool:
    return _excluded_at(text, m.start(), m.end())


def _excluded_at(text: str, start: int, end: int) -> bool:
    r = rules()
    if r["exclude_after"].match(text[end:]):
        return True
    before = text[max(0, start - 2) : start]
    return any(before.endswith(w) for w in r["exclude_before"])


def _baseline_of(who: str) -> tuple[str, str | None]:
    """The kind of a comparison named after 比/较: the region's own earlier time, a general norm,
    or another project or place (比某某项目 -> other, 某某项目)."""
    r = rules()
    who = re.sub(r"(?:的)?(?:用时|时间|速度)?(?:还|也)?$", "", who.strip("“”\" "))
    if any(w in who for w in r["own_words"]):
        return "own", None
    if any(w in who for w in r["norm_words"]):
        return "norm", None
    return "other", who or None


def _stage_before(text: str, pos: int) -> str | None:
    """The stage word ending right at pos (项目洽谈|2个月内签约 -> 洽谈), if any."""
    hb = stage_hits(text[max(0, pos - 4) : pos])
    return hb[-1][2] if hb and hb[-1][1] == min(4, pos) else None


def _reached(v: str) -> str | None:
    """The stage a span leads to, as written (取得施工许可、… -> 取得施工许可), when v names one
    right after the span (after a verb such as 取得/发放/完成); else None."""
    r = rules()
    lead = r["reach_lead"].match(v)
    k = lead.end() if lead else 0
    hits = [h for h in stage_hits(v[:k + 14]) if h[0] >= k]
    if not hits or hits[0][0] - k > 5:
        return None
    end = max(h[1] for h in hits)
    if v[end : end + 1] == "证":
        end += 1
    return v[:end]


def _stage(s: str | None) -> str | None:
    if not s:
        return None
    s = re.sub(r"^(?:取得|获得|拿到|领到|完成|实现|办理|进行|就|即|可|已)了?", "", s.strip("“”\" "))
    # 从签约到开工平均用时…, 到开工最快仅需1天, 到完成施工许可证办理的用时, 到拿到厂房还需
    s = re.sub(r"(?:平均|总共|全程|全流程|最快|最短|仅需|只需|还|也|才|就|的)+$", "", s)
    s = re.sub(r"(?<=.)(?:办理|的办理)$", "", s)
    s = re.sub(r"(?:环节|手续|阶段|证)$", "", s)
    s = re.sub(r"许可证$", "许可", s)
    return s or None


def _subject_clause(text: str, pos: int) -> str | None:
    """The head noun of the sentence's first clause: 对项目方提出的需求 -> 需求."""
    cl = clauses(text)
    for a, b in cl:
        if a >= pos:
            break
        seg = text[a:b].strip("“”\" ")
        if re.search(r"\d", seg) or not seg:
            continue
        seg = re.sub(r"^(?:对于|对|针对|关于)", "", seg)
        if "的" in seg:
            seg = seg.rsplit("的", 1)[1]
        return seg[:12] or None
    return None


_TIME_NOUN = re.compile(
    r"(?:的)?(?:全流程|全程|整体)?(?:办理|审批|办结)?(?:时限|时间|用时|时长|周期|耗时|环节)?"
    r"(?:由|从)?(?:原来的|原先的|以往的|过去的|原)?$"
)


def _procedure(text: str, pos: int) -> str | None:
    """The procedure named in the clause before a cut: 工业项目施工许可办理时限由… -> 工业项目施工许可."""
    c0, _ = clause_bounds(text, pos)
    head = re.sub(r"^.*?(?:将|把)", "", text[c0:pos].strip("“”\" "))  # 经开区将…时限由… -> …
    head = re.sub(r"^(?:对|推动|实现|推进|全面|明确|规定|要求)+", "", head)
    head = _TIME_NOUN.sub("", head)
    if len(head) < 2 or re.search(r"\d", head):
        return _subject_clause(text, pos)
    return head[-16:]


def _list_items(proc: str | None, n: int) -> list[str | None]:
    """供水、供电、供气报装接入 with three spans -> 供水报装接入, 供电报装接入, 供气报装接入: the
    middle items give the items' length, the first item's head and the last item's tail are shared."""
    parts = proc.split("、") if proc else []
    if n == 1 or len(parts) != n:
        return [proc] * n
    size = len(parts[1]) if n > 2 else min(len(parts[0]), len(parts[-1]), 2)
    head, tail = parts[0][:-size], parts[-1][size:]
    items = [parts[0][-size:]] + parts[1:-1] + [parts[-1][:size]]
    return [head + it + tail for it in items]


_GATE = re.compile(rf"(?:\d|[一二两三四五六七八九十百半])多?{DUR_UNIT}|当年|当月")


_ACTOR = re.compile(r"^(?:项目|企业)")  # 项目拿地后… : the step is 拿地, not 项目拿地


def extract_raw(s: Sentence) -> list[RawDuration]:
    text = s.text
    r = rules()
    if not _GATE.search(text) and not r["day_gate"].search(text):
        return []
    out: list[RawDuration] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, days, base, a, b, end: int | None = None, kind: str | None = None,
            ref: str | None = None) -> None:
        end = m.end() if end is None else end
        c0, _ = clause_bounds(text, m.start())
        if any(w in text[c0 : m.start()] for w in r["record_words"]):
            return  # 曾创下当年开工、当年投产的“特斯拉速度”: a benchmark recalled, not this step
        if any(x < end and m.start() < y for x, y in taken):
            return
        taken.append((m.start(), end))
        # a promise (力争…2个月内签约、…4个月投产) holds for its whole list, up to the sentence's ；
        seg = max(text.rfind(c, 0, m.start()) for c in "；;。") + 1
        promised = bool(r["commitment"].search(text, seg, m.start()))
        kind = kind if base is not None else None
        out.append(RawDuration(m.start(), end, days, base, _stage(a), _stage(b), kind, ref if kind == "other" else None,
                               promised))

    baseline_ctx = any(w in text for w in r["baseline_words"])
    ctx_kind = "norm" if any(w in text for w in r["norm_words"]) else "own"
    compressions = list(r["compress"].finditer(text))
    for m in r["from_to"].finditer(text):
        if _excluded(text, m):
            continue
        b_to = m.group("b")
        if re.search(r"[，,]", b_to):  # 从洽谈到考察选址，签订协议只用了20天: the stage reached is the last
            b_to = re.split(r"[，,]", b_to)[-1]
            if stage_key(b_to) is None:
                continue
        # 从签约到开工平均用时由原来的6个月压缩至3个月: the stages of 从A到B, the times of 由…至…
        c = next((c for c in compressions if m.start() < c.start() < m.end()), None)
        if c is not None:
            before, _, _ = _days(c, "b_")
            days, _, _ = _days(c)
            add(m, days, before, m.group("a"), b_to, end=c.end(), kind="own")
            continue
        days, months, more = _days(m)
        if days is None:
            continue
        base, kind, ref = None, None, None
        lo = r["less_than_other"].search(text, m.end())
        if lo:
            kind, ref = _baseline_of(lo.group("who"))
            d2, m2, _ = _days(lo)
            if months is not None and m2 is not None:
                base = (months + m2) * 30 + (10 if more else 0)
            elif d2 is not None:
                base = days + d2
        if baseline_ctx and not re.search(r"仅|只|最快|压缩|缩短", text[m.start() : m.end()]):
            now = r["now"].search(text, m.end())
            if now and not _excluded(text, now):
                d_now, _, _ = _days(now)
                taken.append((now.start(), now.end()))
                add(m, d_now, days, m.group("a"), b_to, kind=ctx_kind)
            else:
                add(m, None, days, m.group("a"), b_to, kind=ctx_kind)
        else:
            add(m, days, base, m.group("a"), b_to, kind=kind, ref=ref)
    for m in compressions:
        before, _, _ = _days(m, "b_")
        days, _, _ = _days(m)
        c0, _ = clause_bounds(text, m.start())
        st = None
        for st in r["stages_before"].finditer(text, c0, m.start()):
            pass
        if st is not None:
            add(m, days, before, st.group("a"), st.group("b"), kind="own")
        else:
            add(m, days, before, _procedure(text, m.start()), None, kind="own")
    for m in r["cut_to"].finditer(text):
        if _excluded(text, m) or m.group("unit") == "年":
            continue
        days, _, _ = _days(m)
        proc = _procedure(text, m.start())
        # 供水、供电、供气报装接入时间分别压缩至5个工作日、15个工作日、8个工作日以内: one per item
        more = [m]
        if text[max(0, m.start() - 2) : m.start()].endswith("分别"):
            k = m.end()
            while (n := r["list_next"].match(text, k)) is not None:
                more.append(n)
                k = n.end()
        if len(more) > 1:  # the list of procedures spans 、, which ends _procedure's clause
            head = re.split(r"[，,。；;：:]", text[: m.start() - 2])[-1]
            proc = _TIME_NOUN.sub("", head) or proc
        procs = _list_items(proc, len(more))
        for x, px in zip(more, procs):
            dx, _, _ = _days(x)
            add(x, dx, None, px, None)
    for m in r["within"].finditer(text):
        if _excluded(text, m) or m.group("unit") in ("年",):
            continue
        days, _, _ = _days(m)
        v = m.group("v").strip("，, ")
        if not v:  # "3个工作日内，就收到了…": the verb is in the next clause
            c0, c1 = clause_bounds(text, m.end() + 1)
            v = re.sub(r"^(?:就|即|便)?(?:收到了?|完成了?)?", "", text[c0:c1]).strip()
            v = re.sub(r"^[^的]*的", "", v) if "的" in v else v
            if re.match(r"(?:并|同时|且|此外|另外)", v):
                v = ""  # …2个工作日内，并为…搭建平台: the next clause is another measure, not the step
        c0, _ = clause_bounds(text, m.start())
        frm = _subject_clause(text, m.start())
        if c0 > 0:
            prev = clauses(text[:c0])
            if prev:
                a, b = prev[-1] if text[prev[-1][0] : prev[-1][1]].strip() else prev[0]
                cand = text[a:b].strip("“”\" ")
                if cand and not re.search(r"\d|时间里", cand):
                    frm = cand.rsplit("的", 1)[-1][:12]
        if (before := _stage_before(text, m.start())) is not None:
            frm = before  # 项目洽谈2个月内签约: the stage right before the span is where it starts
        if days is not None and days <= 60:
            add(m, days, None, frm, v)
    for m in r["same_year"].finditer(text):
        # 当年签约、当年投产 (当月拿地、当月开工): within the same year (month), kept as its upper bound
        add(m, 360.0 if m.group("u") == "年" else 30.0, None, m.group("a"), m.group("b"))
    for m in r["after_then"].finditer(text):
        if _excluded(text, m):
            continue
        days, _, _ = _days(m)
        add(m, days, None, _ACTOR.sub("", m.group("a")), m.group("v"))
    for m in r["after_day"].finditer(text):
        add(m, float(r["ordinal_days"][m.group("ord")]), None, _ACTOR.sub("", m.group("a")), m.group("v"))
    for m in r["same_day"].finditer(text):
        add(m, 0.0, None, m.group("b"), m.group("a"))
    for m in r["remaining"].finditer(text):
        if _excluded(text, m):
            continue
        days, _, _ = _days(m)
        proc = _procedure(text, m.start())
        proc = re.sub(r"^.*?(?:反映|表示|介绍|称|预计)", "", proc or "") or None
        v = re.sub(r"^(?:正式|全面|实现|完成)", "", m.group("v")) or None
        add(m, days, None, proc, v)
    for m in r["took_then"].finditer(text):
        if _excluded(text, m):
            continue
        days, _, _ = _days(m)
        frm = "签约" if "签约" in text[: m.start()] else None
        add(m, days, None, frm, m.group("v"))
    for m in r["done_in"].finditer(text):
        if _excluded(text, m):
            continue
        days, _, _ = _days(m)
        a = m.group("a")
        add(m, days, None, re.sub(r"^(?:开办企业)", "", a) or a, m.group("v"))
    for m in r["less_than"].finditer(text):
        if text[: m.start()].endswith("后"):
            continue  # 签约后仅用2天就完成了工商注册: the step after 后 (reach, below)
        days, _, _ = _days(m)
        prev = re.findall(r"“([^”]{1,8})”", text[: m.start()])
        add(m, days, None, prev[-1] if prev else None, m.group("v"))
    for c0, c1 in clauses(text):
        m = r["after"].match(text, c0)
        if m and m.start() == c0:
            days, _, _ = _days(m)
            to = m.group("v")
            frm = re.sub(r"第二次", "第一次", to) if "第二次" in to else None
            add(m, days, None, frm, to)
    for m in r["no_from"].finditer(text):
        a, b = m.group("a"), m.group("b")
        ha = stage_hits(a)
        days, _, _ = _days(m)
        if not ha or stage_key(b) is None or days is None or _excluded(text, m):
            continue
        add(m, days, None, a[max(0, ha[0][0] - 2) :], b)
    for m in r["reach"].finditer(text):
        if m.group("unit") == "日" or _excluded_at(text, m.start("num"), m.start("v")):
            continue
        to = _reached(m.group("v"))
        days, _, _ = _days(m)
        if to is None or days is None:
            continue
        a = m.group("a")
        if a:
            ha = stage_hits(a)
            a = a[ha[-1][0] :] if ha else None
        else:  # 项目洽谈2个月内签约: a stage right before the span is where it starts
            a = _stage_before(text, m.start())
        add(m, days, None, a, to, end=m.start("v") + len(to))
    for m in r["whole"].finditer(text):
        days, _, _ = _days(m)
        if days is None:
            continue
        if m.group("sec"):
            days = round(days + int(m.group("sec")) / 86400, 6)
        add(m, days, None, None, None)
    for m in r["finally"].finditer(text):
        days, _, _ = _days(m)
        hits = stage_hits(m.group("v"))
        if days is None or not hits or _excluded(text, m):
            continue
        h = hits[-1]
        add(m, days, None, None, m.group("v")[h[0] : h[1]])
    for m in r["limit"].finditer(text):
        if _excluded(text, m):
            continue
        days, _, _ = _days(m)
        if days is not None:
            add(m, days, None, _procedure(text, m.start()), None)
    for m in r["at_once"].finditer(text):
        proc = re.sub(r"(?:实现|做到|推行|实行|全部|均可|可)$", "", _procedure(text, m.start()) or "") or None
        add(m, 0.0, None, proc, m.group("v") or m.group("v2"))
    return out
