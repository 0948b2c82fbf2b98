"""A clinic in the styles real notes are written in (ALL-CAPS and lower-case nursing notes, telegraphic ICU
notes, letters, sign-offs, relatives' first names, dates without a year), with staff, organization and
payer tables and a steward's site list: the run passes its own gate, quarantines nothing, and no planted
identifier reaches a shareable file. The figures on full-size ward clinics are in docs/benchmarks.md."""

import json
import stat

import pandas as pd
import pytest
import yaml

from etl.deid.lexicon import is_known, safe_words
from etl.deid.pseudonyms import PseudonymStore
from etl.synth.ward import write_ward_clinic
from etl.synth.ward.cast import SITES
from tests.leaks import file_text

pytestmark = [pytest.mark.flow, pytest.mark.model]


@pytest.fixture(scope="module")
def ward_run(tmp_path_factory, prefect_harness):
    from flows.clinic_run import clinic_run

    root = tmp_path_factory.mktemp("ward")
    source = root / "clinic"
    write_ward_clinic(source, patients=6, notes_per_patient=4, split="dev", seed=17)
    site = SITES["dev"]
    (source / "site_list.yaml").write_text(
        yaml.safe_dump({"facilities": [site.name, site.abbr], "places": list(site.buildings)})
    )
    config = root / "config.yaml"
    config.write_text(yaml.safe_dump({"deid": {"site_list": "site_list.yaml"}}))
    clinic_run(source=str(source), out=str(root / "out"), config_path=str(config))
    return source, root / "out"


def test_when_ward_clinic_run_then_gate_passes_and_nothing_is_quarantined(ward_run):
    _, out = ward_run
    summary = json.loads((out / "audit" / "summary.json").read_text())
    assert summary["gate"]["passed"] and summary["balanced"]
    assert summary["records"]["notes"]["quarantined"] == 0 and summary["records"]["notes"]["out"] == 24
    knowledge = json.loads((out / "audit" / "stages" / "notes.json").read_text())["clinic_knowledge"]
    assert knowledge["values"] > 10 and knowledge["site_list_entries"] == 5


def _notes_outside_surrogates(out):
    """Each output note with what replaced its identifiers blanked out: the text a leak would be in. Rebuilt
    from the staged originals and the logged replacements, and checked to give notes.parquet exactly."""
    spans = pd.read_parquet(out / "restricted" / "deid_spans.parquet")
    staged = pd.read_parquet(out / "restricted" / "staging" / "notes.parquet").set_index("note_id")["text"]
    with PseudonymStore(out / "restricted" / "pseudonyms.sqlite3") as store:
        note_ids = store.originals("note")
    outside = []
    for key, output in pd.read_parquet(out / "notes" / "notes.parquet").set_index("note_key")["text"].items():
        original, rebuilt, blanked, cursor = staged[note_ids[key]], [], [], 0
        for span in spans[spans["note_key"] == key].sort_values("start").itertuples():
            rebuilt += [original[cursor : span.start], span.surrogate]
            blanked += [original[cursor : span.start], "\x00"]
            cursor = span.end
        assert "".join([*rebuilt, original[cursor:]]) == output
        outside.append("".join([*blanked, original[cursor:]]).lower())
    return "\n".join(outside)


def test_when_ward_clinic_run_then_no_planted_identifier_is_shared(ward_run):
    source, out = ward_run
    surrogates = {str(s).lower() for s in pd.read_parquet(out / "restricted" / "deid_spans.parquet")["surrogate"]}
    planted = [p for p in json.loads((source / "planted_identifiers.json").read_text()) if len(p["value"]) >= 4]
    # one English word ("Brown" of "brown stool") is not a leak; the residual gate sets those apart too
    planted = [p for p in planted if not is_known(p["value"], safe_words("en"))]
    assert len(planted) > 50
    # in the notes, a value is looked for outside what replaced the identifiers: a surrogate drawn from the
    # name lists the generator draws from too can spell a planted name without being one
    notes = _notes_outside_surrogates(out)
    assert [p["kind"] for p in planted if p["value"].lower() in notes] == []
    # in every other shareable file (datasets, tables, audit), a value equal to a logged surrogate is set apart
    searched = [p for p in planted if p["value"].lower() not in surrogates]
    shared = [p for p in out.rglob("*") if p.is_file() and "restricted" not in p.relative_to(out).parts]
    texts = {p.name: file_text(p).lower() for p in shared if p.name != "notes.parquet"}
    leaks = [(p["kind"], name) for p in searched for name, text in texts.items() if p["value"].lower() in text]
    assert leaks == []


def test_when_site_list_used_then_only_its_path_is_in_the_shared_config_and_its_copy_is_restricted(ward_run):
    source, out = ward_run
    effective = (out / "audit" / "config.effective.yaml").read_text()
    assert "site_list.yaml" in effective and SITES["dev"].buildings[0] not in effective
    staged = out / "restricted" / "staging" / "site_list.yaml"
    assert staged.read_text() == (source / "site_list.yaml").read_text()
    assert stat.S_IMODE(staged.stat().st_mode) == 0o600
