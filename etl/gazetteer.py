"""The region gazetteer: administrative units and development zones, read from etl/rules/.

Pure (no streamlit). Data files (see etl/rules/README.md):
  regions_admin.csv     provinces, prefectures, counties (built by scripts/build_admin_regions.py)
  zones.csv             national new areas, development zones, well-known parks (hand-built)
  region_aliases.csv    extra aliases for any region (region_id,alias)
  region_stopwords.txt  surface forms never matched (common words such as 和平, 新华, 城区)

Surface forms are strings as they appear in simplified, half-width text. They are kept
ambiguous on purpose (鼓楼 -> several districts): the resolver in etl/resolve/regions.py picks one.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

UNLISTED_PREFIX = "X:"  # ids of parks a document names that no list has: X:<host id>:<name>


def unlisted_parent(rid: str) -> str | None:
    """The host's id in an unlisted park's id (X:<host id>:<name>)."""
    return rid.split(":")[1] if rid.startswith(UNLISTED_PREFIX) else None


RULES_DIR = Path(__file__).resolve().parent / "rules"

ADMIN_LEVELS = ("province", "prefecture", "county")
ZONE_LEVELS = ("new_area", "etdz", "hitech", "park")
LEVELS = ADMIN_LEVELS + ZONE_LEVELS
LEVEL_RANK = {lv: i for i, lv in enumerate(LEVELS)}

ADMIN_COLUMNS = ["region_id", "name", "short_name", "level", "parent_id", "province", "adcode", "lon", "lat"]
ZONE_COLUMNS = ["region_id", "name", "short_name", "aliases", "level", "parent_id", "province"]
ALIAS_COLUMNS = ["region_id", "alias"]

# autonomous units are also called by short name + unit word: 恩施州, 白沙县, 鄂伦春旗
_DERIVED_SUFFIX = {"自治州": "州", "自治县": "县", "自治旗": "旗"}
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


@dataclass(frozen=True)
class Region:
    region_id: str
    name: str
    short_name: str
    level: str  # province|prefecture|county|new_area|etdz|hitech|park
    parent_id: str | None
    province: str  # short name of the province-level ancestor: 重庆, 广东, 内蒙古
    lon: float | None
    lat: float | None


class Gazetteer:
    """Regions by id, their parent chains and the surface forms that name them."""

    def __init__(
        self,
        regions: dict[str, Region],
        aliases: dict[str, tuple[str, ...]] | None = None,
        stopwords: frozenset[str] = frozenset(),
    ) -> None:
        self.regions = regions
        self.aliases = aliases or {}  # region_id -> extra surface forms
        self.stopwords = stopwords
        self._forms: dict[str, list[str]] | None = None
        self._parents: dict[str, list[Region]] = {}

    def by_id(self, rid: str) -> Region:
        return self.regions[rid]

    def with_regions(self, extra: dict[str, Region]) -> Gazetteer:
        """This gazetteer and a document's own places (parks it names that no list has), sharing
        the surface forms; the shared gazetteer is left as it was."""
        g = Gazetteer({**self.regions, **extra}, self.aliases, self.stopwords)
        g._forms = self.surface_forms()
        return g

    def parents(self, rid: str) -> list[Region]:
        """Ancestors of rid, nearest first (闵行区 -> [上海市])."""
        if rid not in self._parents:
            out: list[Region] = []
            seen = {rid}
            p = self.regions[rid].parent_id
            while p:
                if p in seen:
                    raise ValueError(f"parent cycle at {p}")
                seen.add(p)
                r = self.regions[p]
                out.append(r)
                p = r.parent_id
            self._parents[rid] = out
        return list(self._parents[rid])

    def is_within(self, rid: str, ancestor_id: str) -> bool:
        """True when ancestor_id is rid itself or one of its ancestors."""
        return rid == ancestor_id or any(p.region_id == ancestor_id for p in self.parents(rid))

    def children(self, rid: str) -> list[Region]:
        return [r for r in self.regions.values() if r.parent_id == rid]

    def location(self, rid: str) -> tuple[float, float] | None:
        """(lon, lat) of rid, or of its nearest ancestor that has coordinates (zones have none)."""
        for r in [self.regions[rid]] + self.parents(rid):
            if r.lon is not None and r.lat is not None:
                return (r.lon, r.lat)
        return None

    def forms_of(self, rid: str) -> list[str]:
        """All surface forms naming rid (before stopword filtering), name first."""
        r = self.regions[rid]
        forms = [r.name, r.short_name]
        for long, short in _DERIVED_SUFFIX.items():
            if r.level in ADMIN_LEVELS and r.name.endswith(long) and r.short_name != r.name:
                forms.append(r.short_name + short)
        forms.extend(self.aliases.get(rid, ()))
        out: list[str] = []
        for f in forms:
            if f and f not in out:
                out.append(f)
        return out

    def surface_forms(self) -> dict[str, list[str]]:
        """Surface string -> candidate region ids, ordered by level (province first) then id.

        No 1-char forms and no stopwords. The dict is cached: treat it as read-only.
        """
        if self._forms is None:
            forms: dict[str, list[str]] = {}
            for rid in self.regions:
                for f in self.forms_of(rid):
                    if len(f) < 2 or f in self.stopwords:
                        continue
                    ids = forms.setdefault(f, [])
                    if rid not in ids:
                        ids.append(rid)
            # a banner's common short form: its first character, its direction words, 旗 (克什克腾旗 ->
            # 克旗, 科尔沁左翼后旗 -> 科左后旗), where no other banner and no other place has it
            abbrev: dict[str, list[str]] = {}
            for rid, r in self.regions.items():
                if r.level == "county" and r.name.endswith("旗") and len(r.name) >= 4:
                    a = r.name[0] + "".join(ch for ch in r.name[1:-1] if ch in "左右前中后") + "旗"
                    abbrev.setdefault(a, []).append(rid)
            for a, ids in abbrev.items():
                if len(ids) == 1 and a not in forms and a not in self.stopwords:
                    forms[a] = ids
            # a district or city that was a county is still called by its old name in older texts
            # (凤翔县 for 凤翔区): the old name, where it names nothing else
            for rid, r in self.regions.items():
                old = r.short_name + "县"
                if (r.level == "county" and r.name.endswith(("区", "市")) and len(r.short_name) >= 2
                        and old not in forms and old not in self.stopwords):
                    forms[old] = [rid]
            for ids in forms.values():
                ids.sort(key=lambda i: (LEVEL_RANK[self.regions[i].level], i))
            self._forms = forms
        return self._forms

    def lookup(self, surface: str) -> list[Region]:
        """Candidate regions for a surface string (full-width ASCII is folded to half-width)."""
        forms = self.surface_forms()
        s = surface.strip()
        ids = forms.get(s) or forms.get(s.translate(_FULLWIDTH), [])
        return [self.regions[i] for i in ids]


def _read_csv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != columns:
            raise ValueError(f"{path.name}: header {reader.fieldnames} != {columns}")
        return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


def _float(s: str) -> float | None:
    return float(s) if s else None


def read_stopwords(path: Path) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        w = line.split("#", 1)[0].strip()
        if w:
            out.add(w)
    return frozenset(out)


def _add(regions: dict[str, Region], r: Region, source: str) -> None:
    if r.region_id in regions:
        raise ValueError(f"{source}: duplicate region_id {r.region_id}")
    if r.level not in LEVELS:
        raise ValueError(f"{source}: {r.region_id} has unknown level {r.level!r}")
    if not r.short_name:
        raise ValueError(f"{source}: {r.region_id} has no short_name")
    regions[r.region_id] = r


@functools.lru_cache(maxsize=4)
def load_gazetteer(rules_dir: Path | None = None) -> Gazetteer:
    """Read regions_admin.csv, zones.csv, region_aliases.csv and region_stopwords.txt."""
    d = Path(rules_dir) if rules_dir is not None else RULES_DIR
    regions: dict[str, Region] = {}
    aliases: dict[str, list[str]] = {}
    for row in _read_csv(d / "regions_admin.csv", ADMIN_COLUMNS):
        r = Region(row["region_id"], row["name"], row["short_name"], row["level"], row["parent_id"] or None,
                   row["province"], _float(row["lon"]), _float(row["lat"]))
        if r.level not in ADMIN_LEVELS:
            raise ValueError(f"regions_admin.csv: {r.region_id} has level {r.level!r}")
        _add(regions, r, "regions_admin.csv")
    # units the statistical code list lacks (新疆生产建设兵团), and rows that replace its own
    # (the 师市 are run by the 兵团: their parent is the 兵团), same columns
    for row in _read_csv(d / "regions_extra.csv", ADMIN_COLUMNS) if (d / "regions_extra.csv").exists() else ():
        regions.pop(row["region_id"], None)
        _add(regions, Region(row["region_id"], row["name"], row["short_name"], row["level"], row["parent_id"] or None,
                             row["province"], _float(row["lon"]), _float(row["lat"])), "regions_extra.csv")
    zones_path = d / "zones.csv"
    if zones_path.exists():
        for row in _read_csv(zones_path, ZONE_COLUMNS):
            r = Region(row["region_id"], row["name"], row["short_name"], row["level"], row["parent_id"] or None,
                       row["province"], None, None)
            if r.level not in ZONE_LEVELS:
                raise ValueError(f"zones.csv: {r.region_id} has level {r.level!r}")
            _add(regions, r, "zones.csv")
            aliases.setdefault(r.region_id, []).extend(a.strip() for a in row["aliases"].split("|") if a.strip())
    alias_path = d / "region_aliases.csv"
    if alias_path.exists():
        for row in _read_csv(alias_path, ALIAS_COLUMNS):
            if row["region_id"] not in regions:
                raise ValueError(f"region_aliases.csv: unknown region_id {row['region_id']}")
            aliases.setdefault(row["region_id"], []).append(row["alias"])
    for r in regions.values():
        if r.parent_id is not None and r.parent_id not in regions:
            raise ValueError(f"{r.region_id} {r.name}: parent {r.parent_id} not in the gazetteer")
    return Gazetteer(regions, {k: tuple(v) for k, v in aliases.items()}, read_stopwords(d / "region_stopwords.txt"))
