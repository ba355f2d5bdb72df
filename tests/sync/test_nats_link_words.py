"""How the link to head office says what is wrong: a refusal repeated is one line, not one per attempt."""

from __future__ import annotations

from gatewatch.sync.nats_link import describe_error


def refused(inbox_tail: str) -> Exception:
    return Exception(f'nats: permissions violation for subscription to "_inbox_north.{inbox_tail}.*"')


def test_a_refused_subject_says_what_to_check_and_reads_the_same_each_attempt() -> None:
    said = describe_error(refused("Ab12Cd34"))
    assert said == describe_error(refused("Zz99Yy88"))  # the reply subject's random part is not in it
    assert '"_inbox_north.…' in said and "hq site add" in said and "seed" in said


def test_another_error_is_said_as_it_is() -> None:
    assert describe_error(ValueError("something else")) == "ValueError: something else"
