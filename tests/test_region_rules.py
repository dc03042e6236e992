"""The region resolver's rules, each with the sentences it exists for (etl/resolve/regions.py),
and the classes of mention the resolver must not take for a fact's place. Every sentence here
was written for this test; none comes from a real page."""

from __future__ import annotations

import pytest

from etl.document import DocInfo
from etl.pipeline import extract_document
from etl.resolve.regions import RULES

EXAMPLES = [(r.name, text, kind, want) for r in RULES for text, kind, want in r.examples]


def placed(text: str, kind: str = "figure", **info) -> list[tuple[str | None, str]]:
    _, facts = extract_document(text, DocInfo("t", **info))
    return [(f.region, f.region_rule) for f in facts if f.kind == kind]


def test_every_rule_has_examples():
    assert all(r.examples for r in RULES), [r.name for r in RULES if not r.examples]


@pytest.mark.parametrize("rule, text, kind, want", EXAMPLES, ids=[f"{e[0]}-{i}" for i, e in enumerate(EXAMPLES)])
def test_rule_examples(rule, text, kind, want):
    got = placed(text, kind)
    assert (want, rule) in got, got


def test_rules_run_in_one_explicit_order():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert names.index("same_clause") < names.index("context_before") < names.index("subject_of_document") < names.index("most_named")


# ---- classes of mention that are not the fact's place ------------------------------------------

@pytest.mark.parametrize("text, want", [
    # the venue of an event, with words between the place and the verb
    ("宿松县招商工作会。宿松县在上海成功举办推介会，共签约项目12个。", "宿松县"),
    ("本报讯 近日，昌吉州集中开工仪式在准东经济技术开发区、某某科技园区同步举行。此次开工项目40个。", "昌吉回族自治州"),
    # a ranking after the place: 全市第一 is a comparison
    ("合肥经开区上半年新签约项目75个，全市第一；实际利用外资2.1亿美元。", "合肥经开区"),
    # 市内/市外 say where projects come from
    ("涪陵区上半年招商情况\n新签项目中市内项目60个，市外项目10个。", "涪陵区"),
    # an outpost named after the place it sits in
    ("金坛区设立了深圳经贸联络处。一季度全区签约项目14个。", "金坛区"),
])
def test_places_that_are_not_the_subject(text, want):
    got = placed(text)
    assert got and {r for r, _ in got} == {want}, got


def test_a_province_anaphor_never_stands_for_hong_kong():
    text = ("黑龙江省上半年利用外资情况\n外资来源地中，香港居首位。\n上半年，全省合同外资4.8亿美元。")
    assert {r for r, _ in placed(text)} == {"黑龙江省"}


@pytest.mark.parametrize("text, want", [
    ("吉林今年一季度签约项目120个。", "吉林省"),               # a province and its same-named city: the province
    ("吉林省吉林市今年一季度签约项目20个。", "吉林市"),          # the city, its province named
    ("青海省海南州今年签约项目9个。", "海南藏族自治州"),
    ("海南今年一季度签约项目300个。", "海南省"),
])
def test_same_named_province_and_prefecture(text, want):
    assert [r for r, _ in placed(text)] == [want]


def test_a_county_that_became_a_district_is_found_by_its_old_name():
    assert [r for r, _ in placed("凤翔县前三季度签订招商引资项目64个。")] == ["凤翔区"]


def test_a_document_naming_no_place_gets_no_guess():
    assert placed("本报讯 一季度全区签约引进项目14个，协议投资总额148亿元。") == [(None, "none"), (None, "none")]


def test_the_headline_below_navigation_lines_names_the_subject():
    text = "首页 > 新闻中心 > 县区动态\n凤阳县一季度招商引资实现开门红\n一季度，全县新签约项目16个。"
    assert [r for r, _ in placed(text)] == ["凤阳县"]


def test_a_dateline_names_the_outlet():
    text = "兰州日报讯 记者从省政府新闻办获悉，1至9月，全省签约招商引资项目3989个。"
    assert [r for r, _ in placed(text)] == ["甘肃省"]


