"""An entry altered after publication (the test publishes a forged one on the site's subject): head
office stops that site's ingest with a critical alert naming the site and the position, takes
nothing past it (the later genuine entries stay unacknowledged), and another site goes on."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from gatewatch.store.chain import Entry
from gatewatch.sync.wire import Shipped, encode, ship
from multisite import jetstream
from multisite.office import Deployment, HeadOffice
from multisite.running import wait_until
from multisite.sites import Site

HELD = 12
LATER = 5
STOP_S = 60.0
SETTLE_S = 4.0
"""How long head office is given to (wrongly) take anything past the break before it is checked."""


def forged(entry: Entry, site: str, how: str) -> Shipped:
    """The entry as shipped, then altered: its payload changed (its hash kept), or its hash replaced."""
    shipped = ship(entry, site, sent=datetime.now(UTC).isoformat())
    if how == "payload":
        assert shipped.payload is not None
        return msgspec.structs.replace(shipped, payload={**shipped.payload, "note": "written in later"})
    return msgspec.structs.replace(shipped, hash=hashlib.sha256(b"forged " + entry.hash.encode()).hexdigest())


@pytest.fixture
def deployment(office: HeadOffice, make_site: Callable[[str], Site]) -> Iterator[Deployment]:
    running = Deployment.start(office, [make_site("north"), make_site("south")])
    yield running
    running.stop()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("how", "position"),
    [("payload", HELD + 1), ("hash", HELD + 1), ("hash", HELD)],
    ids=["next-entry-payload-changed", "next-entry-hash-changed", "held-entry-sent-again-with-another-hash"],
)
def test_a_forged_entry_stops_that_site_alone_and_nothing_past_it_is_taken(
    deployment: Deployment, how: str, position: int
) -> None:
    north, south = deployment.sites["north"], deployment.sites["south"]
    office = deployment.office
    for number, site in enumerate((north, south), start=1):
        site.record(site.next_day(HELD, seed=number, span=timedelta(hours=1)))
    deployment.wait_caught_up(60)
    assert office.count("north") == HELD

    sync = deployment.syncs["north"]
    assert sync.stop() == 0, sync.output()
    north.record(north.next_day(LATER, seed=3, span=timedelta(hours=1)))
    record = north.entries()
    fake = encode(forged(record[position - 1], "north", how))
    forged_at = jetstream.publish(office.nats, office.topology, "north", fake, f"forged-{uuid.uuid4().hex}")
    sync.start()

    row = wait_until(lambda: stopped(office, "north"), STOP_S, "head office to stop site north", show=deployment.show)
    assert row["stopped_seq"] == position, row
    assert row["stopped_stream_seq"] == forged_at, row
    problem = str(row["stopped_problem"])
    assert "north" in problem and str(position) in problem, problem
    (alert,) = [a for a in office.alerts() if a["severity"] == "critical"]
    assert alert["site"] == "north" and alert["seq"] == position, alert
    assert "north" in alert["message"] and str(position) in alert["message"], alert["message"]

    wait_until(
        lambda: jetstream.messages_on(office.nats, office.topology, "north") == len(record) + 1,
        STOP_S,
        "north's sync to publish its later entries",
        show=deployment.show,
    )
    south.record(south.next_day(LATER, seed=4, span=timedelta(hours=1)))
    deployment.wait_caught_up(60, ["south"])  # the other site goes on
    time.sleep(SETTLE_S)

    assert office.chain("north") == [(e.seq, e.hash) for e in record[:HELD]], "head office took entries past the break"
    progress = jetstream.office_consumer(office.nats, office.topology, "north")
    unacked = (progress.num_pending or 0) + (progress.num_ack_pending or 0)
    assert unacked >= len(record) - HELD, f"later genuine entries were acknowledged: {progress}"
    assert stopped(office, "north"), "the stop was lifted without an operator"
    assert not stopped(office, "south")


def stopped(office: HeadOffice, site: str) -> dict[str, object] | None:
    row = office.site_row(site)
    return row if row["stopped_seq"] is not None else None
