"""Figures: metric, value, unit, currency, target, yoy, qualifier (facts.md §1)."""

import pytest

from etl.document import DocInfo
from etl.pipeline import extract_document

HEAD = "发布时间：2024-07-15\n"


def figures(text):
    _, facts = extract_document(HEAD + text, DocInfo("t"))
    return [f for f in facts if f.kind == "figure"]


def one(text):
    fs = figures(text)
    assert len(fs) == 1, [(f.metric, f.value) for f in fs]
    return fs[0]


@pytest.mark.parametrize(
    "text,metric,value,unit,currency",
    [
        ("绍兴市上半年签约项目85个，协议投资620.5亿元。", "signed_amount", 620.5, "亿元", "CNY"),
        ("绍兴市上半年实际到位资金215亿元。", "funds_in_place", 215, "亿元", "CNY"),
        ("绍兴市一季度新开工项目43个。", "started_projects", 43, "个", None),
        ("绍兴市一季度集中签约项目26个。", "signed_projects", 26, "个", None),
        ("总投资8000万美元的精密部件项目落户绍兴市。", "project_investment", 0.8, "亿", "USD"),
        ("绍兴市设立50亿元的先进制造业产业基金。", "fund_size", 50, "亿元", "CNY"),
        ("绍兴市今年供应产业用地3200亩。", "land_area", 3200, "亩", None),
        ("绍兴市已集聚集成电路企业156家。", "enterprise_count", 156, "家", None),
        ("2023年，绍兴市集成电路产业规模达到480亿元。", "industry_output", 480, "亿元", "CNY"),
        ("绍兴市引进外资项目合同外资额3.2亿港元。", "signed_amount", 3.2, "亿", "HKD"),
    ],
)
def test_metric(text, metric, value, unit, currency):
    fs = figures(text)
    if metric is None:
        assert fs == []
        return
    f = [x for x in fs if x.metric == metric]
    assert len(f) == 1, [(x.metric, x.value) for x in fs]
    assert (f[0].value, f[0].unit, f[0].currency) == (pytest.approx(value), unit, currency)


def test_signing_batch_total_is_signed_amount():
    fs = figures("在绍兴市重大项目集中签约活动上，18个项目签约落户，总投资156亿元。")
    assert {(f.metric, f.value) for f in fs} == {("signed_projects", 18), ("signed_amount", 156)}


def test_single_project_total_is_project_investment():
    f = one("总投资12亿元的新能源电池项目在绍兴市签约落地。")
    assert f.metric == "project_investment" and f.subject == "新能源电池项目"


@pytest.mark.parametrize(
    "text,is_target",
    [
        ("绍兴市力争全年签约项目协议投资1000亿元。", True),
        ("绍兴市目标：全年新开工项目150个。", True),
        ("绍兴市计划供应产业用地5000亩。", True),
        ("绍兴市预计全年营收达到300亿元。", True),
        ("绍兴市要求每个镇街签约项目不少于5个。", True),
        ("绍兴市上半年签约项目协议投资620.5亿元。", False),
        ("绍兴市为未来发展预留空间，已储备产业用地800亩。", False),
    ],
)
def test_target(text, is_target):
    assert one(text).is_target is is_target


@pytest.mark.parametrize(
    "text",
    [
        "对成功引荐协议投资1亿元以上项目的给予奖励。",  # reward threshold
        "绍兴市签约项目约占全省的12%。",  # share
        "绍兴市原计划供地200亩，后调整方案。",  # superseded plan
        "企业停产一个月将损失约3000万元。",  # money without a metric
        "绍兴市走访企业1200家。",  # firms visited, not landed
        "已有11家企业列入重点保障名单。",  # firms listed, not landed
        "绍兴市新增在谈项目16个。",  # projects in talks
        "一家企业入驻绍兴市。",  # a reference, not a count
    ],
)
def test_not_figures(text):
    assert figures(text) == []


def test_yoy_follows_its_figure():
    f = one("2023年绍兴市协议投资1200亿元，增长8.5%。")
    assert f.yoy_pct == 8.5


