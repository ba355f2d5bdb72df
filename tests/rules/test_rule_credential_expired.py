"""CREDENTIAL_EXPIRED: past its ``until``, or a visitor's one-day credential after its day or after ``leave``."""

from datetime import datetime
from zoneinfo import ZoneInfo

import yaml

from gatewatch.core.engine import run
from gatewatch.core.outcome import Outcome
from gatewatch.core.parse import parse_events
from rules.readers_site import CARDS, readers_site, readers_state
from support import play, start_state

UNTIL_NOON = """
- {id: k1, at: "2024-06-03T08:00", type: credential, person: cook, credential: c-temp, kind: card, by: lead,
   until: "2024-06-03T12:00"}
- {id: m1, at: "09:00", type: move, people: [cook], to: yard}
"""


def test_fires_after_until() -> None:
    text = UNTIL_NOON + '- {id: b1, at: "12:01", type: badge, reader: front-out, credential: c-temp}\n'
    _, out = play(text, readers_state())
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("CREDENTIAL_EXPIRED",)
    assert out[-1].reasons[0].people == ("cook",)


def test_quiet_up_to_until() -> None:
    text = UNTIL_NOON + '- {id: b1, at: "12:00", type: badge, reader: front-out, credential: c-temp}\n'
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"


# Vic, invited for two days, waits in the street at night with two guards on the gate post; the
# gate guard issues her a one-day card in the morning.
VISITOR_CARD = """
- {id: i1, at: "2024-06-03T08:00", type: invite, by: res, person: vic}
- {id: i2, at: "08:00", type: invite, by: res, person: vic, date: 2024-06-04}
- {id: k1, at: "09:00", type: credential, person: vic, credential: c-vic, kind: card, by: g1}
- {id: p1, at: "19:00", type: post, post: gate, on_duty: [g1, g2]}
- {id: a1, at: "23:50", type: arrive, people: [vic], door: outer}
"""


def test_a_one_day_credential_opens_until_the_end_of_its_day() -> None:
    text = VISITOR_CARD + '- {id: b1, at: "23:59", type: badge, reader: outer-out, credential: c-vic}\n'
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant", out[-1].reason_codes


def test_a_one_day_credential_lapses_the_next_day() -> None:
    text = VISITOR_CARD + '- {id: b1, at: "2024-06-04T00:00", type: badge, reader: outer-out, credential: c-vic}\n'
    _, out = play(text, readers_state())
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("CREDENTIAL_EXPIRED",)
    assert "2024-06-03" in out[-1].reasons[0].explanation


def test_a_one_day_credential_lapses_when_its_holder_leaves() -> None:
    text = (
        VISITOR_CARD
        + """
- {id: l1, at: "23:51", type: leave, people: [vic]}
- {id: a2, at: "23:52", type: arrive, people: [vic], door: outer}
- {id: b1, at: "23:53", type: badge, reader: outer-out, credential: c-vic}
"""
    )
    state, out = play(text, readers_state())
    assert out[-1].reason_codes == ("CREDENTIAL_EXPIRED",)
    assert "left" in out[-1].reasons[0].explanation
    assert state.credentials["c-vic"].lapsed


def test_a_residents_credential_has_no_day() -> None:
    text = (
        CARDS
        + """
- {id: m1, at: "09:00", type: move, people: [cook], to: yard}
- {id: b1, at: "2024-06-05T09:00", type: badge, reader: front-out, credential: c-cook}
"""
    )
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"


def test_an_expired_card_still_lets_its_holder_out() -> None:
    text = (
        VISITOR_CARD
        + """
- {id: r1, at: "23:51", type: request, door: outer, by: g1, for: [vic]}
- {id: o1, at: "23:51", type: open, door: outer}
- {id: m1, at: "23:51", type: move, people: [vic], to: lobby}
- {id: c1, at: "23:51", type: close, door: outer}
- {id: b1, at: "2024-06-04T01:00", type: badge, reader: outer-in, credential: c-vic}
"""
    )
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
    assert out[-1].reasons == ()


MEXICO = ZoneInfo("America/Mexico_City")


def _play_in(zone: ZoneInfo, text: str) -> list[Outcome]:
    """Events read in the site's own zone, as drills and the desk read them."""
    on = readers_site(timezone=str(zone))
    events = parse_events(yaml.safe_load(text), on, zone, datetime(2024, 6, 3, tzinfo=zone))
    return [outcome for _, outcome in run(start_state(on), events)]


LOCAL_DAY = """
- {id: i1, at: "2024-06-03T08:00", type: invite, by: res, person: vic}
- {id: k1, at: "08:00", type: credential, person: vic, credential: c-vic, kind: card, by: g1}
- {id: a1, at: "18:00", type: arrive, people: [vic], door: outer}
"""


def test_the_day_is_the_sites_local_day() -> None:
    """At 19:00 in Mexico City it is already the next day in UTC: the card still opens."""
    out = _play_in(MEXICO, LOCAL_DAY + '- {id: b1, at: "19:00", type: badge, reader: outer-out, credential: c-vic}\n')
    assert out[-1].decision == "grant", out[-1].reason_codes


def test_the_local_day_ends_at_local_midnight() -> None:
    text = LOCAL_DAY + '- {id: b1, at: "2024-06-04T00:00", type: badge, reader: outer-out, credential: c-vic}\n'
    out = _play_in(MEXICO, text)
    assert "CREDENTIAL_EXPIRED" in out[-1].reason_codes
