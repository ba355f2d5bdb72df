"""``gatewatch hq …`` as an operator runs it: init, site add, nats-config, key, verify, resume."""

from __future__ import annotations

import asyncio
import re
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from gatewatch.cli.main import app
from gatewatch.hq.access import public_key, read_seed
from gatewatch.hq.ingest import Ingest, State
from gatewatch.hq.store import OfficeStore
from gatewatch.hq.streams import ensure_streams
from gatewatch.sync import wire
from hq.conftest import ARRIVED, SiteRecord
from hq.nats_support import NATS_SERVER, NATS_URL, delete_streams, eventually, missing, shared_nats

Make = Callable[[str], SiteRecord]
runner = CliRunner()


def hq(*args: str | Path) -> tuple[int, str]:
    done = runner.invoke(app, ["hq", *map(str, args)])
    return done.exit_code, done.output


def test_init_makes_the_schema_the_key_and_the_token_once(tmp_path: Path, office_url: str) -> None:
    data = tmp_path / "office"
    code, said = hq("init", "--data", data, "--db", office_url)
    assert code == 0, said
    seed = data / "office.nk"
    assert stat.S_IMODE(seed.stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "console.token").stat().st_mode) == 0o600
    key = public_key(read_seed(seed))
    assert key in said and "made" in said
    code, again = hq("init", "--data", data, "--db", office_url)
    assert code == 0 and key in again and "kept" in again
    store = OfficeStore.open(office_url)
    try:
        assert store.sites() == []
    finally:
        store.close()


def test_init_refuses_what_is_not_postgresql_or_no_data(tmp_path: Path) -> None:
    code, said = hq("init", "--data", tmp_path / "office", "--db", f"sqlite:///{tmp_path / 'o.db'}")
    assert code == 2 and "PostgreSQL only" in said
    code, said = hq("init", "--db", "postgresql+psycopg://nobody@127.0.0.1/none")
    assert code == 2 and "--data" in said
    code, said = hq("init", "--data", tmp_path / "office")
    assert code == 2 and "--db" in said


def test_a_site_is_added_with_a_seed_of_its_own(tmp_path: Path, office_url: str) -> None:
    seeds = tmp_path / "seeds"
    code, said = hq("site", "add", "north", "--name", "North gate", "--out", seeds, "--db", office_url)
    assert code == 0, said
    seed = seeds / "north.nk"
    assert stat.S_IMODE(seed.stat().st_mode) == 0o600
    key = public_key(read_seed(seed))
    store = OfficeStore.open(office_url)
    try:
        row = store.site("north")
        assert row is not None and (row.name, row.public_key) == ("North gate", key)
    finally:
        store.close()
    before = seed.read_bytes()
    code, said = hq("site", "add", "north", "--name", "Again", "--out", seeds, "--db", office_url)
    assert code == 2 and "never overwritten" in said
    assert seed.read_bytes() == before
    code, said = hq("site", "add", "north", "--name", "Again", "--out", tmp_path / "other", "--db", office_url)
    assert code == 2 and "already known" in said
    assert not (tmp_path / "other" / "north.nk").exists()
    code, said = hq("site", "add", "no.dots", "--name", "Dots", "--out", seeds, "--db", office_url)
    assert code == 2 and "cannot cross to head office" in said
    code, said = hq("site", "list", "--db", office_url)
    assert code == 0 and "north" in said and "taking" in said


