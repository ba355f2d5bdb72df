"""A denied request can be overridden for the site's ``override_minutes`` (60), then not."""

from __future__ import annotations

from support import VISITOR_TO_LOBBY, play

DENIED = VISITOR_TO_LOBBY + '- {id: r2, at: "09:03", type: request, door: inner, by: g1, for: [vic]}\n'


def test_an_override_within_the_window_takes_effect() -> None:
    _, outcomes = play(DENIED + '- {id: ov1, at: "10:02", type: override, request: r2, by: g1, approved_by: lead}\n')
    assert outcomes[-2].decision == "deny"
    assert [a.code.value for a in outcomes[-1].alerts] == ["OVERRIDE"]


def test_an_override_after_the_window_does_nothing() -> None:
    state, outcomes = play(
        DENIED + '- {id: ov1, at: "10:04", type: override, request: r2, by: g1, approved_by: lead}\n'
    )
    assert outcomes[-1].alerts == ()
    assert "inner" not in state.grants


def test_old_denials_are_let_go_when_new_ones_come() -> None:
    later = '- {id: r3, at: "11:00", type: request, door: inner, by: g1, for: [vic]}\n'
    state, _ = play(DENIED + later)
    assert set(state.requests) == {"r3"} and [i for _, i in state.denials] == ["r3"]
