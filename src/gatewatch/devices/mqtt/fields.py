"""Reading an MQTT device's configuration: topic ids and prefixes.

MQTT's own: ids that stand as one level of a topic, and the topics' prefix; the rest is
``gatewatch.devices.fields``.
"""

from __future__ import annotations

from gatewatch.core import limits
from gatewatch.devices.fields import DeviceConfigError, Fields, kind

TOPIC_UNSAFE = frozenset("/+#")
"""Characters an id cannot hold when it is one level of an MQTT topic."""

LIST_LONGEST = 256
"""Doors, readers or controllers in one list: more than a relay board or a site has."""


MqttConfigError = DeviceConfigError
"""A configuration value of the ``mqtt`` devices is wrong (the message names device and field)."""


def topic_ids(fields: Fields, field: str) -> tuple[str, ...]:
    """A list of ids that are each one level of a topic, no id twice."""
    value = fields.get(field)
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise fields.fail(field, f"must be a list of ids, not {kind(value)}")
    if len(value) > LIST_LONGEST:
        raise fields.fail(field, f"must list at most {LIST_LONGEST}")
    found = tuple(topic_id(fields, field, item) for item in value)
    twice = sorted({ident for ident in found if found.count(ident) > 1})
    if twice:
        raise fields.fail(field, f"lists {', '.join(twice)} more than once")
    return found


def topic_id(fields: Fields, field: str, value: object) -> str:
    """An id that can stand as one level of an MQTT topic."""
    if not isinstance(value, str):
        raise fields.fail(field, f"an id must be text, not {kind(value)}")
    if not value.strip() or value != value.strip():
        raise fields.fail(field, "an id must not be blank nor begin or end with spaces")
    if len(value) > limits.ID_CHARS:
        raise fields.fail(field, f"an id must be at most {limits.ID_CHARS} characters")
    if not value.isprintable() or TOPIC_UNSAFE & set(value):
        raise fields.fail(field, f"{value!r} cannot be a topic level (printable, without / + #)")
    return value


def topic_prefix(fields: Fields, field: str, default: str) -> str:
    """The topics' prefix: levels joined by ``/``, none empty, no wildcard, not a ``$`` topic."""
    value = fields.text(field, longest=limits.ID_CHARS) or default
    levels = value.split("/")
    if value.startswith("$") or any(not level or "+" in level or "#" in level for level in levels):
        raise fields.fail(field, f"{value!r} must be topic levels joined by /, none empty, without + # or a leading $")
    return value


__all__ = ["LIST_LONGEST", "TOPIC_UNSAFE", "Fields", "MqttConfigError", "topic_id", "topic_ids", "topic_prefix"]
