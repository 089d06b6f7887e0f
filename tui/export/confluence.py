"""Confluence storage format (XHTML with `ac:` macros) that renders on Cloud and Data Center alike: statuses as
status lozenges, todos as task lists, code in code macros with a language both know, and the ERD as a plain table
of relationships with its Mermaid source in a collapsed expand macro (neither has Mermaid built in). The page
title is Confluence's own, so the document's title heading is left out. Rendered from the same document model
as the Markdown.
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
from tui.export.escape import one_line, xml_cdata, xml_text

# Code-macro languages of Confluence Data Center and Cloud; anything else renders as an error box there.
LANGUAGES = {"json": "javascript", "yaml": "yml", "sql": "sql", "python": "python", "bash": "bash", "xml": "xml"}


def _code(language: str, text: str) -> str:
    return (
        '<ac:structured-macro ac:name="code">'
        f'<ac:parameter ac:name="language">{LANGUAGES.get(language, "none")}</ac:parameter>'
        f"<ac:plain-text-body><![CDATA[{xml_cdata(text)}]]></ac:plain-text-body>"
        "</ac:structured-macro>"
    )


def _table(block: Table) -> str:
    header = "<tr>" + "".join(f"<th>{xml_text(name)}</th>" for name in block.header) + "</tr>"
    rows = "".join("<tr>" + "".join(f"<td>{inline(cell)}</td>" for cell in row) + "</tr>" for row in block.rows)
    return f"<table><tbody>{header}{rows}</tbody></table>"


def inline(text: Inline) -> str:
    if isinstance(text, str):
        return xml_text(one_line(text) if "\n" in text or "\r" in text else text)
    if isinstance(text, tuple):
        return "".join(inline(part) for part in text)
    if isinstance(text, Strong):
        return f"<strong>{inline(text.text)}</strong>"
    if isinstance(text, Emph):
        return f"<em>{inline(text.text)}</em>"
    if isinstance(text, Status):
        return (
            '<ac:structured-macro ac:name="status">'
            f'<ac:parameter ac:name="colour">{text.colour}</ac:parameter>'
            f'<ac:parameter ac:name="title">{xml_text(text.text)}</ac:parameter>'
            "</ac:structured-macro>"
        )
    raise TypeError(text)


def render_confluence(document: Document) -> str:
    out: list[str] = []
    task_id = 0
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 1 and block.text == document.title:
            continue  # the page's title
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{inline(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{inline(block.text)}</p>")
        elif isinstance(block, BulletList):
            out.append("<ul>" + "".join(f"<li>{inline(item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, TaskList):
            tasks = []
            for task in block.items:
                task_id += 1
                tasks.append(
                    f"<ac:task><ac:task-id>{task_id}</ac:task-id>"
                    f"<ac:task-status>{'complete' if task.done else 'incomplete'}</ac:task-status>"
                    f"<ac:task-body>{inline(task.text)}</ac:task-body></ac:task>"
                )
            out.append("<ac:task-list>" + "".join(tasks) + "</ac:task-list>")
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, CodeBlock):
            out.append(_code(block.language, block.text))
        elif isinstance(block, Diagram):
            out.append(
                _table(block.facts) if block.facts.rows else "<p><em>No relationships between the tables.</em></p>"
            )
            out.append(
                '<ac:structured-macro ac:name="expand">'
                '<ac:parameter ac:name="title">Mermaid source of the diagram</ac:parameter>'
                f"<ac:rich-text-body>{_code('mermaid', block.source)}</ac:rich-text-body>"
                "</ac:structured-macro>"
            )
        else:
            raise TypeError(block)
    return "\n".join(out) + "\n"
