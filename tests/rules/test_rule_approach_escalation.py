"""APPROACH_ESCALATION: a visitor who comes closer each time and then asks to be alone."""

from support import codes, play


def visit(day: str, deepest: str) -> str:
    """A visit reaching ``deepest`` (street, lobby or yard), by the proper doors."""
    steps = [f'- {{id: v{day}a, at: "2024-{day}T10:00", type: arrive, people: [vic], door: outer}}']
    if deepest in ("lobby", "yard"):
        steps += [
            f'- {{id: v{day}i, at: "10:00", type: invite, by: res, person: vic}}',
            f'- {{id: v{day}r, at: "10:01", type: request, door: outer, by: lead, for: [vic]}}',
            f'- {{id: v{day}o, at: "10:01", type: open, door: outer}}',
            f'- {{id: v{day}m, at: "10:02", type: move, people: [vic], to: lobby}}',
            f'- {{id: v{day}c, at: "10:02", type: close, door: outer}}',
        ]
    if deepest == "yard":
        steps += [
            f'- {{id: v{day}s, at: "10:03", type: screen, person: vic, by: lead, result: clear}}',
            f'- {{id: v{day}r2, at: "10:03", type: request, door: inner, by: lead, for: [vic]}}',
            f'- {{id: v{day}o2, at: "10:04", type: open, door: inner}}',
            f'- {{id: v{day}m2, at: "10:04", type: move, people: [vic], to: yard}}',
            f'- {{id: v{day}c2, at: "10:04", type: close, door: inner}}',
        ]
    steps.append(f'- {{id: v{day}l, at: "10:30", type: leave, people: [vic]}}')
    return "\n".join(steps) + "\n"


PRIVATE = '- {id: q1, at: "2024-08-01T09:00", type: invite, by: boss, person: vic, private: true}\n'


def test_fires_after_three_visits_reaching_deeper() -> None:
    state, out = play(visit("06-03", "street") + visit("06-20", "lobby") + visit("07-10", "yard") + PRIVATE)
    (alert,) = out[-1].alerts
    assert (alert.code, alert.severity.label) == ("APPROACH_ESCALATION", "high")
    assert "levels 0 → 1 → 2" in alert.message
    assert state.of_concern("vic")


def test_quiet_after_only_two_visits() -> None:
    _, out = play(visit("06-20", "lobby") + visit("07-10", "yard") + PRIVATE)
    assert codes(out[-1]) == []


def test_quiet_when_the_visits_did_not_go_deeper() -> None:
    _, out = play(visit("06-03", "yard") + visit("06-20", "lobby") + visit("07-10", "yard") + PRIVATE)
    assert codes(out[-1]) == []


def test_quiet_for_a_public_invitation() -> None:
    _, out = play(
        visit("06-03", "street")
        + visit("06-20", "lobby")
        + visit("07-10", "yard")
        + PRIVATE.replace("private: true", "private: false")
    )
    assert codes(out[-1]) == []


def test_visits_older_than_120_days_do_not_count() -> None:
    late = PRIVATE.replace("2024-08-01", "2024-10-15")
    _, out = play(visit("06-03", "street") + visit("06-20", "lobby") + visit("07-10", "yard") + late)
    assert codes(out[-1]) == []
