"""Read tables, keys, comments and enum types from a SQL DDL script with sqlglot.

Only statements that shape tables are parsed (CREATE TABLE, ALTER TABLE,
COMMENT ON, CREATE TYPE); views, routines, indexes, triggers and data are
recognised by their first words and counted, which keeps a large dump fast.
A CREATE TABLE that sqlglot cannot read is reported with its line and the rest
of the script is still imported.
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
from tui.importers.memory import young_garbage_only
from tui.importers.model import (
    ImportedColumn,
    ImportedSchema,
    ImportedTable,
    Progress,
    Unreadable,
    no_progress,
    table_key,
)
from tui.importers.statements import Statement, statements
from tui.references import quote

# sqlglot logs a warning for every statement it keeps as an opaque command (OWNER TO, GRANT ...);
# those statements are counted and reported by the import instead.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

MAX_BYTES = 32 * 1024 * 1024

# Schemas that mean "the default one": tables there are keyed by their bare name.
DEFAULT_SCHEMAS = {"public", "dbo", "main"}

_KINDS = [
    (
        "table",
        r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+|TRANSIENT\s+)?"
        r"TABLE\b",
    ),
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
]
_CLASSIFY = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS), re.IGNORECASE)
_NAME_PART = re.compile(r'"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[^."`\[\s]+')
_COMMENT = re.compile(
    r"COMMENT\s+ON\s+(?P<kind>TABLE|COLUMN)\s+(?P<name>(?:%s)(?:\s*\.\s*(?:%s))*)\s+IS\s+"
    r"(?P<text>NULL|'(?:[^'\\]|'')*')\s*" % (_NAME_PART.pattern, _NAME_PART.pattern),
    re.IGNORECASE | re.DOTALL,
)
_TABLE_NAME = re.compile(
    r"TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:[`\"\[]?[^\s(`\"\]]+[`\"\]]?\.)*[`\"\[]?[^\s(`\"\]]+[`\"\]]?)",
    re.IGNORECASE,
)


def read_ddl(text: str, dialect: str, source: str, progress: Progress = no_progress) -> ImportedSchema:
    """The schema a DDL script declares; raises DayoneError when nothing in it is a readable table."""
    if dialect not in DIALECTS:
        raise DayoneError(f"unknown dialect {dialect!r} (choose one of {', '.join(DIALECTS)})")
    reader = _Reader(dialect, source)
    found = statements(text)
    total = len(found)
    with young_garbage_only():
        for done, statement in enumerate(found, 1):
            reader.read(statement)
            if done % 50 == 0 or done == total:
                gc.collect(0)
                progress("parse", done, total)
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
        self.comments: list[exp.Comment] = []
        self.quick_comments: list[tuple[str, list[str], str | None]] = []
        self.type_names: dict[tuple, str] = {}
        self.alters: list[exp.Alter] = []

    # -- one statement at a time -----------------------------------------------------------

    def read(self, statement: Statement) -> None:
        match = _CLASSIFY.match(statement.text)
        kind = match.lastgroup if match else "other"
        if kind == "table":
            self._table(statement)
        elif kind == "comment" and self._quick_comment(statement.text):
            return
        elif kind in ("alter", "comment", "type"):
            parsed = self._parse(statement.text)
            if isinstance(parsed, exp.Alter):
                self.alters.append(parsed)
            elif isinstance(parsed, exp.Comment):
                self.comments.append(parsed)
            elif isinstance(parsed, exp.Create) and _is_enum(parsed):
                self.enums[self._name(parsed.this)] = [value.name for value in parsed.expression.expressions]
            else:
                self.schema.skipped["other"] += 1
        elif kind == "schema":
            self.schema.skipped["schemas"] += 1
        else:
            self.schema.skipped[kind or "other"] += 1

    def _quick_comment(self, sql: str) -> bool:
        """COMMENT ON TABLE/COLUMN in its plain form, read without the parser (dumps carry thousands)."""
        match = _COMMENT.fullmatch(sql)
        if match is None:
            return False
        parts = [
            self._ident(
                exp.Identifier(this=part[1:-1].replace('""', '"'), quoted=True)
                if part[0] in '"`['
                else exp.Identifier(this=part, quoted=False)
            )
            for part in _NAME_PART.findall(match.group("name"))
        ]
        text = match.group("text")
        text = None if text.upper() == "NULL" else text[1:-1].replace("''", "'")
        self.quick_comments.append((match.group("kind").upper(), parts, text))
        return True

    def _parse(self, sql: str) -> exp.Expression | None:
        try:
            parsed = self.dialect.parse(sql)
        except SqlglotError:
            return None
        return parsed[0] if parsed else None

    def _table(self, statement: Statement) -> None:
        try:
            parsed = self.dialect.parse(statement.text)
            create = parsed[0] if parsed else None
        except SqlglotError as exc:
            self._unreadable(statement, _first_line(str(exc)))
            return
        except RecursionError:
            self._unreadable(statement, "too deeply nested")
            return
        if not isinstance(create, exp.Create) or not isinstance(create.this, exp.Schema):
            self._unreadable(statement, "no column list (CREATE TABLE ... AS or LIKE is not imported)")
            return
        target = create.this.this
        schema, name = self._schema_of(target), self._ident(target.this)
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
            else:
                table_level.append(part)
        for part in table_level:
            self._table_constraint(table, part)
        self.schema.tables[table.key] = table

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
        name = found.group(1).replace('"', "").replace("`", "").replace("[", "").replace("]", "") if found else "?"
        self.schema.unreadable.append(Unreadable(name, statement.line, reason))

    def _column(self, table: ImportedTable, column_def: exp.ColumnDef) -> None:
        column = ImportedColumn(name=self._ident(column_def.this))
        kind = column_def.args.get("kind")
        if kind is not None:
            column.type = self._type(kind)
            if kind.this == exp.DataType.Type.ENUM and kind.expressions:
                column.value_set = [value.name for value in kind.expressions]
            elif kind.this == exp.DataType.Type.USERDEFINED:
                self.enum_columns.append((column, column.type))
        for constraint in column_def.constraints:
            self._column_constraint(table, column, constraint.kind)
        table.columns[column.name] = column

    def _column_constraint(self, table: ImportedTable, column: ImportedColumn, kind: exp.Expression) -> None:
        if isinstance(kind, exp.NotNullColumnConstraint):
            column.nullable = bool(kind.args.get("allow_null"))
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            column.primary_key, column.nullable = True, False
        elif isinstance(kind, exp.UniqueColumnConstraint):
            column.is_unique = True
        elif isinstance(kind, exp.DefaultColumnConstraint):
            column.default_value = self._sql(kind.this)
        elif isinstance(kind, exp.Reference):
            self.references.append((table, [column.name], kind, ""))
        elif isinstance(kind, exp.ForeignKey) and kind.args.get("reference") is not None:
            self.references.append((table, [column.name], kind.args["reference"], ""))
        elif isinstance(kind, exp.CheckColumnConstraint):
            column.check_constraint = _joined(column.check_constraint, self._sql(kind.this))
        elif isinstance(kind, exp.ComputedColumnConstraint):
            stored = " stored" if kind.args.get("persisted") else ""
            column.generated = f"{self._sql(kind.this)}{stored}"
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
            if kind.args.get("expression") is not None:
                column.generated = self._sql(kind.args["expression"])
            else:
                column.generated = "identity"
        elif isinstance(kind, exp.AutoIncrementColumnConstraint):
            column.default_value = column.default_value or "autoincrement"
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
                self.references.append((table, self._names(part.expressions), reference, ""))
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
        for alter in self.alters:
            self._alter(alter)
        for table, names, reference, _ in self.references:
            self._reference(table, names, reference)
        for column, type_name in self.enum_columns:
            values = self.enums.get(type_name) or self.enums.get(type_name.rsplit(".", 1)[-1])
            if values and not column.value_set:
                column.value_set = list(values)
        for comment in self.comments:
            self._comment(comment)
        for kind, parts, text in self.quick_comments:
            self._apply_comment(kind, parts, text)
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

    def _alter(self, alter: exp.Alter) -> None:
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
                    column.default_value = self._sql(action.args["default"])
                if action.args.get("allow_null") is not None:
                    column.nullable = bool(action.args["allow_null"])
                if action.args.get("dtype") is not None:
                    column.type = self._type(action.args["dtype"])
            else:
                for part in action.find_all(exp.PrimaryKey, exp.ForeignKey):
                    self._table_constraint(table, part)

    def _reference(self, table: ImportedTable, names: list[str], reference: exp.Expression) -> None:
        target = reference.this
        if isinstance(target, exp.Schema):
            target_table, target_columns = target.this, self._names(target.expressions)
        else:
            target_table, target_columns = target, []
        if not isinstance(target_table, exp.Table):
            return
        key = table_key(self._schema_of(target_table), self._ident(target_table.this))
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
    return re.sub(r"<Token token_type: [^,]+, text: ([^,]*), line[^>]*>", r"'\1'", line)
