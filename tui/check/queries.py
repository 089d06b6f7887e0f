"""The check's SQL, built once with SQLAlchemy Core and compiled for whichever database is connected.

Names come from the contract and the database as they are, quotes, dots and all: SQLAlchemy quotes every
identifier for the dialect, and values travel as bound parameters (or, in the SQL shown to the user, as literals
the dialect escapes). A `Source` is one table as a check reads it: the whole table, a sample of it (`--sample`),
or the rows changed since a moment (`--since`, through the agreed updated-at column).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    column,
    exists,
    func,
    literal,
    or_,
    select,
    table,
    tablesample,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from tui.check.catalog import LiveTable

# A text time stamp carries a zone when it ends with Z or a numeric offset (+01:00, -0500, +01).
ZONE_SUFFIXES = ("%Z", "%z", "%+__:__", "%-__:__", "%+____", "%-____", "%+__", "%-__")


@dataclass
class Source:
    """One live table as a check reads it, and the filter that picks the rows to check."""

    selectable: Any
    where: ColumnElement[bool] | None
    dialect: str = ""

    def col(self, name: str) -> ColumnElement[Any]:
        return self.selectable.c[name]

    def filtered(self, condition: ColumnElement[bool], *more: ColumnElement[bool]) -> ColumnElement[bool]:
        """The source's own filter and the given conditions, all of them."""
        return and_(*(each for each in (self.where, condition, *more) if each is not None))


def live_table(live: LiveTable) -> Any:
    """A table clause naming the live table and all its columns, for building queries (no reflection)."""
    return table(live.name, *(column(name) for name in live.columns), schema=live.schema)


def source(
    live: LiveTable,
    dialect: str,
    sample_percent: float | None,
    since: datetime | None,
    since_text: str | None,
    updated_at: str | None,
) -> Source:
    """The rows of a table a check reads: all, a sample, or those changed since a moment."""
    clause = live_table(live)
    selectable: Any = clause
    where: list[ColumnElement[bool]] = []
    if sample_percent is not None:
        # SQL's TABLESAMPLE where the database has it; SQLite and MySQL have none, and pick rows at random.
        if dialect == "sqlite":
            where.append(func.abs(func.random()) % 1_000_000 < round(sample_percent * 10_000))
        elif dialect in ("mysql", "mariadb"):
            where.append(func.rand() < sample_percent / 100)
        else:
            selectable = tablesample(clause, func.system(sample_percent), name="sampled")
    if since is not None and updated_at is not None:
        where.append(selectable.c[updated_at] >= since_value(dialect, since, since_text))
    return Source(selectable, and_(*where) if where else None, dialect)


def since_value(dialect: str, since: datetime, text: str | None) -> Any:
    """`--since` as the database compares it: SQLite's time stamps are text, MySQL's have no zone."""
    if dialect == "sqlite":
        return literal(text or since.isoformat())
    if dialect in ("mysql", "mariadb"):
        return literal(since.astimezone(UTC).replace(tzinfo=None))
    return literal(since)


def as_text(value: ColumnElement[Any], textual: bool) -> ColumnElement[Any]:
    """A column compared as text: as it is when it holds text, else cast (so code 1 matches the agreed '1')."""
    return value if textual else cast(value, String)


def outside(value: ColumnElement[Any], allowed: list[str], textual: bool) -> ColumnElement[bool]:
    return and_(value.is_not(None), as_text(value, textual).not_in(allowed))


def without_zone(value: ColumnElement[Any], textual: bool) -> ColumnElement[bool]:
    shown = as_text(value, textual)
    return and_(value.is_not(None), ~or_(*(shown.like(suffix) for suffix in ZONE_SUFFIXES)))


def orphan(child: ColumnElement[Any], parent: Any, key: str, as_texts: bool) -> ColumnElement[bool]:
    """A child row whose reference names no parent row (an anti-join, whatever the database declares)."""
    target = parent.c[key]
    match = cast(target, String) == cast(child, String) if as_texts else target == child
    return and_(child.is_not(None), ~exists(select(literal(1)).select_from(parent).where(match)))


# Databases whose aggregates take FILTER (WHERE ...): several times faster per row than a CASE inside them.
_FILTERING = ("postgresql", "sqlite")


def count_of(src: Source, condition: ColumnElement[bool]) -> ColumnElement[int]:
    """An aggregate counting the rows a condition holds for, folded into a table's one scan."""
    if src.dialect in _FILTERING:
        return func.count().filter(condition)
    return func.count(case((condition, 1)))


def scan(src: Source, aggregates: list[ColumnElement[Any]]) -> Any:
    """One pass over a table for all its simple rules: the row count, then one aggregate per rule."""
    query = select(func.count().label("rows"), *(each.label(f"m{n}") for n, each in enumerate(aggregates)))
    query = query.select_from(src.selectable)
    return query.where(src.where) if src.where is not None else query


def violating(src: Source, condition: ColumnElement[bool]) -> Any:
    """The count of rows that break a rule: the query a rule's result shows, runnable on its own."""
    return select(func.count()).select_from(src.selectable).where(src.filtered(condition))


def values_of(src: Source, value: ColumnElement[Any], condition: ColumnElement[bool] | None, limit: int) -> Any:
    """The commonest values among the rows a condition picks, with their counts: a rule's samples."""
    counted = func.count().label("n")
    query = select(value, counted).select_from(src.selectable)
    where = src.filtered(condition) if condition is not None else src.where
    if where is not None:
        query = query.where(where)
    return query.group_by(value).order_by(counted.desc()).limit(limit)


def duplicates(src: Source, columns: list[ColumnElement[Any]], limit: int | None = None) -> Any:
    """Groups of rows sharing one key (none of it NULL), largest first."""
    counted = func.count().label("n")
    query = select(*columns, counted).select_from(src.selectable)
    query = query.where(src.filtered(*(each.is_not(None) for each in columns)))
    query = query.group_by(*columns).having(func.count() > 1).order_by(counted.desc())
    return query.limit(limit) if limit else query


def duplicate_rows(src: Source, columns: list[ColumnElement[Any]]) -> Any:
    """How many rows repeat a key an earlier row already has."""
    groups = duplicates(src, columns).subquery()
    return select(func.coalesce(func.sum(groups.c.n - 1), 0))


def sample_rows(src: Source, value: ColumnElement[Any], limit: int) -> Any:
    return select(value).select_from(src.selectable).where(src.filtered(value.is_not(None))).limit(limit)


def is_true(value: ColumnElement[Any]) -> ColumnElement[bool]:
    return value == true()


def shown(query: Any, dialect: Any) -> str:
    """A query as the user can run it: compiled for the database with its values written in."""
    try:
        text = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    except Exception:  # a value the dialect cannot write as a literal: its placeholder stays
        return str(query.compile(dialect=dialect))
    # Drivers that take %s placeholders get every % doubled; with the values written in, none is a placeholder.
    return text.replace("%%", "%") if dialect.paramstyle in ("format", "pyformat") else text
