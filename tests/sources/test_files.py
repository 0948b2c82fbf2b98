import csv
import io
import random

import pytest

from etl.sources import SourceError
from etl.sources.discovery import matches
from etl.sources.files import checked_csv_rows, csv_record_count, jsonl_lines


def test_when_csv_is_well_formed_then_the_independent_count_agrees_with_the_csv_module():
    rng = random.Random(7)
    alphabet = ["a", "B", " ", ",", '"', "\n", "\r\n", "\r", "é", '5"', "''"]
    for _ in range(200):
        rows = [["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(3)]
                for _ in range(rng.randint(1, 8))]  # fmt: skip
        buffer = io.StringIO()
        quoting = rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])  # "\r\n" ends rows: a lone "\r" is quoted too
        csv.writer(buffer, lineterminator="\r\n", quoting=quoting).writerows([["h1", "h2", "h3"], *rows])
        text = buffer.getvalue()
        parsed = [row for _, row in checked_csv_rows(text, "t.csv")]
        assert csv_record_count(text, "t.csv") == len(parsed)
        assert parsed == [["h1", "h2", "h3"], *rows]


@pytest.mark.parametrize("text", ['a,b\n1,"open\n2,3\n', 'a,b\n1,"x"y,2\n', 'a,b\n"1,2\n'])
def test_when_a_quote_breaks_the_structure_then_the_count_stops_with_the_line(text):
    with pytest.raises(SourceError, match=r"^t\.csv: line 2: "):
        csv_record_count(text, "t.csv")


def test_when_globs_match_then_case_and_folders_do_not_matter():
    assert matches("Notes.CSV", ["notes*.csv"]) and matches("notes_2024.csv", ["notes*.csv"])
    assert matches("notes/p1/NOTE.TXT", ["notes/**/*.txt"]) and matches("notes/n1.txt", ["notes/**/*.txt"])
    assert not matches("csv/notes.csv", ["notes*.csv"]) and not matches("notes/a.txt.bak", ["notes/**/*.txt"])


def test_when_jsonl_is_split_then_only_newline_ends_a_record():
    assert [n for n, _ in jsonl_lines('{"a": "x\u2028y"}\r\n\n{"b": 1}\n')] == [1, 3]


def test_when_lines_end_in_a_lone_carriage_return_then_records_are_read_as_the_csv_module_reads_them():
    text = 'a,b\r1,2\r3,"x\ry"\r'
    assert [row for _, row in checked_csv_rows(text, "t.csv")] == [["a", "b"], ["1", "2"], ["3", "x\ry"]]


def test_when_a_table_is_in_two_folders_then_the_first_in_the_config_order_is_read(tmp_path):
    from etl.sources.discovery import survey
    from schemas.config import SourceConfig, TablesSourceConfig

    (tmp_path / "csv").mkdir()
    (tmp_path / "patients.csv").write_text("Id\n1\n")
    (tmp_path / "csv" / "patients.csv").write_text("Id\n2\n")
    for folders, expected in (([".", "csv"], "patients.csv"), (["csv", "."], "csv/patients.csv")):
        files = survey(tmp_path, SourceConfig(tables=TablesSourceConfig(folders=folders)))
        assert files.tables()["patients"] == tmp_path / expected
        [skipped] = [e for e in files.entries if e.read_as is None]
        assert skipped.why and "source.tables.folders" in skipped.why
