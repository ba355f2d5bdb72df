"""Every bound on what the desk accepts, in one place, with the reason for each number.

An event, a site file or a request body beyond these is refused with an error naming the
field and the bound, before it can hold the desk. The numbers are generous for a real site
(a coach party at the gate, a long incident note, a site of many wings) and small enough that
no single request costs the desk more than a few milliseconds. The types in ``events`` and
``site`` carry them as ``msgspec.Meta`` constraints, so the API's schema states them too.
"""

from __future__ import annotations

from datetime import timedelta

# --- request bodies (enforced by the API before the body is read whole) ----------------------

API_BODY_BYTES = 64 * 1024
"""Every request to the API (``/v1/``), ``POST /v1/events`` above all: one event as JSON. The
largest legitimate event (an arrival of ``PEOPLE_PER_EVENT`` people with their items and a
full-length note) stays under 32 KiB; a sign-in or an invitation is far smaller."""

OTHER_BODY_BYTES = 4 * 1024 * 1024
"""Every other request (sign-in, invitations, a drill uploaded on the console, up to 2 MiB
of YAML in a multipart form): anything larger is refused before it is read."""

# --- strings ---------------------------------------------------------------------------------

ID_CHARS = 200
"""An id or a name that refers to something: an event, a person, a door, a zone, a post, an
alarm, an item carried, a rule. Printable characters only (no control characters, no lone
surrogates), so it can be written to the record, a log line and a screen as it is."""

NAME_CHARS = 200
"""A name or a claim as a person gives it: a full name, an employer, a phone, a vehicle."""

TEXT_CHARS = 4_000
"""Free text written by a guard: a note, a reason, a purpose, an address. Line breaks and
tabs are allowed; other control characters are not."""

NOTE_KEY_CHARS = 64
"""A sealed case note names its key by a fingerprint: hex digits, at most a SHA-256's 64."""

NOTE_NONCE_CHARS = 24
"""A sealed note's nonce in base64 (96 bits: 16 characters; 24 leaves room for 128)."""

