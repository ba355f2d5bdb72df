"""GET /v1/people?q=: search by any name, accents, script and spelling aside."""

from __future__ import annotations

from api.conftest import Api


def _identify(api: Api, event_id: str, person: str, name: str) -> None:
    answer = api.submit("ada", {"id": event_id, "type": "identify", "person": person, "name": name})
    assert answer.status_code == 200, answer.text


def _found(api: Api, q: str) -> list[str]:
    answer = api.get("gus", "/v1/people", q=q)
    assert answer.status_code == 200, answer.text
    return [p["id"] for p in answer.json()]


def test_accents_are_folded_both_ways(api: Api) -> None:
    _identify(api, "i1", "otto", "Otto Schüssler")
    _identify(api, "i2", "hans", "Hans Schussler")
    assert sorted(_found(api, "Schussler")) == ["hans", "otto"]
    assert sorted(_found(api, "schüssler")) == ["hans", "otto"]
    assert _found(api, "otto schussler") == ["otto"]


def test_a_cyrillic_name_is_found_by_its_latin_spelling(api: Api) -> None:
    _identify(api, "i1", "lev", "Лев Троцкий")
    assert _found(api, "Trotsky") == ["lev"]
    assert _found(api, "trockij") == ["lev"]
    assert _found(api, "Троцкий") == ["lev"]


def test_a_spelling_comes_after_the_letters(api: Api) -> None:
    _identify(api, "i1", "frank", "Frank Jacson")
    _identify(api, "i2", "andrew", "Andrew Jackson")
    assert _found(api, "jacson") == ["frank", "andrew"]
    assert _found(api, "jackson") == ["andrew", "frank"]
    assert _found(api, "mornard") == []
