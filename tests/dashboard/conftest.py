"""A tiny hand-written fact database for the dashboard tests (independent of the seeds).

Regions in three provinces (江苏, 广东, 重庆) at five levels; figures incl. a target and a USD
amount; durations with both ends, only days, only a baseline; mechanisms; one fact reported
by two documents (a cluster with n_sources=2). Built as a real version file + pointer with
etl.store.write_version; ZSYZ_DB points the app at it for the whole test session.
"""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# --------------------------------------------------------------------------- regions

REGIONS = [  # region_id, name, short_name, level, parent_id, province, lon, lat
    ("320000", "江苏省", "江苏", "province", None, "江苏", 118.76, 32.06),
    ("320100", "南京市", "南京", "prefecture", "320000", "江苏", 118.80, 32.06),
    ("320115", "江宁区", "江宁", "county", "320100", "江苏", 118.84, 31.95),
    ("Z-320115-江宁高新区", "江宁高新技术产业开发区", "江宁高新区", "hitech", "320115", "江苏", None, None),
    ("440000", "广东省", "广东", "province", None, "广东", 113.27, 23.13),
    ("441900", "东莞市", "东莞", "prefecture", "440000", "广东", 113.75, 23.02),
    ("440300", "深圳市", "深圳", "prefecture", "440000", "广东", 114.06, 22.54),
    ("500000", "重庆市", "重庆", "province", None, "重庆", 106.55, 29.56),
    ("500113", "巴南区", "巴南", "county", "500000", "重庆", 106.54, 29.40),
    ("Z-500000-两江新区", "重庆两江新区", "两江新区", "new_area", "500000", "重庆", None, None),
]
_R = {r[0]: r for r in REGIONS}

# --------------------------------------------------------------------------- documents

DOCS = {
    "d1_nanjing": dict(title="链式招商激发内驱力 江宁高新区前8月签约378.6亿元", outlet="南京日报",
                       date_published=date(2023, 9, 4), doc_year=2023),
    "d2_dongguan": dict(title="东莞招商引资成绩单", outlet="南方日报", date_published=date(2024, 2, 1), doc_year=2024),
    "d3_chongqing": dict(title="重庆一季度招商引资亮眼", outlet="重庆日报", date_published=date(2023, 5, 10),
                         doc_year=2023),
    "d4_chongqing": dict(title="重庆招商赛马：一季度正式合同金额4908亿元", outlet="重庆晨报",
                         date_published=date(2023, 5, 11), doc_year=2023),
}

