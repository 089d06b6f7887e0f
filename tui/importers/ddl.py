"""Read tables, keys, comments and enum types from a SQL DDL script with sqlglot.

Only statements that shape tables are parsed (CREATE TABLE, ALTER TABLE,
COMMENT ON, CREATE TYPE); views, routines, indexes, triggers and data are
recognised by their first words and counted, which keeps a large dump fast.
A few forms are read by pattern instead: unique indexes on one column, SQL
Server's descriptions (sp_addextendedproperty) and alias types, pg_dump's
ATTACH PARTITION and identity columns. Where sqlglot cannot read a construct,
a small pre-pass takes it out (T-SQL column options, table options after the
column list) or stands in for it (a column type sqlglot does not know, kept as
written). A CREATE TABLE that still cannot be read is reported with its line
and the rest of the script is still imported; partitions, full-text shadow
tables and extension tables are left out and reported with their reason.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Iterable

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError

from tui.errors import DayoneError
from tui.importers import DIALECTS
from tui.importers.model import (
    ImportedColumn,
    ImportedSchema,
    ImportedTable,
    Progress,
    Unreadable,
    no_progress,
    table_key,
)
from tui.importers.spelling import column_spellings
from tui.importers.statements import Statement, iter_statements, top_level_pieces
from tui.memory import young_garbage_only
from tui.references import quote

# sqlglot logs a warning for every statement it keeps as an opaque command (OWNER TO, GRANT ...);
# those statements are counted and reported by the import instead.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

MAX_BYTES = 32 * 1024 * 1024
# No table definition is this long; a statement that is was run together by an unterminated quote or
# comment, and parsing it whole would take minutes and gigabytes.
MAX_STATEMENT = 1024 * 1024

# Schemas that mean "the default one": tables there are keyed by their bare name.
DEFAULT_SCHEMAS = {"public", "dbo", "main"}

_KINDS = [
    (
        "table",
        r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+|TRANSIENT\s+)?"
        r"TABLE\b",
    ),
    ("virtual", r"CREATE\s+VIRTUAL\s+TABLE\b"),
    ("alter", r"ALTER\s+TABLE\b"),
    ("comment", r"COMMENT\s+ON\s+(?:TABLE|COLUMN)\b"),
    ("type", r"CREATE\s+TYPE\b"),
    ("schema", r"CREATE\s+(?:SCHEMA|DATABASE)\b"),
    (
        "views",
        r"CREATE\s+(?:OR\s+(?:REPLACE|ALTER)\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
        r"(?:SQL\s+SECURITY\s+\w+\s+)?(?:(?:MATERIALIZED|RECURSIVE|TEMP(?:ORARY)?|SECURE)\s+)*VIEW\b",
    ),
    (
        "functions",
        r"CREATE\s+(?:OR\s+(?:REPLACE|ALTER)\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
        r"(?:FUNCTION|PROCEDURE|PROC|AGGREGATE)\b",
    ),
    ("indexes", r"CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+|(?:NON)?CLUSTERED\s+)*INDEX\b"),
    ("triggers", r"CREATE\s+(?:OR\s+(?:REPLACE|ALTER)\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:CONSTRAINT\s+)?TRIGGER\b"),
    ("data", r"(?:INSERT|COPY|REPLACE|UPDATE|DELETE|MERGE|UPSERT)\b"),
    ("property", r"EXEC(?:UTE)?\s+(?:\[?sys\]?\s*\.\s*)?\[?sp_(?:add|update)extendedproperty\b"),
]
_CLASSIFY = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS), re.IGNORECASE)
_NAME_PART = re.compile(r'"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[^."`\[\s]+')
_PART = _NAME_PART.pattern
_QUALIFIED = rf"(?:{_PART})(?:\s*\.\s*(?:{_PART}))?"
_COMMENT = re.compile(
    rf"COMMENT\s+ON\s+(?P<kind>TABLE|COLUMN)\s+(?P<name>(?:{_PART})(?:\s*\.\s*(?:{_PART}))*)\s+IS\s+"
    r"(?P<text>NULL|'(?:[^'\\]|'')*')\s*",
    re.IGNORECASE | re.DOTALL,
)
# A CREATE TABLE inside a statement of another kind (T-SQL's IF NOT EXISTS (...) CREATE TABLE ...).
_NESTED_TABLE = re.compile(r"\bCREATE\s+TABLE\s+(?!#)", re.IGNORECASE)
_PARTITION_OF = re.compile(
    rf"\)?\s*PARTITION\s+OF\s+(?P<parent>{_QUALIFIED})",
    re.IGNORECASE,
)
_VIRTUAL = re.compile(
    rf"CREATE\s+VIRTUAL\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>{_QUALIFIED})\s+USING\s+(?P<module>\w+)",
    re.IGNORECASE,
)
# The tables SQLite's full-text and R*Tree modules keep behind a virtual table, by module.
_SHADOW_TABLES = {
    "fts3": ("content", "segments", "segdir", "docsize", "stat"),
    "fts4": ("content", "segments", "segdir", "docsize", "stat"),
    "fts5": ("data", "idx", "content", "docsize", "config"),
    "rtree": ("node", "parent", "rowid"),
    "rtree_i32": ("node", "parent", "rowid"),
}
# Tables an extension creates in every database that has it: not the application's data.
EXTENSION_TABLES = {
    "spatial_ref_sys": "PostGIS",
    "topology.topology": "PostGIS topology",
    "topology.layer": "PostGIS topology",
    "us_gaz": "PostGIS address standardizer",
    "us_lex": "PostGIS address standardizer",
    "us_rules": "PostGIS address standardizer",
    "pg_stat_statements": "pg_stat_statements",
}
# T-SQL column options sqlglot does not read; none of them changes what a column holds.
_TSQL_NOISE = re.compile(r"\b(?:ROWGUIDCOL|SPARSE|FILESTREAM|NOT\s+FOR\s+REPLICATION)\b", re.IGNORECASE)
# `id int PRIMARY KEY CLUSTERED,`: a column-level key with the index kind but no column list.
_TSQL_COLUMN_KEY = re.compile(r"\b(PRIMARY\s+KEY|UNIQUE)\s+(?:NON)?CLUSTERED\b(?!\s*\()", re.IGNORECASE)
# CREATE TYPE name FROM base [NOT] NULL: a T-SQL alias type, whose nullability its columns take by default.
_ALIAS_TYPE = re.compile(
    rf"CREATE\s+TYPE\s+(?P<name>{_QUALIFIED})\s+FROM\s+(?P<base>.+?)\s*(?P<null>NOT\s+NULL|NULL)?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_PROPERTY_ARGUMENT = re.compile(
    r"\s*(?:@(?P<key>\w+)\s*=\s*)?(?P<value>N?'(?:[^']|'')*'|NULL|\[[^\]]*\]|[\w.]+)\s*(?:,|$)", re.IGNORECASE
)
_PROPERTY_ORDER = ("name", "value", "level0type", "level0name", "level1type", "level1name", "level2type", "level2name")
_CONSTRAINT_WORDS = (
    "(?:NOT|NULL|DEFAULT|PRIMARY|UNIQUE|REFERENCES|CHECK|CONSTRAINT|GENERATED|AS|COLLATE|COMMENT|AUTO_INCREMENT"
    "|AUTOINCREMENT|IDENTITY|ON|KEY|CHARACTER|CHARSET|WITH)"
)
# A column definition's name and the type after it, to stand in for a type the parser does not know.
_COLUMN_AND_TYPE = re.compile(
    rf"(?P<lead>\s*(?:{_PART})\s+)(?P<type>{_QUALIFIED}(?:\s+(?!{_CONSTRAINT_WORDS}\b)[A-Za-z_]\w*)*"
    r"(?:\s*\([^()]*\))?(?:\s*\[\s*\d*\s*\])*)",
    re.DOTALL,
)
_PLACEHOLDER = "dayone_unknown_type_"
# pg_dump's spellings of a partition and of an identity column, as ALTER TABLE statements.
_ATTACH = re.compile(
    rf"ALTER\s+TABLE\s+(?:ONLY\s+)?(?P<parent>{_QUALIFIED})\s+ATTACH\s+PARTITION\s+(?P<child>{_QUALIFIED})",
    re.IGNORECASE,
)
_ADD_IDENTITY = re.compile(
    rf"ALTER\s+TABLE\s+(?:ONLY\s+)?(?P<table>{_QUALIFIED})\s+ALTER\s+(?:COLUMN\s+)?(?P<column>{_PART})\s+"
    r"ADD\s+GENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b",
    re.IGNORECASE,
)
_SET_DEFAULT = re.compile(r"\bSET\s+DEFAULT\s+(.+?)\s*$", re.IGNORECASE | re.DOTALL)
# CREATE UNIQUE INDEX on one plain column, without a WHERE: that column holds no duplicates.
_UNIQUE_INDEX = re.compile(
    rf"CREATE\s+UNIQUE\s+(?:(?:NON)?CLUSTERED\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"
    rf"(?:{_QUALIFIED}\s+)?ON\s+(?:ONLY\s+)?(?P<table>{_QUALIFIED})\s*(?:USING\s+\w+\s*)?"
    rf"\(\s*(?P<column>{_PART})(?:\s+(?:ASC|DESC))?\s*\)(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_WITHOUT_ROWID = re.compile(r"\)\s*(?:STRICT\s*,\s*)?WITHOUT\s+ROWID\b", re.IGNORECASE)
# PostgreSQL's serial types are integers with a sequence default, and NOT NULL.
_SERIAL_TYPES = {exp.DataType.Type.SERIAL, exp.DataType.Type.BIGSERIAL, exp.DataType.Type.SMALLSERIAL}
# The name after CREATE TABLE, in any quoting (SQLite also takes a string literal as a name).
_TABLE_PART = r'"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\'[^\']*\'|[^."`\[\s(\']+'
_TABLE_PARTS = re.compile(_TABLE_PART)
_TABLE_NAME = re.compile(
    rf"TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:ONLY\s+)?((?:{_TABLE_PART})(?:\s*\.\s*(?:{_TABLE_PART}))*)",
    re.IGNORECASE,
)


def read_ddl(text: str, dialect: str, source: str, progress: Progress = no_progress) -> ImportedSchema:
    """The schema a DDL script declares; raises DayoneError when nothing in it is a readable table."""
    if dialect not in DIALECTS:
        raise DayoneError(f"unknown dialect {dialect!r} (choose one of {', '.join(DIALECTS)})")
    reader = _Reader(dialect, source)
    total = len(text)
    with young_garbage_only():
        for done, statement in enumerate(iter_statements(text, dialect), 1):
            reader.read(statement)
            if done % 50 == 0:
                gc.collect(0)
                progress("parse", statement.end, total)
        progress("parse", total, total)
        return reader.finish()


def check_text(data: bytes, source: str) -> str:
    """The script as text, or a one-line reason why it is not a SQL script."""
    if len(data) > MAX_BYTES:
        raise DayoneError(
            f"{source}: {len(data) / 1024 / 1024:.1f} MB is more than the {MAX_BYTES // 1024 // 1024} MB a schema "
            "file may have; export the schema only (for example pg_dump --schema-only)"
        )
    if not data.strip():
        raise DayoneError(f"{source}: the file is empty, no SQL statements to import")
    zero = data.find(b"\x00", 0, 65536)
    if zero >= 0 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DayoneError(f"{source}: not a SQL text file (binary data at byte {zero})")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise DayoneError(f"{source}: not a UTF-8 SQL text file (undecodable byte at {exc.start})") from None
            continue
        if "\x00" in text:
            raise DayoneError(f"{source}: not a SQL text file (binary data)")
        return text
    raise DayoneError(f"{source}: not a SQL text file")


class _Reader:
    def __init__(self, dialect: str, source: str) -> None:
        self.dialect_name = dialect
        self.dialect = Dialect.get_or_raise(dialect)
        self.generator = self.dialect.generator()
        self.schema = ImportedSchema(source=source, dialect=dialect)
        self.enums: dict[str, list[str]] = {}
        self.enum_columns: list[tuple[ImportedColumn, str]] = []
        self.references: list[tuple[ImportedTable, list[str], exp.Expression, str]] = []
        # The schema a CREATE SCHEMA element is created in: its unqualified references point there too.
        self.element_schema = ""
        self.comments: list[exp.Comment] = []
        self.quick_comments: list[tuple[str, list[str], str | None]] = []
        self.type_names: dict[tuple, str] = {}
        self.alters: list[tuple[exp.Alter, str]] = []
        self.shadow_tables: dict[str, str] = {}
        self.alias_types: dict[str, bool] = {}
        self.alias_columns: list[tuple[ImportedColumn, str]] = []
        self.properties: list[dict[str, str | None]] = []
        self.placeholders: dict[str, str] = {}
        self.declared_not_null: set[int] = set()
        self.unique_indexes: list[tuple[str, str]] = []
        self.attached: list[tuple[str, str, int]] = []
        self.identities: list[tuple[str, str]] = []

    # -- one statement at a time -----------------------------------------------------------

    def read(self, statement: Statement) -> None:
        match = _CLASSIFY.match(statement.text)
        kind = match.lastgroup if match else "other"
        if len(statement.text) > MAX_STATEMENT and kind not in ("data", "views", "functions", "triggers"):
            size = len(statement.text) / 1024 / 1024
            reason = f"a statement of {size:.1f} MB, not read: is a quote or comment before it left open?"
            if kind == "table" or _NESTED_TABLE.search(statement.text, 0, 10000):
                self._unreadable(statement, reason)
            else:
                self.schema.skipped["other"] += 1
            return
        if kind == "table":
            self._table(statement)
        elif kind == "comment" and self._quick_comment(statement.text):
            return
        elif kind == "virtual":
            self._virtual(statement)
        elif kind == "property":
            self._property(statement.text)
        elif kind == "type" and self.dialect_name == "tsql" and self._alias_type(statement.text):
            return
        elif kind == "alter" and (attach := _ATTACH.match(statement.text)):
            parent, child = self._plain_name(attach.group("parent")), self._plain_name(attach.group("child"))
            self.attached.append((child, parent, statement.line))
        elif kind == "alter" and (identity := _ADD_IDENTITY.match(statement.text)):
            self.identities.append(
                (self._plain_name(identity.group("table")), self._parts(identity.group("column"))[0])
            )
        elif kind in ("alter", "comment", "type"):
            parsed = self._parse(statement.text)
            if isinstance(parsed, exp.Alter):
                self.alters.append((parsed, statement.text))
            elif isinstance(parsed, exp.Comment):
                self.comments.append(parsed)
            elif isinstance(parsed, exp.Create) and _is_enum(parsed):
                self.enums[self._name(parsed.this)] = [value.name for value in parsed.expression.expressions]
            else:
                self.schema.skipped["other"] += 1
        elif kind == "schema":
            self.schema.skipped["schemas"] += 1
        elif kind == "indexes" and (unique := _UNIQUE_INDEX.match(statement.text)):
            self.schema.skipped["indexes"] += 1
            if not re.search(r"\bWHERE\b", unique.group("rest"), re.IGNORECASE):
                column = self._parts(unique.group("column"))[0]
                self.unique_indexes.append((self._plain_name(unique.group("table")), column))
        elif kind == "other" and _NESTED_TABLE.search(statement.text):
            self._unreadable(statement, "a CREATE TABLE inside another statement (IF ..., BEGIN ...) is not read")
        else:
            self.schema.skipped[kind or "other"] += 1

    def _virtual(self, statement: Statement) -> None:
        """SQLite virtual tables (full-text indexes and the like): left out and reported, with their shadow tables."""
        found = _VIRTUAL.match(statement.text)
        if found is None:
            self._unreadable(statement, "a CREATE VIRTUAL TABLE that could not be read")
            return
        name = self._plain_name(found.group("name"))
        module = found.group("module").lower()
        for suffix in _SHADOW_TABLES.get(module, ()):
            self.shadow_tables[f"{name}_{suffix}".lower()] = name
        reason = f"virtual table (USING {module}): an index the database keeps, not data of its own"
        self.schema.left_out.append(Unreadable(name, statement.line, reason))

    def _plain_name(self, text: str) -> str:
        """The table key of a name as written in SQL (`"Sales".orders`, `[dbo].[T]`)."""
        parts = self._parts(text)
        return table_key(self._default(parts[-2]) if len(parts) > 1 else "", parts[-1])

    def _parts(self, text: str) -> list[str]:
        """The names of a dotted SQL name, unquoted; unquoted ones folded as the dialect folds them."""
        return [
            self._ident(
                exp.Identifier(this=part[1:-1].replace('""', '"'), quoted=True)
                if part[0] in "\"`['"
                else exp.Identifier(this=part, quoted=False)
            )
            for part in _TABLE_PARTS.findall(text)
        ]

    def _alias_type(self, sql: str) -> bool:
        """T-SQL CREATE TYPE ... FROM base [NOT] NULL; its columns are NOT NULL unless they say otherwise."""
        found = _ALIAS_TYPE.match(sql)
        if found is None:
            return False
        parts = self._parts(found.group("name"))
        self.alias_types[parts[-1].lower()] = (found.group("null") or "").upper().startswith("NOT")
        self.schema.skipped["types"] += 1
        return True

    def _property(self, sql: str) -> None:
        """sp_addextendedproperty: SQL Server's table and column descriptions (MS_Description)."""
        body = re.sub(r"^EXEC(?:UTE)?\s+\S*?sp_\w+\s*", "", sql, flags=re.IGNORECASE)
        values: dict[str, str | None] = {}
        position = 0
        for index, found in enumerate(_PROPERTY_ARGUMENT.finditer(body)):
            key = (found.group("key") or (_PROPERTY_ORDER[index] if index < len(_PROPERTY_ORDER) else "")).lower()
            raw = found.group("value")
            if raw.upper() == "NULL":
                value = None
            elif raw[:2].upper() == "N'" or raw[:1] == "'":
                value = raw[raw.index("'") + 1 : -1].replace("''", "'")
            else:
                value = raw.strip("[]")
            values[key] = value
            position = found.end()
        if position < len(body.rstrip()) or (values.get("name") or "").lower() != "ms_description":
            self.schema.skipped["other"] += 1
            return
        self.properties.append(values)

    def _quick_comment(self, sql: str) -> bool:
        """COMMENT ON TABLE/COLUMN in its plain form, read without the parser (dumps carry thousands)."""
        match = _COMMENT.fullmatch(sql)
        if match is None:
            return False
        parts = self._parts(match.group("name"))
        text = match.group("text")
        text = None if text.upper() == "NULL" else text[1:-1].replace("''", "'")
        self.quick_comments.append((match.group("kind").upper(), parts, text))
        return True

    def _parse(self, sql: str) -> exp.Expr | None:
        try:
            parsed = self.dialect.parse(sql)
        except SqlglotError:
            return None
        return parsed[0] if parsed else None

    def _table(self, statement: Statement) -> None:
        text = statement.text
        if self.dialect_name == "tsql":
            text = _TSQL_COLUMN_KEY.sub(r"\1", _TSQL_NOISE.sub(" ", text))
        if self.shadow_tables:
            found = _TABLE_NAME.search(text)
            name = self._plain_name(found.group(1)) if found else ""
            if name.lower() in self.shadow_tables:
                reason = f"kept by SQLite for the virtual table {self.shadow_tables[name.lower()]}"
                self.schema.left_out.append(Unreadable(name, statement.line, reason))
                return
        partition = _PARTITION_OF.search(text) if "PARTITION" in text.upper() else None
        if partition is not None and not text[: partition.start()].rstrip().endswith(")"):
            self._partition(statement, text, partition.group("parent"))
            return
        create = self._parse_table(statement, text)
        if create is None:
            return
        target = create.this.this
        schema, name = self._schema_of(target), self._ident(target.this)
        self.element_schema = self._default(statement.schema) if statement.schema is not None else ""
        if statement.schema is not None and target.args.get("db") is None:
            schema = self.element_schema
        table = ImportedTable(schema=schema, name=name, line=statement.line)
        properties = create.args.get("properties")
        for prop in properties.expressions if properties else ():
            if isinstance(prop, exp.SchemaCommentProperty):
                table.description = prop.this.name or None
            elif isinstance(prop, exp.InheritsProperty):
                self._inherit(table, prop.expressions)
        table_level = []
        for part in create.this.expressions:
            if isinstance(part, exp.ColumnDef):
                self._column(table, part)
            elif isinstance(part, exp.Identifier):
                # SQLite: a column declared without a type
                table.columns[self._ident(part)] = ImportedColumn(name=self._ident(part))
            else:
                table_level.append(part)
        for part in table_level:
            self._table_constraint(table, part)
        self._spell_as_written(table, text)
        if self.dialect_name == "sqlite" and not _WITHOUT_ROWID.search(text):
            self._sqlite_key_nullability(table, text)
        self.declared_not_null.clear()
        self.schema.tables[table.key] = table

    def _spell_as_written(self, table: ImportedTable, text: str) -> None:
        """Types and defaults as the statement writes them, rather than as sqlglot would write them again."""
        found = top_level_pieces(text)
        if found is None:
            return
        for written, spelling in column_spellings([text[start:end] for start, end in found[2]]).items():
            column = table.columns.get(self._parts(written)[0]) if _NAME_PART.match(written) else None
            if column is None:
                continue
            if spelling.type:
                column.type = spelling.type
            if column.default_value is not None and spelling.default:
                column.default_value = None if spelling.default.upper() == "NULL" else spelling.default

    def _sqlite_key_nullability(self, table: ImportedTable, text: str) -> None:
        """SQLite lets a primary key column hold NULL unless it says NOT NULL or is the INTEGER rowid alias."""
        keys = [column for column in table.columns.values() if column.primary_key]
        for column in keys:
            rowid = len(keys) == 1 and re.search(
                rf"(?:^|[\s,(\"`\[]){re.escape(column.name)}[\"`\]]?\s+INTEGER\b(?!\s*\()", text, re.IGNORECASE
            )
            column.nullable = not (rowid or id(column) in self.declared_not_null)

    def _parse_table(self, statement: Statement, text: str) -> exp.Create | None:
        """A CREATE TABLE as sqlglot reads it.

        When sqlglot cannot read it whole, a column type it does not know is read as
        a stand-in and kept as written, and table options after the column list that
        it does not know (WITHOUT ROWID, storage clauses) are left out.
        """
        error = None
        stand_in: list[str | None] = []

        def with_stand_in_types() -> str | None:
            stand_in.append(self._with_stand_in_types(text))
            return stand_in[0]

        for attempt in (
            lambda: text,
            with_stand_in_types,
            lambda: _column_list_only(stand_in[0] or text),
        ):
            candidate = attempt()
            if candidate is None:
                continue
            try:
                create = self._parse_one(candidate)
            except SqlglotError as exc:
                error = error or exc
                continue
            except RecursionError:
                self._unreadable(statement, "too deeply nested")
                return None
            if isinstance(create, exp.Create) and isinstance(create.this, exp.Schema):
                return create
            if isinstance(create, exp.Create) and create.expression is not None:
                break
        reason = _first_line(str(error)) if error else "no column list (CREATE TABLE ... AS or LIKE is not imported)"
        self._unreadable(statement, reason)
        return None

    def _parse_one(self, text: str) -> exp.Expr | None:
        parsed = self.dialect.parse(text)
        return parsed[0] if parsed else None

    def _with_stand_in_types(self, text: str) -> str | None:
        """The statement with each column type sqlglot cannot read replaced by a stand-in name, or None."""
        found = top_level_pieces(text)
        if found is None:
            return None
        opened, closed, pieces = found
        parts = []
        for start, end in pieces:
            piece = text[start:end]
            try:
                self.dialect.parse(f"CREATE TABLE t ({piece})")
            except SqlglotError:
                column = _COLUMN_AND_TYPE.match(piece)
                if column is None:
                    return None
                stand_in = f"{_PLACEHOLDER}{len(self.placeholders)}"
                self.placeholders[stand_in] = " ".join(column.group("type").split())
                piece = f"{column.group('lead')}{stand_in}{piece[column.end() :]}"
            parts.append(piece)
        return f"{text[:opened]}{','.join(parts)}{text[closed:]}"

    def _partition(self, statement: Statement, text: str, parent: str) -> None:
        """CREATE TABLE ... PARTITION OF parent: its rows are the parent's rows, so it is read as part of it."""
        found = _TABLE_NAME.search(text)
        name = self._plain_name(found.group(1)) if found else "?"
        parent_key = self._plain_name(parent)
        self.schema.left_out.append(
            Unreadable(name, statement.line, f"partition of {parent_key}: its rows are read as the parent's")
        )

    def _inherit(self, table: ImportedTable, parents: list[exp.Expression]) -> None:
        """PostgreSQL table inheritance: the child gets the parents' columns, without their keys."""
        for parent in parents:
            found = self.schema.tables.get(self._name(parent))
            for column in found.columns.values() if found else ():
                table.columns[column.name] = ImportedColumn(
                    name=column.name,
                    type=column.type,
                    nullable=column.nullable,
                    default_value=column.default_value,
                    value_set=column.value_set,
                )

    def _unreadable(self, statement: Statement, reason: str) -> None:
        found = _TABLE_NAME.search(statement.text)
        name = self._plain_name(found.group(1)) if found else "?"
        self.schema.unreadable.append(Unreadable(name, statement.line, reason))

    def _column(self, table: ImportedTable, column_def: exp.ColumnDef) -> None:
        column = ImportedColumn(name=self._ident(column_def.this))
        kind = column_def.args.get("kind")
        if kind is not None:
            column.type = self._type(kind)
            if kind.this == exp.DataType.Type.ENUM and kind.expressions:
                column.value_set = [value.name for value in kind.expressions]
            elif kind.this == exp.DataType.Type.USERDEFINED:
                if column.type in self.placeholders:
                    column.type = self.placeholders[column.type]
                else:
                    self.enum_columns.append((column, column.type))
        said_null = False
        for constraint in column_def.constraints:
            if isinstance(constraint.kind, exp.NotNullColumnConstraint):
                said_null = True
                if not constraint.kind.args.get("allow_null"):
                    self.declared_not_null.add(id(column))
            self._column_constraint(table, column, constraint.kind)
        if kind is not None and kind.this in _SERIAL_TYPES:
            column.nullable = False
        if not said_null and not column.primary_key and column.type and self.alias_types:
            self.alias_columns.append((column, column.type.rsplit(".", 1)[-1]))
        table.columns[column.name] = column

    def _column_constraint(self, table: ImportedTable, column: ImportedColumn, kind: exp.Expr) -> None:
        if isinstance(kind, exp.NotNullColumnConstraint):
            column.nullable = bool(kind.args.get("allow_null"))
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            column.primary_key, column.nullable = True, False
        elif isinstance(kind, exp.UniqueColumnConstraint):
            column.is_unique = True
        elif isinstance(kind, exp.DefaultColumnConstraint):
            column.default_value = None if isinstance(kind.this, exp.Null) else self._sql(kind.this)
        elif isinstance(kind, exp.Reference):
            self.references.append((table, [column.name], kind, self.element_schema))
        elif isinstance(kind, exp.ForeignKey) and kind.args.get("reference") is not None:
            self.references.append((table, [column.name], kind.args["reference"], self.element_schema))
        elif isinstance(kind, exp.CheckColumnConstraint):
            column.check_constraint = _joined(column.check_constraint, self._sql(kind.this))
        elif isinstance(kind, exp.ComputedColumnConstraint):
            stored = " stored" if kind.args.get("persisted") else ""
            column.generated = f"{self._sql(kind.this)}{stored}"
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
            if kind.args.get("expression") is not None:
                column.generated = self._sql(kind.args["expression"])
            else:
                # An identity column never holds NULL (PostgreSQL, SQL Server and the SQL standard).
                column.generated, column.nullable = "identity", False
        elif isinstance(kind, exp.AutoIncrementColumnConstraint):
            column.generated = "autoincrement" if self.dialect_name == "sqlite" else "auto_increment"
        elif isinstance(kind, exp.CommentColumnConstraint):
            column.description = kind.this.name or None

    def _table_constraint(self, table: ImportedTable, part: exp.Expression) -> None:
        if isinstance(part, exp.Constraint):
            inner_parts = list(part.expressions)
            kinds = [type(inner) for inner in inner_parts]
            clustered = [
                inner
                for inner in inner_parts
                if isinstance(inner, (exp.ClusteredColumnConstraint, exp.NonClusteredColumnConstraint))
            ]
            if clustered and (exp.PrimaryKeyColumnConstraint in kinds or exp.UniqueColumnConstraint in kinds):
                # T-SQL: CONSTRAINT pk PRIMARY KEY CLUSTERED (id ASC)
                names = self._names(clustered[0].this or [])
                keyed = exp.PrimaryKey if exp.PrimaryKeyColumnConstraint in kinds else None
                if keyed is not None:
                    self._table_constraint(table, exp.PrimaryKey(expressions=[exp.to_identifier(n) for n in names]))
                elif len(names) == 1 and names[0] in table.columns:
                    table.columns[names[0]].is_unique = True
                return
            for inner in inner_parts:
                self._table_constraint(table, inner)
        elif isinstance(part, exp.PrimaryKey):
            names = self._names(part.expressions)
            for name in names:
                if name in table.columns:
                    table.columns[name].primary_key = True
                    table.columns[name].nullable = False
        elif isinstance(part, exp.ForeignKey):
            reference = part.args.get("reference")
            if reference is not None:
                self.references.append((table, self._names(part.expressions), reference, self.element_schema))
        elif isinstance(part, exp.UniqueColumnConstraint):
            target = part.this
            if isinstance(target, exp.Schema):
                names = self._names(target.expressions)
            elif isinstance(target, (exp.ClusteredColumnConstraint, exp.NonClusteredColumnConstraint)):
                names = self._names(target.this or [])
            else:
                names = []
            if len(names) == 1 and names[0] in table.columns:
                table.columns[names[0]].is_unique = True
        elif isinstance(part, exp.CheckColumnConstraint):
            self._check(table, part.this)
        elif isinstance(part, exp.ColumnDef):
            self._column(table, part)

    def _check(self, table: ImportedTable, condition: exp.Expression) -> None:
        text = self._sql(condition)
        named = {self._ident(column.this) for column in condition.find_all(exp.Column)} & set(table.columns)
        if len(named) == 1:
            column = table.columns[named.pop()]
            column.check_constraint = _joined(column.check_constraint, text)
        else:
            table.checks.append(text)

    # -- after the last statement ----------------------------------------------------------

    def finish(self) -> ImportedSchema:
        for column, type_name in self.alias_columns:
            if type_name in self.alias_types:
                column.nullable = not self.alias_types[type_name]
        if self.dialect_name == "sqlite":
            for key in [key for key in self.schema.tables if key.lower().startswith("sqlite_")]:
                table = self.schema.tables.pop(key)
                self.schema.left_out.append(Unreadable(key, table.line or 0, "SQLite's own bookkeeping table"))
        for key in [key for key in self.schema.tables if key.lower() in EXTENSION_TABLES]:
            table = self.schema.tables.pop(key)
            reason = f"created by the {EXTENSION_TABLES[key.lower()]} extension, not application data"
            self.schema.left_out.append(Unreadable(key, table.line or 0, reason))
        for alter, text in self.alters:
            self._alter(alter, text)
        for key, name in self.identities:
            identity = self.schema.tables[key].columns.get(name) if key in self.schema.tables else None
            if identity is not None:
                identity.generated, identity.nullable = "identity", False
        for child, parent, _ in self.attached:
            partition = self.schema.tables.pop(child, None)
            if partition is not None:
                reason = f"partition of {parent}: its rows are read as the parent's"
                self.schema.left_out.append(Unreadable(child, partition.line or 0, reason))
        for key, name in self.unique_indexes:
            indexed = self.schema.tables.get(key)
            if indexed is not None and name in indexed.columns:
                indexed.columns[name].is_unique = True
        for table, names, reference, element_schema in self.references:
            self._reference(table, names, reference, element_schema)
        for column, type_name in self.enum_columns:
            values = self.enums.get(type_name) or self.enums.get(type_name.rsplit(".", 1)[-1])
            if values and not column.value_set:
                column.value_set = list(values)
        for comment in self.comments:
            self._comment(comment)
        for kind, parts, comment_text in self.quick_comments:
            self._apply_comment(kind, parts, comment_text)
        for property_values in self.properties:
            self._apply_property(property_values)
        if not self.schema.tables:
            source = self.schema.source
            if self.schema.unreadable:
                first = self.schema.unreadable[0]
                raise DayoneError(
                    f"{source}: none of the {len(self.schema.unreadable)} CREATE TABLE statements could be read as "
                    f"{self.dialect_name} SQL (first: {first.describe()}); is --dialect right?"
                )
            raise DayoneError(f"{source}: no CREATE TABLE statements found, nothing to import")
        return self.schema

    def _alter(self, alter: exp.Alter, text: str) -> None:
        table = self.schema.tables.get(table_key(self._schema_of(alter.this), self._ident(alter.this.this)))
        if table is None:
            return
        for action in alter.args.get("actions") or ():
            if isinstance(action, exp.AddConstraint):
                for part in action.expressions:
                    self._table_constraint(table, part)
            elif isinstance(action, exp.ColumnDef):
                self._column(table, action)
            elif isinstance(action, exp.AlterColumn):
                column = table.columns.get(self._ident(action.this))
                if column is None:
                    continue
                if action.args.get("default") is not None:
                    written = _SET_DEFAULT.search(text) if len(alter.args.get("actions") or ()) == 1 else None
                    column.default_value = (
                        " ".join(written.group(1).split()) if written else self._sql(action.args["default"])
                    )
                if action.args.get("allow_null") is not None:
                    column.nullable = bool(action.args["allow_null"])
                if action.args.get("dtype") is not None:
                    column.type = self._type(action.args["dtype"])
            else:
                for part in action.find_all(exp.PrimaryKey, exp.ForeignKey):
                    self._table_constraint(table, part)

    def _reference(
        self, table: ImportedTable, names: list[str], reference: exp.Expression, element_schema: str
    ) -> None:
        target = reference.this
        if isinstance(target, exp.Schema):
            target_table, target_columns = target.this, self._names(target.expressions)
        else:
            target_table, target_columns = target, []
        if not isinstance(target_table, exp.Table):
            return
        schema = self._schema_of(target_table) if target_table.args.get("db") is not None else element_schema
        key = table_key(schema, self._ident(target_table.this))
        if not target_columns:
            referenced = self.schema.tables.get(key)
            target_columns = [c.name for c in referenced.columns.values() if c.primary_key] if referenced else []
        for local, remote in zip(names, target_columns, strict=False):
            column = table.columns.get(local)
            if column is not None:
                column.foreign_key = f"{key}.{quote(remote)}"

    def _apply_comment(self, kind: str, parts: list[str], text: str | None) -> None:
        if kind == "TABLE" and parts:
            schema = self._default(parts[-2]) if len(parts) > 1 else ""
            table = self.schema.tables.get(table_key(schema, parts[-1]))
            if table is not None:
                table.description = text or None
        elif kind == "COLUMN" and len(parts) > 1:
            schema = self._default(parts[-3]) if len(parts) > 2 else ""
            table = self.schema.tables.get(table_key(schema, parts[-2]))
            column = table.columns.get(parts[-1]) if table else None
            if column is not None:
                column.description = text or None

    def _apply_property(self, values: dict[str, str | None]) -> None:
        levels = {(values.get(f"level{n}type") or "").upper(): values.get(f"level{n}name") or "" for n in range(3)}
        if "TABLE" not in levels:
            return
        schema = self._default(levels.get("SCHEMA", ""))
        if "COLUMN" in levels:
            self._apply_comment("COLUMN", [schema, levels["TABLE"], levels["COLUMN"]], values.get("value"))
        else:
            self._apply_comment("TABLE", [schema, levels["TABLE"]], values.get("value"))

    def _comment(self, comment: exp.Comment) -> None:
        kind = (comment.args.get("kind") or "").upper()
        text = comment.expression.name if comment.expression is not None else None
        target = comment.this
        if kind == "TABLE" and isinstance(target, exp.Table):
            table = self.schema.tables.get(table_key(self._schema_of(target), self._ident(target.this)))
            if table is not None:
                table.description = text or None
        elif kind == "COLUMN" and isinstance(target, exp.Column):
            schema = self._default(self._ident(target.args["db"])) if target.args.get("db") else ""
            table_name = self._ident(target.args["table"]) if target.args.get("table") else ""
            table = self.schema.tables.get(table_key(schema, table_name))
            column = table.columns.get(self._ident(target.this)) if table else None
            if column is not None:
                column.description = text or None

    # -- names and types -------------------------------------------------------------------

    def _ident(self, node: exp.Expression | str | None) -> str:
        if node is None:
            return ""
        if isinstance(node, str):
            return node
        if isinstance(node, exp.Identifier):
            if not node.quoted and self.dialect_name == "postgres":
                return node.this.lower()
            return node.this
        return node.name

    def _names(self, nodes: Iterable[exp.Expression]) -> list[str]:
        names = []
        for node in nodes:
            if isinstance(node, exp.Ordered):
                node = node.this
            names.append(self._ident(node.this if isinstance(node, exp.Column) else node))
        return names

    def _name(self, table: exp.Expression) -> str:
        if isinstance(table, exp.Table):
            return table_key(self._schema_of(table), self._ident(table.this))
        return self._ident(table)

    def _schema_of(self, table: exp.Table) -> str:
        db = table.args.get("db")
        return self._default(self._ident(db)) if db is not None else ""

    def _default(self, schema: str) -> str:
        return "" if schema.lower() in DEFAULT_SCHEMAS else schema

    def _type(self, kind: exp.DataType) -> str:
        if kind.this == exp.DataType.Type.USERDEFINED:
            return _NEUTRAL.generate(kind, copy=False).replace('"', "").replace("`", "").lower()
        params = kind.expressions
        if all(isinstance(param, exp.DataTypeParam) and isinstance(param.this, exp.Literal) for param in params):
            key = (kind.this, tuple(param.this.name for param in params), bool(kind.args.get("nested")))
            if key not in self.type_names:
                self.type_names[key] = normalise_type(kind)
            return self.type_names[key]
        return normalise_type(kind)

    def _sql(self, node: exp.Expression) -> str:
        # One generator for the whole script and no defensive copy: Expression.sql() costs a copy per call.
        return self.generator.generate(node, copy=False)


