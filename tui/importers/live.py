"""Read a schema from a running database through SQLAlchemy reflection, read-only.

The connection is opened read-only where the driver allows it (SQLite's
`mode=ro` URI, PostgreSQL's `default_transaction_read_only`) and with a
connect timeout. The password is never stored or echoed: `safe_url` is what
reaches the workspace and every message.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tui.errors import DayoneError
from tui.importers.ddl import DEFAULT_SCHEMAS, normalise_type
from tui.importers.model import ImportedColumn, ImportedSchema, ImportedTable, Progress, no_progress, table_key
from tui.references import quote

CONNECT_TIMEOUT_S = 10
# Schemas every PostgreSQL (and some other) databases have, which hold no application tables.
_SYSTEM_SCHEMAS = {"information_schema", "pg_catalog", "pg_toast", "sys", "mysql", "performance_schema"}
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

    database = make_url(url).database or "database"
    return Path(database).stem if "/" in database or database.endswith((".db", ".sqlite", ".sqlite3")) else database


def read_database(url: str, progress: Progress = no_progress) -> ImportedSchema:
    """The schema of a live database; a bad URL, missing driver or failed connection is one DayoneError line."""
    engine = _engine(url)
    shown = safe_url(url)
    try:
        from sqlalchemy import inspect
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with engine.connect() as connection:
                inspector = inspect(connection)
                return _reflect(inspector, engine.dialect, shown, progress)
        except SQLAlchemyError as exc:
            raise DayoneError(f"{shown}: cannot read the database ({_reason(exc, url)})") from None
    finally:
        engine.dispose()


def _engine(url: str) -> Any:
    try:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError
    except ImportError:
        raise DayoneError("reading a live database needs SQLAlchemy (pip install sqlalchemy)") from None
    shown = safe_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
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
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_S, "options": "-c default_transaction_read_only=on"}
    elif backend == "mysql":
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        return create_engine(parsed, connect_args=connect_args)
    except NoSuchModuleError:
        raise DayoneError(f"{shown}: unknown database kind {parsed.drivername!r}") from None
    except ImportError as exc:
        extra = " (pip install 'dayone[postgres]')" if backend == "postgresql" else ""
        raise DayoneError(f"{shown}: the database driver is not installed ({exc.name or exc}){extra}") from None


def _reason(exc: Exception, url: str) -> str:
    original = getattr(exc, "orig", None) or exc
    text = " ".join(str(original).split()) or type(original).__name__
    from tui.secrets import without_url_password

    return without_url_password(text, url)[:300]


def _reflect(inspector: Any, dialect: Any, shown: str, progress: Progress) -> ImportedSchema:
    dialect_name = _DIALECT_NAMES.get(dialect.name, dialect.name)
    schema = ImportedSchema(source=shown, dialect=dialect_name)
    default = inspector.default_schema_name
    names = (
        [name for name in inspector.get_schema_names() if name not in _SYSTEM_SCHEMAS and not name.startswith("pg_")]
        if dialect.name == "postgresql"
        else [default]
    )
    enums = _enums(inspector) if dialect.name == "postgresql" else {}
    targets = [(name, table) for name in names for table in inspector.get_table_names(schema=name)]
    schema.skipped["views"] = sum(len(inspector.get_view_names(schema=name)) for name in names)
    if not schema.skipped["views"]:
        del schema.skipped["views"]
    for done, (schema_name, table_name) in enumerate(targets, 1):
        key_schema = "" if schema_name == default or (schema_name or "").lower() in DEFAULT_SCHEMAS else schema_name
        table = ImportedTable(schema=key_schema, name=table_name)
        _read_table(inspector, dialect, schema_name, table, enums, default)
        schema.tables[table.key] = table
        if done % 25 == 0 or done == len(targets):
            progress("read", done, len(targets))
    if not schema.tables:
        raise DayoneError(f"{shown}: the database has no tables to import")
    return schema


def _enums(inspector: Any) -> dict[str, list[str]]:
    try:
        return {enum["name"]: list(enum["labels"]) for enum in inspector.get_enums(schema="*")}
    except Exception:
        return {}


def _read_table(
    inspector: Any,
    dialect: Any,
    schema_name: str | None,
    table: ImportedTable,
    enums: dict[str, list[str]],
    default: str | None,
) -> None:
    pk = inspector.get_pk_constraint(table.name, schema=schema_name) or {}
    pk_columns = set(pk.get("constrained_columns") or ())
    for info in inspector.get_columns(table.name, schema=schema_name):
        column = ImportedColumn(name=info["name"])
        column.type = _type_name(info["type"], dialect)
        # SQLite reports its own rule (a key column may hold NULL unless it is the rowid alias or says NOT NULL).
        column.nullable = bool(info.get("nullable", True)) and (
            info["name"] not in pk_columns or dialect.name == "sqlite"
        )
        column.primary_key = info["name"] in pk_columns
        if info.get("default") is not None:
            column.default_value = str(info["default"])
        if info.get("computed"):
            column.generated = str(info["computed"].get("sqltext")) + (
                " stored" if info["computed"].get("persisted") else ""
            )
        elif info.get("identity"):
            column.generated = "identity"
        column.description = info.get("comment") or None
        values = getattr(info["type"], "enums", None)
        if values:
            column.value_set = list(values)
        elif column.type in enums:
            column.value_set = enums[column.type]
        table.columns[column.name] = column
    for unique in _safe(inspector.get_unique_constraints, table.name, schema_name):
        names = unique.get("column_names") or []
        if len(names) == 1 and names[0] in table.columns:
            table.columns[names[0]].is_unique = True
    for fk in _safe(inspector.get_foreign_keys, table.name, schema_name):
        referred_schema = fk.get("referred_schema")
        if referred_schema == default or (referred_schema or "").lower() in DEFAULT_SCHEMAS:
            referred_schema = None
        target = table_key(referred_schema or "", fk["referred_table"])
        for local, remote in zip(fk["constrained_columns"], fk["referred_columns"], strict=False):
            if local in table.columns:
                table.columns[local].foreign_key = f"{target}.{quote(remote)}"
    for check in _safe(inspector.get_check_constraints, table.name, schema_name):
        text = check.get("sqltext") or ""
        named = [name for name in table.columns if re.search(rf"\b{re.escape(name)}\b", text)]
        if len(named) == 1:
            column = table.columns[named[0]]
            column.check_constraint = f"{column.check_constraint} AND {text}" if column.check_constraint else text
        elif text:
            table.checks.append(text)
    comment = _safe_one(inspector.get_table_comment, table.name, schema_name)
    table.description = (comment or {}).get("text") or None


def _type_name(kind: Any, dialect: Any) -> str:
    name = getattr(kind, "name", None)
    if getattr(kind, "enums", None) and name:
        return name.lower()
    try:
        text = kind.compile(dialect=dialect)
    except Exception:
        text = type(kind).__name__
    try:
        from sqlglot import exp

        return normalise_type(exp.DataType.build(text, dialect=_DIALECT_NAMES.get(dialect.name, dialect.name)))
    except Exception:
        return text.lower()


def _safe(method: Any, table: str, schema: str | None) -> list[dict[str, Any]]:
    try:
        return method(table, schema=schema) or []
    except NotImplementedError:
        return []


def _safe_one(method: Any, table: str, schema: str | None) -> dict[str, Any] | None:
    try:
        return method(table, schema=schema)
    except NotImplementedError:
        return None
