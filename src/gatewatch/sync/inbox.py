"""What head office sends a site: links to other sites' people, and new versions of the watchlists.

The site reads two durable consumers head office made for it (it binds to them and cannot
create any): ``to_<site>`` and ``lists_<site>``. A message is acknowledged only once what it
says is on the site's disk, so a site that stops half-way is sent it again; taking it twice
changes nothing.

- A link (``LinkNote``): head office found a document, phone or vehicle presented here and at
  another site. It is recorded through the site's desk as a ``site_link`` event with the id
  ``hq-link-<link>`` (a second copy is the same event: the desk answers it as already recorded),
  decided by the rules like every event, so that a lead sees it. Then it is acknowledged.
- A watchlist version comes in parts (each a message: the part's header, then its bytes). The
  parts of one version are gathered into a file in the data directory (bounded by
  ``wire.LIST_BYTES``); once all are there and the file's digest is the one head office gave, it
  is imported as the list's next version by the same procedure as ``gatewatch watchlist import``
  (source ``head office: <list> v<version>``), and the parts are acknowledged. A version already
  imported from head office, or older than one that was, is acknowledged and not imported again.

A message that can never be taken (not what head office sends, addressed to another site, a
file whose digest does not check) is logged and terminated, so that it is not sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import nats.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from gatewatch.core.bounded import refuse_unreadable
from gatewatch.core.errors import InvalidInput
from gatewatch.core.events import Event, from_payload
from gatewatch.files.watchlist_files import Reading, WatchlistFileError
from gatewatch.service.desk import Desk, NotRecorded
from gatewatch.service.screening import Screener
from gatewatch.service.watchlist_import import import_list
from gatewatch.store.log import IdConflict
from gatewatch.store.watchlists import ListVersion
from gatewatch.sync import wire
from gatewatch.sync.nats_link import Problems, describe_error

logger = logging.getLogger("gatewatch.sync")

HEAD_OFFICE = "head-office"
"""Who the record says submitted what head office sent."""
LISTS_FOLDER = "head-office-lists"
"""The folder of the data directory where a watchlist's parts are gathered."""
FETCH_LINKS = 64
FETCH_PARTS = 8
FETCH_WAIT_S = 1.0
"""How long one fetch waits for a message (the loop fetches again at once)."""
DRAIN_WAIT_S = 0.3
"""How long ``take_once`` waits for more before it deems a consumer empty."""
TRIES_MOST = 5
"""A link the desk refuses for a reason it does not say is tried this many times, then set aside."""
RETRY_DELAY_S = 5.0
GATHERINGS_MOST = 2
"""Watchlist versions gathered at once (each up to ``wire.LIST_BYTES`` on disk)."""
IN_PROGRESS_EVERY_S = 10.0
"""Held parts are told to JetStream as in progress this often (so they are not sent again meanwhile)."""
GATHER_PATIENCE_S = 600.0
"""A version whose next part has not come in this long is let go (its parts will be sent again)."""
PAUSE_FIRST_S = 0.5
PAUSE_MOST_S = 30.0
FROM_HEAD_OFFICE = re.compile(r"^head office: (?P<list>.+) v(?P<version>[0-9]{1,10})$")


class InboxError(RuntimeError):
    """The site cannot read what head office addresses to it (a consumer missing, a link down)."""


class SetAside(ValueError):
    """A message that can never be taken: logged and terminated."""


def list_source(name: str, version: int) -> str:
    """How an imported version names where it came from (``head office: <list> v<version>``)."""
    return f"head office: {name} v{version}"


@dataclass
class Taken:
    """What one pass over the inbox took."""

    links: int = 0
    lists: int = 0


@dataclass
class _Gathering:
    """The parts of one watchlist version gathered so far, and the messages to acknowledge with it."""

    first: wire.ListPart
    path: Path
    parts: set[int] = field(default_factory=set)
    messages: list[Msg] = field(default_factory=list)
    last: float = field(default_factory=time.monotonic)

    def whole(self) -> bool:
        return len(self.parts) == self.first.parts


