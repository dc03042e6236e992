"""Numbers, money, counts and durations (facts.md units)."""

import pytest

from etl.numbers import count_regex, count_value, duration_days, money_regex, money_value, parse_cn_int, parse_number


@pytest.mark.parametrize("s,v", [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二百五十", 250), ("两", 2), ("一千零五", 1005)])
def test_chinese_integers(s, v):
    assert parse_cn_int(s) == v


@pytest.mark.parametrize("s,v", [("3680.4", 3680.4), ("12,000", 12000), ("三点五", 3.5), ("abc", None), ("", None)])
def test_parse_number(s, v):
    assert parse_number(s) == v


@pytest.mark.parametrize(
    "text,value,currency",
    [
        ("3000万欧元", 0.3, "EUR"),
        ("16.88亿元", 16.88, "CNY"),
        ("2400万元", 0.24, "CNY"),
        ("约36亿元人民币", 36, "CNY"),
        ("1.17亿美元", 1.17, "USD"),
        ("2000亿", 2000, "CNY"),
        ("1.2万亿元", 12000, "CNY"),
        ("5000万港元", 0.5, "HKD"),
        ("500万美元", 0.05, "USD"),
    ],
)
def test_money(text, value, currency):
    m = money_regex().search(text)
    assert m is not None
    assert money_value(m.group("num"), m.group("scale"), m.group("cur")) == (pytest.approx(value), currency)


@pytest.mark.parametrize("text", ["百亿级项目", "两个千亿级产业集群", "亿元以上项目"])
def test_not_money(text):
    assert money_regex().search(text) is None


@pytest.mark.parametrize(
    "text,value,unit",
    [("新开工项目276个", 276, "个"), ("集聚600余家企业", 600, "家"), ("1.2万亩产业用地", 12000, "亩"), ("用地600亩", 600, "亩")],
)
def test_counts(text, value, unit):
    m = count_regex().search(text)
    assert count_value(m.group("num"), m.group("wan")) == value and m.group("unit") == unit


@pytest.mark.parametrize("text", ["世界500强", "第3个项目"])
def test_not_counts(text):
    assert count_regex().search(text) is None


@pytest.mark.parametrize(
    "num,unit,num2,more,days",
    [
        ("3", "个多月", None, False, 100),
        ("4", "个月", None, True, 130),
        ("2", "个月", "3", False, 75),
        ("一", "周", None, False, 7),
        ("3", "周", None, False, 21),
        ("3", "个工作日", None, False, 3),
        ("2", "小时", None, False, 0.0833),
        ("1", "小时", None, False, 0.0417),
        ("5", "分钟", None, False, 0.0035),
        ("30", "分钟", None, False, 0.0208),
        ("一", "年", None, False, 360),
        ("半", "年", None, False, 180),
        ("一", "天", None, False, 1),
    ],
)
def test_duration_days(num, unit, num2, more, days):
    assert duration_days(num, unit, num2, more).days == pytest.approx(days, abs=1e-4)


@pytest.mark.parametrize(
    "text,value,currency",
    [
        ("总投资二十亿元的项目", 20, "CNY"),  # Chinese numerals before a money scale
        ("约十五亿元", 15, "CNY"),
        ("五千万元", 0.5, "CNY"),
        ("8000万至1亿美元", 0.9, "USD"),  # a range whose ends carry their own scale: the midpoint
        ("2—3亿元", 2.5, "CNY"),
    ],
)
def test_money_chinese_numerals_and_ranges(text, value, currency):
    m = money_regex().search(text)
    v, cur = money_value(m.group("num"), m.group("scale0") or m.group("scale"), m.group("cur"))
    if m.group("num2"):
        v = (v + money_value(m.group("num2"), m.group("scale"), m.group("cur"))[0]) / 2
    assert (v, cur) == (pytest.approx(value), currency)


@pytest.mark.parametrize("text", ["数十亿元", "上百亿元投资", "几十亿元"])
def test_vague_chinese_amounts_are_not_money(text):
    assert money_regex().search(text) is None
