"""The events' JSON Schema for this site: generated from the core's types, then made exact.

msgspec writes the shapes; this adds what the API itself enforces: a non-blank ``id`` of at
most 200 characters, ``at`` optional and an RFC 3339 date-time, and doors, zones and posts
limited to the ones this site has (people stay open: a visitor is named first by an event).
"""

from __future__ import annotations

import copy
from typing import Any

import msgspec

from gatewatch.core import events as ev
from gatewatch.core.site import Site

(BODY,), _COMPONENTS = msgspec.json.schema_components([ev.AnyEvent], ref_template="#/components/schemas/{name}")
"""The request body: one of the events (each a reference into the components)."""
EVENT_NAMES = frozenset(cls.__name__ for cls in ev.EVENT_TYPES.values())

ID = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"\S"}
AT = {"type": "string", "format": "date-time", "description": "When it happened; the desk's clock if left out"}


def event_components(site: Site) -> dict[str, Any]:
    """The components the body refers to, made exact for this site."""
    names = {
        "door": sorted(site.doors),
        "to": sorted(site.zones),
        "zone": sorted(site.zones),
        "post": sorted(site.posts),
    }
    components = copy.deepcopy(_COMPONENTS)
    for name, component in components.items():
        if name not in EVENT_NAMES:
            continue
        properties = component["properties"]
        properties["id"] = dict(ID)
        properties["at"] = dict(AT)
        component["required"] = [r for r in component["required"] if r != "at"]
        for field, allowed in names.items():
            if field in properties and allowed:
                nullable = "anyOf" in properties[field]
                exact = {"type": "string", "enum": allowed}
                properties[field] = {"anyOf": [exact, {"type": "null"}]} if nullable else exact
    return components
