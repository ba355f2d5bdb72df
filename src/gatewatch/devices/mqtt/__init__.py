"""The MQTT door driver (``mqtt``) and its configuration; the topics are in ``docs/devices-mqtt.md``.

``mqtt_config(raw)`` builds the configuration from the ``mqtt`` part of a site's devices;
``MqttDriver(config)`` is the driver. ``python -m gatewatch.devices.mqtt.controller`` runs the
reference controller (what a relay board's firmware does).
"""

from gatewatch.devices.mqtt.config import Broker, ControllerConfig, MqttConfig, Tls, mqtt_config
from gatewatch.devices.mqtt.driver import MqttDriver
from gatewatch.devices.mqtt.fields import MqttConfigError

__all__ = ["Broker", "ControllerConfig", "MqttConfig", "MqttConfigError", "MqttDriver", "Tls", "mqtt_config"]
