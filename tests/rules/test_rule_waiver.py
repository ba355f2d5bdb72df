"""WAIVER / WAIVER_REFUSED: the principal may lift some rules for one guest, on the record."""

from support import codes, play


def waive(rules: str, by: str = "boss") -> str:
    return f'- {{id: w1, at: "2024-06-03T09:00", type: waive, by: {by}, for: vic, rules: [{rules}]}}\n'


def test_a_waiver_is_taken_as_a_warning() -> None:
    state, out = play(waive("NOT_SCREENED, ESCORT_REQUIRED"))
    (alert,) = out[0].alerts
    assert (alert.code, alert.severity.label) == ("WAIVER", "warning")
    assert state.waivers["vic"].rules == {"NOT_SCREENED", "ESCORT_REQUIRED"}


def test_refused_whole_for_a_person_of_concern() -> None:
    state, out = play(
        '- {id: k1, at: "2024-06-03T08:00", type: concern, person: vic, by: lead, open: true}\n' + waive("NOT_SCREENED")
    )
    (alert,) = out[-1].alerts
    assert (alert.code, alert.severity.label) == ("WAIVER_REFUSED", "high")
    assert "vic" not in state.waivers


def test_refused_whole_when_it_names_a_rule_that_cannot_be_waived() -> None:
    state, out = play(waive("NOT_SCREENED, PERSON_OF_CONCERN"))
    assert codes(out[0]) == ["WAIVER_REFUSED"]
    assert "PERSON_OF_CONCERN cannot be waived" in out[0].alerts[0].message
    assert "vic" not in state.waivers


def test_only_the_principal_waives() -> None:
    state, out = play(waive("NOT_SCREENED", by="res"))
    assert codes(out[0]) == ["NOT_PERMITTED"] and "vic" not in state.waivers


def test_a_waiver_lasts_for_its_day_only() -> None:
    text = (
        waive("NOT_EXPECTED")
        + """
- {id: a1, at: "2024-06-04T09:00", type: arrive, people: [vic], door: outer}
- {id: r1, at: "09:00", type: request, door: outer, by: lead, for: [vic]}
"""
    )
    _, out = play(text)
    assert "NOT_EXPECTED" in out[-1].reason_codes
