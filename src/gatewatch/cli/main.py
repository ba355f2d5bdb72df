"""``gatewatch``: the command-line entry point."""

from __future__ import annotations

import typer

from gatewatch.cli import drill, hq, log, names, people, play, report, serve, sync, user, watchlist

app = typer.Typer(
    help="gatewatch: the site's protective-security procedures, executable at the door.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("drill")(drill.drill_command)
log.app.command("play")(play.play_command)
app.add_typer(log.app, name="log")
app.command("serve")(serve.serve_command)
app.add_typer(user.app, name="user")
app.add_typer(names.app, name="names")
app.add_typer(people.app, name="people")
app.add_typer(watchlist.app, name="watchlist")
app.command("screen")(watchlist.screen_command)
app.add_typer(report.app, name="report")
app.command("sync")(sync.sync_command)
app.add_typer(hq.app, name="hq")


@app.callback()
def main() -> None:
    """gatewatch: the site's protective-security procedures, executable at the door."""
