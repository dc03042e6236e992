"""Dashboard latency on a big synthetic database (a benchmark, not a test).

Builds a database of --facts facts (default 1,000,000) over the ~3,800 regions of the gazetteer
(admin units + zones), written through etl.store like a real load. Then:
  1. every page under AppTest: the first run (cold caches), a rerun (warm) and a run with
     another province filter (a cache miss, what a user waits for), each against an empty page
     that only draws the sidebar filters;
  2. time to first chart in headless Chromium (Debian's /usr/bin/chromium): `streamlit run`,
     open a link, wait for the first plotly SVG; three times, the later ones with a warm browser.
     app.py alone (every cache cold) against serve.py (the server entry that precomputes the
     default view at start), and a shared link with filters (its own queries, on the fact_base
     table the ETL precomputes at load time).

Usage: .venv/bin/python benchmarks/bench_dashboard.py [--facts 1000000] [--no-browser] [--keep [--reuse]]
       [--browser-only] [--settle 10]
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # AppTest's bare-mode warnings

PAGES = ["overview", "signed", "projects", "approval", "mechanisms", "provenance", "region"]
EMPTY_PAGE = """
from components import layout
layout.page("空白页")
"""


def load_regions() -> list[tuple]:
    """(region_id, name, short_name, level, parent_id, province, lon, lat) for admin units and zones."""
    from etl.store import REGION_COLUMNS

    out = []
    with open(ROOT / "etl" / "rules" / "regions_admin.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.append(dict(region_id=r["region_id"], name=r["name"], short_name=r["short_name"], level=r["level"],
                            parent_id=r["parent_id"] or None, province=r["province"],
                            lon=float(r["lon"]) if r["lon"] else None, lat=float(r["lat"]) if r["lat"] else None))
    with open(ROOT / "etl" / "rules" / "zones.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.append(dict(region_id=r["region_id"], name=r["name"], short_name=r["short_name"], level=r["level"],
                            parent_id=r["parent_id"] or None, province=r["province"], lon=None, lat=None))
    return [tuple(d.get(c) for c in REGION_COLUMNS) for d in out]


def build_db(path: Path, n_facts: int, seed: int = 11) -> tuple[Path, int]:
    """A version file + pointer with n_facts facts; returns (pointer, number of regions)."""
    from etl.rules import load_yaml
    from etl.store import FACT_COLUMNS, write_version

    rng = random.Random(seed)
    regions = load_regions()
    metrics = list(load_yaml("metrics.yml")["metrics"])
    cats = list(load_yaml("mechanisms.yml")["categories"])
    chains = [None, "biomedicine", "semiconductor", "new_energy", "equipment", "digital"]
    stages = [("签约", "开工"), ("土地出让", "施工许可"), ("注册", "落地开工"), ("企业开办", "营业执照")]
    n_docs = max(1, n_facts // 200)
    sentence = "本报讯，该地区招商引资签约项目总额达{v}亿元，同比增长{y}%。"
    docs, texts = [], []
    for i in range(n_docs):
        d0 = date(2021, 1, 1) + timedelta(days=rng.randint(0, 1400))
        text = "".join(sentence.format(v=rng.randint(1, 999), y=rng.randint(1, 50)) for _ in range(20))
        texts.append(text)
        docs.append(dict(doc_id=f"bench_{i:06d}", path=None, sha256=hashlib.sha256(text.encode()).hexdigest(),
                         extractor_version="bench", format="txt", encoding="utf-8", title=f"基准文档{i}",
                         outlet=rng.choice(["重庆日报", "南方日报", "南京日报", "经济日报", None]), url=None,
                         date_published=d0, date_source="header", doc_year=d0.year, date_accessed=None,
                         n_chars=len(text), text=text, ingested_at=None))
    rows = []
    for i in range(n_facts):
        reg = regions[rng.randrange(len(regions))]
        di = rng.randrange(n_docs)
        doc = docs[di]
        s = rng.randrange(0, 19) * (len(texts[di]) // 20)
        e = s + len(texts[di]) // 20
        kind = rng.choices(("figure", "duration", "mechanism"), (6, 1, 3))[0]
        y = doc["doc_year"]
        # what reports state: a year, a quarter, a half, 1—N月 cumulative
        m1, m2 = rng.choice([(1, 12), (1, 3), (4, 6), (7, 9), (10, 12), (1, 6), (1, 9), (1, rng.randint(2, 11))])
        d = dict(fact_id=f"f{i:07d}", doc_id=doc["doc_id"], kind=kind, region_id=reg[0], region=reg[2] or reg[1],
                 province=reg[5], region_level=reg[3], evidence=texts[di][s:e], char_start=s, char_end=e,
                 sentence_start=s, sentence_end=e, cluster_id=f"c{i:07d}", is_primary=True, n_sources=1,
                 industry_chain=rng.choice(chains))
        if kind == "figure":
            m = rng.choice(metrics)
            money = m not in ("signed_projects", "started_projects", "enterprise_count", "land_area")
            v = round(rng.uniform(1, 500), 2) if money else float(rng.randint(1, 80))
            d.update(metric=m, value=v, unit="亿元" if money else "个", currency="CNY" if money else None,
                     value_cny=v if money else None, period_start=date(y, m1, 1),
                     period_end=date(y, m2, calendar.monthrange(y, m2)[1]), is_target=rng.random() < 0.1,
                     yoy_pct=round(rng.uniform(-20, 60), 1) if rng.random() < 0.3 else None)
        elif kind == "duration":
            a, b = rng.choice(stages)
            base = float(rng.randint(30, 400))
            d.update(from_stage=a, to_stage=b, baseline_days=base if rng.random() < 0.6 else None,
                     days=round(base * rng.uniform(0.1, 0.9)))
        else:
            c = rng.choice(cats)
            d.update(category=c, name=c)
        rows.append(tuple(d.get(c) for c in FACT_COLUMNS))
    write_version(path, docs, rows, regions, {"extractor_version": "bench", "built_at": "bench"},
                  check=lambda con: None)
    return path, len(regions)


DRAW = [0.0]  # seconds spent building and serialising charts in the current run


def _timed(fn):
    def wrapper(*a, **kw):
        t0 = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            DRAW[0] += time.perf_counter() - t0
    return wrapper


def instrument_charts() -> None:
    """Count the charts' own drawing: chart builders and layout.plot (st.plotly_chart)."""
    import inspect

    from components import charts, layout

    for name, fn in inspect.getmembers(charts, inspect.isfunction):
        if fn.__module__ == charts.__name__ and not name.startswith("_") and name not in (
                "trunc", "evidence_hover", "china_geojson", "maritime_lines"):
            setattr(charts, name, _timed(fn))
    layout.plot = _timed(layout.plot)


