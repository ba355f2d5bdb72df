"""Who may do what on the NATS server: each site's NKEY, head office's NKEY, and the server's config.

Each site connects with a key pair of its own (an NKEY user: the seed stays at the site, in a
file only its owner reads; the server knows only the public key, ``U…``). The server config
head office writes lets a site publish only its own entries' subject and pull only its own two
consumers (what head office addresses to it, and the watchlists), answering on its own reply
subjects; head office may do everything. A site that publishes as another is refused by the
server itself.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path

import nkeys  # type: ignore[import-untyped]

from gatewatch.sync.wire import Topology, check_site_id

SEED_FILE_MODE = 0o600
SEED_BYTES = 32
MOST_SITES = 10_000
"""The most sites one server config lists (a bound at intake, well above any deployment's)."""
SEED_FILE_BYTES = 1_000
"""A seed file is 58 characters (and a newline): anything much larger is not one."""
_PUBLIC_KEY = re.compile(r"^U[A-Z2-7]{55}$")
_SEED = re.compile(rb"^SU[A-Z2-7]{56}$")


class AccessError(ValueError):
    """A seed, key or seed file that cannot be used: says which and why."""


def new_user_seed() -> bytes:
    """A fresh NKEY user seed (``SU…``) over 32 random bytes."""
    seed = nkeys.encode_seed(secrets.token_bytes(SEED_BYTES), nkeys.PREFIX_BYTE_USER)
    return bytes(seed)


def public_key(seed: bytes) -> str:
    """The public key (``U…``) of a user seed; ``AccessError`` if ``seed`` is not one."""
    seed = seed.strip()
    if not _SEED.fullmatch(seed):
        raise AccessError("not an NKEY user seed (58 characters starting SU)")
    try:
        decoded = base64.b32decode(seed + b"=" * (-len(seed) % 8))
        pair = nkeys.from_seed(bytearray(seed))
    except (nkeys.NkeysError, binascii.Error, ValueError) as error:
        raise AccessError(f"not a usable NKEY user seed ({error.__class__.__name__})") from None
    if int(nkeys.crc16(bytearray(decoded[:-2]))).to_bytes(2, "little") != decoded[-2:]:
        pair.wipe()
        raise AccessError("not a usable NKEY user seed (its checksum does not match: damaged?)")
    try:
        return str(pair.public_key.decode())
    finally:
        pair.wipe()


def check_public_key(key: str) -> str:
    """The key, if it is an NKEY user public key (``U`` and 55 base32 characters, checksum right)."""
    if not _PUBLIC_KEY.fullmatch(key):
        raise AccessError(f'"{key[:80]}" is not an NKEY user public key (56 characters starting U)')
    raw = base64.b32decode(key + "=" * (-len(key) % 8))
    body, checksum = raw[:-2], raw[-2:]
    if int(nkeys.crc16(bytearray(body))).to_bytes(2, "little") != checksum:
        raise AccessError(f'"{key}": the checksum does not match (a mistyped or cut key?)')
    return key


def write_seed(path: Path, seed: bytes) -> str:
    """Write ``seed`` to a new file only its owner may read (0600); return its public key.

    An existing file is never overwritten: a site whose key is replaced by mistake would be locked
    out until the server config is written again.
    """
    key = public_key(seed)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SEED_FILE_MODE)
    except FileExistsError:
        raise AccessError(f"{path} already exists: a seed file is never overwritten (move it away first)") from None
    except OSError as error:
        raise AccessError(f"{path}: cannot write it ({error.strerror or error})") from None
    with os.fdopen(descriptor, "wb") as out:
        out.write(seed.strip() + b"\n")
        out.flush()
        os.fsync(out.fileno())
    return key


def read_seed(path: Path) -> bytes:
    """A seed file's seed, checked to be an NKEY user seed; ``AccessError`` saying what is wrong."""
    try:
        if path.stat().st_size > SEED_FILE_BYTES:
            raise AccessError(f"{path}: {path.stat().st_size} bytes, too large to be a seed file")
        seed = path.read_bytes().strip()
    except FileNotFoundError:
        raise AccessError(f"{path}: no such seed file") from None
    except OSError as error:
        raise AccessError(f"{path}: cannot read it ({error.strerror or error})") from None
    try:
        public_key(seed)
    except AccessError as error:
        raise AccessError(f"{path}: {error}") from None
    return seed


