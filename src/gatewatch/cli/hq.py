"""``gatewatch hq …``: head office, where the records of many sites meet.

``init`` (schema, head office's NATS key, console token), ``site add`` (a site's key and its
registration), ``nats-config`` (the NATS server's config), ``serve`` (ingest, outbox and
console), ``verify`` (every site's chain end to end), ``resume`` (a stopped site taken up again),
``watchlist publish`` (a list's next version to every site), ``key`` (the identity key the
sites share, kept from head office).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from nats.aio.client import Client
    from rich.progress import Progress, TaskID

    from gatewatch.hq.store import OfficeStore, SiteRow
    from gatewatch.hq.verify import SiteVerdict
    from gatewatch.sync.wire import Topology

app = typer.Typer(
    help="Head office: take every site's record over NATS into PostgreSQL, verified; link across sites.",
    no_args_is_help=True,
)
site_app = typer.Typer(help="The sites head office knows.", no_args_is_help=True)
watchlist_app = typer.Typer(help="Watchlists head office sends to every site.", no_args_is_help=True)
app.add_typer(site_app, name="site")
app.add_typer(watchlist_app, name="watchlist")

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)
T = TypeVar("T")

OFFICE_SEED = "office.nk"
"""Head office's NKEY seed file in its data directory."""
NATS_DEFAULT = "nats://127.0.0.1:4222"
PROGRESS_FROM = 20_000
"""Entries to verify from which a progress bar is shown."""
CONNECT_S = 5.0

Data = Annotated[
    Path | None,
    typer.Option("--data", help="Head office's data directory (its NATS key office.nk, the console token)."),
]
Db = Annotated[
    str | None,
    typer.Option("--db", envvar="GATEWATCH_HQ_DB", help="Head office's PostgreSQL URL (postgresql+psycopg://…)."),
]
NatsUrl = Annotated[
    str, typer.Option("--nats", envvar="GATEWATCH_NATS", help="The NATS server (nats:// or tls:// URL).")
]
NatsSeed = Annotated[
    Path | None,
    typer.Option(
        "--nats-seed",
        envvar="GATEWATCH_NATS_SEED",
        help="Head office's NKEY seed file (default DATA/office.nk where it exists; none: connect without a key).",
    ),
]
Prefix = Annotated[
    str, typer.Option("--prefix", help="The deployment's NATS names: subjects P.sites.*, streams P_SITES, P_TO.")
]


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error[/] {escape(message)}")
    return typer.Exit(code)


def _topology(prefix: str) -> Topology:
    from gatewatch.sync.wire import Topology, WireError

    try:
        return Topology(prefix)
    except WireError as error:
        raise _fail(f"--prefix: {error}") from None


def _open(db: str | None, prefix: str = "gatewatch") -> OfficeStore:
    """Head office's store (its schema brought up to date), or a clear error (exit 2)."""
    from gatewatch.hq.store import OfficeStore

    if not db:
        raise _fail(
            "give head office's PostgreSQL database: --db postgresql+psycopg://user@host/db (or GATEWATCH_HQ_DB)"
        )
    topology = _topology(prefix)
    try:
        return OfficeStore.open(db, topology)
    except ValueError as error:
        raise _fail(str(error)) from None
    except Exception as error:  # the server refused or did not answer
        reason = (str(error).strip().splitlines() or [error.__class__.__name__])[0]
        raise _fail(f"cannot open head office's database: {reason[:300]}") from None


def _sites(db: str | None, prefix: str) -> list[SiteRow]:
    """The sites head office knows, read on a store opened (and closed) for it."""
    store = _open(db, prefix)
    try:
        return store.sites()
    finally:
        store.close()


def _data(data: Path | None, command: str) -> Path:
    if data is None:
        raise _fail(f"hq {command}: give head office's data directory with --data DIR")
    return data


