"""Mechanisms from the lexicon: category, own name, the region that runs it (facts.md §3)."""

import pytest

from etl.context import DocInfo
from etl.pipeline import extract_document


def mechanisms(text):
    _, facts = extract_document(text, DocInfo("t"))
    return {(f.region, f.category): f.name for f in facts if f.kind == "mechanism"}


@pytest.mark.parametrize(
    "text,category",
    [
        ("苏州工业园区推行链长制，由区领导担任链长。", "chain_targeting"),
        ("苏州工业园区深化以商招商，借助龙头企业引进配套企业。", "business_referral"),
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
