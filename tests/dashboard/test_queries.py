"""Query functions against the fixture database."""

from __future__ import annotations

import dataclasses
import os

import pytest

from components import queries as q
from components.filters import Filters

F = Filters()


def kpi(con, f, key):
    return q.kpis(con, f).set_index("key").loc[key, "value"]


def test_filter_options_come_from_the_data(con):
    o = q.filter_options(con)
    assert set(o["provinces"]) == {"江苏", "广东", "重庆"}
    assert o["levels"] == ["province", "prefecture", "county", "new_area", "hitech"]
    assert o["years"] == [2024, 2023, 2022]
    assert "Z-320115-江宁高新区" in set(o["regions"]["region_id"])
    assert "equipment" in o["chains"]


def test_kpis_count_achievements_once(con):
    # per region and year the largest figure: 378.6 + 3680.4 + 2*7.12 + 4908 + 290; never the 1500 target
    assert kpi(con, F, "signed_amount") == pytest.approx(378.6 + 3680.4 + 14.24 + 4908 + 290)
    assert kpi(con, F, "signed_projects") == 66 + 47
    assert kpi(con, F, "started_projects") == 276
    assert kpi(con, F, "funds_in_place") == 1152
    assert kpi(con, F, "n_docs") == 4
    assert kpi(con, F, "n_regions") == 7
    assert kpi(con, dataclasses.replace(F, include_targets=True), "signed_amount") == kpi(con, F, "signed_amount")


def _db_with(tmp_path, monkeypatch, *extra):
    import duckdb

    from tests.dashboard import conftest

    monkeypatch.setattr(conftest, "FACTS", [*conftest.FACTS, *extra])
    return duckdb.connect(os.path.realpath(conftest.build_db(tmp_path / "n.duckdb")), read_only=True)


def test_kpis_leave_out_a_region_whose_ancestor_reports_the_same_year(con, tmp_path, monkeypatch):
    # 南京市 2023 contains 江宁高新区's 378.6 (same year): the KPI counts 南京市 alone
    nanjing = ("d1_nanjing", "320100", "figure", "南京市全年签约总额1000亿元。",
               dict(metric="signed_amount", value=1000.0, unit="亿元", currency="CNY",
                    period=("2023-01-01", "2023-12-31")))
    c = _db_with(tmp_path, monkeypatch, nanjing)
    assert kpi(c, F, "signed_amount") == pytest.approx(kpi(con, F, "signed_amount") - 378.6 + 1000)
    # the child still shows on its own in the ranking
    assert "Z-320115-江宁高新区" in set(q.region_values(c, F)["region_id"])


def test_kpis_keep_a_child_of_another_year(con):
    # 巴南区 2022 is not inside 重庆市's 2023 figure
    assert kpi(con, Filters(provinces=("重庆",)), "signed_amount") == pytest.approx(4908 + 290)


def test_a_part_of_the_year_keeps_figures_whose_period_lies_within_it(con):
    # 重庆 2023 Q1 4908; 江宁高新区 1-8月 378.6; 东莞、深圳 whole year 2023
    assert kpi(con, Filters(year=2023, span="Q1"), "signed_amount") == pytest.approx(4908)
    assert kpi(con, Filters(year=2023, span="H1"), "signed_amount") == pytest.approx(4908)
    assert kpi(con, Filters(year=2023, span="Q1-3"), "signed_amount") == pytest.approx(4908 + 378.6)
    assert pd_isna(kpi(con, Filters(year=2023, span="Q4"), "signed_amount"))


def test_a_part_of_the_year_leaves_durations_and_mechanisms_to_the_year(con):
    assert len(q.mechanisms(con, Filters(year=2023, span="Q4"))) == len(q.mechanisms(con, Filters(year=2023)))


def test_span_dates_and_labels():
    from datetime import date

    from components import vocab

    assert vocab.span_dates(2024, "Q1") == (date(2024, 1, 1), date(2024, 3, 31))
    assert vocab.span_dates(2024, "H2") == (date(2024, 7, 1), date(2024, 12, 31))
    assert vocab.period_label(2023, "Q1") == "2023年一季度"
    assert vocab.period_label(2023) == "2023年" and vocab.period_label(None, "Q1") == "全部年份"