def _office_seed(data: Path | None, given: Path | None) -> Path | None:
    """The seed head office connects with: the one given (it must be there), else DATA/office.nk if there, else none."""
    from gatewatch.hq.access import AccessError, read_seed

    chosen = given if given is not None else (data / OFFICE_SEED if data is not None else None)
    if chosen is None or (given is None and not chosen.exists()):
        return None
    try:
        read_seed(chosen)
    except AccessError as error:
        raise _fail(f"--nats-seed: {error}") from None
    return chosen


async def _quiet(_error: Exception) -> None:
    """A failed attempt to connect: the error that ends the attempts is reported, not each one."""


async def _connected(url: str, seed: Path | None, work: Callable[[Client], Awaitable[T]]) -> T:
    import nats
    import nats.errors
    import nats.js.errors

    try:
        client = await nats.connect(
            url,
            nkeys_seed=str(seed) if seed is not None else None,
            connect_timeout=CONNECT_S,
            allow_reconnect=False,
            max_reconnect_attempts=1,  # nats-py tries for ever at connect with 0
            reconnect_time_wait=0.5,
            error_cb=_quiet,
        )
    except Exception as error:
        raise _fail(f"cannot connect to NATS at {url}: {error}") from None
    try:
        return await work(client)
    except nats.js.errors.NotFoundError as error:
        raise _fail(
            f"NATS at {url}: {error.description or 'not found'}: is --nats the server 'gatewatch hq serve' uses, "
            "and --prefix its prefix?",
            1,
        ) from None
    except nats.errors.Error as error:
        raise _fail(f"NATS at {url}: {error.__class__.__name__}: {error}", 1) from None
    finally:
        await client.close()


# --- init and sites -----------------------------------------------------------------------


@app.command()
def init(data: Data = None, db: Db = None, prefix: Prefix = "gatewatch") -> None:
    """Make head office's tables, its NATS key (DATA/office.nk, 0600) and the console's sign-in token.

    Run again, it changes nothing that is there: the schema is brought up to date, an existing key
    and token are kept.
    """
    from gatewatch.hq.access import AccessError, new_user_seed, public_key, read_seed, write_seed
    from gatewatch.hq.console import TOKEN_FILE, TokenFileError, ensure_token

    folder = _data(data, "init")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise _fail(f"--data {folder}: cannot make it ({error.strerror or error})") from None
    store = _open(db, prefix)
    store.close()
    seed_file = folder / OFFICE_SEED
    try:
        if seed_file.exists():
            key, made = public_key(read_seed(seed_file)), "kept"
        else:
            key, made = write_seed(seed_file, new_user_seed()), "made"
        ensure_token(folder / TOKEN_FILE)
    except (AccessError, TokenFileError) as error:
        raise _fail(str(error)) from None
    out.print(f"head office's tables are ready; its NATS key {key} ({made}: {seed_file})")
    out.print(f"console sign-in token: {folder / TOKEN_FILE}")
    out.print("next: gatewatch hq site add SITE --name NAME --out DIR, then gatewatch hq nats-config --out FILE")


@site_app.command("add")
def site_add(
    site: Annotated[str, typer.Argument(help="The site's id: 1–64 letters, digits, _ or - (it names its subjects).")],
    name: Annotated[str, typer.Option("--name", help="The site's name as head office shows it.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the site's NKEY seed file SITE.nk (0600).")],
    data: Data = None,
    db: Db = None,
    prefix: Prefix = "gatewatch",
) -> None:
    """Register a site with a key pair of its own: its seed file for the site, its public key for the server."""
    from gatewatch.hq.access import AccessError, new_user_seed, write_seed
    from gatewatch.hq.store import KnownSite
    from gatewatch.sync.wire import WireError, check_site_id

    try:
        check_site_id(site)
    except WireError as error:
        raise _fail(str(error)) from None
    if not name.strip() or len(name) > 200:
        raise _fail("--name: give the site a name of 1–200 characters")
    seed_file = out_dir / f"{site}.nk"
    if seed_file.exists():
        raise _fail(f"{seed_file} already exists: a seed file is never overwritten (move it away first)")
    store = _open(db, prefix)
    try:
        if store.site(site) is not None:
            raise _fail(f"site {site} is already known to head office")
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = write_seed(seed_file, new_user_seed())
        try:
            store.add_site(site, name.strip(), key)
        except (KnownSite, ValueError) as error:
            seed_file.unlink(missing_ok=True)  # the key of a site not registered would mislead
            raise _fail(str(error)) from None
    except (AccessError, OSError) as error:
        raise _fail(f"{seed_file}: {error}") from None
    finally:
        store.close()
    out.print(f"site [bold]{escape(site)}[/] ({escape(name.strip())}) registered with NATS key {key}")
    out.print(f"its seed: {seed_file} (0600): carry it to the site, readable only by gatewatch's user there")
    out.print("write the NATS server's config again (gatewatch hq nats-config) and reload the server")


