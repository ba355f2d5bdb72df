"""The exit button (``exit``) and readers' doors: a door with a reader is controlled, so an opening
without a grant is forced; the exit button grants one opening, for whoever goes out."""

from rules.readers_site import readers_state
from support import alerts_named, play


def test_a_door_with_a_reader_opened_without_a_grant_is_forced() -> None:
    """The front door has no post; its reader makes it controlled."""
    _, out = play('- {id: o1, at: "2024-06-03T10:00", type: open, door: front}\n', readers_state())
    assert [a.code.value for a in out[-1].alerts] == ["DOOR_FORCED"]


def test_the_exit_button_grants_one_opening() -> None:
    text = """
- {id: x1, at: "2024-06-03T10:00:00", type: exit, door: front}
- {id: o1, at: "2024-06-03T10:00:02", type: open, door: front}
- {id: c1, at: "2024-06-03T10:00:05", type: close, door: front}
- {id: o2, at: "2024-06-03T10:00:08", type: open, door: front}
"""
    _, out = play(text, readers_state())
    assert out[0].decision == "grant"
    assert out[1].alerts == ()
    assert [a.code.value for a in out[-1].alerts] == ["DOOR_FORCED"]


def test_an_exit_opening_is_timed_as_a_granted_one() -> None:
    text = """
- {id: x1, at: "2024-06-03T10:00:00", type: exit, door: front}
- {id: o1, at: "2024-06-03T10:00:00", type: open, door: front}
- {id: t1, at: "2024-06-03T10:00:30", type: tick}
"""
    _, out = play(text, readers_state())
    assert len(alerts_named(out, "DOOR_HELD")) == 1
