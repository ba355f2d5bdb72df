"""Properties of the engine with readers, credentials and devices (format version 2), over
generated event streams (Hypothesis) on the readers' test site, mixing the existing streams'
events with credentials, revocations, badges, ticks, device reports and exit buttons:

- going out at an inside reader is granted for any known credential, whatever its state
  (revoked, expired, lapsed, without or with a wrong PIN, in lockdown); an unknown one is
  denied for that alone, naming nobody;
- determinism and replay equivalence (in one go, resumed from a pickled or snapshotted state);
- the record's sealed events (PIN hashes, the badge's verdict) decide exactly as the digits did;
- PIN digits never appear in an outcome's text;
- DURESS never starts a lockdown.
"""

from __future__ import annotations

import json
import pickle
from datetime import timedelta
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import SETTINGS, event_body, people, person

from gatewatch.core import snapshot
from gatewatch.core.engine import run, step
from gatewatch.core.events import Badge, Credential, Event
from gatewatch.core.outcome import Outcome
from gatewatch.core.state import State
from gatewatch.service import pins as sealing
from rules.readers_site import READERS, readers_site
from support import START, events, start_state

pytestmark = pytest.mark.slow

SITE = readers_site()
CREDENTIALS = ["c1", "c2", "c3"]
ISSUERS = ["lead", "g1", "cook"]
READER_IDS = [r["id"] for r in READERS]
INSIDE_READERS = frozenset(r["id"] for r in READERS if r["side"] == "inside")
DOORS = ["outer", "inner", "front", "side", "vault-door"]
KNOWN_PINS = ["135790", "24680246", "975312468642"]
"""PINs of six digits or more, so that none can be a run of digits in a date, time or id."""

pin_digits = st.one_of(st.sampled_from(KNOWN_PINS), st.from_regex(r"[0-9]{6,12}", fullmatch=True))
maybe_pin = st.one_of(st.none(), pin_digits)


def _without_none(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None and v != []}


def _until(minutes: int | None) -> str | None:
    return None if minutes is None else (START + timedelta(hours=6, minutes=minutes)).isoformat()


credential_body = st.builds(
    lambda p, c, k, b, pin, duress, until, zones: _without_none(
        {
            "type": "credential",
            "person": p,
            "credential": c,
            "kind": k,
            "by": b,
            "pin": pin,
            "duress_pin": duress,
            "until": _until(until),
            "zones": zones,
        }
    ),
    person,
    st.sampled_from(CREDENTIALS),
    st.sampled_from(["card", "pin", "card+pin"]),
    st.sampled_from(ISSUERS),
    maybe_pin,
    maybe_pin,
    st.one_of(st.none(), st.integers(0, 36 * 60)),
    st.lists(st.sampled_from(sorted(SITE.zones)), max_size=2, unique=True),
)


@st.composite
def badge_body(draw: Any) -> dict[str, Any]:
    body = {
        "type": "badge",
        "reader": draw(st.sampled_from(READER_IDS)),
        "credential": draw(st.sampled_from([*CREDENTIALS, "c-unknown"])),
    }
    keyed = draw(st.sampled_from(["none", "digits", "verdict"]))
    if keyed == "digits":
        body["pin"] = draw(pin_digits)
    elif keyed == "verdict":  # as the record keeps it
        body["pin_given"] = draw(st.sampled_from(["right", "wrong", "duress"]))
    return body


revoke_body = st.builds(
    lambda c, b: {"type": "revoke", "credential": c, "by": b}, st.sampled_from(CREDENTIALS), st.sampled_from(ISSUERS)
)

reader_body = st.one_of(
    credential_body,
    badge_body(),
    badge_body(),
    badge_body(),
    revoke_body,
    revoke_body,
    st.just({"type": "tick"}),
    st.builds(
        lambda d, s: {"type": "device", "device": d, "status": s},
        st.sampled_from(READER_IDS),
        st.sampled_from(["online", "offline", "fault", "tamper"]),
    ),
    st.builds(lambda d: {"type": "exit", "door": d}, st.sampled_from(DOORS)),
    st.builds(lambda d: {"type": "open", "door": d}, st.sampled_from(DOORS)),
    st.builds(lambda d: {"type": "close", "door": d}, st.sampled_from(DOORS)),
    st.builds(lambda p, z: {"type": "move", "people": p, "to": z}, people, st.sampled_from(["vault", "house", "yard"])),
)

