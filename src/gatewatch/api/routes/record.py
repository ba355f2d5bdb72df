"""The record's own health: verify the hash chain."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from gatewatch.api import models as m
from gatewatch.api.access import Wired, needs
from gatewatch.service.permissions import UserRole

router = APIRouter(tags=["record"])


@router.get(
    "/log/verify",
    summary="Check the whole hash chain",
    response_model=m.VerifyOut,
    dependencies=[Depends(needs(UserRole.LEAD, UserRole.ANALYST, UserRole.ADMIN))],
)
def verify(wired: Wired) -> m.VerifyOut:
    """The count and head hash, or the first entry altered, removed or reordered."""
    verdict = wired.log.verify()
    return m.VerifyOut(
        ok=verdict.ok,
        count=verdict.count,
        head=verdict.head,
        redacted=verdict.redacted,
        problem=verdict.problem or None,
        seq=verdict.seq,
    )
