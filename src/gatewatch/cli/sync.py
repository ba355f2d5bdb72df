"""``gatewatch sync``: stream the site's record to head office and take what head office sends back.

The same work ``gatewatch serve --head-office`` does in the background, for a site whose server
runs without it (or a record synced from elsewhere): the entries after the cursor are published
in order, head office's links are recorded as ``site_link`` events and its watchlist versions
imported. One sync per record: a second one (or a server syncing the same data directory) is
refused, naming the lock file.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from gatewatch.cli.log import Db

if TYPE_CHECKING:
    from gatewatch.bootstrap import Services
    from gatewatch.sync.nats_link import HeadOfficeLink


def _fail(message: str, code: int = 2) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error[/] {message}")
    return typer.Exit(code)


def sync_command(
    site: Annotated[Path, typer.Option("--site", help="The site file (YAML).")],
    data: Annotated[
        Path, typer.Option("--data", help="Data directory (the record, and the sync's lock file beside it).")
    ],
    nats_url: Annotated[
        str,
        typer.Option(
            "--nats", envvar="GATEWATCH_HEAD_OFFICE", help="Head office's NATS server(s): nats://host:4222[,nats://…]."
        ),
    ],
    db: Db = None,
    nats_seed: Annotated[
        Path | None,
        typer.Option(
            "--nats-seed",
            envvar="GATEWATCH_HEAD_OFFICE_SEED",
            help="The site's NKEY seed file (SITE.nk, from 'gatewatch hq site add').",
        ),
    ] = None,
    identity_key: Annotated[
        Path | None,
        typer.Option(
            "--identity-key",
            envvar="GATEWATCH_IDENTITY_KEY",
            help="The identity key the sites share ('gatewatch hq key'; head office never holds it): "
            "identifiers are compared as keyed hashes.",
        ),
    ] = None,
    private: Annotated[
        bool,
        typer.Option("--private", help="Identity fields leave the site only as keyed hashes (needs --identity-key)."),
    ] = False,
    prefix: Annotated[
        str, typer.Option("--prefix", envvar="GATEWATCH_HQ_PREFIX", help="The deployment's prefix of NATS names.")
    ] = "gatewatch",
    once: Annotated[
        bool,
        typer.Option("--once", help="Ship what is pending and take what waits in the inbox, then exit."),
    ] = False,
) -> None:
    """Stream the record to head office and take its links and watchlists, until stopped (Ctrl-C).

    Exit status 1 when --once could not ship everything (the cursor says how far it got) or NATS
    refused to let it take its inbox; 2 for bad options, or a record another sync holds.
    """
    from gatewatch.bootstrap import build
    from gatewatch.files.loader import FileError
    from gatewatch.store.log import database_url
    from gatewatch.sync.lock import SyncLock, SyncLocked
    from gatewatch.sync.marks import load_key
    from gatewatch.sync.nats_link import LinkError, head_office_link
    from gatewatch.sync.wire import WireError, check_site_id

    try:
        link = head_office_link(
            nats_url, data, seed=nats_seed, identity_key=identity_key, private=private, prefix=prefix
        )
        key = load_key(identity_key) if identity_key is not None else None
    except (LinkError, ValueError, OSError) as error:
        raise _fail(str(error)) from None
    lock = SyncLock(data)
    try:
        lock.acquire()
    except (SyncLocked, OSError) as error:
        raise _fail(str(error)) from None
    try:
        try:
            services = build(site, database_url(data, db), cache=data)
        except (FileError, ValueError) as error:
            raise _fail(str(error)) from None
        try:
            check_site_id(services.site.id)
            _log_to(Console(stderr=True))
            if once:
                asyncio.run(_once(services, link, key))
            else:
                _until_stopped(services, link)
        except WireError as error:
            raise _fail(f"site file {site}: {error}") from None
        finally:
            services.close()
    finally:
        lock.release()


def _log_to(console: Console) -> None:
    """The sync's own log lines (what was recorded, imported; problems with the link) on standard error."""
    from rich.logging import RichHandler

    logger = logging.getLogger("gatewatch")
    if not any(isinstance(handler, RichHandler) for handler in logger.handlers):
        logger.addHandler(RichHandler(console=console, show_path=False, markup=False))
    logger.setLevel(logging.INFO)


