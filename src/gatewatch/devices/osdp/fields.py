"""Reading an OSDP reader's configuration: the shared field readers (``gatewatch.devices.fields``)."""

from __future__ import annotations

from gatewatch.devices.fields import DeviceConfigError, Fields, hint, kind

OsdpConfigError = DeviceConfigError
"""A configuration value of an ``osdp`` reader is wrong (the message names device and field)."""

__all__ = ["Fields", "OsdpConfigError", "hint", "kind"]
