"""Cut a SQL script into statements, each with the line it starts on.

Schema files come from pg_dump, mysqldump, migration tools and hand-written
scripts, so the splitter understands more than semicolons: quoted strings and
identifiers, comments, PostgreSQL dollar quoting, `COPY ... FROM stdin` data
blocks ended by `\\.`, psql meta-commands, MySQL `DELIMITER` lines, T-SQL `GO`
lines, and the BEGIN ... END bodies of triggers and routines that carry their
own semicolons. MySQL's `#` comments are comments in MySQL scripts only (elsewhere
`#` is an operator or a temporary table). Two forms carry several statements
without a terminator between them, and are cut apart here: PostgreSQL's
`CREATE SCHEMA name CREATE TABLE ... CREATE VIEW ...` (each element keeps the
schema it was declared in) and scripts that run a CREATE TABLE straight into
the next statement on a new line without `;` or `GO`. It never parses:
deciding what a statement is comes later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    text: str
    line: int
    # Where the statement ends in the script (for progress), and the schema of a CREATE SCHEMA it is an element of.
    end: int = 0
    schema: str | None = None


# Everything the scanner must look at; plain text between these is skipped in one step.
_TOKENS = re.compile(
    r"""
      (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<quoted>'(?:[^'\\]|\\.|'')*(?:'|\Z)|"(?:[^"]|"")*(?:"|\Z)|`(?:[^`]|``)*(?:`|\Z))
    | (?P<dollar>\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$)
    | (?P<word>\b(?:BEGIN|CASE|END)\b)
    | (?P<semicolon>;)
    | (?P<newline>\n)
    """,
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)
# The same without line ends, for the common script that has no line-level directives to stop at.
_TOKENS_ONLY = re.compile(_TOKENS.pattern.replace("| (?P<newline>\\n)", ""), re.VERBOSE | re.DOTALL | re.IGNORECASE)
_ANY_DIRECTIVE = re.compile(r"^[ \t]*(?:DELIMITER[ \t]|GO[ \t\r]*$|\\)", re.MULTILINE | re.IGNORECASE)
_BODY_START = re.compile(
    r"\s*CREATE\s+(?:OR\s+REPLACE\s+|OR\s+ALTER\s+)?(?:DEFINER\s*=\s*\S+\s+)?"
    r"(?:TEMP(?:ORARY)?\s+)?(?:TRIGGER|PROCEDURE|FUNCTION|EVENT)\b",
    re.IGNORECASE,
)
_END_OF_BLOCK = re.compile(r"\s+(?:IF|LOOP|WHILE|REPEAT|FOR)\b", re.IGNORECASE)
_COPY_FROM_STDIN = re.compile(r"COPY\b[^;]*\bFROM\s+STDIN\b", re.IGNORECASE)
_COPY_END = re.compile(r"^\\\.[ \t\r]*$", re.MULTILINE)
_DELIMITER = re.compile(r"[ \t]*DELIMITER[ \t]+(\S+)[ \t\r]*(?:\n|\Z)", re.IGNORECASE)
_GO = re.compile(r"[ \t]*GO[ \t\r]*(?:\n|\Z)", re.IGNORECASE)
_META = re.compile(r"[ \t]*\\[^\n]*(?:\n|\Z)")
_HASH_COMMENT = r"\#[^\n]*|"
_SKIP = (
    r"""--[^\n]*|/\*.*?(?:\*/|\Z)|'(?:[^'\\]|\\.|'')*(?:'|\Z)|"(?:[^"]|"")*(?:"|\Z)|`(?:[^`]|``)*(?:`|\Z)"""
    r"|\[[^\]\n]*\]"
)
# A statement that starts on a new line inside another: a script that left out `;` or `GO`.
_NEXT_ON_LINE = r"\n[ \t]*(?:CREATE|ALTER|INSERT|DROP|EXEC|EXECUTE|GRANT|COMMENT\s+ON|SET|PRINT|USE)\b"
# An element of PostgreSQL's CREATE SCHEMA ... CREATE TABLE ... form.
_NEXT_ELEMENT = r"\b(?:CREATE|GRANT)\b"
_RUN_ON_HINT = re.compile(_NEXT_ON_LINE, re.IGNORECASE)
_RUN_ON_FIRST = re.compile(r"(?:CREATE|ALTER|INSERT)\b", re.IGNORECASE)
_CREATE_SCHEMA = re.compile(
    r"CREATE\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>\"(?:[^\"]|\"\")*\"|[^\s;\"]+)"
    r"(?:\s+AUTHORIZATION\s+(?:\"(?:[^\"]|\"\")*\"|\S+))?\s+(?=CREATE\b|GRANT\b)",
    re.IGNORECASE,
)


