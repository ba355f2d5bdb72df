"""Watchlists and screenings: screen a name or a person on demand, list the lists, export the record."""

from __future__ import annotations

import builtins
import io
from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

import msgspec
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gatewatch.api.access import User, needs
from gatewatch.http.access import Wired
from gatewatch.service.permissions import UserRole
from gatewatch.service.screening import on_demand, recorded_screenings, write_screenings

router = APIRouter(tags=["watchlists"])

Auditor = Depends(needs(UserRole.LEAD, UserRole.ANALYST, UserRole.ADMIN))


class ScreeningIn(BaseModel):
    """Whom to screen: names (and what else is known), or a person on record, or both."""

    id: str = Field(min_length=1, max_length=180, description="Client-chosen id: a resend is recorded once")
    names: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(default_factory=list, max_length=20)
    person: str | None = Field(default=None, max_length=200, description="A person on record: their names are added")
    birth_date: date | None = None
    documents: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(default_factory=list, max_length=10)
    limit: int = Field(default=10, ge=1, le=50)


class CandidateOut(BaseModel):
    list: str
    entry: str = Field(description="The entry's id on its list (or its name)")
    name: str
    alias: str = Field(description="The entry's name that matched")
    against: str = Field(description="The screened name that matched it")
    score: float
    match: bool
    reasons: builtins.list[str]
    note: str | None = None


class ListVersionOut(BaseModel):
    list: str
    version: int


class ScreeningOut(BaseModel):
    event: str = Field(description="The recorded watchlist_check event")
    seq: int
    duplicate: bool
    result: Literal["match", "clear"]
    lists: list[ListVersionOut]
    candidates: list[CandidateOut]
    alerts: list[str] = Field(description="Alert codes raised (WATCHLIST_MATCH for a person on record)")


class WatchlistOut(BaseModel):
    list: str
    version: int
    entries: int
    imported: str
    imported_by: str
    source: str
    digest: str
    current: bool


@router.post("/screenings", summary="Screen a name or a person against the watchlists", response_model=ScreeningOut)
def screen(body: ScreeningIn, user: User, wired: Wired) -> ScreeningOut:
    """Looks the subject up in every current list and keeps the screening in the record (who,
    which list versions, every candidate). A match for a person on record raises WATCHLIST_MATCH."""
    screened, decided = on_demand(
        wired.screener,
        wired.desk,
        wired.clock().astimezone(wired.zone),
        event_id=body.id,
        by=user.name,
        names=body.names,
        person=body.person,
        birth_date=body.birth_date,
        documents=body.documents,
        limit=body.limit,
    )
    return ScreeningOut(
        event=body.id,
        seq=decided.seq,
        duplicate=decided.duplicate,
        result=screened.result,
        lists=[ListVersionOut(list=v.list, version=v.version) for v in screened.lists],
        candidates=[CandidateOut(**msgspec.to_builtins(c), match=c.is_match) for c in screened.candidates],
        alerts=[a["code"] for a in decided.outcome.get("alerts", [])],
    )


@router.get(
    "/screenings",
    summary="Every screening kept in the record, as CSV or JSON lines",
    dependencies=[Auditor],
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
)
def export(
    wired: Wired,
    person: Annotated[str | None, Query(max_length=200, description="Only this person's screenings")] = None,
    format: Annotated[Literal["csv", "jsonl"], Query(description="csv or jsonl")] = "csv",
) -> Response:
    out = io.StringIO()
    write_screenings(recorded_screenings(wired.log, person), out, format)
    media = "application/x-ndjson" if format == "jsonl" else "text/csv; charset=utf-8"
    return Response(out.getvalue(), media_type=media)


@router.get("/watchlists", summary="The watchlists and their versions", response_model=list[WatchlistOut])
def watchlists(
    user: User,
    wired: Wired,
    all_versions: Annotated[bool, Query(alias="all", description="Every version ever imported")] = False,
) -> list[WatchlistOut]:
    book = wired.screener.book
    return [WatchlistOut(**asdict(v)) for v in (book.history() if all_versions else book.current())]
