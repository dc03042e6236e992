"""Periods resolve against the document's own date (facts.md §1)."""

from datetime import date

import pytest

from etl.periods import DocDate, Period, document_date, resolve_period

D2024 = DocDate(2024, date(2024, 5, 11), "issued")
D2023 = DocDate(2023, date(2023, 9, 4), "header")
Y2020 = DocDate(2020, None, "years-in-text")


@pytest.mark.parametrize(
    "text,doc,start,end",
    [
        ("一季度签约正式合同额16.88亿元", D2024, "2024-01-01", "2024-03-31"),
        ("今年一季度，全市新开工项目276个", D2023, "2023-01-01", "2023-03-31"),
        ("1—8月招商引资成果新鲜出炉", D2023, "2023-01-01", "2023-08-31"),
        ("前8月66个亿元项目", D2023, "2023-01-01", "2023-08-31"),
        ("去年引进协议投资3680.4亿元", D2024, "2023-01-01", "2023-12-31"),
        ("2023年，两江新区生命健康产业全产业规模151.58亿元", D2024, "2023-01-01", "2023-12-31"),
        ("二季度销售额1.17亿美元", D2023, "2023-04-01", "2023-06-30"),
        ("上半年签约项目", D2023, "2023-01-01", "2023-06-30"),
        ("3月13日，该区举行了2020年的第二次集中签约仪式", Y2020, "2020-03-13", "2020-03-13"),
        ("截至今年3月底，已有140余家企业落户", Y2020, None, "2020-03-31"),
        ("今年以来，签约项目", D2023, "2023-01-01", "2023-09-04"),
        ("全年计划提供产业用地4030亩", Y2020, "2020-01-01", "2020-12-31"),
    ],
)
def test_resolve(text, doc, start, end):
    p = resolve_period(text, doc)
    assert p == Period(date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None)


def test_no_period():
    assert resolve_period("总投资约36亿元人民币", D2024) is None


def test_year_hint_used_when_sentence_names_no_year():
    assert resolve_period("一季度签约", DocDate(None, None, "none"), 2021).start == date(2021, 1, 1)


@pytest.mark.parametrize(
    "text,year,day,source",
    [
        ("来源:重庆日报 时间:2023-05-10 09:55:13 编辑:李", 2023, date(2023, 5, 10), "header"),
        ("新闻\n标题\n2023\n09/04\n10:30\n正文", 2023, date(2023, 9, 4), "header"),
        ("正文……\n2024年5月11日印发", 2024, date(2024, 5, 11), "issued"),
        ("2019年底落户。3月13日，举行了2020年的第二次签约。到2025年都会持续增长。", 2020, None, "years-in-text"),
        ("没有日期的文本", None, None, "none"),
    ],
)
def test_document_date(text, year, day, source):
    d = document_date(text)
    assert (d.year, d.day, d.source) == (year, day, source)


def test_manifest_date_used_when_text_has_none():
    assert document_date("正文", date(2022, 1, 2)).day == date(2022, 1, 2)


@pytest.mark.parametrize(
    "text,doc,start,end",
    [
        ("10月至12月，高新区签约项目76个", D2023, "2023-10-01", "2023-12-31"),  # 月 on both ends
        ("河南省2024年前三季度招商引资工作情况通报", D2024, "2024-01-01", "2024-09-30"),  # 年前三季度 is a year
        ("2024年前8个月签约项目", D2024, "2024-01-01", "2024-08-31"),
        ("过去一年，我们坚持项目为王", D2024, "2023-01-01", "2023-12-31"),
        ("四季度将开展“百日攻坚”行动，力争再签约项目20个", D2023, "2023-10-01", "2023-12-31"),
    ],
)
def test_resolve_more_wordings(text, doc, start, end):
    assert resolve_period(text, doc) == Period(date.fromisoformat(start), date.fromisoformat(end))


def test_full_year_takes_the_year_in_context():
    # 全年 names no year of its own: the paragraph's year (过去一年 in a report of 2025) wins
    assert resolve_period("全年新签约亿元以上项目86个", DocDate(2025, date(2025, 1, 14), "header"), 2024).start == date(2024, 1, 1)


def test_year_before_is_not_a_year():
    assert resolve_period("2025年前完成供地", D2024) is None


@pytest.mark.parametrize(
    "text,pos,start,end",
    [
        ("10月份，开发区新签约项目6个", None, "2023-10-01", "2023-10-31"),
        ("10月，签约项目6个", None, "2023-10-01", "2023-10-31"),
        ("2022年12月，签约项目6个", None, "2022-12-01", "2022-12-31"),
        ("1—10月，累计签约项目58个", None, "2023-01-01", "2023-10-31"),
    ],
)
def test_one_month(text, pos, start, end):
    assert resolve_period(text, D2023, None, pos) == Period(date.fromisoformat(start), date.fromisoformat(end))