async def _once(services: Services, link: HeadOfficeLink, key: bytes | None) -> None:
    """Connect (a few attempts), ship what is pending, take what waits; print what was done."""
    import nats.errors

    from gatewatch.sync import nats_link
    from gatewatch.sync.inbox import InboxError
    from gatewatch.sync.publisher import ShipError
    from gatewatch.workers.head_office import site_inbox, site_publisher

    site = services.site
    console = Console(soft_wrap=True)
    try:
        client = await nats_link.connect(link, site.id, patient=False)
    except Exception as error:  # nats-py raises its own errors, OSError and timeouts alike
        refused = isinstance(error, nats.errors.NoServersError | nats.errors.AuthorizationError)
        hint = _refused_hint(link, site.id) if refused else ""  # a refused key ends as "no server answers"
        raise _fail(f"head office at {', '.join(link.servers)}: {nats_link.describe_error(error)}{hint}", 1) from None
    try:
        publisher = site_publisher(client, services, link, key)
        try:
            sent = await publisher.run_once()
        except Exception as error:
            seq, _ = await publisher.shipped()
            problem = str(error) if isinstance(error, ShipError) else nats_link.describe_error(error)
            silent = "did not acknowledge" in problem or "did not answer" in problem  # a withheld right looks so
            hint = _refused_hint(link, site.id) if silent else ""
            raise _fail(f"{problem}; head office has the record up to entry {seq}{hint}", 1) from None
        seq, head = await publisher.shipped()
        console.print(
            f"[bold green]shipped[/] {sent} entries; head office has the record up to entry {seq} ({head[:16]}…)"
        )
        inbox = site_inbox(client.jetstream(), services, link)
        try:
            taken = await inbox.take_once()
        except InboxError as error:
            Console(stderr=True, soft_wrap=True).print(f"[bold yellow]warning[/] inbox not taken: {error}")
            return
        except Exception as error:  # nats-py's own errors and timeouts: a right the server withholds, above all
            problem = nats_link.describe_error(error)
            raise _fail(f"inbox not taken: {problem}{_refused_hint(link, site.id)}", 1) from None
        console.print(f"took {taken.links} links and {taken.lists} watchlist versions from head office")
    finally:
        await nats_link.close(client)


def _refused_hint(link: HeadOfficeLink, site: str) -> str:
    """What to check when NATS refuses the site or withholds a right (its log lines above say which)."""
    return (
        f" (if the lines above say 'Authorization Violation' or 'permissions violation': --nats-seed must be"
        f" the seed 'gatewatch hq site add {site}' made, {site} the site: id of the site file, --prefix"
        f" head office's ({link.topology.prefix} here), and the NATS server's config written again and"
        " reloaded after the site was added)"
    )


def _until_stopped(services: Services, link: HeadOfficeLink) -> None:
    """Sync until Ctrl-C or SIGTERM, then stop cleanly (what was acknowledged is kept in the cursor)."""
    from gatewatch.workers.head_office import keep_syncing

    console = Console(stderr=True, soft_wrap=True)
    console.print(
        f"gatewatch: syncing site [bold]{services.site.id}[/] with head office at {link.describe()}; Ctrl-C stops"
    )

    async def main() -> None:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        if task is not None:
            loop.add_signal_handler(signal.SIGTERM, task.cancel)
        try:
            await keep_syncing(services, link)
        finally:
            loop.remove_signal_handler(signal.SIGTERM)

    try:
        asyncio.run(main())
    except (KeyboardInterrupt, asyncio.CancelledError):
        console.print("gatewatch: sync stopped")
    except Exception as error:  # the sync cannot go on (a key that cannot be read, a store that is gone)
        raise _fail(f"the sync stopped: {error}", 1) from None
