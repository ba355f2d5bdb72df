"""A paho MQTT 5 client for the driver and the reference controller: sign-in, TLS, last will.

Both sides use a clean session that the broker forgets at once (no message waits for a client
that was away: a read or an unlock delivered late would open a door late), and their last
will, ``offline`` retained, so the other side knows when one is gone.

Their sockets send at once (``TCP_NODELAY``): a read's acknowledgement goes out first, and with
Nagle's algorithm the unlock that follows it would wait for the broker's delayed ACK (40 ms).
"""

from __future__ import annotations

import contextlib
import socket
import uuid
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from gatewatch.devices.mqtt.config import Broker
from gatewatch.devices.mqtt.topics import OFFLINE, ONLINE, PAYLOAD_BYTES

PACKET_BYTES = PAYLOAD_BYTES + 2 * 1024
"""The largest packet either side takes: a payload's bound, with room for its topic and properties."""
RECONNECT_FIRST_S = 1
RECONNECT_LONGEST_S = 10
"""Reconnection backs off from one second to ten: a door controller is back within seconds."""


def new_client(broker: Broker, client_id: str, presence: str) -> mqtt.Client:
    """A client whose last will marks ``presence`` offline (retained). Not yet connected."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    if broker.username is not None:
        client.username_pw_set(broker.username, broker.password)
    if broker.tls is not None:
        tls = broker.tls
        client.tls_set(
            ca_certs=str(tls.ca_file) if tls.ca_file else None,
            certfile=str(tls.cert_file) if tls.cert_file else None,
            keyfile=str(tls.key_file) if tls.key_file else None,
        )
    client.will_set(presence, OFFLINE, qos=1, retain=True)
    client.reconnect_delay_set(RECONNECT_FIRST_S, RECONNECT_LONGEST_S)
    client.on_socket_open = _send_at_once
    return client


def _send_at_once(_: mqtt.Client, __: Any, sock: Any) -> None:
    """Each new connection's socket without Nagle's algorithm (a TLS socket takes the option too)."""
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def connect(client: mqtt.Client, broker: Broker) -> None:
    """Connect in paho's own network thread, reconnecting whenever the link drops; returns at once.

    The broker is told the largest packet this client takes (MQTT 5 ``Maximum Packet Size``): it
    drops a larger message for this client rather than deliver megabytes to be read and refused."""
    properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
    properties.MaximumPacketSize = PACKET_BYTES
    client.connect_async(
        broker.host, broker.port, keepalive=broker.keepalive_s, clean_start=True, properties=properties
    )
    client.loop_start()


def announce(client: mqtt.Client, presence: str) -> None:
    """Say ``online`` (retained) once connected: the last will says ``offline``."""
    client.publish(presence, ONLINE, qos=1, retain=True)


def expiring(seconds: int) -> Properties:
    """Publish properties that let the broker drop the message if undelivered after ``seconds``."""
    properties = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
    properties.MessageExpiryInterval = seconds
    return properties


def published(info: mqtt.MQTTMessageInfo) -> bool:
    """The message was handed to the connection (not refused at once for want of one)."""
    return info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS


def random_client_id(stem: str) -> str:
    return f"{stem}-{uuid.uuid4().hex[:12]}"
