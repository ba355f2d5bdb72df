"""Each site's chain as head office takes it: the next entry accepted, a resend dropped, a gap held
then filled or given up, and every alteration a break naming the position."""

from __future__ import annotations

from collections.abc import Callable

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatewatch.hq import chain_watch
from gatewatch.hq.chain_watch import Accept, Break, Duplicate, Hold, SiteWatch
from gatewatch.store.chain import GENESIS, Entry
from gatewatch.store.log import Submission, prepare_entry
from gatewatch.sync import wire
from hq.conftest import SENT, SiteRecord

Make = Callable[[str], SiteRecord]


def chain(site_record: Make, count: int = 5) -> list[wire.Shipped]:
    record = site_record("north")
    record.identify("p1", "Jan Kowalski", "JX1940817")
    record.fill(count - 1)
    return record.shipped()


def test_the_next_entries_are_accepted_and_the_head_moves(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    verdicts = [watch.take(shipped) for shipped in entries]
    assert verdicts == [Accept(shipped) for shipped in entries]
    assert (watch.head_seq, watch.head_hash) == (5, entries[-1].hash)


def test_a_watch_starts_from_the_head_head_office_holds(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north", 3, entries[2].hash)
    assert watch.take(entries[3]) == Accept(entries[3])


def test_a_resend_is_a_duplicate(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    for shipped in entries:
        watch.take(shipped)
    assert watch.take(entries[4]) == Duplicate(entries[4])  # the head
    assert watch.take(entries[1]) == Duplicate(entries[1])  # remembered
    assert watch.take(entries[1], known_hash=entries[1].hash) == Duplicate(entries[1])
    assert watch.head_seq == 5


def test_an_old_entry_without_a_hash_to_compare_is_not_taken_for_a_resend(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north", 5, entries[4].hash)  # a fresh watch remembers only the head
    verdict = watch.take(entries[1])
    assert isinstance(verdict, Break) and verdict.position == 2
    assert "arrived again" in verdict.problem and "not given" in verdict.problem


def test_a_later_entry_is_held_until_the_gap_fills(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    assert watch.take(entries[2], now=0) == Hold(entries[2])
    assert watch.take(entries[1], now=1) == Hold(entries[1])
    assert watch.take(entries[2], now=2) == Hold(entries[2])  # redelivered while held: still held
    assert watch.held == 2 and watch.held_entries() == [entries[1], entries[2]]
    assert watch.take(entries[0], now=3) == Accept(entries[0])
    assert watch.release(now=3) == [Accept(entries[1]), Accept(entries[2])]
    assert (watch.head_seq, watch.held) == (3, 0)
    assert watch.take(entries[3]) == Accept(entries[3])


def test_a_gap_open_past_patience_is_a_break_naming_the_missing_entries(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    watch.take(entries[0])
    assert watch.take(entries[3], now=10) == Hold(entries[3])
    assert watch.release(now=10 + chain_watch.GAP_PATIENCE_S) == []  # not yet
    [verdict] = watch.release(now=10.5 + chain_watch.GAP_PATIENCE_S)
    assert verdict == Break("north", 2, "entries 2–3 are missing (never arrived)")
    assert verdict.message == "site north: entries 2–3 are missing (never arrived)"
    assert watch.take(entries[1]) == verdict  # broken stays broken: nothing past it is taken


def test_while_head_office_is_behind_a_gap_waits_longer(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    watch.take(entries[0])
    assert watch.take(entries[3], now=10) == Hold(entries[3])
    watch.patient(now=100)  # head office was still writing this site's entries at 100 s
    assert watch.release(now=10.5 + chain_watch.GAP_PATIENCE_S) == []  # past the first patience: waits on
    assert watch.take(entries[1], now=150) == Accept(entries[1])
    assert watch.take(entries[2], now=150) == Accept(entries[2])
    assert watch.release(now=150) == [Accept(entries[3])]


def test_too_many_held_entries_is_a_break(site_record: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chain_watch, "HOLD_MOST", 2)
    entries = chain(site_record)
    watch = SiteWatch("north")
    assert isinstance(watch.take(entries[2]), Hold) and isinstance(watch.take(entries[3]), Hold)
    verdict = watch.take(entries[4])
    assert verdict == Break("north", 1, "entries 1–2 are missing (never arrived)")


def test_an_altered_payload_is_a_break(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    forged = msgspec.structs.replace(entries[0], payload={**(entries[0].payload or {}), "name": "Someone Else"})
    verdict = watch.take(forged)
    assert verdict == Break("north", 1, "entry 1 (north-e1): payload altered", forged)
    assert watch.head_seq == 0


def test_a_withheld_view_is_not_digest_checked_but_its_hash_still_is(site_record: Make) -> None:
    entries = chain(site_record)
    view = {**(entries[0].payload or {}), "document": {"number": "k:" + "ab" * 32}}
    withheld = msgspec.structs.replace(entries[0], payload=view, withheld=True)
    assert SiteWatch("north").take(withheld) == Accept(withheld)
    forged = msgspec.structs.replace(withheld, submitted_by="someone")
    assert SiteWatch("north").take(forged) == Break("north", 1, "entry 1 (north-e1): altered", forged)


def test_an_altered_outcome_is_a_break(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    watch.take(entries[0])
    forged = msgspec.structs.replace(entries[1], outcome={**entries[1].outcome, "decision": "admit"})
    assert watch.take(forged) == Break("north", 2, "entry 2 (north-e2): altered", forged)


def test_an_entry_that_does_not_follow_the_head_is_a_break(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    watch.take(entries[0])
    forged = msgspec.structs.replace(entries[1], prev_hash="f" * 64)
    verdict = watch.take(forged)
    assert verdict == Break("north", 2, "entry 2 (north-e2) does not follow entry 1: reordered or inserted", forged)


def test_the_same_position_again_with_another_hash_is_a_break(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    for shipped in entries[:3]:
        watch.take(shipped)
    forged = msgspec.structs.replace(entries[1], hash="e" * 64)
    assert watch.take(forged) == Break("north", 2, "entry 2 (north-e2) arrived again, altered", forged)


def test_the_same_position_again_altered_under_its_old_hash_is_a_break(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    for shipped in entries[:3]:
        watch.take(shipped)
    assert entries[0].payload is not None
    forged = msgspec.structs.replace(entries[0], payload={**entries[0].payload, "name": "Someone Else"})
    assert watch.take(forged, known_hash=entries[0].hash) == Break(
        "north", 1, "entry 1 (north-e1) arrived again, altered", forged
    )
    reoutcome = msgspec.structs.replace(entries[1], outcome={**entries[1].outcome, "decision": "grant"})
    verdict = SiteWatch("north", 3, entries[2].hash).take(reoutcome, known_hash=entries[1].hash)
    assert isinstance(verdict, Break) and verdict.position == 2


def test_a_held_position_again_with_another_hash_is_a_break(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    watch.take(entries[3])
    forged = msgspec.structs.replace(entries[3], hash="e" * 64)
    assert watch.take(forged) == Break("north", 4, "entry 4 (north-e4) arrived again, altered", forged)


def test_an_entry_of_another_site_is_a_break(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("south")
    verdict = watch.take(entries[0])
    assert verdict == Break("south", 1, "entry 1 (north-e1) names site north: not this site's entry", entries[0])


def test_a_redacted_entry_is_accepted_and_a_payload_dropped_without_one_is_a_break(site_record: Make) -> None:
    record = site_record("north")
    record.identify("p1", "Jan Kowalski")
    record.fill(2)
    record.log.redact([2])
    entries = record.shipped()
    assert entries[1].payload is None and entries[1].redacted
    watch = SiteWatch("north")
    assert [watch.take(shipped) for shipped in entries] == [Accept(shipped) for shipped in entries]
    dropped = msgspec.structs.replace(record.shipped()[0], payload=None)
    verdict = SiteWatch("north").take(dropped)
    assert verdict == Break(
        "north", 1, "entry 1 (north-e1): payload removed (set to null) without a redaction", dropped
    )


def test_a_nul_character_head_office_cannot_store_is_a_break(site_record: Make) -> None:
    record = site_record("north")
    record.record("check_in", "p1", note="a\x00b")
    [shipped] = record.shipped()
    verdict = SiteWatch("north").take(shipped)
    assert isinstance(verdict, Break) and "NUL" in verdict.problem and verdict.position == 1


def test_reset_starts_again_from_the_stored_head(site_record: Make) -> None:
    entries = chain(site_record)
    watch = SiteWatch("north")
    watch.take(entries[0])
    watch.take(entries[1])  # accepted, then its commit failed: the store holds entry 1 only
    watch.take(entries[3])
    watch.reset(1, entries[0].hash)
    assert (watch.held, watch.broken) == (0, None)
    assert watch.take(entries[1]) == Accept(entries[1])


# --- a property: any delivery order, with resends, ends in the chain taken once, in order --


def _pure_chain(count: int) -> list[wire.Shipped]:
    entries: list[Entry] = []
    previous = GENESIS
    for seq in range(1, count + 1):
        at = f"2024-06-03T09:{seq % 60:02d}:00+00:00"
        submission = Submission(
            event_id=f"e{seq}",
            type="open",
            at=at,
            payload={"type": "open", "id": f"e{seq}", "door": "outer", "n": seq},
            outcome={"decision": None, "reasons": [], "alerts": []},
            submitted_by="g1",
            received=at,
        )
        entry = prepare_entry(submission, seq, previous)
        entries.append(entry)
        previous = entry.hash
    return [wire.ship(entry, "north", SENT) for entry in entries]


CHAIN = _pure_chain(30)


@st.composite
def deliveries(draw: st.DrawFn) -> list[int]:
    """Indices into ``CHAIN``: each at least once, in a shuffled order, some of them again."""
    count = draw(st.integers(1, len(CHAIN)))
    order = draw(st.permutations(range(count)))
    again = draw(st.lists(st.integers(0, count - 1), max_size=count))
    spots = draw(st.lists(st.integers(0, count), min_size=len(again), max_size=len(again)))
    delivery = list(order)
    for index, spot in sorted(zip(again, spots, strict=True), key=lambda pair: pair[1], reverse=True):
        delivery.insert(spot, index)
    return delivery


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(deliveries())
def test_any_delivery_order_with_resends_accepts_every_entry_once_in_order(delivery: list[int]) -> None:
    watch = SiteWatch("north")
    stored: dict[int, str] = {}
    accepted: list[int] = []

    def keep(verdict: chain_watch.Verdict) -> None:
        assert not isinstance(verdict, Break), verdict
        if isinstance(verdict, Accept):
            accepted.append(verdict.shipped.seq)
            stored[verdict.shipped.seq] = verdict.shipped.hash

    for index in delivery:
        shipped = CHAIN[index]
        keep(watch.take(shipped, known_hash=stored.get(shipped.seq)))
        for released in watch.release():
            keep(released)
    count = max(delivery) + 1
    assert accepted == list(range(1, count + 1))
    assert (watch.head_seq, watch.head_hash, watch.held) == (count, CHAIN[count - 1].hash, 0)
