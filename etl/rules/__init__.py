"""Extraction vocabularies as data: loaders for the files in this folder.

Every file here is reviewed like code and schema-checked by tests/test_rules.py.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent


def rules_path(name: str) -> Path:
    return RULES_DIR / name


@functools.cache
def load_yaml(name: str) -> Any:
    with open(rules_path(name), encoding="utf-8") as f:
        return yaml.safe_load(f)


@functools.cache
def load_csv(name: str) -> tuple[dict[str, str], ...]:
    with open(rules_path(name), encoding="utf-8", newline="") as f:
        return tuple(dict(r) for r in csv.DictReader(f))


@functools.lru_cache(maxsize=1)
def load_char_variants() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in rules_path("char_variants.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        src, dst = line.split("\t")[:2]
        out[src] = dst
    return out
