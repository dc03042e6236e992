"""数据溯源: documents, evidence search, a fact's sentence highlighted in each of its sources."""

import streamlit as st

from components import cache, layout, queries
from components import review_view as rv

f = layout.page("数据溯源", "每条事实都来自文档中的一句原文：按关键词检索，并查看原句在文中的上下文。", url_keys=("q", "fact"))
st.subheader("文档")
docs = cache.run(queries.documents_overview, f)
if docs.empty:
    layout.empty_state("当前筛选条件下没有文档。")
else:
    layout.table(docs, ["doc_title", "outlet", "date_published", "n_facts", "n_figures", "n_durations",
                        "n_mechanisms", "regions"])

st.subheader("检索原句")
q = layout.url_choice(st.text_input, "关键词", key="prov_q", param="q", default="", placeholder="例如：专班、签约、赛马")
hits = cache.run(queries.search_evidence, f, q=q, limit=100)
if hits.empty:
    layout.empty_state("没有包含该关键词的原句。")
else:
    hits = hits.assign(review_label=hits["review_status"].map(rv.status_label))
    layout.table(hits, ["region", "summary", "review_label", "evidence", "sources", "n_sources", "date_published"], height=300,
                 title="检索原句", all_rows=lambda: cache.run(queries.search_evidence, f, q=q, limit=queries.MAX_ROWS))
    labels = {r.cluster_id: f"{r.region or '—'}｜{r.summary}｜{r.evidence[:30]}" for r in hits.itertuples()}
    cid = layout.url_choice(st.selectbox, "查看原文上下文", list(labels), key="prov_fact", param="fact",
                            default=next(iter(labels)), format_func=labels.get)
    sources = cache.run(queries.fact_sources, cid)
    st.caption(f"该事实由 {len(sources)} 篇文档报道（合并为一条）。" if len(sources) > 1 else "该事实由 1 篇文档报道。")
    rv.review_notes(cache.run(queries.cluster_reviews, cid))
    for row in sources.itertuples():
        layout.context_block(row)
