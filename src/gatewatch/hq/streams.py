"""The two JetStream streams and each site's three durable consumers, made by head office.

Head office makes them all, so that a site needs no right to make a consumer (with that right
it could read another site's messages):

- ``<P>_SITES`` (``<p>.sites.*``): every site's entries; ``<P>_TO`` (``<p>.to.*``, ``<p>.lists``):
  what head office sends. Both on file storage, dropping a message id seen in the last 10 minutes.
- ``hq_<site>``: head office reads the site's entries; ``to_<site>``: the site reads what is
  addressed to it; ``lists_<site>``: the site reads the watchlists. Pull consumers, every
  message delivered from the start and acknowledged one by one.

Making them again is harmless: one that exists with the same settings is left as it is; one
whose limits differ is brought to ours; one that reads other subjects is an error (it was made
by hand, or by another deployment using the same prefix).
"""

from __future__ import annotations

from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from gatewatch.sync.wire import LIST_BYTES, LIST_PART_BYTES, MESSAGE_BYTES, Topology, check_site_id

DUPLICATE_WINDOW_S = 600.0
"""A message id seen this recently is dropped (a resend after a cut link or a crash)."""
OFFICE_ACK_WAIT_S = 30.0
"""How long head office may hold a site's entry before JetStream delivers it again: a head office
killed mid-batch gets back what it held this long after; an entry held for a gap is delivered
again meanwhile and kept in place of the earlier delivery."""
OFFICE_MAX_ACK_PENDING = 2_000
"""A site's entries head office may hold unacknowledged at once (being written, or held for a gap)."""
INBOX_ACK_WAIT_S = 60.0
LISTS_ACK_WAIT_S = 600.0
"""A site acknowledges a watchlist's parts once the whole list is imported, which can take minutes."""
LISTS_MAX_ACK_PENDING = 4 * (LIST_BYTES // LIST_PART_BYTES + 1)
"""Room for every part of a few of the largest lists, unacknowledged until each is imported."""


class StreamsError(RuntimeError):
    """A stream or consumer exists under our name with settings we cannot bring to ours."""


@dataclass(frozen=True, slots=True)
class Durable:
    """One durable pull consumer as head office wants it."""

    stream: str
    name: str
    subject: str
    ack_wait_s: float
    max_ack_pending: int | None = None

    def config(self) -> ConsumerConfig:
        return ConsumerConfig(
            name=self.name,
            durable_name=self.name,
            filter_subject=self.subject,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait_s,
            max_ack_pending=self.max_ack_pending,
        )


SITES_KEEP_S = 30 * 24 * 3600.0
"""How long the sites' stream keeps an entry: head office takes it within seconds; the site's own
record is the lasting copy (a site away longer than this sends again from its cursor)."""
SITE_MESSAGES_MOST = 3_000_000
"""The most entries of one site the stream keeps (a month at a busy site's rate, more than one a
second): a site that floods fills its own share, dropping its own oldest, never another site's."""
OFFICE_KEEP_S = 90 * 24 * 3600.0
"""How long head office's stream keeps links and watchlist parts for a site that is away."""


def stream_configs(topology: Topology) -> list[StreamConfig]:
    """The sites' stream and head office's stream."""
    return [
        _stream(topology.sites_stream, [topology.sites_subjects], SITES_KEEP_S, SITE_MESSAGES_MOST),
        _stream(topology.office_stream, [topology.to_subjects, topology.lists_subject], OFFICE_KEEP_S),
    ]


def _stream(name: str, subjects: list[str], keep_s: float, per_subject: int | None = None) -> StreamConfig:
    return StreamConfig(
        name=name,
        subjects=subjects,
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_S,
        max_msg_size=MESSAGE_BYTES,
        max_age=keep_s,
        max_msgs_per_subject=per_subject if per_subject is not None else -1,
    )


def site_durables(topology: Topology, site: str) -> list[Durable]:
    """A site's three consumers: head office's of its entries, and the site's two of head office's stream."""
    check_site_id(site)
    return [
        Durable(
            topology.sites_stream,
            topology.office_consumer(site),
            topology.site_subject(site),
            OFFICE_ACK_WAIT_S,
            OFFICE_MAX_ACK_PENDING,
        ),
        Durable(topology.office_stream, topology.inbox_consumer(site), topology.to_site(site), INBOX_ACK_WAIT_S),
        Durable(
            topology.office_stream,
            topology.lists_consumer(site),
            topology.lists_subject,
            LISTS_ACK_WAIT_S,
            LISTS_MAX_ACK_PENDING,
        ),
    ]


async def ensure_streams(js: JetStreamContext, topology: Topology) -> None:
    """Make the two streams where they are missing; bring an existing one's subjects and window to ours."""
    for wanted in stream_configs(topology):
        assert wanted.name is not None
        try:
            info = await js.stream_info(wanted.name)
        except NotFoundError:
            await js.add_stream(wanted)
            continue
        have = info.config
        if have.storage != wanted.storage:
            raise StreamsError(
                f"stream {wanted.name} exists on {have.storage} storage, not {wanted.storage}: "
                "it was made by something else; delete it or choose another --prefix"
            )
        if (
            sorted(have.subjects or []) != sorted(wanted.subjects or [])
            or abs(have.duplicate_window - wanted.duplicate_window) > 0.001
            or have.max_msg_size != wanted.max_msg_size
            or abs((have.max_age or 0.0) - (wanted.max_age or 0.0)) > 0.001
            or have.max_msgs_per_subject != wanted.max_msgs_per_subject
        ):
            await js.update_stream(
                have.evolve(
                    subjects=wanted.subjects,
                    duplicate_window=wanted.duplicate_window,
                    max_msg_size=wanted.max_msg_size,
                    max_age=wanted.max_age,
                    max_msgs_per_subject=wanted.max_msgs_per_subject,
                )
            )


async def ensure_site(js: JetStreamContext, topology: Topology, site: str) -> None:
    """Make the site's three consumers where they are missing (the streams must exist)."""
    for durable in site_durables(topology, site):
        await ensure_durable(js, durable)


async def ensure_durable(js: JetStreamContext, durable: Durable) -> None:
    """Make one consumer, or check the existing one reads the same subject and bring its limits to ours."""
    try:
        info = await js.consumer_info(durable.stream, durable.name)
    except NotFoundError:
        await js.add_consumer(durable.stream, durable.config())
        return
    have = info.config
    if (
        have.filter_subject != durable.subject
        or have.ack_policy != AckPolicy.EXPLICIT
        or have.deliver_policy != DeliverPolicy.ALL
    ):
        raise StreamsError(
            f"consumer {durable.name} on {durable.stream} exists reading {have.filter_subject} "
            f"({have.ack_policy}, {have.deliver_policy}), not {durable.subject} acknowledged one by one "
            "from the start: it was made by something else; delete it"
        )
    limits_differ = abs((have.ack_wait or 0.0) - durable.ack_wait_s) > 0.001 or (
        durable.max_ack_pending is not None and have.max_ack_pending != durable.max_ack_pending
    )
    if limits_differ:
        await js.add_consumer(durable.stream, durable.config())
