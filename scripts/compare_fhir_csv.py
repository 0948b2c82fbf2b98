"""Compare the FHIR and CSV exports of one Synthea run: the patients in the bundles, and per patient the
encounter (and condition, procedure, medication) counts the two forms give. Prints counts, never values.

    python scripts/compare_fhir_csv.py ../shared/data/external/synthea-ca59-andrew-nguyen
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from etl.io import Quarantine
from etl.sources import read_fhir


def main(export: Path) -> int:
    quarantine = Quarantine(Path("/tmp/clinetl-compare"), "compare")
    tables, notes, _ = read_fhir(sorted((export / "fhir_r4").glob("*.json")), export, quarantine)
    patients = set(tables["patients"]["Id"])
    csv_patients = set(pd.read_csv(export / "csv" / "patients.csv", dtype=str)["Id"])
    print(f"FHIR patients: {len(patients)}; all in patients.csv: {patients <= csv_patients}")
    ok = patients <= csv_patients and len(quarantine) == 0
    for table in ("encounters", "conditions", "procedures", "medications"):
        fhir = Counter(tables[table]["PATIENT"])
        csv = pd.read_csv(export / "csv" / f"{table}.csv", dtype=str)
        csv_counts = Counter(csv.loc[csv["PATIENT"].isin(patients), "PATIENT"])
        same = fhir == csv_counts
        ok &= same
        print(f"{table}: FHIR {sum(fhir.values())}, CSV {sum(csv_counts.values())}, same per patient: {same}")
    print(f"notes (DocumentReference): {len(notes)}; resources quarantined: {len(quarantine)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
