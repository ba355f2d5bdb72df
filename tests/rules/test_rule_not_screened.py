"""NOT_SCREENED: a visitor is searched with a clear result before a screened zone."""

from support import VISITOR_TO_LOBBY, play

REQUEST = '- {id: r2, at: "09:03", type: request, door: inner, by: g1, for: [vic]}\n'


def test_fires_without_a_search() -> None:
    _, out = play(VISITOR_TO_LOBBY + REQUEST)
    assert out[-1].reason_codes == ("NOT_SCREENED",)


def test_fires_after_a_refused_search() -> None:
    _, out = play(
        VISITOR_TO_LOBBY + '- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: refused}\n' + REQUEST
    )
    assert "NOT_SCREENED" in out[-1].reason_codes


def test_quiet_after_a_clear_search() -> None:
    _, out = play(
        VISITOR_TO_LOBBY + '- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: clear}\n' + REQUEST
    )
    assert out[-1].decision == "grant"


def test_a_search_counts_only_in_its_visit() -> None:
    text = (
        VISITOR_TO_LOBBY
        + """
- {id: s1, at: "09:02", type: screen, person: vic, by: g1, result: clear}
- {id: l1, at: "09:02", type: leave, people: [vic]}
- {id: a2, at: "09:02", type: arrive, people: [vic], door: inner}
"""
    )
    _, out = play(text + REQUEST)
    assert "NOT_SCREENED" in out[-1].reason_codes


def test_the_lobby_is_below_the_screening_level() -> None:
    _, out = play(VISITOR_TO_LOBBY)
    assert out[3].decision == "grant"
