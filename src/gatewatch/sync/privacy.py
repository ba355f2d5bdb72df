"""A private site's entries as head office receives them: identity fields only as keyed hashes,
free text not at all.

Procedure: a site configured private (``--private``) sends, instead of an entry's payload, a
view of it:

1. Every identity field is replaced by its keyed hash (``k:`` and 64 hex digits, under the key
   the sites share): document numbers and machine-readable zones, phone numbers, vehicles,
   addresses, employers and dates of birth, wherever an event carries them (an identification,
   a screening's documents). A document, phone or vehicle of an identification is hashed as its
   mark is (``gatewatch.sync.marks``), so the view shows which of them a link was made on.
2. Where the event repeats one of those identifiers in words (a screening's reasons: "document
   number JX1940817 is on the entry"), each identifier as written, however it is spaced or
   cased, becomes ``[withheld]``.
3. Every free-text field is withheld whole, as ``[withheld]``: the note every event may carry,
   and every other field the event's class types as free text (``bounded.Text``: a reason, a
   purpose, a device's detail), however deep in the event it is. These fields are found from the
   event classes themselves (``core/events.py``), so a field added later is withheld too; an
   entry of a type no class describes has every field withheld that any class types as free
   text. A guard's words may say anything ("passport JX1940817, phone 07700 900123"): no pattern
   can find every identifier in them, so none of them is sent. (An identity field that is free
   text, an address, stays its keyed hash: head office can still link on it.)

Names stay, and people's ids, types, times, doors, zones and every field that holds one of a
fixed set of values: head office shows who, where and when, and links what it cannot read. The
engine's outcome is sent the same way: where it repeats an identifier (an alert's message that
names a document number) or quotes the event's free text, whole or cut short (an override's
reason, a closed case's reason), that part becomes ``[withheld]``. The entry's hash still covers
the whole payload's and outcome's digests, which are sent beside the views.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec

from gatewatch.core.bounded import Text
from gatewatch.core.events import EVENT_TYPES
from gatewatch.core.rules.identity_link import threads
from gatewatch.store.chain import Entry
from gatewatch.sync.marks import KEYED, check_key, keyed, presented

WITHHELD = "[withheld]"
"""What an identifier becomes where the event repeats it in words, and what free text becomes."""

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
QUOTE_HEAD = 16
"""Free text is looked for in the outcome by its first this many characters (all of it if shorter)."""
OUTCOME_KEPT = KEPT_WORDS | {"event", "decision", "reasons", "code", "severity", "subjects"}
"""The outcome's ids, times and codes (its ``reasons`` are codes): only its alerts' messages are words."""

Shape = bool | Mapping[str, "Shape"]
"""Where a value holds free text: ``True``, it is free text itself (or a list of it); a mapping,
the fields of a structure that hold some, by their names as written, each with its own shape."""


def free_text_of(kind: Any) -> Shape | None:
    """Where values of this type hold free text (``bounded.Text``), through optional values, lists
    and structures; ``None`` where they hold none."""
    return _shape(kind, frozenset())


def _shape(kind: Any, seen: frozenset[type]) -> Shape | None:
    if kind == Text:
        return True
    origin = get_origin(kind)
    if origin is Annotated:
        return _shape(get_args(kind)[0], seen)
    if origin in (Union, types.UnionType, tuple, list, set, frozenset):
        return _merged([_shape(inner, seen) for inner in get_args(kind) if inner is not Ellipsis])
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct) and kind not in seen:
        inside = {
            field.encode_name: shape
            for field in msgspec.structs.fields(kind)
            if (shape := _shape(field.type, seen | {kind})) is not None
        }
        return inside or None
    return None


def _merged(shapes: list[Shape | None]) -> Shape | None:
    """One shape holding the free text of all of these (a value that may be free text is)."""
    found = [shape for shape in shapes if shape is not None]
    if not found:
        return None
    merged: dict[str, Shape] = {}
    for shape in found:
        if isinstance(shape, bool):
            return True
        for name, inner in shape.items():
            both = _merged([merged.get(name), inner])
            if both is not None:
                merged[name] = both
    return merged


FREE_TEXT: dict[str, Shape] = {kind: free_text_of(event) or {} for kind, event in EVENT_TYPES.items()}
"""Each event type's free-text fields, from its class (none: ``{}``; a ``note_read``'s note is an event id)."""
ANY_FREE_TEXT: Shape = _merged(list(FREE_TEXT.values())) or {"note": True}
"""For an entry of a type no class describes: every field that any event types as free text."""


def free_text_shape(entry_type: str) -> Shape:
    """Where an entry of this type holds free text."""
    return FREE_TEXT.get(entry_type, ANY_FREE_TEXT)


def withhold(entry: Entry, key: bytes, site_country: str | None = None) -> dict[str, Any] | None:
    """The entry's payload with its identity fields hashed and its free text withheld (see the
    module's procedure), or ``None`` when it holds neither (then the payload is sent whole; a
    redacted entry holds nothing)."""
    check_key(key)
    if entry.payload is None:
        return None
    marked, written = _marked(entry, key, site_country)
    sealing = _Sealing(key, marked)
    view: dict[str, Any] = sealing.view(entry.payload, top=True)
    if sealing.withheld:
        sealing.withheld += written
        view = sealing.unsaid(view)
    silenced = _Silenced()
    said: dict[str, Any] = _each_free_text(view, free_text_shape(entry.type), silenced)
    if not sealing.withheld and not silenced.count:
        return None
    return said


def withhold_outcome(entry: Entry, key: bytes, site_country: str | None = None) -> dict[str, Any] | None:
    """The entry's outcome with what it repeats of the payload withheld, as ``[withheld]``: every
    identifier the payload presents, where the outcome says it in words (an alert: "passport BEL
    JX1940817 was also presented by …"), and the payload's free text, where the outcome quotes it
    whole or cut short (an alert: "… approved an override (his brother, passport JX1940817)");
    ``None`` when the outcome repeats none of it (then it is sent whole)."""
    check_key(key)
    if entry.payload is None:
        return None
    said: dict[str, Any] = entry.outcome
    written = _Written()
    _each_free_text(entry.payload, free_text_shape(entry.type), written)
    quotes = written.quotes()
    if quotes is not None:
        said = _replaced(said, "", quotes, OUTCOME_KEPT)
    marked, read = _marked(entry, key, site_country)
    sealing = _Sealing(key, marked)
    sealing.view(entry.payload, top=True)
    sealing.withheld += read
    found = _said_again(sealing.withheld)
    if found is not None:
        said = _replaced(said, "", _substitute(found), OUTCOME_KEPT)
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
        return _replaced(value, "", _substitute(found), KEPT_WORDS)


class _Silenced:
    """Free text, withheld whole (a blank one says nothing, and an identity field keeps its keyed hash)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, text: str) -> str:
        if not text.strip() or _is_sealed(text):
            return text
        self.count += 1
        return WITHHELD


