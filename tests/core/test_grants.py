"""Grants: each person passes once, the door opens once, within grant_minutes."""

from __future__ import annotations

from support import VISITOR_TO_LOBBY, codes, play


def test_a_grant_lets_the_door_open_once() -> None:
    _, out = play(
        VISITOR_TO_LOBBY
        + """
- {id: o2, at: "09:02", type: open, door: outer}
"""
    )
    assert codes(out[-1]) == ["DOOR_FORCED"]


def test_a_grant_lets_each_person_pass_once() -> None:
    _, out = play(
        VISITOR_TO_LOBBY
        + """
- {id: m2, at: "09:02", type: move, people: [vic], to: street}
- {id: m3, at: "09:03", type: move, people: [vic], to: lobby}
"""
    )
    assert codes(out[-1]) == ["UNAUTHORIZED_ENTRY"]


def test_a_grant_expires_after_grant_minutes() -> None:
    _, out = play(
        """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: i1, at: "08:56", type: invite, by: res, person: vic}
- {id: a1, at: "09:00", type: arrive, people: [vic], door: outer}
- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [vic]}
- {id: o1, at: "09:06", type: open, door: outer}
"""
    )
    assert codes(out[-1]) == ["DOOR_FORCED"]


def test_a_grant_covers_only_the_people_named() -> None:
    _, out = play(
        """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: i1, at: "08:56", type: invite, by: res, person: vic}
- {id: a1, at: "09:00", type: arrive, people: [vic, tag], door: outer}
- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [vic]}
- {id: o1, at: "09:00", type: open, door: outer}
- {id: m1, at: "09:01", type: move, people: [vic, tag], to: lobby}
"""
    )
    (alert,) = out[-1].alerts
    assert alert.code == "UNAUTHORIZED_ENTRY" and alert.people == ("tag",)


def test_a_resident_coming_home_by_day_is_quiet_all_the_way() -> None:
    _, out = play(
        """
- {id: p1, at: "2024-06-03T08:55", type: post, post: gate, on_duty: [g1]}
- {id: a1, at: "09:00", type: arrive, people: [res], door: outer}
- {id: r1, at: "09:00", type: request, door: outer, by: g1, for: [res]}
- {id: o1, at: "09:00", type: open, door: outer}
- {id: m1, at: "09:01", type: move, people: [res], to: lobby}
- {id: c1, at: "09:01", type: close, door: outer}
- {id: r2, at: "09:01", type: request, door: inner, by: g1, for: [res]}
- {id: o2, at: "09:02", type: open, door: inner}
- {id: m2, at: "09:02", type: move, people: [res], to: yard}
- {id: c2, at: "09:02", type: close, door: inner}
- {id: m3, at: "09:03", type: move, people: [res], to: house}
"""
    )
    assert all(o.alerts == () for o in out)
    assert [o.decision for o in out if o.decision] == ["grant", "grant"]
