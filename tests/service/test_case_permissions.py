"""Who may work on cases: leads, analysts and admins; never a guard. Notes and reads of notes are
written by the service for them, never submitted. Each refusal, and its near miss."""

from __future__ import annotations

import pytest

from gatewatch.core import events as ev
from gatewatch.service.permissions import Actor, Refused, UserRole, check_event, check_shown, check_written
from support import START

GUARD = Actor("gus", UserRole.GUARD, "g1")
LEAD = Actor("lena", UserRole.LEAD, "lead")
ANALYST = Actor("ada", UserRole.ANALYST, "aide")
ADMIN = Actor("root", UserRole.ADMIN, "boss")
DEVICE = Actor("reader", UserRole.DEVICE, None)
SEALED = ev.SealedNote(key="0123456789abcdef", nonce="AAAAAAAAAAAAAAAA", text="AAAA")


def opening(by: str) -> ev.CaseOpen:
    return ev.CaseOpen(id="c1", at=START, case="c1", person="vic", by=by)


def closing(by: str) -> ev.CaseClose:
    return ev.CaseClose(id="k1", at=START, case="c1", by=by, reason="done")


def note(by: str) -> ev.CaseNote:
    return ev.CaseNote(id="n1", at=START, case="c1", by=by, sealed=SEALED)


def read(by: str) -> ev.NoteRead:
    return ev.NoteRead(id="r1", at=START, case="c1", note="n1", by=by)


@pytest.mark.parametrize("user", [GUARD, DEVICE])
def test_a_guard_or_a_device_may_not_open_or_close_a_case(user: Actor) -> None:
    for event in (opening(user.person or "g1"), closing(user.person or "g1")):
        with pytest.raises(Refused, match="needs a lead or an analyst"):
            check_event(user, event)


@pytest.mark.parametrize("user", [LEAD, ANALYST, ADMIN])
def test_leads_analysts_and_admins_may(user: Actor) -> None:
    assert user.person is not None
    check_event(user, opening(user.person))
    check_event(user, closing(user.person))
    update = ev.CaseUpdate(id="u1", at=START, case="c1", by=user.person, status="monitoring")
    check_event(user, update)


def test_nobody_opens_a_case_as_someone_else() -> None:
    with pytest.raises(Refused, match="nobody may act as someone else"):
        check_event(ANALYST, opening("lead"))


@pytest.mark.parametrize("event", [note("lead"), read("lead")])
def test_notes_and_reads_are_never_submitted_even_by_a_lead(event: ev.Event) -> None:
    with pytest.raises(Refused, match="/v1/cases/"):
        check_event(LEAD, event)


def test_a_screening_is_still_refused_with_its_own_words() -> None:
    check = ev.WatchlistCheck(id="w1", at=START, screened_by="lena")
    with pytest.raises(Refused, match="written by the screening itself"):
        check_event(LEAD, check)


@pytest.mark.parametrize("user", [LEAD, ANALYST, ADMIN])
def test_the_service_writes_notes_and_reads_for_case_workers(user: Actor) -> None:
    assert user.person is not None
    check_written(user, note(user.person))
    check_written(user, read(user.person))


def test_the_service_writes_nothing_of_a_case_for_a_guard() -> None:
    with pytest.raises(Refused, match="a guard may not work on cases"):
        check_written(GUARD, note("g1"))


def test_the_service_writes_a_note_only_in_its_writer_s_name() -> None:
    with pytest.raises(Refused, match="nobody may act as someone else"):
        check_written(ANALYST, note("lead"))


@pytest.mark.parametrize("kind", ["case_open", "case_update", "case_note", "note_read", "case_close"])
def test_a_case_s_events_are_shown_to_case_workers_only(kind: str) -> None:
    for user in (GUARD, DEVICE):
        with pytest.raises(Refused, match="cases are for leads, analysts and admins"):
            check_shown(user, kind)
    for user in (LEAD, ANALYST, ADMIN):
        check_shown(user, kind)


def test_a_guard_is_still_shown_the_events_of_the_doors() -> None:
    for kind in ("arrive", "concern", "weather"):
        check_shown(GUARD, kind)