def test_filters_change_results(con):
    assert kpi(con, Filters(provinces=("江苏",)), "signed_amount") == pytest.approx(378.6)
    assert kpi(con, Filters(year=2022), "signed_amount") == pytest.approx(290)
    assert kpi(con, Filters(levels=("hitech",)), "signed_projects") == 66
    assert kpi(con, Filters(regions=("441900",)), "signed_amount") == pytest.approx(3680.4)
    assert kpi(con, Filters(chains=("equipment",)), "signed_amount") == pytest.approx(378.6)
    empty = Filters(provinces=("江苏",), year=2022)
    assert kpi(con, empty, "n_facts") == 0
    assert pd_isna(kpi(con, empty, "signed_amount"))


def pd_isna(v):
    import pandas as pd

    return v is None or pd.isna(v)


def test_targets_excluded_by_default_and_shown_apart(con):
    rows = q.figures_table(con, F, metric=("signed_amount",))
    assert not rows["is_target"].any()
    rows_t = q.figures_table(con, Filters(include_targets=True), metric=("signed_amount",))
    assert rows_t["is_target"].sum() == 1
    tg = q.region_values(con, Filters(include_targets=True), metric=("signed_amount",), targets="only")
    assert list(tg["value"]) == [1500.0]
    achieved = q.region_values(con, Filters(include_targets=True), metric=("signed_amount",))
    assert 1500.0 not in set(achieved["value"])


def test_region_values_split_by_qualifier(con):
    df = q.region_values(con, F, metric=("signed_amount",), split="qualifier")
    dg = df[df["region_id"] == "441900"].set_index("split")["value"]
    assert dg.to_dict() == {"未注明": 3680.4, "亿元以上产业项目": 2209.4}
    assert df.iloc[0]["region_id"] == "441900"  # ordered by the region's total
    us = df[df["region_id"] == "440300"].iloc[0]
    assert us["value"] == pytest.approx(14.24) and us["currency"] == "USD" and us["orig_value"] == 2.0
    chains = q.region_values(con, F, metric=("signed_amount",), split="industry_chain")
    assert "高端装备" in set(chains["split"])


def test_unknown_split_or_metric_is_refused(con):
    with pytest.raises(ValueError):
        q.region_values(con, F, split="region; DROP TABLE facts")
    with pytest.raises(ValueError):
        q.region_values(con, F, metric=("value) OR (1=1",))


def test_quotes_in_values_are_bound_not_spliced(con):
    odd = "江'苏\"; --"
    assert q.kpis(con, Filters(provinces=(odd,), regions=(odd,), chains=(odd,))).set_index("key").loc[
        "n_facts", "value"] == 0
    assert q.search_evidence(con, F, q="it's 100%_ \\ \"x\"").empty
    assert q.fact_sources(con, "x' OR '1'='1").empty
    assert q.durations(con, F, stage="a'b").empty


def test_search_is_literal_and_merges_clusters(con):
    hits = q.search_evidence(con, F, q="专班")
    assert len(hits) == 1  # two documents, one fact
    r = hits.iloc[0]
    assert r["n_sources"] == 2 and set(r["sources"].split("、")) == {"重庆日报", "重庆晨报"}
    assert list(q.search_evidence(con, F, q="%")["fact_id"]) == ["f004"]  # % and _ are characters, not wildcards
    assert q.search_evidence(con, F, q="9_4").empty and q.search_evidence(con, F, q="3680%").empty
    assert len(q.search_evidence(con, F, q="")) == len(q.latest_facts(con, F, limit=100))


def test_fact_sources_give_context_around_the_evidence(con):
    src = q.fact_sources(con, "c-cq-4908")
    assert list(src["outlet"]) == ["重庆日报", "重庆晨报"]
    for r in src.itertuples():
        assert r.hit == r.evidence
        assert r.before and r.after


def test_funds_rate_only_for_same_region_and_period(con):
    df = q.funds_rate(con, F)
    assert list(df["region_id"]) == ["500000"]
    assert df.iloc[0]["rate_pct"] == pytest.approx(23.5)
    assert q.funds_rate(con, Filters(year=2022)).empty


def test_durations_with_one_end_missing(con):
    df = q.durations(con, F).set_index("stage")
    assert df.loc["签约→开工", "reduction_pct"] == 50.0
    assert df.loc["注册→落地开工", "days"] == 7 and pd_isna(df.loc["注册→落地开工", "baseline_days"])
    assert df.loc["土地出让→施工许可", "baseline_days"] == 75 and pd_isna(df.loc["土地出让→施工许可", "days"])
    assert set(q.duration_stages(con, F)) == set(df.index)
    assert list(q.durations(con, F, stage="注册→落地开工")["region"]) == ["两江新区"]


