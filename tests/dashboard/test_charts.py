"""Pure chart builders: traces, data, titles with units, hover with document and evidence."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go

from components import charts, vocab
from components import queries as q
from components.filters import Filters

F = Filters()


def test_template_uses_a_chinese_font():
    assert "Noto Sans CJK SC" in go.Figure(layout=dict(template=charts.TEMPLATE)).layout.template.layout.font.family


def test_region_bar(con):
    df = q.top_regions(con, F, n=3)
    fig = charts.region_bar(df, "签约金额前十地区（亿元，全部年份）", "亿元")
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert list(bar.x) == sorted(df["value"])  # largest on top
    assert list(bar.y)[-1] == "重庆市"
    assert "亿元" in fig.layout.title.text and "全部年份" in fig.layout.title.text
    assert "亿元" in fig.layout.xaxis.title.text
    hover = bar.hovertext[-1]
    assert "重庆日报" in hover and "4908" in hover


def test_bar_labels_carry_the_period(con):
    fig = charts.region_bar(q.top_regions(con, F, n=10), "t（亿元，全部年份）", "亿元")
    text = dict(zip(fig.data[0].y, fig.data[0].text))
    assert text["重庆市"].startswith("4,908（2023年1-3月）")  # a quarter is never read as a year
    assert "2023年）" in text["东莞市"]


def test_money_text_names_the_currency_in_chinese():
    assert vocab.money_text(2.0, "亿", "USD") == "2 亿美元"
    assert vocab.money_text(0.3, "亿", "EUR") == "0.3 亿欧元"
    assert vocab.money_text(16.88, "亿元", "CNY") == "16.88 亿元"
    assert vocab.money_text(5, "亿元", None) == "5 亿元"


def test_bar_period_of_several_years_says_so():
    assert charts.bar_period("2023年", [2023]) == "2023年"
    assert charts.bar_period("2023年1-3月", [2020, 2023]) == "2020、2023年合计"
    assert charts.bar_period(vocab.UNSPECIFIED, None) == ""


def test_split_bars_one_trace_per_qualifier(con):
    df = q.region_values(con, F, split="qualifier")
    fig = charts.split_bars(df, "t（亿元，2023年）", "亿元", "口径")
    assert len(fig.data) == df["split"].nunique()
    rows = [y for t in fig.data for y in t.y]
    assert len(rows) == len(set(rows)) == len(df)  # one bar per region and scope: never stacked
    assert "东莞市｜亿元以上产业项目" in rows
    names = {t.name for t in fig.data}
    assert "口径：亿元以上产业项目" in names
    us = [t for t in fig.data if t.name == "口径：外资"][0]
    assert "原值 2 亿美元" in us.hovertext[0]


def test_metric_bars_always_two_traces(con):
    df = q.region_values(con, F, metric=("signed_projects", "started_projects"))
    fig = charts.metric_bars(df, "项目数（个，全部年份）", ("signed_projects", "started_projects"), "个")
    assert [t.name for t in fig.data] == ["签约项目数", "开工项目数"]
    assert sum(fig.data[0].y) == 66 + 47 and list(fig.data[1].y) == [276]
    assert fig.layout.annotations[0].text == "个"  # the unit, written horizontally
    empty = charts.metric_bars(df.iloc[0:0], "t（个）", ("signed_projects", "started_projects"), "个")
    assert len(empty.data) == 2


def test_funds_bars(con):
    fig = charts.funds_bars(q.funds_rate(con, F), "签约金额与资金到位额（亿元，全部年份）")
    assert [t.name for t in fig.data] == ["签约金额", "资金到位额"]
    assert "到位率 23.5%" in fig.data[1].text[0]
    assert fig.layout.annotations[0].text == "亿元"


def test_dumbbell(con):
    df = q.durations(con, Filters(year=2023))  # the durations of 2023: two with both ends
    fig = charts.dumbbell(df, "各环节用时（天，2023年）")
    assert len(fig.data) == 3
    lines, before, after = fig.data
    assert [v for v in lines.x if v is not None] == [180.0, 90.0]  # only rows with both ends are joined
    assert sum(v is not None for v in before.x) == 2 and sum(v is not None for v in after.x) == 2
    assert any("缩短50%" in t for t in after.text)
    assert fig.layout.xaxis.type == "log" and "1天" in fig.layout.xaxis.ticktext  # units on the ticks, not an axis title


def test_heatmap_counts(con):
    fig = charts.mechanism_heatmap(q.mechanism_matrix(con, F), "招商机制证据数（条，全部年份）")
    hm = fig.data[0]
    assert sum(v for row in hm.z for v in row if v) == len(q.mechanisms(con, F))
    assert "专班推进" in hm.x
    top = max(v for row in hm.z for v in row if v)
    if top > 1:  # counts: a whole-number colour bar from 1
        assert hm.zmin == 1 and hm.zmax == top and all(float(t).is_integer() for t in hm.colorbar.tickvals)
    assert any("重庆日报" in h or "重庆晨报" in h for row in hm.hovertext for h in row)


def test_heatmap_of_single_sentences_shows_presence_with_a_legend():
    import pandas as pd

    df = pd.DataFrame([dict(region_id="1", region="甲市", province="甲", category="task_force", n=1, doc_title="t",
                            outlet="o", evidence="e", doc_ids=["d"], total=1, n_regions=1),
                       dict(region_id="2", region="乙市", province="乙", category="capital_fund", n=1, doc_title="t",
                            outlet="o", evidence="e", doc_ids=["d"], total=1, n_regions=1)])
    fig = charts.mechanism_heatmap(df, "招商机制（条，2023年）")
    hm = fig.data[0]
    assert hm.showscale is False  # no 0–1 colour scale for marks
    assert [t.name for t in fig.data[1:]] == ["有该类做法的证据（每格 1 条原句）"]
    df.loc[0, "n"] = 3
    fig = charts.mechanism_heatmap(df, "招商机制（条，2023年）")
    assert list(fig.data[0].colorbar.tickvals) == [1, 2, 3] and fig.data[0].zmin == 1


def test_china_map_is_local_and_offline(con):
    fig = charts.china_map(q.province_summary(con, F), q.region_points(con, F), "地区分布（亿元，全部年份）")
    # plotly.js fetches a CDN base map when the first geo trace has a locationmode
    first = fig.data[0]
    assert first.type == "scattergeo" and first.locations is None and first.locationmode is None
    assert fig.layout.geo.visible is False
    choro = [t for t in fig.data if t.type == "choropleth"]
    assert choro and all(isinstance(t.geojson, dict) for t in choro)
    assert set(choro[1].locations) == {"320000", "440000", "500000"}
    bubbles = next(t for t in fig.data if t.name == "地区")
    assert len(bubbles.lon) == 7
    # whole-number colour bar; a bubble-size legend of round amounts
    assert all(float(t).is_integer() for t in choro[1].colorbar.tickvals) and choro[1].zmin == 0
    refs = next(t for t in fig.data if t.name == "气泡大小" and t.mode == "markers+text")
    assert list(refs.marker.size) == sorted(refs.marker.size, reverse=True)  # the largest amount on top
    assert max(refs.marker.size) <= max(bubbles.marker.size) and all(float(t.replace(",", "")) for t in refs.text)
    assert any(t.text and "签约金额（亿元）" in t.text for t in fig.data)
    spec = json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    assert "http" not in spec.split('"geojson"')[0]


def test_geojson_is_small_and_has_every_province():
    gj = charts.china_geojson()
    assert (charts.GEO_DIR / "china_provinces.geojson").stat().st_size < 1_500_000
    ids = {f["id"] for f in gj["features"]}
    assert len(ids) == 34 and {"110000", "650000", "710000", "810000", "820000"} <= ids


def test_hover_truncates_and_escapes():
    h = charts.evidence_hover("标题", "某报", "<script>" + "长" * 200, "head")
    assert "<script>" not in h and "…" in h and "某报" in h


def test_labels_from_the_rules():
    assert vocab.metric_label("signed_amount") == "签约金额"
    assert vocab.chain_label("equipment") == "高端装备"
    assert vocab.category_label("task_force") == "专班推进"
    assert vocab.level_label("hitech") == "高新区"
    assert "1 美元 = " in vocab.fx_note(["USD"]) and "USD" not in vocab.fx_note() and "截至" in vocab.fx_note()
    assert vocab.fmt_days(5 / 1440) == "5分钟" and vocab.fmt_days(7) == "7天"


def test_empty_frames_build_figures():
    empty = pd.DataFrame(columns=["region_id", "region", "province", "value", "split", "yoy_pct"])
    assert charts.region_bar(empty, "t（亿元）", "亿元").data == ()
    assert charts.mechanism_heatmap(pd.DataFrame(columns=["category", "n"]), "t（条）").data == ()


def test_approval_dumbbell_labels_each_baseline_by_its_kind(con):
    df = q.approval_durations(con, F, "achieved")
    fig = charts.approval_dumbbell(df, "各环节实际用时")
    names = [t.name for t in fig.data]
    assert names[0] == "变化" and names[-1] == "现用时"
    assert {"改革前用时", "对比对象用时"} <= set(names) and "一般用时" not in names
    other = next(t for t in fig.data if t.name == "对比对象用时")
    assert list(other.x) == [360.0] and "对比：某某项目" in other.hovertext[0]
    now = fig.data[-1]
    assert any("较改革前缩短50%" in t for t in now.text)


def test_approval_dumbbell_names_what_it_compares_with(con):
    fig = charts.approval_dumbbell(q.approval_durations(con, F, "achieved"), "各环节实际用时")
    assert any(t.startswith("8.0个月（较某某项目缩短") for t in fig.data[-1].text)


def test_a_category_has_one_colour_in_every_view(con):
    import dataclasses

    from components import palette
    from components.filters import Filters

    def colours(f):
        df = q.region_values(con, f, metric=("signed_amount",), split="qualifier")
        fig = charts.split_bars(df, "签约金额（亿元，2023年）", "亿元", "口径", split="qualifier")
        return {t.name: t.marker.color for t in fig.data}

    a = colours(Filters())
    b = colours(dataclasses.replace(Filters(), provinces=("广东",)))
    shared = set(a) & set(b)
    assert shared and all(a[k] == b[k] for k in shared)  # the same 口径, the same colour, whatever else is drawn
    assert a["口径：未注明"] == palette.ACHIEVED
    assert palette.qualifier_color("亿元以上产业项目") != palette.ACHIEVED
    assert palette.metric_color("signed_amount") != palette.metric_color("funds_in_place")
    assert palette.chain_color("高端装备") == palette.chain_color("高端装备") != palette.chain_color("生物医药")
