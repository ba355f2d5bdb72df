"""A schema brought up to date with Alembic: the site's record and head office's tables alike.

Each schema has its migrations (an Alembic environment that runs on the connection it is
handed), its newest revision and its version table. The revision is read on the store's own
engine; a migration runs once, on a patient engine (one without the statement limits, since
bringing a large record up to date may take minutes), made only when there is work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError


@dataclass(frozen=True, slots=True)
class Migrations:
    """One schema's Alembic environment (``folder``), its newest revision and its version table."""

    folder: Path
    head: str
    version_table: str = "alembic_version"

    def revision(self, engine: Engine) -> str | None:
        """The revision the database is at; ``None`` where it has none yet (or cannot say)."""
        try:
            with engine.connect() as connection:
                found = connection.execute(text(f"SELECT version_num FROM {self.version_table}")).scalar_one_or_none()
        except DBAPIError:
            return None
        return str(found) if found is not None else None

    def upgrade(self, engine: Engine) -> None:
        """Run every migration not yet run, in one transaction on ``engine`` (Alembic loaded only then)."""
        if self.revision(engine) == self.head:
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(self.folder))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def bring_up_to_date(self, engine: Engine, patient: Callable[[], Engine]) -> None:
        """Where the database behind ``engine`` is not at the newest revision, migrate it on ``patient()``.

        The patient engine is made only when there is work, and disposed of afterwards.
        """
        if self.revision(engine) == self.head:
            return
        migrating = patient()
        try:
            self.upgrade(migrating)
        finally:
            migrating.dispose()
