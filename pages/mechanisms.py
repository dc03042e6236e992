"""招商机制: region × category heatmap of evidence counts; sentences of a chosen category."""

import streamlit as st

from components import cache, charts, layout, queries, vocab

f = layout.page("招商机制", "各地区采用的招商做法（按类别统计证据句数量），可查看每类做法的原文。",
                url_keys=("category", "mregion"))
period = vocab.period_label(f.year, f.span)
TOP = 40
df = cache.run(queries.mechanism_matrix, f, top=TOP)
if df.empty:
    layout.empty_state("当前筛选条件下没有招商机制的证据。")
else:
    cut = int(df["n_regions"].iloc[0]) > TOP
    layout.plot(charts.mechanism_heatmap(df, f"招商机制证据数（条，{period}）"), rows=df, unit="条",
                note="每格为该地区该类做法的证据句数；两篇文档报道的同一句只计一次"
                + (f"；仅显示证据最多的 {TOP} 个地区（共 {int(df['n_regions'].iloc[0])} 个），可用侧栏筛选" if cut else ""))
    cats = [c for c in vocab.category_labels() if c in set(df["category"])]
    c1, c2 = st.columns(2)
    with c1:
        cat = layout.url_choice(st.selectbox, "机制类别", cats, key="mech_category", param="category", default=cats[0],
                                format_func=vocab.category_label)
    regions = df[df["category"] == cat].drop_duplicates("region_id")
    names = dict(zip(regions["region_id"], regions["region"]))
    with c2:
        rid = layout.url_choice(st.selectbox, "地区（可选）", ["", *names], key="mech_region", param="mregion", default="",
                                format_func=lambda r: names.get(r, "全部地区"))
    st.markdown(f"**{vocab.category_label(cat)}**：{vocab.category_descriptions().get(cat, '')}")
    sel = cache.run(queries.mechanisms, f, category=cat, region_id=rid or None)
    layout.table(sel, ["region", "name", "evidence", "outlet", "date_published", "n_sources"], title="招商机制原句")
    with st.expander("全部机制类别说明"):
        st.dataframe({"类别": list(vocab.category_labels().values()),
                      "说明": list(vocab.category_descriptions().values())}, hide_index=True, width="stretch")
