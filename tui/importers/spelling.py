"""Column types and defaults as the source spells them, and one normal form to compare them by.

The workspace keeps what the schema says (`character varying(20)`, `NVARCHAR(50)`,
`int(11) unsigned`, `DEFAULT NOW()`), cut from the CREATE TABLE text or taken from
the database catalogue. Two imports of the same schema, from a file and from the
live database, spell things differently (`serial` against `integer` with a
`nextval(...)` default, `'new'::text` against `'new'`), so the diff compares the
normal form: sqlglot's dialect-neutral spelling, with the casts, parentheses and
synonyms that do not change a value taken away.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError

from tui.importers.statements import skip_pattern

# Words that end a column's type and a default expression (the start of the next constraint).
_ENDS = (
    r"NOT|NULL|DEFAULT|PRIMARY|UNIQUE|REFERENCES|CHECK|CONSTRAINT|GENERATED|AS|COLLATE|COMMENT|AUTO_INCREMENT"
    r"|AUTOINCREMENT|IDENTITY|ON|KEY|CHARACTER\s+SET|CHARSET|ENCODE|STORED|VIRTUAL|MASKING|TAG"
)
_TOKEN = re.compile(
    rf"(?P<skip>{skip_pattern()})|(?P<open>\()|(?P<close>\))|(?P<end>\b(?:{_ENDS})\b)|(?P<word>\S)",
    re.IGNORECASE | re.DOTALL,
)
_DEFAULT = re.compile(r"\bDEFAULT\b", re.IGNORECASE)
_NAME = re.compile(r'\s*("(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[^\s(),]+)\s*', re.DOTALL)


@dataclass(frozen=True)
class Spelling:
    """A column's type and default exactly as its definition writes them (None when it writes none)."""

    type: str | None
    default: str | None


def column_spellings(pieces: list[str]) -> dict[str, Spelling]:
    """The spelling of each column definition among the pieces of a column list, by the name as written."""
    found = {}
    for piece in pieces:
        name = _NAME.match(piece)
        if name is None:
            continue
        rest = piece[name.end() :]
        type_text = _until_end(rest, 0)
        default = None
        for match in _DEFAULT.finditer(rest):
            if _depth_at(rest, match.start()) == 0:
                default = _until_end(rest, match.end(), first_word_free=True)
                break
        found[name.group(1)] = Spelling(_tidy_type(type_text), _tidy(default))
    return found


def _depth_at(text: str, position: int) -> int | None:
    """The parenthesis depth at a position, or None when it is inside a quote or comment."""
    depth = 0
    for match in _TOKEN.finditer(text, 0, position + 1):
        if match.start() >= position:
            return depth
        if match.lastgroup == "skip" and match.end() > position:
            return None
        if match.lastgroup == "open":
            depth += 1
        elif match.lastgroup == "close":
            depth -= 1
    return depth


def _until_end(text: str, start: int, first_word_free: bool = False) -> str | None:
    """The text from `start` to the first constraint word outside parentheses and quotes."""
    depth, end, seen = 0, start, False
    for match in _TOKEN.finditer(text, start):
        kind = match.lastgroup
        if kind == "end" and depth == 0 and (seen or not first_word_free):
            break
        if kind == "open":
            depth += 1
        elif kind == "close":
            if depth == 0:
                break
            depth -= 1
        elif kind == "word" and match.group() == "," and depth == 0:
            break
        seen = True
        end = match.end()
    text = text[start:end].strip()
    return text or None


