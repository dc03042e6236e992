"""人工审核, 数据质量 and the 仅显示已核实 switch under AppTest, each on a private database copy
(a review writes a new version and a log beside it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from components import auth
from etl import review
from etl.ingest import ingest
from etl.store import current_file, versions_dir
from tests.conftest import SEEDS
from tests.dashboard import conftest
from tests.dashboard.conftest import ROOT
from tests.dashboard.test_pages import charts


@pytest.fixture()
def db(monkeypatch, tmp_path):
    path = conftest.build_db(tmp_path / "facts.duckdb")
    monkeypatch.setenv("ZSYZ_DB", str(path))
    return path


def page(name: str, admin: bool = False, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    if admin:
        at.session_state["_zsyz_admin"] = True
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def q(db, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(current_file(db)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def status_of(db, evidence: str) -> str:
    return q(db, "SELECT review_status FROM v_facts WHERE evidence = ?", [evidence])[0][0]


def record(db, evidence: str, status: str, fields: dict | None = None) -> None:
    con = duckdb.connect(str(current_file(db)), read_only=True)
    try:
        cur = con.execute("SELECT * FROM v_facts WHERE evidence = ?", [evidence])
        f = dict(zip([d[0] for d in cur.description], cur.fetchone()))
    finally:
        con.close()
    review.record(db, [review.make_event(f["fact_key"], status, "测试员", f, fields)])


def submit(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "保存更正").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --------------------------------------------------------------------------- access


def test_viewer_is_refused_and_can_change_nothing(db):
    at = page("review")
    assert auth.REFUSED_PAGE.format("人工审核") in [e.value for e in at.error]
    assert not [b for b in at.button if b.label in ("核实", "驳回", "保存更正")]
    assert not review.log_path(db).exists()


# --------------------------------------------------------------------------- deciding


def test_admin_verifies_with_one_click_and_the_queue_moves_on(db):
    at = page("review", admin=True)
    at.text_input(key="review_by_input").set_value("张三").run()
    first = at.selectbox(key="rq_fact").value
    at.button(key="rq_verify").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已核实" in s.value for s in at.success)
    got = q(db, "SELECT review_status, reviewed_by FROM v_facts WHERE fact_key = ?", [first])
    assert got == [("verified", "张三")]
    assert at.selectbox(key="rq_fact").value != first  # the queue shows facts waiting for review
    assert [e["by"] for e in review.read_log(review.log_path(db))] == ["张三"]


def test_a_reviewer_name_is_required(db):
    at = page("review", admin=True)
    at.button(key="rq_verify").click().run()
    assert any("审核人" in e.value for e in at.error)
    assert not review.log_path(db).exists()


def test_reject_from_the_app_removes_the_fact_from_every_count(db):
    ev = "2023年东莞引进协议投资3680.4亿元，增长9.4%。"
    before = page("signed")
    at = page("review", admin=True)
    at.text_input(key="review_by_input").set_value("李四").run()
    at.selectbox(key="rq_metric").set_value("signed_amount").run()
    sb = at.selectbox(key="rq_fact")
    key = q(db, "SELECT fact_key FROM v_facts WHERE evidence = ?", [ev])[0][0]
    sb.set_value(key).run()
    at.button(key="rq_reject").click().run()
    assert status_of(db, ev) == "rejected"
    after = page("signed")
    names = lambda a: [n for c in charts(a) for t in c["data"] for n in (t.get("y") or [])]  # noqa: E731
    assert "东莞市｜未注明" in names(before) and "东莞市｜未注明" not in names(after)


def test_correction_form_and_provenance_keeps_the_original(db):
    ev = "一季度全市新签订正式合同金额4908亿元。"
    at = page("review", admin=True)
    at.text_input(key="review_by_input").set_value("王五").run()
    key = q(db, "SELECT fact_key FROM v_facts WHERE evidence = ?", [ev])[0][0]
    at.selectbox(key="rq_fact").set_value(key).run()
    at.number_input(key=f"cf_value_{key}").set_value(4900.0)
    at.selectbox(key=f"cf_region_{key}").set_value("500113")
    submit(at)
    row = q(db, "SELECT value, region_id, region, review_status, review_original FROM v_facts WHERE fact_key = ?", [key])[0]
    assert row[:4] == (4900.0, "500113", "巴南区", "corrected")
    assert json.loads(row[4])["value"] == 4908.0 and json.loads(row[4])["region_id"] == "500000"
    prov = page("provenance")
    prov.text_input(key="prov_q").set_value("4908").run()
    cid = q(db, "SELECT cluster_id FROM v_facts WHERE fact_key = ?", [key])[0][0]
    prov.selectbox(key="prov_fact").set_value(cid).run()
    text = " ".join(c.value for c in prov.caption).replace("\\", "")  # markdown escapes
    assert "已更正 · 王五" in text and "机器原读数" in text and "数值 4908.0" in text


# --------------------------------------------------------------------------- 仅显示已核实

# no project count is checked: the 项目数量 page then shows nothing under 仅已核实
CHECK = ["2023年东莞引进协议投资3680.4亿元，增长9.4%。", "一季度全市新签订正式合同金额4908亿元。",
         "项目从签约到开工由原来的180天压缩至90天。", "江宁区坚持链式招商，沿着产业链顺藤摸瓜。"]


def test_verified_only_changes_every_chart_and_kpi(db):
    for ev in CHECK:
        record(db, ev, "verified")
    # the 项目数量 page compares one period: the quarter its checked counts are of
    like = {"projects": {"cmp": "2023Q1"}}
    for name, n in {"overview": 2, "signed": 1, "projects": 2, "approval": 1, "mechanisms": 1}.items():
        all_, checked = page(name, params=like.get(name)), page(name, params={**like.get(name, {}), "verified": "1"})
        assert checked.toggle(key="flt_verified").value is True
        a = {c["layout"]["title"]["text"]: c["data"] for c in charts(all_)}
        b = {c["layout"]["title"]["text"]: c["data"] for c in charts(checked)}
        assert len(a) == n and (b or name == "projects"), name
        for title, data in a.items():  # every chart shows less, or nothing when none of its facts is checked
            assert b.get(title) != data, (name, title)
        lines = [c.value for c in checked.caption if c.value.startswith("数据来源")]
        assert not b or (lines and all("已核实" in s and "100%" in s for s in lines[:len(b)])), (name, lines)
        assert any("已核实" in c.value and "100%" not in c.value for c in all_.caption), name
    kpi = lambda a: {m.label: m.value for m in a.metric}  # noqa: E731
    a, b = kpi(page("overview")), kpi(page("overview", params={"verified": "1"}))
    assert all(a[k] != b[k] for k in a if k.startswith(("签约金额", "文档数", "地区数"))), (a, b)


def test_verified_switch_is_kept_in_the_url(db):
    at = page("overview")
    at.toggle(key="flt_verified").set_value(True).run()
    assert at.query_params["verified"] == ["1"] or at.query_params["verified"] == "1"


# --------------------------------------------------------------------------- 数据质量


def test_quality_page_counts_and_lists_a_vanished_correction(db):
    record(db, CHECK[0], "verified")
    record(db, CHECK[1], "corrected", {"value": 4900.0})
    sha = q(db, "SELECT sha256 FROM documents WHERE doc_id = 'd3_chongqing'")[0][0]
    review.record(db, [review.make_event(f"{sha}:figure:5000-5010:signed_amount", "corrected", "赵六",
                                         {"kind": "figure", "region": "重庆市", "metric": "signed_amount",
                                          "evidence": "已经消失的一句话。"}, {"value": 1.0})])
    at = page("quality")
    m = {x.label: x.value for x in at.metric}
    assert m["已核实（条）"] == "1" and m["已更正（条）"] == "1" and m["事实总数（条）"] == str(len(conftest.FACTS))
    assert any("1 条审核记录对应的事实在当前数据库中已不存在" in w.value for w in at.warning)
    frames = [d.value for d in at.dataframe]
    assert any("已经消失的一句话。" in df.to_string() for df in frames)
    waiting = next(df for df in frames if "待审核" in df.columns)
    assert len(waiting) == len(conftest.DOCS)
    scores = next(df for df in frames if "精确率" in df.columns)
    assert set(scores["类型"]) == {"数字", "时长", "机制"} and scores["精确率"].between(0, 1).all()


# --------------------------------------------------------------------------- the corpus, end to end


def test_a_correction_made_in_the_app_survives_a_full_reingest(monkeypatch, tmp_path):
    db = tmp_path / "facts.duckdb"
    assert not ingest([str(SEEDS)], db).failures
    monkeypatch.setenv("ZSYZ_DB", str(db))
    at = page("review", admin=True)
    at.text_input(key="review_by_input").set_value("审核员甲").run()
    at.selectbox(key="rq_metric").set_value("signed_amount").run()
    key = at.selectbox(key="rq_fact").value
    before = q(db, "SELECT value, is_target FROM v_facts WHERE fact_key = ?", [key])[0]
    at.number_input(key=f"cf_value_{key}").set_value(before[0] + 1.5)
    at.checkbox(key=f"cf_target_{key}").set_value(not before[1])
    submit(at)
    want = (before[0] + 1.5, not before[1], "corrected", "审核员甲")
    assert q(db, "SELECT value, is_target, review_status, reviewed_by FROM v_facts WHERE fact_key = ?", [key])[0] == want
    # a full re-ingest of the corpus from its originals: every version gone, only the log kept
    db.unlink()
    shutil.rmtree(versions_dir(db))
    p = subprocess.run([sys.executable, "-m", "etl", "ingest", str(SEEDS), "--db", str(db)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300, env={**os.environ})
    assert p.returncode == 0, p.stderr
    assert "review: applied corrected 1; 0 not applied" in p.stdout
    assert q(db, "SELECT value, is_target, review_status, reviewed_by FROM v_facts WHERE fact_key = ?", [key])[0] == want


def test_briefing_cli_can_use_only_verified_facts(db, tmp_path):
    import docx

    from components import briefing

    record(db, CHECK[0], "verified")
    texts = {}
    for flag in ([], ["--verified"]):
        out = tmp_path / f"brief{len(flag)}.docx"
        assert briefing.main(["--db", str(db), "--charts", "", "--out", str(out), *flag]) == 0
        texts[bool(flag)] = "\n".join(p.text for p in docx.Document(out).paragraphs).split("二、图表")[0]
    assert "重庆市签约金额" in texts[False] and "东莞市签约金额" in texts[False]
    assert "重庆市签约金额" not in texts[True] and "东莞市签约金额" in texts[True]


def test_a_decision_made_meanwhile_by_another_admin_is_not_overwritten_unseen(db):
    at = page("review", admin=True)
    at.text_input(key="review_by_input").set_value("甲").run()
    key = at.selectbox(key="rq_fact").value
    ev = q(db, "SELECT evidence FROM v_facts WHERE fact_key = ?", [key])[0][0]
    record(db, ev, "rejected")  # another administrator, while 甲 looks at the same fact
    at.button(key="rq_verify").click().run()
    assert any("未保存：该事实刚由 测试员 标为已驳回" in e.value for e in at.error)
    assert status_of(db, ev) == "rejected"
    assert [e["by"] for e in review.read_log(review.log_path(db))] == ["测试员"]
    # having seen it, 甲 may still decide otherwise
    at.selectbox(key="rq_status").set_value("").run()
    at.selectbox(key="rq_fact").set_value(key).run()
    at.button(key="rq_verify").click().run()
    assert status_of(db, ev) == "verified"
    assert [e["by"] for e in review.read_log(review.log_path(db))] == ["测试员", "甲"]
