"""The bounded field types of events and site files, with the numbers from ``limits``.

Each type carries its bound as a ``msgspec.Meta`` constraint: checked whenever an event or a
site is read, and stated in the API's JSON Schema. What a constraint cannot say (which
characters a string may hold) is checked by ``refuse_unreadable`` on the raw data first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

import msgspec

from gatewatch.core import limits
from gatewatch.core.errors import InvalidInput

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=limits.ID_CHARS)]
"""An id or a name that refers to something: a person, a door, an alarm, an item, a rule."""

Name = Annotated[str, msgspec.Meta(max_length=limits.NAME_CHARS)]
"""A name or a claim as a person gives it."""

Text = Annotated[str, msgspec.Meta(max_length=limits.TEXT_CHARS)]
"""Free text: a note, a reason, a purpose, an address (line breaks allowed)."""

People = Annotated[tuple[Id, ...], msgspec.Meta(min_length=1, max_length=limits.PEOPLE_PER_EVENT)]
"""One person or more, at most ``PEOPLE_PER_EVENT`` (a single id may be written alone)."""

SomePeople = Annotated[tuple[Id, ...], msgspec.Meta(max_length=limits.PEOPLE_PER_EVENT)]
"""None or more people, at most ``PEOPLE_PER_EVENT``."""

Items = Annotated[tuple[Id, ...], msgspec.Meta(max_length=limits.ITEMS_PER_EVENT)]
"""None or more items (worn, carried, found), at most ``ITEMS_PER_EVENT``."""

SomeItems = Annotated[tuple[Id, ...], msgspec.Meta(min_length=1, max_length=limits.ITEMS_PER_EVENT)]
"""One item or more (indicators, rules), at most ``ITEMS_PER_EVENT``."""

MrzLines = Annotated[
    tuple[Annotated[str, msgspec.Meta(max_length=limits.MRZ_LINE_CHARS)], ...],
    msgspec.Meta(max_length=limits.MRZ_LINES),
]
"""A machine-readable zone, line by line."""

TempC = Annotated[float, msgspec.Meta(ge=limits.TEMP_C_LOWEST, le=limits.TEMP_C_HIGHEST)]
"""An air temperature in °C, finite and one the Earth has had."""

Level = Annotated[int, msgspec.Meta(ge=0, le=limits.LEVEL_HIGHEST)]
Staff = Annotated[int, msgspec.Meta(ge=0, le=limits.STAFF_HIGHEST)]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=limits.MINUTES_HIGHEST)]
RetentionDays = Annotated[int, msgspec.Meta(ge=1, le=limits.RETENTION_DAYS_HIGHEST)]
PinDigits = Annotated[
    str,
    msgspec.Meta(
        pattern=rf"^[0-9]{{{limits.PIN_DIGITS_FEWEST},{limits.PIN_DIGITS_MOST}}}$", max_length=limits.PIN_DIGITS_MOST
    ),
]
"""A PIN as a keypad gives it: 4 to 12 digits."""

PinSecret = Annotated[
    str,
    msgspec.Meta(
        pattern=rf"^([0-9]{{{limits.PIN_DIGITS_FEWEST},{limits.PIN_DIGITS_MOST}}}|\$argon2id\$[!-~]+)$",
        max_length=limits.PIN_HASH_CHARS,
    ),
]
"""A credential's PIN: digits as a drill file writes it, or the salted hash the record keeps."""

CredentialZones = Annotated[tuple[Id, ...], msgspec.Meta(max_length=limits.CREDENTIAL_ZONES)]

CaseLinks = Annotated[tuple[Id, ...], msgspec.Meta(max_length=limits.CASE_LINKS)]
"""Event ids a case event links to its case, at most ``CASE_LINKS``."""

KeyFingerprint = Annotated[
    str, msgspec.Meta(pattern=r"^[0-9a-f]{16,64}$", min_length=16, max_length=limits.NOTE_KEY_CHARS)
]
"""The fingerprint naming the key a note was sealed with: 16 to 64 hex digits."""

Nonce = Annotated[
    str, msgspec.Meta(pattern=r"^[A-Za-z0-9+/]+={0,2}$", min_length=1, max_length=limits.NOTE_NONCE_CHARS)
]
"""A sealed note's nonce, in base64."""

