"""A read-only connection to the database under check, every statement bounded by a timeout.

PostgreSQL gets a read-only transaction and `statement_timeout`; MySQL and MariaDB a read-only transaction and
their own per-statement limit; SQLite is opened read-only and a progress handler interrupts a statement that runs
past its time. A statement that times out, and every driver error, becomes one line naming the database (its
password masked) and what was being done.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from tui.errors import DayoneError
from tui.importers.live import failure_reason, open_engine, safe_url

# SQLite's progress handler runs every this many virtual machine steps: often enough to stop within milliseconds.
_SQLITE_STEPS = 10_000


class CheckAborted(DayoneError):
    """The check could not run to its end: the database refused, went away or a statement ran out of time."""


@dataclass
class Database:
    """An open read-only connection and what it is called in messages."""

    connection: Connection
    shown: str  # the URL without its password
    url: str
    timeout_s: float
    _deadline: list[float]

    @property
    def dialect(self) -> str:
        """`postgresql`, `mysql` (MariaDB too), `sqlite`, or another SQLAlchemy dialect's name."""
        return self.connection.dialect.name

    def run(self, query: Any, doing: str) -> list[Any]:
        """Run one query and return its rows; a failure or a timeout is one line saying what was being done."""
        self._deadline[0] = time.monotonic() + self.timeout_s
        try:
            return list(self.connection.execute(query))
        except SQLAlchemyError as exc:
            raise CheckAborted(self._why(exc, doing)) from None

    def _why(self, exc: SQLAlchemyError, doing: str) -> str:
        reason = failure_reason(exc, self.url)
        if _timed_out(exc, reason):
            return f"{self.shown}: {doing} ran over the --timeout of {self.timeout_s:g} s; nothing was recorded"
        return f"{self.shown}: {doing} failed ({reason})"


def _timed_out(exc: SQLAlchemyError, reason: str) -> bool:
    lowered = reason.lower()
    words = ("statement timeout", "canceling statement", "max_statement_time", "maximum statement execution time")
    if any(word in lowered for word in words) or "interrupted" in lowered:
        return True
    return isinstance(exc, DBAPIError) and "timed out" in lowered


@contextmanager
def connect(url: str, timeout_s: float) -> Iterator[Database]:
    """Open the database read-only for the length of a check; nothing it does can write."""
    engine = open_engine(url, statement_timeout_s=timeout_s)
    shown = safe_url(url)
    deadline = [time.monotonic() + timeout_s]
    try:
        try:
            connection = engine.connect()
        except SQLAlchemyError as exc:
            raise CheckAborted(f"{shown}: cannot connect ({failure_reason(exc, url)})") from None
        try:
            database = Database(connection, shown, url, timeout_s, deadline)
            try:
                _read_only(database, deadline)
            except SQLAlchemyError as exc:
                raise CheckAborted(f"{shown}: cannot start a read-only session ({failure_reason(exc, url)})") from None
            try:
                yield database
            except SQLAlchemyError as exc:  # reflection and anything else not run through Database.run
                raise CheckAborted(database._why(exc, "reading the database")) from None
        finally:
            connection.close()
    finally:
        engine.dispose()


def _read_only(database: Database, deadline: list[float]) -> None:
    connection = database.connection
    name = database.dialect
    if name == "sqlite":
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline[0]), _SQLITE_STEPS)
        connection.exec_driver_sql("PRAGMA query_only = ON")
    elif name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
    elif name in ("mysql", "mariadb"):
        seconds = max(1, round(database.timeout_s))
        if getattr(connection.dialect, "is_mariadb", False):
            connection.exec_driver_sql(f"SET SESSION max_statement_time = {seconds}")
        else:
            connection.exec_driver_sql(f"SET SESSION max_execution_time = {seconds * 1000}")
        connection.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
        connection.exec_driver_sql("START TRANSACTION READ ONLY")
