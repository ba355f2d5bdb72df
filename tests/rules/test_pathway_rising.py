"""PATHWAY_RISING: a visitor's pathway, taken together, has reached the site's threshold."""

from support import alerts_named, codes, play, site, start_state

# Turned away three times at the street door without an invitation: three denials, 2 points each.
TURNED_AWAY = """
- {id: a1, at: "2024-06-03T10:00", type: arrive, people: [vic], door: outer}
- {id: r1, at: "10:00", type: request, door: outer, by: lead, for: [vic]}
- {id: r2, at: "10:05", type: request, door: outer, by: lead, for: [vic]}
- {id: r3, at: "10:10", type: request, door: outer, by: lead, for: [vic]}
"""


def with_threshold(threshold: str, window: str = "") -> str:
    return f"policy: {{pathway: {{threshold: {threshold}{window}}}}}"


def test_fires_when_the_score_reaches_the_threshold() -> None:
    state, out = play(TURNED_AWAY, start_state(site(with_threshold("6"))))
    assert codes(out[-2]) == []  # 4 points: under
    (alert,) = [a for a in out[-1].alerts if a.code.value == "PATHWAY_RISING"]
    assert (alert.severity.label, alert.people, alert.concern) == ("high", ("vic",), ())
    assert "scores 6, at or above the threshold 6" in alert.message
    assert "denied" not in alert.message  # the signals are the assessment's, which a guard is not shown
    assert not state.of_concern("vic")  # a lead decides what follows; the score alone stops nobody
    assert state.pathways["vic"].over


def test_quiet_just_under_the_threshold() -> None:
    state, out = play(TURNED_AWAY, start_state(site(with_threshold("6.5"))))
    assert alerts_named(out, "PATHWAY_RISING") == []
    assert state.pathways["vic"].scores[-1][1] == 6.0 and not state.pathways["vic"].over


def test_raised_once_while_over_and_again_after_falling_below() -> None:
    more = """
- {id: r4, at: "10:15", type: request, door: outer, by: lead, for: [vic]}
- {id: l1, at: "10:20", type: leave, people: [vic]}
- {id: a2, at: "2024-06-08T10:00", type: arrive, people: [vic], door: outer}
- {id: r5, at: "10:00", type: request, door: outer, by: lead, for: [vic]}
- {id: r6, at: "10:05", type: request, door: outer, by: lead, for: [vic]}
- {id: r7, at: "10:10", type: request, door: outer, by: lead, for: [vic]}
"""
    _, out = play(TURNED_AWAY + more, start_state(site(with_threshold("6", ", window_days: 2"))))
    raised = [o.event for o in out if "PATHWAY_RISING" in codes(o)]
    assert raised == ["r3", "r7"]  # not at r4 (still over); the June 3 denials leave the window by June 8