# (doc, region, kind, evidence, fields); evidence is placed verbatim in the doc's text
FACTS = [
    ("d1_nanjing", "Z-320115-江宁高新区", "figure", "今年前8月，江宁高新区签约项目总额达378.6亿元。",
     dict(metric="signed_amount", value=378.6, unit="亿元", currency="CNY", period=("2023-01-01", "2023-08-31"),
          industry_chain="equipment")),
    ("d1_nanjing", "Z-320115-江宁高新区", "figure", "共签约亿元以上项目66个。",
     dict(metric="signed_projects", value=66, unit="个", period=("2023-01-01", "2023-08-31"),
          qualifier="亿元以上项目")),
    ("d1_nanjing", "Z-320115-江宁高新区", "duration", "项目从签约到开工由原来的180天压缩至90天。",
     dict(from_stage="签约", to_stage="开工", days=90.0, baseline_days=180.0, keys=("签约", "开工"),
          baseline_kind="own")),
    ("d1_nanjing", "320115", "mechanism", "江宁区坚持链式招商，沿着产业链顺藤摸瓜。",
     dict(category="chain_targeting", name="链式招商")),
    ("d2_dongguan", "441900", "figure", "2023年东莞引进协议投资3680.4亿元，增长9.4%。",
     dict(metric="signed_amount", value=3680.4, unit="亿元", currency="CNY", period=("2023-01-01", "2023-12-31"),
          yoy_pct=9.4)),
    ("d2_dongguan", "441900", "figure", "其中亿元以上产业项目协议投资2209.4亿元。",
     dict(metric="signed_amount", value=2209.4, unit="亿元", currency="CNY", period=("2023-01-01", "2023-12-31"),
          qualifier="亿元以上产业项目")),
    ("d2_dongguan", "441900", "figure", "2024年力争引进亿元以上产业项目协议投资1500亿元。",
     dict(metric="signed_amount", value=1500.0, unit="亿元", currency="CNY", period=("2024-01-01", "2024-12-31"),
          is_target=True, qualifier="亿元以上产业项目")),
    # a commitment, a stage that maps to nothing, another project as the baseline (审批提速 page)
    ("d2_dongguan", "441900", "duration", "东莞力争项目签约后3个月内开工。",
     dict(from_stage="签约", to_stage="开工", days=90.0, keys=("签约", "开工"), is_target=True)),
    ("d2_dongguan", "441900", "duration", "东莞企业诉求从受理到闭环处理仅用2天。",
     dict(from_stage="受理", to_stage="闭环处理", days=2.0, keys=(None, None))),
    ("d2_dongguan", "441900", "duration", "东莞某项目从签约到投产仅用8个月，比某某项目少用4个月。",
     dict(from_stage="签约", to_stage="投产", days=240.0, baseline_days=360.0, keys=("签约", "投产"),
          baseline_kind="other", baseline_ref="某某项目")),
    ("d2_dongguan", "441900", "mechanism", "东莞以商引商，请企业家当招商顾问。",
     dict(category="business_referral", name="以商引商")),
    ("d2_dongguan", "440300", "figure", "深圳签约外资项目金额2亿美元。",
     dict(metric="signed_amount", value=2.0, unit="亿", currency="USD", period=("2023-01-01", "2023-12-31"),
          qualifier="外资")),
    ("d3_chongqing", "500000", "figure", "一季度全市新签订正式合同金额4908亿元。",
     dict(metric="signed_amount", value=4908.0, unit="亿元", currency="CNY", period=("2023-01-01", "2023-03-31"),
          qualifier="正式合同", cluster="c-cq-4908")),
    ("d3_chongqing", "500000", "figure", "资金到位1152亿元。",
     dict(metric="funds_in_place", value=1152.0, unit="亿元", currency="CNY", period=("2023-01-01", "2023-03-31"))),
    ("d3_chongqing", "500000", "figure", "新开工项目276个。",
     dict(metric="started_projects", value=276, unit="个", period=("2023-01-01", "2023-03-31"), qualifier="新开工")),
    ("d3_chongqing", "500000", "duration", "从土地出让到取得施工许可证，过去需要75天。",
     dict(from_stage="土地出让", to_stage="施工许可", days=None, baseline_days=75.0, keys=("拿地", "施工许可"),
          baseline_kind="own")),
    ("d3_chongqing", "500113", "figure", "巴南区2022年一季度签约重大产业项目47个。",
     dict(metric="signed_projects", value=47, unit="个", period=("2022-01-01", "2022-03-31"), qualifier="重大产业项目")),
    ("d3_chongqing", "500113", "figure", "巴南区2022年一季度签约总投资290亿元。",
     dict(metric="signed_amount", value=290.0, unit="亿元", currency="CNY", period=("2022-01-01", "2022-03-31"))),
    ("d3_chongqing", "Z-500000-两江新区", "duration", "从注册到落地开工，仅用一周。",
     dict(from_stage="注册", to_stage="落地开工", days=7.0, baseline_days=None, keys=("注册", "开工"))),
    ("d3_chongqing", "Z-500000-两江新区", "mechanism", "两江新区组建工作专班，实行一个专员一跟到底。",
     dict(category="task_force", name="工作专班", cluster="c-lj-task")),
    ("d3_chongqing", "500000", "mechanism", "重庆公布一季度全市招商投资赛马榜。",
     dict(category="performance_race", name="赛马榜")),
    # the same facts reported again by a second document (not primary: counted once)
    ("d4_chongqing", "500000", "figure", "重庆一季度正式合同金额4908亿元。",
     dict(metric="signed_amount", value=4908.0, unit="亿元", currency="CNY", period=("2023-01-01", "2023-03-31"),
          qualifier="正式合同", cluster="c-cq-4908", primary=False)),
    ("d4_chongqing", "Z-500000-两江新区", "mechanism", "两江新区组建工作专班推进项目。",
     dict(category="task_force", name="工作专班", cluster="c-lj-task", primary=False)),
]