def _inner(starts: str, hash_comments: bool) -> re.Pattern[str]:
    """Inside one statement: what hides a keyword (comments, quotes), parentheses, and where another may start."""
    skip = (_HASH_COMMENT if hash_comments else "") + _SKIP
    return re.compile(rf"(?P<skip>{skip})|(?P<open>\()|(?P<close>\))|(?P<start>{starts})", re.DOTALL | re.IGNORECASE)


_INNER = {
    (starts, hash_comments): _inner(starts, hash_comments)
    for starts in (_NEXT_ON_LINE, _NEXT_ELEMENT)
    for hash_comments in (False, True)
}


def statements(text: str, dialect: str | None = None) -> list[Statement]:
    """All statements of a script, in file order; comments stay inside the statement text."""
    return list(iter_statements(text, dialect))


def iter_statements(text: str, dialect: str | None = None) -> Iterator[Statement]:
    """The statements of a script one at a time, so that a large dump is never held as a list."""
    return _Scanner(text, dialect).statements()


class _Scanner:
    def __init__(self, text: str, dialect: str | None = None) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.delimiter = ";"
        self.hash_comments = dialect == "mysql"
        self.directives = bool(_ANY_DIRECTIVE.search(text))
        tokens = _TOKENS if self.directives else _TOKENS_ONLY
        if self.hash_comments:
            tokens = re.compile(tokens.pattern.replace("(?P<comment>", "(?P<comment>" + _HASH_COMMENT), tokens.flags)
        self.tokens = tokens

    def statements(self) -> Iterator[Statement]:
        text = self.text
        while self.pos < len(text):
            start, start_line = self.pos, self.line
            end = self._scan()
            chunk = text[start:end]
            body = _without_comments(chunk, self.hash_comments).rstrip()
            if not body:
                continue
            leading = chunk[: chunk.find(body)]
            yield from _cut(Statement(body, start_line + leading.count("\n"), self.pos), self.hash_comments)
            if _COPY_FROM_STDIN.match(body):
                self._skip_copy_data()

    def _scan(self) -> int:
        """Advance past one statement; returns where its text ends (before the terminator)."""
        text, start = self.text, self.pos
        depth = 0
        has_body: bool | None = None
        while True:
            if self.directives and (self.pos == 0 or text[self.pos - 1] == "\n"):
                directive_end = self._directive(start)
                if directive_end is not None:
                    return directive_end
            custom = text.find(self.delimiter, self.pos) if self.delimiter != ";" else -1
            match = self.tokens.search(text, self.pos)
            if custom >= 0 and (match is None or custom <= match.start()):
                self.line += text.count("\n", self.pos, custom)
                self.pos = custom + len(self.delimiter)
                return custom
            if match is None:
                self.line += text.count("\n", self.pos)
                self.pos = len(text)
                return len(text)
            kind = match.lastgroup
            self.line += text.count("\n", self.pos, match.end())
            self.pos = match.end()
            if kind == "dollar":
                close = text.find(match.group(), self.pos)
                close_end = len(text) if close < 0 else close + len(match.group())
                self.line += text.count("\n", self.pos, close_end)
                self.pos = close_end
            elif kind == "word":
                if has_body is None:
                    has_body = bool(_BODY_START.match(text, start))
                if has_body:
                    word = match.group().upper()
                    if word in ("BEGIN", "CASE"):
                        depth += 1
                    else:
                        follower = _END_OF_BLOCK.match(text, self.pos)
                        if follower:
                            self.pos = follower.end()
                        elif depth:
                            depth -= 1
            elif kind == "semicolon" and self.delimiter == ";" and depth == 0:
                return match.start()

    def _directive(self, start: int) -> int | None:
        """Handle a line-level directive at the current position; returns the statement end it implies."""
        text, pos = self.text, self.pos
        for pattern, kind in ((_DELIMITER, "delimiter"), (_GO, "go"), (_META, "meta")):
            match = pattern.match(text, pos)
            if match is None:
                continue
            if kind in ("meta", "delimiter") and _without_comments(text[start:pos]):
                # Only between statements: a column called `delimiter` is not a directive.
                return None
            self.line += match.group().count("\n")
            self.pos = match.end()
            if kind == "delimiter":
                self.delimiter = match.group(1)
            return pos
        return None

    def _skip_copy_data(self) -> None:
        """Skip the data lines of a `COPY ... FROM stdin;`, up to and including the `\\.` line."""
        end = _COPY_END.search(self.text, self.pos)
        stop = len(self.text) if end is None else end.end()
        self.line += self.text.count("\n", self.pos, stop)
        self.pos = stop


