"""All dashboard SQL: named functions (con, ...) -> DataFrame, values as bound parameters."""

from __future__ import annotations

import duckdb
import pandas as pd


def documents_loaded(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Documents with their fact counts per kind."""
    return con.execute(
        "SELECT d.doc_id AS 文档, d.title AS 标题, d.outlet AS 来源, d.date_published AS 日期, "
        "count(f.fact_id) FILTER (WHERE f.kind = 'figure') AS 数字, "
        "count(f.fact_id) FILTER (WHERE f.kind = 'duration') AS 时长, "
        "count(f.fact_id) FILTER (WHERE f.kind = 'mechanism') AS 机制 "
        "FROM documents d LEFT JOIN facts f USING (doc_id) GROUP BY ALL ORDER BY 1"
    ).df()
