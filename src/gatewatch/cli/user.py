"""``gatewatch user add | token | list``: who may use the desk, and as whom."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from gatewatch.cli.log import Data, Db
from gatewatch.service.permissions import UserRole

if TYPE_CHECKING:
    from gatewatch.service.auth import Gatekeeper
    from gatewatch.store.accounts import Accounts
    from gatewatch.store.log import EventLog

app = typer.Typer(help="Users of the desk: add them, give them API tokens, list them.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


def _open(data: Data, db: Db) -> tuple[EventLog, Accounts, Gatekeeper]:
    from gatewatch.bootstrap import open_accounts
    from gatewatch.store.log import database_url

    try:
        return open_accounts(database_url(data, db))
    except ValueError as error:
        err.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="The user's sign-in name.")],
    role: Annotated[UserRole, typer.Option("--role", help="guard, lead, analyst or admin.")],
    person: Annotated[str | None, typer.Option("--person", help="The site person this user is.")] = None,
    data: Data = None,
    db: Db = None,
) -> None:
    """Add a user; the password is read from standard input (one line)."""
    from gatewatch.store.accounts import UserExists

    password = sys.stdin.readline().rstrip("\r\n")
    log, _, gatekeeper = _open(data, db)
    try:
        gatekeeper.add_user(name, role.value, password, person)
    except (ValueError, UserExists) as error:
        err.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    finally:
        log.close()
    err.print(f"added {role.value} [bold]{name}[/]" + (f" (person {person})" if person else ""))


@app.command()
def token(
    name: Annotated[str, typer.Argument(help="The user the token signs in as.")],
    data: Data = None,
    db: Db = None,
) -> None:
    """Print a new API token for a user (shown once; only its hash is kept)."""
    log, _, gatekeeper = _open(data, db)
    try:
        print(gatekeeper.api_token(name))
    except ValueError as error:
        err.print(f"[bold red]error[/] {error}")
        raise typer.Exit(2) from None
    finally:
        log.close()


@app.command("list")
def list_(data: Data = None, db: Db = None) -> None:
    """The users, their roles and persons."""
    log, accounts, _ = _open(data, db)
    table = Table("name", "role", "person", "since")
    for user in accounts.all_users():
        table.add_row(user.name, user.role, user.person or "", user.created[:10])
    log.close()
    Console().print(table)
