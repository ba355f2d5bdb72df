"""The MQTT clients (the driver's and the reference controller's) send without Nagle's algorithm:
an unlock published right after a read's acknowledgement never waits for the broker's delayed ACK."""

from __future__ import annotations

import socket
import threading

from mqtt_support import HOST, PORT, new_prefix, until

from gatewatch.devices.mqtt import client as clients
from gatewatch.devices.mqtt.config import Broker


def test_a_client_connected_to_the_broker_sends_at_once(broker: None) -> None:
    where = Broker(host=HOST, port=PORT)
    client = clients.new_client(where, clients.random_client_id("nodelay"), f"{new_prefix()}/gatewatch/status")
    connected = threading.Event()
    client.on_connect = lambda *_: connected.set()
    clients.connect(client, where)
    try:
        until(connected.is_set, "the client is connected")
        sock = client.socket()
        assert sock is not None
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        client.disconnect()
        client.loop_stop()
