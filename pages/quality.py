"""数据质量: how much of the data people have checked, what waits for review, the review decisions
whose fact no longer exists, and the extraction's own scores on the golden documents."""

import streamlit as st

from components import cache, layout, queries, vocab
from components import review_view as rv
from etl.pipeline import EXTRACTOR_VERSION

layout.page("数据质量", "人工审核进度、待审核的文档、失效的审核记录，以及抽取规则在金标准文档上的得分（衡量未经审核的数字有多可信）。")
by_status = cache.run(queries.review_counts, by="status")
n = dict(zip(by_status["key"], by_status["n"]))
cols = st.columns(len(rv.STATUS_LABELS) + 1)
cols[0].metric("事实总数（条）", f"{int(sum(n.values())):,}")
for col, (s, label) in zip(cols[1:], rv.STATUS_LABELS.items()):
    col.metric(f"{label}（条）", f"{int(n.get(s, 0)):,}")
st.caption("“已核实”与“已更正”计为经人工核实；已驳回的事实不计入任何图表与指标。各页侧栏的“仅显示已核实”只统计经人工核实的事实。"
           "本页统计每篇文档中的每条事实（同一事实由多篇文档报道时各计一次），不受侧栏筛选影响。")

st.subheader("按指标")
layout.table(rv.counts_table(cache.run(queries.review_counts, by="metric"), "指标", rv.metric_label),
             ["指标", "事实条数", "机器抽取", "已核实", "已更正", "已驳回"], title="审核进度_按指标")
st.subheader("按地区")
layout.table(rv.counts_table(cache.run(queries.review_counts, by="region"), "地区"),
             ["地区", "事实条数", "机器抽取", "已核实", "已更正", "已驳回"], title="审核进度_按地区", height=300)

st.subheader("待审核的文档")
waiting = cache.run(queries.documents_to_review)
if waiting.empty:
    st.success("所有文档的事实都已审核。")
else:
    layout.table(waiting.rename(columns={"n_machine": "待审核", "n_checked": "已核实", "n_rejected": "已驳回"}),
                 ["doc_title", "outlet", "date_published", "n_facts", "待审核", "已核实", "已驳回"], title="待审核的文档")

st.subheader("失效的审核记录")
orphans = cache.run(queries.review_orphans)
if orphans.empty:
    st.caption("没有失效的审核记录：每条审核记录都对应当前数据库中的一条事实。")
else:
    st.warning(f"{len(orphans)} 条审核记录对应的事实在当前数据库中已不存在（通常是文档或抽取规则变了）。"
               "记录仍保留在审核记录文件中，不会被删除；请在“人工审核”页重新审核对应文档。", icon=":material/warning:")
    layout.table(orphans.assign(status_label=orphans["review_status"].map(rv.status_label)).rename(
        columns={"status_label": "审核结果", "reviewed_by": "审核人", "reviewed_at": "审核时间", "reason": "原因"}),
        ["审核结果", "审核人", "审核时间", "summary", "evidence", "原因"], title="失效的审核记录")

st.subheader("抽取规则的自评得分")
st.caption("用随项目测试保存的金标准文档（人工逐条标注）评估当前规则：精确率 = 抽出的事实中正确的比例，召回率 = 应抽出的事实中抽到的比例。"
           "这些文档在编写规则时用过，陌生文档上的得分通常更低；未经审核的数字请结合原句判断。")
scores = rv.golden_scores(EXTRACTOR_VERSION)
if scores.empty:
    layout.empty_state("找不到金标准文档（tests/ 目录）。")
else:
    shown = scores.assign(kind=scores["kind"].map(vocab.KIND_LABELS))
    st.dataframe(shown[["set", "kind", "n_docs", "precision", "recall", "f1", "tp", "fp", "fn"]].rename(columns={
        "set": "文档集", "kind": "类型", "n_docs": "文档数", "precision": "精确率", "recall": "召回率", "f1": "F1",
        "tp": "正确", "fp": "多抽", "fn": "漏抽"}), hide_index=True, width="stretch")
