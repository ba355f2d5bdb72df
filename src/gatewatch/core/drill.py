"""Drills: a site, people, a watchlist, events, and the checks on what the engine decided.

Pure: ``build_drill`` checks a drill mapping (the shell has read the files and resolved the
time zone), ``play`` runs it through the engine and evaluates every check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

import msgspec

from gatewatch.core import events as ev
from gatewatch.core.alerts import AlertCode, Severity
from gatewatch.core.engine import run
from gatewatch.core.errors import InvalidInput, did_you_mean, unknown
from gatewatch.core.outcome import Outcome
from gatewatch.core.parse import check_people, convert, parse_events, resolve_start
from gatewatch.core.reasons import ReasonCode
from gatewatch.core.site import PersonSpec, Site
from gatewatch.core.state import initial_state
from gatewatch.core.watchlist import WatchEntry

DRILL_KEYS = ("drill", "description", "site", "start", "people", "watchlist", "events", "expect")


class CheckSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    event: str | None = None
    by: str | None = None
    decision: str | None = None
    because: tuple[str, ...] = ()
    alert: str | None = None
    quiet: bool | None = None
    never: str | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """One ``expect`` item as written, and its parsed form."""

    written: Mapping[str, Any]
    spec: CheckSpec


@dataclass(frozen=True, slots=True)
class Drill:
    id: str
    description: str
    site: Site
    start: datetime
    people: tuple[PersonSpec, ...]
    watchlist: tuple[WatchEntry, ...]
    events: tuple[ev.Event, ...]
    checks: tuple[Check, ...]


@dataclass(frozen=True, slots=True)
class CheckResult:
    written: Mapping[str, Any]
    met: bool
    detail: str


@dataclass(frozen=True, slots=True)
class DrillResult:
    drill: Drill
    steps: tuple[Outcome, ...]
    checks: tuple[CheckResult, ...]

    @property
    def passed(self) -> bool:
        return all(c.met for c in self.checks)


def _dates_as_text(value: Any) -> Any:
    """YAML reads 1913-02-07 as a date and 1913 as a number; a watchlist keeps dates as text
    (whole or partial, as lists give them)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _dates_as_text(v) for k, v in value.items()}
    return value


def build_drill(raw: Mapping[str, Any], site: Site, zone: tzinfo) -> Drill:
    """Check a drill mapping whose ``site`` the shell has already built."""
    for key in raw:
        if key not in DRILL_KEYS:
            raise InvalidInput(f'unknown key "{key}"{did_you_mean(str(key), DRILL_KEYS)}', field=str(key))
    if "drill" not in raw:
        raise InvalidInput("missing", field="drill")
    if "start" not in raw:
        raise InvalidInput("missing", field="start")
    start = resolve_start(raw["start"], zone, where="drill")
    people = convert(raw.get("people") or [], tuple[PersonSpec, ...], where="people")
    check_people((*site.people, *people), site.zones, where="people")
    watchlist = convert(_dates_as_text(raw.get("watchlist") or []), tuple[WatchEntry, ...], where="watchlist")
    events = parse_events(raw.get("events"), site, zone, start)
    checks = _checks(raw.get("expect"), events)
    return Drill(
        id=str(raw["drill"]),
        description=str(raw.get("description") or "").strip(),
        site=site,
        start=start,
        people=people,
        watchlist=watchlist,
        events=events,
        checks=checks,
    )


