"""Cut a SQL script into statements, each with the line it starts on.

Schema files come from pg_dump, mysqldump, migration tools and hand-written
scripts, so the splitter understands more than semicolons: quoted strings and
identifiers, comments, PostgreSQL dollar quoting, `COPY ... FROM stdin` data
blocks ended by `\\.`, psql meta-commands, MySQL `DELIMITER` lines, T-SQL `GO`
lines, and the BEGIN ... END bodies of triggers and routines that carry their
own semicolons. It never parses: deciding what a statement is comes later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    text: str
    line: int


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


def statements(text: str) -> list[Statement]:
    """All statements of a script, in file order; comments stay inside the statement text."""
    return list(_Scanner(text).statements())


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.delimiter = ";"
        self.directives = bool(_ANY_DIRECTIVE.search(text))
        self.tokens = _TOKENS if self.directives else _TOKENS_ONLY

    def statements(self) -> Iterator[Statement]:
        text = self.text
        while self.pos < len(text):
            start, start_line = self.pos, self.line
            end = self._scan()
            chunk = text[start:end]
            body = _without_comments(chunk).rstrip()
            if not body:
                continue
            leading = chunk[: chunk.find(body)]
            yield Statement(body, start_line + leading.count("\n"))
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


def _without_comments(text: str) -> str:
    """The text from its first token that is not a comment."""
    while True:
        stripped = text.lstrip()
        if stripped.startswith("--"):
            text = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        elif stripped.startswith("/*") and "*/" in stripped:
            text = stripped.split("*/", 1)[1]
        else:
            return stripped