@site_app.command("list")
def site_list(data: Data = None, db: Db = None, prefix: Prefix = "gatewatch") -> None:
    """The sites head office knows: key, entries held, newest entry, whether ingest is stopped."""
    rows = _sites(db, prefix)
    table = Table("site", "name", "key", "entries", "last entry", "ingest")
    for row in rows:
        status = f"[red]stopped at entry {row.stopped_seq}[/]" if row.stopped else "[green]taking[/]"
        key = f"{row.public_key[:12]}…" if row.public_key else "none"
        table.add_row(row.site, escape(row.name), key, str(row.head_seq), row.last_at or "–", status)
    out.print(table)


@app.command("nats-config")
def nats_config(
    out_file: Annotated[Path, typer.Option("--out", help="The config file to write (replaced if there).")],
    port: Annotated[int, typer.Option("--port", help="The port NATS listens on.", min=1, max=65535)] = 4222,
    host: Annotated[str, typer.Option("--host", help="The address NATS listens on.")] = "127.0.0.1",
    store_dir: Annotated[
        Path | None, typer.Option("--store-dir", help="JetStream's store directory (default DATA/jetstream).")
    ] = None,
    data: Data = None,
    db: Db = None,
    nats_seed: NatsSeed = None,
    prefix: Prefix = "gatewatch",
) -> None:
    """Write the NATS server's whole config: JetStream, head office's user, one user per site (its own subjects)."""
    from gatewatch.hq.access import AccessError, public_key, read_seed, server_config

    seed = _office_seed(data, nats_seed)
    if seed is None:
        raise _fail("no key for head office: give --data (with office.nk, made by hq init) or --nats-seed FILE")
    if store_dir is None and data is None:
        raise _fail("give --store-dir DIR (or --data: JetStream then keeps its store in DATA/jetstream)")
    where = store_dir if store_dir is not None else _data(data, "nats-config") / "jetstream"
    topology = _topology(prefix)
    rows = _sites(db, prefix)
    keyed = [(row.site, row.public_key) for row in rows if row.public_key]
    for row in rows:
        if not row.public_key:
            err.print(f"[yellow]warning[/] site {escape(row.site)} has no NATS key: it is left out")
    try:
        text = server_config(topology, keyed, public_key(read_seed(seed)), port, where.resolve(), host)
    except AccessError as error:
        raise _fail(str(error)) from None
    _write_replacing(out_file, text)
    out.print(f"wrote {out_file}: head office and {len(keyed)} site(s), listening on {host}:{port}, store {where}")
    out.print(f"check it with: nats-server -c {out_file} -t")


def _write_replacing(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file beside it, then renamed)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _fail(f"--out {path}: cannot write it ({error.strerror or error})") from None


# --- serving ------------------------------------------------------------------------------