SealedText = Annotated[
    str, msgspec.Meta(pattern=r"^[A-Za-z0-9+/]+={0,2}$", min_length=1, max_length=limits.SEALED_NOTE_CHARS)
]
"""A sealed note's ciphertext (with its tag), in base64."""

Seconds = Annotated[int, msgspec.Meta(ge=1, le=limits.SECONDS_HIGHEST)]
Count = Annotated[int, msgspec.Meta(ge=0, le=limits.COUNT_HIGHEST)]
PolicyItems = Annotated[tuple[Id, ...], msgspec.Meta(max_length=limits.POLICY_ITEMS)]

FREE_TEXT_FIELDS = frozenset({"note", "reason", "purpose", "address"})
"""Fields where line breaks and tabs are part of what is written."""

NAME_FIELDS = frozenset(
    {"name", "names", "employer", "phone", "vehicle", "authority", "alias", "against", "other_name"}
)
"""Fields holding a name as a person gives it: any script, joiners included, no control characters."""

_UNWRITABLE_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters but tab and line breaks, and lone surrogates: refused in free text."""
_UNWRITABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""Every control character and lone surrogate: refused in names."""
DEPTH = 8
"""How deeply an event or a site nests mappings and lists (an event needs 4)."""


def refuse_unreadable(raw: object, *, where: str, field: str = "", longest: int | None = None) -> None:
    """Refuse a string that cannot be recorded and shown as it is, naming its field.

    Ids hold printable characters only. Names may hold any script's letters and joiners, and
    free text line breaks and tabs; none may hold another control character (NUL, escape) or
    a lone surrogate, which cannot be written as UTF-8 at all. Keys are checked as well.
    A list longer than ``longest`` is not looked into: its type's bound refuses it, at once.
    """
    pending: list[tuple[object, str, int]] = [(raw, field, 0)]
    while pending:
        value, name, depth = pending.pop()
        if isinstance(value, str):
            _check_string(value, where=where, field=name)
        elif depth >= DEPTH and isinstance(value, Mapping | list | tuple):
            raise InvalidInput(f"nested more than {DEPTH} levels deep", where=where, field=name)
        elif isinstance(value, Mapping):
            for key, inner in value.items():
                key_name = _joined(name, printable_id(str(key)))
                if isinstance(key, str):
                    _check_string(key, where=where, field=key_name, kind="a field's name")
                pending.append((inner, key_name, depth + 1))
        elif isinstance(value, list | tuple) and (longest is None or len(value) <= longest):
            pending.extend((inner, f"{name}[{i}]", depth + 1) for i, inner in enumerate(value))


def _joined(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _leaf(field: str) -> str:
    """The field's own name, without its place: ``person.name`` → ``name``, ``people[3]`` → ``people``."""
    return field.rsplit(".", 1)[-1].split("[", 1)[0]


def _check_string(text: str, *, where: str, field: str, kind: str = "") -> None:
    leaf = _leaf(field)
    printable = not kind and leaf not in FREE_TEXT_FIELDS and leaf not in NAME_FIELDS
    if printable:
        if text != text.strip():
            problem = "blank" if not text.strip() else "spaces before or after it"
            raise InvalidInput(f"the id has {problem}: write it without them", where=where, field=field or "body")
        if text.isprintable():
            return
        position = next(i for i, char in enumerate(text) if not char.isprintable())
    else:
        found = (_UNWRITABLE_IN_TEXT if leaf in FREE_TEXT_FIELDS and not kind else _UNWRITABLE).search(text)
        if found is None:
            return
        position = found.start()
    char = text[position]
    if "\ud800" <= char <= "\udfff":
        problem = "a lone surrogate, which is not a character"
    elif _UNWRITABLE.match(char):
        problem = "a control character"
    else:
        problem = "not printable (an id holds letters, digits, marks and spaces only)"
    what = kind or ("the id" if printable else "the text")
    raise InvalidInput(
        f"{what} has {shown(char)} at character {position + 1}: {problem}", where=where, field=field or "body"
    )


def shown(char: str) -> str:
    """A character as it can be printed in an error: ``U+0000``."""
    return f"U+{ord(char):04X}"


def printable_id(ident: str) -> str:
    """An id fit for an error message: unprintable characters written as ``U+XXXX``, and one
    too long to be an id cut to its first 20 characters."""
    cut = ident if len(ident) <= limits.ID_CHARS else f"{ident[:20]}…"
    return "".join(c if c.isprintable() else shown(c) for c in cut)
