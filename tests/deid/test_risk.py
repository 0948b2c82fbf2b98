from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

from etl.deid.risk import k_anonymity_report
from schemas.config import KAnonymityConfig

TODAY = date(2026, 1, 1)


def _patients(tmp_path):
    # classes: 4 women aged 43-46 in ZIP3 681; 2 men aged 76 in 685; 1 woman aged 26 in 681
    rows = [("F", 1980 + i, "681") for i in range(4)] + [("M", 1950, "685")] * 2 + [("F", 2000, "681")]
    table = pa.table(
        {
            "Id": [f"pat-{i}" for i in range(len(rows))],
            "GENDER": [r[0] for r in rows],
            "BIRTHDATE": pa.array([r[1] for r in rows], type=pa.int64()),
            "ZIP": [r[2] for r in rows],
        }
    )
    path = tmp_path / "patients.parquet"
    pq.write_table(table, path)
    return path


def test_when_class_smaller_than_k_then_reported_by_table(tmp_path):
    _patients(tmp_path)
    config = KAnonymityConfig(k=3, quasi_identifiers={"patients": ["age_band", "GENDER", "ZIP", "RACE"]})
    report = k_anonymity_report(tmp_path, config, TODAY)["tables"]["patients"]
    assert report["missing_columns"] == ["RACE"]
    assert report["before"] == {
        "records": 7,
        "classes": 3,
        "smallest_class": 1,
        "records_below_k": 3,
        "classes_below_k": 2,
        "k_anonymous": False,
    }


def test_when_suppression_on_then_small_classes_emptied_and_rows_kept(tmp_path):
    path = _patients(tmp_path)
    config = KAnonymityConfig(k=3, suppress=True, quasi_identifiers={"patients": ["age_band", "GENDER", "ZIP"]})
    report = k_anonymity_report(tmp_path, config, TODAY)["tables"]["patients"]
    table = pq.read_table(path)
    assert table.num_rows == 7 and report["records_suppressed"] == 3
    assert table.column("GENDER").to_pylist()[-1] is None and table.column("BIRTHDATE").to_pylist()[-1] is None
    assert table.column("GENDER").to_pylist()[:4] == ["F"] * 4  # the large class is untouched
    assert table.column("Id").to_pylist() == [f"pat-{i}" for i in range(7)]  # keys untouched: joins still work
    assert report["after"]["smallest_class"] == 3 and report["after"]["k_anonymous"]
