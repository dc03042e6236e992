"""The extraction's own scores on the project's golden documents (the test fixtures), so users see
how far to trust figures nobody has reviewed. Pure apart from reading the fixture files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from etl.evaluate import score
from etl.ingest import collect_files, load_manifests, process_file

ROOT = Path(__file__).resolve().parent.parent
# (label, documents folder, gold JSONL): hand-annotated sets kept with the tests
GOLDEN_SETS = (
    ("样例文档（5 篇，随附语料）", ROOT / "tests" / "fixtures" / "seeds", ROOT / "tests" / "golden" / "seeds_gold.jsonl"),
    ("体裁文档（为本项目编写）", ROOT / "tests" / "genre" / "docs", ROOT / "tests" / "genre" / "gold.jsonl"),
)


def golden_scores(sets=GOLDEN_SETS) -> list[dict]:
    """One row per set and kind: precision, recall, F1 and counts; [] when the fixtures are absent."""
    out = []
    for label, docs, gold_path in sets:
        if not (docs.is_dir() and gold_path.is_file()):
            continue
        gold = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]
        files, _ = collect_files([str(docs)])
        manifest = load_manifests(files)
        pred: list[dict] = []
        n_docs = 0
        for path in files:
            got = process_file(path, hashlib.sha256(path.read_bytes()).hexdigest(), manifest.get(path.stem, {}))
            if isinstance(got, str):
                continue
            n_docs += 1
            pred += [f.export(path.stem) for f in got[1]]
        for kind, r in score(gold, pred).items():
            out.append({"set": label, "kind": kind, "n_docs": n_docs, **r})
    return out