FILLER = "本报讯 记者从当地获悉，招商引资工作取得新进展。"


def _group(fk, tk):
    return f"{fk}→{tk}" if fk and tk else None


def build_rows():
    from etl.rules import load_yaml
    from etl.store import FACT_COLUMNS

    rates = load_yaml("fx.yml")["rates_to_cny"]
    texts: dict[str, str] = {d: FILLER for d in DOCS}
    spans = []
    for doc, _r, _k, ev, _f in FACTS:
        start = len(texts[doc])
        texts[doc] += ev + FILLER
        spans.append((start, start + len(ev)))
    clusters: dict[str, int] = {}
    for *_x, f in FACTS:
        if f.get("cluster"):
            clusters[f["cluster"]] = clusters.get(f["cluster"], 0) + 1
    rows = []
    for i, ((doc, rid, kind, ev, f), (s, e)) in enumerate(zip(FACTS, spans)):
        reg = _R[rid]
        cluster = f.get("cluster") or f"c{i:03d}"
        value_cny = None
        if kind == "figure" and f.get("unit") in ("亿元", "亿"):
            value_cny = round(f["value"] * float(rates[f.get("currency") or "CNY"]), 6)
        ps, pe = f.get("period", (None, None))
        d = dict(
            fact_id=f"f{i:03d}", doc_id=doc, kind=kind, region_id=rid, region=reg[2] if reg[3] in (
                "hitech", "new_area") else reg[1], province=reg[5], region_level=reg[3],
            metric=f.get("metric"), value=f.get("value"), unit=f.get("unit"), currency=f.get("currency"),
            value_cny=value_cny, period_start=date.fromisoformat(ps) if ps else None,
            period_end=date.fromisoformat(pe) if pe else None, yoy_pct=f.get("yoy_pct"),
            is_target=f.get("is_target", False) if kind in ("figure", "duration") else None, qualifier=f.get("qualifier"),
            subject=None, industry_chain=f.get("industry_chain"), from_stage=f.get("from_stage"),
            to_stage=f.get("to_stage"), days=f.get("days"), baseline_days=f.get("baseline_days"),
            category=f.get("category"), name=f.get("name"), evidence=ev, char_start=s, char_end=e,
            sentence_start=s, sentence_end=e, cluster_id=cluster, is_primary=f.get("primary", True),
            n_sources=clusters.get(cluster, 1),
            from_stage_key=f.get("keys", (None, None))[0], to_stage_key=f.get("keys", (None, None))[1],
            stage_group=_group(*f.get("keys", (None, None))) if kind == "duration" else None,
            baseline_kind=f.get("baseline_kind"), baseline_ref=f.get("baseline_ref"),
        )
        rows.append(tuple(d.get(c) for c in FACT_COLUMNS))
    docs = []
    for doc, meta in DOCS.items():
        text = texts[doc]
        docs.append(dict(doc_id=doc, path=f"data/raw/{doc}.txt", sha256=hashlib.sha256(text.encode()).hexdigest(),
                         extractor_version="test", format="txt", encoding="utf-8", title=meta["title"],
                         outlet=meta["outlet"], url=None, date_published=meta["date_published"],
                         date_source="header", doc_year=meta["doc_year"], date_accessed=None, n_chars=len(text),
                         text=text, ingested_at=None))
    return docs, rows


def build_db(path: Path) -> Path:
    from etl.store import write_version

    docs, rows = build_rows()
    write_version(path, docs, rows, REGIONS, {"extractor_version": "test", "built_at": "2024-01-01T00:00:00"},
                  check=lambda con: None)
    return path


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("dashdb") / "facts.duckdb")


@pytest.fixture(scope="session", autouse=True)
def zsyz_db(fixture_db):
    """Point components/db.py (and AppTest runs) at the fixture database."""
    old = os.environ.get("ZSYZ_DB")
    os.environ["ZSYZ_DB"] = str(fixture_db)
    yield fixture_db
    if old is None:
        os.environ.pop("ZSYZ_DB", None)
    else:
        os.environ["ZSYZ_DB"] = old


@pytest.fixture()
def con(fixture_db):
    import duckdb

    c = duckdb.connect(os.path.realpath(fixture_db), read_only=True)
    yield c
    c.close()
