"""Which region a fact is about (facts.md §5)."""

import pytest

from etl.document import DocInfo, Document
from etl.pipeline import extract_document


def regions_of(text, kind=None, outlet=None, **filt):
    _, facts = extract_document(text, DocInfo("t", outlet=outlet))
    out = []
    for f in facts:
        if kind and f.kind != kind:
            continue
        if all(getattr(f, k) == v for k, v in filt.items()):
            out.append(f.region)
    return out


@pytest.mark.parametrize(
    "text,expected",
    [
        ("成都高新区今年签约项目52个。", "成都高新区"),
        ("苏州工业园区一季度签约项目30个。", "苏州工业园区"),
        ("两江新区签约项目12个。", "两江新区"),
        ("重庆两江新区签约项目12个。", "两江新区"),
        ("西部（重庆）科学城签约项目9个。", "重庆高新区"),
        ("杭州市余杭区签约项目18个。", "余杭区"),
        ("上海闵行区签约项目7个。", "闵行区"),
    ],
)
def test_named_region(text, expected):
    assert regions_of(text, "figure") == [expected]


def test_province_of_region():
    _, facts = extract_document("南京江宁区签约项目10个。", DocInfo("t"))
    assert (facts[0].region, facts[0].province) == ("江宁区", "江苏")


def test_my_city_from_outlet():
    assert regions_of("我市一季度签约项目88个。", "figure", outlet="成都日报") == ["成都市"]


def test_my_city_from_earlier_sentence():
    text = "合肥市召开招商大会。\n全市上半年新开工项目120个。"
    assert regions_of(text, "figure") == ["合肥市"]


def test_district_anaphor():
    text = "无锡高新区今年以来加快招商。截至目前，该区累计签约项目41个。"
    assert regions_of(text, "figure") == ["无锡高新区"]


def test_destination_list_is_not_the_actor():
    text = "宁波高新区组建小分队，赴深圳、上海、苏州等地开展登门拜访。"
    assert regions_of(text, "mechanism", category="outbound_teams") == ["宁波高新区"]


def test_resident_office_abroad_is_not_the_actor():
    text = "青岛西海岸新区派出驻深圳招商工作组，开展驻点招商。"
    assert set(regions_of(text, "mechanism")) == {"西海岸新区"}


def test_company_name_is_not_a_region():
    text = "无锡高新区内，上海电气智能装备有限公司新增投资，总投资12亿元的智能工厂项目开工。"
    assert regions_of(text, "figure", metric="project_investment") == ["无锡高新区"]


def test_company_name_in_brackets_is_not_a_region():
    text = "总投资2000万美元的博世汽车部件(苏州)有限公司新工厂落户合肥经开区。"
    assert regions_of(text, "figure", metric="project_investment") == ["合肥经开区"]


def test_bare_county_short_name_needs_its_city():
    # 彭阳 is also a county short name; here it is a person
    text = "两江新区签约项目12个，总裁彭阳表示满意。"
    doc = Document(text, DocInfo("t"))
    names = {doc.gaz.by_id(m.region_ids[0]).name for m in doc.mentions.mentions if m.anaphor_level is None}
    assert "彭阳县" not in names


def test_host_of_an_event_is_not_where_projects_land():
    text = "武汉东湖高新区今年招商成效明显。\n在洪山区第二场重大项目集中签约活动上，8个项目签约落户，总投资65亿元。"
    assert set(regions_of(text, "figure")) == {"东湖高新区"}


def test_more_specific_place_wins():
    text = "如今，上海又有了新速度：某企业落户上海浦东新区张江，从签约到开工仅用时50天。"
    assert regions_of(text, "duration") == ["浦东新区"]


def test_interleaved_columns_keep_their_story():
    page = "\n\n".join([
        "安徽合肥经开区：",
        "合肥经开区今年招商成效明显。日前，智能装备、新材料等6个项目与合",
        "浙江嘉兴经开区：",
        "嘉兴经开区企业服务团队走访企业。“我们感受到诚意。”嘉兴经开区",
        "肥经开区签约。这些项目涉及多个领域。",
        "企业负责人说。为此该区安排了双专员。",
    ])
    _, facts = extract_document(page, DocInfo("t"))
    got = {(f.kind, f.region) for f in facts}
    assert ("figure", "合肥经开区") in got
    assert ("mechanism", "嘉兴经开区") in got


