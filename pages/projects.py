"""项目数量: signed vs started projects by region; funds in place and 到位率 where comparable."""

import streamlit as st

from components import cache, charts, layout, queries

METRICS = ("signed_projects", "started_projects")

f = layout.page("项目数量", "签约与开工项目个数，以及同一地区同一时段的资金到位情况。")
like = layout.like_text(f)
counts = cache.run(queries.region_values, f, metric=METRICS, targets="exclude")
if counts.empty:
    layout.empty_state(f"当前筛选条件下没有{like}的签约或开工项目数。")
else:
    layout.plot(charts.metric_bars(counts, f"签约与开工项目数（个，{like}）", METRICS, "个"), rows=counts,
                note="只计实绩；只比较同一时段、同一层级的地区；同一地区的多项报告取最大一项", unit="个")
    layout.evidence_expander(counts, extra=["metric", "value", "period"])
layout.like_context(f, METRICS, counts, "projects")

st.subheader("资金到位率")
st.caption("到位率 = 资金到位额 ÷ 签约金额，只在同一地区、同一时段两项数字都有报告时计算。")
rate = cache.run(queries.funds_rate, f)
if rate.empty:
    layout.empty_state("当前筛选条件下没有同一地区同一时段的签约金额与资金到位额。")
else:
    layout.plot(charts.funds_bars(rate, f"签约金额与资金到位额（亿元，{like}）"), rows=rate,
                note="同一时段内取各项最大一项报告值", unit="亿元")
    layout.table(rate, ["region", "period", "signed_amount", "funds_in_place", "rate_pct", "qualifier",
                        "signed_evidence", "funds_evidence"], title="资金到位率")
