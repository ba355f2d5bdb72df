"""The person index: which log entries name each person, so a person's entries are read without
scanning the log.

For each entry: the people its event names (as ``gatewatch.core.events.people_named`` reads
them: actors included, e.g. the guard who asked and the visitor asked for), then every subject of every alert
its outcome raised (an alert names people and places alike; a place's rows are harmless: they
answer "which entries name this id"). One row per (id, entry), written in the same transaction
as the entry (``EventLog``'s appends, writes and imports), so the index never names an entry that
is not recorded.

The index is derived, not evidence: it is not chained, and the record's audit does not hold it
to the log (a row removed only hides an entry from a person's timeline; the log, its chain and
the alerts table are what the audit checks). ``gatewatch.store.migrations`` 0007 builds it for
a record kept before it existed. A redacted entry keeps its rows (its payload is gone, the fact
that it named the person is not); an entry redacted before the index was built is indexed by
its alerts alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

from gatewatch.core.events import PERSON_FIELDS
from gatewatch.core.limits import ID_CHARS

MOST_NAMED = 200
"""Ids indexed for one entry: far more than any event names (a request for a coach party)."""
MOST_READ = 1_000
"""Entries read for one person at a time (``EventLog.entries_naming``)."""

_FIELDS = tuple(sorted(PERSON_FIELDS))
_Named = msgspec.defstruct("_Named", [(name, Any, None) for name in _FIELDS], rename={"for_": "for"})
_named = msgspec.json.Decoder(_Named)


def named_in_payload(payload: str | None) -> tuple[str, ...]:
    """The people the recorded payload (JSON text) names: the fields ``people_named`` reads
    (``PERSON_FIELDS``, and the id of a ``register``'s person), read straight from the text, the
    other fields skipped. The same people as the typed event names, at a fraction of the cost of
    reading it whole; a payload this version no longer reads as an event still names its people.
    """
    if payload is None:
        return ()
    try:
        fields = _named.decode(payload)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return ()
    named: list[str] = []
    for name in _FIELDS:
        value = getattr(fields, name)
        if isinstance(value, str):
            named.append(value)
        elif isinstance(value, list):
            named.extend(v for v in value if isinstance(v, str))
        elif isinstance(value, dict) and isinstance(value.get("id"), str):
            named.append(value["id"])  # register: the person as a mapping
    return tuple(dict.fromkeys(named))


def rows_for(entries: Iterable[dict[str, Any]], raised: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The index rows of log rows (``seq``, ``payload`` as JSON text) and the alert rows they raised
    (``seq``, ``subjects`` as JSON text): one per id named, at most ``MOST_NAMED`` per entry (an id
    longer than any id may be is no one's, and is left out)."""
    named: dict[int, dict[str, None]] = {}
    for entry in entries:
        named[entry["seq"]] = dict.fromkeys(named_in_payload(entry["payload"]))
    for alert in raised:
        named.setdefault(alert["seq"], {}).update(dict.fromkeys(_subjects(alert["subjects"])))
    return [
        {"person": person, "seq": seq}
        for seq, people in named.items()
        for person in list(people)[:MOST_NAMED]
        if 0 < len(person) <= ID_CHARS
    ]


def _subjects(text: str) -> list[str]:
    """An alert row's subjects (a JSON list of ids); none when the text no longer reads as one
    (the index is built at start-up for an older record: one odd row must not stop the desk)."""
    try:
        subjects = msgspec.json.decode(text)
    except msgspec.DecodeError:
        return []
    return [s for s in subjects if isinstance(s, str)] if isinstance(subjects, list) else []