def test_growth_of_another_subject_stays_off_the_figure():
    # the 8% is stated for 新兴产业's investment, a figure with no value of its own
    f = one("2024年绍兴市力争协议投资900亿元以上，新兴产业协议投资增长8%以上。")
    assert f.value == 900 and f.yoy_pct is None
    assert one("2024年绍兴市协议投资900亿元，同比增长8%。").yoy_pct == 8


def test_yoy_pairs_with_respectively():
    fs = figures("绍兴市一季度签约正式合同额30亿元、资金到位12亿元，同比分别增长20.5%、15%。")
    assert sorted((f.metric, f.yoy_pct) for f in fs) == [("funds_in_place", 15.0), ("signed_amount", 20.5)]


def test_decline_is_negative():
    assert one("2023年绍兴市资金到位额80亿元，下降3.2%。").yoy_pct == -3.2


def test_qualifier_scope_words():
    f = one("绍兴市一季度新签订正式合同金额508亿元。")
    assert f.qualifier and "正式合同" in f.qualifier


def test_restated_figure_counted_once():
    fs = figures("绍兴市今年已集聚企业156家。\n\n据介绍，全市目前已集聚企业156家，产业链基本形成。")
    assert len(fs) == 1


def test_period_inherited_within_paragraph():
    fs = figures("去年绍兴市协议投资1200亿元。其中亿元以上项目协议投资900亿元。")
    assert {str(f.period_start) for f in fs} == {"2023-01-01"}


@pytest.mark.parametrize(
    "text,metric,value,unit,currency",
    [
        ("绍兴市完成合同利用外资5.8亿美元。", "signed_amount", 5.8, "亿", "USD"),
        ("绍兴市全年签约项目总投资2186.7亿元。", "signed_amount", 2186.7, "亿元", "CNY"),  # 签约项目 = a batch
        ("总投资二十亿元的锂电新材料产业园项目在绍兴市开工。", "project_investment", 20, "亿元", "CNY"),
        ("新加坡某企业在绍兴市投资的研发中心项目，总投资8000万至1亿美元。", "project_investment", 0.9, "亿", "USD"),
        ("绍兴市引进电池、电机、光伏等上下游企业30余家。", "enterprise_count", 30, "家", None),  # verb before a list
        ("目前在绍兴市投资的港资企业已达3200余家。", "enterprise_count", 3200, "家", None),
        ("绍兴市上半年新签约项目38个，其中，投资10亿元以上项目五个。", "signed_projects", 5, "个", None),
    ],
)
def test_metric_more_wordings(text, metric, value, unit, currency):
    fs = [x for x in figures(text) if x.metric == metric and x.value == pytest.approx(value)]
    assert len(fs) == 1 and (fs[0].unit, fs[0].currency) == (unit, currency)


def test_money_talked_about_is_not_a_figure():
    assert figures("目前，绍兴市在谈项目十余个，意向投资额超过100亿元。") == []


def test_list_item_after_a_figure_keeps_its_metric():
    fs = figures("绍兴市、嘉兴市协议总投资分别为612.3亿元、538.9亿元。")
    assert sorted((f.metric, f.value) for f in fs) == [("signed_amount", 538.9), ("signed_amount", 612.3)]


@pytest.mark.parametrize(
    "text,targets",
    [
        # a list of goals goes on after ；
        ("绍兴市力争全年新签约亿元以上项目90个以上；实际到位资金230亿元，实际利用外资2.5亿美元。", [True, True, True]),
        # a goal word in a ratio (完成年度目标的85%) does not make the next clause a goal
        ("绍兴市1—10月签约金额2468.3亿元，完成年度目标的85%；实际到位资金1136.5亿元。", [False, False]),
        ("绍兴市力争新开工项目200个；上半年已完成签约项目86个。", [True, False]),
    ],
)
def test_goal_list_goes_on_after_semicolon(text, targets):
    assert [f.is_target for f in sorted(figures(text), key=lambda f: f.char_start)] == targets


def test_headline_bound_restates_the_body():
    fs = figures("绍兴市2023年招商引资工作综述：全年签约项目总投资突破2000亿元\n\n2023年，绍兴市全年签约项目总投资2186.7亿元。")
    assert [f.value for f in fs] == [2186.7]


