"""The live state, the site, and the health of the service."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response

from gatewatch.api import models as m
from gatewatch.api.access import User
from gatewatch.api.health import LATE_S, PROBE_DEADLINE_S, StoreWatch, desk_troubles, verdict
from gatewatch.bootstrap import Services
from gatewatch.http.access import Wired, services
from gatewatch.views.board import site_view, state_view
from gatewatch.views.models import SiteOut, StateOut

router = APIRouter(tags=["state"])


@router.get("/state", summary="Who is where, doors, posts, lockdown", response_model=StateOut)
def state(user: User, wired: Wired) -> StateOut:
    return state_view(wired.desk.state, wired.log.head()[0])


@router.get("/site", summary="The site: zones, doors, posts", response_model=SiteOut)
def site(user: User, wired: Wired) -> SiteOut:
    return site_view(wired.site)


@router.get(
    "/health",
    summary="The store reads and writes, the desk keeps up (no sign-in needed; tells nothing else)",
    response_model=m.Health,
    responses={503: {"model": m.Health, "description": "degraded or down: the store or the desk has trouble"}},
)
async def health(request: Request, response: Response) -> m.Health:
    """200 when all is well, else 503; never blocks the event loop (the store is probed in a thread)."""
    wired = services(request)
    watch: StoreWatch | None = getattr(request.app.state, "store_watch", None)
    if watch is None or watch.engine is not wired.log.engine:
        watch = request.app.state.store_watch = StoreWatch(wired.log.engine)
    store, desk = await asyncio.gather(watch.check(), _desk_health(wired))
    status = verdict(store, desk.troubles if desk is not None else ["the desk did not answer"])
    response.status_code = 200 if status == "ok" else 503
    return m.Health(
        status=status, store=m.StoreHealth(ok=store.ok, detail=store.detail, latency_ms=store.latency_ms), desk=desk
    )


async def _desk_health(wired: Services) -> m.DeskHealth | None:
    """The desk's condition (read under its lock, so in a thread), or None if it did not answer in time."""
    late_s = getattr(wired.desk, "deadline_s", LATE_S)
    try:
        condition = await asyncio.wait_for(asyncio.to_thread(wired.desk.condition), PROBE_DEADLINE_S)
    except TimeoutError:
        return None
    return m.DeskHealth(
        pending=condition.pending,
        oldest_pending_s=condition.oldest_pending_s,
        store_error=condition.store_error,
        skipped=len(condition.skipped),
        clock_ahead_s=condition.clock_ahead_s,
        troubles=desk_troubles(condition, late_s),
    )
