"""Users, their tokens, login attempts and reads of person files, in the record's database.

Only hashes are kept: argon2 for passwords (made by the service), SHA-256 for tokens. Sign-ins
and reads are chained (``links``): a row altered, removed or inserted is found by ``log verify``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from gatewatch.store import links
from gatewatch.store.schema import logins, reads, tokens, users


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str
    person: str | None
    password_hash: str
    created: str


@dataclass(frozen=True, slots=True)
class Read:
    at: str
    user: str
    person: str


class UserExists(ValueError):
    pass


class Accounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- users ---------------------------------------------------------------------------

    def add_user(self, user: User) -> None:
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(users),
                    [
                        {
                            "name": user.name,
                            "role": user.role,
                            "person": user.person,
                            "password_hash": user.password_hash,
                            "created": user.created,
                        }
                    ],
                )
        except IntegrityError:
            raise UserExists(f'a user named "{user.name}" already exists') from None

    def user(self, name: str) -> User | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(users).where(users.c.name == name)).first()
        return User(row.name, row.role, row.person, row.password_hash, row.created) if row else None

    def all_users(self) -> list[User]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(users).order_by(users.c.name)).fetchall()
        return [User(r.name, r.role, r.person, r.password_hash, r.created) for r in rows]

    # --- tokens --------------------------------------------------------------------------

    def add_token(self, digest: str, user: str, kind: str, created: str, expires: str | None) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(tokens),
                [{"digest": digest, "user": user, "kind": kind, "created": created, "expires": expires}],
            )

    def token(self, digest: str) -> tuple[str, str | None] | None:
        """The user a token belongs to and when it expires (``None``: never)."""
        with self.engine.connect() as connection:
            row = connection.execute(select(tokens.c.user, tokens.c.expires).where(tokens.c.digest == digest)).first()
        return (row.user, row.expires) if row else None

    def drop_token(self, digest: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(tokens).where(tokens.c.digest == digest))

    def holder(self, digest: str) -> tuple[User, str, str | None] | None:
        """In one query: the user a token signs in as, the token's kind and when it expires."""
        query = select(users, tokens.c.kind, tokens.c.expires).join(tokens, tokens.c.user == users.c.name)
        with self.engine.connect() as connection:
            row = connection.execute(query.where(tokens.c.digest == digest)).first()
        if row is None:
            return None
        return User(row.name, row.role, row.person, row.password_hash, row.created), row.kind, row.expires

    def drop_session(self, digest: str) -> bool:
        """End a session (never an API token); whether there was one."""
        with self.engine.begin() as connection:
            ended = connection.execute(delete(tokens).where(tokens.c.digest == digest, tokens.c.kind == "session"))
        return ended.rowcount > 0

    def drop_tokens(self, user: str) -> int:
        """Revoke every session and API token of one user; how many."""
        with self.engine.begin() as connection:
            return connection.execute(delete(tokens).where(tokens.c.user == user)).rowcount

    def set_role(self, name: str, role: str) -> bool:
        with self.engine.begin() as connection:
            return connection.execute(update(users).where(users.c.name == name).values(role=role)).rowcount > 0

    def remove_user(self, name: str) -> bool:
        """Remove a user and their tokens; whether there was one."""
        with self.engine.begin() as connection:
            connection.execute(delete(tokens).where(tokens.c.user == name))
            return connection.execute(delete(users).where(users.c.name == name)).rowcount > 0

    # --- login attempts ------------------------------------------------------------------

    def record_login(self, at: str, name: str, client: str, ok: bool) -> None:
        """Keep one sign-in attempt, chained to the one before it."""
        links.insert_linked(self.engine, links.LOGINS, {"at": at, "name": name, "client": client, "ok": ok})

    def failures_since(self, since: str, name: str, client: str) -> tuple[int, int]:
        """Failed logins since ``since``: for this name, and from this client."""
        with self.engine.connect() as connection:
            by_name = connection.execute(
                select(func.count()).where(logins.c.name == name, logins.c.at >= since, ~logins.c.ok)
            ).scalar_one()
            by_client = connection.execute(
                select(func.count()).where(logins.c.client == client, logins.c.at >= since, ~logins.c.ok)
            ).scalar_one()
        return int(by_name), int(by_client)

    def recent_failures(
        self, since: str, *, name: str | None = None, client: str | None = None
    ) -> tuple[int, str | None]:
        """Failed logins since ``since`` for a name or from a client: how many, and when the last was."""
        query = select(func.count(), func.max(logins.c.at)).where(logins.c.at >= since, ~logins.c.ok)
        if name is not None:
            query = query.where(logins.c.name == name)
        if client is not None:
            query = query.where(logins.c.client == client)
        with self.engine.connect() as connection:
            count, last = connection.execute(query).one()
        return int(count), last

    # --- reads of person files -----------------------------------------------------------

    def record_read(self, at: str, user: str, person: str) -> None:
        """Keep one read of a person's file, chained to the one before it."""
        links.insert_linked(self.engine, links.READS, {"at": at, "user": user, "person": person})

    def reads_of(self, person: str, limit: int = 100) -> list[Read]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(reads).where(reads.c.person == person).order_by(reads.c.id.desc()).limit(limit)
            ).fetchall()
        return [Read(r.at, r.user, r.person) for r in rows]