def test_a_month_after_the_figure_is_not_its_period():
    text = "规划用地800亩，预计2025年6月建成投产"
    assert resolve_period(text, D2023, None, text.find("800")) is None


def test_until_a_named_year_end():
    assert resolve_period("截至2023年底，开发区锂电产业规模突破500亿元", D2024) == Period(None, date(2023, 12, 31))
    assert resolve_period("截至2023年10月底，签约项目3个", D2024) == Period(None, date(2023, 10, 31))


def test_an_achieved_period_ending_after_the_document_is_of_the_year_before():
    jan = DocDate(2025, date(2025, 1, 6), "header")
    assert resolve_period("1—11月，全市新签约招商引资项目486个", jan, achieved=True) == Period(date(2024, 1, 1), date(2024, 11, 30))
    assert resolve_period("截至10月底，全县共签约项目27个", jan, pos=12, achieved=True) == Period(None, date(2024, 10, 31))
    assert resolve_period("11月当月，全市新签约项目39个", jan, pos=12, achieved=True) == Period(date(2024, 11, 1), date(2024, 11, 30))
    # a target, a named year, 今年, or a period just ending after the report stay
    assert resolve_period("1—11月，力争签约项目500个", jan)== Period(date(2025, 1, 1), date(2025, 11, 30))
    assert resolve_period("今年1—11月，签约项目486个", jan, achieved=True).end == date(2025, 11, 30)
    june = DocDate(2024, date(2024, 6, 20), "header")
    assert resolve_period("上半年，全区签约项目52个", june, achieved=True) == Period(date(2024, 1, 1), date(2024, 6, 30))


def test_past_years_before_the_report():
    jan = DocDate(2023, date(2023, 1, 10), "dateline")
    assert resolve_period("过去五年，累计签约招商引资项目1286个", jan) == Period(date(2018, 1, 1), date(2022, 12, 31))
    assert resolve_period("近三年来，全县签约项目120个", jan) == Period(date(2020, 1, 1), date(2022, 12, 31))


def test_the_manifest_date_wins_over_the_text():
    d = document_date("发布时间：2023-05-10\n正文", date(2023, 5, 12))
    assert (d.day, d.source) == (date(2023, 5, 12), "manifest")


@pytest.mark.parametrize("url, year, day", [
    ("http://news.example.cn/2019-03/14/content_1.htm", 2019, date(2019, 3, 14)),
    ("http://www.example.gov.cn/art/2014/05/03/art_9_1.html", 2014, date(2014, 5, 3)),
    ("http://www.example.cn/news/cs/2015/0721/105607.html", 2015, date(2015, 7, 21)),
    ("http://www.example.gov.cn/xxgk/t20200513_12345.html", 2020, date(2020, 5, 13)),
    ("https://example.cn/20181029/57ae9f89-75f8.html", 2018, date(2018, 10, 29)),
    ("http://example.cn/html/2014-10-30/20141030155301158890.html", 2014, date(2014, 10, 30)),
    ("http://www.example.gov.cn/zwgk/201104/t123_4.html", 2011, None),          # year and month only
    ("https://example.gov.cn/c107858/202406/c00_31741939.shtml", 2024, None),
])
def test_a_date_in_the_page_address(url, year, day):
    d = document_date("一季度，全市新签约项目12个。", None, url)
    assert (d.year, d.day, d.source) == (year, day, "url")


@pytest.mark.parametrize("url", [
    "https://example.cn/doc/1221/",                 # no date
    "https://example.cn/show/4184.html",
    "https://example.cn/doc-incthnfx5645633.shtml",  # digits that make no date
    "https://example.cn/2099/01/01/a.html",          # in the future
])
def test_no_date_in_the_address(url):
    assert document_date("一季度，全市新签约项目12个。", None, url).source == "none"


def test_the_text_dateline_wins_over_the_address():
    d = document_date("2023-05-10 10:00 来源：某日报\n正文", None, "http://example.cn/2019/01/01/a.html")
    assert (d.day, d.source) == (date(2023, 5, 10), "dateline")


@pytest.mark.parametrize("text, start, end", [
    ("9、10月份，推动28个项目落户", date(2018, 9, 1), date(2018, 10, 31)),          # a list of months
    ("“十三五”期间，到位资金累计完成3.99万亿元", date(2016, 1, 1), date(2020, 12, 31)),  # a five-year plan
    ("产业大招商三年（2018—2020）行动，到位资金2.58万亿元", date(2018, 1, 1), date(2020, 12, 31)),
    ("昨日，某区集中签约项目12个", date(2018, 11, 28), date(2018, 11, 28)),           # relative days
    ("某网2月14日电 2018年，全省新批外商投资企业240个", date(2018, 1, 1), date(2018, 12, 31)),  # a dateline's day
])
def test_more_period_wordings(text, start, end):
    doc = DocDate(2018, date(2018, 11, 29), "url")
    p = resolve_period(text, doc, None, len(text) - 2)
    assert (p.start, p.end) == (start, end)