def test_the_nats_config_names_head_office_and_every_site(tmp_path: Path, office_url: str) -> None:
    data, seeds = tmp_path / "office", tmp_path / "seeds"
    assert hq("init", "--data", data, "--db", office_url)[0] == 0
    for site in ("north", "south"):
        assert hq("site", "add", site, "--name", f"{site} gate", "--out", seeds, "--db", office_url)[0] == 0
    config = tmp_path / "nats" / "gatewatch.conf"
    code, said = hq(
        "nats-config", "--out", config, "--port", "4333", "--data", data, "--db", office_url, "--prefix", "acme"
    )
    assert code == 0, said
    written = config.read_text()
    assert 'listen: "127.0.0.1:4333"' in written
    assert f'store_dir: "{(data / "jetstream").resolve()}"' in written
    for name in ("office", "north", "south"):
        seed = data / "office.nk" if name == "office" else seeds / f"{name}.nk"
        assert public_key(read_seed(seed)) in written
    assert '"acme.sites.north"' in written and '"_INBOX_south.>"' in written
    if not Path(NATS_SERVER).is_file():
        missing(f"no nats-server at {NATS_SERVER}")
    checked = subprocess.run([NATS_SERVER, "-c", str(config), "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    code, said = hq("nats-config", "--out", config, "--db", office_url)
    assert code == 2 and "no key for head office" in said


def test_the_identity_key_is_made_once(tmp_path: Path) -> None:
    key = tmp_path / "identity.key"
    code, said = hq("key", "--out", key)
    assert code == 0, said
    assert re.fullmatch(r"[0-9a-f]{64}\n", key.read_text())
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_text()
    code, said = hq("key", "--out", key)
    assert code == 2 and "never overwritten" in said
    assert key.read_text() == before


def test_verify_says_ok_then_names_the_altered_entry(office: OfficeStore, office_url: str, site_record: Make) -> None:
    north, south = site_record("north"), site_record("south")
    office.add_site("north", "North gate")
    office.add_site("south", "South gate")
    north.fill(6)
    south.fill(4)
    office.ingest(north.shipped() + south.shipped(), ARRIVED)
    code, said = hq("verify", "--db", office_url)
    assert code == 0, said
    assert "ok" in said and "2 site(s), 10 entries" in said
    with office.engine.begin() as connection:
        connection.execute(
            text("UPDATE hq_entries SET submitted_by = 'someone' WHERE site = 'south' AND seq = 3"),
        )
    code, said = hq("verify", "--db", office_url)
    assert code == 1
    assert "site south" in said and "entry 3" in said and "altered" in said


def test_resume_clears_a_stop_without_an_offending_message(office: OfficeStore, office_url: str) -> None:
    office.add_site("north", "North gate")
    code, said = hq("resume", "north", "--db", office_url)
    assert code == 0 and "not stopped" in said
    office.stop_site("north", 4, "entries 4–6 are missing (never arrived)", None)
    code, said = hq("resume", "north", "--db", office_url)
    assert code == 0 and "resumed after entry 4" in said, said
    row = office.site("north")
    assert row is not None and not row.stopped
    code, said = hq("resume", "nowhere", "--db", office_url)
    assert code == 2 and "not known" in said


@pytest.mark.slow
def test_resume_terminates_the_forged_message_while_head_office_is_down(
    office: OfficeStore, office_url: str, site_record: Make, topology: wire.Topology
) -> None:
    """Stopped by a forged entry; head office stops; `hq resume` terminates the message; head office goes on past it."""
    north = site_record("north")
    office.add_site("north", "North gate")
    north.fill(6)
    shipped = north.shipped()

    async def forge_and_stop() -> int:
        client = await shared_nats()
        js = client.jetstream()
        await ensure_streams(js, topology)
        for entry in shipped[:3]:
            await js.publish(topology.site_subject("north"), wire.encode(entry), headers={wire.MSG_ID: entry.hash})
        forged = wire.encode(shipped[3]).replace(b'"submitted_by":"g1"', b'"submitted_by":"g2"')
        ack = await js.publish(topology.site_subject("north"), forged, headers={wire.MSG_ID: "forged"})
        for entry in shipped[3:]:
            await js.publish(topology.site_subject("north"), wire.encode(entry), headers={wire.MSG_ID: entry.hash})
        async with Ingest(office, js, topology, sites_every_s=0.2) as ingest:
            await eventually(lambda: ingest.state("north") is State.STOPPED)
        await client.close()
        return int(ack.seq)

    async def go_on() -> None:
        client = await shared_nats()
        async with Ingest(office, client.jetstream(), topology, sites_every_s=0.2):
            await eventually(lambda: office.heads()["north"][0] == 6)
        await client.close()

    try:
        forged_seq = asyncio.run(forge_and_stop())
        row = office.site("north")
        assert row is not None and (row.stopped_seq, row.stopped_stream_seq) == (4, forged_seq)
        code, said = hq("resume", "north", "--db", office_url, "--nats", NATS_URL, "--prefix", topology.prefix)
        assert code == 0, said
        assert f"message {forged_seq} of the sites' stream (entry 4) is terminated" in said
        asyncio.run(go_on())
    finally:
        asyncio.run(delete_streams(NATS_URL, topology))
    assert [seq for seq, _hash in office.heads().values()] == [6]