def _tidy(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _tidy_type(text: str | None) -> str | None:
    """A type as written, with T-SQL's brackets and MySQL's backticks around its name taken off."""
    if not text:
        return None
    text = re.sub(r"\[([^\]]*)\]", r"\1", text)
    return _tidy(text.replace("`", ""))


# -- normal forms ------------------------------------------------------------------------------

_NEUTRAL = Dialect().generator()
_INTEGER_WIDTH = re.compile(r"^((?:u?(?:tiny|small|medium|big)?int)|integer)\(\d+\)")
_SERIALS = {"serial": "int", "serial4": "int", "bigserial": "bigint", "serial8": "bigint", "smallserial": "smallint"}
_AUTO = "auto"
# A type named in the default schema (`public.cube`, pg_dump's spelling) is the same type unqualified.
_DEFAULT_QUALIFIER = re.compile(r"^(?:public|dbo|main|pg_catalog)\.")


@functools.lru_cache(maxsize=4096)
def normal_type(text: str | None, dialect: str | None) -> str | None:
    """One spelling per type: `integer`, `int4` and `int(11)` alike, `serial` as the integer it is."""
    if not text:
        return None
    lowered = " ".join(text.lower().split())
    if lowered in _SERIALS:
        return _SERIALS[lowered]
    if dialect == "mysql" and lowered in ("tinyint(1)", "bool"):
        # MySQL's BOOLEAN is TINYINT(1), and the server reports it so.
        return "boolean"
    try:
        kind = exp.DataType.build(text, dialect=dialect or None)
    except (SqlglotError, ValueError):
        return _DEFAULT_QUALIFIER.sub("", lowered.replace('"', ""))
    spelled = re.sub(r",\s+", ",", _NEUTRAL.generate(kind, copy=False)).lower()
    spelled = _DEFAULT_QUALIFIER.sub("", spelled.replace('"', ""))
    return _INTEGER_WIDTH.sub(r"\1", spelled)


@functools.lru_cache(maxsize=8192)
def normal_default(text: str | None, dialect: str | None) -> str | None:
    """A default without casts and parentheses; sequence defaults are "auto", NULL is no default."""
    if not text:
        return None
    if re.match(r"\s*nextval\s*\(", text, re.IGNORECASE):
        return _AUTO
    try:
        parsed: exp.Expr = exp.maybe_parse(text, dialect=dialect or None)
    except (SqlglotError, ValueError, RecursionError):
        return " ".join(text.lower().split())
    parsed = _plain(parsed)
    if isinstance(parsed, exp.Null):
        return None
    if isinstance(parsed, exp.Boolean):
        # MySQL keeps TRUE and FALSE as 1 and 0.
        return "1" if parsed.this else "0"
    if isinstance(parsed, exp.Neg) and isinstance(parsed.this, exp.Literal):
        return _number(f"-{parsed.this.this}")
    if isinstance(parsed, exp.Literal):
        return _number(parsed.this)
    if isinstance(parsed, (exp.CurrentTimestamp, exp.CurrentDatetime)) or (
        isinstance(parsed, exp.Anonymous) and parsed.name.lower() in ("now", "getdate", "sysdatetime", "localtimestamp")
    ):
        return "current_timestamp"
    return _NEUTRAL.generate(parsed, copy=False).lower()


def _number(text: str) -> str:
    """A numeric literal in one spelling (`0`, `0.000000` and `'0'` alike); other text as it is."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    return format(value.normalize(), "f")


@functools.lru_cache(maxsize=8192)
def normal_expression(text: str | None, dialect: str | None) -> str | None:
    """A check or generation expression without casts and redundant parentheses."""
    if not text:
        return None
    try:
        parsed: exp.Expr = exp.maybe_parse(text, dialect=dialect or None)
    except (SqlglotError, ValueError, RecursionError):
        return " ".join(text.lower().split())
    return _NEUTRAL.generate(_without_noise(parsed), copy=False).lower()


def normal_generated(text: str | None, default: str | None, type_text: str | None, dialect: str | None) -> str | None:
    """How a column gets its value: "auto" for every spelling of an auto-numbered key, else the expression."""
    lowered = (text or "").lower()
    if (
        lowered in ("identity", "auto_increment", "autoincrement")
        or normal_default(default, dialect) == _AUTO
        or " ".join((type_text or "").lower().split()) in _SERIALS
    ):
        return _AUTO
    stored = lowered.endswith(" stored")
    expression = normal_expression(text[: -len(" stored")] if stored else text, dialect) if text else None
    return f"{expression} stored" if stored and expression else expression


# The column fields whose spelling varies between sources without changing what they mean.
SPELLED_FIELDS = ("type", "default_value", "generated", "check_constraint")


def normal_shape(
    type_text: str | None, default: str | None, generated: str | None, check: str | None, dialect: str | None
) -> tuple[str | None, str | None, str | None, str | None]:
    """The normal form of a column's spelled fields, in the order of SPELLED_FIELDS."""
    normal = normal_default(default, dialect)
    return (
        normal_type(type_text, dialect),
        None if normal == _AUTO else normal,
        normal_generated(generated, default, type_text, dialect),
        normal_expression(check, dialect),
    )


def _plain(node: exp.Expr) -> exp.Expr:
    while True:
        if isinstance(node, exp.Paren) or (
            isinstance(node, exp.Cast) and isinstance(_plain(node.this), (exp.Literal, exp.Null, exp.Boolean))
        ):
            node = node.this
        else:
            return node


def _without_noise(tree: exp.Expr) -> exp.Expr:
    """The expression without parentheses and without casts of literals, anywhere in it."""
    tree = _plain(tree)
    for node in list(tree.find_all(exp.Paren, exp.Cast)):
        plain = _plain(node)
        if plain is not node:
            node.replace(plain)
    return tree
