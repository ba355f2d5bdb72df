"""Checking a watchlist entry as it is imported: the list's own errors, set aside or moved.

Lists carry errors: a date of birth that names no day (``1990-02-30``), one in the future or
after the list was published, a year mistyped (``0193``); a date of birth in the nationality
column, a country code in the date column, a passport number in the name; a name that is a
placeholder (``N/A``, ``unknown``, ``-``) or digits only. A value that cannot be true must not
lower a match, nor be matched.

Each value of an entry is checked in its own field:

- a **name** or an **alias** has letters, is not a placeholder, not a single letter, not over
  ``NAME_CHARS`` characters;
- a **date of birth** is a day, month or year of the calendar (``YYYY-MM-DD``, ``YYYY-MM``,
  ``YYYY``), not after the reference date and not more than ``OLDEST_AGE`` years before it
  (``gatewatch.core.birth_dates``);
- a **nationality** is a country code or a country's name that the country data knows (a
  country, a territory, or one that no longer exists; not ``zz``, "global");
- a **document** number is letters and digits (spaces, ``-``, ``/`` and ``.`` between them),
  with at least one digit, ``DOCUMENT_SHORTEST`` to ``DOCUMENT_LONGEST`` of them once the
  separators are left out, and not all zeros.

A value that fails is *moved* when it is plainly another field's and passes that field's check
(a date of birth in the nationalities or the names, a country in the dates or the documents, a
document number — letters and mostly digits — in the names, dates or nationalities, a whole
date in the documents); otherwise it is *set aside*. Either way it is reported: the entry, the
field, the value and the reason. When the entry's name goes, its first alias that passed
becomes its name (reported as moved); an entry left with no name is set aside whole.

Given and family names swapped between a list's columns are left as they are: names are
compared part by part in any order (``gatewatch.core.names``), so a swap changes no score.

A value is said in a reason or a description as ``shown`` writes it: control characters (a
terminal's escape sequences among them) and marks that reverse the direction of text written
as escapes, and a value longer than ``SHOWN_CHARS`` cut, with its length said. A list is written
by others, and what it holds is printed on the importer's terminal.

Pure: the reference date (the list's date of publication, or the day of import) is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Literal

import msgspec

from gatewatch.core.birth_dates import birth_date_problem, looks_like_a_date
from gatewatch.core.countries import MRZ_ONLY
from gatewatch.core.limits import NAME_CHARS
from gatewatch.core.watchlist import WatchEntry, document_number

Field = Literal["entry", "name", "alias", "birth_date", "nationality", "document"]

DOCUMENT_SHORTEST = 4
"""The fewest letters and digits a document number has."""

DOCUMENT_LONGEST = 40
"""The most letters and digits a document number has."""

PLACEHOLDERS = frozenset(
    {
        "n/a",
        "n.a.",
        "n/k",
        "none",
        "null",
        "nil",
        "unknown",
        "unk",
        "not known",
        "not available",
        "no name",
        "noname",
        "tbd",
        "tba",
        "xxx",
        "xx",
        "inconnu",
        "desconocido",
        "unbekannt",
        "неизвестно",
    }
)
"""What lists write where they know nothing (compared case-insensitively)."""

SHOWN_CHARS = 120
"""The most characters of a value said in a reason or a description (the report keeps it whole)."""

_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters, and the marks that embed, override or isolate a direction of text."""

_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")
_DIGIT = re.compile(r"\d")
_DOCUMENT_TEXT = re.compile(r"(?:[^\W_]|[ ./-])+")
"""Letters and digits, with spaces, dots, dashes and slashes between them."""
_ONE_WORD_NUMBER = re.compile(r"(?:[^\W_]|[/-])+")
_WHOLE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class EntryIssue(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One value of an entry that was set aside or moved, and why."""

    entry: str
    """The entry's id on the list, else its name as the list gave it."""
    field: Field
    value: str
    reason: str
    moved_to: Field | None = None
    """The field the value was moved to; ``None`` when it was set aside."""

    @property
    def action(self) -> str:
        return f"moved to {self.moved_to}" if self.moved_to else "set aside"

    def describe(self) -> str:
        """In plain words: ``co-17: birth_date "1990-02-30" set aside: not a day of the calendar``."""
        return (
            f'{shown(self.entry) or "(unnamed entry)"}: {self.field} "{shown(self.value)}" {self.action}: {self.reason}'
        )


def shown(value: str) -> str:
    """The value as it may be printed: control characters and direction marks written as escapes
    (``\\x1b``, ``\\u202e``), and cut after ``SHOWN_CHARS`` characters, saying how many it had."""
    visible = _UNSHOWABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), value)
    if len(visible) <= SHOWN_CHARS:
        return visible
    return f"{visible[:SHOWN_CHARS]}… ({len(value)} characters)"


