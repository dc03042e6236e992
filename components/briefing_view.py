"""The 简报导出 page's panel: 版头 settings, the 新变化 comparison, one build button, downloads of the
pack kept in the session (a download never rebuilds it)."""

from __future__ import annotations

import os
from datetime import date

import streamlit as st

from components import briefing, cache, db, export, vocab
from components.filters import Filters

_BRIEF = "_brief"  # the last built pack (bytes)
NO_SINCE, BY_DATE, BY_VERSION = "不比较", "与某一日期比较", "与此前的数据版本比较"


def masthead_form() -> briefing.Masthead:
    """版头 and 版记 fields (defaults of briefing.Masthead)."""
    d = briefing.Masthead()
    with st.expander("版头与版记（简报名称、期号、编发单位、报送、抄送）"):
        c1, c2 = st.columns([2, 1])
        name = c1.text_input("简报名称", d.name, key="brief_name")
        issue = c2.text_input("期号", d.issue, key="brief_issue")
        c1, c2 = st.columns([2, 1])
        editor = c1.text_input("编发单位", d.editor, key="brief_editor")
        day = c2.date_input("印发日期", export.now_beijing().date(), key="brief_date", format="YYYY-MM-DD")
        send_to = st.text_input("报送", d.send_to, key="brief_send_to")
        copy_to = st.text_input("抄送", d.copy_to, key="brief_copy_to")
    return briefing.Masthead(name.strip() or d.name, issue.strip(), editor.strip(), day, send_to.strip(),
                             copy_to.strip())


def since_form() -> briefing.Since | None:
    """新变化: compare with a date (documents published by then) or a kept earlier data version."""
    how = st.radio("新变化（自上次简报以来）", [NO_SINCE, BY_DATE, BY_VERSION], horizontal=True, key="brief_since_how",
                   help="简报增加“新变化”一节：新增的事实、数值发生变化的数字、签约金额排名的变化，各注明来源。")
    if how == BY_DATE:
        day = st.date_input("上次简报的日期（以文档发布日期为准）", date(export.now_beijing().year, 1, 1),
                            key="brief_since_day", format="YYYY-MM-DD")
        return briefing.Since(day=day)
    if how == BY_VERSION:
        cur = db.current_version()
        older = [(v, built) for v, built in db.versions() if os.path.realpath(v) != cur]
        if not older:
            st.caption("没有更早的数据版本（只保留最近 3 个），请改为与日期比较。")
            return None
        v = st.selectbox("此前的数据版本", [v for v, _ in older], key="brief_since_version",
                         format_func=lambda v: f"{os.path.basename(v)}（{dict(older)[v].replace('T', ' ')[:16]} 载入）")
        return briefing.Since(version=os.path.realpath(v))
    return None


def panel(f: Filters, chart_keys: list[str], period: str | None, masthead: briefing.Masthead,
          since: briefing.Since | None, labels: dict) -> None:
    """Build button for the pack (DOCX, PDF, PPTX); the bytes stay in the session."""
    version = db.current_version()
    p = briefing.parse_period(period)
    ctx = (version, f, tuple(chart_keys), p, masthead, since)
    ss = st.session_state
    pdf_reason = export.pdf_unavailable_reason()
    if st.button("生成简报", type="primary", icon=":material/description:", key="brief_build"):
        with st.spinner("正在生成简报…"):
            con = cache.connection(version).cursor()
            old = briefing.open_since(since, version) if since else None
            try:
                b = briefing.collect(con, f, p, chart_keys, region_labels=labels, version=os.path.basename(version),
                                     masthead=masthead, since=old)
            finally:
                con.close()
                if old:
                    old[0].close()
            docx = briefing.to_docx(b)
            pdf, pdf_error = None, pdf_reason
            if not pdf_reason:
                try:
                    pdf = export.docx_to_pdf(docx)
                except export.ExportUnavailable as e:
                    pdf_error = str(e)
            per = p.label if p.year else vocab.period_label(f.year, f.span)
            ss[_BRIEF] = dict(ctx=ctx, title=b.title, n_figures=len(b.key_figures), n_charts=len(b.charts),
                              n_changes=None if b.changes is None else len(b.changes),
                              error=b.chart_error, pdf_error=pdf_error, docx=docx, pdf=pdf, pptx=briefing.to_pptx(b),
                              stem=f"{export.file_stem(b.masthead.name)}_{per}")
    got = ss.get(_BRIEF)
    if not got:
        st.caption("点击“生成简报”，按当前筛选生成后即可下载。")
        return
    if got["ctx"] != ctx:
        st.warning("筛选或选项已变化，下方是上一次生成的简报；请重新生成。", icon=":material/update:")
    if got["error"]:
        st.error(got["error"], icon=":material/error:")
    changes = "" if got["n_changes"] is None else f"，{got['n_changes']} 条新变化"
    st.success(f"{got['title']}：{got['n_figures']} 条关键数字，{got['n_charts']} 张图表{changes}。")
    with st.container(horizontal=True):
        st.download_button("下载 Word（DOCX）", got["docx"], file_name=f"{got['stem']}.docx", mime=export.MIME["docx"],
                           on_click="ignore", icon=":material/download:", key="brief_docx")
        if got["pdf"] is not None:
            st.download_button("下载 PDF", got["pdf"], file_name=f"{got['stem']}.pdf", mime="application/pdf",
                               on_click="ignore", icon=":material/download:", key="brief_pdf")
        st.download_button("下载 PowerPoint（PPTX）", got["pptx"], file_name=f"{got['stem']}.pptx",
                           mime=export.MIME["pptx"], on_click="ignore", icon=":material/download:", key="brief_pptx")
    if got["pdf_error"]:
        st.caption(f":material/warning: {got['pdf_error']}")
