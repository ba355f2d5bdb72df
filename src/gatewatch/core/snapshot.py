"""The engine's state as bytes, and back: what a snapshot of the record stores.

MessagePack through msgspec, typed both ways, so that loading a snapshot builds exactly the
structures the engine uses and cannot run code. The site is not stored: it is the site file's,
and is given back on loading (with a digest, so that a snapshot taken on another site or an
edited one is not used).
"""

from __future__ import annotations

import hashlib
from typing import Any, get_args, get_origin

import msgspec
from immutables import Map

from gatewatch.core.site import Site
from gatewatch.core.state import State


class StoredState(State, frozen=True):
    """State without its site (given back on loading)."""

    site: None = None  # type: ignore[assignment]


def _enc_hook(value: Any) -> Any:
    if isinstance(value, Map):
        return dict(value.items())
    raise NotImplementedError(f"cannot store {type(value).__name__}")


def _dec_hook(kind: Any, value: Any) -> Any:
    if get_origin(kind) is Map:
        key, item = get_args(kind)
        return Map(msgspec.convert(value, dict[key, item], dec_hook=_dec_hook))
    raise NotImplementedError(f"cannot load {kind}")


_encoder = msgspec.msgpack.Encoder(enc_hook=_enc_hook)
_decoder = msgspec.msgpack.Decoder(StoredState, dec_hook=_dec_hook)


def dump(state: State) -> bytes:
    return _encoder.encode(msgspec.structs.replace(state, site=None))


def load(data: bytes, site: Site) -> State:
    stored = _decoder.decode(data)
    fields = {name: getattr(stored, name) for name in State.__struct_fields__ if name != "site"}
    return State(site=site, **fields)


def site_digest(site: Site) -> str:
    """A fingerprint of the site the state was built on."""
    return hashlib.sha256(repr(site).encode()).hexdigest()
