"""Mechanisms from the lexicon: category, own name, the region that runs it (facts.md §3)."""

import pytest

from etl.document import DocInfo
from etl.pipeline import extract_document


def mechanisms(text):
    _, facts = extract_document(text, DocInfo("t"))
    return {(f.region, f.category): f.name for f in facts if f.kind == "mechanism"}


@pytest.mark.parametrize(
    "text,category",
    [
        ("苏州工业园区推行链长制，由区领导担任链长。", "chain_targeting"),
        ("苏州工业园区深化以商招商，借助龙头企业引进配套企业。", "business_referral"),
        ("苏州工业园区推行“先租后让、租金抵扣”，企业拎包入驻。", "land_space"),
        ("苏州工业园区坚持以投促引，设立产业引导基金。", "capital_fund"),
        ("苏州工业园区在北京设立驻点招商团队。", "resident_office"),
        ("苏州工业园区推行拿地即开工。", "fast_approval"),
        ("苏州工业园区为重点企业配备企业特派员。", "service_officer"),
        ("苏州工业园区推出“标准地”出让。", "land_space"),
        ("苏州工业园区开展“不见面招商”。", "remote_promotion"),
        ("苏州工业园区聘请15位招商顾问。", "ambassador_advisor"),
        ("苏州工业园区发布招商赛马榜。", "performance_race"),
        ("苏州工业园区对新落户企业给予房租补贴。", "policy_incentive"),
        ("苏州工业园区组织招商小分队外出招商。", "outbound_teams"),
        ("苏州工业园区推进厂房代建、先租后售。", "land_space"),
        ("苏州工业园区成立投促公司，推进市场化招商。", "market_agency"),
        ("苏州工业园区开展存量企业二次招商。", "reinvestment"),
        ("苏州工业园区成立重大项目专班。", "task_force"),
        ("苏州工业园区举办投资推介会。", "events_promotion"),
        ("苏州工业园区对落地项目实行“一企一专员”。", "service_officer"),
        ("苏州工业园区为重点项目配备“项目秘书”。", "service_officer"),
        ("苏州工业园区提供全生命周期服务。", "service_officer"),
        ("苏州工业园区将规划、环评等审批事项并联办理。", "fast_approval"),
        ("苏州工业园区推行“一件事一次办”集成服务。", "fast_approval"),
        ("苏州工业园区推行“交地即交证”。", "fast_approval"),
        ("苏州工业园区在香港设立招商联络处。", "resident_office"),
        ("苏州工业园区用好驻外招商力量。", "resident_office"),
        ("苏州工业园区开展招商引资“赛马”，结果与评优挂钩。", "performance_race"),
        ("苏州工业园区对各板块招商实绩按季度排名。", "performance_race"),
        ("苏州工业园区将招商实绩纳入考评，每月通报排名。", "performance_race"),
        ("苏州工业园区建立“链长+链主”工作机制。", "chain_targeting"),
        ("苏州工业园区为每个重点项目配备首席服务官。", "service_officer"),
        ("苏州工业园区为每个重点项目配1名“项目专员”。", "service_officer"),
        ("苏州工业园区驻深圳招商小组持续对接企业。", "resident_office"),
        ("苏州工业园区对新引进的研发机构按投入给予一次性补助。", "policy_incentive"),
    ],
)
def test_category(text, category):
    assert ("苏州工业园区", category) in mechanisms(text)


def test_quoted_coinage_kept_as_name():
    got = mechanisms("宁波市建立“1+3+N”产业链招商机制。")
    assert got[("宁波市", "chain_targeting")] == "“1+3+N”产业链招商机制"


def test_one_row_per_region_and_category():
    got = mechanisms("宁波市推行链长制。宁波市开展产业链招商，延链补链。")
    assert list(got) == [("宁波市", "chain_targeting")]


def test_ranked_on_a_list_is_not_running_it():
    got = mechanisms("重庆市发布一季度招商赛马榜。江北区首次登上“赛马榜”。")
    assert ("重庆市", "performance_race") in got
    assert ("江北区", "performance_race") not in got


def test_traditional_script():
    got = mechanisms("時間：2023-11-02\n嘉興經開區推行「雙專員」服務機制。")
    assert ("嘉兴经开区", "service_officer") in got


