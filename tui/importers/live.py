"""Read a schema from a running database through SQLAlchemy reflection, read-only.

The connection is opened read-only where the driver allows it (SQLite's
`mode=ro` URI, PostgreSQL's `default_transaction_read_only`) and with a
connect timeout. The password is never stored or echoed: `safe_url` is what
reaches the workspace and every message.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from tui.errors import DayoneError
from tui.importers.ddl import DEFAULT_SCHEMAS
from tui.importers.model import ImportedColumn, ImportedSchema, ImportedTable, Progress, no_progress, table_key
from tui.references import quote

CONNECT_TIMEOUT_S = 10
# Schemas every PostgreSQL (and some other) databases have, which hold no application tables.
_SYSTEM_SCHEMAS = {
    "information_schema",
    "pg_catalog",
    "pg_toast",
    "sys",
    "mysql",
    "performance_schema",
    "guest",
    *(f"db_{role}" for role in ("owner", "accessadmin", "securityadmin", "ddladmin", "backupoperator")),
    *(f"db_{role}" for role in ("datareader", "datawriter", "denydatareader", "denydatawriter")),
}
_DIALECT_NAMES = {
    "postgresql": "postgres",
    "sqlite": "sqlite",
    "mysql": "mysql",
    "mssql": "tsql",
    "snowflake": "snowflake",
    "bigquery": "bigquery",
}


def safe_url(url: str) -> str:
    """The URL with any password removed, fit to store and print."""
    from tui.secrets import url_without_password

    return url_without_password(url)


def database_name(url: str) -> str:
    """A default integration name for a URL: the database (or file) name."""
    from sqlalchemy.engine import make_url

    try:
        database = make_url(url).database or "database"
    except ValueError:
        database = "database"
    return Path(database).stem if "/" in database or database.endswith((".db", ".sqlite", ".sqlite3")) else database


def read_database(url: str, progress: Progress = no_progress) -> ImportedSchema:
    """The schema of a live database; a bad URL, missing driver or failed connection is one DayoneError line."""
    engine = open_engine(url)
    shown = safe_url(url)
    try:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with engine.connect() as connection:
                schema = _read(connection, engine.dialect, shown, progress)
        except SQLAlchemyError as exc:
            raise DayoneError(f"{shown}: cannot read the database ({failure_reason(exc, url)})") from None
    finally:
        engine.dispose()
    if not schema.tables:
        raise DayoneError(f"{shown}: the database has no tables to import")
    return schema


def open_engine(url: str, statement_timeout_s: float | None = None) -> Any:
    """An SQLAlchemy engine on a database URL, read-only where the driver allows it; a bad URL is one line.

    With `statement_timeout_s`, PostgreSQL cancels any statement that runs longer and the MySQL driver stops
    waiting a little after (the server-side limits of MySQL, MariaDB and SQLite are set on each connection).
    """
    try:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError
    except ImportError:
        raise DayoneError("reading a live database needs SQLAlchemy (pip install sqlalchemy)") from None
    shown = safe_url(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise DayoneError(
            f"{shown}: not a database URL (expected e.g. sqlite:///path/to/file.db or postgresql://user@host/dbname)"
        ) from None
    backend = parsed.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "sqlite":
        path = parsed.database
        if not path or path == ":memory:":
            raise DayoneError(f"{shown}: give the path of an SQLite file (sqlite:///path/to/file.db)")
        if not Path(path).is_file():
            raise DayoneError(f"{shown}: no such SQLite file {path}")
        parsed = parsed.set(database=f"file:{Path(path).resolve()}?mode=ro", query={"uri": "true"})
    elif backend == "postgresql":
        if parsed.get_driver_name() in ("psycopg2", "") or "+" not in parsed.drivername:
            parsed = parsed.set(drivername="postgresql+psycopg")
        options = "-c default_transaction_read_only=on"
        if statement_timeout_s is not None:
            options += f" -c statement_timeout={max(1, round(statement_timeout_s * 1000))}"
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_S, "options": options}
    elif backend in ("mysql", "mariadb"):
        if "+" not in parsed.drivername:
            parsed = parsed.set(drivername=f"{backend}+pymysql")
        wait = 600 if statement_timeout_s is None else max(1, round(statement_timeout_s + 5))
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_S, "read_timeout": wait}
    try:
        return create_engine(parsed, connect_args=connect_args)
    except NoSuchModuleError:
        raise DayoneError(f"{shown}: unknown database kind {parsed.drivername!r}") from None
    except ImportError as exc:
        extra = {"postgresql": " (pip install 'dayone[postgres]')", "mysql": " (pip install 'dayone[mysql]')"}.get(
            "mysql" if backend == "mariadb" else backend, ""
        )
        raise DayoneError(f"{shown}: the database driver is not installed ({exc.name or exc}){extra}") from None


def failure_reason(exc: Exception, url: str) -> str:
    """A driver's error in one line, the URL's password masked wherever the driver quoted it."""
    original = getattr(exc, "orig", None) or exc
    text = " ".join(str(original).split()) or type(original).__name__
    from tui.secrets import without_url_password

    return without_url_password(text, url)[:300]


def _read(connection: Any, dialect: Any, shown: str, progress: Progress) -> ImportedSchema:
    """The schema through the fastest reader for the database kind: its catalogue, else SQLAlchemy."""
    if dialect.name == "postgresql":
        from tui.importers.live_postgres import read_postgres

        return read_postgres(connection, shown, progress)
    if dialect.name in ("mysql", "mariadb"):
        from tui.importers.live_mysql import read_mysql

        return read_mysql(connection, shown, progress)
    if dialect.name == "sqlite":
        return _read_sqlite(connection, shown, progress)
    from sqlalchemy import inspect

    return _reflect(inspect(connection), dialect, shown, progress)


def _read_sqlite(connection: Any, shown: str, progress: Progress) -> ImportedSchema:
    """SQLite keeps each table's CREATE statement as written: read them as a script, like a file import."""
    from tui.importers.ddl import read_ddl

    found = connection.exec_driver_sql(
        "SELECT type, sql FROM sqlite_master WHERE type IN ('table', 'view') AND sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    if not any(kind == "table" for kind, _ in found):
        raise DayoneError(f"{shown}: the database has no tables to import")
    schema = read_ddl("".join(f"{sql};\n" for _, sql in found), "sqlite", shown, progress)
    # Line numbers of the statements joined here mean nothing to the reader.
    schema.unreadable = [replace(item, line=0) for item in schema.unreadable]
    schema.left_out = [replace(item, line=0) for item in schema.left_out]
    for table in schema.tables.values():
        table.line = None
    return schema


def _reflect(inspector: Any, dialect: Any, shown: str, progress: Progress) -> ImportedSchema:
    """Any other database, through SQLAlchemy's reflection of all tables of a schema at once."""
    dialect_name = _DIALECT_NAMES.get(dialect.name, dialect.name)
    schema = ImportedSchema(source=shown, dialect=dialect_name)
    default = inspector.default_schema_name
    names = [name for name in inspector.get_schema_names() if (name or "").lower() not in _SYSTEM_SCHEMAS] or [default]
    views = 0
    for done, schema_name in enumerate(names, 1):
        key_schema = "" if schema_name == default or (schema_name or "").lower() in DEFAULT_SCHEMAS else schema_name
        views += len(inspector.get_view_names(schema=schema_name))
        columns = inspector.get_multi_columns(schema=schema_name)
        keys = _multi(inspector.get_multi_pk_constraint, schema_name)
        uniques = _multi(inspector.get_multi_unique_constraints, schema_name)
        foreign = _multi(inspector.get_multi_foreign_keys, schema_name)
        comments = _multi(inspector.get_multi_table_comment, schema_name)
        for (_, table_name), found in columns.items():
            table = ImportedTable(schema=key_schema, name=table_name)
            pk_columns = set((keys.get((schema_name, table_name)) or {}).get("constrained_columns") or ())
            for info in found:
                column = ImportedColumn(name=info["name"], type=type_name(info["type"], dialect))
                column.nullable = bool(info.get("nullable", True)) and info["name"] not in pk_columns
                column.primary_key = info["name"] in pk_columns
                if info.get("default") is not None:
                    column.default_value = str(info["default"])
                if info.get("computed"):
                    computed = info["computed"]
                    column.generated = str(computed.get("sqltext")) + (" stored" if computed.get("persisted") else "")
                elif info.get("identity"):
                    column.generated = "identity"
                column.description = info.get("comment") or None
                if getattr(info["type"], "enums", None):
                    column.value_set = list(info["type"].enums)
                table.columns[column.name] = column
            for unique in uniques.get((schema_name, table_name)) or ():
                unique_names = unique.get("column_names") or []
                if len(unique_names) == 1 and unique_names[0] in table.columns:
                    table.columns[unique_names[0]].is_unique = True
            for fk in foreign.get((schema_name, table_name)) or ():
                referred_schema = fk.get("referred_schema")
                if referred_schema == default or (referred_schema or "").lower() in DEFAULT_SCHEMAS:
                    referred_schema = None
                target = table_key(referred_schema or "", fk["referred_table"])
                for local, remote in zip(fk["constrained_columns"], fk["referred_columns"], strict=False):
                    if local in table.columns:
                        table.columns[local].foreign_key = f"{target}.{quote(remote)}"
            table.description = (comments.get((schema_name, table_name)) or {}).get("text") or None
            schema.tables[table.key] = table
        progress("read", done, len(names))
    if views:
        schema.skipped["views"] = views
    return schema


def _multi(method: Any, schema_name: str | None) -> dict[tuple[str | None, str], Any]:
    try:
        return dict(method(schema=schema_name))
    except NotImplementedError:
        return {}


def type_name(kind: Any, dialect: Any) -> str:
    """A reflected type as the database spells it."""
    try:
        return str(kind.compile(dialect=dialect))
    except Exception:
        return type(kind).__name__.lower()
