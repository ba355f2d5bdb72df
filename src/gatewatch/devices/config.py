"""Which door drivers a site runs, read from its ``devices`` (docs/devices.md).

The drivers are configured under a ``devices`` key of the site file, or in a file beside it
named after it (``site.yaml`` → ``site.devices.yaml``), not both::

    devices:
      simulated: false      # readers, contacts and locks held in memory (the demo, trials)
      mqtt: {...}           # door controllers over MQTT (docs/devices-mqtt.md)
      osdp: [...]           # OSDP readers on RS-485 lines (docs/devices-osdp.md)

Each part is checked by its driver's own package (``gatewatch.devices.mqtt.mqtt_config``,
``gatewatch.devices.osdp.osdp_readers``), imported only when the part is given; then every door
and reader named must be the site's, and no door or reader is worked by two drivers. Every error names
the device and the field: ``device "gate-board": field "readers": unknown reader "outer-ot"``.

Without any ``devices`` no driver runs (the doors are worked by hand). ``simulated: true``
works every door no other driver works; it is never on unless asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gatewatch.core.errors import unknown
from gatewatch.core.site import Site
from gatewatch.devices.base import Driver
from gatewatch.devices.simulated import SimulatedDriver
from gatewatch.files.loader import DEVICES_KEY, FileError, read_yaml, read_yaml_cached

if TYPE_CHECKING:
    from gatewatch.devices.mqtt import MqttConfig
    from gatewatch.devices.osdp.config import OsdpReaderConfig

FILE_SUFFIX = ".devices.yaml"
PARTS = ("simulated", "mqtt", "osdp")


class DevicesError(ValueError):
    """A devices configuration that cannot be used; the message names the device and the field."""

    def __init__(self, device: str, field: str, problem: str) -> None:
        super().__init__(f'device "{device}": field "{field}": {problem}')
        self.device = device
        self.field = field
        self.problem = problem


@dataclass(frozen=True, slots=True)
class DevicesConfig:
    simulated: bool = False
    mqtt: MqttConfig | None = None
    osdp: tuple[OsdpReaderConfig, ...] = ()

    @property
    def any(self) -> bool:
        return self.simulated or self.mqtt is not None or bool(self.osdp)


NO_DEVICES = DevicesConfig()


def devices_file(site_path: Path) -> Path:
    """The devices file beside a site file: ``site.yaml`` → ``site.devices.yaml``."""
    return site_path.with_name(f"{site_path.stem}{FILE_SUFFIX}")


def load_devices(site_path: Path, site: Site, cache: Path | None = None) -> DevicesConfig:
    """The site's devices, from its file's ``devices`` key or the devices file beside it;
    ``FileError`` naming the file that holds what is wrong."""
    raw = read_yaml(site_path) if cache is None else read_yaml_cached(site_path, cache)
    inline = raw.get(DEVICES_KEY) if isinstance(raw, Mapping) else None
    beside = devices_file(site_path)
    if not beside.exists():
        return _checked(site_path, inline, site)
    if inline is not None:
        raise FileError(beside, f"the devices are configured here and in {site_path.name} as well: keep one")
    content = read_yaml(beside)
    if isinstance(content, Mapping) and set(content) == {DEVICES_KEY}:
        content = content[DEVICES_KEY]  # the file may repeat the key
    return _checked(beside, content, site)


def _checked(path: Path, raw: object, site: Site) -> DevicesConfig:
    try:
        return devices_config(raw, site)
    except ValueError as error:
        raise FileError(path, str(error)) from None


def devices_config(raw: object, site: Site) -> DevicesConfig:
    """The ``devices`` mapping checked against the site; ``DevicesError`` (or the driver's own
    ``ValueError``) naming the device and the field."""
    if raw is None:
        return NO_DEVICES
    if not isinstance(raw, Mapping):
        raise DevicesError("devices", "devices", f"must be a mapping of {', '.join(PARTS)}")
    for key in raw:
        if key not in PARTS:
            raise DevicesError("devices", str(key), unknown("part", str(key), PARTS))
    simulated = raw.get("simulated", False)
    if not isinstance(simulated, bool):
        raise DevicesError("simulated", "simulated", "must be true or false")
    config = DevicesConfig(
        simulated=simulated,
        mqtt=_mqtt(raw["mqtt"]) if raw.get("mqtt") is not None else None,
        osdp=_osdp(raw["osdp"]) if raw.get("osdp") is not None else (),
    )
    _check_against_site(config, site)
    return config


def _mqtt(raw: object) -> MqttConfig:
    build: Callable[[object], MqttConfig] = _driver_part("mqtt", "gatewatch.devices.mqtt", "mqtt_config")
    return build(raw)


def _osdp(raw: object) -> tuple[OsdpReaderConfig, ...]:
    build: Callable[[object], tuple[OsdpReaderConfig, ...]] = _driver_part(
        "osdp", "gatewatch.devices.osdp", "osdp_readers"
    )
    return build(raw)


def _driver_part(part: str, module: str, name: str) -> Any:
    """A driver package's function, imported only when its part is configured."""
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError as error:
        raise DevicesError(part, part, f"the {part} driver cannot be loaded here ({error})") from None
    if found is None:
        raise DevicesError(part, part, f"this version has no {part} driver yet: only simulated devices")
    return found