@app.command()
def serve(
    data: Data = None,
    db: Db = None,
    nats_url: NatsUrl = NATS_DEFAULT,
    nats_seed: NatsSeed = None,
    prefix: Prefix = "gatewatch",
    host: Annotated[str, typer.Option("--host", help="Address the console listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port the console listens on.", min=1, max=65535)] = 8100,
) -> None:
    """Take every site's entries into PostgreSQL (each chain checked), send links to the sites, serve the console."""
    import uvicorn

    from gatewatch.hq.console import TOKEN_FILE, TokenFileError, sign_in_url
    from gatewatch.hq.server import OfficeSettings, create_office_app

    folder = _data(data, "serve")
    seed = _office_seed(folder, nats_seed)
    topology = _topology(prefix)
    store = _open(db, prefix)
    settings = OfficeSettings(nats_url, topology, folder / TOKEN_FILE, seed)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        application = create_office_app(store, settings)
        url = sign_in_url(f"http://{host}:{port}", settings.token_file)
    except (TokenFileError, OSError) as error:
        store.close()
        raise _fail(str(error)) from None
    sites = len(store.sites())
    err.print(
        f"gatewatch head office: {sites} site(s), NATS {nats_url} (prefix {topology.prefix}), "
        "connected in the background (tried again until it answers)"
    )
    err.print(f"console: sign in at {url}")
    uvicorn.run(application, host=host, port=port, log_level="warning")


# --- verify and resume --------------------------------------------------------------------


@app.command()
def verify(data: Data = None, db: Db = None, prefix: Prefix = "gatewatch") -> None:
    """Walk every site's chain as head office holds it, end to end; exit 1 if one is broken."""
    from rich.progress import Progress

    from gatewatch.hq.verify import verify_site

    store = _open(db, prefix)
    try:
        rows = store.sites()
        verdicts: list[SiteVerdict] = []
        with Progress(console=err, transient=True, disable=sum(row.head_seq for row in rows) < PROGRESS_FROM) as bar:
            for row in rows:
                task = bar.add_task(f"site {row.site}", total=max(row.head_seq, 1))
                verdicts.append(verify_site(store, row.site, partial(_advance, bar, task)))
                bar.update(task, completed=max(row.head_seq, 1))
    finally:
        store.close()
    table = Table("site", "name", "entries", "head", "chain", "ingest", title="head office's record, verified")
    for row, verdict in zip(rows, verdicts, strict=True):
        chain = "[green]ok[/]" if verdict.ok else f"[bold red]broken[/]: {escape(verdict.problem)}"
        ingest = f"[red]stopped at entry {row.stopped_seq}[/]" if row.stopped else "taking"
        table.add_row(row.site, escape(row.name), str(verdict.count), verdict.head[:16], chain, ingest)
    out.print(table)
    broken = [verdict for verdict in verdicts if not verdict.ok]
    if broken:
        for verdict in broken:
            err.print(f"[bold red]broken[/] {escape(verdict.message)}")
        raise typer.Exit(1)
    out.print(
        f"[bold green]ok[/] {len(verdicts)} site(s), {sum(v.count for v in verdicts)} entries, every chain verifies"
    )
    for row in rows:
        if row.stopped:
            err.print(
                f"[yellow]note[/] site {escape(row.site)}'s ingest is stopped at entry {row.stopped_seq}: nothing "
                f"past it is taken until 'gatewatch hq resume {escape(row.site)}' (the console's alerts say why)"
            )


def _advance(bar: Progress, task: TaskID, count: int) -> None:
    bar.update(task, completed=count)