def test_mechanism_matrix_counts_cells_and_keeps_the_top_regions(con):
    m = q.mechanism_matrix(con, F)
    assert m["n"].sum() == len(q.mechanisms(con, F))
    cell = m[(m["region_id"] == "Z-500000-两江新区") & (m["category"] == "task_force")].iloc[0]
    assert cell["n"] == 1 and cell["evidence"]  # two sources, one cluster
    top1 = q.mechanism_matrix(con, F, top=1)
    assert top1["region_id"].nunique() == 1 and top1["n_regions"].iloc[0] == m["region_id"].nunique()


def test_mechanisms_counted_once_per_cluster(con):
    df = q.mechanisms(con, F)
    assert len(df) == 4
    assert set(df["category_label"]) == {"产业链招商", "以商招商", "专班推进", "赛马考核"}
    assert len(q.mechanisms(con, F, category="task_force", region_id="Z-500000-两江新区")) == 1
    assert q.mechanisms(con, Filters(year=2022)).empty


def test_zones_are_placed_at_their_parent(con):
    pts = q.region_points(con, F).set_index("region_id")
    z = pts.loc["Z-320115-江宁高新区"]
    assert bool(z["inherited"]) and (z["lon"], z["lat"]) == (118.84, 31.95)
    assert pts.loc["Z-500000-两江新区", "lon"] == 106.55
    assert not pts.loc["441900", "inherited"]
    prov = q.province_summary(con, F).set_index("adcode")
    assert set(prov.index) == {"320000", "440000", "500000"}


def test_documents_overview_counts_every_source(con):
    docs = q.documents_overview(con, F).set_index("doc_id")
    assert docs.loc["d4_chongqing", "n_facts"] == 2
    assert set(q.documents_overview(con, Filters(provinces=("江苏",)))["doc_id"]) == {"d1_nanjing"}


def test_region_profile_queries(con):
    ch = q.region_choices(con, Filters(provinces=("重庆",), year=2022))
    assert set(ch["region_id"]) == {"500000", "500113", "Z-500000-两江新区"}  # year does not narrow choices
    info = q.region_info(con, "Z-500000-两江新区").iloc[0]
    assert info["parent_name"] == "重庆市"


def test_row_caps(con):
    assert len(q.latest_facts(con, F, limit=3)) == 3
    assert len(q.search_evidence(con, F, q="", limit=10_000)) <= q.MAX_ROWS


def test_no_streamlit_in_queries_or_charts():
    import subprocess
    import sys

    code = "import sys, components.queries, components.charts; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=str(__import__('pathlib').Path(q.__file__).parents[1])
                          ).returncode == 0


def test_period_text():
    assert q.period_text("2023-01-01", "2023-12-31") == "2023年"
    assert q.period_text("2023-01-01", "2023-03-31") == "2023年1-3月"
    assert q.period_text("2023-05-05", "2023-05-05") == "2023年5月5日"
    assert q.period_text(None, None) == "未注明"
    assert q.like_pattern("5%_") == "%5\\%\\_%"


def test_approval_parts_never_mix(con):
    parts = {p: q.approval_durations(con, F, p) for p in q.APPROVAL_PARTS}
    ids = [set(df["fact_id"]) for df in parts.values()]
    assert all(not (a & b) for i, a in enumerate(ids) for b in ids[i + 1:])
    assert set().union(*ids) == set(q.durations(con, F)["fact_id"]) | set(parts["commitment"]["fact_id"])
    assert parts["achieved"]["stage_group"].notna().all() and not parts["achieved"]["is_commitment"].any()
    assert parts["unmapped"]["stage_group"].isna().all()
    assert list(parts["commitment"]["stage_group"]) == ["签约→开工"] and parts["commitment"]["is_commitment"].all()
    # commitments are not achievements anywhere
    assert "东莞力争项目签约后3个月内开工。" not in set(q.durations(con, F)["evidence"])


def test_approval_baseline_labels(con):
    df = q.approval_durations(con, F, "achieved").set_index("stage_group")
    assert df.loc["签约→开工", "baseline_label"] == "改革前"
    assert df.loc["签约→投产", "baseline_label"] == "对比：某某项目"
    assert df.loc["注册→开工", "baseline_label"] == "—"
    assert list(q.approval_durations(con, F, "achieved", stage_group="拿地→施工许可")["region"]) == ["重庆市"]
    assert set(q.approval_stage_groups(con, F)) == set(df.index)