gap_seconds = st.one_of(st.integers(0, 12), st.integers(0, 45), st.integers(0, 3600), st.integers(0, 12 * 3600))
"""Seconds between events: within a two-person window, a door held open, an hour, half a day."""


@st.composite
def streams(draw: Any) -> tuple[Event, ...]:
    """Each stream starts with the lead issuing some credentials, so that badges find them."""
    issued = [{**body, "by": "lead"} for body in draw(st.lists(credential_body, min_size=1, max_size=3))]
    bodies = issued + draw(st.lists(st.one_of(event_body, reader_body, reader_body), min_size=4, max_size=40))
    gaps = draw(st.lists(gap_seconds, min_size=len(bodies), max_size=len(bodies)))
    raw, moment, decided = [], START + timedelta(hours=6), []
    for i, (body, gap) in enumerate(zip(bodies, gaps, strict=True)):
        moment += timedelta(seconds=gap)
        item = {"id": f"e{i}", "at": moment.isoformat(), **body}
        raw.append(item)
        if body["type"] == "request":  # a drill's override names a request (not a badge)
            decided.append(item["id"])
        elif decided and gap % 7 == 0:
            raw.append(
                {
                    "id": f"e{i}o",
                    "at": moment.isoformat(),
                    "type": "override",
                    "request": decided[-1],
                    "by": "g1",
                    "approved_by": "lead",
                }
            )
    return events(yaml.safe_dump(raw, sort_keys=False), SITE)


def fresh() -> State:
    return start_state(SITE)


def outcomes_of(state: State, stream: tuple[Event, ...]) -> list[Outcome]:
    return [outcome for _, outcome in run(state, stream)]


def steps_of(stream: tuple[Event, ...]) -> list[tuple[State, Event, Outcome, State]]:
    """Each event with the state before it, its outcome, and the state after."""
    found, state = [], fresh()
    for event in stream:
        after, outcome = step(state, event)
        found.append((state, event, outcome, after))
        state = after
    return found


@SETTINGS
@given(streams())
def test_going_out_at_an_inside_reader_is_granted_for_any_known_credential(stream: tuple[Event, ...]) -> None:
    for before, event, outcome, _ in steps_of(stream):
        if isinstance(event, Badge) and event.reader in INSIDE_READERS and event.credential in before.credentials:
            assert outcome.decision == "grant", (outcome, before.credentials[event.credential])
            assert outcome.reasons == ()


@st.composite
def ended_or_not(draw: Any) -> tuple[Event, ...]:
    """A credential in any state, then its holder going out through an inside reader: revoked or
    not, past its ``until`` or not, a visitor's left behind by its holder or its day over, with no
    PIN, the right one, a wrong one or the duress one, in lockdown or not."""
    holder = draw(st.sampled_from(["res", "cook", "g1", "v1"]))
    pin, duress = draw(pin_digits), draw(maybe_pin)
    credential = draw(credential_body) | {"person": holder, "credential": "c1", "by": "lead", "pin": pin}
    if duress is not None:
        credential["duress_pin"] = duress
    raw = [{**credential, "at": START.replace(hour=8).isoformat()}]
    reader = draw(st.sampled_from(sorted(INSIDE_READERS)))
    door = SITE.doors[SITE.readers[reader].door]
    later = START.replace(hour=9)
    raw.append({"type": "move", "people": [holder], "to": door.inward, "at": later.isoformat()})
    for happened in draw(st.lists(st.sampled_from(["revoke", "leave", "tamper"]), unique=True)):
        raw.append(
            {
                "revoke": {"type": "revoke", "credential": "c1", "by": "lead"},
                "leave": {"type": "leave", "people": [holder]},
                "tamper": {"type": "device", "device": "outer-out", "status": "tamper"},
            }[happened]
            | {"at": later.isoformat()}
        )
    keyed = draw(st.sampled_from([None, pin, duress, "000000"]))
    badge = {"type": "badge", "reader": reader, "credential": "c1", **({"pin": keyed} if keyed else {})}
    raw.append({**badge, "at": (later + timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))).isoformat()})
    return events(yaml.safe_dump([{"id": f"e{i}", **item} for i, item in enumerate(raw)], sort_keys=False), SITE)


