"""``gatewatch user add | token | list`` and ``gatewatch log redact``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from gatewatch.bootstrap import open_accounts
from gatewatch.cli.main import app
from gatewatch.core.events import to_payload
from gatewatch.store.log import EventLog, Submission, database_url
from support import SITE_YAML, events

runner = CliRunner()


def test_a_user_is_added_with_the_password_from_standard_input(tmp_path: Path) -> None:
    added = runner.invoke(
        app, ["user", "add", "gus", "--role", "guard", "--person", "g1", "--data", str(tmp_path)], input="s3cret-gate\n"
    )
    assert added.exit_code == 0, added.output
    log, accounts, gatekeeper = open_accounts(database_url(tmp_path))
    user = accounts.user("gus")
    assert user is not None and user.role == "guard" and user.person == "g1"
    assert user.password_hash.startswith("$argon2") and "s3cret-gate" not in user.password_hash
    assert gatekeeper.check_password("gus", "s3cret-gate", "test").person == "g1"
    log.close()
    listed = runner.invoke(app, ["user", "list", "--data", str(tmp_path)])
    assert "gus" in listed.output and "guard" in listed.output
    token = runner.invoke(app, ["user", "token", "gus", "--data", str(tmp_path)])
    assert token.exit_code == 0 and len(token.output.strip()) > 30


def test_bad_users_are_refused_with_the_reason(tmp_path: Path) -> None:
    short = runner.invoke(app, ["user", "add", "gus", "--role", "guard", "--data", str(tmp_path)], input="short\n")
    assert short.exit_code == 2 and "too short" in short.output
    role = runner.invoke(app, ["user", "add", "gus", "--role", "boss", "--data", str(tmp_path)], input="long-enough\n")
    assert role.exit_code == 2 and "boss" in role.output
    runner.invoke(app, ["user", "add", "gus", "--role", "guard", "--data", str(tmp_path)], input="long-enough\n")
    twice = runner.invoke(app, ["user", "add", "gus", "--role", "lead", "--data", str(tmp_path)], input="long-enough\n")
    assert twice.exit_code == 2 and "already exists" in twice.output
    nobody = runner.invoke(app, ["user", "token", "nobody", "--data", str(tmp_path)])
    assert nobody.exit_code == 2 and "nobody" in nobody.output


def test_redact_applies_the_site_retention_and_verifies(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(SITE_YAML, encoding="utf-8")
    store = EventLog.open(database_url(tmp_path))
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    old = events('- {id: i1, at: "2020-01-02T09:00", type: identify, person: vic, name: Vic}\n', start=long_ago)[0]
    at = old.at.isoformat()
    outcome = {"event": "i1", "type": "identify", "at": at, "decision": None, "reasons": [], "alerts": []}
    store.append(Submission("i1", "identify", at, to_payload(old), outcome, "lead", datetime.now(UTC).isoformat()))
    store.close()
    result = runner.invoke(app, ["log", "redact", "--site", str(site), "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "redacted 1 entries" in result.output and "1 redacted" in result.output


def test_people_trust_shows_who_backed_a_person_and_flags_vouches_alone(tmp_path: Path) -> None:
    store = EventLog.open(database_url(tmp_path))
    text = """
- {id: v1, at: "2024-06-03T09:00", type: vouch, by: res, for: vic, note: an old friend}
- {id: v2, at: "09:01", type: invite, by: res, person: vic, purpose: tea}
"""
    for event in events(text):
        outcome = {"event": event.id, "type": event.type, "at": event.at.isoformat(), "alerts": []}
        store.append(
            Submission(event.id, event.type, event.at.isoformat(), to_payload(event), outcome, "lead", "2024-06-03")
        )
    store.close()
    result = runner.invoke(app, ["people", "trust", "vic", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "vouched by res" in result.output and "invited by res" in result.output
    assert "rests on vouches and invitations alone" in result.output
    assert runner.invoke(app, ["people", "trust", "nobody", "--data", str(tmp_path)]).exit_code == 1
