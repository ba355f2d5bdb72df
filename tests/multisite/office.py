"""Head office for the multi-site tests: its commands run as an operator runs them, its tables read back.

``gatewatch hq init``, ``hq site add``, ``hq serve`` (a background process) and ``hq verify`` are
the real commands, on the test's own PostgreSQL database and NATS prefix. What head office holds
is read straight from its tables, so that a test does not take head office's word for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from gatewatch.hq.schema import hq_alerts, hq_entries, hq_links, hq_sites
from gatewatch.sync.wire import Topology
from multisite import jetstream
from multisite.running import Process, free_port, logs_of, must, run, wait_until
from multisite.sites import Site

STARTS_S = 60.0
"""How long head office may take to make its streams and consumers once started."""


@dataclass
class HeadOffice:
    """Head office's data directory, database, NATS server and prefix, and its ``hq serve``."""

    root: Path
    db: str
    nats: str
    topology: Topology
    serving: Process | None = None
    port: int = 0
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def data(self) -> Path:
        return self.root / "office"

    @property
    def seeds(self) -> Path:
        """Where ``hq site add`` writes each site's NKEY seed."""
        return self.root / "seeds"

    @property
    def env(self) -> dict[str, str]:
        return {"GATEWATCH_HQ_DB": self.db, "GATEWATCH_NATS": self.nats}

    def common(self) -> list[str]:
        return ["--data", str(self.data), "--db", self.db]

    def init(self) -> None:
        must(["hq", "init", *self.common()], self.env)

    def add_site(self, site: Site) -> Path:
        """The site registered at head office; the path of the NKEY seed made for it."""
        must(
            ["hq", "site", "add", site.id, "--name", f"Test house {site.id}", "--out", str(self.seeds), *self.common()],
            self.env,
        )
        return self.seeds / f"{site.id}.nk"

    def serve(self) -> Process:
        """``gatewatch hq serve`` on a free port, started (and started again after a kill)."""
        if self.serving is None:
            self.port = free_port()
            command = ["hq", "serve", *self.common(), "--nats", self.nats, "--prefix", self.topology.prefix]
            command += ["--host", "127.0.0.1", "--port", str(self.port)]
            self.serving = Process("hq-serve", command, self.root / "logs", self.env)
        return self.serving.start()

    def verify(self) -> tuple[int, str]:
        """``gatewatch hq verify``: its exit code and what it printed."""
        done = run(["hq", "verify", *self.common()], self.env, timeout=300)
        return done.returncode, done.stdout + done.stderr

    def stop(self) -> None:
        if self.serving is not None:
            self.serving.stop()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # --- what head office holds, read from its tables ---------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.db, pool_size=2)
        return self._engine

    def chain(self, site: str) -> list[tuple[int, str]]:
        """Each of the site's entries head office holds: position and hash, in order."""
        query = select(hq_entries.c.seq, hq_entries.c.hash).where(hq_entries.c.site == site).order_by(hq_entries.c.seq)
        with self.engine.connect() as connection:
            return [(int(seq), str(hash_)) for seq, hash_ in connection.execute(query)]

    def arrivals(self, site: str) -> list[str]:
        """When each of the site's entries arrived at head office, in the entries' order."""
        query = select(hq_entries.c.arrived).where(hq_entries.c.site == site).order_by(hq_entries.c.seq)
        with self.engine.connect() as connection:
            return [str(arrived) for (arrived,) in connection.execute(query)]

    def count(self, site: str) -> int:
        with self.engine.connect() as connection:
            return len(connection.execute(select(hq_entries.c.seq).where(hq_entries.c.site == site)).all())

    def site_row(self, site: str) -> dict[str, Any]:
        with self.engine.connect() as connection:
            row = connection.execute(select(hq_sites).where(hq_sites.c.site == site)).mappings().one()
        return dict(row)

    def links(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(select(hq_links).order_by(hq_links.c.id)).mappings()]

    def alerts(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(select(hq_alerts).order_by(hq_alerts.c.id)).mappings()]


def site_sync(site: Site, office: HeadOffice, seed: Path | None = None) -> Process:
    """The site's ``gatewatch sync`` to head office's NATS and prefix (not started yet)."""
    command = ["sync", "--site", str(site.file), "--data", str(site.data), "--nats", office.nats]
    command += ["--prefix", office.topology.prefix]
    if seed is not None:
        command += ["--nats-seed", str(seed)]
    return Process(f"sync-{site.id}", command, office.root / "logs")


@dataclass
class Deployment:
    """Head office serving, and each site's sync running against it."""

    office: HeadOffice
    sites: dict[str, Site]
    syncs: dict[str, Process]

    @classmethod
    def start(cls, office: HeadOffice, sites: list[Site]) -> Deployment:
        """Each site registered at head office, ``hq serve`` started, then each site's ``gatewatch sync``

        (once head office has made the consumers a site binds to: a site has no right to make them)."""
        seeds = {site.id: office.add_site(site) for site in sites}
        office.serve()
        made = cls(office, {site.id: site for site in sites}, {})
        wait_until(
            lambda: jetstream.consumers_ready(office.nats, office.topology, list(seeds)),
            STARTS_S,
            "head office's streams and the sites' consumers",
            every=0.5,
            show=made.show,
        )
        for site in sites:
            made.syncs[site.id] = site_sync(site, office, seeds[site.id]).start()
        return made

    def processes(self) -> list[Process]:
        return [p for p in (self.office.serving, *self.syncs.values()) if p is not None]

    def show(self) -> str:
        """The end of every process's log (for a failure's message)."""
        return logs_of(self.processes())()

    def caught_up(self, site: str) -> bool:
        """Head office holds exactly the site's record: the same positions, the same hashes.

        A site head office has stopped will not catch up without an operator: that fails at once.
        """
        row = self.office.site_row(site)
        if row["stopped_seq"] is not None:
            problem = f"head office stopped site {site} at entry {row['stopped_seq']}: {row['stopped_problem']}"
            raise AssertionError(f"{problem}\n{self.show()}")
        held = self.sites[site].chain()
        return bool(held) and self.office.chain(site) == held

    def wait_caught_up(self, timeout: float, sites: list[str] | None = None) -> None:
        """Wait (each site at most ``timeout`` s) until head office holds exactly each site's record."""
        for site in sites or list(self.sites):
            wait_until(
                partial(self.caught_up, site), timeout, f"head office to hold site {site}'s record", show=self.show
            )

    def assert_holds_exactly(self, site: Site) -> None:
        """Head office holds the site's entries and no more: the same count, positions 1..N in order,
        the same hashes; the stream holds each entry once; ``hq verify`` finds every chain whole."""
        office = self.office
        held = site.entries()
        count = len(held)
        assert [entry.seq for entry in held] == list(range(1, count + 1))
        assert office.count(site.id) == count
        assert office.chain(site.id) == [(entry.seq, entry.hash) for entry in held]
        row = office.site_row(site.id)
        assert (row["head_seq"], row["head_hash"]) == (count, held[-1].hash)
        assert row["stopped_seq"] is None, row["stopped_problem"]
        assert jetstream.messages_on(office.nats, office.topology, site.id) == count, "an entry was sent twice"
        code, said = office.verify()
        assert code == 0, said
        assert not [alert for alert in office.alerts() if alert["severity"] == "critical"]

    def stop(self) -> None:
        for sync in self.syncs.values():
            sync.stop()
        self.office.stop()
