"""NOT_AT_DOOR: a door opens only for people the record has at it (never judged on egress)."""

from support import VISITOR_TO_LOBBY, codes, play

# An invited visitor, searched clear, standing in the street at the outer door.
AT_THE_STREET = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: i1, at: "08:56", type: invite, by: res, person: vic}
- {id: a1, at: "09:00", type: arrive, people: [vic], door: outer}
- {id: s1, at: "09:01", type: screen, person: vic, by: g1, result: clear}
"""


def test_fires_for_a_visitor_at_the_street_asked_through_the_inner_door() -> None:
    _, out = play(AT_THE_STREET + '- {id: r1, at: "09:02", type: request, door: inner, by: g1, for: [vic]}\n')
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("NOT_AT_DOOR",)
    reason = out[-1].reasons[0]
    assert reason.people == ("vic",)
    assert reason.explanation == "vic is in the street, not at the inner door: it would open for whoever stands there"
    assert reason.remedy == "bring them to the inner door and record it (seen in the lobby or the yard), then ask again"


def test_near_miss_the_same_visitor_once_in_the_lobby_is_granted_the_inner_door() -> None:
    text = VISITOR_TO_LOBBY + (
        '- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: clear}\n'
        '- {id: r2, at: "09:03", type: request, door: inner, by: g1, for: [vic]}\n'
    )
    _, out = play(text)
    assert out[-1].decision == "grant" and out[-1].reason_codes == ()


def test_fires_for_a_visitor_at_the_street_asked_through_the_private_office_door() -> None:
    _, out = play(AT_THE_STREET + '- {id: r1, at: "09:02", type: request, door: office-door, by: g1, for: [vic]}\n')
    assert out[-1].decision == "deny"
    assert "NOT_AT_DOOR" in out[-1].reason_codes
    assert "vic is in the street, not at the office-door" in out[-1].reasons[-1].explanation


def test_fires_for_a_visitor_who_never_arrived_even_with_every_waivable_rule_waived() -> None:
    text = """
- {id: w1, at: "2024-06-03T09:00", type: waive, by: boss, for: vic,
   rules: [NOT_EXPECTED, NOT_SCREENED, ESCORT_REQUIRED]}
- {id: r1, at: "09:01", type: request, door: front, by: lead, for: [vic]}
"""
    _, out = play(text)
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("NOT_AT_DOOR",)
    assert out[-1].reasons[0].explanation.startswith("vic is off site, not at the front door")


def test_fires_for_a_visitor_who_has_left() -> None:
    text = VISITOR_TO_LOBBY + (
        '- {id: l1, at: "09:30", type: leave, people: [vic]}\n'
        '- {id: r2, at: "09:31", type: request, door: inner, by: g1, for: [vic]}\n'
    )
    _, out = play(text)
    assert "NOT_AT_DOOR" in out[-1].reason_codes
    assert "vic is off site" in out[-1].reasons[-1].explanation


def test_near_miss_a_visitor_off_site_at_a_perimeter_door_comes_from_the_street() -> None:
    text = """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: i1, at: "08:56", type: invite, by: res, person: vic}
- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [vic]}
"""
    _, out = play(text)
    assert out[-1].decision == "grant"


def test_fires_for_a_resident_the_record_has_in_the_house() -> None:
    _, out = play(
        '- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}\n'
        '- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [res]}\n'
    )
    assert out[-1].decision == "deny" and out[-1].reason_codes == ("NOT_AT_DOOR",)
    assert out[-1].reasons[0].explanation.startswith("Ruth Resident is in the house, not at the outer door")


def test_near_miss_a_guard_never_placed_is_not_judged() -> None:
    _, out = play('- {id: r1, at: "2024-06-03T09:00", type: request, door: inner, by: lead, for: [g2]}\n')
    assert out[-1].decision == "grant"


def test_people_in_two_places_are_named_with_each_place() -> None:
    text = AT_THE_STREET + (
        '- {id: i2, at: "09:01", type: invite, by: res, person: val}\n'
        '- {id: r1, at: "09:02", type: request, door: front, by: lead, for: [vic, val, res]}\n'
    )
    _, out = play(text)
    reason = next(r for r in out[-1].reasons if r.code.value == "NOT_AT_DOOR")
    assert reason.people == ("vic", "val")
    assert reason.explanation.startswith("vic is in the street; val is off site, not at the front door")


def test_egress_is_never_judged_even_with_someone_elsewhere_on_the_record() -> None:
    text = VISITOR_TO_LOBBY + '- {id: r2, at: "09:05", type: request, door: outer, by: g1, for: [vic]}\n'
    _, out = play(text)
    assert out[-1].decision == "grant" and out[-1].reason_codes == ()


def test_near_miss_people_on_both_sides_of_the_door_are_both_at_it() -> None:
    text = AT_THE_STREET + '- {id: r1, at: "09:02", type: request, door: outer, by: g1, for: [vic, g1]}\n'
    _, out = play(text)
    assert out[-1].decision == "grant"


def test_the_principal_cannot_waive_it() -> None:
    text = AT_THE_STREET + (
        '- {id: w1, at: "09:01", type: waive, by: boss, for: vic, rules: [NOT_AT_DOOR]}\n'
        '- {id: r1, at: "09:02", type: request, door: inner, by: g1, for: [vic]}\n'
    )
    _, out = play(text)
    assert codes(out[-2]) == ["WAIVER_REFUSED"]
    assert "NOT_AT_DOOR cannot be waived" in out[-2].alerts[0].message
    assert out[-1].reason_codes == ("NOT_AT_DOOR",)


def test_a_leads_approved_override_still_opens_the_door() -> None:
    text = AT_THE_STREET + (
        '- {id: r1, at: "09:02", type: request, door: inner, by: g1, for: [vic]}\n'
        '- {id: o1, at: "09:03", type: override, request: r1, by: g1, approved_by: lead}\n'
    )
    state, out = play(text)
    assert out[-2].reason_codes == ("NOT_AT_DOOR",)
    assert codes(out[-1]) == ["OVERRIDE"]
    assert any("vic" in g.people for g in state.grants.get("inner", ()))