@pytest.mark.parametrize(
    "text,absent",
    [
        ("苏州工业园区聚焦企业全生命周期，以审批制度改革为突破口。", "service_officer"),  # a frame, not a service
        ("苏州工业园区在这场赛马比拼中一马当先。", "performance_race"),  # taking part, not running it
        ("苏州工业园区首次登上“赛马榜”。", "performance_race"),
    ],
)
def test_not_a_mechanism_of_the_region(text, absent):
    assert ("苏州工业园区", absent) not in mechanisms(text)


def test_outposts_are_named_after_the_place_they_sit_in():
    got = mechanisms("襄阳市推进招商。襄阳在上海、深圳设立驻点招商工作站。同时在武汉光谷建设“科创飞地”，实行“研发在武汉、生产在襄阳”。")
    assert ("襄阳市", "resident_office") in got
    assert not [k for k in got if k[0] in ("上海市", "深圳市", "武汉市", "东湖高新区")]


def test_county_level_city_is_its_own_wo_shi():
    got = mechanisms("常熟市2024年招商引资工作总结\n2024年，我市推行链长制。")
    assert ("常熟市", "chain_targeting") in got


def test_a_town_sentence_belongs_to_the_county_not_the_zone_before_it():
    got = mechanisms("常熟市招商工作总结\n常熟高新区深化以商招商。海虞镇盘活闲置低效厂房。梅李镇组建招商小分队赴上海、深圳等地开展招商。")
    assert ("常熟市", "land_space") in got and ("常熟市", "outbound_teams") in got
    assert ("常熟高新区", "land_space") not in got


def test_a_numbered_section_does_not_inherit_the_previous_sections_zone():
    got = mechanisms("泉州市营商环境工作报告\n一、工程建设\n泉州经开区推行“标准地”出让。\n二、企业开办\n依托“一网通办”平台，实现一表申请。")
    assert ("泉州市", "fast_approval") in got
    assert ("泉州经开区", "fast_approval") not in got


def test_a_practice_left_behind_is_not_a_mechanism():
    got = mechanisms("宁波市招商工作。过去主要靠优惠政策招商，现在拼的是产业生态。")
    assert ("宁波市", "policy_incentive") not in got


def test_a_place_before_de_owns_the_practice():
    got = mechanisms("总体看，宁波的链长制与温州的双组长制都体现了“一把手抓招商”。")
    assert ("温州市", "task_force") in got and ("宁波市", "task_force") not in got


def test_places_held_up_as_a_model_are_not_the_actor():
    got = mechanisms("吴忠市考察团表示，要学习借鉴深圳、苏州的先进经验，推行工业用地“标准地”出让。")
    assert ("吴忠市", "land_space") in got
    assert not [k for k in got if k[0] in ("深圳市", "苏州市")]


def test_the_venue_of_an_event_is_not_its_organiser():
    got = mechanisms("鹿泉区招商工作。\n我们将在北京举办电子信息产业招商推介会，并探索设立产业引导基金。")
    assert ("鹿泉区", "events_promotion") in got and ("鹿泉区", "capital_fund") in got
    assert not [k for k in got if k[0] == "北京市"]


def test_wo_qu_skips_a_place_where_an_outpost_was_set_up():
    got = mechanisms("鹿泉区招商工作\n我们在北京中关村设立了招商工作站。\n我区为每个落地项目配备一名“项目管家”。")
    assert ("鹿泉区", "service_officer") in got and ("鹿泉区", "resident_office") in got
    assert not [k for k in got if k[0] in ("中关村", "北京市")]


def test_an_outpost_named_zhaoshang_jigou_is_not_where_it_stands():
    got = mechanisms("哈尔滨市在深圳、上海设立驻外招商机构。")
    assert ("哈尔滨市", "resident_office") in got
    assert not [k for k in got if k[0] in ("深圳市", "上海市")]


def test_a_quote_naming_no_place_belongs_to_the_speakers_region():
    got = mechanisms("重庆市招商引资成效显著。\n“我们紧盯头部企业，做足以商招商文章。”两江新区招商集团负责人说。")
    assert ("两江新区", "business_referral") in got and ("重庆市", "business_referral") not in got


def test_a_chain_named_in_another_semicolon_part_is_not_the_facts():
    _, facts = extract_document("沈阳突出基金招商，设立产业投资基金；长春发挥整车企业的链主作用，以商招商引进零部件配套企业。", DocInfo("t"))
    chains = {(f.region, f.category): f.industry_chain for f in facts if f.kind == "mechanism"}
    assert chains[("沈阳市", "capital_fund")] is None
    assert chains[("长春市", "business_referral")] == "new_energy_vehicle"


