"""Text from data as widgets take it: never markup, its control characters visible.

A string handed to a Static, a Label, an option, a border title or a notification is read as Textual markup,
so a name like `Lead [interim]` loses its bracket and `[/]` raises. Everything that came from the workspace, a
file or a database is therefore passed as `Content` or Rich `Text` made here; Rich markup strings are for the
app's own labels only. `tui.visible` says how control characters are shown.
"""

from __future__ import annotations

from rich.text import Span, Text
from textual.content import Content

from tui.visible import is_safe, one_line, visible


def plain(text: str | None, style: str = "") -> Content:
    """Text from data as Content: shown as it is, never read as markup."""
    shown = visible(text or "")
    return Content.styled(shown, style) if style else Content(shown)


def plain_line(text: str | None, style: str = "") -> Content:
    """Like `plain`, folded onto one line (for titles and notifications)."""
    shown = one_line(text or "")
    return Content.styled(shown, style) if style else Content(shown)


def plain_text(text: str | None, style: str = "") -> Text:
    """Text from data as Rich Text, for the places that build Text (tables, assembled lines)."""
    return Text(visible(text or ""), style=style)


def safe_text(text: Text) -> Text:
    """A Text assembled from data with its control characters made visible and its styles kept."""
    if is_safe(text.plain):
        return text
    cuts = sorted({index for index, char in enumerate(text.plain) if not is_safe(char) for index in (index, index + 1)})
    pieces = []
    for piece in text.divide(cuts):
        if len(piece.plain) == 1 and not is_safe(piece.plain):
            shown = visible(piece.plain)
            piece = Text(shown, style=piece.style, spans=[Span(0, len(shown), span.style) for span in piece.spans])
        pieces.append(piece)
    result = Text("", style=text.style, end=text.end, no_wrap=text.no_wrap, overflow=text.overflow).join(pieces)
    result.justify = text.justify
    return result


def safe_content(content: Content) -> Content:
    """A Content assembled from data with its control characters made visible (styles of a replaced character
    are dropped, the rest kept)."""
    if is_safe(content.plain):
        return content
    parts = []
    start = 0
    for index, char in enumerate(content.plain):
        if not is_safe(char):
            parts.append(content[start:index])
            parts.append(Content(visible(char)))
            start = index + 1
    parts.append(content[start:])
    return Content("").join(parts)


def safe(renderable: object) -> object:
    """Anything a Static takes, made safe: a string is taken as plain text, Text and Content get visible
    control characters; other renderables are the app's own and pass as they are."""
    if isinstance(renderable, str):
        return plain(renderable)
    if isinstance(renderable, Text):
        return safe_text(renderable)
    if isinstance(renderable, Content):
        return safe_content(renderable)
    return renderable


def plain_cells(*cells: object) -> tuple[object, ...]:
    """Cells for a DataTable, which reads a string cell as markup: strings become plain one-line Text."""
    return tuple(
        Text(one_line(cell)) if isinstance(cell, str) else safe_text(cell) if isinstance(cell, Text) else cell
        for cell in cells
    )
