"""Publishing a watchlist file to every site, as the list's next version.

The file is sent as it is, in parts of ``wire.LIST_PART_BYTES`` on ``<prefix>.lists``: each part's
message carries a ``ListPart`` header (list, version, format, part and parts, the whole file's
size and SHA-256) and the part's bytes as its body, with the message id
``list-<list>-<version>-<part>`` (a resend is dropped). Each site gathers the parts, checks the
digest, and imports the file as the list's next version the way ``gatewatch watchlist import``
does. Head office records the version once every part was acknowledged by JetStream.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from nats.js import JetStreamContext

from gatewatch.files.watchlist_files import guess_format
from gatewatch.hq.store import OfficeStore
from gatewatch.sync.wire import LIST_BYTES, LIST_PART_BYTES, LIST_PART_HEADER, MSG_ID, ListPart, Topology, encode

NAME_CHARS = 200
READ_BYTES = 1024 * 1024
PUBLISH_TIMEOUT_S = 10.0
Format = Literal["ftm", "csv"]


class ListError(ValueError):
    """A watchlist that cannot be published: says what is wrong with the file, name or format."""


@dataclass(frozen=True, slots=True)
class Published:
    """One watchlist version as head office sent it."""

    list: str
    version: int
    format: Format
    parts: int
    size: int
    digest: str
    published: str


def list_format(file: Path, given: str | None) -> Format:
    """``ftm`` or ``csv``: the one given, else by the file's extension (as ``gatewatch watchlist import``)."""
    chosen = given if given is not None else guess_format(file)
    if chosen == "ftm":
        return "ftm"
    if chosen == "csv":
        return "csv"
    raise ListError(f'--format "{chosen[:40]}": give ftm or csv')


def check_list_name(name: str) -> str:
    """The name without surrounding spaces: 1–200 characters, no control characters."""
    name = name.strip()
    if not name:
        raise ListError("--list: give the list a name")
    if len(name) > NAME_CHARS:
        raise ListError(f"--list: {len(name)} characters, more than {NAME_CHARS}")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ListError("--list: the name holds control characters")
    return name


def check_file(file: Path) -> int:
    """The file's size, if it can be published: a regular file, not empty, at most ``LIST_BYTES``."""
    try:
        if not file.is_file():
            raise ListError(f"{file}: no such file")
        size = file.stat().st_size
    except OSError as error:
        raise ListError(f"{file}: cannot read it ({error.strerror or error})") from None
    if size == 0:
        raise ListError(f"{file}: the file is empty; there is nothing to publish")
    if size > LIST_BYTES:
        raise ListError(f"{file}: {size} bytes, more than the {LIST_BYTES} a watchlist sent to the sites may hold")
    return size


def file_digest(file: Path) -> str:
    """SHA-256 of the file, read a megabyte at a time."""
    hashed = hashlib.sha256()
    with file.open("rb") as source:
        while chunk := source.read(READ_BYTES):
            hashed.update(chunk)
    return hashed.hexdigest()


async def publish_list(
    js: JetStreamContext,
    store: OfficeStore,
    topology: Topology,
    file: Path,
    list_name: str,
    format: str | None,
    source: str,
) -> Published:
    """Publish ``file`` as the next version of ``list_name`` to every site; record it; return what was sent.

    In order: check the name, format and file; hash it; take the list's next version from the
    store; publish the parts in order, each acknowledged before the next; check the file was not
    changed while it was read; record the version (``hq_lists``). Publishing again after a failure
    sends the same version again (its parts' ids are the same, and JetStream drops the repeats).
    """
    name = check_list_name(list_name)
    kind = list_format(file, format)
    size = check_file(file)
    source = source.strip()[:NAME_CHARS] or file.name[:NAME_CHARS] or "head office"
    digest = await asyncio.to_thread(file_digest, file)
    version = await asyncio.to_thread(store.next_list_version, name)
    parts = math.ceil(size / LIST_PART_BYTES)
    published = datetime.now(UTC).isoformat(timespec="seconds")
    header = ListPart(
        list=name,
        version=version,
        format=kind,
        part=0,
        parts=parts,
        size=size,
        digest=digest,
        published=published,
        source=source,
    )
    again = hashlib.sha256()
    with file.open("rb") as read:
        for part in range(parts):
            body = await asyncio.to_thread(read.read, LIST_PART_BYTES)
            again.update(body)
            await _publish_part(js, topology, header, part, body)
    if again.hexdigest() != digest:
        raise ListError(f"{file}: the file changed while it was published; publish it again once it is written")
    await asyncio.to_thread(store.add_list_version, name, version, kind, digest, size, published, source, parts)
    return Published(name, version, kind, parts, size, digest, published)


async def _publish_part(js: JetStreamContext, topology: Topology, header: ListPart, part: int, body: bytes) -> None:
    described = ListPart(
        list=header.list,
        version=header.version,
        format=header.format,
        part=part,
        parts=header.parts,
        size=header.size,
        digest=header.digest,
        published=header.published,
        source=header.source,
    )
    headers = {
        LIST_PART_HEADER: encode(described).decode(),
        MSG_ID: f"list-{header.list}-{header.version}-{part}",
    }
    await js.publish(topology.lists_subject, body, timeout=PUBLISH_TIMEOUT_S, headers=headers)
