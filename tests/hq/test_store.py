"""Head office's store on PostgreSQL: many sites' entries in one transaction, links across sites
with a note to each party's site, what is held already skipped, stop and resume."""

from __future__ import annotations

from collections.abc import Callable

import msgspec
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from gatewatch.hq.schema import VERSION_TABLE, hq_alerts, hq_entries, hq_links, hq_marks, hq_outbox, metadata
from gatewatch.hq.store import HEAD_REVISION, MIGRATIONS, KnownSite, OfficeStore, UnknownSite, postgres_only
from gatewatch.store.chain import GENESIS
from gatewatch.store.limits import StoreLimits
from gatewatch.sync import wire
from hq.conftest import ARRIVED, SiteRecord, document_mark

Make = Callable[[str], SiteRecord]


def sites(office: OfficeStore, *names: str) -> None:
    for name in names:
        office.add_site(name, f"Site {name}")


def count(office: OfficeStore, table: object, *where: object) -> int:
    with office.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]


def test_head_office_runs_on_postgresql_only() -> None:
    with pytest.raises(ValueError, match="PostgreSQL only, and 'sqlite' was given"):
        postgres_only("sqlite:///office.db")
    with pytest.raises(ValueError, match="not a database URL"):
        OfficeStore.open("office.db")


def test_a_site_is_added_once_with_its_chain_at_the_genesis(office: OfficeStore) -> None:
    key = "U" + "A" * 55
    row = office.add_site("north", "North gate", key)
    assert (row.site, row.name, row.public_key, row.head_seq, row.head_hash, row.stopped) == (
        "north",
        "North gate",
        key,
        0,
        GENESIS,
        False,
    )
    with pytest.raises(KnownSite, match="north is already known"):
        office.add_site("north", "Again")
    with pytest.raises(ValueError, match="not a NATS user public key"):
        office.add_site("south", "South", "SUAXXX")
    with pytest.raises(wire.WireError, match="cannot cross to head office"):
        office.add_site("no.dots", "Dots")
    assert [site.site for site in office.sites()] == ["north"]
    assert office.heads() == {"north": (0, GENESIS)}


def test_three_sites_entries_in_one_batch(office: OfficeStore, site_record: Make) -> None:
    sites(office, "north", "south", "east")
    records = {name: site_record(name) for name in ("north", "south", "east")}
    for number, record in enumerate(records.values(), start=3):
        record.identify("p1", "Ana Silva")
        record.record("register", {"id": "staff-1", "role": "staff", "name": "Bo Lind"})
        record.fill(number)
    batch = [shipped for record in records.values() for shipped in record.shipped()]
    assert office.ingest(batch, ARRIVED) == []
    heads = office.heads()
    for name, record in records.items():
        last = record.entries()[-1]
        assert heads[name] == (last.seq, last.hash)
        assert [shipped.hash for shipped in office.entries(name)] == [entry.hash for entry in record.entries()]
    north = office.site("north")
    assert (
        north is not None and north.last_arrived == ARRIVED and north.last_at == records["north"].entries()[-1].received
    )
    with office.engine.connect() as connection:
        held = connection.execute(
            select(hq_entries.c.seq, hq_entries.c.person, hq_entries.c.payload, hq_entries.c.arrived)
            .where(hq_entries.c.site == "south")
            .order_by(hq_entries.c.seq)
        ).fetchall()
    assert [row.person for row in held[:3]] == ["p1", "staff-1", "south-visitor-0"]
    assert [row.payload for row in held] == [entry.payload for entry in records["south"].entries()]
    assert {row.arrived for row in held} == {ARRIVED}


def test_an_entry_of_an_unknown_site_refuses_the_batch(office: OfficeStore, site_record: Make) -> None:
    sites(office, "north")
    north, west = site_record("north"), site_record("west")
    north.fill(2)
    west.fill(1)
    with pytest.raises(UnknownSite, match="west"):
        office.ingest([*north.shipped(), *west.shipped()], ARRIVED)
    assert count(office, hq_entries) == 0 and office.heads()["north"] == (0, GENESIS)


def test_entries_held_already_are_skipped_and_the_head_never_goes_back(office: OfficeStore, site_record: Make) -> None:
    sites(office, "north")
    record = site_record("north")
    record.identify("p1", "Ana Silva", "JX1940817")
    record.fill(4)
    shipped = record.shipped()
    office.ingest(shipped, ARRIVED)
    again = [*shipped[:3], shipped[1]]
    assert office.ingest(again, "2024-06-03T11:00:00+00:00") == []
    assert office.heads()["north"] == (5, shipped[-1].hash)
    assert count(office, hq_entries) == 5 and count(office, hq_marks) == 1
    north = office.site("north")
    assert north is not None and north.last_arrived == ARRIVED


