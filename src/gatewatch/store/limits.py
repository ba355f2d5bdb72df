"""How long the store may take: a database that hangs or fills must never hang a door.

Every wait on the database has a bound. A stopped PostgreSQL server (``SIGSTOP``) still has its
kernel acknowledge every byte, so neither TCP keepalives nor ``tcp_user_timeout`` notice it:
those catch a lost host or network. What catches a server that stopped answering is the
client's own deadline on every answer (``answer_s``): past it, the connection is closed and the
call fails with "the database did not answer within N s". The server's own limits
(``statement_timeout``, ``lock_timeout``, ``idle_in_transaction_session_timeout``) end a slow
statement, a long wait for a lock, and a transaction left open, with the server's own error.

The defaults are a few seconds: well under what a person waits at a door, and longer than any
single statement of the desk takes. Each can be set in the environment (``GATEWATCH_STORE_*``,
seconds, see ``ENVIRONMENT``); a PostgreSQL URL's own query parameters (``?connect_timeout=10``,
``?options=...``) win over both. Migrations run without the statement limits (see
``EventLog.open``): bringing a large record's schema up to date may take minutes, once.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

ENVIRONMENT = "GATEWATCH_STORE_"
"""Prefix of the environment variables: ``GATEWATCH_STORE_CONNECT_S=2`` sets ``connect_s``."""


class LimitError(ValueError):
    """A limit given in the environment that is not a positive number of seconds."""


@dataclass(frozen=True, slots=True)
class StoreLimits:
    """The store's time limits, in seconds."""

    connect_s: float = 3.0
    """Opening a connection (PostgreSQL ``connect_timeout``, whole seconds rounded up; psycopg waits 2 s at least)."""
    answer_s: float = 5.0
    """The client's deadline for any one answer of the database (PostgreSQL); then the connection is closed."""
    statement_s: float = 4.0
    """PostgreSQL ``statement_timeout``: the server ends a statement that runs longer."""
    lock_s: float = 2.0
    """PostgreSQL ``lock_timeout``: the server ends a wait for a lock held elsewhere."""
    idle_in_transaction_s: float = 30.0
    """PostgreSQL ``idle_in_transaction_session_timeout``: a transaction left open is ended."""
    keepalive_s: float = 5.0
    """PostgreSQL TCP keepalives (idle time before the first probe) and ``tcp_user_timeout``: a lost host."""
    pool_s: float = 3.0
    """How long a caller waits for a free connection of the pool."""
    busy_s: float = 3.0
    """SQLite's busy timeout: how long a write waits for another writer's lock."""

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
                raise LimitError(f"store limit {field.name!r}: {value!r} is not a positive number of seconds")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> StoreLimits:
        """The defaults, with any ``GATEWATCH_STORE_<NAME>`` set in the environment instead."""
        source = os.environ if environ is None else environ
        chosen: dict[str, float] = {}
        for field in fields(cls):
            variable = ENVIRONMENT + field.name.upper()
            if variable in source:
                chosen[field.name] = _seconds(variable, source[variable])
        return cls(**chosen)

    def postgres_options(self) -> str:
        """The server settings for each session, as libpq's ``options`` (``-c name=value`` each)."""
        settings = {
            "statement_timeout": _ms(self.statement_s),
            "lock_timeout": _ms(self.lock_s),
            "idle_in_transaction_session_timeout": _ms(self.idle_in_transaction_s),
        }
        return " ".join(f"-c {name}={value}" for name, value in settings.items())

    def postgres_connect_args(self) -> dict[str, Any]:
        """libpq connection parameters: connect timeout and TCP keepalives (a lost host is noticed)."""
        return {
            "connect_timeout": max(1, math.ceil(self.connect_s)),
            "keepalives": 1,
            "keepalives_idle": max(1, math.ceil(self.keepalive_s)),
            "keepalives_interval": 1,
            "keepalives_count": 3,
            "tcp_user_timeout": _ms(self.keepalive_s),
        }


def _seconds(variable: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise LimitError(f"{variable}: {raw!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise LimitError(f"{variable}: {raw!r} is not a positive number of seconds")
    return value


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))