def test_title_gives_the_period_of_a_report():
    fs = figures("河南省2024年前三季度招商引资工作情况通报\n\n二、各地情况\n\n郑州市新签约亿元以上项目218个。")
    assert [(str(f.period_start), str(f.period_end)) for f in fs] == [("2024-01-01", "2024-09-30")]


def test_signing_context_from_the_paragraph():
    # 签约项目 named in the sentence before: the per-industry counts and totals are signed ones
    fs = figures("从产业类别看，签约项目主要集中在电子信息、新能源等领域。电子信息产业项目16个，总投资189.6亿元；"
                 "新能源产业项目12个，总投资158.3亿元。")
    assert sorted((f.metric, f.value) for f in fs) == [
        ("signed_amount", 158.3), ("signed_amount", 189.6), ("signed_projects", 12), ("signed_projects", 16)]


def test_forecast_of_one_project_heads_no_goal_list():
    fs = figures("总投资60亿元的电池项目落户绍兴市，项目建成后预计年产值可达100亿元；嘉兴市签约的家居产业园项目，"
                 "总投资25亿元，规划用地约800亩。")
    got = {(f.metric, f.value): f.is_target for f in fs}
    # one project's expected output is no industry's output (spec: industry_output is a region's
    # industry; the real pages' gold leaves it out), so it heads no goal list either
    assert ("industry_output", 100) not in got
    assert got[("project_investment", 25)] is False and got[("land_area", 800)] is False  # 规划用地 names the site


def test_headline_project_total_restates_the_signed_amount():
    fs = figures("绍兴市上半年新引进项目总投资超400亿元\n\n今年上半年，绍兴市新签约项目83个，合同投资额412.6亿元。")
    assert sorted((f.metric, f.value) for f in fs) == [("signed_amount", 412.6), ("signed_projects", 83)]


def test_bound_shared_by_listed_places_is_no_figure():
    fs = figures("寿光市、诸城市新签约过亿元项目均超过60个，其中寿光市签约过亿元项目68个。")
    assert [f.value for f in fs] == [68]


def test_attracted_projects_are_signed():
    f = one("绍兴市去年新引进世界500强企业投资项目8个。")
    assert (f.metric, f.value) == ("signed_projects", 8)


def test_respectively_after_a_ranking_takes_the_metric_named_before():
    fs = figures("签约金额排名前三的是太原市、长治市、晋中市，分别为812.6亿元、476.3亿元、401.2亿元；"
                 "签约项目数排名前三的是运城市、太原市、大同市，分别为286个、271个、245个。")
    got = {(f.region, f.metric, f.value) for f in fs}
    assert got == {("太原市", "signed_amount", 812.6), ("长治市", "signed_amount", 476.3), ("晋中市", "signed_amount", 401.2),
                   ("运城市", "signed_projects", 286), ("太原市", "signed_projects", 271), ("大同市", "signed_projects", 245)}


def test_topic_head_gives_the_metric():
    fs = figures("到位资金方面，大同市、临汾市分别实现156.4亿元、132.8亿元，同比分别增长18.2%、9.6%。")
    assert {(f.region, f.metric, f.value, f.yoy_pct) for f in fs} == {
        ("大同市", "funds_in_place", 156.4, 18.2), ("临汾市", "funds_in_place", 132.8, 9.6)}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("曲周县10月签约项目3个，协议金额8600万元。", {("signed_projects", 3), ("signed_amount", 0.86)}),
        ("哈尔滨新区去年实际利用内资412.8亿元。", {("funds_in_place", 412.8)}),
        ("曲周县今年完成固定资产投资3.4亿元。", set()),  # spending, no metric of facts.md
        ("新区签约项目21个，其中投资超10亿元项目5个。", {("signed_projects", 21), ("signed_projects", 5)}),
        ("全县已完成326亩产业用地的收储整理。", {("land_area", 326)}),
        ("园区亩产税收达到35万元，亩均产值超过500万元。", set()),
    ],
)
def test_vocabulary_round2(text, expected):
    assert {(f.metric, f.value) for f in figures(text)} == expected