class _Written:
    """Free text as written, gathered to be looked for where the outcome quotes it."""

    def __init__(self) -> None:
        self.texts: set[str] = set()

    def __call__(self, text: str) -> str:
        if text.strip():
            self.texts.add(text.strip())
        return text

    def quotes(self) -> Callable[[str], str] | None:
        """What withholds each of the texts where words quote it (the longest first), or ``None``: no text."""
        if not self.texts:
            return None
        texts = sorted(self.texts, key=len, reverse=True)

        def unquoted(said: str) -> str:
            for text in texts:
                said = _unquoted(said, text)
            return said

        return unquoted


def _each_free_text(value: Any, shape: Shape, change: Callable[[str], str]) -> Any:
    """The value with each free-text string in it (where ``shape`` says) replaced by what ``change`` makes of it."""
    if isinstance(value, list | tuple):
        return [_each_free_text(item, shape, change) for item in value]
    if isinstance(shape, bool):
        return change(value) if isinstance(value, str) else value
    if isinstance(value, dict):
        return {
            name: _each_free_text(inner, shape[name], change) if name in shape else inner
            for name, inner in value.items()
        }
    return value


def _unquoted(said: str, text: str) -> str:
    """``said`` with each place it quotes ``text`` withheld: the whole text, or its start cut short
    (at least ``QUOTE_HEAD`` characters of it), beginning where a word may begin; a text shorter
    than ``QUOTE_HEAD`` only as a whole and not as the start of a longer word."""
    head = text[:QUOTE_HEAD]
    parts: list[str] = []
    copied = 0
    at = said.find(head)
    while at != -1:
        end, taken = at + len(head), len(head)
        while taken < len(text) and end < len(said) and said[end] == text[taken]:
            end, taken = end + 1, taken + 1
        inside_word = at > 0 and said[at - 1].isalnum() and head[0].isalnum()
        word_goes_on = (
            taken == len(text) < QUOTE_HEAD and end < len(said) and said[end].isalnum() and text[-1].isalnum()
        )
        if inside_word or word_goes_on:
            at = said.find(head, at + 1)
            continue
        parts += [said[copied:at], WITHHELD]
        copied = end
        at = said.find(head, end)
    return "".join([*parts, said[copied:]]) if parts else said


def _said_again(withheld: list[str]) -> re.Pattern[str] | None:
    """Each identifier as it may be written again: its letters and digits, in any case, with any
    spaces or punctuation between them (``JX 1940817``, ``jx-1940817``); longest first."""
    shapes = {"".join(ch for ch in text.casefold() if ch.isalnum()) for text in withheld}
    patterns = [r"[\W_]*".join(re.escape(ch) for ch in shape) for shape in shapes if len(shape) >= FEWEST_SHARED]
    if not patterns:
        return None
    return re.compile("|".join(sorted(patterns, key=len, reverse=True)), re.IGNORECASE)


def _substitute(found: re.Pattern[str]) -> Callable[[str], str]:
    return lambda text: found.sub(WITHHELD, text)


def _replaced(value: Any, field: str, change: Callable[[str], str], kept: frozenset[str]) -> Any:
    """The value with ``change`` made to every string in it but those of the ``kept`` fields and keyed hashes."""
    if isinstance(value, dict):
        return {name: _replaced(inner, name, change, kept) for name, inner in value.items()}
    if isinstance(value, list):
        return [_replaced(item, field, change, kept) for item in value]
    if isinstance(value, str) and field not in kept and not _is_sealed(value):
        return change(value)
    return value


def _is_sealed(text: str) -> bool:
    return text.startswith(KEYED) and len(text) == len(KEYED) + 64
