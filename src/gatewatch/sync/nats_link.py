"""The site's link to head office: which NATS servers, with which key, and the connection itself.

A site connects with its own NKEY (a user seed file, ``SU…``) and reads replies only on its own
inbox prefix (``_INBOX_<site>``): the server's permissions for the site allow nothing else. The
connection tries again forever, waiting a bounded time between attempts, so that a site cut off
for a day keeps deciding at its doors and catches up when the link returns. Every problem is
logged, once until it changes; none of them stops the site's server.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import nats
import nkeys  # type: ignore[import-untyped]
from nats.aio.client import Client

from gatewatch.sync.wire import Topology, WireError, check_site_id

logger = logging.getLogger("gatewatch.sync")

CONNECT_TIMEOUT_S = 5
"""How long one attempt to reach a server may take."""
RECONNECT_WAIT_S = 2
"""How long the link waits between two attempts (it never gives up while the site runs)."""
QUICK_ATTEMPTS = 2
"""Attempts per server for a run that ends by itself (``gatewatch sync --once``)."""
SEED_BYTES = 256
"""A user seed is 58 characters; a larger file is not one."""
SERVERS_MOST = 16
TARGET = "head-office"
"""The name of the cursor the site keeps of what head office has taken."""


class LinkError(ValueError):
    """The link to head office cannot be set up as given: says what is wrong and where."""


@dataclass(frozen=True, slots=True)
class HeadOfficeLink:
    """Everything a site needs to stream its record to head office and take what it sends.

    ``servers``: the NATS URLs; ``seed``: the site's NKEY seed file (none: the server asks for no
    key); ``identity_key``: the key shared by head office and sites to hash identifiers (marks,
    withheld fields); ``private``: identity fields leave the site only as keyed hashes;
    ``data``: the site's data directory (the sync's lock file, watchlist parts being gathered).
    """

    servers: tuple[str, ...]
    topology: Topology
    data: Path
    seed: Path | None = None
    identity_key: Path | None = None
    private: bool = False

    def describe(self) -> str:
        mode = ", identity fields withheld" if self.private else ""
        return f"{', '.join(self.servers)} (prefix {self.topology.prefix}{mode})"


def head_office_link(
    url: str,
    data: Path | None,
    *,
    seed: Path | None = None,
    identity_key: Path | None = None,
    private: bool = False,
    prefix: str = "gatewatch",
) -> HeadOfficeLink:
    """The link as given on the command line, checked: ``LinkError`` names the first thing wrong."""
    if data is None:
        raise LinkError("syncing with head office needs --data: the sync's lock file is kept there")
    if private and identity_key is None:
        raise LinkError("--private needs --identity-key: identity fields leave the site only hashed with that key")
    if seed is not None:
        read_seed(seed)
    try:
        topology = Topology(prefix=prefix)
    except WireError as error:
        raise LinkError(f"--prefix: {error}") from None
    return HeadOfficeLink(check_servers(url), topology, data, seed, identity_key, private)


def check_servers(url: str) -> tuple[str, ...]:
    """The NATS URLs in ``url`` (several may be given, comma-separated), each ``nats://host:port``."""
    servers = tuple(part.strip() for part in url.split(",") if part.strip())
    if not servers:
        raise LinkError("head office: give the NATS server's URL, e.g. nats://hq.example.org:4222")
    if len(servers) > SERVERS_MOST:
        raise LinkError(f"head office: {len(servers)} NATS URLs; give at most {SERVERS_MOST}")
    for server in servers:
        try:
            parts = urlsplit(server)
            parts.port  # noqa: B018 (a port that is not a number raises here)
        except ValueError as error:
            raise LinkError(f'head office: "{server[:200]}" is not a URL ({error})') from None
        if parts.scheme != "nats" or not parts.hostname:
            raise LinkError(
                f'head office: "{server[:200]}" is not a NATS URL: write it nats://host:port '
                "(e.g. nats://hq.example.org:4222)"
            )
    return servers


def read_seed(path: Path) -> bytes:
    """The site's NKEY user seed from its file; ``LinkError`` when it is missing, unreadable or not one."""
    try:
        if path.is_dir():
            raise LinkError(f"NATS seed file {path}: that is a directory")
        if path.stat().st_size > SEED_BYTES:
            raise LinkError(f"NATS seed file {path}: {path.stat().st_size} bytes, not an NKEY seed (58 characters)")
        raw = path.read_bytes().strip()
    except FileNotFoundError:
        raise LinkError(f"NATS seed file {path}: no such file") from None
    except OSError as error:
        raise LinkError(f"NATS seed file {path}: cannot read it ({error.strerror or error})") from None
    if not raw.startswith(b"SU"):
        what = "an account or operator seed" if raw[:2] in (b"SA", b"SO") else "an NKEY user seed"
        raise LinkError(f'NATS seed file {path}: not a user seed (it should start "SU"; this is not {what})')
    try:
        whole = _checksum_holds(raw)
        nkeys.from_seed(bytearray(raw)).wipe()
    except Exception as error:  # nkeys raises its own errors and binascii's for a damaged seed
        raise LinkError(f"NATS seed file {path}: not a valid NKEY seed ({error})") from None
    if not whole:
        raise LinkError(f"NATS seed file {path}: not a valid NKEY seed (its checksum does not match: damaged?)")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        logger.warning("NATS seed file %s can be read by others than its owner: chmod 600 it", path)
    return raw