def test_output_once_a_project_runs_is_no_industry_output():
    # industry_output is a region's industry (shared/spec/facts.md); one project's output at
    # capacity is neither an achievement nor a goal of the region
    assert figures("冷能利用项目签约，达产后年产值可达28亿元。") == []


def test_table_rows_read_with_their_column_heads():
    text = ("曹妃甸经开区主要指标完成情况如下：\n"
            "指标\t10月\t1—10月累计\t同比增减\n"
            "签约项目（个）\t6\t58\t16.0%\n"
            "到位资金（亿元）\t18.6\t152.7\t8.8%\n")
    got = {(f.region, f.metric, f.value, str(f.period_start), str(f.period_end), f.yoy_pct) for f in figures(text)}
    assert got == {
        ("唐山曹妃甸经开区", "signed_projects", 6, "2024-10-01", "2024-10-31", None),
        ("唐山曹妃甸经开区", "signed_projects", 58, "2024-01-01", "2024-10-31", 16.0),
        ("唐山曹妃甸经开区", "funds_in_place", 18.6, "2024-10-01", "2024-10-31", None),
        ("唐山曹妃甸经开区", "funds_in_place", 152.7, "2024-01-01", "2024-10-31", 8.8),
    }
    assert all(f.evidence.count("\t") == 3 for f in figures(text))


def test_table_rows_of_places_under_metric_heads():
    text = ("1—6月各市签约情况：\n"
            "城市\t签约项目（个）\t签约金额（亿元）\n"
            "太原市\t271\t812.6\n"
            "长治市\t198\t476.3\n")
    got = {(f.region, f.metric, f.value) for f in figures(text)}
    assert got == {("太原市", "signed_projects", 271), ("太原市", "signed_amount", 812.6),
                   ("长治市", "signed_projects", 198), ("长治市", "signed_amount", 476.3)}


def test_periods_of_project_sizes_and_running_totals():
    # dated after October: a July document's 截至10月底 would be of the year before
    _, facts = extract_document("发布时间：2024-11-08\n10月12日，总投资35亿元的冷能利用项目在曹妃甸经开区签约。截至10月底，曹妃甸经开区共签约项目27个。",
                                DocInfo("t"))
    fs = [f for f in facts if f.kind == "figure"]
    got = {(f.metric, f.period_start and str(f.period_start), f.period_end and str(f.period_end)) for f in fs}
    assert got == {("project_investment", None, None), ("signed_projects", "2024-01-01", "2024-10-31")}


def test_achieved_figure_not_dated_by_a_forecast_before_it():
    fs = figures("一家企业在高新区投资5.5亿元建设基地，预计明年投产。截至6月底，永川高新区已聚集汽车零部件企业180余家。")
    f = [x for x in fs if x.metric == "enterprise_count"][0]
    assert str(f.period_end) == "2024-06-30"


def test_project_list_table_with_serial_numbers_and_a_total_row():
    text = ("兰州市2024年一季度集中签约项目清单\n"
            "序号\t项目名称\t所在县区\t总投资（亿元）\t签约时间\n"
            "1\t年产5万吨高端碳材料项目\t兰州新区\t35\t2024年3月\n"
            "2\t西北区域冷链物流中心项目\t七里河区\t12.5\t2024年3月\n"
            "合计\t\t\t47.5\t\n")
    got = {(f.region, f.metric, f.value, f.subject) for f in figures(text)}
    assert got == {("兰州新区", "project_investment", 35, "年产5万吨高端碳材料项目"),
                   ("七里河区", "project_investment", 12.5, "西北区域冷链物流中心")}


def test_table_columns_headed_by_years():
    text = ("各市签约情况\n地区\t2023年签约金额（亿元）\t2024年签约金额（亿元）\t增长\n"
            "太原市\t700.2\t812.6\t16.0%\n")
    got = {(f.region, f.value, str(f.period_start), f.yoy_pct) for f in figures(text)}
    assert got == {("太原市", 700.2, "2023-01-01", None), ("太原市", 812.6, "2024-01-01", 16.0)}


