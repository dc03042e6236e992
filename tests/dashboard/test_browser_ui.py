"""The app in headless Chromium as a reader sees it: every page's visible text Chinese (fixture
database and bundled corpus), the plotly toolbar in Chinese, and a usable phone layout (390 px)."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.dashboard.test_browser import ARGS, ARTIFACTS, CHROMIUM, TITLES, _settle, streamlit_app, sync_api
from tests.dashboard.test_pages import PAGES

# format and product names a button may carry (下载 CSV, 下载 Word（DOCX）)
ALLOWED = {"CSV", "XLSX", "PNG", "SVG", "DOCX", "PPTX", "PDF", "Word", "PowerPoint"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")

VISIBLE_TEXT = """() => {
  const out = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const W = document.documentElement.scrollWidth, H = document.documentElement.scrollHeight;
  let n;
  while ((n = w.nextNode())) {
    const t = n.textContent.trim();
    const el = n.parentElement;
    if (!t || !el) continue;
    // icon ligatures (download, keyboard_double_arrow_right) draw as icons; screen-reader-only text is not seen
    if (el.closest('[aria-hidden="true"],[data-testid="stIconMaterial"],script,style,noscript,[role="log"]')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    if (parseFloat(getComputedStyle(el).fontSize) === 0) continue;  // drawn as something else (::after)
    const r = el.getBoundingClientRect();
    const x = r.left + window.scrollX, y = r.top + window.scrollY;
    if (r.width <= 1 || r.height <= 1 || x + r.width <= 0 || y + r.height <= 0 || x >= W || y >= H) continue;
    out.push(t);
  }
  return out;
}"""


# what a toolbar button's tooltip shows: plotly draws it as ::after { content: attr(data-title) }
TOOLTIPS = """() => [...document.querySelectorAll('.modebar-btn')].map(b => {
  const c = getComputedStyle(b, '::after').content;
  return (!c || c === 'none' || c.startsWith('attr(')) ? b.getAttribute('data-title') : c.replace(/^"|"$/g, '');
})"""


def _source_words(db) -> set[str]:
    """Latin words of the documents themselves (a quoted company name such as ATI is source text)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        texts = [r[0] or "" for r in con.execute("SELECT text || ' ' || coalesce(title, '') || ' ' || coalesce(outlet, '') "
                                                "FROM documents").fetchall()]
    finally:
        con.close()
    return {w for t in texts for w in WORD.findall(t)}


def _english(page, allowed: set[str]) -> list[str]:
    words = {w for t in page.evaluate(VISIBLE_TEXT) for w in WORD.findall(t)}
    return sorted(w for w in words if w not in allowed)


@pytest.fixture(scope="module", params=["fixture", "corpus"])
def app(request, fixture_db, seeds_db):
    db = fixture_db if request.param == "fixture" else seeds_db
    with streamlit_app(db, f"streamlit_ui_{request.param}.log") as url:
        yield request.param, url, ALLOWED | _source_words(db)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _n_charts(page) -> int:
    return page.locator('[data-testid="stPlotlyChart"]').count()


def test_every_page_speaks_chinese(app, browser):
    name, url, allowed = app
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    try:
        seen_charts = 0
        for query in ("", "?year=2023"):
            for p in PAGES:
                page.goto(f"{url}/{'' if p == 'overview' else p}{query}")
                _settle(page, TITLES[p], 0)
                _settle(page, TITLES[p], _n_charts(page))  # charts and their toolbars drawn
                assert page.locator('[data-testid="stException"]').count() == 0, (p, query)
                assert _english(page, allowed) == [], (name, p, query)
                # the chart toolbar: Chinese tooltips and no uncaptioned PNG button
                titles = page.evaluate(TOOLTIPS)
                assert [t for t in titles if not t or WORD.search(t)] == [], p
                assert page.locator('.modebar-btn[data-val="toImage"], [data-title*="PNG"]').count() == 0
                seen_charts += _n_charts(page) and len(titles)
        assert seen_charts  # toolbars were there to check
        # a select menu with no match says so in Chinese
        page.goto(f"{url}/")
        _settle(page, "总览", 0)
        page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
        page.keyboard.type("zzzz")
        page.wait_for_timeout(500)
        # Streamlit writes "No results"; the page's style draws 无匹配项 in its place
        shown = page.evaluate("""() => [...document.querySelectorAll('div[role=option] > span')]
            .filter(s => s.textContent.trim() === 'No results')
            .map(s => [getComputedStyle(s).fontSize, getComputedStyle(s, '::after').content])""")
        assert shown and all(size == "0px" and "无匹配项" in after for size, after in shown), shown
        assert "No results" not in " ".join(page.evaluate(VISIBLE_TEXT))
        page.screenshot(path=str(ARTIFACTS / f"zh_select_{name}.png"))
    finally:
        ctx.close()


PHONE = {"width": 390, "height": 844}
CHART_BOXES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].map(p => {
  const svg = p.querySelector('.main-svg').getBoundingClientRect();
  const box = s => { const e = p.querySelector(s); if (!e) return null; const r = e.getBoundingClientRect();
                     return {l: r.left - svg.left, r: r.right - svg.left, t: r.top - svg.top, b: r.bottom - svg.top}; };
  const texts = [...p.querySelectorAll('.bartext, .ytick text, .xtick text, .textpoint text')]
      .map(e => [e.textContent, e.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0).map(([s, r]) => ({s, l: r.left - svg.left, r: r.right - svg.left}));
  return {w: svg.width, title: box('.gtitle'), legend: box('.legend'), xtitle: box('.xtitle'), texts};
})"""


@pytest.mark.parametrize("path,title", [("", "总览"), ("signed?year=2023", "签约金额"), ("projects?year=2023&cmp=2023Q1", "项目数量"),
                                        ("mechanisms", "招商机制"), ("approval", "审批提速")],
                         ids=["overview", "signed", "projects", "mechanisms", "approval"])
def test_phone_layout(app, browser, path, title):
    name, url, _ = app
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{url}/{path}")
        _settle(page, title, 0)
        _settle(page, title, _n_charts(page))  # every chart drawn before it is measured
        page.wait_for_timeout(800)
        # the sidebar starts collapsed: the page is not covered
        sb = page.locator('[data-testid="stSidebar"]')
        assert sb.get_attribute("aria-expanded") == "false" or sb.bounding_box() is None or sb.bounding_box()["x"] + \
            sb.bounding_box()["width"] <= 1
        h1 = page.get_by_role("heading", name=title, level=1).bounding_box()
        assert h1["x"] >= 0 and h1["x"] + h1["width"] <= PHONE["width"]
        # nothing wider than the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
        boxes = page.evaluate(CHART_BOXES)
        assert len(boxes) == _n_charts(page) >= 1, path
        for c in boxes:
            assert c["w"] <= PHONE["width"]
            t = c["title"]
            assert t and t["l"] >= -1 and t["r"] <= c["w"] + 1, c  # the title is not clipped
            if c["legend"]:  # legends sit below the title, inside the chart
                assert c["legend"]["t"] >= t["b"] and c["legend"]["r"] <= c["w"] + 1, c
                assert not c["xtitle"] or c["legend"]["t"] >= c["xtitle"]["b"] or c["legend"]["b"] <= c["xtitle"]["t"], c
            clipped = [x for x in c["texts"] if x["l"] < -1 or x["r"] > c["w"] + 1]
            assert clipped == [], (path, c["w"], clipped)  # labels unclipped
        page.screenshot(path=str(ARTIFACTS / f"phone_{name}_{title}.png"), full_page=True)
    finally:
        ctx.close()


def test_the_server_entry_serves_the_app_and_warms_its_caches(fixture_db, browser):
    """scripts/run.sh starts serve.py: the same app, with the default view precomputed at start."""
    with streamlit_app(fixture_db, "streamlit_serve.log", entry="serve.py") as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="zh-CN")
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        try:
            page.goto(f"{url}/?year=2023")
            _settle(page, "总览", 1)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert "签约金额" in page.locator('[data-testid="stSidebarNav"]').inner_text()
        finally:
            ctx.close()
    assert "warm-up failed" not in (ARTIFACTS / "streamlit_serve.log").read_text()
