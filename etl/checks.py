"""Post-load data checks in SQL; a failing check stops the load before the swap."""

from __future__ import annotations

import duckdb

from etl.rules import load_yaml


class CheckFailed(Exception):
    """`docs`: the documents whose facts failed a check, with the checks' names."""

    def __init__(self, msg: str, docs: dict[str, list[str]] | None = None):
        super().__init__(msg)
        self.docs = docs or {}


def _vocab() -> dict[str, list[str]]:
    return {
        "metric": list(load_yaml("metrics.yml")["metrics"]),
        "category": list(load_yaml("mechanisms.yml")["categories"]),
        "industry_chain": list(load_yaml("chains.yml")["chains"]),
    }


def checks() -> list[tuple[str, str]]:
    """(name, SQL returning offending rows)."""
    v = _vocab()
    q = lambda xs: ", ".join("'" + x + "'" for x in xs)  # noqa: E731  (vocabulary, not user input)
    money = [m for m, s in load_yaml("metrics.yml")["metrics"].items() if s.get("money")]
    units = {m: s["unit"] for m, s in load_yaml("metrics.yml")["metrics"].items()}
    count_unit_sql = " OR ".join(f"(metric = '{m}' AND unit <> '{u}')" for m, u in units.items() if m not in money)
    return [
        ("kind in vocabulary", "SELECT fact_id FROM facts WHERE kind NOT IN ('figure','duration','mechanism')"),
        ("metric in vocabulary", f"SELECT fact_id FROM facts WHERE kind='figure' AND metric NOT IN ({q(v['metric'])})"),
        ("category in vocabulary", f"SELECT fact_id FROM facts WHERE kind='mechanism' AND category NOT IN ({q(v['category'])})"),
        ("industry_chain in vocabulary", f"SELECT fact_id FROM facts WHERE industry_chain IS NOT NULL AND industry_chain NOT IN ({q(v['industry_chain'])})"),
        ("money unit matches currency", f"SELECT fact_id FROM facts WHERE metric IN ({q(money)}) AND NOT ((currency='CNY' AND unit='亿元') OR (currency<>'CNY' AND unit='亿'))"),
        ("count unit matches metric", f"SELECT fact_id FROM facts WHERE kind='figure' AND ({count_unit_sql})"),
        ("figure has a value", "SELECT fact_id FROM facts WHERE kind='figure' AND (value IS NULL OR value < 0)"),
        ("duration has days or baseline", "SELECT fact_id FROM facts WHERE kind='duration' AND days IS NULL AND baseline_days IS NULL"),
        ("period order", "SELECT fact_id FROM facts WHERE period_start > period_end"),
        ("evidence not empty", "SELECT fact_id FROM facts WHERE evidence IS NULL OR length(trim(evidence)) = 0"),
        ("evidence verbatim at its offsets",
         "SELECT f.fact_id FROM facts f JOIN documents d USING (doc_id) "
         "WHERE substr(d.text, f.char_start + 1, f.char_end - f.char_start) <> f.evidence"),
        ("region resolves", "SELECT fact_id FROM facts f WHERE region_id IS NOT NULL AND region_id NOT IN (SELECT region_id FROM regions)"),
        ("province set with region", "SELECT fact_id FROM facts WHERE region_id IS NOT NULL AND province IS NULL"),
        ("one primary per cluster",  # none when every fact of the cluster was rejected by a reviewer
         "SELECT cluster_id FROM facts LEFT JOIN fact_reviews r USING (fact_id) GROUP BY cluster_id "
         "HAVING sum(CASE WHEN is_primary THEN 1 ELSE 0 END) <> "
         "CASE WHEN bool_and(coalesce(r.review_status, '') = 'rejected') THEN 0 ELSE 1 END"),
        ("fact has a document", "SELECT fact_id FROM facts WHERE doc_id NOT IN (SELECT doc_id FROM documents)"),
    ]


def run_checks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of failing checks with a sample of offending ids."""
    failures = []
    for name, sql in checks():
        bad = con.execute(sql + " LIMIT 5").fetchall()
        if bad:
            failures.append(f"{name}: {[b[0] for b in bad]}")
    return failures


def failing_docs(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Document id -> names of the checks its facts fail (all offending rows, no sample)."""
    out: dict[str, list[str]] = {}
    for name, sql in checks():
        rows = con.execute(f"SELECT DISTINCT doc_id FROM facts WHERE fact_id IN ({sql}) OR cluster_id IN ({sql})").fetchall()
        for (doc_id,) in rows:
            out.setdefault(doc_id, []).append(name)
    return out


def assert_checks(con: duckdb.DuckDBPyConnection) -> None:
    failures = run_checks(con)
    if failures:
        raise CheckFailed("data checks failed:\n  " + "\n  ".join(failures), failing_docs(con))