def test_the_same_document_at_two_sites_makes_one_link_and_a_note_to_each(
    office: OfficeStore, site_record: Make
) -> None:
    sites(office, "north", "south")
    north, south = site_record("north"), site_record("south")
    north.identify("n7", "Jan Kowalski", "JX1940817")
    north.identify("n7", "Jan Kowalsky")  # the newest name head office holds
    office.ingest(north.shipped(), ARRIVED)
    south.fill(2)
    south.identify("s3", "John Smith", "JX1940817")
    [link] = office.ingest(south.shipped(), "2024-06-03T12:00:00+00:00")

    with office.engine.connect() as connection:
        row = connection.execute(select(hq_links)).one()
        notes = connection.execute(select(hq_outbox).order_by(hq_outbox.c.site)).fetchall()
    assert (row.id, row.kind, row.mark) == (link, "document", "document:FR:JX1940817")
    assert (row.a_site, row.a_person, row.a_seq, row.a_name) == ("north", "n7", 1, "Jan Kowalsky")
    assert (row.b_site, row.b_person, row.b_seq, row.b_name) == ("south", "s3", 3, "John Smith")
    assert row.found == "2024-06-03T12:00:00+00:00"

    assert [(note.site, note.subject, note.msg_id, note.sent) for note in notes] == [
        ("north", office.topology.to_site("north"), f"link-{link}-north", None),
        ("south", office.topology.to_site("south"), f"link-{link}-south", None),
    ]
    to_north, to_south = (wire.decode_link(bytes(note.body)) for note in notes)
    assert to_north.link == to_south.link == link and to_north.kind == "document"
    assert (to_north.here.site, to_north.here.person, to_north.there.site, to_north.there.person) == (
        "north",
        "n7",
        "south",
        "s3",
    )
    assert (to_south.here, to_south.there) == (to_north.there, to_north.here)
    assert to_south.there.name == "Jan Kowalsky" and to_south.there.at == north.entries()[0].at
    assert to_north.there.name == "John Smith" and to_north.there.seq == 3

    pending = office.outbox_pending(10)
    assert [(item.msg_id, item.body) for item in pending] == [(note.msg_id, bytes(note.body)) for note in notes]
    office.outbox_sent([item.id for item in pending])
    assert office.outbox_pending(10) == []


def test_the_same_mark_again_makes_no_second_link(office: OfficeStore, site_record: Make) -> None:
    sites(office, "north", "south")
    north, south = site_record("north"), site_record("south")
    north.identify("n7", "Jan Kowalski", "JX1940817")
    south.identify("s3", "John Smith", "JX1940817")
    assert len(office.ingest([*north.shipped(), *south.shipped()], ARRIVED)) == 1  # both in one batch
    assert office.ingest([*north.shipped(), *south.shipped()], ARRIVED) == []  # the same batch again
    south.identify("s3", "John Smith", "JX1940817")  # each presents it again later
    assert office.ingest(south.shipped(after=1), ARRIVED) == []
    north.identify("n7", "Jan Kowalski", "JX1940817")
    assert office.ingest(north.shipped(after=1), ARRIVED) == []
    assert count(office, hq_links) == 1 and count(office, hq_outbox) == 2
    assert count(office, hq_marks) == 4


def test_a_third_site_links_to_both_and_the_same_site_never_links_to_itself(
    office: OfficeStore, site_record: Make
) -> None:
    sites(office, "north", "south", "east")
    north, south, east = site_record("north"), site_record("south"), site_record("east")
    north.identify("n7", "Jan Kowalski", "JX1940817")
    north.identify("n8", "Jan K.", "JX1940817")  # a second person at the same site: that site's own business
    office.ingest(north.shipped(), ARRIVED)
    assert count(office, hq_links) == 0
    south.identify("s3", None, "JX1940817")  # no name held for s3
    assert len(office.ingest(south.shipped(), ARRIVED)) == 2
    east.identify("e1", "J. Kowalski", "JX1940817")
    assert len(office.ingest(east.shipped(), ARRIVED)) == 3
    with office.engine.connect() as connection:
        pairs = connection.execute(
            select(
                hq_links.c.a_site, hq_links.c.a_person, hq_links.c.b_site, hq_links.c.b_person, hq_links.c.b_name
            ).order_by(hq_links.c.id)
        ).fetchall()
    assert {tuple(pair) for pair in pairs} == {
        ("north", "n7", "south", "s3", None),
        ("north", "n8", "south", "s3", None),
        ("north", "n7", "east", "e1", "J. Kowalski"),
        ("north", "n8", "east", "e1", "J. Kowalski"),
        ("south", "s3", "east", "e1", "J. Kowalski"),
    }
    assert count(office, hq_outbox) == 10


