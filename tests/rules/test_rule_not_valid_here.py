"""NOT_VALID_HERE: a credential limited to some zones opens no door into another."""

from rules.readers_site import readers_state
from support import play


def _limited(zones: str, reader: str = "front-out") -> str:
    return f"""
- {{id: k1, at: "2024-06-03T08:00", type: credential, person: aide, credential: c-aide, kind: card, by: lead,
   zones: {zones}}}
- {{id: m1, at: "09:00", type: move, people: [aide], to: yard}}
- {{id: b1, at: "09:01", type: badge, reader: {reader}, credential: c-aide}}
"""


def test_fires_at_a_door_into_another_zone() -> None:
    _, out = play(_limited("[yard, lobby]"), readers_state())
    assert out[-1].decision == "deny"
    assert out[-1].reason_codes == ("NOT_VALID_HERE",)
    assert out[-1].reasons[0].people == ("aide",)


def test_quiet_at_a_door_into_one_of_its_zones() -> None:
    _, out = play(_limited("[house]"), readers_state())
    assert out[-1].decision == "grant"


def test_quiet_for_a_credential_without_zones() -> None:
    _, out = play(_limited("[]"), readers_state())
    assert out[-1].decision == "grant"


def test_going_out_is_free_wherever_it_leads() -> None:
    """At an inside reader the far zone is the lower one; going out is granted anyway."""
    text = _limited("[office]").replace("to: yard", "to: house").replace("front-out", "front-in")
    _, out = play(text, readers_state())
    assert out[-1].decision == "grant"
