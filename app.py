"""招商引资区域对比看板 — entry point."""

import streamlit as st

from components import db, queries

st.set_page_config(page_title="招商引资区域对比看板", layout="wide")


@st.cache_resource(show_spinner=False)
def _connection(version: str):
    return db.open_version(version)


st.title("招商引资区域对比看板")
version = db.current_version()
if version is None:
    st.info("暂无数据：请先运行 `python -m etl ingest data/raw`。")
    st.stop()
con = _connection(version)
docs = queries.documents_loaded(con)
st.subheader("已载入文档")
st.dataframe(docs, hide_index=True, width="stretch")