@app.command()
def resume(
    site: Annotated[str, typer.Argument(help="The stopped site.")],
    data: Data = None,
    db: Db = None,
    nats_url: NatsUrl = NATS_DEFAULT,
    nats_seed: NatsSeed = None,
    prefix: Prefix = "gatewatch",
) -> None:
    """Take a stopped site up again past the message its stop named (terminated: never delivered again).

    ``hq serve`` takes the site up within seconds. Resume once the cause is known: the stop's
    alert names the entry and what was wrong with it.
    """
    from gatewatch.hq.ingest import terminate_message

    topology = _topology(prefix)
    store = _open(db, prefix)
    try:
        row = store.site(site)
        if row is None:
            raise _fail(f"site {site} is not known to head office")
        if not row.stopped:
            out.print(f"site {escape(site)} is not stopped: nothing to resume")
            return
        if row.stopped_stream_seq is not None:
            stream_seq = row.stopped_stream_seq

            async def skip(client: Client) -> bool:
                return await terminate_message(client.jetstream(), topology, site, stream_seq)

            if asyncio.run(_connected(nats_url, _office_seed(data, nats_seed), skip)):
                out.print(f"message {stream_seq} of the sites' stream (entry {row.stopped_seq}) is terminated")
            else:
                err.print(
                    f"[yellow]warning[/] message {stream_seq} did not come back within seconds (a running "
                    "hq serve still holds it): hq serve skips it when it takes the site up"
                )
        store.resume_site(site)
    finally:
        store.close()
    out.print(f"site [bold]{escape(site)}[/] resumed after entry {row.stopped_seq}: hq serve takes it up again")


# --- watchlists and the identity key -----------------------------------------------------


@watchlist_app.command("publish")
def watchlist_publish(
    file: Annotated[Path, typer.Argument(help="FollowTheMoney JSON lines (.json, .jsonl, .ftm) or CSV (.csv).")],
    list_name: Annotated[str, typer.Option("--list", help="The list's name at every site.")],
    kind: Annotated[str | None, typer.Option("--format", help="ftm or csv (default: by the file's extension).")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Where the list came from (default: file name).")
    ] = None,
    data: Data = None,
    db: Db = None,
    nats_url: NatsUrl = NATS_DEFAULT,
    nats_seed: NatsSeed = None,
    prefix: Prefix = "gatewatch",
) -> None:
    """Publish a watchlist file to every site as the list's next version (each site imports it)."""
    from nats.js.errors import NotFoundError

    from gatewatch.hq.lists import ListError, Published, check_file, check_list_name, list_format, publish_list

    try:
        check_list_name(list_name)
        list_format(file, kind)
        check_file(file)
    except ListError as error:
        raise _fail(str(error)) from None
    topology = _topology(prefix)
    store = _open(db, prefix)

    async def publish(client: Client) -> Published:
        js = client.jetstream()
        try:
            await js.stream_info(topology.office_stream)
        except NotFoundError:
            raise ListError(
                f"no head office stream {topology.office_stream} on {nats_url}: nothing was published (is --nats "
                "the server `hq serve` uses, and --prefix its prefix? `hq serve` makes the stream)"
            ) from None
        return await publish_list(js, store, topology, file, list_name, kind, source or file.name)

    try:
        done = asyncio.run(_connected(nats_url, _office_seed(data, nats_seed), publish))
    except ListError as error:
        raise _fail(str(error)) from None
    finally:
        store.close()
    out.print(
        f"[bold green]published[/] {escape(done.list)} version {done.version} ({done.format}, {done.size} bytes "
        f"in {done.parts} part(s), digest {done.digest[:16]}…): every site imports it as it takes it"
    )


@app.command()
def key(
    out_file: Annotated[Path, typer.Option("--out", help="The key file to make (0600; never overwritten).")],
) -> None:
    """Make the identity key the sites share (64 hex digits): identity fields sent as keyed hashes.

    Head office never needs it: it links the hashes as they come. Whoever holds it could hash
    guessed phone numbers until one matched, so it stays at the sites."""
    from gatewatch.sync.marks import make_key

    try:
        handle = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise _fail(f"{out_file} already exists: a key file is never overwritten (move it away first)") from None
    except OSError as error:
        raise _fail(f"--out {out_file}: cannot write it ({error.strerror or error})") from None
    with os.fdopen(handle, "w", encoding="ascii") as written:
        written.write(make_key() + "\n")
    out.print(f"identity key written to {out_file} (0600)")
    out.print(
        "give the same file to every site (--identity-key), over a channel you trust, and keep no copy at head "
        "office: it links the keyed hashes without the key, and the key would let it test guesses"
    )
