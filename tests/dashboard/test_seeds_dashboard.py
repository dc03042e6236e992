"""The dashboard over the bundled corpus (the real ETL output, not the fixture database):
every page runs, and every achieved signed amount of the seed gold is on screen with its sentence."""

from __future__ import annotations

import pytest

from tests.dashboard.test_pages import PAGES, run


@pytest.fixture()
def on_seeds(seeds_db, monkeypatch):
    monkeypatch.setenv("ZSYZ_DB", str(seeds_db))
    return seeds_db


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_seeds(on_seeds, page):
    at = run(page)
    assert at.title[0].value
    assert len(at.get("plotly_chart")) >= min(PAGES[page], 1)  # chart pages draw over the real data


def _achieved(seed_gold, metric):
    return [g for g in seed_gold if g["kind"] == "figure" and g["metric"] == metric and not g["is_target"]]


def test_signed_amounts_of_the_seeds_are_shown_with_their_sentences(on_seeds, seed_gold):
    at = run("signed")
    table = at.dataframe[-1].value  # 全部签约金额数字
    shown = {(round(v, 2), e) for v, e in zip(table["数值"], table["原句"])}
    for g in _achieved(seed_gold, "signed_amount"):
        assert any(v == round(g["value"], 2) and f"{g['value']:g}" in e for v, e in shown), g


def test_targets_of_the_seeds_stay_apart(on_seeds, seed_gold):
    table = run("signed").dataframe[-1].value
    targets = [g["value"] for g in seed_gold if g["kind"] == "figure" and g["metric"] == "signed_amount"
               and g["is_target"]]
    assert targets and not set(targets) & set(table["数值"])
    table = run("signed", {"targets": "1"}).dataframe[-1].value
    assert set(targets) <= set(table["数值"])


def test_the_reprinted_story_counts_once(on_seeds):
    # 000 reprints 001: the provenance page lists one fact with two sources
    at = run("provenance")
    at.text_input(key="prov_q").set_value("两江新区").run()
    hits = at.dataframe[-1].value
    assert (hits["来源数"] >= 2).any()


def test_provenance_says_why_a_fact_is_filed_under_its_region(on_seeds):
    from components.vocab import REGION_RULE_LABELS

    at = run("provenance")
    at.text_input(key="prov_q").set_value("4908").run()
    why = [c.value for c in at.caption if c.value.startswith("地区归属：")]
    assert why and all(any(label in w for label in REGION_RULE_LABELS.values()) for w in why), why


def test_every_region_rule_has_a_chinese_label():
    from components.vocab import REGION_RULE_LABELS
    from etl.resolve.regions import RULES

    assert {r.name for r in RULES} | {"none"} == set(REGION_RULE_LABELS)
