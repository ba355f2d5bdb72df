"""A report's proof: canonical JSON that reads back the same, bounded when read, and made only below the head."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatewatch.reports import proof as proofs
from gatewatch.reports.proof import Cited, Head, Proof, ProofError
from gatewatch.store.chain import Entry

HASH = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
WORDS = st.text(min_size=1, max_size=40)


def entry(seq: int, event_id: str = "", hashed: str = "") -> Entry:
    return Entry(
        seq,
        event_id or f"e{seq}",
        "close",
        "2024-06-03T09:00:00+00:00",
        "r",
        "g1",
        {},
        "d",
        {},
        "p",
        hashed or "a" * 64,
    )


@given(
    cited=st.lists(
        st.tuples(st.integers(1, 2**31 - 1), WORDS, WORDS, WORDS, HASH), max_size=20, unique_by=lambda c: c[0]
    ),
    head=HASH,
    who=WORDS,
)
def test_a_proof_reads_back_the_same_from_its_canonical_json(
    cited: list[tuple[int, str, str, str, str]], head: str, who: str
) -> None:
    made = Proof(
        proofs.FORMAT,
        "site",
        "case C-1",
        "2024-06-03T09:00:00+00:00",
        who,
        Head(2**31 - 1, head),
        tuple(Cited(*c) for c in sorted(cited)),  # as made: each once, in the log's order
    )
    raw = proofs.canonical(made)
    assert proofs.load(raw) == made
    assert proofs.canonical(proofs.load(raw)) == raw  # one proof, one byte string
    assert proofs.fingerprint(proofs.load(raw)) == proofs.fingerprint(made)


def test_make_cites_each_entry_once_in_the_logs_order() -> None:
    made = proofs.make("s", "case C-1", "t", "lena", (9, "b" * 64), [entry(5), entry(2), entry(5)])
    assert [c.seq for c in made.cited] == [2, 5] and made.head == Head(9, "b" * 64)


def test_an_entry_past_the_head_is_refused() -> None:
    with pytest.raises(ValueError, match="entry 7 is cited but the chain head given is entry 6"):
        proofs.make("s", "case C-1", "t", "lena", (6, "b" * 64), [entry(7)])


def test_a_proof_out_of_bounds_or_of_another_format_is_refused_saying_why() -> None:
    good = msgspec.json.decode(proofs.canonical(proofs.make("s", "x", "t", "lena", (3, "b" * 64), [entry(3)])))
    with pytest.raises(ProofError, match="format"):
        proofs.load(msgspec.json.encode({**good, "format": "other/9"}))
    bad_hash = {**good, "cited": [{**good["cited"][0], "hash": "not-a-hash"}]}
    with pytest.raises(ProofError, match=r"cited\[0\]\.hash"):
        proofs.load(msgspec.json.encode(bad_hash))
    with pytest.raises(ProofError, match="not JSON"):
        proofs.load(b"{nope")
    with pytest.raises(ProofError, match="unknown field"):
        proofs.load(msgspec.json.encode({**good, "extra": 1}))


def test_a_proof_citing_an_entry_twice_out_of_order_or_past_its_head_is_refused() -> None:
    good = msgspec.json.decode(
        proofs.canonical(proofs.make("s", "x", "t", "lena", (5, "b" * 64), [entry(2), entry(4)]))
    )
    first, second = good["cited"]
    with pytest.raises(ProofError, match="entry 2 is cited twice"):
        proofs.load(msgspec.json.encode({**good, "cited": [first, first, second]}))
    with pytest.raises(ProofError, match="entry 2 is cited after entry 4"):
        proofs.load(msgspec.json.encode({**good, "cited": [second, first]}))
    with pytest.raises(ProofError, match="entry 4 is cited past the chain head, entry 3"):
        proofs.load(msgspec.json.encode({**good, "head": {"seq": 3, "hash": "b" * 64}}))
    with pytest.raises(ProofError, match="entry 2 is cited past the chain head, entry 0"):
        proofs.load(msgspec.json.encode({**good, "head": {"seq": 0, "hash": "b" * 64}}))
    assert [c.seq for c in proofs.load(msgspec.json.encode(good)).cited] == [2, 4]
