"""``gatewatch serve``: the desk as an HTTP service (FastAPI under uvicorn)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gatewatch.cli.log import Data, Db


def serve_command(
    site: Annotated[Path, typer.Option("--site", help="The site file (YAML).")],
    data: Data = None,
    db: Db = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
) -> None:
    """Run the desk: rebuild its state from the record, then answer on /v1 (OpenAPI at /openapi.json)."""
    import uvicorn

    from gatewatch.api.app import create_app
    from gatewatch.bootstrap import build
    from gatewatch.files.loader import FileError
    from gatewatch.store.log import database_url

    console = Console(stderr=True, soft_wrap=True)
    try:
        url = database_url(data, db)
        with console.status("rebuilding the state from the record"):
            services = build(site, url, cache=data)
    except FileError as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    except ValueError as error:
        console.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    seq = services.log.head()[0]
    console.print(f"gatewatch: site [bold]{services.site.name}[/], {seq} events recorded; http://{host}:{port}/")
    uvicorn.run(create_app(services), host=host, port=port, log_level="warning")
