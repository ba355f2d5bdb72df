"""Watchlist files: FollowTheMoney entities as JSON lines, and a simple CSV.

**FollowTheMoney** (the format OpenSanctions publishes): one entity per line,
``{"id", "schema", "properties": {…}}``. Only ``Person`` entities are read (a list also holds
companies, addresses and sanctions, which are counted and passed over). From a person:
``name`` (the first is the entry's name, the rest aliases), ``alias``, ``weakAlias`` and
``previousName`` (aliases), ``birthDate``, ``nationality`` and ``citizenship``,
``passportNumber`` and ``idNumber``; ``topics`` (or the first of ``notes``) becomes the note.

**CSV**, with a header row: ``name`` (the column is required; a row with no name is set
aside), and any of ``aliases`` (separated by ``;``), ``birth_date``, ``nationality``,
``documents`` (separated by ``;``), ``note``, ``id``.

A line that cannot be read stops the import with an error naming the file, the line and what is
wrong; nothing of the import is kept, and the list's current version stays as it was.

Every entry read is checked (``gatewatch.core.watch_checks``) against the reading's reference
date: values that cannot be true are set aside, values in the wrong field moved to theirs, and
an entry with no usable name (a person without a name, an empty or placeholder name) is set
aside whole. The reading counts them, keeps the first ``FIRST_KEPT``, and hands every one to
its ``sink`` (a report file, ``write_report``, in which no cell runs as a spreadsheet formula)
with the line it was found on.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import msgspec

from gatewatch.core.watch_checks import EntryIssue, check_entry
from gatewatch.core.watchlist import WatchEntry
from gatewatch.files.cells import inert

Format = Literal["ftm", "csv"]
CSV_COLUMNS = ("name", "aliases", "birth_date", "nationality", "documents", "note", "id")
REPORT_COLUMNS = ("line", "entry", "field", "value", "action", "reason")

FIRST_KEPT = 100
"""How many of the values set aside or moved a reading keeps to show (all go to its sink)."""


class WatchlistFileError(ValueError):
    """A watchlist file that cannot be read: names the file and the line."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A value set aside or moved, on the line of the file it was read from."""

    line: int
    issue: EntryIssue

    def describe(self) -> str:
        return f"line {self.line}: {self.issue.describe()}"


@dataclass
class Reading:
    """What a read found beside the entries: lines passed over, values set aside or moved.

    ``reference`` is the day dates of birth are judged on (the list's date of publication, or
    the day of import), named ``said`` in the reasons; ``sink`` is given every finding.
    """

    path: Path
    reference: date
    said: str = "the day of import"
    sink: Callable[[Finding], None] | None = None
    passed_over: dict[str, int] = field(default_factory=dict)
    entries_set_aside: int = 0
    values_set_aside: int = 0
    values_moved: int = 0
    first: list[Finding] = field(default_factory=list)

    def pass_over(self, why: str) -> None:
        self.passed_over[why] = self.passed_over.get(why, 0) + 1

    @property
    def findings(self) -> int:
        return self.entries_set_aside + self.values_set_aside + self.values_moved

    def checked(self, entry: WatchEntry, line: int) -> WatchEntry | None:
        """The entry as checked (``None`` when set aside whole), its findings counted and passed on."""
        result = check_entry(entry, self.reference, self.said)
        for issue in result.issues:
            self._found(Finding(line, issue))
        return result.entry

    def _found(self, finding: Finding) -> None:
        issue = finding.issue
        if issue.moved_to is not None:
            self.values_moved += 1
        elif issue.field == "entry":
            self.entries_set_aside += 1
        else:
            self.values_set_aside += 1
        if len(self.first) < FIRST_KEPT:
            self.first.append(finding)
        if self.sink is not None:
            self.sink(finding)


def guess_format(path: Path) -> Format:
    """``csv`` for a .csv file, FollowTheMoney JSON lines otherwise (.json, .jsonl, .ftm)."""
    return "csv" if path.suffix.lower() == ".csv" else "ftm"


def read_entries(
    path: Path, kind: Format, reading: Reading, progress: Callable[[int], None] | None = None
) -> Iterator[WatchEntry]:
    """The file's entries, one by one; ``progress`` is told how many bytes were read each line."""
    lines = _lines(path, progress)
    yield from (_ftm(lines, reading) if kind == "ftm" else _csv(lines, reading))


def _lines(path: Path, progress: Callable[[int], None] | None) -> Iterator[tuple[int, str]]:
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            if progress is not None:
                progress(len(line))
            try:
                yield number, line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise WatchlistFileError(f"{path}, line {number}: not UTF-8 ({error.reason})") from None


class _Entity(msgspec.Struct):
    schema: str
    properties: dict[str, list[str | int | float | None]] = {}
    """FollowTheMoney values are text; a number is read as its text, a null as nothing, and
    anything else (an object, a list, true or false) makes the line unreadable."""
    id: str | None = None
    caption: str | None = None


