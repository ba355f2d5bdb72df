"""The Gate page's reckoning, on the test site's state: the door in front of a visitor, the far
side of a door, who is carried from step to step, and a temperature typed in a form."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from gatewatch.web import gate_flow as flow
from gatewatch.web.duty_panel import temperature
from support import start_state


def standing(zone: str | None, person: str = "vic") -> object:
    state = start_state()
    return replace(state, where=state.where.set(person, zone)) if zone else state


def test_off_site_the_door_ahead_is_the_guarded_perimeter_door() -> None:
    assert flow.door_ahead(start_state(), ["vic"]) == "outer"  # not "side", also a perimeter door


def test_in_a_zone_the_door_ahead_leads_inward_and_in_the_innermost_back_out() -> None:
    assert flow.door_ahead(standing("lobby"), ["vic"]) == "inner"
    assert flow.door_ahead(standing("yard"), ["vic"]) == "front"
    assert flow.door_ahead(standing("office"), ["vic"]) == "office-door"


def test_passing_a_door_leads_to_its_far_side() -> None:
    assert flow.far_side(standing("street"), "outer", ["vic"]) == "lobby"
    assert flow.far_side(standing("lobby"), "outer", ["vic"]) == "street"  # the near miss: egress
    assert flow.far_side(start_state(), "nowhere", ["vic"]) is None


def test_the_visitor_is_carried_from_any_step() -> None:
    assert flow.carried({"type": "arrive", "people": ["vera", "ivan"]}) == ["vera", "ivan"]
    assert flow.carried({"type": "request", "for": ["vera"]}) == ["vera"]
    assert flow.carried({"type": "screen", "person": "vera"}) == ["vera"]
    assert flow.carried({"type": "weather", "temp_c": 3}) == [] and flow.carried(None) == []


def test_a_refusal_names_a_lead_as_a_lead() -> None:
    said = flow.refusal(start_state(), "lead", "lead")
    assert said.startswith("Lena Lead asked for it, and the lead who asks") and "a guard" not in said
    assert flow.refusal(start_state(), "g1", "g2").startswith("Gus Guard is not a lead")


@pytest.mark.parametrize(("typed", "degrees"), [("23", 23.0), ("-4.5", -4.5), ("27,5", 27.5), ("30 °C", 30.0)])
def test_a_temperature_is_read_as_typed(typed: str, degrees: float) -> None:
    assert temperature(typed) == degrees


@pytest.mark.parametrize("typed", ["warm", "", "nan", "400"])
def test_a_temperature_that_is_not_one_names_the_field(typed: str) -> None:
    with pytest.raises(ValueError, match="field 'temp_c'"):
        temperature(typed)
