"""The document model every exported document is built as, before any renderer turns it into text.

Builders say what a document contains (headings, tables, statuses, todos);
the Markdown and Confluence renderers decide how each piece is written and
escape every string, so no builder ever deals with markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.enums import ContractStatus, ItemStatus, MetricStatus


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Emph:
    text: str


@dataclass(frozen=True)
class Status:
    """A status word shown as a coloured label where the target supports it."""

    text: str

    @property
    def colour(self) -> str:
        return STATUS_COLOURS.get(self.text, "Grey")


# A piece of inline content: plain text, or a sequence of plain and marked-up pieces.
Inline = str | Strong | Emph | Status | tuple["Inline", ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: Inline


@dataclass(frozen=True)
class Paragraph:
    text: Inline


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Task:
    done: bool
    text: Inline


@dataclass(frozen=True)
class TaskList:
    items: tuple[Task, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class CodeBlock:
    language: str
    text: str


@dataclass(frozen=True)
class Diagram:
    """A Mermaid diagram with the same facts as a table, for targets that cannot draw Mermaid."""

    source: str
    facts: Table


Block = Heading | Paragraph | BulletList | TaskList | Table | CodeBlock | Diagram


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block | None) -> None:
        self.blocks.extend(block for block in blocks if block is not None)


STATUS_COLOURS = {
    ItemStatus.AGREED.value: "Green",
    ItemStatus.DISCUSSING.value: "Yellow",
    ItemStatus.BLOCKED.value: "Red",
    ItemStatus.OPEN.value: "Grey",
    ItemStatus.NOT_APPLICABLE.value: "Grey",
    MetricStatus.WANTED.value: "Blue",
    MetricStatus.DATA_AVAILABLE.value: "Green",
    MetricStatus.BUILT.value: "Green",
    MetricStatus.DROPPED.value: "Grey",
    ContractStatus.PROPOSED.value: "Blue",
    ContractStatus.DRAFT.value: "Yellow",
    ContractStatus.ACTIVE.value: "Green",
    ContractStatus.DEPRECATED.value: "Red",
    ContractStatus.RETIRED.value: "Grey",
    "available": "Green",
    "missing": "Red",
    "not linked": "Grey",
    # The impact of a change to the contract, on its consumers or its producer.
    "breaking": "Red",
    "warning": "Yellow",
    "info": "Grey",
}


def plain(text: Inline) -> str:
    """The words of inline content without any markup, for places that take only text."""
    if isinstance(text, str):
        return text
    if isinstance(text, tuple):
        return "".join(plain(part) for part in text)
    return text.text
