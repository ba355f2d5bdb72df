"""PostgreSQL connections that give up on a server that stopped answering.

A stopped server (``SIGSTOP``, a frozen virtual machine, a proxy that stopped forwarding) keeps
its sockets open and its kernel acknowledges what is sent, so a plain client waits for ever.
Each connection made here waits at most ``answer_s`` for any one answer (a statement, a commit,
a rollback, the pool's ping); past it, the connection is closed (it is in an unknown state)
and the call fails with ``StoreNotAnswering``. The pool then drops it and opens a fresh one.

Imported only for PostgreSQL: the SQLite desk never loads psycopg.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import errors
from psycopg.abc import PQGen
from sqlalchemy import Engine, event

from gatewatch.store.limits import StoreLimits


class StoreNotAnswering(psycopg.OperationalError):
    """The database did not answer within the deadline: the connection was closed."""


def answer_within(seconds: float) -> type[psycopg.Connection[Any]]:
    """A psycopg connection class whose every wait for the server ends after ``seconds``."""

    class Answering(psycopg.Connection[Any]):
        def wait(self, gen: PQGen[Any], interval: float = 0.1, timeout: float | None = None) -> Any:
            if timeout is not None:  # psycopg's own bounded waits handle their timeout themselves
                return super().wait(gen, interval, timeout)
            try:
                return super().wait(gen, interval, seconds)
            except errors._WaitTimeout:
                self.pgconn.finish()  # a query is in flight: the connection cannot be reused
                raise StoreNotAnswering(
                    f"the database did not answer within {seconds:g} s (the connection was closed)"
                ) from None

    return Answering


def bound_postgres(engine: Engine, limits: StoreLimits, patient: bool = False) -> None:
    """Make every new connection of ``engine`` use the limits (the URL's own parameters win).

    ``patient`` (migrations): only the connect timeout and keepalives, no limit on statements.
    """
    connection_class = psycopg.Connection if patient else answer_within(limits.answer_s)
    ours = limits.postgres_connect_args()
    options = "" if patient else limits.postgres_options()

    @event.listens_for(engine, "do_connect")
    def connect(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> Any:
        for name, value in ours.items():
            cparams.setdefault(name, value)
        given = cparams.get("options")
        if options:
            cparams["options"] = f"{options} {given}" if given else options  # later settings win: the URL's
        try:
            return connection_class.connect(*cargs, **cparams)
        except psycopg.OperationalError as error:
            reason = (str(error).strip().splitlines() or [error.__class__.__name__])[0]
            waited = cparams["connect_timeout"]
            raise StoreNotAnswering(
                f"could not connect to the database (connect timeout {waited} s): {reason}"
            ) from error
