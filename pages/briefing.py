"""简报导出: one click builds the 简报 (Word in 公文 form, PDF, PowerPoint) from the current filters."""

import streamlit as st

from components import briefing, briefing_view, cache, layout, queries

f = layout.page("简报导出", "按侧栏筛选生成简报（Word 公文格式、PDF 与 PowerPoint）：关键数字及其来源、图表、审批提速与招商机制表格、"
                "口径说明；可与上次简报比较，列出新变化。")
if not cache.run(queries.kpis, f).set_index("key").loc["n_facts", "value"]:
    layout.empty_state("当前筛选条件下没有事实，请放宽侧栏筛选。")
    st.stop()
keys = st.multiselect("图表", list(briefing.CHARTS), default=list(briefing.DEFAULT_CHARTS),
                      format_func=briefing.CHARTS.get, key="brief_charts")
periods = [None] if f.year is None else [None, *(f"{f.year}Q{q}" for q in range(1, 5)), f"{f.year}H1", f"{f.year}H2"]
default = f"{f.year}{f.span}" if f.year and f"{f.year}{f.span}" in periods else None
period = st.selectbox("关键数字时段", periods, index=periods.index(default), key="brief_period",
                      format_func=lambda p: briefing.parse_period(p).label if p else
                      (f"{f.year}年（全年各时段）" if f.year else "全部年份"),
                      help="只列出报告时段在所选范围内的数字；图表与表格按侧栏的年份筛选。")
masthead = briefing_view.masthead_form()
since = briefing_view.since_form()
layout.briefing_panel(f, keys, period, masthead, since)