def test_a_keyed_mark_links_like_a_plain_one(office: OfficeStore, site_record: Make) -> None:
    sites(office, "north", "south")
    north, south = site_record("north"), site_record("south")
    hashed = "k:" + "3f" * 32
    for record, person in ((north, "n7"), (south, "s3")):
        entry = record.identify(person, "Someone")
        record.marks[entry.seq] = (wire.Mark(kind="phone", mark=hashed, person=person),)
    office.ingest(north.shipped(), ARRIVED)
    [link] = office.ingest(south.shipped(), ARRIVED)
    with office.engine.connect() as connection:
        assert connection.execute(select(hq_links.c.kind, hq_links.c.mark)).one() == ("phone", hashed)
    assert link >= 1


def test_stop_and_resume(office: OfficeStore) -> None:
    sites(office, "north", "south")
    office.stop_site("north", 4, "entry 4 (north-e4): payload altered", 17, at="2024-06-03T10:05:00+00:00")
    north = office.site("north")
    assert north is not None and north.stopped
    assert (north.stopped_seq, north.stopped_problem, north.stopped_stream_seq) == (
        4,
        "entry 4 (north-e4): payload altered",
        17,
    )
    with office.engine.connect() as connection:
        alert = connection.execute(select(hq_alerts)).one()
    assert (alert.site, alert.severity, alert.seq) == ("north", "critical", 4)
    assert alert.message == "site north stopped at entry 4: entry 4 (north-e4): payload altered"
    assert office.resume_site("north") == 17
    north = office.site("north")
    assert north is not None and not north.stopped and north.stopped_problem is None
    assert office.resume_site("north") is None  # not stopped: nothing to skip
    assert count(office, hq_alerts) == 2
    with pytest.raises(UnknownSite):
        office.stop_site("west", 1, "x", None)
    with pytest.raises(UnknownSite):
        office.resume_site("west")


def test_pending_counts_and_list_versions(office: OfficeStore) -> None:
    sites(office, "north")
    office.record_pending("north", 120, at="2024-06-03T10:00:00+00:00")
    north = office.site("north")
    assert north is not None and (north.pending, north.pending_checked) == (120, "2024-06-03T10:00:00+00:00")
    with pytest.raises(ValueError, match="out of range"):
        office.record_pending("north", -1)
    assert office.next_list_version("sanctions") == 1
    office.add_list_version("sanctions", 1, "ftm", "a" * 64, 1234, "2024-06-03T10:00:00+00:00", "OFAC", 1)
    assert office.next_list_version("sanctions") == 2
    with pytest.raises(ValueError, match="published already"):
        office.add_list_version("sanctions", 1, "ftm", "a" * 64, 1234, "2024-06-03T10:00:00+00:00", "OFAC", 1)


def test_a_mark_of_the_wrong_person_is_kept_as_shipped(office: OfficeStore, site_record: Make) -> None:
    """The store keeps marks as the site made them; the link names the mark's person."""
    sites(office, "north")
    record = site_record("north")
    entry = record.identify("p1", "Ana", "X1")
    record.marks[entry.seq] = (document_mark("X1", "p1"), document_mark("X2", "p1"))
    office.ingest(record.shipped(), ARRIVED)
    with office.engine.connect() as connection:
        marks = connection.execute(select(hq_marks.c.mark).order_by(hq_marks.c.mark)).scalars().all()
    assert marks == ["document:FR:X1", "document:FR:X2"]
    assert msgspec.json.decode(msgspec.json.encode(record.shipped()[0]), type=wire.Shipped) == record.shipped()[0]


def test_the_migrations_make_the_schema_the_code_declares(office: OfficeStore) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION == office.revision()
    with office.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        assert compare_metadata(context, metadata) == []
        tables = set(connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    assert "alembic_version" not in tables and VERSION_TABLE in tables


def test_a_statement_that_runs_too_long_is_ended(office_url: str) -> None:
    bounded = OfficeStore.open(office_url, limits=StoreLimits(statement_s=0.2, answer_s=3.0))
    try:
        with pytest.raises(OperationalError, match="statement timeout"), bounded.engine.connect() as connection:
            connection.execute(text("SELECT pg_sleep(2)"))
        assert bounded.heads() == {}  # the pool goes on with a fresh connection
    finally:
        bounded.close()
