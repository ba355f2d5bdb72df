"""IDENTITY_LINK: a document, phone, vehicle, address or employer already presented by someone else."""

from __future__ import annotations

from support import play, site, start_state

MORNARD = """
- id: i1
  at: "2024-06-03T09:00"
  type: identify
  person: mornard
  name: Jacques Mornard
  document: {kind: passport, country: BE, number: "JX 1940817"}
  phone: "+33 1 45 00 12 34"
"""
JACSON_PAPERS = """
- id: i2
  at: "09:10"
  type: identify
  person: jacson
  name: Frank Jacson
  document: {kind: passport, country: BEL, number: jx1940817}
"""


def codes(outcome: object) -> list[str]:
    return [a.code.value for a in outcome.alerts]  # type: ignore[attr-defined]


def test_the_same_passport_under_two_names_links_both_and_makes_them_of_concern() -> None:
    state, outcomes = play(MORNARD + JACSON_PAPERS)
    link = outcomes[-1].alerts[0]
    assert link.code.value == "IDENTITY_LINK" and link.severity.label == "high"
    assert set(link.people) == {"jacson", "mornard"}
    assert "passport BEL jx1940817 with Jacques Mornard (mornard)" in link.message
    assert state.of_concern("jacson") and state.of_concern("mornard")


def test_a_shared_phone_links_them_without_concern() -> None:
    phone = '- {id: i2, at: "09:10", type: identify, person: jacson, phone: "0033 1 45 00 12 34"}\n'
    state, outcomes = play(MORNARD + phone)
    assert codes(outcomes[-1]) == ["IDENTITY_LINK"]
    assert not state.of_concern("jacson")


def test_near_miss_the_same_person_again_or_another_number_is_no_link() -> None:
    again = '- {id: i2, at: "09:05", type: identify, person: mornard, phone: "+33 1 45 00 12 34"}\n'
    other = """
- id: i3
  at: "09:10"
  type: identify
  person: jacson
  document: {kind: passport, country: CA, number: JX1940817}
  phone: "+33 1 45 00 12 35"
"""
    _, outcomes = play(MORNARD + again + other)
    assert codes(outcomes[-2]) == [] and codes(outcomes[-1]) == []


def _phones(*written: str, country: str | None = None) -> list[list[str]]:
    """Each person p1, p2, … gives one of the numbers, in turn: the codes each identify raised."""
    on = site(f"country: {country}") if country else site()
    lines = [
        f'- {{id: i{n}, at: "2024-06-03T09:{n:02d}", type: identify, person: p{n}, phone: "{phone}"}}'
        for n, phone in enumerate(written, start=1)
    ]
    _, outcomes = play("\n".join(lines), start_state(on))
    return [codes(o) for o in outcomes]


def test_the_trunk_zero_in_brackets_is_the_same_number() -> None:
    assert _phones("+44 (0)20 7946 0958", "+44 20 7946 0958") == [[], ["IDENTITY_LINK"]]


def test_near_miss_the_trunk_zero_in_brackets_before_another_number() -> None:
    assert _phones("+44 (0)20 7946 0958", "+44 20 7946 0959") == [[], []]


def test_a_number_written_nationally_at_a_site_in_its_country_is_its_international_form() -> None:
    assert _phones("020 7946 0958", "+44 20 7946 0958", country="GB") == [[], ["IDENTITY_LINK"]]
    assert _phones("+44 20 7946 0958", "(020) 7946-0958", country="GB") == [[], ["IDENTITY_LINK"]]


def test_near_miss_a_national_number_read_in_another_country_or_another_number() -> None:
    assert _phones("020 7946 0958", "+44 20 7946 0958", country="MX") == [[], []]
    assert _phones("020 7946 0958", "+44 20 7946 0959", country="GB") == [[], []]


def test_without_a_site_country_a_national_number_links_only_to_its_own_digits() -> None:
    assert _phones("020 7946 0958", "+44 20 7946 0958") == [[], []]
    assert _phones("020 7946 0958", "020-7946-0958") == [[], ["IDENTITY_LINK"]]


def test_near_miss_without_a_site_country_other_national_digits() -> None:
    assert _phones("020 7946 0958", "020 7946 0959") == [[], []]


def test_two_different_numbers_never_link() -> None:
    assert _phones("+44 20 7946 0958", "+33 1 45 00 12 34", "+44 20 7946 0959", country="GB") == [[], [], []]


def test_double_zero_is_plus() -> None:
    assert _phones("00 44 20 7946 0958", "+44 20 7946 0958", country="MX") == [[], ["IDENTITY_LINK"]]
    assert _phones("+44 20 7946 0958", "0044 (0)20 7946 0958") == [[], ["IDENTITY_LINK"]]


def test_near_miss_double_zero_before_another_number() -> None:
    assert _phones("00 44 20 7946 0958", "+44 20 7946 0957") == [[], []]


def test_a_number_not_read_as_one_still_meets_the_same_digits() -> None:
    assert _phones("+999 1234 5678", "+999-1234-5678", country="GB") == [[], ["IDENTITY_LINK"]]
    assert _phones("+999 1234 5678", "+999-1234-5679", country="GB") == [[], []]


def test_one_phone_met_under_both_its_keys_is_named_once() -> None:
    _, outcomes = play(
        '- {id: i1, at: "2024-06-03T09:00", type: identify, person: p1, phone: "+44 20 7946 0958"}\n'
        '- {id: i2, at: "09:01", type: identify, person: p2, phone: "0044 20 7946 0958"}\n'
    )
    (link,) = outcomes[-1].alerts
    assert link.message.count("phone 0044 20 7946 0958") == 1


def test_visitors_who_each_wrote_a_placeholder_number_are_not_linked() -> None:
    """A number of one digit repeated is what people write when they will not give one: no thread."""
    assert _phones("0000000000", "0000000000", "+44 000 0000", country="GB") == [[], [], []]
