from rich.console import Console

from etl.progress import summary_table, track


def test_when_not_a_terminal_then_items_pass_through_unchanged():
    assert list(track(iter([1, 2, 3]), 3, "notes")) == [1, 2, 3]  # pytest captures stderr: not a TTY


def test_when_summary_printed_then_one_row_per_table_and_notes():
    summary = {
        "records": {
            "tables": {"patients": {"in": 3, "out": 2, "dropped_by_policy": 0, "quarantined": 1, "balanced": True}},
            "notes": {"in": 5, "out": 4, "filtered": 1, "quarantined": 0, "balanced": True},
        }
    }
    console = Console(record=True, width=120)
    console.print(summary_table(summary))
    text = console.export_text()
    assert "patients" in text and "notes" in text and text.count("True") == 2
