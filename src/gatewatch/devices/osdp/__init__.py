"""The OSDP driver (IEC 60839-11-5): gatewatch as the control panel of card and PIN readers,
through libosdp. Configuration in ``config``, the driver in ``driver``; how to wire and key a
real reader in ``docs/devices-osdp.md``."""

from gatewatch.devices.osdp.config import OsdpReaderConfig, osdp_readers
from gatewatch.devices.osdp.driver import OsdpDriver
from gatewatch.devices.osdp.fields import OsdpConfigError

__all__ = ["OsdpConfigError", "OsdpDriver", "OsdpReaderConfig", "osdp_readers"]
