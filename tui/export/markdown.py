"""Markdown that Confluence's importer and GitHub both read the same way.

Only ATX headings, paragraphs, emphasis, lists, GFM pipe tables with
single-line cells and fenced code are written; every string passes through
`markdown_text`, so user text renders literally.
"""

from __future__ import annotations

from tui.export.blocks import (
    BulletList,
    CodeBlock,
    Diagram,
    Document,
    Emph,
    Heading,
    Inline,
    Paragraph,
    Status,
    Strong,
    Table,
    TaskList,
)
from tui.export.escape import block_start, code_fence, markdown_rows, markdown_text


def inline(text: Inline) -> str:
    if type(text) is str:
        return markdown_text(text)
    if isinstance(text, tuple):
        return "".join([markdown_text(part) if type(part) is str else inline(part) for part in text])
    if isinstance(text, Strong):
        return _marked("**", text.text)
    if isinstance(text, (Emph, Status)):
        return _marked("*", text.text)
    raise TypeError(text)


def _marked(marker: str, text: str) -> str:
    escaped = markdown_text(text).strip()
    return f"{marker}{escaped}{marker}" if escaped else ""


def _line(text: Inline) -> str:
    """Inline content as the start of a block: nothing that reads as a block marker or indented code."""
    return block_start(markdown_text(text) if type(text) is str else inline(text))


def render_markdown(document: Document) -> str:
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            text = _line(block.text)
            if text.endswith("#") and not text.endswith("\\#"):
                text = text[:-1] + "\\#"  # a trailing # would read as the heading's closing sequence
            out.append(f"{'#' * block.level} {text}")
        elif isinstance(block, Paragraph):
            out.append(_line(block.text))
        elif isinstance(block, BulletList):
            out.append("\n".join(f"- {_line(item)}" for item in block.items))
        elif isinstance(block, TaskList):
            out.append("\n".join(f"- [{'x' if task.done else ' '}] {_line(task.text)}" for task in block.items))
        elif isinstance(block, Table):
            lines = [
                "| " + " | ".join(markdown_text(name) for name in block.header) + " |",
                "|" + "|".join(" --- " for _ in block.header) + "|",
            ]
            body = markdown_rows(block.rows) if block.rows else None
            if body is not None:
                lines.append(body)
            else:
                for row in block.rows:
                    cells = [markdown_text(cell).strip() if type(cell) is str else _line(cell) for cell in row]
                    lines.append("| " + " | ".join(cells) + " |")
            out.append("\n".join(lines))
        elif isinstance(block, (CodeBlock, Diagram)):
            language, text = ("mermaid", block.source) if isinstance(block, Diagram) else (block.language, block.text)
            fence = code_fence(text)
            out.append(f"{fence}{language}\n{text.rstrip()}\n{fence}")
        else:
            raise TypeError(block)
    return "\n\n".join(out) + "\n"
