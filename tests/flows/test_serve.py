"""`clinetl serve` against a real Prefect server (`prefect server start`, SQLite): the deployment is
registered with its cron schedule, a run triggered through the API is picked up and completes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytestmark = [pytest.mark.flow, pytest.mark.model]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def _api(base, path, body=None, attempts=5):
    """One API call; a 503 (the server's database briefly busy, under a loaded machine) is tried again."""
    request = urllib.request.Request(
        f"{base}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            if exc.code != 503 or attempt == attempts - 1:
                raise
            time.sleep(2)
    raise AssertionError("unreachable")


def _healthy(base):
    try:
        return _api(base, "/health") is True
    except OSError:
        return False


def test_when_served_then_deployment_scheduled_and_api_triggered_run_completes(clinic, tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": base,
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    served = None
    try:
        _wait(lambda: _healthy(base), 180, "the Prefect server")
        out = tmp_path / "out"
        served = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "etl.cli",
                "serve",
                "--cron",
                "0 2 * * *",
                "--source",
                str(clinic),
                "--out",
                str(out),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deployment = _wait(
            lambda: next(
                iter(_api(base, "/deployments/filter", {"deployments": {"name": {"any_": ["nightly-refresh"]}}})), None
            ),
            120,
            "the deployment",
        )
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 2 * * *"]
        run = _api(base, f"/deployments/{deployment['id']}/create_flow_run", {})
        state = _wait(
            lambda: (
                (s := _api(base, f"/flow_runs/{run['id']}")["state"]["type"]) in ("COMPLETED", "FAILED", "CRASHED")
                and s
            ),
            300,
            "the triggered run",
        )
        assert state == "COMPLETED"
        summary = json.loads((out / "audit" / "summary.json").read_text())
        assert summary["balanced"] is True
    finally:
        for process in (served, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