def test_an_industry_list_naming_several_chains_tags_none():
    _, facts = extract_document("吴忠市实行产业链招商，围绕新型材料、清洁能源、绿色食品等产业绘制招商图谱。", DocInfo("t"))
    assert [f.industry_chain for f in facts if f.kind == "mechanism"] == [None]


def test_a_gap_named_in_a_problems_section_is_not_a_practice():
    got = mechanisms("宁波市招商工作。与先进地区相比，宁波市在市场化招商方面还有差距。")
    assert ("宁波市", "market_agency") not in got


def test_a_bare_xinqu_names_the_new_area_the_team_went_to():
    got = mechanisms("调研报告\n调研组赴兰州新区开展专题调研。\n新区对工业项目实行容缺受理、并联审批。")
    assert ("兰州新区", "fast_approval") in got


def test_what_regions_compete_on_in_general_is_not_a_practice():
    got = mechanisms("遵义市招商工作调研。当前区域之间招商比拼的不只是优惠政策，更是营商环境。")
    assert not [k for k in got if k[1] == "policy_incentive"]
    got = mechanisms("吐鲁番市招商动态。如今各地招商拼的已不再是土地和税收优惠，而是产业生态。")
    assert not [k for k in got if k[1] == "policy_incentive"]


def test_a_practice_in_short_supply_is_not_a_practice():
    got = mechanisms("遵义市招商工作调研。部分园区标准厂房供给不足。")
    assert not [k for k in got if k[1] == "land_space"]


@pytest.mark.parametrize(
    "text",
    [
        # a section of recommendations, down to the next head of its level
        "兰州新区调研报告\n（一）主要做法\n实行容缺受理。\n（三）几点建议\n探索组建市场化招商公司；建立招商引资考核排名制度。",
        # a paragraph opening on 建议
        "兰州新区调研报告\n新区实行容缺受理。\n建议新区借鉴西咸新区做法，探索组建市场化招商公司。",
    ],
)
def test_recommendations_are_not_practices(text):
    got = mechanisms(text)
    assert ("兰州新区", "fast_approval") in got
    assert not [k for k in got if k[1] in ("market_agency", "performance_race")]


def test_referral_reward_across_a_comma_and_a_firm_introducing_firms():
    got = mechanisms("包头市招商方案。对引荐重大项目落地的中介机构和个人，按照到位资金的一定比例给予奖励。")
    assert ("包头市", "market_agency") in got
    got = mechanisms("钦州港经开区项目。董事长说，我们已经把上游的两家配套企业介绍过来。")
    assert ("钦州港经开区", "business_referral") in got


