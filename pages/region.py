"""区域画像: one region, everything known about it: figures, durations, mechanisms, sources."""

import dataclasses

import streamlit as st

from components import cache, layout, queries, vocab

f = layout.page("区域画像", "选择一个地区，查看其全部数字、审批用时、招商做法与来源文档（不受年份、产业链筛选限制）。",
                url_keys=("profile",))
choices = cache.run(queries.region_choices, f)
if choices.empty:
    layout.empty_state("当前省份、层级筛选下没有地区。")
    st.stop()
ids = list(choices["region_id"])
labels = {r.region_id: f"{r.region}（{r.province or '—'}·{vocab.level_label(r.region_level)}·{r.n_facts}条）"
          for r in choices.itertuples()}
default = next((r for r in f.regions if r in ids), ids[0])
rid = layout.url_choice(st.selectbox, "地区", ids, key="profile_region", param="profile", default=default,
                        format_func=labels.get)
info = cache.run(queries.region_info, rid).iloc[0]
st.caption(f"{info['name']} · {vocab.level_label(info['level'])} · {info['province'] or ''}"
           + (f" · 上级：{info['parent_name']}" if info["parent_name"] else ""))
rf = dataclasses.replace(f, regions=(rid,), year=None, chains=())
layout.export_filters(rf)

st.subheader("数字")
figs = cache.run(queries.figures_table, rf)
if figs.empty:
    layout.empty_state("没有数字类事实" + ("" if f.include_targets else "（目标值已隐藏，可在侧栏开启）") + "。")
else:
    figs = figs.assign(metric_label=figs["metric"].map(vocab.metric_label))
    layout.table(figs, ["metric_label", "value", "unit", "value_cny", "period", "yoy_pct", "qualifier",
                        "is_target", "evidence", "outlet"])
st.subheader("审批与落地用时")
durs = cache.run(queries.durations, rf)
if durs.empty:
    layout.empty_state()
else:
    durs = durs.assign(days_text=durs["days"].map(vocab.fmt_days), baseline_text=durs["baseline_days"].map(vocab.fmt_days))
    layout.table(durs, ["stage", "baseline_text", "days_text", "reduction_pct", "when", "evidence", "outlet"])
st.subheader("招商机制")
mechs = cache.run(queries.mechanisms, rf)
if mechs.empty:
    layout.empty_state()
else:
    layout.table(mechs, ["category_label", "name", "evidence", "outlet", "n_sources"])
st.subheader("来源文档")
docs = cache.run(queries.documents_overview, rf)
if docs.empty:
    layout.empty_state()
else:
    layout.table(docs, ["doc_title", "outlet", "date_published", "n_facts"])
