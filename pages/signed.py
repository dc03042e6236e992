"""签约金额: regions ranked by signed amount (亿元), split by qualifier or chain; targets apart."""

import streamlit as st

from components import cache, charts, layout, queries, vocab

SPLITS = {"qualifier": "口径", "industry_chain": "产业链"}
NOTE = ("只比较同一时段、同一层级的地区；同一地区同一口径的多项报告取最大一项；各口径（如“亿元以上项目”是总额的一部分）"
        "并列显示、不相加")

f = layout.page("签约金额", "各地区签约（协议、合同）投资金额，单位亿元；外币按固定汇率折算。", url_keys=("split",))
period = vocab.period_label(f.year, f.span)
split = layout.url_choice(st.radio, "分项", list(SPLITS), key="signed_split", param="split", default="qualifier",
                          format_func=SPLITS.get, horizontal=True)
like = layout.like_text(f)
df = cache.run(queries.region_values, f, metric=("signed_amount",), split=split, targets="exclude")
if df.empty:
    layout.empty_state(f"当前筛选条件下没有{like}的已完成签约金额。")
else:
    layout.plot(charts.split_bars(df, f"各地区签约金额（亿元，{like}，按{SPLITS[split]}）", "亿元", SPLITS[split],
                                  split=split),
                rows=df, note=NOTE, unit="亿元")
    currencies = sorted({c for c in df["currency"].dropna() if c != "CNY"})
    st.caption(vocab.fx_note(currencies or None))
    layout.evidence_expander(df, extra=["split", "value", "period", "yoy_pct"])
layout.like_context(f, ("signed_amount",), df, "signed")

st.subheader("目标值")
if not f.include_targets:
    st.caption("目标、计划类签约金额单独列示，从不与实绩相加；在侧栏打开“包含目标值”即可查看。")
else:
    tg = cache.run(queries.region_values, f, metric=("signed_amount",), targets="only", like_period=False)
    if tg.empty:
        layout.empty_state("当前筛选条件下没有签约目标值。")
    else:
        layout.plot(charts.region_bar(tg, f"签约目标（亿元，{period}，不计入实绩）", "亿元",
                                      color=charts.TARGET, name="目标"), rows=tg, note="目标值单独显示，不与实绩相加",
                    unit="亿元")

st.subheader("全部签约金额数字")
rows = cache.run(queries.figures_table, f, metric=("signed_amount",))
if rows.empty:
    layout.empty_state()
else:
    layout.table(rows, ["region", "value", "unit", "value_cny", "period", "yoy_pct", "qualifier", "is_target",
                        "evidence", "outlet", "date_published"], title="签约金额数字")
