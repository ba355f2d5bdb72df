"""Head office's read models over PostgreSQL, filled through ``OfficeStore.ingest`` with real
site entries: the sites overview, alerts and links a page at a time, a person across sites."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gatewatch.hq import views
from gatewatch.hq.store import OfficeStore
from gatewatch.sync import wire
from gatewatch.sync.marks import make_key, marks_of
from gatewatch.sync.privacy import withhold
from hq.conftest import ARRIVED, SENT, SiteRecord
from hq.console_support import EAST_PROBLEM, three_sites

Make = Callable[[str], SiteRecord]
NOW = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


def test_the_sites_overview_says_each_sites_head_lag_pending_and_chain(
    office: OfficeStore, site_record: Make, tmp_path: Path
) -> None:
    three_sites(office, tmp_path, site_record)
    found = views.sites(office.engine, NOW)
    assert [s.site for s in found] == ["east", "north", "south"]  # the stopped one first
    east, north, south = found
    assert (north.name, north.entries, north.last_seq, north.last_type) == ("Casa Norte", 4, 4, "check_in")
    assert north.last_at == "2024-06-03T08:04:00+00:00" and north.last_arrived == ARRIVED
    assert north.lag_s == 56 * 60 and north.lag == "56 min"
    assert (north.pending, north.pending_checked) == (7, "2024-06-03T12:31:00+00:00")
    assert (north.stopped, north.status) == (False, "ok")
    assert south.last_at == "2024-06-03T10:03:30+02:00" and south.lag == "56 min 30 s"  # its own offset read
    assert south.pending is None and south.last_type == "identify"
    assert east.stopped and east.status == f"stopped at entry 4: {EAST_PROBLEM}"
    assert (east.entries, east.stopped_seq, east.stopped_at) == (3, 4, "2024-06-03T12:30:00+00:00")


def test_a_site_without_entries_has_no_lag_yet(office: OfficeStore) -> None:
    office.add_site("west", "West")
    [west] = views.sites(office.engine, NOW)
    assert (west.entries, west.last_seq, west.last_type, west.lag_s, west.lag) == (
        0,
        None,
        None,
        None,
        "no entries yet",
    )


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0, "0 s"),
        (59.6, "1 min"),
        (61, "1 min 1 s"),
        (3600, "1 h"),
        (3720, "1 h 2 min"),
        (90000, "1 d 1 h"),
        (-5, "0 s"),
    ],
)
def test_a_span_is_said_in_its_largest_units(seconds: float, said: str) -> None:
    assert views.span(seconds) == said


def test_alerts_come_newest_first_a_bounded_page_at_a_time(office: OfficeStore, site_record: Make) -> None:
    office.add_site("north", "North")
    for n in range(1, 6):
        office.stop_site("north", n, f"problem {n}", None, at=f"2024-06-03T10:0{n}:00+00:00")
        office.resume_site("north", at=f"2024-06-03T10:0{n}:30+00:00")
    first = views.alerts(office.engine, size=4)
    assert [a.code for a in first.rows] == ["SITE_RESUMED", "SITE_STOPPED"] * 2
    assert first.rows[1].message == "site north stopped at entry 5: problem 5" and first.rows[1].seq == 5
    assert first.rows[1].severity == "critical" and first.next_before == first.rows[-1].id
    second = views.alerts(office.engine, before=first.next_before, size=4)
    third = views.alerts(office.engine, before=second.next_before, size=4)
    ids = [a.id for page in (first, second, third) for a in page.rows]
    assert ids == sorted(ids, reverse=True) and len(ids) == 10 and third.next_before is None
    assert views.page_size(10**6) == views.PAGE_MOST and views.page_size(0) == 1 and views.page_size(None) == 50


def test_links_come_newest_first_with_both_parties(office: OfficeStore, site_record: Make, tmp_path: Path) -> None:
    story = three_sites(office, tmp_path, site_record)
    page = views.links(office.engine)
    assert [link.id for link in page.rows] == sorted(story.link_ids, reverse=True) and page.next_before is None
    by_kind = {(link.a.person, link.b.person): link for link in page.rows}
    same_passport = by_kind[("jacson", "mornard")]
    assert same_passport.kind == "document" and same_passport.found == "2024-06-03T12:00:00+00:00"
    assert same_passport.a == views.Party("north", "jacson", "Frank Jacson", 1, "2024-06-03T08:01:00+00:00")
    assert same_passport.b == views.Party("south", "mornard", "Jacques Mornard", 2, "2024-06-03T10:02:30+02:00")
    second = by_kind[("pedro", "mornard")]
    assert (second.a.site, second.a.name, second.b.site, second.b.seq) == ("east", "Pedro Ruiz", "south", 3)
    one = views.links(office.engine, size=1)
    assert len(one.rows) == 1 and one.next_before == one.rows[0].id
    assert views.links(office.engine, before=one.next_before).rows[0].id == min(story.link_ids)


def test_a_person_across_sites_is_one_timeline_ordered_by_time(
    office: OfficeStore, site_record: Make, tmp_path: Path
) -> None:
    three_sites(office, tmp_path, site_record)
    across = views.person_across(office.engine, "north", "jacson")
    assert (across.name, across.more_people, across.more_rows) == ("Frank Jacson", False, False)
    assert [(p.site, p.person, p.name) for p in across.people] == [
        ("north", "jacson", "Frank Jacson"),
        ("south", "mornard", "Jacques Mornard"),
        ("east", "pedro", "Pedro Ruiz"),  # reached through mornard's second passport
    ]
    assert across.people[0].via is None and across.people[2].via is not None
    assert across.people[2].via.kind == "document"
    # Newest first, by the instant: south writes +02:00, so its text sorts wrong but its time does not.
    assert [(row.site, row.seq, row.type) for row in across.rows] == [
        ("south", 3, "identify"),
        ("east", 3, "identify"),
        ("south", 2, "identify"),
        ("north", 2, "arrive"),
        ("north", 1, "identify"),
    ]
    assert [row.asked for row in across.rows] == [False, False, False, True, True]
    assert {(row.site, row.name) for row in across.rows} == {
        ("south", "Jacques Mornard"),
        ("east", "Pedro Ruiz"),
        ("north", "Frank Jacson"),
    }
    arrive = across.rows[3]
    assert arrive.line == "arrived: people jacson · door outer" and arrive.withheld == ()
    assert across.rows[4].line == "identified: name Frank Jacson · document kind passport, country CA, number JX1940817"


def test_from_the_other_side_the_same_people_are_met(office: OfficeStore, site_record: Make, tmp_path: Path) -> None:
    three_sites(office, tmp_path, site_record)
    across = views.person_across(office.engine, "east", "pedro")
    assert [(p.site, p.person) for p in across.people] == [("east", "pedro"), ("south", "mornard"), ("north", "jacson")]
    alone = views.person_across(office.engine, "north", "north-visitor-0")
    assert [(p.site, p.person) for p in alone.people] == [("north", "north-visitor-0")]
    assert [row.seq for row in alone.rows] == [3] and alone.name is None


def test_a_person_page_follows_at_most_its_bound_of_people_and_rows(office: OfficeStore, site_record: Make) -> None:
    office.add_site("north", "North")
    office.add_site("south", "South")
    north, south = site_record("north"), site_record("south")
    north.identify("shared", "Desk Phone Owner", "SHARED1")
    north.record("arrive", None, people=["shared"], door="outer")
    north.record("leave", None, people=["shared", "other"])
    office.ingest(north.shipped(), ARRIVED)
    for n in range(views.LINKED_MOST + 2):
        south.identify(f"s{n}", f"Person {n}", "SHARED1")
    office.ingest(south.shipped(), ARRIVED)
    across = views.person_across(office.engine, "north", "shared", limit=2)
    assert len(across.people) == views.LINKED_MOST and across.more_people
    assert len(across.rows) == 2 and across.more_rows
    met = sorted((int(p.person[1:]) + 1 for p in across.people[1:]), reverse=True)  # s<n> is south's entry n + 1
    assert [(row.site, row.seq) for row in across.rows] == [("south", met[0]), ("south", met[1])]


def test_lists_naming_a_person_are_looked_for_among_the_newest_entries_only(
    office: OfficeStore, site_record: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    office.add_site("north", "North")
    north = site_record("north")
    north.record("arrive", None, people=["vera", "guest"], door="outer")
    north.identify("vera", "Vera Kuznetsova")
    north.record("request", None, door="inner", by="g1", **{"for": ["vera"]})
    north.fill(1)
    office.ingest(north.shipped(), ARRIVED)
    every = views.person_across(office.engine, "north", "vera")
    assert [(row.seq, row.type) for row in every.rows] == [(3, "request"), (2, "identify"), (1, "arrive")]
    monkeypatch.setattr(views, "NAMING_SCAN", 2)  # entries 3 and 4 only
    newest = views.person_across(office.engine, "north", "vera")
    assert [(row.seq, row.type) for row in newest.rows] == [(3, "request"), (2, "identify")]


def test_withheld_fields_are_named_never_shown(office: OfficeStore, site_record: Make) -> None:
    key = bytes.fromhex(make_key())
    office.add_site("north", "North")
    office.add_site("south", "South")
    made: list[wire.Shipped] = []
    for site, person, name in (("north", "jacson", "Frank Jacson"), ("south", "mornard", "Jacques Mornard")):
        record = site_record(site)
        entry = record.record(
            "identify",
            person,
            name=name,
            document={"kind": "passport", "country": "CA", "number": "JX1940817"},
            phone="+52 55 1234 5678",
            birth_date="1904-02-17",
        )
        view = withhold(entry, key)
        assert view is not None
        made.append(wire.ship(entry, site, SENT, marks_of(entry, None, key), view))
    office.ingest(made, ARRIVED)
    across = views.person_across(office.engine, "north", "jacson")
    assert [(p.site, p.person) for p in across.people] == [("north", "jacson"), ("south", "mornard")]
    for row in across.rows:
        assert row.withheld == ("document number", "phone", "birth date")
        assert "k:" not in row.line and "JX1940817" not in row.line and "1234" not in row.line
        assert row.line.endswith(" · withheld: document number, phone, birth date")
        assert "document kind passport, country CA" in row.line
    assert {row.name for row in across.rows} == {"Frank Jacson", "Jacques Mornard"}


def test_describe_says_a_redacted_entry_and_cuts_a_long_line() -> None:
    assert views.describe("identify", None, redacted=True) == (
        "identified: redacted at the site (the chain still proves what it held)",
        (),
    )
    line, withheld = views.describe("observe", {"by": "g1", "indicators": ["x" * 50] * 10, "note": "quiet"})
    assert len(line) <= views.LINE_CHARS and line.endswith("…") and withheld == ()
    assert views.describe("tick", {"id": "t1", "at": "2024-06-03T08:00:00+00:00", "type": "tick"}) == ("tick", ())
    keyed = "k:" + "ab" * 32
    line, withheld = views.describe(
        "watchlist_check", {"screened_by": "g1", "documents": [keyed, keyed], "private": False}
    )
    assert line == "checked against the watchlists: screened by g1 · withheld: documents" and withheld == ("documents",)


def test_a_person_page_refuses_what_cannot_name_a_person(office: OfficeStore) -> None:
    with pytest.raises(views.ViewError, match="a site id is 1–64"):
        views.person_across(office.engine, "no.dots", "p")
    with pytest.raises(views.ViewError, match="person: 1–200 characters"):
        views.person_across(office.engine, "north", "p" * 201)
    with pytest.raises(views.ViewError, match=re.escape("(got 0)")):
        views.check_person("north", "")


def test_lag_is_measured_from_the_newest_entrys_time(office: OfficeStore, site_record: Make) -> None:
    office.add_site("north", "North")
    record = site_record("north")
    record.fill(1)
    office.ingest(record.shipped(), ARRIVED)
    later = datetime(2024, 6, 3, 8, 1, tzinfo=UTC) + timedelta(days=2, hours=3)
    [north] = views.sites(office.engine, later)
    assert north.lag == "2 d 3 h"


def test_a_caught_up_site_is_quiet_not_behind(office: OfficeStore, site_record: Make) -> None:
    office.add_site("north", "North")
    record = site_record("north")
    record.fill(1)  # received 08:01 UTC
    office.ingest(record.shipped(), ARRIVED)
    three_days = datetime(2024, 6, 6, 8, 1, tzinfo=UTC)
    office.record_pending("north", 0, at="2024-06-06T08:00:30+00:00")
    [north] = views.sites(office.engine, three_days)
    assert north.quiet and north.lag == "caught up; last entry 3 d ago"
    office.record_pending("north", 4, at="2024-06-06T08:00:30+00:00")  # something waits: behind
    [north] = views.sites(office.engine, three_days)
    assert not north.quiet and north.lag == "3 d"
    office.record_pending("north", 0, at="2024-06-05T08:00:00+00:00")  # counted a day ago: says nothing now
    [north] = views.sites(office.engine, three_days)
    assert not north.quiet and north.lag == "3 d"
    office.record_pending("north", 0, at="2024-06-06T08:00:30+00:00")
    office.stop_site("north", 2, "entry 2 (north-e2): altered", 2)
    [north] = views.sites(office.engine, three_days)
    assert not north.quiet and north.lag == "3 d"


def test_a_site_whose_clock_is_ahead_is_said_to_be_so(office: OfficeStore, site_record: Make) -> None:
    office.add_site("north", "North")
    record = site_record("north")
    record.fill(1)  # received 08:01 UTC
    office.ingest(record.shipped(), ARRIVED)
    [north] = views.sites(office.engine, datetime(2024, 6, 3, 6, 0, tzinfo=UTC))
    assert north.lag == "newest entry dated 2 h 1 min ahead of head office's clock"
    [north] = views.sites(office.engine, datetime(2024, 6, 3, 8, 0, 30, tzinfo=UTC))  # within a minute: 0 s
    assert north.lag == "0 s"


def test_many_links_between_two_people_do_not_hide_a_third(
    office: OfficeStore, site_record: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "LINKS_PER_STEP", 2)
    for site in ("north", "south", "east"):
        office.add_site(site, site.title())
    north, south, east = site_record("north"), site_record("south"), site_record("east")
    for number in ("P1", "P2", "P3"):  # three passports shared by the same two people: three links
        north.identify("jacson", "Frank Jacson", number)
        south.identify("mornard", "Jacques Mornard", number)
    office.ingest(north.shipped(), ARRIVED)
    office.ingest(south.shipped(), ARRIVED)
    east.identify("pedro", "Pedro Ruiz", "P3")  # links to both; from mornard's side after the three
    office.ingest(east.shipped(), ARRIVED)
    across = views.person_across(office.engine, "north", "jacson")
    assert [(p.site, p.person) for p in across.people] == [
        ("north", "jacson"),
        ("south", "mornard"),
        ("east", "pedro"),
    ]
    assert not across.more_people
    monkeypatch.setattr(views, "LINKS_READ_MOST", 2)  # reading stops at the bound: it says there may be more
    bounded = views.person_across(office.engine, "south", "mornard")
    assert bounded.more_people


def test_a_person_id_with_control_characters_or_direction_marks_is_refused() -> None:
    for person in ("a\x00b", "x\u202ey", "line\nbreak", "\u2066p"):
        with pytest.raises(views.ViewError, match="holds a control character or a direction mark"):
            views.check_person("north", person)
    assert views.visible("Name\u202e<b>\x1b") == "Name\\u202e<b>\\x1b"
