"""The record's own health: verify the hash chain, the side tables and the signed checkpoints."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from gatewatch.api import models as m
from gatewatch.api.access import needs
from gatewatch.http.access import Wired
from gatewatch.service.permissions import UserRole
from gatewatch.store.audit import verify_record

router = APIRouter(tags=["record"])


class TableOut(BaseModel):
    table: str
    ok: bool
    count: int
    head: str


class RecordVerifyOut(m.VerifyOut):
    """The chain's verdict (as before), and everything else verification found."""

    problems: list[str]
    tables: list[TableOut]
    checkpoints: int
    newest_checkpoint: str | None


@router.get(
    "/log/verify",
    summary="Check the whole record: chain, redactions, alerts, side tables, signed checkpoints",
    response_model=RecordVerifyOut,
    dependencies=[Depends(needs(UserRole.LEAD, UserRole.ANALYST, UserRole.ADMIN))],
)
def verify(wired: Wired) -> RecordVerifyOut:
    """The count and head hash, or the first entry altered, removed or reordered; and every other problem found."""
    audit = verify_record(wired.log, wired.checkpoints, wired.site.id)
    verdict = audit.chain
    return RecordVerifyOut(
        ok=audit.ok,
        count=verdict.count,
        head=verdict.head,
        redacted=verdict.redacted,
        problem=verdict.problem or (audit.problems[0] if audit.problems else None),
        seq=verdict.seq,
        problems=list(audit.problems),
        tables=[TableOut(table=t.table, ok=t.ok, count=t.count, head=t.head) for t in audit.tables],
        checkpoints=audit.checkpoints,
        newest_checkpoint=audit.newest.describe() if audit.newest else None,
    )