@SETTINGS
@given(ended_or_not())
def test_a_known_credential_in_any_state_goes_out(stream: tuple[Event, ...]) -> None:
    *_, (before, event, outcome, _) = steps_of(stream)
    assert isinstance(event, Badge) and event.credential in before.credentials
    assert outcome.decision == "grant", (outcome, before.credentials[event.credential], before.lockdown)


@SETTINGS
@given(streams())
def test_an_unknown_credential_is_denied_for_that_alone(stream: tuple[Event, ...]) -> None:
    for before, event, outcome, _ in steps_of(stream):
        if isinstance(event, Badge) and event.credential not in before.credentials:
            assert outcome.decision == "deny"
            assert outcome.reason_codes == ("CREDENTIAL_UNKNOWN",)
            assert outcome.reasons[0].people == ()


@SETTINGS
@given(streams())
def test_same_events_give_same_outcomes(stream: tuple[Event, ...]) -> None:
    assert outcomes_of(fresh(), stream) == outcomes_of(fresh(), stream)


@SETTINGS
@given(streams(), st.data())
def test_resuming_from_a_saved_state_gives_the_same_outcomes(stream: tuple[Event, ...], data: Any) -> None:
    whole = outcomes_of(fresh(), stream)
    half = data.draw(st.integers(0, len(stream)))
    state, first = fresh(), []
    for event in stream[:half]:
        state, outcome = step(state, event)
        first.append(outcome)
    assert first + outcomes_of(pickle.loads(pickle.dumps(state)), stream[half:]) == whole
    loaded = snapshot.load(snapshot.dump(state), state.site)
    assert loaded == state
    assert first + outcomes_of(loaded, stream[half:]) == whole


def _text(outcome: Outcome) -> str:
    """Everything an outcome says: the contract's shape, and each reason's explanation and remedy."""
    said = [json.dumps(outcome.to_dict()), repr(outcome)]
    said += [f"{r.explanation} {r.remedy}" for r in outcome.reasons]
    return "\n".join(said)


def _pins_in(stream: tuple[Event, ...]) -> set[str]:
    found: set[str] = set()
    for event in stream:
        if isinstance(event, Credential):
            found.update(p for p in (event.pin, event.duress_pin) if p is not None)
        elif isinstance(event, Badge) and event.pin is not None:
            found.add(event.pin)
    return found


@SETTINGS
@given(streams())
def test_pin_digits_never_appear_in_an_outcome(stream: tuple[Event, ...]) -> None:
    keyed = _pins_in(stream)
    for outcome in outcomes_of(fresh(), stream):
        text = _text(outcome)
        assert not [pin for pin in keyed if pin in text], text


@SETTINGS
@given(streams())
def test_duress_never_starts_a_lockdown(stream: tuple[Event, ...]) -> None:
    for before, _, outcome, after in steps_of(stream):
        critical = {a.code.value for a in outcome.alerts if a.severity.label == "critical"}
        if before.lockdown is None and critical == {"DURESS"}:
            assert after.lockdown is None


@settings(SETTINGS, max_examples=40)
@given(streams())
def test_the_sealed_record_decides_as_the_digits_did(stream: tuple[Event, ...]) -> None:
    """What the desk records (hashes for credentials' PINs, the verdict for badges) replays to the
    same outcomes as the events with their digits, and holds no digits."""
    sealed, state = [], fresh()
    for event in stream:
        kept = sealing.seal(state, event)
        sealed.append(kept)
        state, _ = step(state, kept)
    assert outcomes_of(fresh(), tuple(sealed)) == outcomes_of(fresh(), stream)
    assert not [e for e in sealed if isinstance(e, Badge) and e.pin is not None]
    kept_pins = [p for e in sealed if isinstance(e, Credential) for p in (e.pin, e.duress_pin) if p is not None]
    assert all(sealing.pins.is_hash(p) for p in kept_pins)
