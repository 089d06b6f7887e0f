"""Making user-written text inert in Markdown and XML, so no answer can break a table or inject markup."""

from __future__ import annotations

import re

# Characters that start emphasis, code, links, HTML, entities, strikethrough or split a table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
# What would turn the start of a line into a heading, list, quote, rule or setext underline.
_LEADING = re.compile(r"^(\s*)([#>+=-]|\d{1,9}[.)])")
_WHITESPACE = re.compile(r"\s+")
# Characters XML 1.0 does not allow at all.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_WORK = re.compile(r"[\\`*_\[\]<>|~&\n\r\t\f\v]")


def one_line(text: str | None) -> str:
    """Runs of whitespace, line breaks included, folded to one space."""
    return _WHITESPACE.sub(" ", text or "").strip()


def markdown_text(text: str | None) -> str:
    """Text that renders literally anywhere in a Markdown line, table cells included."""
    if not text:
        return ""
    if not _NEEDS_WORK.search(text) and not _LEADING.match(text):
        return text
    flat = _WHITESPACE.sub(" ", text)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    return _LEADING.sub(_escape_leading, escaped)


def _escape_leading(match: re.Match[str]) -> str:
    space, marker = match.groups()
    if marker[0].isdigit():
        return space + marker[:-1] + "\\" + marker[-1]
    return space + "\\" + marker


def code_fence(content: str) -> str:
    """A backtick fence longer than any backtick run in the content, so the content cannot close it."""
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
    """A file-name-safe form of a name: lower-case letters, digits and single hyphens."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return cleaned or "integration"
