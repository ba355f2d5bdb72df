"""Tokens: kept in memory after one read, refused at once when revoked here, within the TTL
when changed by another process (the command line), and never ended by a logout if they are
API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from gatewatch.service import credentials
from gatewatch.service.auth import SESSION_HOURS, Gatekeeper, token_digest
from gatewatch.service.credentials import CredentialCache
from gatewatch.service.permissions import UserRole
from gatewatch.store.accounts import Accounts
from gatewatch.store.log import EventLog
from service.test_auth_throttle import Clock

TTL = credentials.TTL.total_seconds()


class Queries:
    """Counts the statements an engine sends to the database."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gatewatch.db'}"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(url: str, clock: Clock) -> Iterator[Gatekeeper]:
    """The server's gatekeeper, on its own clock."""
    log = EventLog.open(url)
    gatekeeper = Gatekeeper(Accounts(log.engine), clock)
    gatekeeper.add_user("gus", "guard", "gus-password", "g1")
    gatekeeper.add_user("lena", "lead", "lena-password", "lead")
    yield gatekeeper
    log.close()


@pytest.fixture
def command_line(url: str, server: Gatekeeper) -> Iterator[Gatekeeper]:
    """Another process on the same database: ``gatewatch user ...``."""
    log = EventLog.open(url)
    yield Gatekeeper(Accounts(log.engine))
    log.close()


def test_a_known_token_costs_no_query_until_the_ttl(server: Gatekeeper, clock: Clock) -> None:
    token = server.login("gus", "gus-password", "desk").token
    queries = Queries(server.accounts.engine)
    assert server.authenticate(token) is not None
    assert queries.count == 1  # one joined query: the token and its user
    for _ in range(100):
        assert server.authenticate(token) is not None
    assert queries.count == 1
    clock.advance(TTL)
    assert server.authenticate(token) is not None
    assert queries.count == 2


def test_a_logged_out_session_is_refused_at_once(server: Gatekeeper) -> None:
    token = server.login("gus", "gus-password", "desk").token
    assert server.authenticate(token) is not None
    assert server.logout(token) is True
    assert server.authenticate(token) is None


def test_a_logout_never_ends_an_api_token(server: Gatekeeper) -> None:
    token = server.api_token("gus")
    assert server.token_kind(token) == "api"
    assert server.logout(token) is False
    assert server.authenticate(token) is not None
    assert server.accounts.holder(token_digest(token)) is not None


def test_revoking_a_users_tokens_here_is_honoured_at_once(server: Gatekeeper) -> None:
    api, session = server.api_token("gus"), server.login("gus", "gus-password", "desk").token
    other = server.api_token("lena")
    assert server.authenticate(api) and server.authenticate(session) and server.authenticate(other)
    assert server.revoke_tokens("gus") == 2
    assert server.authenticate(api) is None and server.authenticate(session) is None
    assert server.authenticate(other) is not None


def test_a_role_change_here_is_honoured_at_once(server: Gatekeeper) -> None:
    token = server.api_token("gus")
    assert server.authenticate(token).role is UserRole.GUARD  # type: ignore[union-attr]
    server.set_role("gus", "lead")
    assert server.authenticate(token).role is UserRole.LEAD  # type: ignore[union-attr]


def test_a_removed_user_is_refused_at_once(server: Gatekeeper) -> None:
    token = server.api_token("gus")
    assert server.authenticate(token) is not None
    server.remove_user("gus")
    assert server.authenticate(token) is None
    assert server.accounts.user("gus") is None


def test_changing_an_unknown_user_or_role_is_said(server: Gatekeeper) -> None:
    with pytest.raises(ValueError, match='no user named "nobody"'):
        server.remove_user("nobody")
    with pytest.raises(ValueError, match='unknown role "boss"'):
        server.set_role("gus", "boss")
    with pytest.raises(ValueError, match='no user named "nobody"'):
        server.set_role("nobody", "lead")


def test_a_change_made_by_another_process_is_honoured_after_the_ttl(
    server: Gatekeeper, command_line: Gatekeeper, clock: Clock
) -> None:
    token = server.api_token("gus")
    assert server.authenticate(token) is not None
    command_line.remove_user("gus")
    clock.advance(TTL - 1)
    assert server.authenticate(token) is not None  # still trusted from memory: at most the TTL
    clock.advance(1)
    assert server.authenticate(token) is None


def test_a_role_changed_by_another_process_is_seen_after_the_ttl(
    server: Gatekeeper, command_line: Gatekeeper, clock: Clock
) -> None:
    token = server.api_token("lena")
    assert server.authenticate(token).role is UserRole.LEAD  # type: ignore[union-attr]
    command_line.set_role("lena", "guard")
    clock.advance(TTL)
    assert server.authenticate(token).role is UserRole.GUARD  # type: ignore[union-attr]


def test_a_session_ends_when_it_expires_even_from_memory(server: Gatekeeper, clock: Clock) -> None:
    token = server.login("gus", "gus-password", "desk").token
    clock.advance(SESSION_HOURS * 3600 - 1)
    assert server.authenticate(token) is not None  # read now: kept for the TTL
    queries = Queries(server.accounts.engine)
    clock.advance(1)
    assert server.authenticate(token) is None
    assert queries.count == 1  # found expired in memory, then not found valid in the record


def test_an_unknown_token_is_not_kept(server: Gatekeeper) -> None:
    assert server.authenticate("made up") is None
    assert len(server.cache) == 0


def test_the_cache_stays_bounded(url: str, clock: Clock) -> None:
    log = EventLog.open(url)
    keeper = Gatekeeper(Accounts(log.engine), clock, CredentialCache(timedelta(seconds=5), size=2))
    keeper.add_user("ann", "guard", "ann-password", None)
    tokens = [keeper.api_token("ann") for _ in range(4)]
    assert all(keeper.authenticate(token) for token in tokens)
    assert len(keeper.cache) == 2
    log.close()


def test_without_a_cache_every_request_reads_the_record(url: str, clock: Clock) -> None:
    log = EventLog.open(url)
    keeper = Gatekeeper(Accounts(log.engine), clock, CredentialCache(timedelta(0)))
    keeper.add_user("ann", "guard", "ann-password", None)
    token = keeper.api_token("ann")
    queries = Queries(keeper.accounts.engine)
    assert keeper.authenticate(token) is not None and keeper.authenticate(token) is not None
    assert queries.count == 2
    log.close()
