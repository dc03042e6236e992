"""导入文档 (administrators only): upload documents, review the facts found in each, commit
them into a new database version that every page reads on its next run."""

import streamlit as st

from components import auth, db, layout
from components import upload_view as uv
from etl import uploads
from etl.checks import CheckFailed
from etl.limits import MB, fmt_mb, limits
from etl.store import LockError, NotAPointer

layout._ensure_navigation()
auth.require_admin()
auth.logout_button()
lim = limits()
ss = st.session_state
st.title("导入文档")
st.caption(f"支持 .txt（任意编码）、.docx、.pdf、.html；每个文件不超过 {fmt_mb(lim.max_file_bytes)}，"
           f"每批最多 {lim.max_files} 个文件。先检查每个文件提取出的事实，确认后提交：原文件按内容指纹保存，"
           "数据库写入新版本，各页面随即可见。")
if ss.get("upload_done"):
    kind, msg = ss.pop("upload_done")
    (st.success if kind == "ok" else st.info)(msg)

gen = ss.setdefault("upload_gen", 0)
files = st.file_uploader("选择文档（可多选）", accept_multiple_files=True, key=f"upload_files_{gen}",
                         max_upload_size=lim.max_file_bytes // MB + 1) or []  # the browser stops far larger files
if not files:
    st.stop()
# files are read only once they pass the batch limit and the per-file checks
sig = tuple((f.file_id, f.name, f.size) for f in files)
if ss.get("upload_sig") != sig:
    bar = st.progress(0.0, text="正在检查文件…")
    ss["upload_previews"] = uploads.preview(
        [(f.name, f) for f in files], db.db_path(), lim,
        on_progress=lambda i, n, name: bar.progress(i / max(n, 1), text=f"正在提取 {i + 1}/{n}：{name}" if i < n else "完成"))
    ss["upload_sig"] = sig
    bar.empty()
previews: list[uploads.Preview] = ss["upload_previews"]

uv.show_previews(previews)
good = [(p, f) for p, f in zip(previews, files) if p.ok]
new = [x for x in good if not x[0].known]
if not good:
    st.warning("没有可导入的文件。")
    st.stop()
label = f"提交导入（{len(good)} 个文件）" if new else "提交（内容均已导入过，不会有变化）"
if st.button(label, type="primary", key="upload_commit"):
    with st.spinner("正在写入新的数据库版本…"):
        try:
            stored, res = uploads.commit([(p.name, f.getvalue()) for p, f in good], db.db_path())
        except CheckFailed as e:
            st.error(f"数据检查未通过，数据库未更新：{e}")
            st.stop()
        except LockError:
            st.error("数据库写锁被一次已中断的导入遗留的进程占用，数据库未更新。请管理员结束这些进程后重试。")
            st.stop()
        except NotAPointer:
            st.error("配置的数据库路径不是本工具的版本指针，为免覆盖已有文件，未写入。请检查 ZSYZ_DB。")
            st.stop()
    ss["upload_done"] = uv.commit_message(res)
    ss["upload_gen"] = gen + 1  # a fresh uploader
    ss.pop("upload_sig", None)
    st.rerun()
