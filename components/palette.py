"""One palette for every chart and view: a category (a metric, an industry chain, a mechanism
category, a 口径, a level) has the same colour wherever it is drawn. Pure; no streamlit."""

from __future__ import annotations

import hashlib

from components import vocab

# qualitative colours (colour-blind safe order first), then more
BASE = ["#c53948", "#2f6db5", "#e0a030", "#3f9c7a", "#7b5ea7", "#6c7a89", "#d9734e", "#4fb0c6",
        "#9aae2e", "#b65c8e", "#8c6d3f", "#5b8f29", "#a33b9a", "#2a9d8f", "#e76f51", "#577590"]
ACHIEVED, TARGET, BASELINE, MUTED, NEUTRAL = BASE[0], BASE[2], "#9aa5b1", "#d8dde3", "#6c7a89"

# fixed roles: the same metric in the same colour on every page
METRIC_COLORS = {
    "signed_amount": "#c53948", "funds_in_place": "#3f9c7a", "signed_projects": "#2f6db5",
    "started_projects": "#e0a030", "industry_output": "#7b5ea7", "project_investment": "#d9734e",
    "fund_size": "#4fb0c6", "land_area": "#9aae2e", "enterprise_count": "#b65c8e",
}
PEER_COLORS = {"province": "#c53948", "prefecture": "#2f6db5", "county": "#e0a030", "zone": "#3f9c7a"}
# sequential scales
COUNT_SCALE = [[0, "#fbe9eb"], [1, "#b3263a"]]
MAP_SCALE = [[0, "#f6d5d9"], [1, "#b3263a"]]


def _stable(text: str) -> str:
    """A colour for a free-text category (a 口径 such as 亿元以上产业项目): the same text, the same colour."""
    h = int(hashlib.md5(text.encode("utf-8")).hexdigest()[:8], 16)
    return BASE[h % len(BASE)]


def _keyed(keys) -> dict[str, str]:
    return {k: BASE[i % len(BASE)] for i, k in enumerate(keys)}


def metric_color(metric: str) -> str:
    return METRIC_COLORS.get(metric) or _stable(f"metric:{metric}")


def chain_color(chain_label: str) -> str:
    """By the chain's Chinese label (what split bars carry); 未注明 is neutral grey."""
    if chain_label in (None, "", vocab.UNSPECIFIED):
        return NEUTRAL
    keyed = _keyed(vocab.chain_labels().values())
    return keyed.get(chain_label) or _stable(f"chain:{chain_label}")


def category_color(category: str) -> str:
    return _keyed(vocab.category_labels()).get(category) or _stable(f"category:{category}")


def qualifier_color(qualifier: str) -> str:
    """A 口径; 未注明 (the plain total) always the achieved red."""
    if qualifier in (None, "", vocab.UNSPECIFIED):
        return ACHIEVED
    h = int(hashlib.md5(f"qualifier:{qualifier}".encode()).hexdigest()[:8], 16)
    return BASE[1 + h % (len(BASE) - 1)]  # never the plain total's red


def split_color(split: str, value: str) -> str:
    return chain_color(value) if split == "industry_chain" else qualifier_color(value)
