"""An administrator uploads a report in headless Chromium and sees it on the other pages.

Own server on a private copy of the fixture database (the upload commits a new version) with
an admin password hash in its environment.
"""

from __future__ import annotations

import time

import pytest

from components.auth import hash_password
from tests.dashboard import conftest
from tests.dashboard.test_browser import ARGS, ARTIFACTS, CHROMIUM, _settle, streamlit_app, sync_api

PASSWORD = "browser-admin"
REPORT = ("苏州工业园区招商引资半年报\n时间：2024-07-05\n"
          "2024年上半年，苏州工业园区签约项目总额达123.4亿元，新签约项目58个。"
          "园区组建招商专班，实行一企一专员。\n<script>alert(1)</script>")


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    db = conftest.build_db(tmp_path_factory.mktemp("browser_upload") / "facts.duckdb")
    env = {"ZSYZ_ADMIN_PASSWORD_HASH": hash_password(PASSWORD), "ZSYZ_AUTH_DELAY_S": "0"}
    with streamlit_app(db, "streamlit_upload.log", env) as url:
        yield url, db


def test_admin_uploads_a_report_and_every_page_sees_it(admin_server, tmp_path):
    url, db = admin_server
    report = tmp_path / "苏州半年报.txt"
    report.write_text(REPORT, encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="zh-CN").new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{url}/upload")
        page.get_by_label("管理员密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.locator('[data-testid="stFileUploader"]').wait_for()
        assert "导入文档" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(report))
        commit = page.get_by_role("button", name="提交导入（1 个文件）")
        commit.wait_for()
        page.screenshot(path=str(ARTIFACTS / "upload_review.png"), full_page=True)
        start = time.monotonic()
        commit.click()
        page.get_by_text("已导入 1 篇新文档").wait_for()
        assert time.monotonic() - start < 20
        # same session, other pages: the new version without a restart
        page.locator('[data-testid="stSidebarNav"]').get_by_text("总览").click()
        _settle(page, "总览", 2)
        docs = page.locator('[data-testid="stMetric"]').filter(has_text="文档数")
        assert docs.locator('[data-testid="stMetricValue"]').inner_text() == str(len(conftest.DOCS) + 1)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("数据溯源").click()
        _settle(page, "数据溯源", 0)
        page.get_by_label("关键词").fill("123.4亿元")
        page.get_by_label("关键词").press("Enter")
        hit = page.locator('[data-testid="stHtml"]').filter(has=page.locator("mark", has_text="123.4亿元")).first
        hit.wait_for()
        assert "<script>" not in hit.inner_html() and "alert(1)" not in hit.locator("script").all_inner_texts()
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(ARTIFACTS / "upload_provenance.png"), full_page=True)
        browser.close()
    assert any((db.parent / "uploads").rglob("苏州半年报.txt"))
