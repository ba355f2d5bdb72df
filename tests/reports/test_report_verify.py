"""``reports.verify``: a proof checked against the record, and a report against its own proof.

On SQLite and on the real PostgreSQL (as the store's tests: ``GATEWATCH_TEST_PG``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from gatewatch.reports import proof as proofs
from gatewatch.reports.verify import against_print, against_record, verify
from gatewatch.store.chain import Entry, digest, entry_hash
from gatewatch.store.log import EventLog, Submission
from gatewatch.store.schema import log as log_table
from store.conftest import _postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gatewatch.db'}"
    else:
        yield from _postgres_database()


def filled(url: str, count: int = 6) -> EventLog:
    store = EventLog.open(url)
    store.append_many(
        Submission(
            f"e{n}",
            "observe",
            f"2024-06-03T09:0{n}:00+00:00",
            {"type": "observe", "person": "vic", "by": "g1", "indicators": ["nervous"]},
            {"decision": None, "alerts": []},
            "g1",
            "2024-06-03T09:00:01+00:00",
        )
        for n in range(1, count + 1)
    )
    return store


def proof_of(store: EventLog, seqs: list[int]) -> proofs.Proof:
    held = store.entries_at(seqs)
    return proofs.make("testhouse", "case C-1", "2024-06-04T10:00:00+00:00", "lena", store.head(), held.values())


def printed(proof: proofs.Proof) -> str:
    """The text a faithful report prints of its proof: a line naming each cited event by position and short
    hash, the chain head, the proof table (position, id, type, time, hash) and the fingerprint."""
    return "\n".join(
        [
            *(f"2024-06-03 09:00 observe · nervous #{c.seq} {c.hash[:12]}" for c in proof.cited),
            f"chain head entry {proof.head.seq} · {proof.head.hash}",
            *(f"{c.seq} {c.event} {c.type} {c.at} {c.hash}" for c in proof.cited),
            f"proof fingerprint {proofs.fingerprint(proof)}",
        ]
    )


def test_an_untouched_record_matches_every_cited_event(url: str) -> None:
    store = filled(url)
    proof = proof_of(store, [2, 4])
    checked = verify(proof, printed(proof), store)
    assert checked.ok and checked.matched == 2 and not checked.mismatches and not checked.head


def test_a_payload_altered_in_place_is_named(url: str) -> None:
    store = filled(url)
    proof = proof_of(store, [2, 4])
    with store.engine.begin() as connection:
        altered = '{"type":"observe","person":"vic","by":"g1","indicators":["calm"]}'
        connection.execute(update(log_table).where(log_table.c.seq == 4).values(payload=altered))
    checked = against_record(proof, store)
    assert not checked.ok
    assert [(m.seq, m.event) for m in checked.mismatches] == [(4, "e4")]
    assert "payload was altered" in checked.mismatches[0].describe()


def test_a_row_rewritten_with_its_hash_recomputed_is_named(url: str) -> None:
    store = filled(url)
    proof = proof_of(store, [3])
    row = store.entries_at([3])[3]
    payload = {**(row.payload or {}), "indicators": ["calm"]}
    rehashed = entry_hash(
        row.seq,
        row.event_id,
        row.type,
        row.at,
        row.received,
        row.submitted_by,
        digest(payload),
        digest(row.outcome),
        row.prev_hash,
    )
    with store.engine.begin() as connection:
        connection.execute(
            update(log_table)
            .where(log_table.c.seq == 3)
            .values(
                payload='{"type":"observe","person":"vic","by":"g1","indicators":["calm"]}',
                payload_digest=digest(payload),
                hash=rehashed,
            )
        )
    checked = against_record(proof, store)
    assert [m.event for m in checked.mismatches] == ["e3"]
    assert f"its hash in the record is {rehashed}" in checked.mismatches[0].differs


def test_a_hash_column_rewritten_alone_is_named(url: str) -> None:
    store = filled(url)
    proof = proof_of(store, [3])
    with store.engine.begin() as connection:
        connection.execute(update(log_table).where(log_table.c.seq == 3).values(hash="c" * 64))
    differs = [m.differs for m in against_record(proof, store).mismatches]
    assert any("the report cites" in d for d in differs)
    assert any("no longer gives the hash it keeps" in d for d in differs)


def test_a_cut_record_loses_the_head_and_the_cited_events(url: str) -> None:
    store = filled(url)
    proof = proof_of(store, [5])
    with store.engine.begin() as connection:
        connection.execute(log_table.delete().where(log_table.c.seq >= 5))
    checked = against_record(proof, store)
    assert "no entry at this position" in checked.mismatches[0].differs
    assert checked.head == "the chain head, entry 6, is no longer in the record"


def test_a_report_that_prints_another_hash_than_it_keeps_is_caught(url: str) -> None:
    store = filled(url)
    proof = proof_of(store, [1, 2])
    faithful = printed(proof)
    assert against_print(proof, faithful) == ()
    edited = faithful.replace(proof.cited[1].hash, "f" * 64)
    assert against_print(proof, edited) == (
        f"entry 2 (e2): the hash the report keeps ({proof.cited[1].hash}) is not the one printed",
    )
    broken_across_lines = faithful.replace(
        proof.cited[0].hash, proof.cited[0].hash[:30] + "\n" + proof.cited[0].hash[30:]
    )
    assert against_print(proof, broken_across_lines) == ()
    assert any("fingerprint" in p for p in against_print(proof, faithful.replace(proofs.fingerprint(proof), "")))


def test_a_record_grown_since_still_holds_the_reports_head_and_a_cut_one_does_not(url: str) -> None:
    store = filled(url)
    proof = proof_of(store, [2, 4])
    grown = store.append_many(
        [
            Submission(
                "e7",
                "observe",
                "2024-06-03T09:07:00+00:00",
                {"type": "observe", "person": "vic", "by": "g1", "indicators": ["nervous"]},
                {"decision": None, "alerts": []},
                "g1",
                "2024-06-03T09:00:01+00:00",
            )
        ]
    )
    assert grown and store.head()[0] == 7
    assert verify(proof, printed(proof), store).ok
    with store.engine.begin() as connection:
        connection.execute(log_table.delete().where(log_table.c.seq >= 6))
    assert verify(proof, printed(proof), store).head == "the chain head, entry 6, is no longer in the record"


def test_a_proof_table_that_prints_a_cited_event_otherwise_than_kept_is_caught(url: str) -> None:
    store = filled(url)
    proof = proof_of(store, [1, 2])
    cited = proof.cited[1]
    row = f"{cited.seq} {cited.event} {cited.type} {cited.at} {cited.hash}"
    for forged in (
        row.replace(cited.at, "2024-06-02T21:00:00+00:00"),  # another time, the hash left as it was
        row.replace(f"{cited.seq} {cited.event}", f"{cited.seq} e5"),  # another event
        row.replace(f"{cited.seq} {cited.event}", f"1{cited.seq} {cited.event}"),  # another position
    ):
        assert against_print(proof, printed(proof).replace(row, forged)) == (
            f"entry 2 (e2): the proof table prints its hash, not as kept with it: "
            f"entry 2, event e2, {cited.type} at {cited.at}",
        )
    head = f"entry {proof.head.seq} · {proof.head.hash}"
    assert against_print(proof, printed(proof).replace(head, f"entry 9 · {proof.head.hash}")) == (
        f"the chain head the report keeps (entry {proof.head.seq}, {proof.head.hash}) is not the one printed",
    )


def test_a_proof_citing_an_event_no_line_of_the_report_names_is_caught(url: str) -> None:
    store = filled(url)
    proof = proof_of(store, [1, 3])
    padded = proof.cited[1]
    body = f"#{padded.seq} {padded.hash[:12]}"
    assert against_print(proof, printed(proof).replace(body, "")) == (
        f"entry 3 (e3): in the proof, but no line of the report names it (#3 {padded.hash[:12]})",
    )


@given(
    cited=st.lists(
        st.tuples(st.integers(1, 2**31 - 1), st.text("0123456789abcdef", min_size=64, max_size=64)),
        max_size=30,
        unique_by=lambda c: c[0],
    ),
    dropped=st.integers(0, 29),
)
def test_a_faithful_print_holds_its_proof_and_each_row_left_out_is_named(
    cited: list[tuple[int, str]], dropped: int
) -> None:
    """Positions and hashes made of digits and hex letters side by side, as they meet once white space is gone."""
    entries = [
        Entry(seq, f"e{seq}", "observe", "2024-06-03T09:00:00+00:00", "r", "g1", {}, "d", {}, "p", hashed)
        for seq, hashed in sorted(cited)
    ]
    proof = proofs.make("testhouse", "case C-1", "t", "lena", (2**31 - 1, "b" * 64), entries)
    assert against_print(proof, printed(proof)) == ()
    if proof.cited:
        gone = proof.cited[dropped % len(proof.cited)]
        left = printed(proof).replace(f"{gone.seq} {gone.event} {gone.type} {gone.at} {gone.hash}\n", "")
        named = against_print(proof, left)
        assert len(named) == 1 and named[0].startswith(f"entry {gone.seq} ({gone.event}): the hash the report keeps")
