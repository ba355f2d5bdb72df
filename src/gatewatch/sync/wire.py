"""What crosses between a site and its head office over NATS JetStream: names and messages.

Both sides import this module and nothing else of each other. It does no I/O.

- A site publishes each entry of its record, in order, as one ``Shipped`` message on its own
  subject (``<prefix>.sites.<site>``) of the sites' stream, with the entry's hash as the message
  id, so that a resend is dropped by JetStream's deduplication. A payload the site redacts after
  shipping its entry follows on the same subject as a ``Redaction`` (header ``Gatewatch-Kind:
  redaction``), after the entries it names.
- Head office sends each site what is addressed to it on ``<prefix>.to.<site>`` (a ``LinkNote``:
  the same document, phone or vehicle seen at another site), and watchlist versions to every site
  on ``<prefix>.lists`` (a file in ``ListChunk`` parts), both on the head office's stream.
- The consumers are durable and named here: head office reads each site through ``hq_<site>``;
  a site reads what is addressed to it through ``to_<site>`` and the watchlists through
  ``lists_<site>``. Head office creates all of them, so that a site needs no right to create a
  consumer (which would let it read another site's messages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

import msgspec

from gatewatch.store.chain import Entry, digest

SITE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""A site id as it appears in subjects and consumer names: letters, digits, ``_`` and ``-``."""
PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MESSAGE_BYTES = 1024 * 1024
"""NATS's default largest message: a shipped entry or a part of a list is never larger."""
LIST_PART_BYTES = 512 * 1024
"""A watchlist file is sent in parts of this size."""
LIST_BYTES = 512 * 1024 * 1024
"""The largest watchlist file head office sends, and a site takes."""
MARK_CHARS = 300
MARKS_PER_ENTRY = 20
HASH = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
Text = Annotated[str, msgspec.Meta(max_length=4_000)]
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
SiteId = Annotated[str, msgspec.Meta(pattern=SITE_ID.pattern)]
MarkKind = Literal["document", "phone", "vehicle"]
MARK_KINDS: tuple[MarkKind, ...] = ("document", "phone", "vehicle")


class WireError(ValueError):
    """A message that is not what the other side sends: says which field and why."""


def check_site_id(site: str) -> str:
    """The site id, or ``WireError`` saying why it cannot name a subject."""
    if not SITE_ID.fullmatch(site):
        raise WireError(
            f'site id "{site[:80]}" cannot cross to head office: use 1–64 letters, digits, "_" or "-" '
            "(no dots or spaces: it names the site's NATS subject)"
        )
    return site


@dataclass(frozen=True, slots=True)
class Topology:
    """The streams, subjects and consumers of one deployment (``prefix`` keeps deployments apart)."""

    prefix: str = "gatewatch"

    def __post_init__(self) -> None:
        if not PREFIX.fullmatch(self.prefix):
            raise WireError(f'prefix "{self.prefix[:40]}": use 1–32 lower-case letters, digits or "_", a letter first')

    @property
    def sites_stream(self) -> str:
        return f"{self.prefix.upper()}_SITES"

    @property
    def office_stream(self) -> str:
        return f"{self.prefix.upper()}_TO"

    @property
    def sites_subjects(self) -> str:
        return f"{self.prefix}.sites.*"

    def site_subject(self, site: str) -> str:
        return f"{self.prefix}.sites.{check_site_id(site)}"

    def to_site(self, site: str) -> str:
        return f"{self.prefix}.to.{check_site_id(site)}"

    @property
    def to_subjects(self) -> str:
        return f"{self.prefix}.to.*"

    @property
    def lists_subject(self) -> str:
        return f"{self.prefix}.lists"

    def office_consumer(self, site: str) -> str:
        """Head office's durable consumer of one site's entries (on the sites' stream)."""
        return f"hq_{check_site_id(site)}"

    def inbox_consumer(self, site: str) -> str:
        """A site's durable consumer of what head office addresses to it (on the office stream)."""
        return f"to_{check_site_id(site)}"

    def lists_consumer(self, site: str) -> str:
        """A site's durable consumer of the watchlists (on the office stream)."""
        return f"lists_{check_site_id(site)}"

    def inbox_prefix(self, site: str) -> str:
        """The site's own reply subjects: it may read these and no one else's."""
        return f"_INBOX_{check_site_id(site)}"


