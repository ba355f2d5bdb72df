"""``gatewatch log checkpoint | checkpoints | verify`` with signed checkpoints, and ``gatewatch serve``
refusing a tampered record unless told to accept it."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx
from sqlalchemy import delete
from typer.testing import CliRunner

from gatewatch.cli.main import app
from gatewatch.store.log import EventLog, Submission, database_url
from gatewatch.store.schema import log
from support import SITE_YAML

runner = CliRunner()
GATEWATCH = str(Path(__file__).parents[2] / ".venv" / "bin" / "gatewatch")


def fill(data: Path, first: int, last: int) -> None:
    store = EventLog.open(database_url(data))
    store.append_many(
        Submission(f"e{n}", "close", f"2024-06-03T09:{n:02d}:00+00:00", {"type": "close", "door": "outer"},
                   {"decision": None, "alerts": []}, "g1", "2024-06-03T09:00:01+00:00")
        for n in range(first, last + 1)
    )  # fmt: skip
    store.close()


def site_file(tmp_path: Path) -> Path:
    site = tmp_path / "site.yaml"
    site.write_text(SITE_YAML, encoding="utf-8")
    return site


def cut_tail(data: Path, after: int) -> None:
    store = EventLog.open(database_url(data))
    with store.engine.begin() as connection:
        connection.execute(delete(log).where(log.c.seq > after))
    store.close()


def test_checkpoint_then_verify_then_export(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill(data, 1, 5)
    signed = runner.invoke(app, ["log", "checkpoint", "--site", str(site_file(tmp_path)), "--data", str(data)])
    assert signed.exit_code == 0, signed.output
    assert "signed the checkpoint of" in signed.output and "entry 5" in signed.output
    assert (data / "checkpoint.key").stat().st_mode & 0o777 == 0o600
    fill(data, 6, 7)
    again = runner.invoke(app, ["log", "checkpoint", "--data", str(data)])  # the site from the newest checkpoint
    assert again.exit_code == 0, again.output
    verified = runner.invoke(app, ["log", "verify", "--data", str(data)])
    assert verified.exit_code == 0, verified.output
    assert "OK 7 entries" in verified.output and "checkpoints: 2 signed, all match" in verified.output
    listed = runner.invoke(app, ["log", "checkpoints", "--data", str(data)])
    assert listed.exit_code == 0 and "entry 5" in listed.output and "entry 7" in listed.output
    copy = tmp_path / "offsite" / "checkpoints.jsonl"
    copy.parent.mkdir()
    exported = runner.invoke(app, ["log", "checkpoints", "--data", str(data), "--export", str(copy)])
    assert exported.exit_code == 0 and "exported 2 checkpoints" in exported.output
    assert copy.with_suffix(".pub").exists()
    cut_tail(data, 6)
    offsite = ["--checkpoints", str(copy), "--public-key", str(copy.with_suffix(".pub"))]
    failed = runner.invoke(app, ["log", "verify", "--data", str(data), *offsite])
    assert failed.exit_code == 1
    assert "FAILED the record holds 6 entries but the checkpoint of" in failed.output and "signed 7" in failed.output


def test_verify_without_checkpoints_says_what_cannot_be_seen(tmp_path: Path) -> None:
    fill(tmp_path, 1, 2)
    result = runner.invoke(app, ["log", "verify", "--data", str(tmp_path)])
    assert result.exit_code == 0 and "no checkpoints" in result.output


def test_checkpoint_without_a_site_or_an_earlier_one_is_a_clear_error(tmp_path: Path) -> None:
    fill(tmp_path, 1, 2)
    result = runner.invoke(app, ["log", "checkpoint", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "--site FILE" in result.output


def test_checkpoint_refuses_to_sign_a_tampered_record(tmp_path: Path) -> None:
    site = site_file(tmp_path)
    fill(tmp_path, 1, 5)
    assert runner.invoke(app, ["log", "checkpoint", "--site", str(site), "--data", str(tmp_path)]).exit_code == 0
    cut_tail(tmp_path, 2)
    refused = runner.invoke(app, ["log", "checkpoint", "--data", str(tmp_path)])
    assert refused.exit_code == 1 and "holds 2 entries" in refused.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(site: Path, data: Path, port: int, *flags: str) -> subprocess.Popen[str]:
    command = [GATEWATCH, "serve", "--site", str(site), "--data", str(data), "--port", str(port), *flags]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_healthy(process: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code in (200, 503):
                return  # answering (a record served unverified may well be degraded)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer in time")


def test_serve_refuses_a_tampered_record_and_starts_only_when_told(tmp_path: Path) -> None:
    site, data = site_file(tmp_path), tmp_path / "data"
    fill(data, 1, 5)
    assert runner.invoke(app, ["log", "checkpoint", "--site", str(site), "--data", str(data)]).exit_code == 0
    cut_tail(data, 3)
    refused = serve(site, data, free_port())
    _, errors = refused.communicate(timeout=60)
    assert refused.returncode == 1
    assert "refusing to start" in errors and "holds 3 entries" in errors and "--accept-unverified-record" in errors
    port = free_port()
    accepted = serve(site, data, port, "--accept-unverified-record")
    try:
        wait_healthy(accepted, port)
    finally:
        accepted.terminate()
        _, errors = accepted.communicate(timeout=30)
    assert "SERVING AN UNVERIFIED RECORD" in errors
    # it signed the record as it is at shutdown: the next start passes, while 'log verify' still reports the cut
    port = free_port()
    restarted = serve(site, data, port)
    try:
        wait_healthy(restarted, port)
    finally:
        restarted.terminate()
        restarted.communicate(timeout=30)
    verified = runner.invoke(app, ["log", "verify", "--data", str(data)])
    assert verified.exit_code == 1 and "holds 3 entries but the checkpoint of" in verified.output


def test_the_api_verify_reports_side_tables_and_checkpoints(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from sqlalchemy import update

    from gatewatch.bootstrap import build
    from gatewatch.server import create_app
    from gatewatch.store.checkpoint import CheckpointPlace
    from gatewatch.store.schema import reads

    site = site_file(tmp_path)
    fill(tmp_path, 1, 3)
    added = runner.invoke(
        app, ["user", "add", "ada", "--role", "admin", "--data", str(tmp_path)], input="long-enough\n"
    )
    assert added.exit_code == 0, added.output
    token = runner.invoke(app, ["user", "token", "ada", "--data", str(tmp_path)]).output.strip()
    services = build(site, database_url(tmp_path), checkpoints=CheckpointPlace.of(tmp_path))
    services.accounts.record_read("2024-06-03T10:00:00+00:00", "ada", "v1")
    with TestClient(create_app(services, names_apart=False)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        assert runner.invoke(app, ["log", "checkpoint", "--site", str(site), "--data", str(tmp_path)]).exit_code == 0
        honest = client.get("/v1/log/verify", headers=headers).json()
        assert honest["ok"] and honest["checkpoints"] == 1 and honest["problems"] == []
        assert {t["table"]: t["count"] for t in honest["tables"]}["reads"] == 1
        with services.log.engine.begin() as connection:
            connection.execute(update(reads).values(person="v2"))
        altered = client.get("/v1/log/verify", headers=headers).json()
        assert not altered["ok"] and "reads row 1: altered" in altered["problems"]