def test_label_colon_lines_after_a_lead_in():
    text = ("2023年，西宁经济技术开发区招商引资工作交出亮眼答卷：\n"
            "▲签约项目：62个，同比增长14.8%\n"
            "▲签约金额：486.3亿元\n"
            "▲新增入驻企业：74家\n")
    got = {(f.metric, f.value, str(f.period_start), str(f.period_end), f.yoy_pct) for f in figures(text)}
    assert got == {("signed_projects", 62, "2023-01-01", "2023-12-31", 14.8),
                   ("signed_amount", 486.3, "2023-01-01", "2023-12-31", None),
                   ("enterprise_count", 74, "2023-01-01", "2023-12-31", None)}
    assert {f.evidence for f in figures(text)} >= {"▲签约金额：486.3亿元"}


def test_respectively_after_a_semicolon_takes_the_metric_of_the_clause_before():
    text = "分区域看，安顺高新区实际到位资金41.2亿元，居全市首位；西秀区、平坝区分别为30.5亿元、22.8亿元。"
    got = {(f.region, f.metric, f.value) for f in figures(text)}
    assert got == {("安顺高新区", "funds_in_place", 41.2), ("西秀区", "funds_in_place", 30.5),
                   ("平坝区", "funds_in_place", 22.8)}


def test_a_goal_amount_after_a_rate_of_the_same_metric():
    text = "2025年主要预期目标是：地区生产总值增长6%左右；招商引资到位资金增长12%以上，力争突破300亿元；新签约亿元以上项目80个以上。"
    got = {(f.metric, f.value, f.is_target, str(f.period_start), str(f.period_end)) for f in figures(text)}
    assert got == {("funds_in_place", 300, True, "2025-01-01", "2025-12-31"),
                   ("signed_projects", 80, True, "2025-01-01", "2025-12-31")}
    # a reward clause with a share of the funds is no rate of a metric
    assert figures("对引荐项目，按实际到位资金的1%给予奖励，单个项目奖励最高不超过100万元。") == []


def test_mean_annual_growth_is_no_yoy():
    f = one("五年来，柳州市实际到位资金2100亿元，年均增长9.8%。")
    assert f.yoy_pct is None


def test_past_five_years_totals():
    _, facts = extract_document("发布时间：2024-01-12\n过去五年，全市累计签约项目980个，签约金额2400亿元。", DocInfo("t"))
    got = {(f.metric, str(f.period_start), str(f.period_end)) for f in facts if f.kind == "figure"}
    assert got == {("signed_projects", "2019-01-01", "2023-12-31"), ("signed_amount", "2019-01-01", "2023-12-31")}


def test_same_period_last_year_is_the_same_span_a_year_back():
    text = ("今年前三季度，松原经开区共签约项目46个，签约总额205.3亿元；去年同期，经开区签约项目39个，签约总额为171.6亿元。"
            "其中，今年签约的亿元以上项目21个。\n"
            "前三季度，经开区实际到位资金88.4亿元，去年同期为72.9亿元。")
    got = {(f.metric, f.value, str(f.period_start), str(f.period_end)) for f in figures(text)}
    assert got == {("signed_projects", 46, "2024-01-01", "2024-09-30"), ("signed_amount", 205.3, "2024-01-01", "2024-09-30"),
                   ("signed_projects", 39, "2023-01-01", "2023-09-30"), ("signed_amount", 171.6, "2023-01-01", "2023-09-30"),
                   ("signed_projects", 21, "2024-01-01", "2024-09-30"),
                   ("funds_in_place", 88.4, "2024-01-01", "2024-09-30"), ("funds_in_place", 72.9, "2023-01-01", "2023-09-30")}


def test_a_planned_projects_size_is_no_target_and_a_quantity_is_no_money():
    text = "公司拟在洋浦经济开发区投资建设年产120万吨乙烯项目，总投资约260亿元人民币（约合36.4亿美元），项目规划用地约1800亩，预计2026年建成投产。"
    got = {(f.metric, f.value, f.is_target, f.currency) for f in figures(text)}
    assert got == {("project_investment", 260, False, "CNY"), ("land_area", 1800, False, None)}


