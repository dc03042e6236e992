"""The import page's review: Chinese reasons for refused files, fact tables per file, the
commit message. Uploaded names, titles and evidence are untrusted: they are shown in tables
or escaped (`literal`), never as markdown or HTML."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from components import vocab
from components.safe_text import literal

# English reasons (etl.readers / etl.uploads) -> Chinese; first matching prefix wins
REASONS = [
    ("empty file", "空文件"),
    ("no text in document", "文档中没有文字"),
    ("binary file", "二进制文件，不是文本"),
    ("undecodable text", "无法识别文字编码（不是 UTF-8、GB18030 或 Big5）"),
    ("unsupported file type", "不支持的文件类型（只接受 .txt、.docx、.pdf、.html）"),
    ("file too large", "文件过大"),
    ("too many files", "一次上传的文件过多"),
    ("not a valid .docx (zip bomb", "不是有效的 .docx：解压后体积异常（疑似压缩炸弹）"),
    ("not a valid .docx (legacy", "不是有效的 .docx：旧版 .doc 文件，请另存为 .docx"),
    ("not a valid .docx (truncated", "不是有效的 .docx：文件不完整或已损坏"),
    ("not a valid .docx", "不是有效的 .docx 文件"),
    ("not a valid PDF (no %PDF", "不是有效的 PDF 文件（缺少 PDF 文件头）"),
    ("not a valid PDF", "不是有效的 PDF 文件（无法解析）"),
    ("PDF has no pages", "PDF 没有页面"),
    ("PDF has too many pages", "PDF 页数过多"),
    ("PDF has no text layer", "PDF 没有文字层（可能是扫描件）"),
    ("PDF is encrypted", "PDF 已加密"),
    ("extraction timed out", "提取超时"),
    ("extraction failed", "提取失败"),
]
_DETAIL = re.compile(r"\(([^()]*(?:limit|MB|KB)[^()]*)\)")


def reason_zh(reason: str) -> str:
    """A Chinese message for a refusal reason; limits in the reason are kept (e.g. '（限 20 MB）')."""
    for prefix, zh in REASONS:
        if reason.startswith(prefix):
            m = _DETAIL.search(reason)
            if m and prefix in ("file too large", "too many files", "PDF has too many pages",
                                "extraction timed out", "not a valid .docx (zip bomb"):
                detail = m.group(1).replace("limit", "上限")
                return f"{zh}（{detail}）"
            return zh
    return reason


def _what(f: dict) -> str:
    if f["kind"] == "figure":
        s = f"{vocab.metric_label(f.get('metric'))} {vocab.fmt_num(f.get('value'))}{f.get('unit') or ''}"
        if f.get("currency") and f["currency"] != "CNY":
            s += f"（{f['currency']}）"
        return s + ("（目标）" if f.get("is_target") else "")
    if f["kind"] == "duration":
        stage = "→".join(x for x in (f.get("from_stage"), f.get("to_stage")) if x) or "—"
        now = vocab.fmt_days(f.get("days")) if f.get("days") is not None else "—"
        before = f"（原 {vocab.fmt_days(f['baseline_days'])}）" if f.get("baseline_days") is not None else ""
        return f"{stage}：{now}{before}"
    return f"{vocab.category_label(f.get('category'))}：{f.get('name') or ''}"


def facts_frame(facts: list[dict]) -> pd.DataFrame:
    """Facts of one file (Fact.export rows) as a review table with Chinese headers."""
    rows = [{"类型": vocab.KIND_LABELS.get(f["kind"], f["kind"]), "地区": f.get("region") or "—",
             "事实": _what(f),
             "时段": "–".join(x for x in (f.get("period_start"), f.get("period_end")) if x) or "—",
             "原句": f.get("evidence", ""), "位置": f"{f.get('char_start')}–{f.get('char_end')}"}
            for f in facts]
    return pd.DataFrame(rows, columns=["类型", "地区", "事实", "时段", "原句", "位置"])


def counts(facts: list[dict]) -> dict[str, int]:
    out = {"figure": 0, "duration": 0, "mechanism": 0}
    for f in facts:
        out[f["kind"]] = out.get(f["kind"], 0) + 1
    return out


def status(p) -> str:
    if not p.ok:
        return "未导入：" + reason_zh(p.error)
    if p.known:
        return "已导入过（内容相同）"
    return "可导入"


def summary_frame(previews) -> pd.DataFrame:
    rows = []
    for p in previews:
        c = counts(p.facts)
        rows.append({"文件": p.name, "状态": status(p), "标题": p.title or "—", "字数": p.n_chars,
                     "数字": c["figure"], "时长": c["duration"], "机制": c["mechanism"]})
    return pd.DataFrame(rows, columns=["文件", "状态", "标题", "字数", "数字", "时长", "机制"])


def show_previews(previews) -> None:
    """A summary table, an error line per refused file, the facts of each readable file."""
    st.subheader("检查结果")
    st.dataframe(summary_frame(previews), hide_index=True, width="stretch")
    for p in previews:
        if not p.ok:
            st.error(f"{literal(p.name)}：{reason_zh(p.error)}", icon=":material/block:")
    for i, p in enumerate(previews):
        if not p.ok:
            continue
        with st.expander(f"{literal(p.name)}：{len(p.facts)} 条事实", expanded=len(previews) == 1):
            if p.known:
                st.info("该文件的内容已导入过，提交不会产生变化。")
            if p.facts:
                st.dataframe(facts_frame(p.facts), hide_index=True, width="stretch", key=f"upload_facts_{i}")
            else:
                st.caption("未找到数字、时长或招商机制；文档仍会保存并可在「数据溯源」中检索。")


def commit_message(res) -> tuple[str, str]:
    """('ok'|'info', message) for an etl.ingest.IngestResult."""
    if res.unchanged:
        return "info", "没有变化：这些文件已导入过，数据库保持原版本。"
    kinds = "、".join(f"{vocab.KIND_LABELS.get(k, k)} {n} 条" for k, n in sorted(res.facts_by_kind.items()))
    msg = (f"已导入 {res.docs_new} 篇新文档，数据库现有 {res.docs_total} 篇（{kinds or '无事实'}），"
           f"新版本：{res.version.name if res.version else '—'}。其他页面刷新或切换后即可看到。")
    if res.failures:
        msg += " 未能读取：" + "；".join(f"{literal(p.rsplit('/', 1)[-1])}（{reason_zh(r)}）" for p, r in res.failures)
    return "ok", msg