class Inbox:
    """Takes the links and watchlists head office addresses to one site (``run`` forever, ``take_once``)."""

    def __init__(
        self,
        js: JetStreamContext,
        desk: Desk,
        screener: Screener,
        site: str,
        topology: wire.Topology,
        data: Path,
        zone: ZoneInfo,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.js = js
        self.desk = desk
        self.screener = screener
        self.site = wire.check_site_id(site)
        self.topology = topology
        self.folder = data / LISTS_FOLDER
        self.zone = zone
        self.clock = clock
        self._gathering: dict[tuple[str, int], _Gathering] = {}
        self._imported: dict[str, int] = {}

    # --- running ------------------------------------------------------------------------------

    async def run(self) -> None:
        """Take links and watchlists as they come, until cancelled (each consumer on its own)."""
        await asyncio.to_thread(self._clear_folder)
        async with asyncio.TaskGroup() as group:
            group.create_task(self._keep_taking(self.topology.inbox_consumer(self.site), FETCH_LINKS, self.take_link))
            group.create_task(
                self._keep_taking(self.topology.lists_consumer(self.site), FETCH_PARTS, self.take_list_part)
            )
            group.create_task(self._keep_parts_alive())

    async def take_once(self) -> Taken:
        """Take what waits now on both consumers, then stop (parts of a version not yet whole are let go)."""
        await asyncio.to_thread(self._clear_folder)
        taken = Taken()
        links = await self._bind(self.topology.inbox_consumer(self.site))
        try:
            taken.links = await self._drain(links, FETCH_LINKS, self.take_link)
        finally:
            await _unbind(links)
        lists = await self._bind(self.topology.lists_consumer(self.site))
        try:
            taken.lists = await self._drain(lists, FETCH_PARTS, self.take_list_part)
        finally:
            await _unbind(lists)
            await self._let_go_all()
        return taken

    async def _keep_taking(self, consumer: str, batch: int, take: Callable[[Msg], Awaitable[bool]]) -> None:
        """Bind to ``consumer`` and take its messages; on a problem, log it, wait (0.5 s doubling to 30 s),
        and bind again."""
        problems = Problems(f"site {self.site}: head office's {consumer}")
        pause = PAUSE_FIRST_S
        while True:
            subscription = None
            try:
                subscription = await self._bind(consumer)
                problems.cleared(f"reading {consumer} again")
                pause = PAUSE_FIRST_S
                while True:
                    await self._fetch(subscription, batch, take)
            except Exception as error:  # the link, the consumer, the store: all may come back
                problems.seen(str(error) if isinstance(error, InboxError) else describe_error(error))
            finally:
                await _unbind(subscription)
            await asyncio.sleep(pause)
            pause = min(pause * 2, PAUSE_MOST_S)

    async def _bind(self, consumer: str) -> JetStreamContext.PullSubscription:
        """The site's pull subscription to one of its consumers (which head office must have made)."""
        stream = self.topology.office_stream
        subscription = await self.js.pull_subscribe_bind(durable=consumer, stream=stream)
        try:
            await subscription.consumer_info()
        except nats.js.errors.NotFoundError:
            await _unbind(subscription)
            raise InboxError(
                f"head office has not set up consumer {consumer} on stream {stream} yet "
                "(it does when the site is added)"
            ) from None
        except BaseException:
            await _unbind(subscription)
            raise
        return subscription

    async def _drain(
        self, subscription: JetStreamContext.PullSubscription, batch: int, take: Callable[[Msg], Awaitable[bool]]
    ) -> int:
        taken = 0
        while (fetched := await self._fetch(subscription, batch, take, DRAIN_WAIT_S)) is not None:
            taken += fetched
        return taken

    async def _fetch(
        self,
        subscription: JetStreamContext.PullSubscription,
        batch: int,
        take: Callable[[Msg], Awaitable[bool]],
        wait: float = FETCH_WAIT_S,
    ) -> int | None:
        """Fetch up to ``batch`` messages and take each; how many were taken, ``None`` when none waited."""
        try:
            messages = await subscription.fetch(batch, timeout=wait)
        except TimeoutError:  # nats-py raises its own and asyncio's: none waited
            return None
        taken = 0
        for message in messages:
            taken += await take(message)
        return taken

    # --- links ----------------------------------------------------------------------------------

    async def take_link(self, message: Msg) -> bool:
        """Record a link as a ``site_link`` event, then acknowledge it; True once it is recorded."""
        try:
            event = self.link_event(wire.decode_link(message.data))
        except (wire.WireError, SetAside) as error:
            await _set_aside(message, f"a link from head office: {error}")
            return False
        received = self.clock()
        try:
            decided = await asyncio.to_thread(self.desk.submit, event, HEAD_OFFICE, received, stamped=True)
        except IdConflict:
            await _set_aside(message, f"link {event.id}: another event with that id is in the record")
            return False
        except NotRecorded as error:
            logger.warning("link %s is not recorded yet (%s): it will be taken again", event.id, error)
            await message.nak(delay=RETRY_DELAY_S)
            return False
        except Exception:
            tries = message.metadata.num_delivered or 1
            if tries >= TRIES_MOST:
                logger.exception("link %s refused %d times: set aside", event.id, tries)
                await message.term()
            else:
                logger.exception("link %s could not be recorded (try %d of %d)", event.id, tries, TRIES_MOST)
                await message.nak(delay=RETRY_DELAY_S)
            return False
        await message.ack()
        if not decided.duplicate:
            logger.info("recorded %s at entry %d", event.id, decided.seq)
        return True

    def link_event(self, note: wire.LinkNote) -> Event:
        """The ``site_link`` event a note addressed to this site makes; ``SetAside`` if it cannot make one."""
        if note.here.site != self.site:
            raise SetAside(f"link {note.link} is addressed to site {note.here.site}, not to this site ({self.site})")
        try:
            other_at = datetime.fromisoformat(note.there.at)
        except ValueError:
            raise SetAside(f'link {note.link}: the other site\'s time "{note.there.at[:40]}" is not ISO 8601') from None
        if other_at.tzinfo is None:
            raise SetAside(f'link {note.link}: the other site\'s time "{note.there.at[:40]}" has no offset')
        try:
            other_at = other_at.astimezone(self.zone)
        except OverflowError:
            raise SetAside(f'link {note.link}: the other site\'s time "{note.there.at[:40]}" is out of range') from None
        payload: dict[str, Any] = {
            "type": "site_link",
            "id": f"hq-link-{note.link}",
            "at": self.clock().astimezone(self.zone).isoformat(),
            "person": note.here.person,
            "kind": note.kind,
            "link": note.link,
            "other_site": note.there.site,
            "other_person": note.there.person,
            "other_at": other_at.isoformat(),
            "other_name": note.there.name,
        }
        try:
            refuse_unreadable(payload, where=f"link {note.link}")  # as every event written here is checked
            return from_payload(payload)
        except InvalidInput as error:
            raise SetAside(str(error)) from None
        except msgspec.ValidationError as error:
            raise SetAside(f"link {note.link}: {error}") from None

    # --- watchlists -----------------------------------------------------------------------------

    async def take_list_part(self, message: Msg) -> bool:
        """Gather one part of a watchlist version; once all are there, import it. True when a version was imported."""
        try:
            part = _part_of(message)
        except (wire.WireError, SetAside) as error:
            await _set_aside(message, f"a watchlist part from head office: {error}")
            return False
        key = (part.list, part.version)
        if await asyncio.to_thread(self._already_imported, part.list, part.version):
            await message.ack()
            return False
        gathering = self._gathering.get(key)
        if gathering is None:
            if len(self._gathering) >= GATHERINGS_MOST:
                await message.nak(delay=RETRY_DELAY_S)  # taken again once a version in hand is done
                return False
            gathering = _Gathering(part, self.folder / _file_name(part))
            await asyncio.to_thread(_start_file, gathering.path)
            self._gathering[key] = gathering
        elif problem := _disagreement(gathering.first, part):
            await _set_aside(message, f"watchlist {part.list} v{part.version} part {part.part}: {problem}")
            return False
        await asyncio.to_thread(_write_part, gathering.path, part.part, message.data)
        message.data = b""  # the part is on disk: held for its acknowledgement only, not its bytes
        gathering.parts.add(part.part)
        gathering.messages.append(message)
        gathering.last = time.monotonic()
        if not gathering.whole():
            return False
        del self._gathering[key]
        return await self._import(gathering)

    async def _import(self, gathering: _Gathering) -> bool:
        """Check the whole file's digest, import it, then acknowledge its parts (terminate them if it is bad)."""
        first = gathering.first
        what = f"watchlist {first.list} v{first.version}"
        alive = asyncio.create_task(_keep_alive(gathering.messages))
        try:
            found = await asyncio.to_thread(_file_digest, gathering.path)
            if found != first.digest:
                raise SetAside(f"the file's digest {found[:16]}… is not the {first.digest[:16]}… head office gave")
            version = await asyncio.to_thread(self._import_file, gathering)
        except (SetAside, WatchlistFileError) as error:
            logger.error("%s from head office cannot be imported: %s; set aside", what, error)
            await _each(gathering.messages, Msg.term)
            return False
        except Exception:
            logger.exception("%s from head office could not be imported: it will be taken again", what)
            await _each(gathering.messages, lambda m: m.nak(delay=RETRY_DELAY_S))
            return False
        finally:
            alive.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await alive
            await asyncio.to_thread(gathering.path.unlink, missing_ok=True)
        self._imported[first.list] = max(first.version, self._imported.get(first.list, 0))
        await _each(gathering.messages, Msg.ack)
        logger.warning("imported %s from head office: %d entries (%s)", what, version.entries, version.source)
        return True

    def _import_file(self, gathering: _Gathering) -> ListVersion:
        first = gathering.first
        reference, said = _reference(first.published)
        return import_list(
            self.screener,
            gathering.path,
            first.format,
            first.list,
            Reading(gathering.path, reference, said),
            source=list_source(first.list, first.version),
            by=HEAD_OFFICE,
            at=self.clock().isoformat(timespec="seconds"),
        )

    def _already_imported(self, name: str, version: int) -> bool:
        """Whether this version, or a later one of the list, was imported from head office already."""
        if self._imported.get(name, 0) >= version:
            return True
        newest = 0
        for held in self.screener.book.history(name):
            found = FROM_HEAD_OFFICE.fullmatch(held.source)
            if found is not None and found["list"] == name:
                newest = max(newest, int(found["version"]))
        self._imported[name] = newest
        return newest >= version

    async def _keep_parts_alive(self) -> None:
        """Tell JetStream the parts held are in progress; let go of a version whose parts stopped coming."""
        while True:
            await asyncio.sleep(IN_PROGRESS_EVERY_S)
            now = time.monotonic()
            for key, gathering in list(self._gathering.items()):
                if now - gathering.last > GATHER_PATIENCE_S:
                    first = gathering.first
                    logger.warning(
                        "watchlist %s v%d: %d of %d parts came, none for %d s: let go (head office sends them again)",
                        first.list,
                        first.version,
                        len(gathering.parts),
                        first.parts,
                        int(GATHER_PATIENCE_S),
                    )
                    await self._let_go(key)
                else:
                    await _each(gathering.messages, Msg.in_progress)

    async def _let_go(self, key: tuple[str, int], delay: float | None = RETRY_DELAY_S) -> None:
        """Stop gathering a version: its parts are given back to JetStream (sent again after ``delay``)."""
        gathering = self._gathering.pop(key, None)
        if gathering is not None:
            await _each(gathering.messages, lambda m: m.nak(delay=delay))
            await asyncio.to_thread(gathering.path.unlink, missing_ok=True)

    async def _let_go_all(self) -> None:
        for key in list(self._gathering):
            await self._let_go(key, delay=None)

    def _clear_folder(self) -> None:
        """Remove parts left by a sync that stopped half-way (they are sent again)."""
        if self.folder.is_dir():
            for left in self.folder.glob("*.part"):
                left.unlink(missing_ok=True)


def _part_of(message: Msg) -> wire.ListPart:
    """The part's header, checked against its bytes; ``SetAside`` when they disagree."""
    header = (message.headers or {}).get(wire.LIST_PART_HEADER)
    if header is None:
        raise SetAside(f"no {wire.LIST_PART_HEADER} header")
    part = wire.decode_list_part(header)
    try:
        refuse_unreadable(part.list, where="the list's name", field="list")  # it is shown wherever the list is
    except InvalidInput as error:
        raise SetAside(str(error)) from None
    if part.part >= part.parts:
        raise SetAside(f"part {part.part} of {part.parts}: there is no such part")
    expected_parts = max(1, math.ceil(part.size / wire.LIST_PART_BYTES))
    if part.parts != expected_parts:
        raise SetAside(f"{part.size} bytes come in {expected_parts} parts, not {part.parts}")
    last = part.size - (part.parts - 1) * wire.LIST_PART_BYTES
    length = last if part.part == part.parts - 1 else wire.LIST_PART_BYTES
    if len(message.data) != length:
        raise SetAside(f"part {part.part} holds {len(message.data)} bytes, not {length}")
    return part


def _disagreement(first: wire.ListPart, part: wire.ListPart) -> str:
    """What a later part says of the file that an earlier part said otherwise (nothing: they agree)."""
    for name in ("format", "parts", "size", "digest"):
        if getattr(first, name) != getattr(part, name):
            return f"its {name} ({getattr(part, name)}) is not the earlier parts' ({getattr(first, name)})"
    return ""


def _file_name(part: wire.ListPart) -> str:
    """A file name for the version's parts that no list name can turn into a path."""
    named = hashlib.sha256(part.list.encode()).hexdigest()[:24]
    return f"{named}-v{part.version}.{part.format}.part"


def _start_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")


def _write_part(path: Path, index: int, data: bytes) -> None:
    with path.open("r+b") as file:
        file.seek(index * wire.LIST_PART_BYTES)
        file.write(data)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _reference(published: str) -> tuple[date, str]:
    """The day dates of birth are judged on: the list's date of publication when it is one, else today."""
    today = date.today()
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return today, "the day of import"
    return (day, "the list's date of publication") if day <= today else (today, "the day of import")


async def _keep_alive(messages: list[Msg]) -> None:
    while True:
        await asyncio.sleep(IN_PROGRESS_EVERY_S)
        await _each(messages, Msg.in_progress)


async def _each(messages: list[Msg], act: Callable[[Msg], Awaitable[None]]) -> None:
    """Acknowledge (or otherwise answer) each message; a lost link loses only answers JetStream resends for."""
    for message in messages:
        try:
            await act(message)
        except nats.errors.Error as error:
            logger.warning("could not answer a message from head office: %s", describe_error(error))


async def _set_aside(message: Msg, problem: str) -> None:
    logger.error("%s; set aside", problem)
    with contextlib.suppress(nats.errors.Error):
        await message.term()


async def _unbind(subscription: JetStreamContext.PullSubscription | None) -> None:
    if subscription is not None:
        with contextlib.suppress(nats.errors.Error):
            await subscription.unsubscribe()
