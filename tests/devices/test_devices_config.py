"""The site's devices: read from the site file or the file beside it, checked against the site,
and turned into drivers; the core never sees the ``devices`` key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from doors_support import HARBOUR_YAML, write_site
from gatewatch.devices.config import (
    NO_DEVICES,
    DevicesError,
    build_drivers,
    devices_config,
    devices_file,
    drivers_for,
    load_devices,
)
from gatewatch.devices.mqtt import MqttDriver
from gatewatch.devices.osdp import OsdpDriver
from gatewatch.devices.simulated import SimulatedDriver
from gatewatch.files.loader import FileError, load_drill, load_site

MQTT = """
  mqtt:
    broker: 127.0.0.1
    prefix: harbour-test
    controllers:
      - {id: quay-board, doors: [quay-door], readers: [quay-out, quay-in]}
"""
OSDP_READER = {
    "id": "chart-out",
    "address": 1,
    "channel": {"type": "tcp", "host": "127.0.0.1", "port": 4001},
    "scbk": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "lock_output": 0,
}


def site_with(tmp_path: Path, devices: str) -> Path:
    return write_site(tmp_path, HARBOUR_YAML + devices)


def test_a_site_without_devices_runs_no_driver(tmp_path: Path) -> None:
    path = write_site(tmp_path)
    site, _ = load_site(path)
    assert load_devices(path, site) == NO_DEVICES
    assert drivers_for(path, site) == ()


def test_devices_in_the_site_file_are_kept_from_the_core_and_read_here(tmp_path: Path) -> None:
    path = site_with(tmp_path, "devices: {simulated: true}\n")
    site, _ = load_site(path)  # the core's parser forbids unknown keys: it never sees devices
    [driver] = drivers_for(path, site)
    assert isinstance(driver, SimulatedDriver) and driver.doors() == set(site.doors)


def test_a_drill_on_a_site_with_devices_still_plays(tmp_path: Path) -> None:
    site_with(tmp_path, "devices: {simulated: true}\n")
    drill = tmp_path / "drill.yaml"
    drill.write_text("drill: d\nsite: harbour.yaml\nstart: 2025-03-01T09:00\nevents: []\n", encoding="utf-8")
    assert load_drill(drill).site.id == "harbour-office"


def test_devices_in_a_file_beside_the_site(tmp_path: Path) -> None:
    path = write_site(tmp_path)
    assert devices_file(path).name == "harbour.devices.yaml"
    devices_file(path).write_text("simulated: true\n", encoding="utf-8")
    site, _ = load_site(path)
    assert load_devices(path, site).simulated
    devices_file(path).write_text("devices: {simulated: false}\n", encoding="utf-8")  # the key may be repeated
    assert load_devices(path, site) == NO_DEVICES


def test_devices_in_both_places_are_refused_naming_the_file(tmp_path: Path) -> None:
    path = site_with(tmp_path, "devices: {simulated: true}\n")
    devices_file(path).write_text("simulated: true\n", encoding="utf-8")
    site, _ = load_site(path)
    both = "harbour.devices.yaml: the devices are configured here and in harbour.yaml"
    with pytest.raises(FileError, match=re.escape(both)):
        load_devices(path, site)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([1], 'device "devices": field "devices": must be a mapping of simulated, mqtt, osdp'),
        ({"simulate": True}, 'field "simulate": unknown part "simulate", did you mean "simulated"?'),
        ({"simulated": "yes"}, 'device "simulated": field "simulated": must be true or false'),
    ],
)
def test_a_wrong_devices_mapping_is_named(tmp_path: Path, raw: object, message: str) -> None:
    site, _ = load_site(write_site(tmp_path))
    with pytest.raises(DevicesError) as refused:
        devices_config(raw, site)
    assert message in str(refused.value)


def test_an_error_in_the_site_file_names_the_file(tmp_path: Path) -> None:
    path = site_with(tmp_path, "devices: {simulated: 1}\n")
    site, _ = load_site(path)
    with pytest.raises(FileError, match=re.escape('harbour.yaml: device "simulated": field "simulated"')):
        load_devices(path, site)


def test_mqtt_doors_and_readers_must_be_the_sites(tmp_path: Path) -> None:
    site, _ = load_site(write_site(tmp_path))
    controllers = [{"id": "quay-board", "doors": ["quay-door"], "readers": ["quay-ot"]}]
    with pytest.raises(DevicesError) as refused:
        devices_config({"mqtt": {"broker": "127.0.0.1", "controllers": controllers}}, site)
    assert (
        str(refused.value) == 'device "quay-board": field "readers": unknown reader "quay-ot", did you mean "quay-out"?'
    )
    controllers = [{"id": "quay-board", "doors": ["cellar-door"]}]
    with pytest.raises(DevicesError, match='device "quay-board": field "doors": unknown door "cellar-door"'):
        devices_config({"mqtt": {"broker": "127.0.0.1", "controllers": controllers}}, site)


def test_the_mqtt_part_is_checked_by_its_driver(tmp_path: Path) -> None:
    site, _ = load_site(write_site(tmp_path))
    with pytest.raises(ValueError, match='device "mqtt": field "port"'):
        devices_config(
            {"mqtt": {"broker": "127.0.0.1", "port": 0, "controllers": [{"id": "b", "doors": ["quay-door"]}]}}, site
        )


def test_mqtt_with_the_simulated_driver_for_the_doors_left(tmp_path: Path) -> None:
    path = site_with(tmp_path, "devices:\n  simulated: true\n" + MQTT)
    site, _ = load_site(path)
    mqtt, simulated = drivers_for(path, site)
    assert isinstance(mqtt, MqttDriver) and mqtt.doors() == {"quay-door"}
    assert isinstance(simulated, SimulatedDriver) and simulated.doors() == {"chart-door", "yard-gate"}
    assert simulated.devices() == {"chart-out"}


def test_osdp_readers_must_be_the_sites_and_drive_no_lock_another_driver_works(tmp_path: Path) -> None:
    site, _ = load_site(write_site(tmp_path))
    with pytest.raises(DevicesError, match='device "chart-ot": field "id": unknown reader "chart-ot"'):
        devices_config({"osdp": [{**OSDP_READER, "id": "chart-ot"}]}, site)
    mqtt = {"broker": "127.0.0.1", "controllers": [{"id": "quay-board", "doors": ["quay-door"]}]}
    problem = 'device "quay-in": field "lock_output": the lock of its door quay-door is worked by the mqtt'
    with pytest.raises(DevicesError, match=problem):
        devices_config({"mqtt": mqtt, "osdp": [{**OSDP_READER, "id": "quay-in"}]}, site)


def test_an_osdp_reader_may_stand_at_a_door_whose_lock_a_controller_works(tmp_path: Path) -> None:
    site, _ = load_site(write_site(tmp_path))
    mqtt = {"broker": "127.0.0.1", "controllers": [{"id": "quay-board", "doors": ["quay-door"]}]}
    reader = {key: value for key, value in OSDP_READER.items() if key != "lock_output"}
    config = devices_config({"mqtt": mqtt, "osdp": [{**reader, "id": "quay-in"}]}, site)  # no lock of its own
    mqtt_driver, osdp_driver = build_drivers(site, config)
    assert mqtt_driver.doors() == {"quay-door"} and osdp_driver.doors() == frozenset()


def test_osdp_readers_make_an_osdp_driver(tmp_path: Path) -> None:
    site, _ = load_site(write_site(tmp_path))
    [driver] = build_drivers(site, devices_config({"osdp": [OSDP_READER]}, site))
    assert isinstance(driver, OsdpDriver) and driver.doors() == {"chart-door"}
