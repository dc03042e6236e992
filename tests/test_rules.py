"""The vocabularies in etl/rules are valid data and match the spec (tests/fixtures/facts.md)."""

import csv
import json
import re

import jsonschema
import pytest

from etl.rules import RULES_DIR, load_yaml
from tests.conftest import FIXTURES

YAML_FILES = ["mechanisms", "chains", "metrics", "durations", "units", "fx", "region_context", "stages"]


@pytest.mark.parametrize("name", YAML_FILES)
def test_yaml_matches_schema(name):
    schema = json.loads((RULES_DIR / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.validate(load_yaml(f"{name}.yml"), schema)


def _spec_table(section: str) -> list[str]:
    text = (FIXTURES / "facts.md").read_text(encoding="utf-8")
    part = text.split(section, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", part, flags=re.M)


def test_every_spec_category_once():
    spec = _spec_table("## 3. Mechanisms")
    assert len(spec) == 16
    assert sorted(load_yaml("mechanisms.yml")["categories"]) == sorted(spec)


def test_every_spec_metric_once():
    spec = _spec_table("## 1. Figures")
    assert len(spec) == 9
    assert sorted(load_yaml("metrics.yml")["metrics"]) == sorted(spec)


def test_every_spec_chain_once():
    text = (FIXTURES / "facts.md").read_text(encoding="utf-8").split("## 4. Industry chains", 1)[1]
    spec = re.findall(r"`([a-z_]+)`", text.split("## 5.", 1)[0])
    assert sorted(load_yaml("chains.yml")["chains"]) == sorted(spec)


def test_mechanism_terms_unique_across_categories():
    seen = {}
    for cat, spec in load_yaml("mechanisms.yml")["categories"].items():
        for t in spec["terms"]:
            assert t not in seen, f"{t} is in both {seen.get(t)} and {cat}"
            seen[t] = cat


def test_mechanism_regex_terms_compile():
    for spec in load_yaml("mechanisms.yml")["categories"].values():
        for t in spec["terms"]:
            if t.startswith("re:"):
                re.compile(t[3:])


def test_chain_terms_unique():
    seen = {}
    for chain, spec in load_yaml("chains.yml")["chains"].items():
        for t in spec["terms"]:
            assert t not in seen, f"{t} is in both {seen.get(t)} and {chain}"
            seen[t] = chain


def test_fx_covers_currencies_of_units():
    codes = set(load_yaml("units.yml")["currencies"].values())
    assert codes <= set(load_yaml("fx.yml")["rates_to_cny"])


def test_outlets_resolve_to_regions():
    from etl.gazetteer import load_gazetteer

    g = load_gazetteer()
    with open(RULES_DIR / "outlets.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["region"]:
                assert g.lookup(row["region"]), row


def test_metric_triggers_not_shared():
    seen = {}
    for m, spec in load_yaml("metrics.yml")["metrics"].items():
        for t in spec.get("triggers", []):
            assert t not in seen, f"{t} in {seen.get(t)} and {m}"
            seen[t] = m
