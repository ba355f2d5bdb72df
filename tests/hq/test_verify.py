"""``gatewatch hq verify``'s check: every site's chain walked end to end from PostgreSQL, and the
first entry altered, removed or reordered in head office's database named by site and position."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, text, update

from gatewatch.hq import verify
from gatewatch.hq.schema import hq_entries, hq_sites
from gatewatch.hq.store import OfficeStore, UnknownSite
from gatewatch.hq.verify import SiteVerdict, verify_all, verify_site
from gatewatch.store.chain import GENESIS
from hq.conftest import ARRIVED, SiteRecord

Make = Callable[[str], SiteRecord]


def filled(office: OfficeStore, site_record: Make, *names: str, count: int = 6) -> dict[str, SiteRecord]:
    records: dict[str, SiteRecord] = {}
    for name in names:
        office.add_site(name, f"Site {name}")
        record = records[name] = site_record(name)
        record.identify("p1", "Ana Silva", "JX1940817")
        record.fill(count - 1)
        office.ingest(record.shipped(), ARRIVED)
    return records


def test_every_site_verifies(office: OfficeStore, site_record: Make) -> None:
    records = filled(office, site_record, "north", "south")
    office.add_site("east", "Nothing yet")
    verdicts = verify_all(office)
    assert verdicts == [
        SiteVerdict("east", True, 0, GENESIS),
        SiteVerdict("north", True, 6, records["north"].entries()[-1].hash),
        SiteVerdict("south", True, 6, records["south"].entries()[-1].hash),
    ]
    assert verdicts[1].message == "site north: 6 entries, the chain verifies"


def test_an_entry_altered_in_the_database_is_named_by_site_and_position(office: OfficeStore, site_record: Make) -> None:
    filled(office, site_record, "north", "south")
    with office.engine.begin() as connection:
        connection.execute(
            text(
                """UPDATE hq_entries SET payload = jsonb_set(payload, '{door}', '"inner"') """
                "WHERE site = 'north' AND seq = 3"
            )
        )
    north, south = verify_all(office)
    assert (north.ok, north.seq, north.count) == (False, 3, 2)
    assert north.problem == "entry 3 (north-e3): payload altered"
    assert north.message == "site north: entry 3 (north-e3): payload altered"
    assert south.ok and south.count == 6


def test_an_altered_time_and_a_removed_entry_are_found(office: OfficeStore, site_record: Make) -> None:
    filled(office, site_record, "north", "south")
    with office.engine.begin() as connection:
        connection.execute(
            update(hq_entries).where(hq_entries.c.site == "south", hq_entries.c.seq == 5).values(at="2024-06-04T00:00Z")
        )
        connection.execute(delete(hq_entries).where(hq_entries.c.site == "north", hq_entries.c.seq.in_([2, 3])))
    assert verify_site(office, "south").problem == "entry 5 (south-e5): altered"
    north = verify_site(office, "north")
    assert (north.ok, north.seq, north.problem) == (False, 2, "entries 2–3 are missing (removed)")


def test_the_newest_entries_removed_are_found_against_the_recorded_head(office: OfficeStore, site_record: Make) -> None:
    filled(office, site_record, "north")
    with office.engine.begin() as connection:
        connection.execute(delete(hq_entries).where(hq_entries.c.site == "north", hq_entries.c.seq >= 5))
    north = verify_site(office, "north")
    assert (north.ok, north.count, north.seq, north.problem) == (False, 4, 5, "entries 5–6 are missing (removed)")
    with office.engine.begin() as connection:
        connection.execute(update(hq_sites).where(hq_sites.c.site == "north").values(head_seq=4, head_hash="a" * 64))
    north = verify_site(office, "north")
    assert not north.ok and "head office records its head as entry 4 with another hash" in north.problem


def test_a_withheld_payload_is_not_digest_checked_but_its_entry_still_is(
    office: OfficeStore, site_record: Make
) -> None:
    office.add_site("north", "North")
    record = site_record("north")
    record.identify("p1", "Ana Silva", "JX1940817")
    record.fill(2)
    first, *rest = record.entries()
    view = {**(first.payload or {}), "document": {"kind": "passport", "country": "FR", "number": "k:" + "0a" * 32}}
    office.ingest([record.ship(first, view), *(record.ship(entry) for entry in rest)], ARRIVED)
    assert verify_site(office, "north") == SiteVerdict("north", True, 3, rest[-1].hash, withheld=1)
    with office.engine.begin() as connection:
        connection.execute(
            update(hq_entries).where(hq_entries.c.site == "north", hq_entries.c.seq == 1).values(submitted_by="x")
        )
    assert verify_site(office, "north").problem == "entry 1 (north-e1): altered"


def test_a_redacted_entry_verifies(office: OfficeStore, site_record: Make) -> None:
    office.add_site("north", "North")
    record = site_record("north")
    record.fill(3)
    record.log.redact([2])
    office.ingest(record.shipped(), ARRIVED)
    assert verify_site(office, "north") == SiteVerdict("north", True, 3, record.entries()[-1].hash, redacted=1)
    with office.engine.begin() as connection:
        connection.execute(
            update(hq_entries).where(hq_entries.c.site == "north", hq_entries.c.seq == 3).values(payload=None)
        )
    problem = "entry 3 (north-e3): payload removed (set to null) without a redaction"
    assert verify_site(office, "north").problem == problem


def test_progress_is_reported_and_an_unknown_site_refused(
    office: OfficeStore, site_record: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify, "PROGRESS_EVERY", 2)
    filled(office, site_record, "north", count=5)
    seen: list[tuple[str, int]] = []
    verify_all(office, lambda site, count: seen.append((site, count)))
    assert seen == [("north", 2), ("north", 4), ("north", 5)]
    with pytest.raises(UnknownSite):
        verify_site(office, "west")


def test_payloads_come_back_from_jsonb_as_they_were_hashed(office: OfficeStore, site_record: Make) -> None:
    """Numbers, text in any script and nested lists survive PostgreSQL's JSONB unchanged for the digest."""
    office.add_site("north", "North")
    record = site_record("north")
    record.record("weather", None, temp_c=-12.5, reading=36.6, whole=1.0, big=2**60, text="Zoë Ørsted 王 \u200b")
    record.record("check_in", "p1", items=[["a", 1], {"b": None}], empty={}, note='line\nbreak "quoted" \\')
    office.ingest(record.shipped(), ARRIVED)
    assert [shipped.payload for shipped in office.entries("north")] == [e.payload for e in record.entries()]
    assert verify_site(office, "north").ok
