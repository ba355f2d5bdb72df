"""DURESS: the duress PIN opens as the PIN does and tells the desk; it is the one critical alert
that does not start a lockdown (a tampered reader does)."""

from gatewatch.core.alerts import AlertCode
from rules.readers_site import CARDS, readers_state
from support import alerts_named, codes, play

RES_IN_YARD = CARDS + '- {id: m1, at: "09:00", type: move, people: [res], to: yard}\n'


def test_fires_with_the_duress_pin_and_the_door_opens_as_usual() -> None:
    text = RES_IN_YARD + '- {id: b1, at: "09:01", type: badge, reader: front-out, credential: c-res, pin: "9999"}\n'
    state, out = play(text, readers_state())
    assert out[-1].decision == "grant"
    assert out[-1].reasons == ()
    (alert,) = alerts_named(out, "DURESS")
    assert alert.severity.label == "critical"
    assert alert.people == ("res",)
    assert "9999" not in alert.message
    assert AlertCode.DURESS.discreet
    assert state.lockdown is None


def test_quiet_with_the_right_pin() -> None:
    text = RES_IN_YARD + '- {id: b1, at: "09:01", type: badge, reader: front-out, credential: c-res, pin: "1234"}\n'
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
    assert out[-1].alerts == ()


def test_the_site_goes_on_as_usual_after_duress() -> None:
    text = (
        RES_IN_YARD
        + """
- {id: b1, at: "09:01", type: badge, reader: front-out, credential: c-res, pin: "9999"}
- {id: m2, at: "09:02", type: move, people: [cook], to: yard}
- {id: b2, at: "09:03", type: badge, reader: front-out, credential: c-cook}
"""
    )
    state, out = play(text, readers_state())
    assert out[-1].decision == "grant"
    assert state.lockdown is None


def test_a_tampered_reader_locks_down_where_duress_does_not() -> None:
    text = (
        RES_IN_YARD
        + """
- {id: d1, at: "09:01", type: device, device: front-out, status: tamper}
- {id: m2, at: "09:02", type: move, people: [cook], to: yard}
- {id: b2, at: "09:03", type: badge, reader: front-out, credential: c-cook}
"""
    )
    state, out = play(text, readers_state())
    assert state.lockdown == "DEVICE_TAMPER at d1"
    assert out[-1].reason_codes == ("LOCKDOWN",)


def test_duress_at_an_inside_reader_is_told_too() -> None:
    text = CARDS + '- {id: b1, at: "09:01", type: badge, reader: front-in, credential: c-res, pin: "9999"}\n'
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
    assert codes(out[-1]) == ["DURESS"]
