"""What a site with its own key may send to hurt head office, refused at intake with a clear problem:
a message nested too deeply to read, numbers PostgreSQL's JSONB would give back as others (which
would make ``gatewatch hq verify`` report an altered entry that is not), and a payload of
backslashes that must not make the NUL check slow."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from sqlalchemy import text

from gatewatch.hq import chain_watch, store
from gatewatch.hq.chain_watch import Accept, Break, SiteWatch
from gatewatch.hq.ingest import State
from gatewatch.hq.store import OfficeStore
from gatewatch.hq.streams import ensure_streams
from gatewatch.hq.verify import verify_site
from gatewatch.store.chain import GENESIS, canonical
from gatewatch.store.log import Submission, prepare_entry
from gatewatch.sync import wire
from hq.conftest import SENT, SiteRecord
from hq.nats_support import eventually, shared_nats
from hq.test_ingest import clean, head, publish, quick, run

__all__ = ["clean"]
Make = Callable[[str], SiteRecord]


def entry_with(payload: dict[str, Any], outcome: dict[str, Any] | None = None, seq: int = 1) -> wire.Shipped:
    """Entry ``seq`` of site north (following the genesis) with this payload, as its site ships it."""
    submission = Submission(
        event_id=f"e{seq}",
        type="note",
        at="2024-06-03T09:00:00+00:00",
        payload=payload,
        outcome=outcome if outcome is not None else {"decision": None, "reasons": [], "alerts": []},
        submitted_by="g1",
        received="2024-06-03T09:00:00+00:00",
    )
    return wire.ship(prepare_entry(submission, seq, GENESIS), "north", SENT)


# --- numbers JSONB gives back as others ---------------------------------------------------

NUMBERS = [-0.0, 0.0, 1e15, 1e16, 1e20, 1.7976931348623157e308, 1.5e-7, 5e-324, 0.1, 2**53 + 1, 2**63 - 1, -3, 1.0]


@pytest.mark.parametrize("number", NUMBERS)
def test_a_number_is_refused_at_intake_exactly_when_postgresql_would_alter_it(
    office: OfficeStore, number: float
) -> None:
    payload = {"type": "note", "reading": number, "list": [1, {"deep": number}]}
    with office.engine.connect() as connection:
        back = connection.execute(text("SELECT CAST(:value AS jsonb)::text"), {"value": canonical(payload).decode()})
        altered = canonical(msgspec.json.decode(back.scalar_one())) != canonical(payload)
    verdict = SiteWatch("north").take(entry_with(payload))
    assert isinstance(verdict, Break) is altered, (number, verdict)
    if altered:
        assert isinstance(verdict, Break) and verdict.position == 1
        assert verdict.problem == (
            f"entry 1 (e1): its payload holds the number {canonical(number).decode()}, "
            "which head office cannot store exactly"
        )


def test_a_negative_zero_in_an_outcome_is_refused_and_verify_never_cries_wolf(office: OfficeStore) -> None:
    shipped = entry_with({"type": "note"}, {"decision": None, "reasons": [], "alerts": [], "score": -0.0})
    verdict = SiteWatch("north").take(shipped)
    assert isinstance(verdict, Break) and "its outcome holds the number -0.0" in verdict.problem
    # What head office would otherwise have stored: the chain no longer verifies.
    office.add_site("north", "North gate")
    office.ingest([shipped], SENT)
    assert not verify_site(office, "north").ok
    fine = entry_with({"type": "note", "reading": 0.5}, {"decision": None, "reasons": [], "alerts": [], "score": 0.0})
    assert SiteWatch("north").take(fine) == Accept(fine)


def test_number_like_text_in_a_string_is_not_refused() -> None:
    shipped = entry_with({"type": "note", "text": "-0.0 and 1e16 in words"})
    assert SiteWatch("north").take(shipped) == Accept(shipped)


# --- the NUL check -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text_", "nul"),
    [
        ("a\x00b", True),
        ("\\\x00", True),
        ("\\u0000", False),
        ("\\\\u0000", False),
        ("\\" * 3 + "\x00", True),
        ("", False),
    ],
)
def test_a_nul_character_is_told_from_its_escaped_words(text_: str, nul: bool) -> None:
    verdict = SiteWatch("north").take(entry_with({"type": "note", "text": text_}))
    assert isinstance(verdict, Break) is nul
    if nul:
        assert isinstance(verdict, Break) and "NUL" in verdict.problem


def test_a_payload_of_backslashes_is_judged_at_once() -> None:
    shipped = entry_with({"type": "note", "text": ["\\" * 4_000 + "u0000"] * 1_500})
    written = canonical(shipped.payload)  # 12 MB of canonical JSON, 8,000 backslashes before each "u0000"
    began = time.perf_counter()
    assert not chain_watch._holds_nul(written)
    assert time.perf_counter() - began < 0.3
    assert SiteWatch("north").take(shipped) == Accept(shipped)


# --- a message nested too deeply to read ---------------------------------------------------


def nested(shipped: wire.Shipped, depth: int) -> bytes:
    """The message with a payload nested ``depth`` lists deep (what no site sends, and no decoder reads)."""
    body = wire.encode(shipped)
    marker = b'"payload":{'
    at = body.index(marker) + len(marker)
    return body[:at] + b'"deep":' + b"[" * depth + b"]" * depth + b"," + body[at:]


def test_a_message_nested_too_deeply_is_a_wire_error() -> None:
    with pytest.raises(wire.WireError, match="nested too deeply"):
        wire.decode_shipped(nested(entry_with({"type": "note"}), 5_000))


@pytest.mark.slow
def test_a_message_nested_too_deeply_stops_its_site_alone(
    office: OfficeStore, site_record: Make, topology: wire.Topology, clean: object
) -> None:
    north, south = site_record("north"), site_record("south")
    office.add_site("north", "North gate")
    office.add_site("south", "South gate")
    north.fill(3)
    south.fill(3)

    async def scenario() -> None:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        for shipped in north.shipped()[:2] + south.shipped():
            await publish(js, topology, shipped)
        deep = await js.publish(
            topology.site_subject("north"), nested(north.shipped()[2], 5_000), headers={wire.MSG_ID: "deep"}
        )
        async with quick(office, js, topology) as ingest:
            await eventually(lambda: ingest.state("north") is State.STOPPED)
            await eventually(lambda: head(office, "south") == 3)
            row = office.site("north")
            assert row is not None and (row.stopped_seq, row.stopped_stream_seq, row.head_seq) == (3, deep.seq, 2)
            assert "nested too deeply" in (row.stopped_problem or "")
            assert await ingest.resume("north") == deep.seq
            await publish(js, topology, north.shipped()[2])
            await eventually(lambda: head(office, "north") == 3)
            await asyncio.sleep(0)
        await client.close()

    run(scenario)
    assert verify_site(office, "north").ok


# --- one mark presented under many names -----------------------------------------------------


def test_a_site_presenting_another_sites_document_under_many_names_sends_it_few_notes(
    office: OfficeStore, site_record: Make
) -> None:
    north, rogue = site_record("north"), site_record("rogue")
    office.add_site("north", "North gate")
    office.add_site("rogue", "A site whose key was taken")
    north.identify("p1", "Ana Silva", "JX1940817")
    office.ingest(north.shipped(), SENT)
    for n in range(60):
        rogue.identify(f"r{n}", f"Name {n}", "JX1940817")
    shipped = rogue.shipped()
    office.ingest(shipped[:30], SENT)  # in two batches: what was linked before counts too
    office.ingest(shipped[30:], SENT)
    with office.engine.connect() as connection:
        links = connection.execute(text("SELECT count(*) FROM hq_links")).scalar_one()
        notes = connection.execute(text("SELECT count(*) FROM hq_outbox WHERE site = 'north'")).scalar_one()
    assert (links, notes) == (store.PARTIES_MOST, store.PARTIES_MOST)