def test_a_companys_own_accounts_are_no_industry_output():
    assert figures("该公司去年营业收入为212.4亿元人民币，同比增长8.1%；净利润15.2亿元人民币。") == []
    assert one("去年数字经济核心产业实现营业收入87.5亿元。").metric == "industry_output"


def test_a_bound_in_the_lead_restating_the_exact_body_figure_is_one_fact():
    text = ("吉林高新区上半年签约项目58个，签约额突破300亿元。\n"
            "今年上半年，高新区共签约项目58个，签约总额316.2亿元，同比增长9.5%。")
    got = sorted((f.metric, f.value) for f in figures(text))
    assert got == [("signed_amount", 316.2), ("signed_projects", 58)]


def test_a_headline_naming_the_city_restates_the_zones_project():
    text = ("某集团拟在钦州建设化工新材料项目 总投资约150亿元人民币\n2023-05-10 来源：财经快讯\n"
            "集团公告称，拟在钦州港经济技术开发区投资建设化工新材料项目，总投资约150亿元人民币。")
    got = [(f.region, f.value) for f in figures(text)]
    assert got == [("钦州港经开区", 150)]


def test_a_projects_output_at_capacity_is_no_figure_of_the_paragraph():
    text = ("一季度，全市新签约项目40个。\n一季度，包头在新能源领域签约多个重大项目。"
            "某企业投资建设的光伏组件项目，总投资约30亿元，全部达产后年产值约60亿元。")
    assert [x for x in figures(text) if x.metric == "industry_output"] == []  # one project's output


def test_a_goal_of_a_cumulative_total():
    text = "到2025年，力争全市累计签约招商引资项目总投资达到5000亿元，引进产业链上下游企业150家以上。"
    got = {(f.metric, f.value, f.is_target) for f in figures(text)}
    assert got == {("signed_amount", 5000, True), ("enterprise_count", 150, True)}
    fs = figures("今年力争签约项目50个，目前已累计签约项目32个。")
    assert {(f.value, f.is_target) for f in fs} == {(50, True), (32, False)}


# ---- classes found on real pages (sentences written for these tests) --------------------------

@pytest.mark.parametrize("text, metric, value", [
    ("某省上半年引进到位国内省外直接投资5694.1亿元。", "funds_in_place", 5694.1),
    ("某省上半年实际利用省外投资金额153.1亿元。", "funds_in_place", 153.1),
    ("某省上半年合同利用省外投资金额588.6亿元。", "signed_amount", 588.6),
    ("某市前三季度实际到位省外资金812亿元。", "funds_in_place", 812),
    ("某县上半年新签项目71个。", "signed_projects", 71),
])
def test_forms_of_funds_in_place_and_signing(text, metric, value):
    f = one(text)
    assert (f.metric, f.value) == (metric, value)


@pytest.mark.parametrize("text", [
    "某县力争项目洽谈1个月内签约，购地项目3个月内拿地开工。",      # a length of time, no count
    "某县今年累计完成投资157.4亿元。",                              # completed investment is no figure of ours
    "某县年度计划投资221.7亿元。",
    "某县全年共实施招商引资项目163个。",                            # implemented projects are not annotated
    "某区分别上榜2个项目。",                                        # places on a ranking list
])
def test_no_figure(text):
    assert figures(text) == []


def test_a_bound_before_an_amount_classes_the_projects():
    fs = figures("某市集中签约项目27个，其中过1亿元项目19个，过10亿元项目3个。")
    assert sorted((f.metric, f.value) for f in fs) == [("signed_projects", 3), ("signed_projects", 19), ("signed_projects", 27)]


def test_the_city_zone_in_a_list_of_counties():
    _, facts = extract_document("六安市1-9月新签约项目344个，分别为：霍邱县52个、市开发区39个。", DocInfo("t"))
    assert [(f.region, f.value) for f in facts] == [("六安市", 344), ("霍邱县", 52), ("六安经开区", 39)]


def test_a_bound_shared_by_the_places_listed_is_no_figure_of_one():
    assert figures("合肥、芜湖和亳州三市实际到位省外资金均超过了500亿元。") == []
    assert figures("26个项目投资额均超过5000万元。") == []