SEALED_NOTE_CHARS = 4 * ((4 * TEXT_CHARS + 16 + 2) // 3)
"""A sealed note in base64: a note of ``TEXT_CHARS`` characters of four bytes each in UTF-8,
and the cipher's 16-byte tag (21,356 characters)."""

MRZ_LINES = 3
"""A machine-readable zone has 2 or 3 lines (TD1: 3 × 30; TD2, TD3: 2 × 36, 2 × 44)."""

MRZ_LINE_CHARS = 44
"""The longest MRZ line (a passport's)."""

# --- lists in one event ----------------------------------------------------------------------

PEOPLE_PER_EVENT = 50
"""People named in one arrival, move, departure, request or post change: a coach party at
the gate is fewer; more is a list to be split into several events."""

ITEMS_PER_EVENT = 50
"""Items worn, carried, found, surrendered or refused; indicators observed; rules waived."""

CASE_LINKS = 50
"""Events one case event links to its case (an opening's, or an update's added links): a case
cites more by linking again."""

LIST_LOOKED_INTO = 1_000
"""An event's list longer than this is refused by its bound before its strings are read one
by one (every client-sent list is bounded far below; a screening's, written by the desk, too)."""

# --- numbers ---------------------------------------------------------------------------------

TEMP_C_LOWEST = -90.0
"""The coldest air temperature ever measured on Earth was -89.2 °C."""

TEMP_C_HIGHEST = 60.0
"""The hottest was 56.7 °C. Anything outside is a typing error or an attack; NaN and
infinities are refused (JSON cannot record them: they would come back as null)."""

LEVEL_HIGHEST = 100
"""Protection levels run from 0 (the street) to this."""

STAFF_HIGHEST = 1_000
"""Guards a single post may require."""

MINUTES_HIGHEST = 7 * 24 * 60
"""A grant or override window: at most a week."""

SECONDS_HIGHEST = 24 * 60 * 60
"""The longest of the policy's spans in seconds (held open, two-person window, unlock): a day."""

PIN_DIGITS_FEWEST = 4
PIN_DIGITS_MOST = 12
"""A PIN is 4 to 12 digits (a keypad's usual range)."""

PIN_HASH_CHARS = 200
"""A PIN's salted hash as the record keeps it (argon2's encoded form is under 100 characters)."""

PIN_HASH_MEMORY_KIB_MOST = 16 * 1024
PIN_HASH_PASSES_MOST = 4
PIN_HASH_LANES_MOST = 2
"""The most a PIN's hash may cost to check (its memory, passes and lanes are written in it):
twice the desk's own hash in memory and passes (``service.pins``), milliseconds under the desk's
lock. A hash naming more is never a match, and is never computed: one naming thousands of passes
would hold every door for as long."""

CREDENTIAL_ZONES = 1_000
"""The most zones one credential may be limited to."""

RETENTION_DAYS_HIGHEST = 100 * 366
"""A retention period: at most a century."""

COUNT_HIGHEST = 2**53
"""Any other count (a list's version): the largest integer every JSON reader keeps exactly."""

SCORE_LOWEST = 0.0
SCORE_HIGHEST = 1.0
"""A watchlist candidate's score."""

# --- times -----------------------------------------------------------------------------------

EARLIEST_YEAR = 1800
"""Times and dates before this are refused: drills replay history (1940 is played), and
nothing a site records is older. Keeps every date far from the calendar's edge (year 1)."""

LATEST_YEAR = 2200
"""Times and dates after this are refused: keeps them far from the calendar's edge (9999),
where adding a time zone's offset or a window overflows."""

AHEAD_OF_DESK = timedelta(minutes=2)
"""A live event may be dated at most this far after the desk's clock: a client whose clock
runs a little fast is accepted, one dating events in the future (to hold the desk's clock
ahead and refuse everyone else's events as out of order) is not."""

BEHIND_DESK = timedelta(minutes=15)
"""A live event may be dated at most this far before the desk's clock: a door's reader that
was offline for a few minutes may still send what happened; older history is imported, not
submitted. Drills and imports are not live and are not held to this window."""

# --- the site file ---------------------------------------------------------------------------

SITE_ZONES = 10_000
SITE_DOORS = 20_000
SITE_POSTS = 10_000
SITE_READERS = 40_000
SITE_PEOPLE = 200_000
"""A site of a hundred wings has a few thousand zones and doors and tens of thousands of
people (``bench/decision.py``'s large site has 20,000): these leave ten times room."""

POLICY_ITEMS = 500
"""Items a policy lists as to be surrendered, prohibited, or heavy outerwear."""

# --- YAML files and drills (files/loader.py, files/bounded_yaml.py, files/drill_worker.py) -----

DRILL_BYTES = 2 * 1024 * 1024
"""A drill file (uploaded on the console, or given to ``gatewatch drill`` without
``--max-bytes``): 20,000 events written one a line take about 1.5 MB. A site file is the
operator's own and is not bounded in size (a site of 200,000 people is larger)."""

DRILL_EVENTS = 20_000
"""Events in one drill (``gatewatch drill --max-events`` allows more): a fortnight of a busy
gate, a minute apart. Played, described and shown in a few seconds."""

YAML_VALUES_PER_BYTE = 0.5
"""Values a YAML file may expand to, per byte of its size limit (at least ``YAML_VALUES``): a
value takes two bytes at the least (``1,``), so a file within its size limit stays within this
unless aliases multiply it, as the 579-byte "billion laughs" does to 10⁹ values."""

YAML_VALUES = 1_000_000
"""Values (scalars, lists, mappings, each alias counted as all it stands for) in a drill
within the 2 MiB bound. A 20,000-event drill has about 220,000."""

SITE_YAML_VALUES = 20_000_000
"""Values in a site file: ten for each of ``SITE_PEOPLE`` people, ten times over."""

YAML_ALIASES = 10_000
"""Aliases (``*name``) in one YAML file: a site or drill reusing a list of items or people."""

YAML_DEPTH = 50
"""Levels of nesting in one YAML file: a drill or site nests six or seven."""

YAML_TEXT_CHARS = 10_000
"""One YAML text (a key or a value), in characters: a drill's description is a paragraph;
``TEXT_CHARS`` and ``NAME_CHARS`` bound the engine's own fields more tightly. A 10 MB site
name is refused here, before anything prints it."""

DRILL_SECONDS = 120.0
"""Wall-clock time a drill uploaded on the console may take in its worker process, read,
played and described; past it the worker is killed. A 20,000-event drill takes about 20 s
on a busy two-core machine."""
