"""Registry of extractors. Each module has `kind` and a pure `extract_raw(sentence)`;
etl.pipeline attaches regions, periods, chains and evidence. Adding a fact kind means one
module and one entry here."""

from etl.extractors import durations, figures, mechanisms

REGISTRY = (figures, durations, mechanisms)
KINDS = tuple(m.kind for m in REGISTRY)
