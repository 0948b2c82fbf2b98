"""A source added as a class and a registry entry alone: the config turns it on by name, discovery hands it
the files it claims, ingest reads it beside the others and counts what it gave."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from etl.config import load_config
from etl.sources import registry
from etl.sources.base import Join, SourceContext, SourceRead
from etl.stages import common, ingest
from schemas.config import AdapterConfig
from schemas.layout import RunLayout
from schemas.records import Note


class Letters:
    """Referral letters, one .txt file each, named letter-<patient id>-<n>.txt."""

    name: ClassVar[str] = "letters"
    joins: ClassVar[Join] = "append"

    def claim(self, rel: str) -> str | None:
        return "letters" if Path(rel).name.startswith("letter-") and rel.endswith(".txt") else None

    def read(self, context: SourceContext) -> SourceRead:
        notes = []
        for entry in context.files.of_kind(self.name):
            patient = Path(entry.rel).stem.split("-")[1]
            text = (context.source_dir / entry.rel).read_text(encoding="utf-8")
            notes.append(Note(f"letter-{entry.rel}", text, patient, note_type="letter", lang="en", source=entry.rel))
            entry.records = 1
        return SourceRead(notes=notes, report={"letters": len(notes)})


def test_when_a_registered_adapter_is_turned_on_then_ingest_reads_and_counts_its_files(tmp_path, monkeypatch):
    from etl.synth import generate_clinic

    clinic = tmp_path / "clinic"
    generate_clinic(clinic, patients=2, seed=3)
    patient = (clinic / "patients.csv").read_text().splitlines()[1].split(",")[0]
    (clinic / "letters").mkdir()
    for n in range(3):
        (clinic / "letters" / f"letter-{patient}-{n}.txt").write_text("Dear colleague, thank you.", encoding="utf-8")
    (clinic / "letters" / "README.txt").write_text("not a letter", encoding="utf-8")
    monkeypatch.setattr(registry, "SOURCES", (*registry.SOURCES, Letters()))  # the one registry line
    monkeypatch.setattr(ingest, "SOURCES", registry.SOURCES)
    config = load_config()
    config = config.model_copy(
        update={
            "source": config.source.model_copy(update={"adapters": {"letters": AdapterConfig(paths=["letters/*"])}})
        }
    )
    common.prepare_output(tmp_path / "out", config)
    typed = ingest.run(clinic, RunLayout(tmp_path / "out"), config)
    stage = json.loads(RunLayout(tmp_path / "out").stage_file("ingest").read_text())
    assert typed.notes.in_ == stage["notes"]["in"]  # what the stage returns is what it wrote
    assert stage["adapters"] == {"letters": {"letters": 3}}
    # the folder's own notes and the three letters; the README the adapter did not claim is inventoried
    assert stage["notes"]["in"] == stage["notes"]["in_folder_files"] + 3
    assert any(g["folder"] == "letters" and g["read_as"] == "not read" for g in stage["source_files"]["grouped"])
