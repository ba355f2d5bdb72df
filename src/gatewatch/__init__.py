"""gatewatch: a site's protective-security procedures, executable at the door."""

__version__ = "0.1.0"