def site_permissions(topology: Topology, site: str) -> dict[str, list[str]]:
    """What a site may publish and subscribe to, every subject its own.

    Publish: its entries' subject; pulling the next message from, and asking after, its two
    consumers on head office's stream; acknowledging what those consumers delivered.
    Subscribe: its own reply subjects (where publish acknowledgements and pulled messages come).
    """
    check_site_id(site)
    stream = topology.office_stream
    consumers = (topology.inbox_consumer(site), topology.lists_consumer(site))
    publish = [topology.site_subject(site)]
    publish += [f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}" for consumer in consumers]
    publish += [f"$JS.API.CONSUMER.INFO.{stream}.{consumer}" for consumer in consumers]
    publish += [f"$JS.ACK.{stream}.{consumer}.>" for consumer in consumers]
    return {"publish": publish, "subscribe": [f"{topology.inbox_prefix(site)}.>"]}


def office_permissions() -> dict[str, list[str]]:
    """Head office may publish and subscribe to everything (it makes the streams and consumers)."""
    return {"publish": [">"], "subscribe": [">"]}


def server_config(
    topology: Topology,
    sites: Sequence[tuple[str, str]],
    office_public_key: str,
    port: int,
    store_dir: Path,
    host: str = "127.0.0.1",
) -> str:
    """A whole nats-server config: where it listens, JetStream's store, and one user per key.

    ``sites``: (site id, its NKEY public key) pairs; each site's user gets ``site_permissions``,
    head office's key every right. A connection without one of these keys is refused.
    """
    users = _users(topology, sites, office_public_key)
    if not 1 <= port <= 65_535:
        raise AccessError(f"port {port}: give 1–65535")
    if not host or any(c.isspace() or c in "\"'{}#;" for c in host):
        raise AccessError(f'host "{host[:80]}": give an address or a host name')
    lines = [
        f"# nats-server config for gatewatch head office and its {len(sites)} site(s); prefix {topology.prefix}.",
        "# Written by `gatewatch hq nats-config`: write it again after `gatewatch hq site add`.",
        f"listen: {_quoted(f'[{host}]:{port}' if ':' in host else f'{host}:{port}')}",
        "max_payload: 1048576",
        "",
        "jetstream {",
        f"  store_dir: {_quoted(str(store_dir))}",
        "}",
        "",
        "authorization {",
        "  users = [",
        *users,
        "  ]",
        "}",
        "",
    ]
    return "\n".join(lines)


def _users(topology: Topology, sites: Sequence[tuple[str, str]], office_public_key: str) -> list[str]:
    """The users block's lines: head office first, then each site, every key used once."""
    if len(sites) > MOST_SITES:
        raise AccessError(f"{len(sites)} sites: one server config lists at most {MOST_SITES}")
    seen: dict[str, str] = {check_public_key(office_public_key): "head office"}
    lines = ["    # head office: every right (it makes the streams and consumers)"]
    lines.append(_user(office_public_key, office_permissions()))
    for site, key in sites:
        check_site_id(site)
        check_public_key(key)
        if key in seen:
            raise AccessError(f"site {site}: its key is already {seen[key]}'s; every site needs a key of its own")
        if f"site {site}" in seen.values():
            raise AccessError(f"site {site} is listed twice")
        seen[key] = f"site {site}"
        lines.append(f"    # site {site}: its own subject and consumers only")
        lines.append(_user(key, site_permissions(topology, site)))
    return lines


def _user(key: str, permissions: dict[str, list[str]]) -> str:
    publish = ", ".join(_quoted(subject) for subject in permissions["publish"])
    subscribe = ", ".join(_quoted(subject) for subject in permissions["subscribe"])
    return (
        f"    {{ nkey: {_quoted(key)}, permissions: {{ "
        f"publish: {{ allow: [{publish}] }}, subscribe: {{ allow: [{subscribe}] }} }} }}"
    )


def _quoted(value: str) -> str:
    """A double-quoted string as the server's config reads it (JSON's escapes)."""
    return json.dumps(value)