def _checksum_holds(seed: bytes) -> bool:
    """Whether the seed's last two bytes are the CRC-16 of the rest (nkeys does not check it)."""
    decoded = base64.b32decode(seed + b"=" * (-len(seed) % 8))
    body, checksum = decoded[:-2], decoded[-2:]
    return int(nkeys.crc16(bytearray(body))).to_bytes(2, "little") == checksum


class Problems:
    """Logs a recurring problem once, again only when it changes or every ``every_s``, and its end."""

    def __init__(self, what: str, every_s: float = 600.0) -> None:
        self.what = what
        self.every_s = every_s
        self._last: str | None = None
        self._since = 0.0

    def seen(self, problem: str) -> None:
        now = time.monotonic()
        if problem != self._last or now - self._since >= self.every_s:
            logger.error("%s: %s", self.what, problem)
            self._last, self._since = problem, now

    def cleared(self, message: str | None = None) -> None:
        if self._last is not None:
            logger.warning("%s: %s", self.what, message or "working again")
        self._last = None


async def connect(link: HeadOfficeLink, site: str, *, patient: bool = True) -> Client:
    """Connect the site to head office's NATS servers.

    ``patient``: keep trying until connected, and reconnect forever after a loss (a site's server
    or a running ``gatewatch sync``); otherwise give up after a few attempts (``--once``) with the
    last error. Problems are logged through ``Problems``; nothing here raises for a lost link.
    """
    problems = Problems(f"site {site}: the link to head office")

    async def on_error(error: Exception) -> None:
        problems.seen(describe_error(error))

    opened: list[Client] = []

    async def on_disconnected() -> None:
        if opened and opened[0].is_closed:
            return  # closed here, on purpose (a stop, or the end of --once): nothing to try again
        problems.seen("disconnected; trying again")

    async def on_reconnected() -> None:
        problems.cleared("connected again")

    options: dict[str, object] = {}
    if link.seed is not None:
        options["nkeys_seed"] = str(link.seed)
    client: Client = await nats.connect(
        list(link.servers),
        name=f"gatewatch site {site}",
        inbox_prefix=link.topology.inbox_prefix(check_site_id(site)),
        connect_timeout=CONNECT_TIMEOUT_S,
        reconnect_time_wait=RECONNECT_WAIT_S,
        max_reconnect_attempts=-1 if patient else QUICK_ATTEMPTS,
        allow_reconnect=True,
        error_cb=on_error,
        disconnected_cb=on_disconnected,
        reconnected_cb=on_reconnected,
        **options,
    )
    opened.append(client)
    problems.cleared("connected")
    return client


async def close(client: Client) -> None:
    """Close the connection without waiting long for a server that is gone."""
    if client.is_closed:
        return
    try:
        await asyncio.wait_for(client.close(), CONNECT_TIMEOUT_S)
    except (TimeoutError, nats.errors.Error) as error:
        logger.warning("the link to head office did not close cleanly: %s", describe_error(error))


def describe_error(error: BaseException) -> str:
    """A NATS error in plain words (nats-py's own messages are often empty)."""
    if isinstance(error, nats.errors.NoServersError):
        return "no NATS server answers"
    if isinstance(error, nats.errors.AuthorizationError):
        return "the NATS server refused the site's key (authorization violation): check --nats-seed"
    if isinstance(error, ConnectionRefusedError):
        return "the NATS server refused the connection (nothing listens there)"
    if isinstance(error, TimeoutError | nats.errors.TimeoutError):
        return "NATS did not answer in time"
    if isinstance(error, nats.js.errors.NoStreamResponseError):
        return "no stream takes the site's entries yet (head office has not set it up)"
    if isinstance(error, nats.js.errors.NotFoundError):
        return f"not found at NATS: {error.description or error}"
    if isinstance(error, nats.js.errors.APIError):
        return f"JetStream refused: {error.description or error} (code {error.err_code})"
    if isinstance(error, nats.errors.ConnectionClosedError):
        return "the link to NATS is closed"
    text = str(error).strip()
    if "permissions violation" in text.casefold():
        return (
            f"the NATS server refused a subject the site used ({_without_inbox(text)}): check that the site "
            "id in the site file is the one head office added (hq site add), the seed file is that site's, "
            "--hq-prefix/--prefix is head office's, and the server's config was written again and reloaded"
        )
    return f"{error.__class__.__name__}: {text}" if text else error.__class__.__name__


_INBOX_TAIL = re.compile(r"(_inbox_[a-z0-9_-]+)\.[^\s\"']+", re.IGNORECASE)


def _without_inbox(text: str) -> str:
    """The error with its reply subject's random part cut (``_INBOX_north.…``), so that one
    refusal repeated is logged once, not once per attempt."""
    return _INBOX_TAIL.sub(r"\1.…", text)[:300]
