"""Templates, and the words and marks the pages share (severity icons, reason wording, levels)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from gatewatch.bootstrap import Services
from gatewatch.service.permissions import Actor, UserRole
from gatewatch.store.alerts import AlertFilter, StoredAlert
from gatewatch.views.discretion import hidden_from

HERE = Path(__file__).parent
STATIC = HERE / "static"
SEVERITY_MARK = {"critical": "✖", "high": "▲", "warning": "●", "info": "ℹ"}
"""Each severity has a mark and a label as well as a colour: readable without colour."""
LEADS = frozenset({UserRole.LEAD, UserRole.ADMIN})
PEOPLE_WORKERS = frozenset({UserRole.LEAD, UserRole.ANALYST, UserRole.ADMIN})

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
templates.globals["SEVERITY_MARK"] = SEVERITY_MARK


def critical_open(services: Services, viewer: Actor) -> list[StoredAlert]:
    """Critical alerts nobody has acknowledged: they stay on top of every page (a discreet one
    only on the pages of those shown it: ``gatewatch.views.discretion``)."""
    wanted = AlertFilter(severity="critical", acknowledged=False, limit=20, hidden=hidden_from(viewer))
    return services.alerts.find(wanted)


def page(request: Request, template: str, user: Actor, **context: Any) -> HTMLResponse:
    services: Services = request.app.state.services
    state = services.desk.state
    html = templates.get_template(template).render(
        request=request,
        user=user,
        is_lead=user.role in LEADS,
        works_on_people=user.role in PEOPLE_WORKERS,
        site=services.site,
        lockdown=state.lockdown,
        critical=critical_open(services, user),
        hidden_codes=hidden_from(user),
        vendor_chart=(STATIC / "vendor" / "chart.umd.min.js").exists(),
        **context,
    )
    return HTMLResponse(html)


def fragment(name: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(templates.get_template(name).render(**context))


def words(text: str) -> list[str]:
    """A form's comma-separated list ("coat, bag") as items."""
    return [item.strip() for item in text.split(",") if item.strip()]


def problem_of(error: Exception) -> str:
    """What went wrong with a form, in the words the service gave."""
    describe = getattr(error, "describe", None)
    return str(describe() if callable(describe) else getattr(error, "problem", None) or error)