def time_apptest(db: Path, rounds: int = 3) -> list[tuple[str, float, float, float, float]]:
    """(page, cold s, warm rerun s, of which charts s, other-filter s) per page; the empty page first."""
    os.environ["ZSYZ_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    instrument_charts()

    def one(make, province: str | None = None) -> tuple[float, float, float, float]:
        at = make()
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        assert not at.exception, [e.value for e in at.exception]
        warm, draw = [], []
        for _ in range(rounds):
            DRAW[0] = 0.0
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
            draw.append(DRAW[0])
        other = make()
        other.query_params["province"] = province or "江苏"
        t0 = time.perf_counter()
        other.run()
        miss = time.perf_counter() - t0
        assert not other.exception, [e.value for e in other.exception]
        return cold, statistics.median(warm), statistics.median(draw), miss

    out = []
    provinces = ["广东", "浙江", "四川", "山东", "湖北", "河南", "福建", "湖南"]
    out.append(("(空白页)", *one(lambda: AppTest.from_string(EMPTY_PAGE, default_timeout=600), "重庆")))
    for i, p in enumerate(PAGES):
        out.append((p, *one(lambda p=p: AppTest.from_file(str(ROOT / "pages" / f"{p}.py"), default_timeout=600),
                            provinces[i % len(provinces)])))
    return out


def time_browser(db: Path, entry: str = "serve.py", path: str = "/", settle: float = 0.0,
                 before: str | None = None) -> list[float] | None:
    """Time to first chart of `path`, three times (1: cold server caches and browser; 2-3: warm).
    `settle`: seconds between the server answering its health check and the first visit (the
    warm-up of serve.py runs meanwhile, as it would between a load and the first visitor)."""
    chromium = "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not os.path.exists(chromium):
        return None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ZSYZ_DB": str(db)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", entry, "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--server.fileWatcherType", "none"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(settle)
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            page.set_default_timeout(600_000)
            if before:  # a browser that has opened the dashboard before (its scripts cached)
                page.goto(url + before)
                page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
            for _ in range(3):  # 1: cold server caches and browser; 2-3: warm
                t0 = time.perf_counter()
                page.goto(url + path)
                page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
                times.append(time.perf_counter() - t0)
            browser.close()
        return times
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the database in benchmarks/out")
    ap.add_argument("--reuse", action="store_true", help="with --keep: reuse the database left there")
    ap.add_argument("--browser-only", action="store_true", help="only the time to first chart in Chromium")
    ap.add_argument("--settle", type=float, default=10.0,
                    help="seconds between server start and the first visit (serve.py warms up meanwhile)")
    a = ap.parse_args()
    work = ROOT / "benchmarks" / "out" if a.keep else Path(tempfile.mkdtemp(prefix="bench-dash-"))
    work.mkdir(parents=True, exist_ok=True)
    if a.reuse and (work / "facts.duckdb").exists():
        db = work / "facts.duckdb"
        print(f"database: reused {db}")
    else:
        t0 = time.perf_counter()
        db, n_regions = build_db(work / "facts.duckdb", a.facts)
        print(f"database: {a.facts:,} facts, {n_regions:,} regions, built in {time.perf_counter() - t0:.1f} s")

    rows = [] if a.browser_only else time_apptest(db)
    empty_warm = rows[0][2] if rows else 1.0
    print("times in s; rerun = same view again (warm caches); charts = building + serialising the figures;")
    print("new filter = another province (cache miss); ratio = (rerun - charts) / empty page rerun")
    print(f"{'page':<12} {'cold':>7} {'rerun':>7} {'charts':>7} {'new filter':>11} {'ratio':>6}")
    for name, cold, warm, draw, miss in rows:
        print(f"{name:<12} {cold:7.3f} {warm:7.3f} {draw:7.3f} {miss:11.3f} {(warm - draw) / empty_warm:6.2f}")
    if not a.no_browser:
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        shared = "/?province=广东&year=2023"
        for label, entry, path, settle, before in (
                ("app.py, link without filters, no warm-up", "app.py", "/", 0.0, None),
                ("serve.py, link without filters, warm-up at start", "serve.py", "/", a.settle, None),
                (f"serve.py, shared link {shared}", "serve.py", shared, a.settle, None),
                (f"serve.py, shared link {shared}, browser that opened / before", "serve.py", shared, a.settle, "/")):
            t = time_browser(db, entry, path, settle, before)
            if t is None:
                print("browser: skipped (playwright or /usr/bin/chromium missing)")
                break
            print(f"first chart in Chromium ({label}): cold {t[0]:.2f} s, warm {min(t[1:]):.2f} s")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
