"""The data contract of one integration as a document: what the meeting agreed, in reading order.

Built once from `ContractFacts`; the Markdown and Confluence renderers turn the
same document into their own syntax.
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
    Task,
    TaskList,
)
from tui.export.contract import ContractFacts, Item, Person, RunningNote, Todo
from tui.export.contract import Table as DataTable
from tui.export.mermaid import er_diagram

COMMUNICATION = (
    ("logistics.channels", "Channels"),
    ("logistics.standing_meeting", "Meetings and cadence"),
    ("logistics.running_notes", "Running notes"),
)
HOW_TO_READ = (
    "Each checklist section lists what both teams agreed as decisions, with the owner and the date it was agreed; "
    "questions that do not apply are listed under Not applicable. "
    "Anything not agreed yet is listed apart under Open questions, with its owner and due date, "
    "and is not part of the contract until it is agreed."
)


def _field(label: str, value: Inline | None) -> Inline | None:
    return None if value in (None, "") else (Strong(f"{label}:"), " ", value)


def _person(person: Person) -> str:
    extra = ", ".join(part for part in (person.role, person.contact) if part)
    return f"{person.name} ({extra})" if extra else person.name


def contract_document(facts: ContractFacts, mermaid: bool = True) -> Document:
    doc = Document(f"Data contract: {facts.name}")
    doc.add(Heading(1, doc.title))
    doc.add(
        BulletList(
            tuple(
                entry
                for entry in (
                    _field("Integration", facts.name),
                    _field("Source system", facts.source),
                    (Strong("Contract version:"), f" {facts.version}, status ", Status(facts.status)),
                    _field("Go-live", facts.go_live),
                    _field(
                        "Point of contact",
                        "; ".join(_person(person) for person in facts.points_of_contact) or "not named yet",
                    ),
                    _field("Leads", "; ".join(_person(person) for person in facts.leads)),
                    _field("Exported on", facts.today),
                )
                if entry is not None
            )
        )
    )
    if facts.description:
        doc.add(Paragraph(facts.description))
    doc.add(Heading(2, "How to read this contract"), Paragraph(HOW_TO_READ))
    _who(doc, facts)
    _metrics(doc, facts)
    for section in facts.sections:
        _section(doc, section.title, section.decisions, section.open_questions, section.not_applicable)
        keys = {item.key: item.question for item in section.items}
        _notes(doc, [note for note in facts.notes if note.item in keys], lambda note, keys=keys: keys[note.item])
    unlinked = [note for note in facts.notes if note.item is None and note.table is None]
    doc.add(Heading(2, "Decisions from the running notes"))
    if unlinked:
        _notes(doc, unlinked, lambda note: f"metric {note.metric}" if note.metric else "", heading=None)
    else:
        doc.add(Paragraph(Emph("No decisions or open questions outside the checklist and the tables.")))
    _todos(doc, facts)
    _data_model(doc, facts.tables, mermaid, facts.notes)
    _versions(doc, facts)
    _changes(doc, facts)
    return doc


def _versions(doc: Document, facts: ContractFacts) -> None:
    doc.add(Heading(2, "Version history"))
    if not facts.versions:
        doc.add(Paragraph(Emph("No version published yet; `dayone contract publish` freezes one.")))
        return
    doc.add(
        Table(
            ("Version", "Published", "By", "Change", "Message"),
            tuple((each.version, each.on, each.author, each.bump or "", each.message or "") for each in facts.versions),
        )
    )


def _who(doc: Document, facts: ContractFacts) -> None:
    doc.add(Heading(2, "Who"), Heading(3, "Stakeholders"))
    if facts.people:
        doc.add(
            Table(
                ("Name", "Role", "Team", "Contact", "Responsibilities"),
                tuple(
                    (
                        person.name + (" (point of contact)" if person.point_of_contact else ""),
                        person.role or "",
                        person.team or "",
                        person.contact or "",
                        person.responsibilities or "",
                    )
                    for person in facts.people
                ),
            )
        )
    else:
        doc.add(Paragraph(Emph("No stakeholders recorded yet.")))
    doc.add(Heading(3, "Communication"))
    lines: list[Inline] = []
    for key, label in COMMUNICATION:
        item = facts.item(key)
        if item is None:
            continue
        if item.answer:
            lines.append((Strong(f"{label}:"), " ", item.answer, " ", Status(item.status)))
        else:
            lines.append((Strong(f"{label}:"), " ", Emph("not answered yet"), " ", Status(item.status)))
    doc.add(BulletList(tuple(lines)) if lines else Paragraph(Emph("No channels recorded yet.")))


def _metrics(doc: Document, facts: ContractFacts) -> None:
    doc.add(Heading(2, "What we measure"))
    if not facts.metrics:
        doc.add(Paragraph(Emph("No metrics on the wishlist yet.")))
        return
    doc.add(
        Table(
            ("Metric", "Question", "Priority", "Timeline", "Status", "Data availability", "Requested by"),
            tuple(
                (
                    metric.name,
                    metric.question or "",
                    metric.priority or "",
                    metric.timeline or "",
                    Status(metric.status),
                    (Status(metric.data_state), " ", metric.availability),
                    metric.requested_by or "",
                )
                for metric in facts.metrics
            ),
        )
    )


def _section(doc: Document, title: str, decisions: list[Item], open_items: list[Item], skipped: list[Item]) -> None:
    doc.add(Heading(2, title), Heading(3, "Decisions"))
    if decisions:
        doc.add(
            Table(
                ("Question", "Decision", "Owner", "Agreed on"),
                tuple((item.question, item.answer or "", item.owner or "", item.agreed_on or "") for item in decisions),
            )
        )
    else:
        doc.add(Paragraph(Emph("Nothing agreed in this section yet.")))
    doc.add(Heading(3, "Open questions"))
    if open_items:
        doc.add(
            Table(
                ("Question", "Status", "Where it stands", "Owner", "Due"),
                tuple(
                    (item.question, Status(item.status), item.answer or "", item.owner or "", item.due or "")
                    for item in open_items
                ),
            )
        )
    else:
        doc.add(Paragraph(Emph("No open questions in this section.")))
    if skipped:
        doc.add(
            Heading(3, "Not applicable"),
            BulletList(
                tuple(
                    (item.question, " ", Emph(f"({item.answer})")) if item.answer else item.question for item in skipped
                )
            ),
        )


def _notes(doc: Document, notes: list[RunningNote], about, heading: str | None = "From the running notes") -> None:
    """Decision and open-question notes as a table with their dates; nothing when there are none."""
    if not notes:
        return
    if heading:
        doc.add(Heading(3, heading))
    doc.add(
        Table(
            ("Date", "Kind", "About", "Note", "By"),
            tuple(
                (
                    note.on,
                    "decision" if note.kind == "decision" else "open question",
                    about(note),
                    note.text,
                    note.author,
                )
                for note in notes
            ),
        )
    )


def _todos(doc: Document, facts: ContractFacts) -> None:
    doc.add(Heading(2, "To-dos"))
    if not facts.todos:
        doc.add(Paragraph(Emph("No to-dos recorded.")))
        return
    doc.add(todo_list(facts.todos))


def todo_list(todos: list[Todo]) -> TaskList:
    return TaskList(
        tuple(
            Task(
                todo.done,
                (todo.text, " (", Strong(todo.owner or "no owner yet"), f", due {todo.due})" if todo.due else ")"),
            )
            for todo in todos
        )
    )


def _data_model(doc: Document, tables: list[DataTable], mermaid: bool, notes: list[RunningNote]) -> None:
    doc.add(Heading(2, "Tables and columns"))
    if not tables:
        doc.add(Paragraph(Emph("No tables recorded yet.")))
        return
    if mermaid:
        doc.add(Heading(3, "Entity relationship diagram"), Diagram(er_diagram(tables), _relationships(tables)))
    about: dict[str, list[RunningNote]] = {}
    for note in notes:
        if note.table and not note.item:
            about.setdefault(note.table, []).append(note)
    for table in tables:
        _table(doc, table)
        _notes(doc, about.get(table.ref, []), lambda note: "", heading=f"Decisions about {table.ref}")


def answer_label(key: str) -> str:
    """What a per-table answer is about, from its item key: `data_flow.status_history` -> `Status history`."""
    return key.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def _own_answers(table: DataTable) -> list[tuple[str, str]]:
    """The table's per-table answers that its facts do not already say word for word."""
    facts = {table.created_by, table.retention, table.legacy_marker, table.test_data_marker}
    return [(key, answer) for key, answer in table.answers if answer not in facts]


