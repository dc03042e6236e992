#!/usr/bin/env python3
"""Validate tests/genre/gold.jsonl against tests/genre/docs and spec/facts.md.

Same checks as shared/seeds-gold/check_gold.py (fields per kind and in order, vocabulary,
units, currencies, ISO dates, no duplicate line or fact key), adapted to this folder:
- documents are docs/*.txt (raw text) and docs/*.html (the text etl.readers.read_document
  extracts, so evidence must come from the article, not the markup);
- any province-level unit is accepted.
Run from the repo root:  .venv/bin/python tests/genre/check_gold.py [gold.jsonl]
"""
import collections, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)
GOLD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "gold.jsonl")
DOCS = os.path.join(HERE, "docs")
SPEC = os.path.join(ROOT, "tests", "fixtures", "facts.md")

spec = open(SPEC, encoding="utf-8").read()
def section(title):
    m = re.search(r"^## \d+\. " + re.escape(title) + r".*?(?=^## |\Z)", spec, re.S | re.M)
    return m.group(0)
METRICS = set(re.findall(r"^\| `([a-z_]+)` \|", section("Figures"), re.M))
CATEGORIES = set(re.findall(r"^\| `([a-z_]+)` \|", section("Mechanisms"), re.M))
CHAINS = set(re.findall(r"`([a-z_]+)`", section("Industry chains")))
assert len(METRICS) == 9 and len(CATEGORIES) == 16 and len(CHAINS) == 11
UNITS = {"亿元", "亿", "个", "家", "亩", "%"}
CURRENCIES = {"CNY", "USD", "EUR", "HKD", "JPY"}
MONEY = {"signed_amount", "funds_in_place", "project_investment", "fund_size", "industry_output"}
COUNT_UNIT = {"signed_projects": "个", "started_projects": "个", "enterprise_count": "家", "land_area": "亩"}
PROVINCES = set(("北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 "
                 "湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门").split())
FIELDS = {
    "figure": ["doc", "kind", "region", "province", "metric", "value", "currency", "unit",
               "period_start", "period_end", "yoy_pct", "is_target", "qualifier", "subject",
               "industry_chain", "evidence"],
    "duration": ["doc", "kind", "region", "province", "subject", "from_stage", "to_stage",
                 "days", "baseline_days", "evidence"],
    "mechanism": ["doc", "kind", "region", "province", "category", "name", "evidence"],
}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load_docs():
    docs = {}
    for f in sorted(os.listdir(DOCS)):
        stem, ext = os.path.splitext(f)
        path = os.path.join(DOCS, f)
        if ext == ".txt":
            docs[stem] = open(path, encoding="utf-8").read()
        elif ext in (".html", ".htm"):
            from etl.readers import read_document
            docs[stem] = read_document(path).text
    return docs


docs = load_docs()
errors, seen_lines, seen_keys = [], set(), {}
counts = collections.Counter()
num = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)

for n, line in enumerate(open(GOLD, encoding="utf-8"), 1):
    err = lambda msg: errors.append(f"line {n}: {msg}")
    if not line.strip():
        err("blank line"); continue
    try:
        r = json.loads(line)
    except json.JSONDecodeError as e:
        err(f"bad JSON: {e}"); continue
    if line in seen_lines:
        err("duplicate line")
    seen_lines.add(line)
    kind = r.get("kind")
    if kind not in FIELDS:
        err(f"unknown kind {kind!r}"); continue
    if list(r) != FIELDS[kind]:
        err(f"fields {list(r)} != {FIELDS[kind]}")
    doc = r.get("doc")
    if doc not in docs:
        err(f"unknown doc {doc!r}"); continue
    counts[(doc, kind)] += 1
    ev = r.get("evidence")
    if not isinstance(ev, str) or not ev or ev not in docs[doc]:
        err(f"evidence not a substring of {doc}: {ev!r}")
    if not r.get("region"):
        err("empty region")
    if r.get("province") not in PROVINCES:
        err(f"province {r.get('province')!r}")
    if kind == "figure":
        m = r["metric"]
        if m not in METRICS: err(f"metric {m!r}")
        if not num(r["value"]): err("value not a number")
        if r["unit"] not in UNITS: err(f"unit {r['unit']!r}")
        if m in MONEY:
            if r["currency"] not in CURRENCIES: err(f"currency {r['currency']!r}")
            want = "亿元" if r["currency"] == "CNY" else "亿"
            if r["unit"] != want: err(f"unit {r['unit']} for currency {r['currency']}")
        else:
            if r["unit"] != COUNT_UNIT.get(m): err(f"unit {r['unit']} for {m}")
            if r["currency"] is not None: err("currency on a non-money figure")
        for k in ("period_start", "period_end"):
            if r[k] is not None and not ISO.match(r[k]): err(f"{k} {r[k]!r}")
        if r["period_start"] and r["period_end"] and r["period_start"] > r["period_end"]:
            err("period_start after period_end")
        if r["yoy_pct"] is not None and not num(r["yoy_pct"]): err("yoy_pct")
        if not isinstance(r["is_target"], bool): err("is_target not bool")
        if r["industry_chain"] is not None and r["industry_chain"] not in CHAINS:
            err(f"chain {r['industry_chain']!r}")
        key = (doc, kind, r["region"], m, r["value"], r["period_start"], r["period_end"],
               r["qualifier"], r["subject"])
    elif kind == "duration":
        for k in ("days", "baseline_days"):
            if r[k] is not None and not num(r[k]): err(f"{k} not a number")
        if r["days"] is None and r["baseline_days"] is None: err("no days at all")
        key = (doc, kind, r["region"], r["subject"], r["from_stage"], r["to_stage"])
    else:
        if r["category"] not in CATEGORIES: err(f"category {r['category']!r}")
        if not r["name"]: err("empty name")
        key = (doc, kind, r["region"], r["category"])
    if key in seen_keys:
        err(f"duplicate fact key {key} (also line {seen_keys[key]})")
    seen_keys.setdefault(key, n)

print("counts per doc and kind:")
for doc in sorted(docs):
    print(f"  {doc}: " + ", ".join(f"{k}={counts[(doc, k)]}" for k in FIELDS))
for k in FIELDS:
    print(f"  total {k}: {sum(v for (d, kk), v in counts.items() if kk == k)}")
if errors:
    print(f"{len(errors)} error(s):"); [print("  " + e) for e in errors]
    sys.exit(1)
print("OK")
