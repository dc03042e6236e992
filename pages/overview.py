"""总览: KPI cards, top regions, map of China (local GeoJSON), latest facts."""

import streamlit as st

from components import cache, charts, layout, queries, vocab

NOTE = ("只计已完成的实绩，不含目标值；只比较同一时段、同一层级的地区；同一地区的多项报告（总额与其子口径）取最大一项；"
        "下级地区的数字含在上级之中，不相加")

f = layout.page("总览", "各地区招商引资关键数字、分布与最新事实；每个数字都可追溯到原文句子。")
period = vocab.period_label(f.year, f.span)
kpis = cache.run(queries.kpis, f)
if not kpis.set_index("key").loc["n_facts", "value"]:
    layout.empty_state("当前筛选条件下没有事实，请放宽侧栏筛选。")
else:
    layout.kpi_cards(kpis[kpis["key"] != "n_facts"], f)
    like = layout.like_text(f)
    left, right = st.columns([2, 3])
    with left:
        top = cache.run(queries.top_regions, f, metric="signed_amount", n=10)
        if top.empty:
            layout.empty_state(f"当前筛选条件下没有{like}的签约金额。")
        else:
            layout.plot(charts.region_bar(top, f"签约金额前十地区（亿元，{like}）", "亿元"), rows=top, note=NOTE,
                        unit="亿元")
            layout.evidence_expander(top)
        layout.like_context(f, ("signed_amount",), top, "ov")
    with right:
        provinces = cache.run(queries.province_summary, f)
        points = cache.run(queries.region_points, f)
        layout.plot(charts.china_map(provinces, points, f"地区分布（省份着色：事实条数，{period}；气泡：签约金额 亿元，{vocab.cmp_label(f.cmp) if f.cmp else vocab.NO_LIKE_DATA}）"),
                    rows=points, note="开发区、新区等无坐标的地区画在其上级行政区的位置；上下级地区的数字可能相互包含")
    st.subheader("最新事实")
    latest = cache.run(queries.latest_facts, f, limit=20)
    layout.table(latest, ["region", "summary", "period", "evidence", "outlet", "date_published", "n_sources"],
                 title="最新事实", all_rows=lambda: cache.run(queries.latest_facts, f, limit=queries.MAX_ROWS))
    layout.source_line(latest, "按事实所属年份、时段和发布日期排序；两篇文档报道的同一事实只列一次")
