"""The yardsticks for ``bench/service.py``: FastAPI endpoints that take the same event and do the least.

- **echo**: checks the Bearer token is there, validates the event with a Pydantic model and
  sends it back; nothing is written.
- **durable echo**: the same, and also inserts the event as one row and commits before
  answering, on the same database with the same sync settings as the desk (SQLite: WAL,
  ``synchronous=FULL``; PostgreSQL: the server's own).

Run under uvicorn by the benchmark, as the desk is (``python bench/echo_app.py echo PORT`` or ``durable DB_URL PORT``).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import uvicorn
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, Text, create_engine, event, insert

rows = Table(
    "echo_events",
    MetaData(),
    Column("n", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(200), nullable=False, unique=True),
    Column("body", Text, nullable=False),
)


class DoorEvent(BaseModel):
    """An ``arrive`` or ``request`` as the desk takes it (the fields the benchmark sends)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(min_length=1, max_length=200)
    type: str = Field(pattern="^(arrive|request)$")
    door: str = Field(min_length=1)
    people: list[str] | None = None
    by: str | None = None
    for_: list[str] | None = Field(default=None, alias="for")


def sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def open_engine(url: str) -> Engine:
    engine = create_engine(url)  # SQLAlchemy's default pool, as the desk's store has
    if url.startswith("sqlite"):
        event.listen(engine, "connect", sqlite_pragmas)
    rows.create(engine, checkfirst=True)
    return engine


def make_app(engine: Engine | None) -> FastAPI:
    """The echo app; with an engine, the durable one."""
    app = FastAPI(docs_url=None, redoc_url=None)

    @app.get("/v1/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/events")
    def submit(body: DoorEvent, authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        if not authorization or not authorization.startswith("Bearer "):
            raise HTTPException(401, "sign in: Authorization: Bearer TOKEN")
        echoed = body.model_dump(by_alias=True, exclude_none=True)
        if engine is not None:
            with engine.begin() as connection:
                connection.execute(insert(rows), {"event_id": body.id, "body": body.model_dump_json(by_alias=True)})
        return {"event": echoed, "recorded": engine is not None}

    return app


def main() -> None:
    mode, port = sys.argv[1], int(sys.argv[-1])
    if mode not in ("echo", "durable") or len(sys.argv) != (4 if mode == "durable" else 3):
        raise SystemExit("usage: echo_app.py echo PORT | echo_app.py durable DB_URL PORT")
    engine = open_engine(sys.argv[2]) if mode == "durable" else None
    uvicorn.run(make_app(engine), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
