"""The simulated door driver (``make demo``, the console's simulated readers, the tests)."""

from gatewatch.devices.simulated.driver import NAME, SimulatedDriver, UnknownDevice

__all__ = ["NAME", "SimulatedDriver", "UnknownDevice"]