def test_document_level_periods():
    from etl.document import DocInfo
    from etl.pipeline import extract_document

    def periods(text, day):
        _, facts = extract_document(text, DocInfo("t", date_published=day))
        return [(f.value, f.period_start, f.period_end) for f in facts if f.kind == "figure"]

    # a headline's span without a year is of the document's year
    assert periods("前7月某省招商引资区外到位资金同比增38%\n北疆地区到位资金2797亿元。", date(2022, 8, 22)) == [
        (2797, date(2022, 1, 1), date(2022, 7, 31))]
    # a signing event dated in its paragraph's first sentence
    assert periods("6月24日上午，某县举行集中签约活动。共有15个项目成功签约，总投资52亿元。", date(2019, 6, 27)) == [
        (15, date(2019, 6, 24), date(2019, 6, 24)), (52, date(2019, 6, 24), date(2019, 6, 24))]
    # a relative year in the headline (明年开建) is no year of the report
    assert periods("某州招商引资资金超额到位 这些项目明年开建\n今年，某州到位资金86亿元。", date(2016, 12, 23)) == [
        (86, date(2016, 1, 1), date(2016, 12, 31))]


def test_a_span_stated_once_in_a_paragraph_holds_for_the_figures_below_it():
    from etl.document import DocInfo
    from etl.pipeline import extract_document

    text = "某省今年以来先后于5月、6月组织开展招商活动，成果丰硕。全省共计对接企业90家，成功签约项目46个，签约总额达456亿元。"
    _, facts = extract_document(text, DocInfo("t", date_published=date(2021, 8, 1)))
    got = {(f.metric, f.period_start, f.period_end) for f in facts if f.kind == "figure"}
    assert got == {("signed_projects", date(2021, 5, 1), date(2021, 6, 30)),
                   ("signed_amount", date(2021, 5, 1), date(2021, 6, 30))}


def test_the_day_something_was_said_is_no_period():
    doc = DocDate(2022, date(2022, 1, 30), "url")
    p = resolve_period("1月28日，记者从区商务厅获悉，2021年全区签约项目1100个", doc, None, 30)
    assert (p.start, p.end) == (date(2021, 1, 1), date(2021, 12, 31))


def _figure_periods(text: str, day: date) -> dict:
    from etl.document import DocInfo
    from etl.pipeline import extract_document

    _, facts = extract_document(text, DocInfo("t", date_published=day))
    return {(f.metric, f.value): (f.period_start, f.period_end) for f in facts if f.kind == "figure"}


def test_a_goal_counted_to_date_is_the_whole_years():
    got = _figure_periods("截至目前，某县累计到位资金88亿元，完成年度目标任务80亿元的110%。", date(2019, 11, 20))
    assert got[("funds_in_place", 88)] == (date(2019, 1, 1), date(2019, 11, 20))  # achieved: to date
    assert got[("funds_in_place", 80)] == (date(2019, 1, 1), date(2019, 12, 31))  # the goal: the year


def test_a_part_shares_the_period_of_its_total():
    text = ("2021年博览会上，某市共签约项目60个，签约金额300亿元。截至目前，已开工项目40个，到位资金90亿元。"
            "其中，甲县签约项目20个，签约金额100亿元，已开工项目15个。")
    got = _figure_periods(text, date(2021, 10, 15))
    year, to_date = (date(2021, 1, 1), date(2021, 12, 31)), (date(2021, 1, 1), date(2021, 10, 15))
    assert got[("signed_projects", 20)] == year and got[("signed_amount", 100)] == year
    assert got[("started_projects", 15)] == to_date


@pytest.mark.parametrize("text, year", [
    ("记者从2024年全省招商引资工作会议上获悉，2023年全省新签约项目800个", 2023),
    ("从2022年投资促进大会获悉，去年全市到位资金500亿元", 2023),  # 去年 of the report (2024)
    ("2023年招商推介会上，某区签约项目30个", 2023),  # the meeting's year is the only one
])
def test_the_year_of_the_meeting_a_figure_was_learned_at_is_not_its_year(text, year):
    doc = DocDate(2024, date(2024, 1, 20), "url")
    p = resolve_period(text, doc, None, len(text) - 3)
    assert (p.start, p.end) == (date(year, 1, 1), date(year, 12, 31))
