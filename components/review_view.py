"""Widgets of the 人工审核 and 数据质量 pages: the fact under review in its context, the
correction form, review status texts. Decisions are written by etl/review.py (the log beside the
database) and applied by a new database version."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pandas as pd
import streamlit as st

from components import db, layout, vocab
from components.safe_text import literal
from etl import review

STATUS_LABELS = review.STATUS_LABELS
STATUS_ICONS = {"machine": ":material/smart_toy:", "verified": ":material/verified:",
                "corrected": ":material/edit_note:", "rejected": ":material/block:"}
KIND_LABELS = vocab.KIND_LABELS
FIELD_LABELS = {"region_id": "地区", "region": "地区", "province": "省份", "region_level": "层级", "metric": "指标",
                "value": "数值", "unit": "单位", "currency": "币种", "period_start": "时段开始", "period_end": "时段结束",
                "is_target": "目标值", "days": "现用时(天)", "baseline_days": "原用时(天)", "from_stage": "起始环节",
                "to_stage": "结束环节", "category": "机制类别"}


def status_label(s) -> str:
    return STATUS_LABELS.get(s or "machine", str(s))


def metric_label(m) -> str:
    """A figure metric, mechanism category or kind, in Chinese."""
    if m in vocab.metric_labels():
        return vocab.metric_label(m)
    if m in vocab.category_labels():
        return vocab.category_label(m)
    return KIND_LABELS.get(m, str(m))


def original_text(original) -> str:
    """'数值 12.0；目标值 否' from fact_reviews.original (the machine's values a correction replaced)."""
    if original is None or (isinstance(original, float) and pd.isna(original)) or not original:
        return ""
    parts = []
    orig = json.loads(original)
    for k, v in orig.items():
        if k in ("province", "region_level") or (k == "region_id" and "region" in orig):
            continue
        if isinstance(v, bool):
            v = "是" if v else "否"
        elif k == "metric":
            v = metric_label(v)
        elif k == "category":
            v = vocab.category_label(v)
        parts.append(f"{FIELD_LABELS.get(k, k)} {'—' if v is None else v}")
    return "；".join(parts)


def reviewed_text(r) -> str:
    """'已更正 · 张三 · 2024-05-01 10:02' (UTC)."""
    s = status_label(getattr(r, "review_status", None))
    by = getattr(r, "reviewed_by", None)
    at = getattr(r, "reviewed_at", None)
    if by is None or (isinstance(by, float) and pd.isna(by)):
        return s
    when = "" if at is None or pd.isna(at) else f" · {pd.Timestamp(at):%Y-%m-%d %H:%M} UTC"
    return f"{s} · {by}{when}"


def review_notes(reviews: pd.DataFrame) -> None:
    """数据溯源: who checked each source of a fact, and the machine's original reading when corrected."""
    for r in reviews.itertuples():
        if r.review_status == "machine":
            continue
        src = f"《{r.doc_title or r.doc_id}》" if len(reviews) > 1 else ""
        text = f"人工审核{src}：{reviewed_text(r)}"
        orig = original_text(r.review_original)
        if orig:
            text += f"；图表使用更正后的数值，机器原读数：{orig}"
        st.caption(f"{STATUS_ICONS.get(r.review_status, '')} {literal(text)}")


# --------------------------------------------------------------------------- the review page


def fact_panel(r) -> None:
    """The fact under review: what the machine read (or the correction), status, sentence in context."""
    head = f"**{literal(r.region or '未识别地区')}** · {KIND_LABELS.get(r.kind, r.kind)} · {literal(r.summary)}"
    if r.kind == "figure":
        head += f" · {r.period}"
    st.markdown(head)
    st.caption(f"{STATUS_ICONS.get(r.review_status, '')} {literal(reviewed_text(r))}")
    orig = original_text(r.review_original)
    if orig:
        st.caption(f"机器原读数：{literal(orig)}")
    layout.context_block(r)


def _money(metric: str) -> bool:
    return metric in vocab.money_metrics()


def correction_form(r, regions: pd.DataFrame) -> dict | None:
    """The correction form for fact r; the fields to record on submit (None until submitted)."""
    ids = list(regions["region_id"])
    labels = {x.region_id: f"{x.name}（{x.province or '—'}·{vocab.level_label(x.level)}）" for x in regions.itertuples()}
    cur = r.region_id if isinstance(r.region_id, str) and r.region_id in labels else None
    with st.form(f"correct_{r.fact_key}", border=True):
        st.markdown("**更正**（只改需要改的字段，保存后本条标为“已更正”，机器原读数保留在数据溯源中）")
        region_id = st.selectbox("地区（地名库）", ids, index=ids.index(cur) if cur else None,
                                 format_func=labels.get, placeholder="未识别地区", key=f"cf_region_{r.fact_key}")
        fields: dict = {"region_id": region_id}
        if r.kind == "figure":
            ms = list(vocab.metric_labels())
            c1, c2, c3 = st.columns(3)
            metric = c1.selectbox("指标", ms, index=ms.index(r.metric) if r.metric in ms else 0,
                                  format_func=vocab.metric_label, key=f"cf_metric_{r.fact_key}")
            value = c2.number_input("数值（金额以亿为单位）", min_value=0.0, value=float(r.value or 0.0), step=None,
                                    format="%.4f", key=f"cf_value_{r.fact_key}")
            currencies = ["CNY", *(c for c, _ in vocab.fx()[2] if c != "CNY")]
            cur_cur = r.currency if isinstance(r.currency, str) and r.currency in currencies else "CNY"
            currency = c3.selectbox("币种（金额类指标）", currencies, index=currencies.index(cur_cur),
                                    format_func=lambda c: f"{vocab.currency_names().get(c, c)}（{c}）", key=f"cf_currency_{r.fact_key}")
            d1, d2, d3 = st.columns(3)
            start = d1.date_input("时段开始", value=_date(r.period_start), key=f"cf_start_{r.fact_key}")
            end = d2.date_input("时段结束", value=_date(r.period_end), key=f"cf_end_{r.fact_key}")
            target = d3.checkbox("目标值（计划、力争）", value=bool(r.is_target), key=f"cf_target_{r.fact_key}")
            money = _money(metric)
            fields.update(metric=metric, value=value, currency=currency if money else None,
                          unit=("亿元" if currency == "CNY" else "亿") if money else vocab.metric_units()[metric],
                          period_start=start, period_end=end, is_target=target)
        elif r.kind == "duration":
            c1, c2, c3, c4 = st.columns(4)
            fields["from_stage"] = c1.text_input("起始环节", value=r.from_stage or "", key=f"cf_from_{r.fact_key}")
            fields["to_stage"] = c2.text_input("结束环节", value=r.to_stage or "", key=f"cf_to_{r.fact_key}")
            fields["days"] = c3.number_input("现用时（天）", min_value=0.0, value=_num(r.days), key=f"cf_days_{r.fact_key}")
            fields["baseline_days"] = c4.number_input("原用时（天）", min_value=0.0, value=_num(r.baseline_days),
                                                      key=f"cf_base_{r.fact_key}")
        else:
            cats = list(vocab.category_labels())
            fields["category"] = st.selectbox("机制类别", cats, index=cats.index(r.category) if r.category in cats else 0,
                                              format_func=vocab.category_label, key=f"cf_cat_{r.fact_key}")
        if st.form_submit_button("保存更正", type="primary", icon=":material/save:"):
            return fields
    return None


def _date(v) -> date | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date()


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def seen(fact_key: str) -> datetime | None:
    """When this session was last shown `fact_key` (before this run), and note that it is shown now."""
    ss = st.session_state
    before = ss.get("rq_seen", {}).get(fact_key)
    ss["rq_seen"] = {fact_key: datetime.now(UTC)}
    return before


def decide(r, status: str, by: str, fields: dict | None = None, shown_at: datetime | None = None) -> None:
    """Record a decision on fact r and build the new version; the outcome is shown after the rerun.
    A decision another administrator made after `shown_at` is never overwritten unseen."""
    other = review.decided_since(review.log_path(db.db_path()), r.fact_key, shown_at)
    if other is not None:
        st.session_state["review_done"] = (
            "error", f"未保存：该事实刚由 {other['by']} 标为{status_label(other['status'])}"
                     f"（{other['at'][:19].replace('T', ' ')} UTC）。请查看最新状态后再决定。")
        st.rerun()
    fact = {k: getattr(r, k, None) for k in review.SNAPSHOT_FIELDS}
    fact = {k: (None if not isinstance(v, (str, bool)) and v is not None and pd.isna(v) else v) for k, v in fact.items()}
    try:
        ev = review.make_event(r.fact_key, status, by, fact, fields)
    except review.ReviewError as e:
        st.error(str(e))
        return
    from etl.checks import CheckFailed

    with st.spinner("正在保存并更新数据库…"):
        try:
            res = review.record(db.db_path(), [ev])
        except CheckFailed as e:
            st.session_state["review_done"] = ("error", f"已记录，但数据检查未通过，数据库未更新：{e}")
        else:
            done = f"已将“{r.summary}”标为{status_label(status)}。"
            if res.review and res.review.orphans:
                done += f" 另有 {len(res.review.orphans)} 条审核记录对应的事实已不存在，见“数据质量”页。"
            st.session_state["review_done"] = ("ok", done)
    st.rerun()


# --------------------------------------------------------------------------- the quality page


@st.cache_data(show_spinner="正在用金标准文档评估抽取规则…", max_entries=2)
def golden_scores(extractor_version: str) -> pd.DataFrame:
    from etl.quality import golden_scores as scores

    return pd.DataFrame(scores())


def counts_table(df: pd.DataFrame, key_label: str, key_format=None) -> pd.DataFrame:
    out = df.copy()
    if key_format is not None:
        out["key"] = out["key"].map(key_format)
    return out.rename(columns={"key": key_label, "n": "事实条数", "n_machine": "机器抽取", "n_verified": "已核实",
                               "n_corrected": "已更正", "n_rejected": "已驳回"})

