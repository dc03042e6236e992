"""Like-for-like comparisons: one kind of period, one level of region, in the URL; the rest listed
as 无同口径数据 or nested under its parent, never added to it."""

from __future__ import annotations

import duckdb
import pytest

from components import queries, vocab
from components.filters import Filters, from_params, resolve_like, to_params
from tests.dashboard.test_pages import arr, charts, metric, run


@pytest.mark.parametrize("start,end,code", [
    ("2023-01-01", "2023-12-31", "2023"), ("2023-01-01", "2023-03-31", "2023Q1"),
    ("2023-04-01", "2023-06-30", "2023Q2"), ("2023-07-01", "2023-12-31", "2023H2"),
    ("2023-01-01", "2023-09-30", "2023Q1-3"), ("2023-01-01", "2023-08-31", "2023M1-8"),
    ("2023-05-01", "2023-05-31", "2023M5"), ("2023-02-01", "2023-02-01", None),
    ("2023-02-01", "2023-04-30", None), ("2022-01-01", "2023-12-31", None), ("2023-01-01", None, None),
])
def test_comparable_period_codes(start, end, code):
    con = duckdb.connect()
    got = con.execute(f"""SELECT {queries._cmp_sql()} FROM (SELECT 'figure' AS kind, $s::DATE AS period_start,
                          $e::DATE AS period_end) v""", {"s": start, "e": end}).fetchone()[0]
    assert got == code
    if code:
        assert vocab.parse_cmp(code) is not None
        assert [d.isoformat() for d in vocab.cmp_dates(code)] == [start, end]


def test_period_codes_are_canonical():
    assert vocab.parse_cmp("2023M1-3") is None  # that is 2023Q1
    assert vocab.parse_cmp("2023M1-12") is None and vocab.parse_cmp("2023Q5") is None
    assert vocab.cmp_label("2023M1-8") == "2023年1—8月" and vocab.cmp_label("2023") == "2023年全年"


def test_url_keeps_comparison_and_drops_bad_values():
    from components.filters import Options

    opts = Options(years=(2023,))
    f = from_params({"cmp": "2023q1", "peer": "county"}, opts)
    assert (f.cmp, f.peer) == ("2023Q1", "county") and to_params(f) == {"cmp": "2023Q1", "peer": "county"}
    f = from_params({"cmp": "2023M1-3", "peer": "x'--"}, opts)
    assert f.cmp is None and f.peer is None


def test_default_is_the_period_most_regions_report(con):
    opts = queries.comparison_options(con, Filters(year=2023))
    f = resolve_like(Filters(year=2023), opts)
    assert (f.cmp, f.peer) == ("2023", "prefecture")  # 东莞 and 深圳: two regions report the full year
    f = resolve_like(Filters(year=2023, cmp="2023Q1", peer="zone"), opts)
    assert (f.cmp, f.peer) == ("2023Q1", "province")  # no zone reports 2023Q1: the group falls back
    assert resolve_like(Filters(year=2021), queries.comparison_options(con, Filters(year=2021))).cmp == ""


def test_fixture_2023_never_adds_a_quarter_to_a_year():
    at = run("overview", {"year": "2023"})
    assert metric(at, "签约金额") == "3,695"  # 东莞 3680.4 + 深圳 2亿美元 (2023年全年), not 重庆's 一季度 4908
    assert any("2023年全年" in c.value and "只合计" in c.value for c in at.caption)
    spec = charts(at)[0]
    bar = spec["data"][0]
    assert "2023年全年" in spec["layout"]["title"]["text"] and 4908 not in arr(bar["x"])
    assert all("，2023年，" in h or "，2023年<" in h for h in bar["hovertext"])  # each bar's own period: the year
    at = run("overview", {"year": "2023", "cmp": "2023Q1"})
    assert metric(at, "签约金额") == "4,908"
    assert dict(at.query_params)["cmp"] == "2023Q1"


def test_region_without_the_period_is_listed_as_no_like_data():
    at = run("signed", {"year": "2023", "cmp": "2023Q1"})
    unlike = next(d.value for d in at.dataframe if "情况" in d.value.columns)
    row = unlike[unlike["地区"] == "东莞市"].iloc[0]
    assert row["情况"] == vocab.NO_LIKE_DATA and "3,680.4（2023年）" in row["已有数字"]
    assert "东莞市" not in [y for t in charts(at)[0]["data"] for y in arr(t["y"])]


# ---------------------------------------------------------------- the bundled corpus


@pytest.fixture()
def on_corpus(seeds_db, monkeypatch):
    monkeypatch.setenv("ZSYZ_DB", str(seeds_db))
    c = duckdb.connect(str(seeds_db), read_only=True)
    yield c
    c.close()