@pytest.mark.parametrize("text, metric, value", [
    ("某省上半年共签订省外投资项目1118项。", "signed_projects", 1118),        # 项 counts projects
    ("某省上半年新批外商投资企业109个。", "enterprise_count", 109),            # firms newly approved
    ("某省一季度新设立外商投资企业25家。", "enterprise_count", 25),
    ("从产业看，某省二产业到位3075.7亿元。", "funds_in_place", 3075.7),        # 到位 right before the amount
    ("某市签约总金额503.3亿元。", "signed_amount", 503.3),
    ("某市1-9月新签约开工项目285个。", "started_projects", 285),              # the verb nearest the count
    ("8大项目，逾56亿元签约某市。", "signed_amount", 56),                       # an amount that signs
])
def test_more_wordings_of_real_pages(text, metric, value):
    f = one(text)
    assert (f.metric, f.value) == (metric, value)


def test_items_counted_in_xiang_that_are_no_projects():
    assert figures("某市今年办理审批手续655项。") == []


def test_a_ranked_list_after_a_colon_takes_the_metric_of_its_lead():
    _, facts = extract_document("区外到位资金排名靠前的地州市有：乌鲁木齐市927.46亿元，伊犁哈萨克自治州785.85亿元。",
                                DocInfo("t"))
    assert [(f.region, f.metric, f.value) for f in facts] == [
        ("乌鲁木齐市", "funds_in_place", 927.46), ("伊犁州", "funds_in_place", 785.85)]


def test_parts_in_parentheses_keep_their_label_as_qualifier():
    fs = figures("1至9月，重点产业链项目到位资金3477亿元。排名前五的产业链为：新能源装备（1177.75亿元）、石化化工（363.33亿元）。")
    assert [(f.metric, f.value, f.qualifier) for f in fs] == [
        ("funds_in_place", 3477, None), ("funds_in_place", 1177.75, "新能源装备"), ("funds_in_place", 363.33, "石化化工")]


@pytest.mark.parametrize("text", [
    "某县对投资5亿元以上重大招商引资项目实行专班推进。",   # an amount that classes projects
    "某县全区续建和新签项目179个。",                         # continuing projects are not counted
    "某区分别上榜2个项目，另两区分别上榜1个项目。",
])
def test_no_figure_of_ours_in(text):
    assert [f for f in figures(text) if f.metric in ("project_investment", "signed_projects", "started_projects")] == []


def test_the_total_of_a_batch_started_is_no_figure_but_its_count_is():
    fs = figures("某县总投资达71.73亿元的48个重点建设项目集中开工。")
    assert [(f.metric, f.value) for f in fs] == [("started_projects", 48)]


def test_one_project_signed_within_a_month_keeps_its_size():
    fs = figures("总投资50亿元的光伏项目1个月内正式签约。")
    assert [(f.metric, f.value) for f in fs] == [("project_investment", 50)]


def test_a_programme_named_plan_states_no_goal_and_a_task_handed_down_is_one():
    assert one("三季度全市新签约“满天星”行动计划等项目正式合同金额1525亿元。").is_target is False
    assert one("紧盯自治区下达的引进到位资金212亿元目标。").is_target is True


def test_parts_after_qizhong_take_the_count_of_the_sentence_before():
    fs = figures("当日签约的27个项目分布在各县市区。其中，甲区10个，乙县3个，丙市3个。")
    assert [(f.metric, f.value) for f in fs] == [("signed_projects", v) for v in (27, 10, 3, 3)]
    fs = figures("签约的27个项目来自11个招商专班。其中，物流专班1个项目，康养专班2个项目，电子信息产业专班2个项目，"
                 "现代服务产业专班3个项目，精细化工专班2个项目，新材料专班2个项目，军民融合产业专班1个项目。")
    assert [f.value for f in fs] == [27, 1, 2, 2, 3, 2, 2, 1]
    assert {f.metric for f in fs} == {"signed_projects"}


@pytest.mark.parametrize("text", [
    "全省先后分6个批次向全球发布重点招商产业项目700个。",   # batches counted; projects published, not signed
    "全区促成准签约项目822个，储备准签项目总投资962亿元。",  # a pipeline, not signings
    "全省共计推介项目1962个。",
])
def test_counts_that_are_no_signings(text):
    assert figures(text) == []


