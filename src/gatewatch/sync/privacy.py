"""A private site's entries as head office receives them: identity fields only as keyed hashes.

Procedure: a site configured private (``--private``) sends, instead of an entry's payload, a
view of it in which every identity field is replaced by its keyed hash (``k:`` and 64 hex
digits, under the key the sites share): document numbers and machine-readable zones, phone
numbers, vehicles, addresses, employers and dates of birth, wherever an event carries them (an
identification, a screening's documents). Names stay, and people's ids: head office shows who,
and links what it cannot read. A document, phone or vehicle of an identification is hashed as
its mark is (``gatewatch.sync.marks``), so the view shows which of them a link was made on.
What the event says of them elsewhere in words (a note, a screening's reasons: "document number
JX1940817 is on the entry") is withheld too: each identifier as written, however it is spaced
or cased, becomes ``[withheld]``, and so it does in the engine's outcome (an alert's message that
repeats a document number). The entry's hash still covers the whole payload's and outcome's
digests, which are sent beside the views.
"""

from __future__ import annotations

import re
from typing import Any

from gatewatch.core.rules.identity_link import threads
from gatewatch.store.chain import Entry
from gatewatch.sync.marks import KEYED, check_key, keyed, presented

WITHHELD = "[withheld]"
"""What an identifier becomes where the event repeats it in words."""

SEALED_FIELDS = frozenset(
    {"phone", "phones", "vehicle", "vehicles", "address", "addresses", "employer", "employers", "birth_date", "mrz"}
)
"""Fields whose every value is withheld (a string, or a list of them), wherever they are."""
DOCUMENT_FIELDS = frozenset({"document", "documents"})
"""Fields holding documents: a document's number and zone are withheld, its kind and country stay."""
DOCUMENT_SEALED = frozenset({"number", "mrz"})
KEPT_WORDS = frozenset({"id", "type", "at", "name", "names", "against", "alias", "person", "people", "by", "for"})
"""Fields whose words are names and ids: they stay as written, identifiers or not."""
FEWEST_SHARED = 4
"""An identifier is looked for in other words only with this many letters and digits or more
(fewer would take letters out of names)."""
THREADED = frozenset({"document", "phone", "vehicle", "address", "employer"})
"""An identification's fields hashed as the site threads them (``identity_link.threads``)."""


def withhold(entry: Entry, key: bytes, site_country: str | None = None) -> dict[str, Any] | None:
    """The entry's payload with its identity fields withheld, or ``None`` when it holds none
    (then the payload is sent whole; a redacted entry has none either)."""
    check_key(key)
    if entry.payload is None:
        return None
    marked, written = _marked(entry, key, site_country)
    sealing = _Sealing(key, marked)
    view = sealing.view(entry.payload, top=True)
    if not sealing.withheld:
        return None
    sealing.withheld += written
    said: dict[str, Any] = sealing.unsaid(view)
    return said


def withhold_outcome(entry: Entry, key: bytes, site_country: str | None = None) -> dict[str, Any] | None:
    """The entry's outcome with every identifier its payload presents withheld where the outcome
    says it in words (an alert: "passport BEL JX1940817 was also presented by …"), as
    ``[withheld]``; ``None`` when the outcome says none of them (then it is sent whole)."""
    check_key(key)
    if entry.payload is None:
        return None
    marked, written = _marked(entry, key, site_country)
    sealing = _Sealing(key, marked)
    sealing.view(entry.payload, top=True)
    sealing.withheld += written
    found = _said_again(sealing.withheld)
    if found is None:
        return None
    said: dict[str, Any] = _replaced(entry.outcome, "", found)
    return None if said == entry.outcome else said


def _marked(entry: Entry, key: bytes, site_country: str | None) -> tuple[dict[str, str], list[str]]:
    """For an identification: each identifier's field and its keyed mark (the first, for a phone),
    and the identifiers as the site reads them (a phone's international number, as it may be said)."""
    event = presented(entry)
    found: dict[str, str] = {}
    read: list[str] = []
    for thread, _ in threads(event, site_country) if event is not None else ():
        field, _, value = thread.partition(":")
        if field in THREADED:
            found.setdefault(field, keyed(key, thread))
            read.append(value)
    return found, read


class _Sealing:
    """One payload's view: the values withheld, and what was withheld (to find it in words)."""

    def __init__(self, key: bytes, marked: dict[str, str]) -> None:
        self.key = key
        self.marked = marked
        self.withheld: list[str] = []

    def seal(self, field: str, value: str, top: bool) -> str:
        self.withheld.append(value)
        mark = self.marked.get(field) if top else None
        return mark if mark is not None else keyed(self.key, f"{field}:{value}")

    def sealed(self, field: str, value: Any, top: bool) -> Any:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return self.seal(field, str(value), top)
        if isinstance(value, list | tuple):
            return [self.sealed(field, item, False) for item in value]
        return self.view(value)

    def document(self, value: Any, top: bool) -> Any:
        if isinstance(value, str):
            return self.seal("document", value, False)
        if isinstance(value, list | tuple):
            return [self.document(item, False) for item in value]
        if not isinstance(value, dict):
            return value
        shown: dict[str, Any] = {}
        for name, inner in value.items():
            if name == "number" and isinstance(inner, str):
                self.withheld.append(inner)
                mark = self.marked.get("document") if top else None
                shown[name] = mark if mark is not None else keyed(self.key, f"document:{inner}")
            elif name in DOCUMENT_SEALED and inner is not None:
                shown[name] = self.sealed(name, inner, False)
            else:
                shown[name] = self.view(inner)
        return shown

    def view(self, value: Any, top: bool = False) -> Any:
        """The value with every identity field in it withheld (``top``: the event's own fields,
        whose identifiers are hashed as their marks are)."""
        if isinstance(value, dict):
            shown: dict[str, Any] = {}
            for name, inner in value.items():
                if inner is None:
                    shown[name] = inner
                elif name in SEALED_FIELDS:
                    shown[name] = self.sealed(name, inner, top)
                elif name in DOCUMENT_FIELDS:
                    shown[name] = self.document(inner, top and name == "document")
                else:
                    shown[name] = self.view(inner)
            return shown
        if isinstance(value, list | tuple):
            return [self.view(item) for item in value]
        return value

    def unsaid(self, value: Any) -> Any:
        """The view with every identifier withheld where it is said in words, as ``[withheld]``."""
        found = _said_again(self.withheld)
        if found is None:
            return value
        return _replaced(value, "", found)


def _said_again(withheld: list[str]) -> re.Pattern[str] | None:
    """Each identifier as it may be written again: its letters and digits, in any case, with any
    spaces or punctuation between them (``JX 1940817``, ``jx-1940817``); longest first."""
    shapes = {"".join(ch for ch in text.casefold() if ch.isalnum()) for text in withheld}
    patterns = [r"[\W_]*".join(re.escape(ch) for ch in shape) for shape in shapes if len(shape) >= FEWEST_SHARED]
    if not patterns:
        return None
    return re.compile("|".join(sorted(patterns, key=len, reverse=True)), re.IGNORECASE)


def _replaced(value: Any, field: str, found: re.Pattern[str]) -> Any:
    if isinstance(value, dict):
        return {name: _replaced(inner, name, found) for name, inner in value.items()}
    if isinstance(value, list):
        return [_replaced(item, field, found) for item in value]
    if isinstance(value, str) and field not in KEPT_WORDS and not _is_sealed(value):
        return found.sub(WITHHELD, value)
    return value


def _is_sealed(text: str) -> bool:
    return text.startswith(KEYED) and len(text) == len(KEYED) + 64
