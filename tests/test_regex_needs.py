"""etl.regex_needs: the words a regex cannot match without, and the gates built on them. A gate
must never skip a text the regex matches (checked against every rule regex of the project)."""

import re

import pytest

from etl.regex_needs import Gated, NeedsGate, needs


@pytest.mark.parametrize(
    "pattern, words",
    [
        ("产业链", {"产业链"}),
        (r"(?:围绕|聚焦)[^，]{0,10}产业链", {"产业链"}),  # the longest required word wins
        (r"(?:商协会|行业协会|商会)[^，]{0,4}结对", {"结对"}),  # shortest words tie at 2: fewer words
        (r"赴[^，]{1,20}招商", {"招商"}),
        (r"(?:开展|实行|推行)[^，]{0,12}赛马", {"赛马"}),
        (r"a|b", {"a", "b"}),
        (r"[“\"]一把手", {"一把手"}),
        (r"(?:ab)+c?", {"ab"}),
        (r"\d+(?:亿|万)", {"亿", "万"}),
    ],
)
def test_needs(pattern, words):
    assert needs(pattern) == frozenset(words)


@pytest.mark.parametrize("pattern", [r"x?", r"[^，]{0,3}", r"(?i)abc", r"", r"\d+", r"a|b?"])
def test_needs_nothing_nameable(pattern):
    assert needs(pattern) is None


def test_gated_skips_only_texts_without_the_words():
    g = Gated(re.compile(r"\d+(?:亿|万)元"))
    assert [m.group() for m in g.finditer("签约12亿元，到位3万元")] == ["12亿元", "3万元"]
    assert list(g.finditer("签约项目12个")) == []
    assert not g.worth("签约项目12个")


def test_a_stricter_gate_of_the_rules_own():
    g = Gated(re.compile(r"(?:审批|签约)[^，]{0,6}?(?:办结|开工)"), gate=re.compile(r"\d+天(?:办结|开工)"))
    assert [m.group() for m in g.finditer("项目审批仅3天办结")] == ["审批仅3天办结"]
    assert list(g.finditer("项目审批当天办结")) == []  # the words are there, the gate finds nothing


def test_gated_ignorecase_never_skips():
    g = Gated(re.compile(r"abc", re.I))
    assert g.words is None and [m.group() for m in g.finditer("ABC")] == ["ABC"]


def test_needs_gate_keeps_order_and_patterns_without_words():
    gate = NeedsGate([r"招商[^，]{0,4}公示", r"\d+个", r"[^，]{0,2}"])
    assert gate.worth("招商引资工作予以公示") == [True, False, True]
    assert gate.worth("签约项目5个") == [False, True, True]


def _rule_gates() -> list[Gated]:
    """Every rule regex of the project with its gate (automatic where the rule has none)."""
    from etl.extractors import durations, figures, mechanisms
    from etl.mentions import _context_rules
    from etl.numbers import count_regex, money_regex

    values = [money_regex(), count_regex()] + [rx for _, rx in mechanisms.rules()["regexes"]]
    values += list(durations.rules().values()) + list(figures.rules().values()) + list(_context_rules().values())
    return [v if isinstance(v, Gated) else Gated(v) for v in values if isinstance(v, Gated | re.Pattern)]


SENTENCES = [
    "今年以来，全市新签约项目52个，总投资320.5亿元，实际到位资金128亿元，同比增长12.3%。",
    "项目从签约到开工仅用30天，当天拿证、次日开工，3个工作日内完成审批，签约到投产只用了8个月。",
    "围绕新能源汽车产业链，组团赴深圳招商，拜访企业20家。",
    "一季度新签约亿元以上项目十二个，协议引资八十亿元。",
    "推行“链长制”，对引荐企业落户的给予奖励，审批时限压缩至5个工作日以内。",
    "，苏银产业园签约项目5个，某某工业园区落地项目3个。",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_no_gate_hides_a_match(sentence):
    gates = _rule_gates()
    assert any(g.gate is not None for g in gates)  # the rules' own gates are among them
    for g in gates:
        if g.rx.search(sentence):
            assert g.worth(sentence), g.rx.pattern