class CheckedEntry(msgspec.Struct, frozen=True):
    """An entry as checked: what is left of it (``None`` when set aside whole), and what was done."""

    entry: WatchEntry | None
    issues: tuple[EntryIssue, ...]


@dataclass(frozen=True, slots=True)
class _Verdict:
    """Where a value belongs (its own field, another, or ``None``: nowhere), and why."""

    to: Field | None
    reason: str = ""


@dataclass
class _Sorted:
    """The entry's values sorted into the fields they belong in, and the issues found."""

    names: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    issues: list[EntryIssue] = field(default_factory=list)

    def into(self, destination: Field) -> list[str]:
        """The values kept in ``destination`` (a name and aliases are kept together)."""
        if destination in ("name", "alias"):
            return self.names
        if destination == "birth_date":
            return self.birth_dates
        if destination == "nationality":
            return self.nationalities
        return self.documents


def check_entry(entry: WatchEntry, reference: date, said: str = "the list's date") -> CheckedEntry:
    """Check every value of ``entry`` in its field, against dates of birth plausible on ``reference``.

    Each value is judged in its field; a value that belongs elsewhere is moved there, one that
    belongs nowhere is set aside, and both are reported. When the name goes, the first alias
    kept becomes the name; with none, the entry is set aside whole. ``said`` names the reference
    date in the reasons. An entry whose values all pass comes back as it was.
    """
    key = entry.key
    found = _Sorted()
    _sort(found, key, "name", (entry.name,), lambda v: _name_verdict(v, reference, said))
    _sort(found, key, "alias", entry.aliases, lambda v: _name_verdict(v, reference, said))
    _sort(found, key, "birth_date", entry.birth_dates, lambda v: _birth_date_verdict(v, reference, said))
    _sort(found, key, "nationality", entry.nationalities, lambda v: _nationality_verdict(v, reference, said))
    _sort(found, key, "document", entry.documents, lambda v: _document_verdict(v, reference, said))
    if not found.issues and found.names and found.names[0] == entry.name:
        return CheckedEntry(entry, ())
    name_issue = next((i for i in found.issues if i.field == "name"), None)
    if not found.names:
        why = f'no usable name (name "{shown(entry.name)}": {name_issue.reason})' if name_issue else "no name"
        return CheckedEntry(None, (EntryIssue(key, "entry", entry.name, why),))
    if name_issue is not None or not entry.name.strip():
        gone = f'the name "{shown(entry.name)}" was {name_issue.action}' if name_issue else "the entry had no name"
        found.issues.append(EntryIssue(key, "alias", found.names[0], gone, moved_to="name"))
    kept = msgspec.structs.replace(
        entry,
        name=found.names[0],
        aliases=tuple(n for n in dict.fromkeys(found.names[1:]) if n != found.names[0]),
        birth_dates=tuple(dict.fromkeys(found.birth_dates)),
        nationalities=tuple(dict.fromkeys(found.nationalities)),
        documents=tuple(dict.fromkeys(found.documents)),
    )
    return CheckedEntry(kept, tuple(found.issues))


def _sort(
    found: _Sorted, key: str, where: Field, values: tuple[str, ...], verdict_of: Callable[[str], _Verdict]
) -> None:
    """Put each value in the field it belongs in, and report every value not kept where it was."""
    for value in values:
        if not value.strip():
            continue
        verdict = verdict_of(value)
        kept_in_place = verdict.to is not None and found.into(verdict.to) is found.into(where)
        if verdict.to is not None:
            found.into(verdict.to).append(value.strip())
        if not kept_in_place:
            found.issues.append(EntryIssue(key, where, value, verdict.reason, moved_to=verdict.to))


def _name_verdict(text: str, reference: date, said: str) -> _Verdict:
    """A name has letters, is not a placeholder nor a single letter, and is not too long."""
    value = text.strip()
    if not value:
        return _Verdict(None, "empty")
    if len(value) > NAME_CHARS:
        return _Verdict(None, f"longer than {NAME_CHARS} characters")
    if _is_placeholder(value):
        return _Verdict(None, "a placeholder, not a name")
    if _WHOLE_DATE.fullmatch(value) and birth_date_problem(value, reference, said) is None:
        return _Verdict("birth_date", "a date of birth, not a name")
    if _looks_like_a_document(value):
        return _Verdict("document", "a document number, not a name")
    letter = _LETTER.search(value)
    if letter is None:
        return _Verdict(None, "digits only, not a name" if value.isdigit() else "no letters, not a name")
    if _LETTER.search(value, letter.end()) is None and not _DIGIT.search(value):
        return _Verdict(None, "a single letter, not a name")
    return _Verdict("name")