def _cut(statement: Statement, hash_comments: bool) -> Iterator[Statement]:
    """A statement, or the statements it holds when several run on without a terminator."""
    text = statement.text
    schema = _CREATE_SCHEMA.match(text)
    if schema is not None:
        name = schema.group("name")
        name = name[1:-1].replace('""', '"') if name.startswith('"') else name.lower()
        yield Statement(text[: schema.end()].rstrip(), statement.line, statement.end)
        pieces = _pieces(text, schema.end(), _INNER[_NEXT_ELEMENT, hash_comments])
    elif _RUN_ON_FIRST.match(text) and not _BODY_START.match(text) and _RUN_ON_HINT.search(text):
        name = None
        pieces = _pieces(text, 0, _INNER[_NEXT_ON_LINE, hash_comments])
    else:
        yield statement
        return
    for start, end in pieces:
        chunk = text[start:end]
        piece = _without_comments(chunk, hash_comments).rstrip()
        if piece:
            line = statement.line + text.count("\n", 0, start) + chunk[: chunk.find(piece)].count("\n")
            yield Statement(piece, line, statement.end, name)


def _pieces(text: str, pos: int, inner: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Spans of `text` from `pos`, cut where a new statement starts outside parentheses, quotes and comments."""
    depth, begin = 0, pos
    for found in inner.finditer(text, pos):
        kind = found.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "start" and depth == 0 and text[begin : found.start()].strip():
            yield begin, found.start()
            begin = found.start()
    yield begin, len(text)


def _without_comments(text: str, hash_comments: bool = False) -> str:
    """The text from its first token that is not a comment."""
    while True:
        stripped = text.lstrip()
        if (hash_comments and stripped.startswith("#")) or stripped.startswith("--"):
            text = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        elif stripped.startswith("/*") and "*/" in stripped:
            text = stripped.split("*/", 1)[1]
        else:
            return stripped


def skip_pattern() -> str:
    """A regular expression for what hides keywords inside a statement: comments, quotes, bracketed names."""
    return _SKIP


_LIST = re.compile(rf"(?P<skip>{_SKIP})|(?P<open>\()|(?P<close>\))|(?P<comma>,)", re.DOTALL)


def top_level_pieces(text: str) -> tuple[int, int, list[tuple[int, int]]] | None:
    """The first parenthesised list in a statement: where it opens and closes, and the spans between its commas."""
    depth, opened, pieces, begin = 0, -1, [], 0
    for found in _LIST.finditer(text):
        kind = found.lastgroup
        if kind == "open":
            depth += 1
            if depth == 1 and opened < 0:
                opened = begin = found.end()
        elif kind == "close":
            depth -= 1
            if depth == 0 and opened >= 0:
                pieces.append((begin, found.start()))
                return opened, found.start(), pieces
        elif kind == "comma" and depth == 1 and opened >= 0:
            pieces.append((begin, found.start()))
            begin = found.end()
    return None
