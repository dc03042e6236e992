"""人工审核 (administrators only): a queue of facts filtered by document, region, metric and status;
each fact beside its sentence; one click to verify or reject; a form to correct it. Decisions go
to the review log beside the database and into a new version at once."""

import streamlit as st

from components import auth, cache, db, layout, queries
from components import review_view as rv

PAGE_SIZE = 50
ALL = ""

layout._ensure_navigation()
auth.require_admin("人工审核")
auth.logout_button()
ss = st.session_state
st.title("人工审核")
st.caption("逐条核实机器读出的事实：核实（快捷键 V）、驳回（快捷键 X）或更正。审核结果另存于数据库之外的审核记录，"
           "每次重新导入都会重新套用；已驳回的事实不计入任何图表，更正后的数值取代机器读数。")
if db.current_version() is None:
    layout.empty_state("尚未载入数据库。")
    st.stop()
if ss.get("review_done"):
    kind, msg = ss.pop("review_done")
    (st.success if kind == "ok" else st.error)(msg)

by = st.text_input("审核人", value=ss.get("review_by") or auth.admin_email() or "", key="review_by_input",
                   placeholder="填写姓名，记入每条审核记录", max_chars=80)
ss["review_by"] = by
# a click names the fact it was shown beside (a callback's args), whatever the queue shows now
pending = ss.pop("rq_pending", None)
if pending:
    done = cache.run(queries.review_fact, pending[0])
    if not done.empty:
        rv.decide(next(done.itertuples()), pending[1], by, shown_at=ss.get("rq_seen", {}).get(pending[0]))

opts = cache.run(queries.review_options)
docs = dict(zip(opts["docs"]["doc_id"], opts["docs"]["doc_title"]))
regions = {r.region_id: f"{r.region}（{r.province or '—'}）" for r in opts["regions"].itertuples()}
c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
doc_id = c1.selectbox("文档", [ALL, *docs], format_func=lambda d: docs.get(d, "全部文档"), key="rq_doc")
region_id = c2.selectbox("地区", [ALL, *regions], format_func=lambda r: regions.get(r, "全部地区"), key="rq_region")
metric = c3.selectbox("指标", [ALL, *opts["metrics"]], format_func=lambda m: rv.metric_label(m) if m else "全部指标",
                      key="rq_metric")
status = c4.selectbox("状态", [ALL, *rv.STATUS_LABELS], index=1, key="rq_status",
                      format_func=lambda s: rv.status_label(s) if s else "全部状态")
q = st.text_input("原句关键词", key="rq_q", placeholder="例如：签约、专班")
page_no = int(ss.get("rq_page", 1))
queue = cache.run(queries.review_queue, doc_id=doc_id or None, region_id=region_id or None, metric=metric or None,
                  status=status or None, q=q, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
total = int(queue["n_total"].iloc[0]) if len(queue) else 0
if queue.empty:
    if page_no > 1:  # the filters changed under a later page
        ss["rq_page"] = 1
        st.rerun()
    layout.empty_state("没有符合条件的事实。")
    st.stop()
pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
st.caption(f"共 {total} 条，每页 {PAGE_SIZE} 条。")
if pages > 1:
    st.number_input("页码", min_value=1, max_value=pages, step=1, key="rq_page")

shown = queue.assign(status_label=queue["review_status"].map(rv.status_label))
st.dataframe(shown[["status_label", "region", "summary", "period", "evidence", "doc_title"]].rename(columns={
    "status_label": "状态", "region": "地区", "summary": "事实", "period": "时段", "evidence": "原句", "doc_title": "文档"}),
    hide_index=True, width="stretch", height=260)
labels = {r.fact_key: f"{rv.status_label(r.review_status)}｜{r.region or '—'}｜{r.summary}｜{r.evidence[:24]}"
          for r in queue.itertuples()}
key = st.selectbox("当前事实", list(labels), format_func=labels.get, key="rq_fact")
fact = cache.run(queries.review_fact, key)
if fact.empty:
    st.stop()
r = next(fact.itertuples())
shown_at = rv.seen(key)  # when this fact was last shown here: newer decisions by others are not overwritten
rv.fact_panel(r)

def _click(fact_key: str, status: str) -> None:
    ss["rq_pending"] = (fact_key, status)


with st.container(horizontal=True, gap="small"):
    st.button("核实", type="primary", icon=":material/verified:", shortcut="V", key="rq_verify",
              disabled=r.review_status == "verified", on_click=_click, args=(r.fact_key, "verified"))
    st.button("驳回", icon=":material/block:", shortcut="X", key="rq_reject", disabled=r.review_status == "rejected",
              on_click=_click, args=(r.fact_key, "rejected"))
    st.button("恢复为机器抽取", icon=":material/undo:", key="rq_reset", disabled=r.review_status == "machine",
              on_click=_click, args=(r.fact_key, "machine"))
fields = rv.correction_form(r, cache.run(queries.gazetteer_regions))
if fields is not None:
    rv.decide(r, "corrected", by, fields, shown_at=shown_at)
