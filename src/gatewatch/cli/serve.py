"""``gatewatch serve``: the desk as an HTTP service (FastAPI under uvicorn)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gatewatch.cli.log import Checkpoints, Data, Db, Key, checkpoint_place

NotesKey = Annotated[
    Path | None,
    typer.Option(
        "--notes-key",
        envvar="GATEWATCH_NOTES_KEY",
        help="The key case notes are sealed with, kept outside the database (default DATA/notes.key, "
        "made 0600 on first use while no note is sealed).",
    ),
]
HeadOffice = Annotated[
    str | None,
    typer.Option(
        "--head-office",
        envvar="GATEWATCH_HEAD_OFFICE",
        help="Head office's NATS server (nats://host:4222): the record is streamed to it and its links and "
        "watchlists are taken, in the background (the doors never wait for it).",
    ),
]
HeadOfficeSeed = Annotated[
    Path | None,
    typer.Option(
        "--head-office-seed",
        envvar="GATEWATCH_HEAD_OFFICE_SEED",
        help="The site's NKEY seed file (SITE.nk, from 'gatewatch hq site add'), when the server asks for keys.",
    ),
]
IdentityKey = Annotated[
    Path | None,
    typer.Option(
        "--identity-key",
        envvar="GATEWATCH_IDENTITY_KEY",
        help="The identity key head office and the sites share ('gatewatch hq key'): documents, phones and "
        "vehicles are compared across sites as keyed hashes.",
    ),
]
Private = Annotated[
    bool,
    typer.Option(
        "--private",
        envvar="GATEWATCH_PRIVATE",
        help="Identity fields leave the site only as keyed hashes (needs --identity-key).",
    ),
]
HqPrefix = Annotated[
    str,
    typer.Option("--hq-prefix", envvar="GATEWATCH_HQ_PREFIX", help="The deployment's prefix of NATS names."),
]


def serve_command(
    site: Annotated[Path, typer.Option("--site", help="The site file (YAML).")],
    data: Data = None,
    db: Db = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    key: Key = None,
    checkpoints: Checkpoints = None,
    notes_key: NotesKey = None,
    accept_unverified_record: Annotated[
        bool,
        typer.Option(
            "--accept-unverified-record",
            help="Serve a record that fails verification against its newest checkpoint (logged loudly).",
        ),
    ] = False,
    head_office: HeadOffice = None,
    head_office_seed: HeadOfficeSeed = None,
    identity_key: IdentityKey = None,
    private: Private = False,
    hq_prefix: HqPrefix = "gatewatch",
) -> None:
    """Run the desk: rebuild its state from the record, then answer on /v1 (OpenAPI at /openapi.json)."""
    import uvicorn

    from gatewatch.bootstrap import build
    from gatewatch.devices.config import drivers_for
    from gatewatch.files.loader import FileError
    from gatewatch.server import create_app
    from gatewatch.service.case_notes import KEY_FILE
    from gatewatch.service.doors import Doors
    from gatewatch.store.audit import UnverifiedRecord
    from gatewatch.store.log import database_url

    console = Console(stderr=True, soft_wrap=True)
    link = None
    if head_office is not None:
        from gatewatch.sync.marks import load_key
        from gatewatch.sync.nats_link import LinkError, head_office_link

        try:
            link = head_office_link(
                head_office, data, seed=head_office_seed, identity_key=identity_key, private=private, prefix=hq_prefix
            )
            if identity_key is not None:
                load_key(identity_key)
        except (LinkError, ValueError, OSError) as error:
            console.print(f"[bold red]error[/] {error}")
            raise typer.Exit(2) from None
    elif private or identity_key is not None or head_office_seed is not None:
        console.print("[bold red]error[/] --private, --identity-key and --head-office-seed need --head-office")
        raise typer.Exit(2)
    place = checkpoint_place(data, key, checkpoints)
    notes_at = notes_key or (data / KEY_FILE if data is not None else None)
    try:
        url = database_url(data, db)
        with console.status("checking the record, then rebuilding the state from it"):
            services = build(
                site,
                url,
                cache=data,
                checkpoints=place,
                accept_unverified=accept_unverified_record,
                notes_key=notes_at,
            )
            drivers = drivers_for(site, services.site, data)
    except UnverifiedRecord as error:
        console.print(f"[bold red]refusing to start[/]: {error}")
        raise typer.Exit(1) from None
    except (FileError, ValueError) as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    if place is None:
        console.print(
            "[bold yellow]warning[/] no checkpoints are kept (no --data, --checkpoint-key or --checkpoints): "
            "a rewritten, cut or emptied record could not be told from an honest one"
        )
    if services.notes is None:
        console.print(
            "[bold yellow]warning[/] no key for case notes (no --data or --notes-key): notes cannot be written"
        )
    elif problem := services.notes.problem():
        console.print(f"[bold yellow]warning[/] case notes cannot be read or written: {problem}")
    if link is not None:
        from gatewatch.sync.wire import WireError, check_site_id

        try:
            check_site_id(services.site.id)
        except WireError as error:
            services.close()
            console.print(f"[bold red]error[/] site file {site}: {error}")
            raise typer.Exit(2) from None
        services.head_office = link
        console.print(f"gatewatch: head office at {link.describe()}, synced in the background")
    seq = services.log.head()[0]
    console.print(f"gatewatch: site [bold]{services.site.name}[/], {seq} events recorded; http://{host}:{port}/")
    worked = ", ".join(f"{d.name} ({len(d.doors())} doors)" for d in drivers) or "none: the doors are worked by hand"
    console.print(f"gatewatch: door drivers: {worked}")

    def door_desk() -> Doors:
        """What the drivers call: the desk's doors, dated by the service's clock."""
        return Doors(services.desk, services.zone, drivers, clock=lambda: services.clock())

    uvicorn.run(create_app(services, drivers, door_desk=door_desk), host=host, port=port, log_level="warning")
