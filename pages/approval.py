"""审批提速: achieved durations by mapped stage (dumbbell: baseline ○ labelled by its kind, now ●,
% reduction); commitments and stages that map to no stage listed apart, never charted."""

import streamlit as st

from components import cache, charts, layout, queries, vocab

ALL = "全部环节"

f = layout.page("审批提速", "项目从一个环节到另一个环节的实际用时（●）与对比基准（○：改革前、一般情况或文中对比的项目），"
                "以及缩短比例。只按统一的环节归类比较；承诺时限与未归类的环节单独列出，不进图表。", url_keys=("stage",))
period = vocab.period_label(f.year, f.span)
stages = cache.run(queries.approval_stage_groups, f)
stage = layout.url_choice(st.selectbox, "环节", [ALL, *stages], key="approval_stage", param="stage", default=ALL)
df = cache.run(queries.approval_durations, f, "achieved", stage_group=None if stage == ALL else stage)
if df.empty:
    layout.empty_state("当前筛选条件下没有可按统一环节比较的审批或落地用时。")
else:
    layout.plot(charts.approval_dumbbell(df, f"各环节实际用时（天，对数坐标，{period}）"), rows=df, unit="天",
                note="○ 为对比基准：改革前＝本地区此前用时，一般＝通常情况下的用时，对比：某某＝文中比较的其他项目或地区；"
                     "缩短比例 = 1 − 现用时 ÷ 对比基准")
    df = df.assign(days_text=df["days"].map(vocab.fmt_days), baseline_text=df["baseline_days"].map(vocab.fmt_days))
    layout.table(df, ["region", "stage_group", "stage_written", "baseline_label", "baseline_text", "days_text", "reduction_pct",
                      "when", "evidence", "outlet", "date_published"], title="审批用时（实绩）", key="approval_achieved")

st.subheader("承诺时限（目标，不与实绩比较）")
promised = cache.run(queries.approval_durations, f, "commitment")
if promised.empty:
    layout.empty_state("当前筛选条件下没有承诺时限。")
else:
    promised = promised.assign(days_text=promised["days"].map(vocab.fmt_days))
    layout.table(promised, ["region", "stage_group", "stage_written", "days_text", "when", "evidence", "outlet",
                             "date_published"],
                 title="承诺时限", key="approval_commitments")

st.subheader("未归类环节（按原文列出，不进图表）")
unmapped = cache.run(queries.approval_durations, f, "unmapped")
if unmapped.empty:
    layout.empty_state("当前筛选条件下没有未归类的环节。")
else:
    unmapped = unmapped.assign(days_text=unmapped["days"].map(vocab.fmt_days),
                               baseline_text=unmapped["baseline_days"].map(vocab.fmt_days))
    layout.table(unmapped, ["region", "stage_written", "baseline_label", "baseline_text", "days_text", "evidence", "outlet",
                            "date_published"], title="未归类环节用时", key="approval_unmapped")
