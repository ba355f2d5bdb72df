"""``gatewatch people trust PERSON``: the chains by which a person came to be admitted."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.tree import Tree

from gatewatch.cli.log import Data, Db, open_log

app = typer.Typer(help="People on record: how they came to be trusted.", no_args_is_help=True)


@app.command()
def trust(
    person: Annotated[str, typer.Argument(help="The person's id.")],
    data: Data = None,
    db: Db = None,
) -> None:
    """Who invited, vouched for, vetted and confirmed this person, and who backed those people in turn.

    A person whose standing rests on invitations and vouches alone (nobody vetted them, no claim
    confirmed) is flagged.
    """
    from gatewatch.core.trust import Trust, trust_of
    from gatewatch.service.trust import facts_from

    log = open_log(data, db)
    facts = facts_from(log)
    log.close()
    if person not in facts:
        Console(stderr=True).print(f'no invitation, vouch, vetting or verification for "{person}" is recorded')
        raise typer.Exit(1)

    def grow(branch: Tree, found: Trust) -> None:
        for link in found.links:
            detail = f" ({link.detail})" if link.detail else ""
            branch.add(f"{link.kind} by [bold]{link.by}[/] on {link.at[:10]}{detail}")
        for backer in found.backers:
            flag = "  [bold red]▲ rests on vouches alone[/]" if backer.rests_on_vouches_alone else ""
            cycle = " (already above: a circle of vouches)" if backer.cycle else ""
            grow(branch.add(f"[bold]{backer.person}[/]{cycle}{flag}"), backer)

    found = trust_of(person, facts)
    root = Tree(f"[bold]{person}[/]")
    grow(root, found)
    console = Console(soft_wrap=True)
    console.print(root)
    if found.rests_on_vouches_alone:
        console.print("[bold red]▲ rests on vouches and invitations alone:[/] nobody vetted them, no claim confirmed")
