"""The live state, the site, and the health of the service."""

from __future__ import annotations

from fastapi import APIRouter

from gatewatch.api import models as m
from gatewatch.api import views
from gatewatch.api.access import User, Wired

router = APIRouter(tags=["state"])


@router.get("/state", summary="Who is where, doors, posts, lockdown", response_model=m.StateOut)
def state(user: User, wired: Wired) -> m.StateOut:
    return views.state_view(wired.desk.state, wired.log.head()[0])


@router.get("/site", summary="The site: zones, doors, posts", response_model=m.SiteOut)
def site(user: User, wired: Wired) -> m.SiteOut:
    return views.site_view(wired.site)


@router.get("/health", summary="The service answers (no sign-in needed; tells nothing else)", response_model=m.Health)
def health(wired: Wired) -> m.Health:
    return m.Health(ok=True, seq=wired.log.head()[0])
