"""Every page under AppTest (in-process) against the fixture database."""

from __future__ import annotations

import base64
import io
import json
from datetime import date

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import ROOT

PAGES = {  # page file -> plotly charts with default filters
    "overview": 2,
    "signed": 1,
    "projects": 0,  # the default comparison (2023年全年, 地市) has no project counts: 无同口径数据
    "approval": 1,
    "mechanisms": 1,
    "provenance": 0,
    "region": 0,
    "briefing": 0,
}
EMPTY = {"province": "江苏", "year": "2022"}  # valid values, no fact matches both


def run(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=30)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def arr(v) -> list:
    """A plotly JSON array (plain list or typed array {dtype, bdata})."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v or [])


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label))


@pytest.mark.parametrize("page,n", PAGES.items())
def test_page_runs_with_expected_charts(page, n):
    at = run(page)
    assert len(at.get("plotly_chart")) == n
    assert at.title[0].value
    for spec in charts(at):
        title = spec["layout"]["title"]["text"]
        assert "（" in title and "年" in title, title  # unit and period in every title


@pytest.mark.parametrize("page", PAGES)
def test_empty_filters_show_no_data(page):
    at = run(page, EMPTY)
    if page == "region":  # the profile ignores the year: an empty province/level choice empties it
        at = run(page, {"level": "hitech", "province": "重庆"})
    assert any("暂无数据" in i for i in infos(at)), infos(at)
    if page not in ("provenance",):
        assert len(at.get("plotly_chart")) == 0


def test_no_database_shows_no_data(monkeypatch, tmp_path):
    monkeypatch.setenv("ZSYZ_DB", str(tmp_path / "missing.duckdb"))
    at = run("overview")
    assert any("暂无数据" in i for i in infos(at))


def test_query_params_restore_filters_and_bad_values_are_ignored():
    at = run("overview", {"province": "江苏,火星", "year": "1999", "targets": "1", "level": "x';--"})
    assert at.sidebar.multiselect(key="flt_province").value == ["江苏"]
    assert at.sidebar.selectbox(key="flt_year").value == "全部"
    assert at.sidebar.toggle(key="flt_targets").value is True
    assert at.sidebar.multiselect(key="flt_level").value == []
    assert metric(at, "签约金额") == "378.6"
    # the URL is cleaned up; the comparison period and level chosen by default are written to it
    assert dict(at.query_params) == {"province": "江苏", "targets": "1", "cmp": "2023M1-8", "peer": "zone"}


def test_part_of_a_year_from_the_url():
    at = run("signed", {"year": "2023", "span": "q1"})
    assert at.sidebar.selectbox(key="flt_span").value == "Q1"
    assert "2023年一季度" in charts(at)[0]["layout"]["title"]["text"]
    assert dict(at.query_params) == {"year": "2023", "span": "Q1", "cmp": "2023Q1", "peer": "province"}


def test_part_of_a_year_needs_a_year_and_a_known_span():
    at = run("overview", {"span": "Q1"})
    assert "span" not in dict(at.query_params)
    at = run("overview", {"year": "2023", "span": "Q9"})
    assert dict(at.query_params) == {"year": "2023", "cmp": "2023", "peer": "prefecture"}
    assert at.sidebar.selectbox(key="flt_span").value == "全部"


def test_filter_change_changes_data_and_url():
    at = run("overview")
    before = metric(at, "签约金额")
    bars = arr(charts(at)[0]["data"][0]["x"])
    at.sidebar.multiselect(key="flt_province").set_value(["重庆"]).run()
    assert metric(at, "签约金额") != before
    assert arr(charts(at)[0]["data"][0]["x"]) != bars
    assert dict(at.query_params) == {"province": "重庆", "cmp": "2023Q1", "peer": "province"}
    at.sidebar.selectbox(key="flt_year").set_value("2022").run()
    assert metric(at, "签约金额") == "290"  # the comparison follows the year: 2022年一季度
    assert dict(at.query_params) == {"province": "重庆", "year": "2022", "cmp": "2022Q1", "peer": "county"}


def test_region_filter_narrowed_by_province():
    at = run("overview", {"province": "重庆", "region": "441900,500113"})
    assert at.sidebar.multiselect(key="flt_region").value == ["500113"]
    assert set(at.sidebar.multiselect(key="flt_region").options) == {
        "巴南区（重庆·区县）", "重庆市（重庆·省级）", "两江新区（重庆·国家级新区）"}


def test_signed_targets_apart_and_fx_note():
    at = run("signed")
    assert any("1 美元 = 7.12 元" in c.value for c in at.caption)
    at = run("signed", {"targets": "1"})
    figs = charts(at)
    assert len(figs) == 2
    assert "目标" in figs[1]["layout"]["title"]["text"] and arr(figs[1]["data"][0]["x"]) == [1500]
    achieved = [x for t in figs[0]["data"] for x in arr(t["x"])]
    assert 1500 not in achieved
    at = run("signed", {"cmp": "2023M1-8"})
    at.radio(key="signed_split").set_value("industry_chain").run()
    assert any(t["name"] == "产业链：高端装备" for t in charts(at)[0]["data"])


def test_projects_rate_only_where_comparable():
    at = run("projects", {"cmp": "2023Q1"})
    names = [t["name"] for t in charts(at)[1]["data"]]
    assert names == ["签约金额", "资金到位额"]
    at = run("projects", {"year": "2022"})
    assert len(at.get("plotly_chart")) == 1 and any("暂无数据" in i for i in infos(at))


def test_approval_stage_selection():
    at = run("approval")
    at.selectbox(key="approval_stage").set_value("注册→开工").run()  # 注册→落地开工 as written
    dumbbell = charts(at)[0]
    now = next(t for t in dumbbell["data"] if t["name"] == "现用时")
    assert list(now["y"]) == ["两江新区｜注册→开工"]


def test_approval_groups_by_mapped_stages_labels_baselines_and_keeps_commitments_apart():
    at = run("approval")
    # only stages of the vocabulary are categories: 受理→闭环处理 (as written) is not
    assert at.selectbox(key="approval_stage").options == ["全部环节", "签约→开工", "签约→投产", "拿地→施工许可", "注册→开工"]
    traces = {t["name"]: t for t in charts(at)[0]["data"]}
    rows = {y for t in traces.values() for y in (t.get("y") or []) if y}
    assert not any("闭环" in r or "受理" in r for r in rows)
    # each baseline says what it is: the region's own earlier time, another project
    assert {"改革前用时", "对比对象用时", "现用时"} <= set(traces)
    assert list(traces["对比对象用时"]["y"]) == ["东莞市｜签约→投产"]
    achieved, promised, unmapped = (t.value for t in at.dataframe)
    assert set(achieved["对比基准"]) == {"改革前", "对比：某某项目", "—"}
    # the promise (东莞 签约→开工 in 3 months) is listed apart and drawn nowhere
    assert list(promised["原句"]) == ["东莞力争项目签约后3个月内开工。"]
    assert "东莞市｜签约→开工" not in rows and not any("力争" in e for e in achieved["原句"])
    assert list(unmapped["原文环节"]) == ["受理→闭环处理"]


def test_mechanism_sentences_for_a_category():
    at = run("mechanisms")
    at.selectbox(key="mech_category").set_value("task_force").run()
    assert any("专班推进" in m.value and "指挥部" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    assert list(table["地区"]) == ["两江新区"] and table["来源数"].iloc[0] == 2


def test_provenance_search_and_highlight():
    at = run("provenance")
    at.text_input(key="prov_q").set_value("专班").run()
    assert not at.exception
    assert "2 篇文档" in " ".join(c.value for c in at.caption)
    marks = [h.proto.body for h in at.get("html") if "<mark>" in h.proto.body]
    assert len(marks) == 2 and all("<mark>两江新区组建工作专班" in m for m in marks)
    at.text_input(key="prov_q").set_value("<b>'\"%").run()
    assert not at.exception and any("暂无数据" in i for i in infos(at))


def test_region_profile_from_query_param():
    at = run("region", {"region": "Z-500000-两江新区"})
    assert at.selectbox(key="profile_region").value == "Z-500000-两江新区"
    assert "上级：重庆市" in " ".join(c.value for c in at.caption)
    assert len(at.dataframe) >= 3  # durations, mechanisms, documents


def test_region_profile_exports_describe_the_profiled_region():
    from components import layout

    at = run("region", {"region": "Z-500000-两江新区", "year": "2023", "chain": "equipment"})
    f, _ = at.session_state[layout._EXPORT_CTX]
    assert f.regions == ("Z-500000-两江新区",) and f.year is None and f.chains == ()


def test_new_etl_version_shows_without_restart(monkeypatch, tmp_path):
    from etl.store import write_version
    from tests.dashboard import conftest

    db = conftest.build_db(tmp_path / "facts.duckdb")
    monkeypatch.setenv("ZSYZ_DB", str(db))
    at = run("overview")
    assert metric(at, "文档数") == "4"
    docs, rows = conftest.build_rows()
    keep = [d for d in docs if d["doc_id"] == "d1_nanjing"]
    write_version(db, keep, [r for r in rows if r[1] == "d1_nanjing"], conftest.REGIONS,
                  {"extractor_version": "test"}, check=lambda con: None)
    at.run()  # same session, same server process: the caches are keyed on the version file
    assert not at.exception
    assert metric(at, "文档数") == "1" and metric(at, "签约金额") == "378.6"


def test_charts_and_tables_offer_downloads():
    at = run("signed")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("下载 PNG") == labels.count("下载 SVG") == 1  # one chart
    assert labels.count("下载 CSV") == labels.count("下载 XLSX") >= 1
    at = run("overview")  # the latest-facts table is cut to 20 rows: a 全部行 choice
    assert any(s.proto.label == "导出范围" for s in at.get("button_group"))


def test_without_chromium_charts_say_why_in_chinese(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = run("signed")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载 PNG" not in labels and "下载 CSV" in labels
    assert any("图片导出不可用" in c.value for c in at.caption)


def test_briefing_masthead_and_since_a_date(monkeypatch):
    """The 版头 fields and a 新变化 comparison reach the pack."""
    import docx

    from components import briefing, briefing_view, export

    monkeypatch.setattr(export, "pdf_unavailable_reason", lambda: "PDF 导出不可用：测试中不生成。")
    real = briefing.collect
    monkeypatch.setattr(briefing, "collect", lambda *a, **k: real(*a, **{**k, "images": False}))
    at = run("briefing")
    at.text_input(key="brief_issue").set_value("第9期")
    at.radio(key="brief_since_how").set_value(briefing_view.BY_DATE).run()
    at.date_input(key="brief_since_day").set_value(date(2023, 5, 10)).run()
    at.button(key="brief_build").click().run()
    assert not at.exception and "条新变化" in at.success[0].value
    assert [b.proto.label for b in at.get("download_button")] == ["下载 Word（DOCX）", "下载 PowerPoint（PPTX）"]
    assert any("PDF 导出不可用" in c.value for c in at.caption)
    got = at.session_state["_brief"]
    paras = [p.text for p in docx.Document(io.BytesIO(got["docx"])).paragraphs]
    assert paras[1] == "第9期" and "一、新变化" in paras


def test_briefing_is_built_only_on_click(monkeypatch):
    from components import briefing

    calls = []
    real = briefing.collect
    monkeypatch.setattr(briefing, "collect", lambda *a, **k: calls.append(1) or real(*a, **{**k, "images": False}))
    at = run("briefing", {"province": "重庆"})
    assert not calls and not at.get("download_button")
    at.button(key="brief_build").click().run()
    assert not at.exception and len(calls) == 1
    from components import export

    labels = ["下载 Word（DOCX）", "下载 PDF", "下载 PowerPoint（PPTX）"]
    if export.pdf_unavailable_reason():
        labels.remove("下载 PDF")
    assert [b.proto.label for b in at.get("download_button")] == labels
    assert at.session_state["_brief"]["stem"] == "招商引资工作简报_全部年份"  # file names: name and period
    assert "重庆" in at.success[0].value
    at.run()  # a rerun (e.g. after a download) reuses the pack
    assert len(calls) == 1 and len(at.get("download_button")) == len(labels)
    at.sidebar.multiselect(key="flt_province").set_value(["江苏"]).run()
    assert len(calls) == 1 and "重新生成" in at.warning[0].value


def test_in_page_choices_are_kept_in_the_url():
    at = run("signed", {"split": "industry_chain", "cmp": "2023M1-8"})
    assert at.radio(key="signed_split").value == "industry_chain"
    at.radio(key="signed_split").set_value("qualifier").run()
    assert "split" not in dict(at.query_params)  # the default is left out
    at = run("region", {"profile": "Z-500000-两江新区"})
    assert at.selectbox(key="profile_region").value == "Z-500000-两江新区"
    at.selectbox(key="profile_region").set_value("441900").run()
    # a region other than the page's default is written to the URL (the default is left out)
    assert dict(at.query_params).get("profile") in ("441900", None)
    at = run("region")
    first = at.selectbox(key="profile_region").value
    other = "441900" if first != "441900" else "500000"
    at.selectbox(key="profile_region").set_value(other).run()
    assert dict(at.query_params)["profile"] == other
    at = run("provenance", {"q": "专班"})
    assert at.text_input(key="prov_q").value == "专班"
    at = run("mechanisms", {"category": "task_force", "mregion": "nowhere"})
    assert at.selectbox(key="mech_category").value == "task_force" and at.selectbox(key="mech_region").value == ""
    at = run("approval")
    at.selectbox(key="approval_stage").set_value("注册→开工").run()  # a mapped stage (etl/rules/stages.yml)
    assert dict(at.query_params)["stage"] == "注册→开工"


def test_another_pages_choices_are_dropped_from_the_url():
    at = run("overview", {"split": "industry_chain", "q": "x", "year": "2023"})
    assert "split" not in dict(at.query_params) and "q" not in dict(at.query_params)
    assert dict(at.query_params)["year"] == "2023"