# Types are written in sqlglot's dialect-neutral spelling.
_NEUTRAL = Dialect().generator()


def normalise_type(kind: exp.DataType) -> str:
    """One dialect-neutral spelling per type, so file and live imports of the same table agree."""
    return re.sub(r",\s+", ",", _NEUTRAL.generate(kind, copy=False)).lower()


def _column_list_only(text: str) -> str | None:
    """The statement up to the end of its column list, or None when nothing follows that list."""
    found = top_level_pieces(text)
    if found is None or not text[found[1] + 1 :].strip():
        return None
    return text[: found[1] + 1]


def _is_enum(create: exp.Create) -> bool:
    kind = (create.args.get("kind") or "").upper()
    expression = create.args.get("expression")
    return kind == "TYPE" and isinstance(expression, exp.DataType) and expression.this == exp.DataType.Type.ENUM


def _joined(existing: str | None, more: str) -> str:
    return f"{existing} AND {more}" if existing else more


def _first_line(message: str) -> str:
    if not message.strip():
        return "cannot be parsed"
    line = " ".join(message.strip().splitlines()[0].split())
    line = re.sub(r"<class 'sqlglot\.[\w.]*\.(\w+)'>", r"\1", line)
    return re.sub(r"<Token token_type: [^,]+, text: ([^,]*), line[^>]*>", r"'\1'", line)
