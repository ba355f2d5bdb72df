"""How drill results are shown: a Rich timeline for people, the contract's JSON for tools."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from gatewatch.core.alerts import Severity
from gatewatch.core.drill import DrillResult
from gatewatch.core.outcome import Outcome
from gatewatch.core.site import Site
from gatewatch.core.wording import describe

SEVERITY_STYLE = {
    Severity.INFO: ("dim", "·"),
    Severity.WARNING: ("yellow", "▲ warning"),
    Severity.HIGH: ("bold dark_orange", "◆ high"),
    Severity.CRITICAL: ("bold white on red", "✖ critical"),
}


def as_json(results: Sequence[tuple[Path, DrillResult]]) -> dict[str, Any]:
    return {
        "passed": all(r.passed for _, r in results),
        "drills": [_drill_json(path, result) for path, result in results],
    }


def _drill_json(path: Path, result: DrillResult) -> dict[str, Any]:
    return {
        "drill": result.drill.id,
        "file": str(path),
        "passed": result.passed,
        "steps": [s.to_dict() for s in result.steps],
        "expectations": [{"expect": dict(c.written), "met": c.met, "detail": c.detail} for c in result.checks],
    }


def timelines(console: Console, results: Sequence[tuple[Path, DrillResult]]) -> None:
    for path, result in results:
        timeline(console, path, result)
    if len(results) > 1:
        passed = sum(r.passed for _, r in results)
        style = "bold green" if passed == len(results) else "bold red"
        console.print(Text(f"{passed} of {len(results)} drills passed", style=style))


def timeline(console: Console, path: Path, result: DrillResult) -> None:
    console.rule(Text(f"{result.drill.id}  ({path})", style="bold"))
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=True)
    table.add_column("when", no_wrap=True, style="dim")
    table.add_column("event", no_wrap=True)
    table.add_column("what the engine said", ratio=1)
    last_day = None
    for event, step in zip(result.drill.events, result.steps, strict=True):
        day = step.at.date()
        when = step.at.strftime("%Y-%m-%d %H:%M" if day != last_day else "%H:%M")
        last_day = day
        said = Text(describe(event), style="dim")
        if len(reply := _said(step)):
            said.append("\n").append_text(reply)
        table.add_row(when, f"{step.event} {step.type}", said)
    console.print(table)
    for check in result.checks:
        mark = Text("✔ met   ", style="green") if check.met else Text("✘ unmet ", style="bold red")
        console.print(mark + Text(_written(check.written)) + Text(f"  — {check.detail}", style="dim"))
    met = sum(c.met for c in result.checks)
    verdict = "PASSED" if result.passed else "FAILED"
    style = "bold green" if result.passed else "bold red"
    console.print(Text(f"{verdict} {result.drill.id}: {met} of {len(result.checks)} checks met", style=style))
    console.print()


def _said(step: Outcome) -> Text:
    text = Text()
    if step.decision is not None:
        granted = step.decision == "grant"
        text.append("GRANT" if granted else "DENY", style="bold green" if granted else "bold red")
        if step.reasons:
            text.append("  " + "; ".join(f"{r.code.value}: {r.explanation}" for r in step.reasons))
    for alert in step.alerts:
        style, label = SEVERITY_STYLE[alert.severity]
        if len(text):
            text.append("\n")
        text.append(f"{label} {alert.code.value}", style=style)
        text.append(f"  {escape(alert.message)}")
    return text


def _written(written: Any) -> str:
    return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in dict(written).items()) + "}"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def site_summary(site: Site) -> str:
    counts = (
        (len(site.zones), "zone"),
        (len(site.doors), "door"),
        (len(site.posts), "post"),
        (len(site.people), "person"),
    )
    return ", ".join(f"{n} {word if n == 1 else ('people' if word == 'person' else word + 's')}" for n, word in counts)