# practices real pages describe, in words of their own (one class per line)
@pytest.mark.parametrize(
    "text,category",
    [
        ("昆山市组建8支招商小分队赴长三角对接企业。", "outbound_teams"),
        ("昆山市推行全员招商。", "outbound_teams"),
        ("昆山市主动走出去招商。", "outbound_teams"),
        ("昆山市主要领导带队赴苏南招商。", "outbound_teams"),
        ("昆山市累计拜访在谈企业40家。", "outbound_teams"),
        ("昆山市将招商列为“一把手”工程。", "task_force"),
        ("昆山市组建重点产业专项小组。", "task_force"),
        ("昆山市完善项目协调推进机制。", "task_force"),
        ("昆山市实行县级领导挂点重点企业。", "task_force"),
        ("昆山市深化产业招商。", "chain_targeting"),
        ("昆山市开展专业招商。", "chain_targeting"),
        ("昆山市聚焦光电产业链招引项目。", "chain_targeting"),
        ("昆山市组织开发园区同异地商会结对合作。", "market_agency"),
        ("昆山市在长三角开展定点招商。", "market_agency"),
        ("昆山市经贸联络处今年对接企业60家。", "resident_office"),
        ("昆山市举行重点项目集中开工仪式。", "events_promotion"),
        ("昆山市举行招商引资项目签约仪式。", "events_promotion"),
        ("昆山市组团参加第六届进博会。", "events_promotion"),
        ("昆山市举办首届投资促进周。", "events_promotion"),
        ("昆山市今年举办12场招商活动。", "events_promotion"),
        ("昆山市参加重大招商活动20余次。", "events_promotion"),
        ("昆山市推行联审联批。", "fast_approval"),
        ("昆山市设立外资项目绿色通道。", "fast_approval"),
        ("昆山市会同省直部门组建联合工作组。", "task_force"),
        ("昆山市集中发布招商引资重点项目清单。", "events_promotion"),
        ("昆山市开展网络招商。", "remote_promotion"),
        ("昆山市多个项目以线上签约方式落地。", "remote_promotion"),
        ("昆山市开展「不見面」招商。", "remote_promotion"),
        ("昆山市对重大项目审批提前介入。", "fast_approval"),
        ("昆山市开通项目审批直通车。", "fast_approval"),
        ("昆山市每月召开集中会办会议。", "fast_approval"),
        ("昆山市为落地企业提供上门服务。", "service_officer"),
        ("昆山市为企业提供一站式服务。", "service_officer"),
        ("昆山市推行管家式服务。", "service_officer"),
        ("昆山市为外资项目提供帮办服务。", "service_officer"),
        ("昆山市新建科创孵化基地两处。", "land_space"),
        ("昆山市建设一批科技企业孵化器。", "land_space"),
        ("昆山市优先保障重点项目土地供应。", "land_space"),
        ("昆山市坚持以地等商。", "land_space"),
        ("昆山市每季度公布招商红黑榜。", "performance_race"),
        ("昆山市出台招商工作考核办法。", "performance_race"),
        ("昆山市对重点项目一月一督查。", "performance_race"),
        ("昆山市招商引资工作进展予以公示。", "performance_race"),
    ],
)
def test_category_practices_of_real_pages(text, category):
    assert ("昆山市", category) in mechanisms(text)


@pytest.mark.parametrize(
    "text,absent",
    [
        ("昆山市第二产业招商引资到位资金增长5%。", "chain_targeting"),
        ("昆山市创业孵化园等8个项目集中落户。", "land_space"),
        ("昆山市各部门积极开展招商活动。", "events_promotion"),
    ],
)
def test_not_the_practice(text, absent):
    assert ("昆山市", absent) not in mechanisms(text)


@pytest.mark.parametrize(
    "text,absent",
    [
        ("昆山市全力以赴抓招商。", "outbound_teams"),
        ("昆山市发布新兴产业招商指数榜。", "chain_targeting"),
        ("昆山市考察团赴苏州学习考察招商引资工作。", "outbound_teams"),
        ("昆山市调研组赴某新区就招商引资和项目落地工作开展调研。", "outbound_teams"),
        ("昆山市与一家专业招商机构合作开展委托招商。", "chain_targeting"),
        ("昆山市2024年上半年招商引资工作情况通报。", "performance_race"),
    ],
)
def test_not_the_practice_either(text, absent):
    assert ("昆山市", absent) not in mechanisms(text)


def test_a_practice_split_over_places_by_a_respectively_list():
    got = mechanisms("时间：2023-10-09\n某市招商通报。\n今年以来各县主要领导外出招商共计90批次，分别为：丰县30批次、沛县25批次、睢宁县20批次。")
    for place in ("丰县", "沛县", "睢宁县"):
        assert (place, "outbound_teams") in got
    # the total is the place holding every listed place, not the first one listed
    assert ("徐州市", "outbound_teams") in got


def test_a_pages_furniture_is_not_the_regions_practice():
    got = mechanisms("首页 | 招商政策 | 以商招商 | 飞地招商 | 联系我们\n当前位置：首页 > 招商动态\n"
                     "发布时间：2024-07-15\n昆山市上半年组建招商小分队8支。\n"
                     "关键词：以商招商 标准地\n相关阅读：某县推行赛马机制\n")
    assert list(got) == [("昆山市", "outbound_teams")]


def test_a_head_titling_a_statistic_is_no_practice():
    text = ("时间：2023-10-09\n某市招商通报。\n三、各县领导外出招商情况\n"
            "今年以来各县领导外出招商共计55批次，分别为：丰县30批次、沛县25批次。\n"
            "（五）实施产业链精准招商行动。")
    _, facts = extract_document(text, DocInfo("t"))
    evidence = [f.evidence for f in facts if f.kind == "mechanism"]
    assert not any("情况" in e for e in evidence)
    assert any("精准招商行动" in e for e in evidence)  # a head naming a practice still reports it