@pytest.mark.parametrize("text, want", [
    ("克旗全年共签约项目137个。", "克什克腾旗"),              # a banner's short form
    ("科左后旗今年签约项目5个。", "科尔沁左翼后旗"),
    ("兵团今年签约项目136个。", "新疆生产建设兵团"),           # the 兵团 and its 师市
    ("第六师五家渠市今年签约项目37个。", "五家渠市"),
    ("楚雄州今年签约项目40个。", "楚雄彝族自治州"),             # an autonomous prefecture's short form
    ("阿拉善盟今年签约项目21个。", "阿拉善盟"),
])
def test_short_forms_of_prefectures_banners_and_the_bingtuan(text, want):
    assert [r for r, _ in placed(text)] == [want]


@pytest.mark.parametrize("text, want", [
    ("广西壮族自治区招商情况\n2021年全区签约项目1100个。", "广西壮族自治区"),   # 全区 of an autonomous region
    ("南宁市招商情况。全区到位资金736亿元。", "广西壮族自治区"),                 # never the city it names
    ("江宁区招商情况。全区到位资金46亿元。", "江宁区"),                         # a district's own 全区
])
def test_quan_qu_of_an_autonomous_region(text, want):
    assert [r for r, _ in placed(text)] == [want]


def test_a_park_no_list_has_is_a_place_of_its_own_inside_its_host():
    _, facts = extract_document("银川市举行集中签约大会。银川综保区签约项目4个；苏银产业园签约项目5个。", DocInfo("t"))
    got = {(f.region, f.region_level, f.value) for f in facts if f.kind == "figure"}
    assert got == {("银川综保区", "park", 4), ("苏银产业园", "park", 5)}
    ids = {f.region_id for f in facts if f.kind == "figure"}
    assert ids == {"X:640100:银川综保区", "X:640100:苏银产业园"}  # both inside 银川市


def test_a_park_named_inside_a_project_name_is_no_place():
    got = placed("银川市今年签约项目12个，其中职爱大健康产业园项目总投资8亿元。")
    assert {r for r, _ in got} == {"银川市"}


def test_unlisted_parks_reach_the_regions_table(tmp_path):
    import duckdb

    from etl.ingest import ingest

    (tmp_path / "a.txt").write_text("银川市举行集中签约大会。苏银产业园签约项目5个，总投资22.61亿元。", encoding="utf-8")
    assert not ingest([str(tmp_path)], tmp_path / "f.duckdb").failures
    with duckdb.connect(str(tmp_path / "f.duckdb"), read_only=True) as con:
        row = con.execute("SELECT name, level, parent_id, province FROM regions WHERE region_id LIKE 'X:%'").fetchall()
    assert row == [("苏银产业园", "park", "640100", "宁夏")]


def test_a_shi_shi_named_with_its_division_and_the_bingtuan():
    assert [r for r, _ in placed("新疆兵团第六师五家渠市签约项目37个。")] == ["五家渠市"]


def test_a_surface_naming_places_in_two_cities_goes_with_the_city_named():
    # 江北区 is a district of 重庆 and of 宁波; the text names 重庆
    assert [r for r, _ in placed("重庆市前三季度情况。江北区签约项目12个。")] == ["江北区"]
    _, facts = extract_document("重庆市前三季度情况。江北区签约项目12个。", DocInfo("t"))
    assert facts[0].region_id == "500105"
    _, facts = extract_document("宁波市前三季度情况。江北区签约项目12个。", DocInfo("t"))
    assert facts[0].region_id == "330205"


@pytest.mark.parametrize("text, want", [
    ("新疆前7月情况。北疆地区到位资金2797亿元。", "北疆地区"),
    ("新疆前7月情况。南疆地区（含吐鲁番市、哈密市）到位资金1830亿元。", "南疆地区"),  # a gloss names no subject
    ("安徽省上半年情况。皖北六市在建项目1343个，实际到位资金2251.5亿元。", "皖北六市"),
    ("贵州省招商。全省65个贫困县引进项目2121个。", "65个贫困县"),                    # 全省 narrowed by what follows
])
def test_groupings_carry_their_own_figures(text, want):
    got = placed(text)
    assert got and {r for r, _ in got} == {want}, got
