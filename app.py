"""招商引资区域对比看板 — entry point: page config and navigation only.

Run: streamlit run app.py   (ZSYZ_DB=path points at another database pointer)
"""

import streamlit as st

from components import auth

st.set_page_config(page_title="招商引资区域对比看板", layout="wide",  # no page_icon: an icon name makes the browser fetch it from a CDN
                   initial_sidebar_state="auto")  # auto: collapsed on a phone, open on a desktop

PAGES = [
    st.Page("pages/overview.py", title="总览", default=True),
    st.Page("pages/signed.py", title="签约金额"),
    st.Page("pages/projects.py", title="项目数量"),
    st.Page("pages/approval.py", title="审批提速"),
    st.Page("pages/mechanisms.py", title="招商机制"),
    st.Page("pages/provenance.py", title="数据溯源"),
    st.Page("pages/region.py", title="区域画像"),
    st.Page("pages/briefing.py", title="简报导出"),
]

PAGES.append(st.Page("pages/quality.py", title="数据质量", url_path="quality"))
# admin pages are in the menu for administrators only; for anyone else their URL shows a refusal
_ADMIN = "visible" if auth.is_admin() else "hidden"
PAGES.append(st.Page("pages/upload.py", title="导入文档", url_path="upload", visibility=_ADMIN))
PAGES.append(st.Page("pages/review.py", title="人工审核", url_path="review", visibility=_ADMIN))

st.navigation(PAGES).run()
