"""LOCKDOWN: a critical alert locks the site; only a lead's all-clear lifts it."""

from support import VISITOR_TO_LOBBY, codes, play

FORCED = (
    VISITOR_TO_LOBBY
    + """
- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: clear}
- {id: f1, at: "09:03", type: open, door: side, by: g1}
"""
)
REQUEST = """
- {id: r9, at: "09:10", type: request, door: inner, by: g1, for: [vic]}
"""


def test_fires_after_a_critical_alert() -> None:
    _, out = play(FORCED + REQUEST)
    assert codes(out[-2]) == ["DOOR_FORCED"]
    assert out[-1].decision == "deny" and "LOCKDOWN" in out[-1].reason_codes
    assert "DOOR_FORCED at f1" in out[-1].reasons[0].explanation


def test_quiet_after_a_leads_all_clear() -> None:
    _, out = play(FORCED + '- {id: k1, at: "09:05", type: all_clear, by: lead}\n' + REQUEST)
    assert "LOCKDOWN" not in out[-1].reason_codes
    assert out[-1].decision == "grant"


def test_a_high_alert_does_not_lock_down() -> None:
    state, _ = play(VISITOR_TO_LOBBY + '- {id: c9, at: "09:05", type: checkin, post: gate, missed: true}\n')
    assert state.lockdown is None


def test_a_guards_all_clear_changes_nothing() -> None:
    state, out = play(FORCED + '- {id: k1, at: "09:05", type: all_clear, by: g1}\n' + REQUEST)
    assert codes(out[-2]) == ["NOT_PERMITTED"]
    assert state.lockdown == "DOOR_FORCED at f1" and "LOCKDOWN" in out[-1].reason_codes
