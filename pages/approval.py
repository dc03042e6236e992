"""审批提速: durations before/after (dumbbell) with % reduction, by stage and region."""

import streamlit as st

from components import cache, charts, layout, queries, vocab

ALL = "全部环节"

f = layout.page("审批提速", "项目从一个环节到另一个环节的用时：改革前（○）与现在（●），以及缩短比例。", url_keys=("stage",))
period = vocab.period_label(f.year, f.span)
stages = cache.run(queries.duration_stages, f)
stage = layout.url_choice(st.selectbox, "环节", [ALL, *stages], key="approval_stage", param="stage", default=ALL)
df = cache.run(queries.durations, f, stage=None if stage == ALL else stage)
if df.empty:
    layout.empty_state("当前筛选条件下没有审批或落地用时。")
else:
    layout.plot(charts.dumbbell(df, f"各环节用时（天，对数坐标，{period}）"), rows=df, unit="天",
                note="只有现用时或只有改革前用时的记录只画一个点；缩短比例 = 1 − 现用时 ÷ 改革前用时")
    df = df.assign(days_text=df["days"].map(vocab.fmt_days), baseline_text=df["baseline_days"].map(vocab.fmt_days))
    layout.table(df, ["region", "stage", "baseline_text", "days_text", "reduction_pct", "when", "evidence", "outlet",
                      "date_published"], title="审批用时")
