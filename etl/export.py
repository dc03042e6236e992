"""Facts from a database version as JSONL rows with the field names of facts.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from etl.models import KIND_FIELDS
from etl.store import connect_read_only, rows


def export_rows(db: Path, kind: str | None = None) -> list[dict]:
    con = connect_read_only(db)
    try:
        sql = "SELECT * FROM facts"
        params: list = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind)
        sql += " ORDER BY doc_id, char_start, kind"
        out = []
        for r in rows(con, sql, params):
            d = {"doc": r["doc_id"], "kind": r["kind"], "region": r["region"], "province": r["province"]}
            for k in KIND_FIELDS[r["kind"]]:
                v = r[k]
                d[k] = v.isoformat() if isinstance(v, date) else v
            d.update(evidence=r["evidence"], char_start=r["char_start"], char_end=r["char_end"],
                     cluster_id=r["cluster_id"], n_sources=r["n_sources"])
            out.append(d)
        return out
    finally:
        con.close()
