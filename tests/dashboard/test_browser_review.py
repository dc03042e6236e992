"""Review in headless Chromium: a viewer can neither reach 人工审核 nor change a status; an
administrator verifies a fact with the keyboard and the 仅显示已核实 view shows it.

Own server on a private copy of the fixture database (a review writes a new version and a log)."""

from __future__ import annotations

import duckdb
import pytest

from components.auth import hash_password
from etl import review
from etl.store import current_file
from tests.dashboard import conftest
from tests.dashboard.test_browser import ARGS, ARTIFACTS, CHROMIUM, _settle, streamlit_app, sync_api

PASSWORD = "review-admin"


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    db = conftest.build_db(tmp_path_factory.mktemp("browser_review") / "facts.duckdb")
    env = {"ZSYZ_ADMIN_PASSWORD_HASH": hash_password(PASSWORD), "ZSYZ_AUTH_DELAY_S": "0"}
    with streamlit_app(db, "streamlit_review.log", env) as url:
        yield url, db


def statuses(db) -> dict[str, int]:
    con = duckdb.connect(str(current_file(db)), read_only=True)
    try:
        return dict(con.execute("SELECT review_status, count(*) FROM v_facts GROUP BY 1").fetchall())
    finally:
        con.close()


def test_viewer_cannot_reach_the_review_page_or_change_a_status(review_server):
    url, db = review_server
    before = statuses(db)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN").new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{url}/quality")
        _settle(page, "数据质量", 0)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "数据质量" in nav and "人工审核" not in nav and "导入文档" not in nav
        page.goto(f"{url}/review")
        page.get_by_text("无权访问：「人工审核」仅限管理员使用。").wait_for()
        page.get_by_label("管理员密码").wait_for()
        for label in ("核实", "驳回", "恢复为机器抽取", "保存更正"):
            assert page.get_by_role("button", name=label).count() == 0
        page.keyboard.press("v")  # the verify shortcut does nothing without the page
        page.wait_for_timeout(500)
        page.get_by_label("管理员密码").fill("wrong")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("密码错误。").wait_for()
        assert page.get_by_role("button", name="核实").count() == 0
        page.screenshot(path=str(ARTIFACTS / "review_refused.png"), full_page=True)
        browser.close()
    assert statuses(db) == before == {"machine": len(conftest.FACTS)}
    assert not review.log_path(db).exists()


def test_admin_verifies_with_the_keyboard_and_the_verified_view_shows_it(review_server):
    url, db = review_server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="zh-CN").new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{url}/review")
        page.get_by_label("管理员密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("button", name="核实").wait_for()
        assert "人工审核" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        page.get_by_label("审核人").fill("浏览器审核员")
        page.get_by_label("审核人").press("Enter")
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
        page.get_by_role("heading", name="人工审核", level=1).click()  # focus off the text field
        page.keyboard.press("v")
        page.get_by_text("标为已核实").wait_for()
        page.screenshot(path=str(ARTIFACTS / "review_verified.png"), full_page=True)
        assert statuses(db).get("verified") == 1
        # 仅显示已核实 from the URL: the overview counts the one verified fact's document only
        page.goto(f"{url}/?verified=1")
        _settle(page, "总览", 0)
        facts = page.locator('[data-testid="stMetric"]').filter(has_text="文档数")
        assert facts.locator('[data-testid="stMetricValue"]').inner_text() == "1"
        assert "verified=1" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        browser.close()
    log = review.read_log(review.log_path(db))
    assert [(e["status"], e["by"]) for e in log] == [("verified", "浏览器审核员")]