_ENTITY = msgspec.json.Decoder(_Entity)


def _ftm(lines: Iterator[tuple[int, str]], reading: Reading) -> Iterator[WatchEntry]:
    for number, line in lines:
        if not line.strip():
            continue
        try:
            entity = _ENTITY.decode(line)
        except msgspec.DecodeError as error:
            raise WatchlistFileError(f"{reading.path}, line {number}: not a FollowTheMoney entity ({error})") from None
        if entity.schema != "Person":
            reading.pass_over(f"{entity.schema} entities (only Person is screened)")
            continue
        entry = reading.checked(_person(entity), number)
        if entry is not None:
            yield entry


def _texts(properties: dict[str, list[str | int | float | None]], *names: str) -> list[str]:
    """The values of the named properties as text, in order, each once (nulls and blanks left out)."""
    found = (str(v).strip() for name in names for v in properties.get(name, ()) if v is not None)
    return list(dict.fromkeys(text for text in found if text))


def _person(entity: _Entity) -> WatchEntry:
    """The person as an entry (with an empty name when it has none: the check sets it aside)."""
    props = entity.properties
    names = _texts(props, "name") or ([entity.caption] if entity.caption else [""])
    aliases = [a for a in _texts(props, "name", "alias", "weakAlias", "previousName") if a != names[0]]
    topics = _texts(props, "topics")
    notes = _texts(props, "notes")
    return WatchEntry(
        name=names[0],
        aliases=tuple(aliases),
        note=", ".join(topics) if topics else (notes[0] if notes else None),
        id=entity.id,
        birth_dates=tuple(_texts(props, "birthDate")),
        nationalities=tuple(_texts(props, "nationality", "citizenship")),
        documents=tuple(_texts(props, "passportNumber", "idNumber")),
    )


def _csv_rows(lines: Iterator[tuple[int, str]], path: Path) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it ends on; what the CSV reader cannot read (a field longer than its
    limit of ``csv.field_size_limit()`` characters) stops the import naming the line."""
    rows = csv.reader(line for _, line in lines)  # a quoted field may run over several lines
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            raise WatchlistFileError(f"{path}, line {rows.line_num}: not readable as CSV ({error})") from None
        yield rows.line_num, row


def _csv(lines: Iterator[tuple[int, str]], reading: Reading) -> Iterator[WatchEntry]:
    header: list[str] | None = None
    for line_num, row in _csv_rows(lines, reading.path):
        if not any(v.strip() for v in row):
            continue
        if header is None:
            header = [h.strip().lower() for h in row]
            _check_header(reading.path, header)
            continue
        where = f"{reading.path}, line {line_num}"
        if len(row) != len(header):
            raise WatchlistFileError(f"{where}: {len(row)} fields where the header has {len(header)}")
        values = dict(zip(header, (v.strip() for v in row), strict=True))
        entry = WatchEntry(
            name=values["name"],
            aliases=_split(values.get("aliases")),
            note=values.get("note") or None,
            id=values.get("id") or None,
            birth_dates=_split(values.get("birth_date")),
            nationalities=_split(values.get("nationality")),
            documents=_split(values.get("documents")),
        )
        checked = reading.checked(entry, line_num)
        if checked is not None:
            yield checked


def _check_header(path: Path, header: list[str]) -> None:
    if "name" not in header:
        raise WatchlistFileError(f"{path}, line 1: the header has no 'name' column (columns: {', '.join(CSV_COLUMNS)})")
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise WatchlistFileError(f"{path}, line 1: unknown column '{unknown[0]}' (columns: {', '.join(CSV_COLUMNS)})")


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").split(";") if p.strip())


@contextmanager
def write_report(path: Path) -> Iterator[Callable[[Finding], None]]:
    """Write every finding to ``path``: JSON lines for ``.json``/``.jsonl``, CSV otherwise.

    Columns (keys): ``line``, ``entry``, ``field``, ``value``, ``action`` (``set aside`` or
    ``moved to FIELD``), ``reason``. In CSV, a cell a spreadsheet would run as a formula is
    made inert (``inert``); JSON lines keep every value as it was.
    """
    as_json = path.suffix.lower() in (".json", ".jsonl")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if not as_json:
            writer.writerow(REPORT_COLUMNS)

        def write(finding: Finding) -> None:
            row = _report_row(finding)
            if as_json:
                handle.write(json.dumps(dict(zip(REPORT_COLUMNS, row, strict=True)), ensure_ascii=False) + "\n")
            else:
                writer.writerow([inert(cell) for cell in row])

        yield write


def _report_row(finding: Finding) -> tuple[int | str, ...]:
    issue = finding.issue
    return (finding.line, issue.entry, issue.field, issue.value, issue.action, issue.reason)