def _birth_date_verdict(text: str, reference: date, said: str) -> _Verdict:
    """A date of birth that can be true; a country or a document number is moved to its field."""
    value = text.strip()
    if looks_like_a_date(value):
        problem = birth_date_problem(value, reference, said)
        return _Verdict(None, problem) if problem else _Verdict("birth_date")
    if _is_country_exactly(value):
        return _Verdict("nationality", "a country, not a date of birth")
    if _looks_like_a_document(value):
        return _Verdict("document", "a document number, not a date of birth")
    problem = birth_date_problem(value, reference, said)
    return _Verdict(None, problem or "not a date")


def _nationality_verdict(text: str, reference: date, said: str) -> _Verdict:
    """A country the country data knows; a date of birth or a document number is moved to its field."""
    value = text.strip()
    if _is_country(value):
        return _Verdict("nationality")
    if looks_like_a_date(value):
        return _date_instead(value, reference, said, "nationality")
    if _looks_like_a_document(value):
        return _Verdict("document", "a document number, not a nationality")
    if _is_placeholder(value):
        return _Verdict(None, "a placeholder, not a nationality")
    return _Verdict(None, "not a known country code or name")


def _date_instead(value: str, reference: date, said: str, field: str) -> _Verdict:
    """A date written where a ``field`` belongs: moved to the dates of birth if it can be one."""
    problem = birth_date_problem(value, reference, said)
    if problem:
        return _Verdict(None, f"not a {field}; as a date of birth, {problem}")
    return _Verdict("birth_date", f"a date of birth, not a {field}")


def _document_verdict(text: str, reference: date, said: str) -> _Verdict:
    """Letters and digits with at least one digit; a whole date or a country is moved to its field."""
    value = text.strip()
    number = document_number(value)
    if _is_placeholder(value) or (number and set(number) == {"0"}):
        return _Verdict(None, "a placeholder, not a document number")
    if _WHOLE_DATE.fullmatch(value):
        return _date_instead(value, reference, said, "document number")
    if _is_country_exactly(value):
        return _Verdict("nationality", "a country, not a document number")
    if not _DOCUMENT_TEXT.fullmatch(value) or not _DIGIT.search(number):
        return _Verdict(None, "not a document number (letters and digits, at least one digit)")
    if not DOCUMENT_SHORTEST <= len(number) <= DOCUMENT_LONGEST:
        return _Verdict(None, f"not a document number ({DOCUMENT_SHORTEST} to {DOCUMENT_LONGEST} letters and digits)")
    return _Verdict("document")


def _is_placeholder(value: str) -> bool:
    """Written where the list knows nothing: a placeholder word, or punctuation alone."""
    return value.casefold() in PLACEHOLDERS or not _ALNUM.search(value)


def _looks_like_a_document(value: str) -> bool:
    """Plainly a document number wherever it is written: one word of letters and digits, mostly digits."""
    if not _ONE_WORD_NUMBER.fullmatch(value) or not _DIGIT.search(value):
        return False
    number = document_number(value)
    digits = sum(ch.isdigit() for ch in number)
    has_letter = any(ch.isalpha() for ch in number)
    return has_letter and 5 <= len(number) <= 20 and digits * 2 >= len(number)


@lru_cache(maxsize=4096)
def _is_country(value: str) -> bool:
    """A country code (ISO 3166, or ICAO's ``D``) or a name the country data knows."""
    from rigour.territories import get_territory, lookup_territory  # loaded on first use

    cleaned = MRZ_ONLY.get(value.upper(), value)
    territory = get_territory(cleaned) or lookup_territory(cleaned)
    return territory is not None and territory.is_ftm and territory.code != "zz"


@lru_cache(maxsize=4096)
def _is_country_exactly(value: str) -> bool:
    """A country's code or its very name: what may be moved from another field without doubt."""
    from rigour.territories import get_territory, lookup_territory

    if not value or not all(ch.isalpha() or ch == " " for ch in value):
        return False
    cleaned = MRZ_ONLY.get(value.upper(), value)
    territory = get_territory(cleaned) if len(cleaned) <= 3 else lookup_territory(cleaned)
    if territory is None or not territory.is_ftm or territory.code == "zz":
        return False
    return len(cleaned) <= 3 or value.casefold() in {territory.name.casefold(), territory.full_name.casefold()}
