"""The real app in headless Chromium: every page renders, charts draw, nothing leaves localhost.

Starts `streamlit run app.py` on a free port against the fixture database (ZSYZ_DB), opens each
page with Playwright (system Chromium; never `playwright install`), saves screenshots to
tests/artifacts/. Skipped where Playwright or /usr/bin/chromium is missing.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import parse_qs, urlparse

import docx
import pytest

from tests.dashboard.conftest import ROOT
from tests.dashboard.test_pages import PAGES

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)

ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TITLES = {"overview": "总览", "signed": "签约金额", "projects": "项目数量", "approval": "审批提速",
          "mechanisms": "招商机制", "provenance": "数据溯源", "region": "区域画像", "briefing": "简报导出"}
LOCAL = ("127.0.0.1", "localhost", "::1", "[::1]")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_app(db, log_name: str, env: dict | None = None, entry: str = "app.py"):
    """`streamlit run <entry>` on a free loopback port against the database `db`; yields its URL."""
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / log_name
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", entry, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "ZSYZ_DB": str(db), **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(fixture_db):
    with streamlit_app(fixture_db, "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(server):
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="zh-CN")
        ctx.on("request", lambda r: requests.append(r.url))
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        yield page, requests
        ctx.close()
        browser.close()


def _settle(page, title: str, n_charts: int) -> None:
    page.get_by_role("heading", name=title, level=1).wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(n_charts):
        charts.nth(i).locator(".main-svg").first.wait_for()
    page.wait_for_timeout(300)


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_every_page_renders_offline(server, browser_page):
    page, requests = browser_page
    # a page first: a fresh server whose first session opens a page URL (not /) must still run app.py
    for name in [*list(PAGES)[1:], "overview"]:
        n = PAGES[name]
        page.goto(f"{server}/{'' if name == 'overview' else name}")
        _settle(page, TITLES[name], n)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        charts = page.locator('[data-testid="stPlotlyChart"]')
        assert charts.count() == n, name
        for i in range(n):
            assert charts.nth(i).is_visible()
        # the sidebar navigation is app.py's (Chinese titles), not the pages/ file names
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "签约金额" in nav and "overview" not in nav
        _shot(page, name)
    outside = [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
               and urlparse(u).hostname not in LOCAL]
    assert not outside, outside


def test_url_keeps_filters_across_pages_and_reloads(server, browser_page):
    page, requests = browser_page
    page.goto(f"{server}/signed?province=江苏&targets=1")
    _settle(page, "签约金额", 1)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "江苏" in sidebar.locator("[data-tag]").first.inner_text()
    page.locator('[data-testid="stSidebarNav"]').get_by_text("项目数量").click()
    _settle(page, "项目数量", 1)  # 江苏 has signed projects, no funds-in-place pair
    page.wait_for_function("() => location.search.includes('province=')")
    assert parse_qs(urlparse(page.url).query) == {"province": ["江苏"], "targets": ["1"], "cmp": ["2023M1-8"],
                                                  "peer": ["zone"]}
    page.reload()
    _settle(page, "项目数量", 1)
    assert "江苏" in page.locator("[data-testid=\"stSidebar\"] [data-tag]").first.inner_text()
    _shot(page, "projects_jiangsu")
    assert page.locator('[data-testid="stException"]').count() == 0


def _download(page, button) -> bytes:
    with page.expect_download(timeout=60_000) as dl:
        button.click()
    return open(dl.value.path(), "rb").read()


def test_downloads_arrive(server, browser_page):
    page, _requests = browser_page
    page.goto(f"{server}/signed")
    _settle(page, "签约金额", 1)
    csv = _download(page, page.get_by_role("button", name="下载 CSV").first)
    assert csv.startswith(b"\xef\xbb\xbf") and "原句" in csv.decode("utf-8-sig").splitlines()[0]
    png = _download(page, page.get_by_role("button", name="下载 PNG").first)  # kaleido in the app's process
    assert png.startswith(b"\x89PNG") and len(png) > 10_000

    page.goto(f"{server}/briefing?province=重庆")
    _settle(page, "简报导出", 0)
    page.get_by_role("button", name="生成简报").click()
    word = page.get_by_role("button", name="下载 Word（DOCX）")
    word.wait_for(timeout=60_000)
    data = _download(page, word)
    assert data[:2] == b"PK"  # a zip: the .docx
    paras = docx.Document(io.BytesIO(data)).paragraphs
    assert paras[0].text == "招商引资工作简报" and "重庆招商引资情况" in paras[3].text  # 版头, then the headline
    _shot(page, "briefing")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_viewer_cannot_reach_the_import_page(server, browser_page):
    page, _requests = browser_page
    page.goto(f"{server}/")
    _settle(page, "总览", PAGES["overview"])
    assert "导入文档" not in page.locator('[data-testid="stSidebarNav"]').inner_text()
    page.goto(f"{server}/upload")
    page.get_by_text("无权访问：「导入文档」仅限管理员使用。").wait_for()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    _shot(page, "upload_refused")