def _checks(raw: object, events: Sequence[ev.Event]) -> tuple[Check, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InvalidInput("expect must be a list of checks", field="expect")
    ids = [e.id for e in events]
    checks = []
    for i, item in enumerate(raw):
        where = f"expect[{i}]"
        if not isinstance(item, Mapping):
            raise InvalidInput("a check is a mapping such as {event: e4, decision: grant}", where=where)
        spec = convert(dict(item), CheckSpec, where=where)
        _check_spec(spec, ids, where)
        checks.append(Check(dict(item), spec))
    return tuple(checks)


def _check_spec(spec: CheckSpec, ids: Sequence[str], where: str) -> None:
    for field, ident in (("event", spec.event), ("by", spec.by)):
        if ident is not None and ident not in ids:
            raise InvalidInput(unknown("event", ident, ids), where=where, field=field)
    codes = AlertCode.__members__
    for field, code in (("alert", spec.alert), ("never", spec.never)):
        if code is not None and code not in codes:
            raise InvalidInput(unknown("alert code", code, codes), where=where, field=field)
    for code in spec.because:
        if code not in ReasonCode.__members__:
            raise InvalidInput(unknown("reason", code, ReasonCode.__members__), where=where, field="because")
    if spec.decision is not None and spec.decision not in ("grant", "deny"):
        raise InvalidInput(f'"{spec.decision}" is not a decision (grant or deny)', where=where, field="decision")
    kinds = sum(x is not None for x in (spec.event, spec.by, spec.never))
    if kinds != 1:
        raise InvalidInput("a check names exactly one of event, by or never", where=where)
    if spec.by is not None and spec.alert is None:
        raise InvalidInput("a 'by' check names an alert", where=where, field="alert")
    if spec.event is not None and spec.decision is None and spec.alert is None and spec.quiet is None:
        raise InvalidInput("an event check names a decision, an alert or quiet", where=where)
    if spec.because and spec.decision is None:
        raise InvalidInput("'because' goes with a decision", where=where, field="because")


def play(drill: Drill) -> DrillResult:
    """Run the drill through the engine and evaluate its checks."""
    state = initial_state(drill.site, drill.people, drill.watchlist)
    steps = tuple(outcome for _, outcome in run(state, drill.events))
    return DrillResult(drill, steps, tuple(evaluate(c, steps) for c in drill.checks))


def evaluate(check: Check, steps: Sequence[Outcome]) -> CheckResult:
    spec = check.spec
    if spec.never is not None:
        hits = [s.event for s in steps if any(a.code == spec.never for a in s.alerts)]
        detail = f"raised at {', '.join(hits)}" if hits else "never raised"
        return CheckResult(check.written, not hits, detail)
    target = spec.event or spec.by
    index = next(i for i, s in enumerate(steps) if s.event == target)
    step = steps[index]
    parts: list[tuple[bool, str]] = []
    if spec.decision is not None:
        parts.append(_decision(step, spec))
    if spec.alert is not None:
        window = steps[: index + 1] if spec.by else [step]
        parts.append(_alert(window, spec.alert, step.event, bool(spec.by)))
    if spec.quiet:
        parts.append(_quiet(step))
    return CheckResult(check.written, all(ok for ok, _ in parts), "; ".join(d for _, d in parts))


def _decision(step: Outcome, spec: CheckSpec) -> tuple[bool, str]:
    if step.decision is None:
        return False, f"{step.event} is a {step.type}, not a request: nothing was decided"
    codes = step.reason_codes
    said = f"{'granted' if step.decision == 'grant' else 'denied'}" + (f" ({', '.join(codes)})" if codes else "")
    if step.decision != spec.decision:
        return False, f"expected {spec.decision}, {said}"
    missing = [c for c in spec.because if c not in codes]
    if missing:
        return False, f"{said}; missing reasons: {', '.join(missing)}"
    return True, said


def _alert(window: Sequence[Outcome], code: str, at: str, by: bool) -> tuple[bool, str]:
    for step in window:
        for alert in step.alerts:
            if alert.code == code:
                return True, f"{code} ({alert.severity.label}) at {step.event}"
    raised = [a.code.value for a in window[-1].alerts]
    scope = f"at or before {at}" if by else f"at {at}"
    return False, f"no {code} {scope}" + (f" (raised: {', '.join(raised)})" if raised else "")


def _quiet(step: Outcome) -> tuple[bool, str]:
    loud = [f"{a.code.value} ({a.severity.label})" for a in step.alerts if a.severity >= Severity.WARNING]
    return (False, f"raised {', '.join(loud)}") if loud else (True, "quiet")
