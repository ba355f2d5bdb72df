"""Requests for people later found of concern: a request (or an override) they made for
someone who was not of concern then, and was found of concern afterwards: an alert that makes
a person of concern naming them (``insider_watch.concerned``), a ``concern`` raised on them, or
a case opened on them.

Procedure it watches: whoever asks a door open for someone vouches for them at that door. An
insider who helps an outsider in does it by asking for them; the ask is seen only once the
outsider is found out.
"""

from __future__ import annotations

from msgspec.structs import replace

from gatewatch.core.insider_watch import Recorded, Seen, Watch, found_of_concern

CODE = "requests_for_concern"
LABEL = "requests for people later found of concern"


def seen(entry: Recorded, watch: Watch) -> list[tuple[str, Seen]]:
    found: list[tuple[str, Seen]] = []
    for person, why in found_of_concern(entry).items():
        for asker, asked in watch.pending.get(person, ()):
            then = f"{asked.said}; found of concern at {entry.event.at:%Y-%m-%d %H:%M} ({why}, event {entry.event.id})"
            found.append((asker, replace(asked, said=then, linked=entry.event.id)))
    return found
