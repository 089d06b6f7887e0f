"""Making user-written text inert in Markdown and XML, so no answer can break a table or inject markup."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Characters that start emphasis, code, links, HTML or strikethrough, or split a table cell; and entities.
_BACKSLASHED = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|~"})
_ENTITY = re.compile(r"&(?=#?\w+;)")
# What would turn the start of a line into a heading, list, quote, rule or setext underline.
_LEADING = re.compile(r"^()([#>+=-]|\d{1,9}[.)])")
_WHITESPACE = re.compile(r"\s+")
# Characters XML 1.0 does not allow at all.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Short strings (types, yes/no, owners, statuses) repeat across thousands of rows: escape each once.
SHORT_TEXT, SHORT_ENTRIES = 40, 20_000
_SHORT: dict[str, str] = {}
_BREAKS = re.compile(r"[\n\r\t\f\v\x85\u2028\u2029]")
_LEADING_CHARS = frozenset("#>+=-0123456789")


def one_line(text: str | None) -> str:
    """Runs of whitespace, line breaks included, folded to one space."""
    return _WHITESPACE.sub(" ", text or "").strip()


def markdown_text(text: str | None) -> str:
    """Text that renders literally inside a Markdown line or a table cell (see `block_start` for line starts)."""
    if not text:
        return ""
    known = _SHORT.get(text)
    if known is not None:
        return known
    escaped = _WHITESPACE.sub(" ", text) if _BREAKS.search(text) else text
    escaped = escaped.translate(_BACKSLASHED)
    if "&" in escaped:
        escaped = _ENTITY.sub(r"\\&", escaped)
    if len(text) <= SHORT_TEXT:
        if len(_SHORT) >= SHORT_ENTRIES:
            _SHORT.clear()
        _SHORT[text] = escaped
    return escaped


# A whole table body is escaped at once: cells joined by _CELL and rows by _ROW, which then become the pipes and
# line breaks between them; no cell may contain either. Backslash first, so no added backslash is doubled.
_CELL, _ROW = "\x00", "\x01"
_BACKSLASHED_IN_ORDER = tuple((char, "\\" + char) for char in "\\`*_[]<>|~")
# White space other than the plain space: line breaks fold and odd spaces may sit at a cell's edge.
_ODD_SPACE = re.compile(r"[^\S ]")


def markdown_rows(rows: tuple[tuple[Any, ...], ...]) -> str | None:
    """The body lines of a pipe table, each cell as `markdown_text(cell).strip()`, escaped in one pass.

    None when a cell needs one at a time: not a plain string, or holding a line break, odd or edge white space,
    or a separator character.
    """
    try:
        text = _ROW.join([_CELL.join(row) for row in rows])
    except TypeError:
        return None
    if (
        _ODD_SPACE.search(text)
        or text.count(_CELL) != sum(map(len, rows)) - len(rows)
        or text.count(_ROW) != len(rows) - 1
        or text[:1] == " "
        or text[-1:] == " "
        or " \x00" in text
        or "\x00 " in text
        or " \x01" in text
        or "\x01 " in text
    ):
        return None
    for char, escaped in _BACKSLASHED_IN_ORDER:
        if char in text:
            text = text.replace(char, escaped)
    if "&" in text:
        text = _ENTITY.sub(r"\\&", text)
    return "| " + text.replace(_CELL, " | ").replace(_ROW, " |\n| ") + " |"


def block_start(escaped: str) -> str:
    """Escaped inline text made safe as the start of a block (heading, paragraph, list item)."""
    escaped = escaped.strip()
    if escaped[:1] in _LEADING_CHARS:
        return _LEADING.sub(_escape_leading, escaped)
    return escaped


def _escape_leading(match: re.Match[str]) -> str:
    space, marker = match.groups()
    if marker[0].isdigit():
        return space + marker[:-1] + "\\" + marker[-1]
    return space + "\\" + marker


def code_fence(content: str) -> str:
    """A backtick fence longer than any backtick run in the content, so the content cannot close it."""
    if "`" not in content:
        return "```"
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    return "`" * max(3, longest + 1)


def xml_text(text: str | None) -> str:
    """Text safe inside an XML element or a double-quoted attribute."""
    if not text:
        return ""
    clean = _XML_INVALID.sub("", text)
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def xml_cdata(text: str) -> str:
    """Text for a CDATA section: a `]]>` inside it is split across two sections."""
    return _XML_INVALID.sub("", text).replace("]]>", "]]]]><![CDATA[>")


def slug(name: str) -> str:
    """A file-name-safe form of a name: lower-case letters of any script, digits and single hyphens."""
    cleaned = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", name).lower()).strip("-")
    return cleaned[:80].strip("-") or "integration"
