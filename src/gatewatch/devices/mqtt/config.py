"""The MQTT driver's configuration: the broker, the topics' prefix, and the controllers.

Built from the ``mqtt`` part of a site's ``devices`` (a mapping read from YAML) by
``mqtt_config``; every value is checked and bounded, and an error names the device and the
field: ``device "mqtt": field "port": must be 1..65535`` or
``device "gate-board": field "doors": lists outer more than once``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gatewatch.devices.mqtt.fields import LIST_LONGEST, Fields, MqttConfigError, topic_id, topic_ids, topic_prefix

DEVICE = "mqtt"
"""How errors name the driver's own part of the configuration."""

DEFAULT_PREFIX = "gatewatch"
HEARTBEAT_S = 5.0
KEEPALIVE_S = 10
COMMAND_EXPIRY_S = 3
READ_WAIT_S = 1.0
"""With the desk's deadline (1.5 s), a read is answered within 2.5 s of its coming: before a
controller that waits 3 s (the reference controller's ``answer_within_s``) stops waiting."""


@dataclass(frozen=True, slots=True)
class Tls:
    """TLS to the broker: the CA that signs it (the system's when none), and a client
    certificate and key when the broker asks for one."""

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None


@dataclass(frozen=True, slots=True)
class Broker:
    """Where the broker is and how a client signs in to it."""

    host: str
    port: int = 1883
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    tls: Tls | None = None
    keepalive_s: int = KEEPALIVE_S
    """The broker publishes a client's last will this long (times 1.5) after it last heard from it."""


@dataclass(frozen=True, slots=True)
class ControllerConfig:
    """A door controller or relay board: the doors whose locks, contacts and exit buttons it
    wires, and the readers it reads."""

    id: str
    doors: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MqttConfig:
    broker: Broker
    controllers: tuple[ControllerConfig, ...]
    prefix: str = DEFAULT_PREFIX
    client_id: str | None = None
    """None: ``gatewatch-`` and a random suffix, chosen at start."""
    heartbeat_s: float = HEARTBEAT_S
    """A controller not heard from for this long is reported offline."""
    command_expiry_s: int = COMMAND_EXPIRY_S
    """A door command or reader signal not delivered within this is dropped by the broker (MQTT 5)."""
    read_wait_s: float = READ_WAIT_S
    """A read that waited this long on its controller's lane (behind slower ones) is refused
    without asking the desk: its answer would come after the controller stopped waiting."""

    def doors(self) -> frozenset[str]:
        return frozenset(door for controller in self.controllers for door in controller.doors)

    def readers(self) -> frozenset[str]:
        return frozenset(reader for controller in self.controllers for reader in controller.readers)


def mqtt_config(raw: Mapping[str, object]) -> MqttConfig:
    """The ``mqtt`` part of a site's devices, checked; raises ``MqttConfigError`` (a ``ValueError``)."""
    fields = Fields(raw, DEVICE)
    config = MqttConfig(
        broker=broker_of(fields),
        prefix=topic_prefix(fields, "prefix", DEFAULT_PREFIX),
        client_id=fields.text("client_id", longest=128),
        heartbeat_s=fields.seconds("heartbeat_s", HEARTBEAT_S, 0.2, 3600),
        command_expiry_s=fields.integer("command_expiry_s", COMMAND_EXPIRY_S, 1, 60),
        read_wait_s=fields.seconds("read_wait_s", READ_WAIT_S, 0.05, 60),
        controllers=_controllers(fields),
    )
    fields.done()
    if config.client_id is not None and " " in config.client_id:
        raise fields.fail("client_id", "must not hold spaces")
    return config


def broker_of(fields: Fields) -> Broker:
    """The broker's keys, shared by the driver's and the reference controller's configuration."""
    host = fields.required_text("broker", longest=253)
    tls = _tls(fields)
    username = fields.text("username")
    password = fields.text("password", longest=256)
    if password is not None and username is None:
        raise fields.fail("password", "is given without a username")
    return Broker(
        host=host,
        port=fields.integer("port", 8883 if tls else 1883, 1, 65535),
        username=username,
        password=password,
        tls=tls,
        keepalive_s=fields.integer("keepalive_s", KEEPALIVE_S, 2, 3600),
    )


def _tls(fields: Fields) -> Tls | None:
    value = fields.get("tls")
    if value is None or value is False:
        return None
    if value is True:
        return Tls()
    files = Fields(value, fields.device, "tls")
    tls = Tls(ca_file=files.file("ca_file"), cert_file=files.file("cert_file"), key_file=files.file("key_file"))
    files.done()
    if (tls.cert_file is None) != (tls.key_file is None):
        raise fields.fail("tls", "cert_file and key_file go together")
    return tls


def _controllers(fields: Fields) -> tuple[ControllerConfig, ...]:
    value = fields.get("controllers")
    if not isinstance(value, list | tuple) or not value:
        raise fields.fail("controllers", "must list at least one controller: {id, doors: [...], readers: [...]}")
    if len(value) > LIST_LONGEST:
        raise fields.fail("controllers", f"must list at most {LIST_LONGEST}")
    controllers = tuple(_controller(raw, n) for n, raw in enumerate(value))
    _each_once(controllers)
    return controllers


def _controller(raw: object, n: int) -> ControllerConfig:
    fields = Fields(raw, f"controllers[{n}]")
    ident = topic_id(fields, "id", fields.get("id"))
    fields.device = ident
    controller = ControllerConfig(id=ident, doors=topic_ids(fields, "doors"), readers=topic_ids(fields, "readers"))
    fields.done()
    if not controller.doors and not controller.readers:
        raise fields.fail("doors", "a controller works at least one door or reader")
    return controller


def _each_once(controllers: tuple[ControllerConfig, ...]) -> None:
    """Each controller, door and reader is named once: a door worked by two boards would be
    unlocked by one while the other holds it locked."""
    owner: dict[str, str] = {}
    for controller in controllers:
        named = [("id", controller.id), *(("doors", d) for d in controller.doors)]
        named += [("readers", r) for r in controller.readers]
        for what, ident in named:
            if ident in owner:
                raise MqttConfigError(controller.id, what, f"{ident} is already named by {owner[ident]}")
            owner[ident] = controller.id
