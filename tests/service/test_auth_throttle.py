"""Failed passwords slow further attempts, but never lock a lead's approval out of the desk.

The attack: twenty failed sign-ins from the desk's own address used to refuse every password
from it for a quarter of an hour, a lead's signature on an override included.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gatewatch.service import throttle
from gatewatch.service.auth import BadLogin, Gatekeeper, TooManyAttempts
from gatewatch.store.accounts import Accounts
from gatewatch.store.log import EventLog
from store.conftest import _postgres_database

DESK = "10.0.0.5"
ELSEWHERE = "10.0.0.9"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2024, 6, 3, 22, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gatewatch.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def keeper(url: str, clock: Clock) -> Iterator[Gatekeeper]:
    log = EventLog.open(url)
    gatekeeper = Gatekeeper(Accounts(log.engine), clock)
    gatekeeper.add_user("gus", "guard", "gus-password", "g1")
    gatekeeper.add_user("lena", "lead", "lena-password", "lead")
    yield gatekeeper
    log.close()


def fail(keeper: Gatekeeper, name: str, client: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(BadLogin):
            keeper.login(name, "wrong password", client)


def test_the_attackers_twenty_failures_do_not_stop_the_leads_approval(keeper: Gatekeeper, clock: Clock) -> None:
    for name in ("lena", "gus", "root", "admin"):
        fail(keeper, name, DESK, 5)
        clock.advance(1)
    assert keeper.accounts.recent_failures("2024-06-03", client=DESK)[0] == 20
    signer = keeper.check_password("lena", "lena-password", DESK)
    assert (signer.name, signer.role.value) == ("lena", "lead")


def test_a_wrong_approval_is_still_refused_after_the_attack(keeper: Gatekeeper) -> None:
    for name in ("lena", "gus", "root", "admin"):
        fail(keeper, name, DESK, 5)
    with pytest.raises(BadLogin):
        keeper.check_password("lena", "not it", DESK)


def test_after_the_attack_a_lead_signs_in_at_the_desk_within_seconds(keeper: Gatekeeper, clock: Clock) -> None:
    for name in ("gus", "root", "admin", "ghost"):
        fail(keeper, name, DESK, 5)
    with pytest.raises(TooManyAttempts) as held:
        keeper.login("lena", "lena-password", DESK)
    assert 0 < held.value.retry_after <= throttle.CLIENT_LONGEST_DELAY.total_seconds()
    clock.advance(held.value.retry_after)
    assert keeper.login("lena", "lena-password", DESK).user.name == "lena"


def test_a_brute_force_on_one_name_is_slowed_more_with_each_failure(keeper: Gatekeeper, clock: Clock) -> None:
    fail(keeper, "gus", ELSEWHERE, throttle.FREE_FAILURES)
    waits = []
    for _ in range(4):
        with pytest.raises(TooManyAttempts) as held:
            keeper.login("gus", "gus-password", ELSEWHERE)  # the right one: not even checked
        waits.append(held.value.retry_after)
        clock.advance(held.value.retry_after)
        fail(keeper, "gus", ELSEWHERE, 1)
    assert waits == [30, 60, 120, 240]


def test_guesses_from_elsewhere_slow_the_guesser_and_never_lock_the_guard_out(keeper: Gatekeeper) -> None:
    """A name's waits count the failures from one address: an attacker cannot keep a guard out."""
    fail(keeper, "gus", ELSEWHERE, throttle.FREE_FAILURES)
    with pytest.raises(TooManyAttempts):
        keeper.login("gus", "gus-password", ELSEWHERE)
    assert keeper.login("gus", "gus-password", DESK).user.name == "gus"


def test_four_failures_cost_nothing_and_the_wait_ends(keeper: Gatekeeper, clock: Clock) -> None:
    fail(keeper, "gus", DESK, throttle.FREE_FAILURES - 1)
    assert keeper.login("gus", "gus-password", DESK).user.name == "gus"
    fail(keeper, "gus", DESK, 1)
    with pytest.raises(TooManyAttempts):
        keeper.login("gus", "gus-password", DESK)
    clock.advance(throttle.NAME_FIRST_DELAY.total_seconds())
    assert keeper.login("gus", "gus-password", DESK).user.name == "gus"


def test_hammering_a_held_name_does_not_hold_it_longer(keeper: Gatekeeper, clock: Clock) -> None:
    fail(keeper, "gus", DESK, throttle.FREE_FAILURES)
    for _ in range(10):
        with pytest.raises(TooManyAttempts):
            keeper.login("gus", "wrong password", DESK)
    clock.advance(throttle.NAME_FIRST_DELAY.total_seconds())
    assert keeper.login("gus", "gus-password", DESK).user.name == "gus"


def test_failures_older_than_the_window_are_forgotten(keeper: Gatekeeper, clock: Clock) -> None:
    fail(keeper, "gus", DESK, throttle.FREE_FAILURES)
    clock.advance(throttle.WINDOW.total_seconds() - 1)
    fail(keeper, "gus", DESK, 1)  # the sixth in the window: the next waits a minute
    with pytest.raises(TooManyAttempts):
        keeper.login("gus", "gus-password", DESK)
    clock.advance(2)  # the first five are now older than the window: one failure left
    assert keeper.login("gus", "gus-password", DESK).user.name == "gus"


def test_guessing_a_leads_password_through_overrides_is_slowed(keeper: Gatekeeper, clock: Clock) -> None:
    for _ in range(throttle.APPROVAL_FREE_FAILURES):
        with pytest.raises(BadLogin):
            keeper.check_password("lena", "guess", DESK, by="gus")
    with pytest.raises(TooManyAttempts) as held:
        keeper.check_password("lena", "lena-password", DESK, by="gus")
    assert held.value.retry_after == throttle.APPROVAL_FIRST_DELAY.total_seconds()
    assert keeper.check_password("lena", "lena-password", DESK, by="harte").name == "lena"
    clock.advance(held.value.retry_after)
    assert keeper.check_password("lena", "lena-password", DESK, by="gus").name == "lena"


def test_every_password_check_is_recorded(keeper: Gatekeeper) -> None:
    fail(keeper, "gus", DESK, 2)
    keeper.check_password("lena", "lena-password", DESK)
    assert keeper.accounts.recent_failures("2024-06-03", name="gus") == (2, "2024-06-03T22:00:00+00:00")
    assert keeper.accounts.recent_failures("2024-06-03", name="lena") == (0, None)


@pytest.mark.parametrize(("failures", "seconds"), [(0, 0), (4, 0), (5, 30), (6, 60), (9, 480), (10, 900), (40, 900)])
def test_the_delay_by_name(failures: int, seconds: int) -> None:
    assert throttle.BY_NAME.delay(failures) == timedelta(seconds=seconds)


@pytest.mark.parametrize(("failures", "seconds"), [(19, 0), (20, 1), (22, 4), (23, 8), (24, 10), (200, 10)])
def test_the_delay_by_client_never_exceeds_seconds(failures: int, seconds: int) -> None:
    assert throttle.BY_CLIENT.delay(failures) == timedelta(seconds=seconds)


def test_the_approval_ledger_stays_bounded() -> None:
    ledger = throttle.ApprovalLedger(size=3)
    now = datetime(2024, 6, 3, tzinfo=UTC)
    for name in ("a", "b", "c", "d", "e"):
        ledger.failed(name, "gus", now)
    assert len(ledger._failures) == 3
