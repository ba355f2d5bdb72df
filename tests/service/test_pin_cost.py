"""A PIN's hash names its own cost: one naming an enormous one must not hold the desk.

Found by attacking the doors with a guard's sign-in: a guard may issue a visitor's card, and
gave its PIN as an argon2 hash of their own making, with a time cost of thousands of passes.
Every badge of that card with a PIN was then checked against it under the desk's lock, and the
desk decided nothing else, for any door, until the check was done (minutes, or years).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from msgspec.structs import replace

from doors_support import OTTO, START, WAIT_S, harbour
from gatewatch.core import events as ev
from gatewatch.core import pins
from gatewatch.core.engine import step
from gatewatch.core.errors import InvalidInput
from gatewatch.core.state import CredentialRecord


def cheap_hash(digits: str) -> str:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(digits)


def costly_hash(digits: str) -> str:
    """A hash whose check would take longer than anyone waits: two billion passes."""
    return cheap_hash(digits).replace("t=1,", "t=2000000000,")


def ends(work: Callable[[], object]) -> object:
    """What ``work`` gives, if it ends within the tests' wait (it runs in a thread of its own)."""
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.append(work()), daemon=True)
    thread.start()
    thread.join(WAIT_S)
    assert not thread.is_alive(), "the check of the PIN did not end"
    return found[0]


def test_a_hash_that_names_a_cost_beyond_the_desks_bounds_is_never_a_match() -> None:
    assert ends(lambda: pins.matches(costly_hash("1234"), "1234")) is False
    assert pins.matches(cheap_hash("1234"), "1234") is True


def test_a_badge_against_such_a_hash_is_a_wrong_pin_decided_at_once(tmp_path: Path) -> None:
    """As a record imported, or a drill, could hold it."""
    with harbour(tmp_path, started=False) as site:
        state = site.services.desk.state
    record = CredentialRecord(holder="ines", kind="card+pin", issued="c", pin=costly_hash("1234"))
    state = replace(state, credentials=state.credentials.set("c-x", record))
    badge = ev.Badge(id="b", at=START + timedelta(minutes=1), reader="quay-out", credential="c-x", pin="1234")
    _, outcome = ends(lambda: step(state, badge))  # type: ignore[misc]
    assert outcome.decision == "deny"


@pytest.mark.parametrize("field", ["pin", "duress_pin"])
def test_a_client_gives_a_pin_as_its_digits_never_as_a_hash(tmp_path: Path, field: str) -> None:
    with harbour(tmp_path, started=False) as site:
        card = {
            "id": "visitor-card",
            "type": "credential",
            "person": "vic",
            "credential": "v-1",
            "kind": "card+pin",
            "by": "otto",
            field: cheap_hash("1234"),
        }
        with pytest.raises(InvalidInput) as refused:
            site.send(OTTO, card)
        assert refused.value.field == field
        assert "digits" in str(refused.value)
        assert site.services.log.head()[0] == 0, "nothing is recorded"
