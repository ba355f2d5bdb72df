"""The engine's state as bytes, and back: what a snapshot of the record stores.

MessagePack through msgspec, typed both ways, so that loading a snapshot builds exactly the
structures the engine uses and cannot run code. The storage type is derived from ``State``
itself: every persistent map becomes a typed dict, so the whole state decodes in one typed
pass, and the maps are rebuilt after. The site is not stored: it is the site file's, and is
given back on loading (with a digest, so that a snapshot of another site or of an edited one
is not used, nor one of an older shape of the state: ``STATE_FORMAT``).
"""

from __future__ import annotations

import hashlib
from typing import Any, get_args, get_origin, get_type_hints

import msgspec
from immutables import Map

from gatewatch.core.site import Site
from gatewatch.core.state import State

_HINTS = {name: hint for name, hint in get_type_hints(State).items() if name in State.__struct_fields__}
_STORED = [name for name in State.__struct_fields__ if name != "site"]


def _as_dicts(hint: Any) -> Any:
    """The same type with every ``Map[K, V]`` written as ``dict[K, V]`` (nested ones too)."""
    if get_origin(hint) is Map:
        key, value = get_args(hint)
        return dict.__class_getitem__((key, _as_dicts(value)))
    return hint


def _as_maps(hint: Any, value: Any) -> Any:
    """Rebuild the persistent maps that ``_as_dicts`` wrote as dicts."""
    if get_origin(hint) is Map:
        inner = get_args(hint)[1]
        if get_origin(inner) is Map:
            return Map({k: _as_maps(inner, v) for k, v in value.items()})
        return Map(value)
    return value


StoredState = msgspec.defstruct("StoredState", [(name, _as_dicts(_HINTS[name])) for name in _STORED])


def _enc_hook(value: Any) -> Any:
    if isinstance(value, Map):
        return dict(value.items())
    raise NotImplementedError(f"cannot store {type(value).__name__}")


_encoder = msgspec.msgpack.Encoder(enc_hook=_enc_hook)
_decoder = msgspec.msgpack.Decoder(StoredState)


def dump(state: State) -> bytes:
    return _encoder.encode(StoredState(**{name: getattr(state, name) for name in _STORED}))


def load(data: bytes, site: Site) -> State:
    stored = _decoder.decode(data)
    return State(site=site, **{name: _as_maps(_HINTS[name], getattr(stored, name)) for name in _STORED})


STATE_FORMAT = 3
"""The shape of the stored state: raised whenever ``State`` changes (2: visitors' pathways), so that
a snapshot of an older shape is never found, and the desk replays the record instead."""


def site_digest(site: Site) -> str:
    """A fingerprint of the site the state was built on, and of the state's shape."""
    return hashlib.sha256(f"state format {STATE_FORMAT}\n{site!r}".encode()).hexdigest()