def _ancestors(con) -> dict[str, set[str]]:
    parent = dict(con.execute("SELECT region_id, parent_id FROM regions").fetchall())
    out = {}
    for r in parent:
        seen, p = set(), parent.get(r)
        while p and p not in seen:
            seen.add(p)
            p = parent.get(p)
        out[r] = seen
    return out


def test_corpus_2023_kpi_sums_one_kind_of_period(on_corpus):
    at = run("overview", {"year": "2023"})
    f = at.session_state["_export_ctx"][0]
    assert f.cmp == "2023Q1"  # most regions report 一季度
    assert metric(at, "签约金额") == "4,908"  # 重庆市's 一季度; not + 东莞's year, 江宁's 1–8月, nor its districts


def test_corpus_chongqing_and_its_districts_are_never_peers(on_corpus):
    anc = _ancestors(on_corpus)
    at = run("overview", {"year": "2023"})
    assert len(at.sidebar.selectbox(key="flt_cmp").options) >= 3  # 2023年一季度, 全年, 1—8月 …
    seen_levels = set()
    for cmp_code in queries.comparison_options(on_corpus, Filters(year=2023))["cmp"].unique():
        for peer in vocab.PEER_GROUPS:
            f = Filters(year=2023, cmp=cmp_code, peer=peer)
            df = queries.region_values(on_corpus, f)
            if df.empty:
                continue
            ids = set(df["region_id"])
            assert {vocab.peer_of(lv) for lv in df["region_level"]} == {peer}
            assert all(not (anc[r] & ids) for r in ids), (cmp_code, peer, df[["region", "region_level"]])
            assert set(df["period_start"].astype(str)) == {str(vocab.cmp_dates(cmp_code)[0])}
            seen_levels.add(peer)
    assert {"province", "county"} <= seen_levels
    at = run("overview", {"year": "2023", "cmp": "2023Q1", "peer": "province"})
    ys = [y for t in charts(at)[0]["data"] for y in arr(t["y"])]
    assert ys == ["重庆市"]
    nest = next(d.value for d in at.dataframe if "说明" in d.value.columns)
    kids = nest[nest["地区"].str.startswith("　└")]
    assert {"　└ 巴南区", "　└ 巫溪县"} <= set(kids["地区"]) and set(kids["说明"]) == {"含于重庆市，不另计"}
    at = run("overview", {"year": "2023", "cmp": "2023Q1", "peer": "county"})
    ys = [y for t in charts(at)[0]["data"] for y in arr(t["y"])]
    assert "重庆市" not in ys and {"巴南区", "巫溪县"} <= set(ys)
    assert metric(at, "签约金额") == "4,908"  # the districts are inside 重庆市: never added to it


def test_corpus_durations_follow_their_event_date_in_a_quarter(on_corpus):
    at = run("approval", {"year": "2023"})
    table = at.dataframe[0].value
    assert "时间" in table.columns and len(table)
    # 江宁's durations are reported on 2023-09-04 with no date of their own: not 一季度 events
    at = run("approval", {"year": "2023", "span": "Q1"})
    assert not at.get("plotly_chart") and any("暂无数据" in i.value for i in at.info)


def test_precomputed_fact_base_matches_the_dashboards_rules():
    """etl/schema.sql's v_fact_base (stored as fact_base at load time) and queries._BASE agree on
    every whole-month span of a year and every level."""
    import calendar
    from datetime import date

    from etl.store import SCHEMA

    con = duckdb.connect()
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    con.execute("INSERT INTO documents (doc_id, sha256, extractor_version, text, doc_year) VALUES ('d', 'x', 't', 'x', 2023)")
    rows, i = [], 0
    for m1 in range(1, 13):
        for m2 in range(m1, 13):
            for lv in [*vocab.LEVEL_PEER, None]:
                rows.append((f"f{i}", "d", "figure", lv, date(2023, m1, 1), date(2023, m2, calendar.monthrange(2023, m2)[1])))
                i += 1
    rows += [(f"g{i}", "d", "figure", "county", date(2023, 2, 1), date(2023, 2, 1)),
             (f"h{i}", "d", "duration", "county", None, None)]
    con.executemany("INSERT INTO facts (fact_id, doc_id, kind, region_level, period_start, period_end, evidence, "
                    "char_start, char_end, cluster_id, is_primary, n_sources) VALUES (?, ?, ?, ?, ?, ?, 'e', 0, 1, 'c', TRUE, 1)",
                    rows)
    q_ = "SELECT fact_id, cmp, peer, fact_year FROM {} ORDER BY fact_id"
    assert con.execute(q_.format("v_fact_base")).fetchall() == con.execute(q_.format(f"({queries._BASE})")).fetchall()


def test_queries_read_the_precomputed_table(con):
    assert queries._source(con) == "fact_base"
    assert con.execute("SELECT count(*) FROM fact_base").fetchone() == con.execute("SELECT count(*) FROM v_facts").fetchone()
