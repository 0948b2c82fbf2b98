import json
from pathlib import Path

import pytest

from tests.leaks import find_leaks, planted_values

pytestmark = [pytest.mark.flow, pytest.mark.model]


def test_when_flow_runs_then_outputs_written_counts_add_up_and_prefect_holds_no_phi(clinic, tmp_path, prefect_harness):
    from prefect.client.orchestration import get_client
    from prefect.logging.handlers import APILogHandler
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH

    from flows.clinic_run import clinic_run

    out = tmp_path / "out"
    summary = json.loads(Path(clinic_run(source=str(clinic), out=str(out))).read_text())

    assert summary["balanced"] is True
    notes = summary["records"]["notes"]
    assert notes["in"] == notes["out"] + notes["filtered"] + notes["quarantined"] > 0
    assert summary["datasets"]["examples"]["instruction"] > 0
    assert (out / "datasets" / "huatuo2" / "train.jsonl").stat().st_size > 0
    assert summary["config_hash"] in (out / "audit" / "config.effective.yaml").read_text()

    APILogHandler().flush()  # logs reach the API from a background worker; wait for them
    with get_client(sync_client=True) as client:
        messages = [log.message for log in client.read_logs()]
    assert messages, "expected Prefect to have stored the run's logs"
    log_file = tmp_path / "prefect_logs.txt"
    log_file.write_text("\n".join(messages))
    assert find_leaks(planted_values(clinic), [log_file]) == []
    storage = Path(PREFECT_LOCAL_STORAGE_PATH.value())
    assert not storage.exists() or not any(storage.iterdir()), "task results must not be persisted"
