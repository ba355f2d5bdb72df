"""Three sites and a head office: every site's record arrives whole and in order, and a passport
shown at two sites under two names comes back to both as a link their leads see."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import httpx
import pytest

from gatewatch.store.chain import Entry
from multisite.office import Deployment, HeadOffice
from multisite.running import wait_until
from multisite.sites import Site, at

SITES = ("north", "south", "east")
LINK_S = 60.0
CATCH_UP_S = 90.0


@pytest.fixture
def deployment(office: HeadOffice, make_site: Callable[[str], Site]) -> Iterator[Deployment]:
    running = Deployment.start(office, [make_site(site) for site in SITES])
    yield running
    running.stop()


def identify(site: Site, person: str, name: str, number: str) -> dict[str, object]:
    """The identify event of ``person`` at ``site`` showing a Belgian passport, a minute after the last event."""
    moment = site.clock + timedelta(minutes=1)
    document = {"kind": "passport", "country": "BE", "number": number}
    return {
        "id": f"{site.id}-{person}",
        "at": at(moment),
        "type": "identify",
        "person": person,
        "name": name,
        "document": document,
    }


def site_links(site: Site) -> list[Entry]:
    return [entry for entry in site.entries() if entry.type == "site_link"]


@pytest.mark.slow
def test_every_sites_record_arrives_whole_in_order_and_verified(deployment: Deployment) -> None:
    for number, site in enumerate(deployment.sites.values(), start=1):
        site.record(site.next_day(120, seed=number, span=timedelta(hours=6)))
    deployment.wait_caught_up(CATCH_UP_S)
    office = deployment.office
    for name, site in deployment.sites.items():
        held = site.entries()
        assert office.chain(name) == [(entry.seq, entry.hash) for entry in held]
        assert [e.seq for e in held] == list(range(1, len(held) + 1))
        arrivals = office.arrivals(name)
        assert arrivals == sorted(arrivals), f"site {name}: entries arrived at head office out of order"
        row = office.site_row(name)
        assert (row["head_seq"], row["head_hash"]) == (held[-1].seq, held[-1].hash)
        assert row["stopped_seq"] is None and row["stopped_problem"] is None
    code, said = office.verify()
    assert code == 0, said
    for name in SITES:
        assert name in said, said
    assert not [a for a in office.alerts() if a["severity"] == "critical"]


@pytest.mark.slow
def test_a_passport_shown_at_two_sites_under_two_names_is_a_link_at_both(deployment: Deployment) -> None:
    north, south, east = (deployment.sites[name] for name in SITES)
    for number, site in enumerate((north, south, east), start=1):
        site.record(site.next_day(24, seed=number, span=timedelta(hours=2)))
    north.submit(identify(north, "mornard", "Jacques Mornard", "JX 1940817"))
    east.submit(identify(east, "someone", "Someone Else", "JX 1940818"))
    south.submit(identify(south, "jacson", "Frank Jacson", "jx1940817"))

    wait_until(lambda: site_links(north) and site_links(south), LINK_S, "the link at both sites", show=deployment.show)
    deployment.wait_caught_up(CATCH_UP_S)  # the link events themselves reach head office too

    office = deployment.office
    (link,) = office.links()
    assert link["kind"] == "document"
    parties = {(link["a_site"], link["a_person"], link["a_name"]), (link["b_site"], link["b_person"], link["b_name"])}
    assert parties == {("north", "mornard", "Jacques Mornard"), ("south", "jacson", "Frank Jacson")}

    for here, person, other_site, other_person, other_name in (
        (north, "mornard", "south", "jacson", "Frank Jacson"),
        (south, "jacson", "north", "mornard", "Jacques Mornard"),
    ):
        (entry,) = site_links(here)
        assert entry.event_id == f"hq-link-{link['id']}"
        assert entry.payload is not None
        assert entry.payload["person"] == person
        assert entry.payload["kind"] == "document"
        assert entry.payload["link"] == link["id"]
        assert (entry.payload["other_site"], entry.payload["other_person"]) == (other_site, other_person)
        assert entry.payload["other_name"] == other_name
        raised = [alert["code"] for alert in entry.outcome["alerts"]]
        assert raised == ["SITE_LINK"], entry.outcome
    assert site_links(east) == []

    code, said = office.verify()
    assert code == 0, said
    links_page = console_page(office, "/links")
    for name in ("Jacques Mornard", "Frank Jacson", "north", "south"):
        assert name in links_page
    across = console_page(office, "/people/north/mornard")  # the person's visits across sites, one timeline
    for name in ("Jacques Mornard", "Frank Jacson", "south"):
        assert name in across


def console_page(office: HeadOffice, path: str) -> str:
    """A page of head office's console, signed in with the token ``hq init`` made."""
    token = (office.data / "console.token").read_text().strip()
    with httpx.Client(base_url=f"http://127.0.0.1:{office.port}", timeout=10) as client:
        client.get("/sign-in", params={"token": token})
        answer = client.get(path)
    assert answer.status_code == 200, answer.text
    return answer.text