def test_a_range_of_amounts_each_with_its_scale_is_its_middle():
    assert one("某市联手打造总投资50亿元至80亿元的总部基地项目。").value == 65


def test_a_batch_signed_with_qiān_dìng_is_signed():
    assert one("某市新签订项目总投资726亿元。").metric == "signed_amount"


def test_chain_only_where_the_figure_is_of_that_chain():
    # an all-sector total; the chain word comes later, in the name of a prize-winning department
    text = "1—6月，某某高新区签约项目总额达120亿元。该区智能制造产业发展部获招商突出贡献奖。"
    (f,) = [x for x in figures(text) if x.value == 120]
    assert f.industry_chain is None
    # a chain introduced before the figure's sentence holds for it (其中…)
    fs = figures("2023年某某新区生物医药产业规模150亿元。其中规上工业产值104亿元。")
    assert {x.value: x.industry_chain for x in fs} == {150: "biomedicine", 104: "biomedicine"}


def test_the_total_of_projects_signed_counted_in_xiang_is_signed():
    fs = figures("会议期间，签约国外合作项目9项，总投资额7334万美元；签约国内合作项目27项，总投资43.78亿元人民币。")
    assert [(f.metric, f.value) for f in fs] == [("signed_projects", 9), ("signed_amount", 0.7334),
                                                 ("signed_projects", 27), ("signed_amount", 43.78)]


def test_in_a_paragraph_about_signings_a_bare_project_count_is_signed():
    fs = figures("当日签约的27个项目集中签约。从投资规模看，26个项目投资额均超过5000万元，其中，过1亿元项目19个。")
    assert [(f.metric, f.value) for f in fs] == [("signed_projects", v) for v in (27, 26, 19)]


@pytest.mark.parametrize("text", [
    "该项目预计改造后实现年产值不低于3.8亿元。",     # one project's expected output
    "项目建成后将新增产值20亿元以上。",
    "某市重点项目集中开工 投资71.73亿元",           # the total of a batch started
])
def test_no_figure_of_expected_output_or_started_batches(text):
    assert [f for f in figures(text) if f.metric in ("industry_output", "project_investment", "signed_amount")] == []


def test_a_regions_industry_size_and_its_goal_stay():
    fs = figures("某市产业规模达到1200亿元，力争明年产值突破1500亿元。")
    assert [(f.metric, f.value, f.is_target) for f in fs] == [("industry_output", 1200, False), ("industry_output", 1500, True)]


def test_a_completion_rate_names_a_goal_but_the_achievements_around_it_stay_achievements():
    fs = figures("今年前五个月，甲县引进工业项目22个，完成年度目标30个的73.3%，其中10亿元以上项目3个，"
                 "到位资金56亿元，完成年度任务80亿元的70%。")
    assert [(f.metric, f.value, f.is_target) for f in fs] == [
        ("signed_projects", 22, False), ("signed_projects", 30, True), ("signed_projects", 3, False),
        ("funds_in_place", 56, False), ("funds_in_place", 80, True)]


def test_firms_that_attend_are_not_counted():
    assert [f for f in figures("吸引了金融机构、投资公司等200多家机构负责人参会。") if f.metric == "enterprise_count"] == []


@pytest.mark.parametrize("text, value, target", [
    ("绍兴市今年的目标任务数为引进市外资金260亿元。", 260, True),
    ("省里下给绍兴市的招商引资任务是300亿元。", 300, True),
    ("绍兴市将今年招商引资任务确定为350亿元以上。", 350, True),
    ("绍兴市预计全年完成招商引资实物量400亿元。", 400, True),
    ("绍兴市上半年引进市外资金128亿元，同比增长9%。", 128, False),
])
def test_money_brought_in_and_its_task_are_funds_in_place(text, value, target):
    f = one(text)
    assert (f.metric, f.value, f.is_target) == ("funds_in_place", value, target)


def test_a_task_met_in_percent_is_no_figure():
    assert figures("绍兴市已完成招商引资任务的120%。") == []