def _check_against_site(config: DevicesConfig, site: Site) -> None:
    """Every door and reader named is the site's; a reader is worked by one driver, and a door's
    lock by one driver (an OSDP reader may stand at a door whose lock a controller works)."""
    doors: dict[str, str] = {}
    readers: dict[str, str] = {}
    if config.mqtt is not None:
        for controller in config.mqtt.controllers:
            _known(controller.id, "doors", "door", controller.doors, site.doors)
            _known(controller.id, "readers", "reader", controller.readers, site.readers)
            doors.update(dict.fromkeys(controller.doors, f"mqtt controller {controller.id}"))
            readers.update(dict.fromkeys(controller.readers, f"mqtt controller {controller.id}"))
        _mqtt_readers_at_mqtt_doors(config.mqtt, site)
    for reader in config.osdp:
        _known(reader.id, "id", "reader", (reader.id,), site.readers)
        door = site.readers[reader.id].door
        if reader.id in readers:
            raise DevicesError(reader.id, "id", f"the reader is also worked by the {readers[reader.id]}")
        if reader.lock_output is not None and door in doors:  # one driver per lock: two would fight over it
            raise DevicesError(reader.id, "lock_output", f"the lock of its door {door} is worked by the {doors[door]}")


def _mqtt_readers_at_mqtt_doors(mqtt: MqttConfig, site: Site) -> None:
    """An MQTT controller's reader stands at a door an MQTT controller works: the driver shows
    green only with the unlock it sends itself, so a grant at any other door would show red."""
    worked = mqtt.doors()
    for controller in mqtt.controllers:
        for reader in controller.readers:
            door = site.readers[reader].door
            if door not in worked:
                raise DevicesError(
                    controller.id,
                    "readers",
                    f"{reader} stands at {door}, whose lock no mqtt controller works: list {door} under a "
                    "controller's doors, or leave the reader to the driver that works its door",
                )


def _known(device: str, field: str, kind: str, named: Iterable[str], known: Mapping[str, object]) -> None:
    for name in named:
        if name not in known:
            raise DevicesError(device, field, unknown(kind, name, known))


# --- the drivers -----------------------------------------------------------------------------------


def build_drivers(site: Site, config: DevicesConfig) -> tuple[Driver, ...]:
    """One driver per configured protocol; the simulated one (when asked for) works the doors
    no other driver works."""
    drivers: list[Driver] = []
    if config.mqtt is not None:
        drivers.append(_driver_part("mqtt", "gatewatch.devices.mqtt", "MqttDriver")(config.mqtt))
    if config.osdp:
        doors = {reader.id: reader.door for reader in site.readers.values()}
        drivers.append(_driver_part("osdp", "gatewatch.devices.osdp", "OsdpDriver")(config.osdp, doors))
    if config.simulated:
        worked = {door for driver in drivers for door in driver.doors()}
        left = sorted(set(site.doors) - worked)
        if left:
            drivers.append(SimulatedDriver(site, left))
    return tuple(drivers)


def drivers_for(site_path: Path, site: Site, cache: Path | None = None) -> tuple[Driver, ...]:
    """The drivers a site file asks for (``load_devices`` then ``build_drivers``)."""
    return build_drivers(site, load_devices(site_path, site, cache))