@pytest.mark.parametrize(
    "text,expected",
    [
        # the investor's origin (香港一家物流企业) is not where the project lands
        ("香港一家物流企业与厦门海沧台商投资区签约建设物流枢纽，总投资约15亿港元。", ["海沧台商投资区"]),
        # a place followed by a verb is acting, not part of an organisation's name (…建设二期工厂)
        ("德国一家企业在厦门火炬高新区建设二期工厂，新增投资3500万欧元。", ["厦门火炬高新区"]),
        # 园区 after a park the gazetteer does not list is hosted by the place named before it
        ("鄂尔多斯高新区已集聚企业65家。\n伊金霍洛旗依托蒙苏经济开发区零碳产业园，引进电池、电机等企业30余家，园区去年实现产值超过300亿元。",
         ["鄂尔多斯高新区", "伊金霍洛旗", "伊金霍洛旗"]),
    ],
)
def test_origin_verbs_and_unlisted_parks(text, expected):
    assert regions_of("发布时间：2024-09-12\n" + text, "figure") == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("许昌市、新乡市分别新签约项目97个、89个，协议总投资分别为612.3亿元、538.9亿元。",
         [("许昌市", 97), ("新乡市", 89), ("许昌市", 612.3), ("新乡市", 538.9)]),
        ("南阳市、周口市实际到位省外资金分别为512.6亿元、386.1亿元，同比分别增长9.2%、11.8%。",
         [("南阳市", 512.6), ("周口市", 386.1)]),
    ],
)
def test_respectively_pairs_places_with_figures(text, expected):
    _, facts = extract_document("发布时间：2024-10-28\n" + text, DocInfo("t"))
    assert sorted((f.region, f.value) for f in facts if f.kind == "figure") == sorted(expected)


def test_zone_named_late_in_a_paragraph_is_an_aside():
    text = ("日期：2025-01-14　来源：长兴县人民政府网\n\n一、2024年工作回顾\n\n"
            "过去一年，我们坚持项目为王。全年新签约亿元以上项目86个。长兴经开区全年签约项目32个。\n\n"
            "要素保障持续加强。全年完成低效用地再开发4380亩。")
    assert regions_of(text, "figure") == ["长兴县", "长兴经开区", "长兴县"]


@pytest.mark.parametrize(
    "text,expected",
    [
        # 全省 in a ranking (居全省第3位) or a share (约占全省的21%) is no region of the figure
        ("潍坊市2022年工作情况。\n全年实际使用外资12.8亿美元，增长21.3%，总量居全省第3位。", ["潍坊市"]),
        ("南昌市召开推进会。\n1—10月，签约金额2468.3亿元，约占全省的21%。", ["南昌市"]),
    ],
)
def test_place_compared_against_is_not_the_region(text, expected):
    assert regions_of("发布时间：2023-02-16\n" + text, "figure") == expected


def test_place_named_after_the_sentence_is_not_its_region():
    text = ("发布时间：2023-07-28\n云南省投资促进局介绍，上半年云南省引进省外到位资金5638.2亿元；新签约项目1245个，"
            "协议投资额5879亿元。昆明市协议投资额1622.5亿元。")
    assert regions_of(text, kind="figure", metric="signed_projects") == ["云南省"]
    assert regions_of(text, kind="figure", value=1622.5) == ["昆明市"]


def test_later_clause_place_gives_way_to_a_place_inside_it():
    text = ("发布时间：2024-05-21\n总投资120亿元的正极材料项目在银川经济技术开发区开工建设。"
            "项目一期总投资30亿元，可带动上下游配套企业20余家落户银川。")
    assert regions_of(text, kind="figure", value=30) == ["银川经开区"]
    assert regions_of(text, kind="figure", metric="enterprise_count") == ["银川市"]


def test_unlisted_provincial_zone():
    assert regions_of("山西转型综合改革示范区签约项目87个。", kind="figure") == ["山西转型综合改革示范区"]


def test_outpost_place_stays_away_in_its_paragraph():
    text = ("博罗县招商引资取得新进展。该县在深圳设立驻点招商工作组，常态化对接产业转移项目。"
            "总投资12000万元的新材料研发生产基地项目，就是工作组在深圳跟踪对接半年后促成的。")
    assert regions_of(text, kind="figure", metric="project_investment") == ["博罗县"]


def test_model_place_described_later_is_still_itself():
    text = ("与成都天府新区、西安西咸新区等国家级新区相比，新区在市场化招商方面还有差距。"
            "据了解，西咸新区组建了专业化的招商公司，签约项目56个。")
    assert regions_of(text, kind="figure", metric="signed_projects") == ["西咸新区"]


def test_units_a_practice_is_applied_to_are_not_its_region():
    text = "包头市招商方案\n建立招商引资“赛马”机制，对各旗县区、稀土高新区实行按季度排名通报。对引荐项目的个人，给予奖励。"
    assert set(regions_of(text, kind="mechanism")) == {"包头市"}


def test_some_parks_is_no_anaphor_of_the_zone_before():
    text = ("遵义市调研报告\n一、现状\n遵义经开区推行“标准地”。\n"
            "二、问题\n部分园区标准厂房供给不足，一些企业反映从签约到拿到厂房还需3个月以上。")
    assert regions_of(text, kind="duration") == ["遵义市"]


def test_the_writers_wo_qu_is_not_a_zone_inside_it_named_since():
    text = ("天津市西青区投资促进局\n一、工作开展情况\n近年来，我区成立招商引资工作领导小组。西青经开区推行“标准地”。\n"
            "同时，我区持续开展“敲门招商”。\n二、关于建议\n我们高度认同。\n三、打算\n感谢。\n"
            "下一步，我区将建立重点项目“首席服务官”制度。")
    got = set(regions_of(text, kind="mechanism"))
    assert got == {"西青区", "西青经开区"}
    assert regions_of(text, kind="mechanism", category="outbound_teams") == ["西青区"]
    assert regions_of(text, kind="mechanism", category="service_officer") == ["西青区"]