class Mark(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One identifier an entry presents, as it is compared across sites.

    ``mark``: the identifier's key (``document:FR:JX1940817``), or its keyed hash
    (``k:`` and 64 hex digits) where the sites share a key; ``person``: who presented it.
    """

    kind: MarkKind
    mark: Annotated[str, msgspec.Meta(min_length=1, max_length=MARK_CHARS)]
    person: Short


class Shipped(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One entry of a site's record as head office receives it.

    ``withheld``: the payload is a view in which identity fields are keyed hashes (the site sends
    them no other way); the entry's hash still covers the original payload's digest, which head
    office keeps but cannot check against the view. ``outcome_digest``: set when the outcome is
    such a view too (an alert that repeats a document number in words): the original outcome's
    digest, which the entry's hash covers. ``sent``: when the site published it (ISO).
    """

    site: SiteId
    seq: Annotated[int, msgspec.Meta(ge=1, le=2**53)]
    event_id: Short
    type: Short
    at: Short
    received: Short
    submitted_by: Annotated[str, msgspec.Meta(max_length=200)]
    payload: dict[str, Any] | None
    payload_digest: HASH
    outcome: dict[str, Any]
    prev_hash: HASH
    hash: HASH
    sent: Short
    redacted: bool = False
    withheld: bool = False
    marks: Annotated[tuple[Mark, ...], msgspec.Meta(max_length=MARKS_PER_ENTRY)] = ()
    outcome_digest: HASH | None = None

    def entry(self) -> Entry:
        """The entry as the chain sees it (the view's payload where it was withheld)."""
        return Entry(
            seq=self.seq,
            event_id=self.event_id,
            type=self.type,
            at=self.at,
            received=self.received,
            submitted_by=self.submitted_by,
            payload=self.payload,
            payload_digest=self.payload_digest,
            outcome=self.outcome,
            prev_hash=self.prev_hash,
            hash=self.hash,
            redacted=self.redacted,
        )


def ship(
    entry: Entry,
    site: str,
    sent: str,
    marks: tuple[Mark, ...] = (),
    view: dict[str, Any] | None = None,
    outcome_view: dict[str, Any] | None = None,
) -> Shipped:
    """The message for one entry; ``view``: the payload to send instead of the entry's own (withheld);
    ``outcome_view``: the outcome to send instead of its own (its digest goes with it)."""
    return Shipped(
        site=check_site_id(site),
        seq=entry.seq,
        event_id=entry.event_id,
        type=entry.type,
        at=entry.at,
        received=entry.received,
        submitted_by=entry.submitted_by,
        payload=view if view is not None else entry.payload,
        payload_digest=entry.payload_digest,
        outcome=outcome_view if outcome_view is not None else entry.outcome,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
        sent=sent,
        redacted=entry.redacted,
        withheld=view is not None,
        marks=marks,
        outcome_digest=digest(entry.outcome) if outcome_view is not None else None,
    )


class Party(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One side of a link: who presented the identifier, where, in which entry, and under what name."""

    site: SiteId
    person: Short
    seq: Annotated[int, msgspec.Meta(ge=1, le=2**53)]
    at: Short
    name: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class LinkNote(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Head office to a site: the same identifier was presented here and at another site.

    ``here`` is the party at the site the note is addressed to; ``there`` the other one.
    """

    link: Annotated[int, msgspec.Meta(ge=1, le=2**53)]
    kind: MarkKind
    here: Party
    there: Party
    found: Short


REDACTION_SEQS = 5_000
"""The most positions one redaction message names (a larger redaction is sent as several)."""
Position = Annotated[int, msgspec.Meta(ge=1, le=2**53)]


class Redaction(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A site to head office: the payloads of these entries (``seqs``, their positions) were dropped
    at the site (a redaction: retention) at ``at``, after the entries were shipped.

    Sent on the site's own subject, after the entries it names, with the header ``Gatewatch-Kind:
    redaction`` (``KIND_HEADER``) and the message id ``redaction-<first row>-<last row>`` of the
    site's redactions table; head office drops those payloads too. A redacted entry still verifies:
    its hash covers its payload's digest, which stays.
    """

    site: SiteId
    seqs: Annotated[tuple[Position, ...], msgspec.Meta(min_length=1, max_length=REDACTION_SEQS)]
    at: Short


KIND_HEADER = "Gatewatch-Kind"
"""The header that tells a message on a site's subject that is not an entry (its value: what it is)."""
REDACTION_KIND = "redaction"


def redaction_msg_id(first: int, last: int) -> str:
    """The message id of the redaction that covers the site's redactions rows ``first`` to ``last``."""
    return f"redaction-{first}-{last}"


class ListPart(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The header of one part of a watchlist file head office publishes (the part's bytes follow it).

    Sent as the message's ``Gatewatch-List-Part`` header (JSON); the body is the part's bytes.
    """

    list: Short
    version: Annotated[int, msgspec.Meta(ge=1, le=2**31)]
    format: Literal["ftm", "csv"]
    part: Annotated[int, msgspec.Meta(ge=0, le=LIST_BYTES // LIST_PART_BYTES)]
    parts: Annotated[int, msgspec.Meta(ge=1, le=LIST_BYTES // LIST_PART_BYTES + 1)]
    size: Annotated[int, msgspec.Meta(ge=0, le=LIST_BYTES)]
    digest: HASH
    """SHA-256 of the whole file."""
    published: Short
    source: Short


LIST_PART_HEADER = "Gatewatch-List-Part"
MSG_ID = "Nats-Msg-Id"

_encoder = msgspec.json.Encoder()
T = TypeVar("T")


def encode(message: Shipped | LinkNote | ListPart | Redaction) -> bytes:
    return _encoder.encode(message)


def decode_shipped(data: bytes) -> Shipped:
    return _decode(data, Shipped, "entry")


def decode_link(data: bytes) -> LinkNote:
    return _decode(data, LinkNote, "link")


def decode_redaction(data: bytes) -> Redaction:
    return _decode(data, Redaction, "redaction")


def decode_list_part(data: bytes | str) -> ListPart:
    return _decode(data.encode() if isinstance(data, str) else data, ListPart, "watchlist part")


def _decode(data: bytes, kind: type[T], what: str) -> T:
    if len(data) > MESSAGE_BYTES:
        raise WireError(f"{what}: {len(data)} bytes, more than the {MESSAGE_BYTES} a message may hold")
    try:
        return msgspec.json.decode(data, type=kind)
    except msgspec.ValidationError as error:
        raise WireError(f"{what}: {error}") from None
    except msgspec.DecodeError as error:
        raise WireError(f"{what}: not JSON ({error})") from None
    except RecursionError:
        raise WireError(f"{what}: nested too deeply to read") from None
