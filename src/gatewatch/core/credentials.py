"""Credentials in the state: issued, revoked, and a visitor's one-day credentials lapsing."""

from __future__ import annotations

from immutables import Map
from msgspec.structs import replace

from gatewatch.core import events as ev
from gatewatch.core.state import CredentialRecord, State


def issue(state: State, event: ev.Credential) -> State:
    """Keep the credential (replacing one of the same id); a visitor's is valid for today only."""
    holder = state.person(event.person)
    record = CredentialRecord(
        holder=event.person,
        kind=event.kind,
        issued=event.id,
        pin=event.pin,
        duress_pin=event.duress_pin,
        until=event.until,
        zones=frozenset(event.zones),
        day=event.at.date() if holder.is_visitor else None,
    )
    misses = state.pin_misses
    earlier = state.credentials.get(event.credential)
    held = state.credentials_of
    if earlier is not None and earlier.holder != event.person:
        held = _without(held, earlier.holder, event.credential)
    mine = held.get(event.person, ())
    if event.credential not in mine:
        held = held.set(event.person, (*mine, event.credential))
    return replace(
        state,
        credentials=state.credentials.set(event.credential, record),
        credentials_of=held,
        pin_misses=misses.delete(event.credential) if event.credential in misses else misses,
    )


def _without(held: Map[str, tuple[str, ...]], holder: str, credential: str) -> Map[str, tuple[str, ...]]:
    kept = tuple(c for c in held.get(holder, ()) if c != credential)
    return held.set(holder, kept) if kept else held.delete(holder)


def revoke(state: State, credential: str, event_id: str) -> State:
    record = state.credentials.get(credential)
    if record is None or record.revoked is not None:
        return state
    return replace(state, credentials=state.credentials.set(credential, replace(record, revoked=event_id)))


def lapse_day_credentials(state: State, person_id: str) -> State:
    """A visitor leaving: their one-day credentials lapse now."""
    ids = state.credentials_of.get(person_id, ())
    credentials = state.credentials
    for credential in ids:
        record = credentials.get(credential)
        if record is not None and record.day is not None and not record.lapsed:
            credentials = credentials.set(credential, replace(record, lapsed=True))
    return state if credentials is state.credentials else replace(state, credentials=credentials)
