"""PIN_GUESSING: the third wrong PIN on one credential within ten minutes (and each third after)."""

from rules.readers_site import CARDS, readers_state
from support import alerts_named, play


def _tries(*tries: tuple[str, str, str]) -> str:
    """Badges at the outer door: (time, credential, PIN) each."""
    lines = [
        f'- {{id: b{i}, at: "2024-06-03T{at}", type: badge, reader: outer-out, credential: {card}, pin: "{pin}"}}'
        for i, (at, card, pin) in enumerate(tries)
    ]
    return CARDS + "\n".join(lines) + "\n"


def test_fires_at_the_third_wrong_pin_within_ten_minutes() -> None:
    text = _tries(("11:00", "c-res", "0000"), ("11:05", "c-res", "1111"), ("11:10", "c-res", "2222"))
    _, out = play(text, readers_state())
    assert not alerts_named(out[:-1], "PIN_GUESSING")
    (alert,) = alerts_named(out[-1:], "PIN_GUESSING")
    assert alert.severity.label == "high"
    assert alert.people == ("res",)
    assert "PIN_REQUIRED" in out[-1].reason_codes


def test_quiet_when_the_three_span_eleven_minutes() -> None:
    text = _tries(("11:00", "c-res", "0000"), ("11:05", "c-res", "1111"), ("11:11", "c-res", "2222"))
    _, out = play(text, readers_state())
    assert not alerts_named(out, "PIN_GUESSING")


def test_the_right_pin_clears_the_count() -> None:
    text = _tries(
        ("11:00", "c-res", "0000"), ("11:01", "c-res", "1111"), ("11:02", "c-res", "1234"), ("11:03", "c-res", "2222")
    )
    _, out = play(text, readers_state())
    assert not alerts_named(out, "PIN_GUESSING")


def test_the_duress_pin_is_not_a_wrong_one() -> None:
    text = _tries(("11:00", "c-res", "0000"), ("11:01", "c-res", "9999"), ("11:02", "c-res", "9999"))
    _, out = play(text, readers_state())
    assert not alerts_named(out, "PIN_GUESSING")
    assert len(alerts_named(out, "DURESS")) == 2


def test_wrong_pins_count_per_credential() -> None:
    text = _tries(("11:00", "c-res", "0000"), ("11:01", "c-res", "1111"), ("11:02", "c-g1", "2222"))
    _, out = play(text, readers_state())
    assert not alerts_named(out, "PIN_GUESSING")


def test_each_third_after_is_told_again() -> None:
    tries = [(f"11:0{n}", "c-res", f"00{n}0") for n in range(6)]
    _, out = play(_tries(*tries), readers_state())
    told = [o.event for o in out if any(a.code.value == "PIN_GUESSING" for a in o.alerts)]
    assert told == ["b2", "b5"]