def _relationships(tables: list[DataTable]) -> Table:
    """Every foreign key as a row: the diagram's facts as a plain table."""
    return Table(
        ("Table", "Column", "Refers to", "Nullable"),
        tuple(
            (table.ref, column.name, column.foreign_key, "yes" if column.nullable else "no")
            for table in tables
            for column in table.columns
            if column.foreign_key
        ),
    )


def _table(doc: Document, table: DataTable) -> None:
    doc.add(Heading(3, f"Table {table.ref}"))
    if table.description:
        doc.add(Paragraph(table.description))
    deletion = table.deletion or None
    if deletion and table.soft_delete_column:
        deletion = f"{deletion} (through {table.soft_delete_column})"
    facts = [
        entry
        for entry in (
            _field("Kind", table.kind),
            _field("Estimated rows", f"{table.estimated_rows:,}" if table.estimated_rows is not None else None),
            _field("Created by", table.created_by),
            _field("Updated-at column", table.updated_at_column),
            _field("Deletion", deletion),
            _field("Retention", table.retention),
            _field("Legacy marker", table.legacy_marker),
            _field("Test-data marker", table.test_data_marker),
            *(_field(answer_label(key), answer) for key, answer in _own_answers(table)),
            _field("Warning signs", "; ".join(flag.meaning for flag in table.flags)),
        )
        if entry is not None
    ]
    if facts:
        doc.add(BulletList(tuple(facts)))
    if not table.columns:
        return
    doc.add(
        Table(
            ("Column", "Type", "Nullable", "Key", "References", "Description", "Classification"),
            tuple(
                (
                    column.name,
                    column.type or "",
                    "yes" if column.nullable else "no",
                    _KEYS[column.primary_key, column.unique],
                    column.foreign_key or "",
                    _describe(column)
                    if column.default or column.generated or column.check
                    else column.description or "",
                    column.classification or "",
                )
                for column in table.columns
            ),
        )
    )
    for column in table.columns:
        if not column.value_set and not column.json_schema:
            continue
        if column.value_set:
            doc.add(
                Heading(4, f"Values of {table.name}.{column.name}"),
                Table(
                    ("Value", "Meaning"),
                    tuple((code, meaning or "") for code, meaning in column.value_set.items()),
                ),
            )
        if column.json_schema:
            doc.add(Heading(4, f"JSON schema of {table.name}.{column.name}"), CodeBlock("json", column.json_schema))


_KEYS = {(False, False): "", (True, False): "primary", (False, True): "unique", (True, True): "primary, unique"}


def _describe(column) -> str:
    parts = [column.description] if column.description else []
    parts += [
        f"{label}: {value}"
        for label, value in (("default", column.default), ("generated", column.generated), ("check", column.check))
        if value
    ]
    return "; ".join(parts)


def _changes(doc: Document, facts: ContractFacts) -> None:
    doc.add(Heading(2, "Changes since the previous export"))
    if facts.previous_export is None:
        doc.add(
            Paragraph(
                "This is the first export of this contract in this format; the next one lists what changed since."
            )
        )
        return
    if not facts.changes:
        doc.add(Paragraph(f"Nothing changed since the export of {facts.previous_export}."))
        return
    doc.add(
        Paragraph(f"Changed since the export of {facts.previous_export}:"),
        Table(
            ("Change", "What", "Details", "Date", "By"),
            tuple((change.action, change.what, change.details, change.at, change.author) for change in facts.changes),
        ),
    )
    if facts.more_changes:
        doc.add(Paragraph(Emph(f"and {facts.more_changes} more changes, listed in the workspace's change log.")))
