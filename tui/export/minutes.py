"""Meeting minutes: what was decided, who does what by when, and what is still open.

The window is either every change since a day or, for a meeting, every change
and note recorded during it (`changes.meeting_id`, `notes.meeting_id`), so the
same builder serves `dayone export --format minutes` and a meeting mode.
Private notes are never read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tui.enums import ItemStatus, NoteKind
from tui.export.blocks import BulletList, Document, Emph, Heading, Paragraph, Strong, Table
from tui.export.contract import Todo, todos
from tui.export.document import todo_list
from tui.secrets import Masker
from tui.store import Row, Workspace


@dataclass(frozen=True)
class Decision:
    topic: str
    decision: str
    owner: str | None
    at: str


@dataclass(frozen=True)
class Question:
    text: str
    raised_by: str
    at: str


@dataclass
class Minutes:
    name: str
    covers: str
    last_change_id: int
    decisions: list[Decision] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def gather_minutes(workspace: Workspace, integration: Row, since: str, meeting_id: int | None = None) -> Minutes:
    """The minutes of one integration since a day (YYYY-MM-DD), or of one meeting when `meeting_id` is given."""
    iid, name = integration["id"], integration["name"]
    params: tuple[object, ...]
    if meeting_id is not None:
        meeting = workspace.get("meeting", meeting_id)
        covers = f"meeting {meeting['title']} on {meeting['started_at'][:10]}"
        window, params = "meeting_id = ?", (meeting_id,)
        # Versions published while the meeting ran (they are not edits, so they carry no meeting).
        span, bounds = "at >= ? AND (? IS NULL OR at <= ?)", (meeting["started_at"], *[meeting["ended_at"]] * 2)
    else:
        covers = f"since {since}"
        window, params = "at >= ?", (since,)
        span, bounds = window, params
    people = {row["id"]: row["name"] for row in workspace.rows("stakeholder", "integration_id = ?", (iid,))}
    items = {row["id"]: row for row in workspace.rows("item", "integration_id = ?", (iid,))}
    last_change_id = workspace.query("SELECT coalesce(max(id), 0) FROM changes WHERE integration_id = ?", (iid,))[0][0]
    minutes = Minutes(name, covers, last_change_id)

    touched: dict[int, str] = {}
    for change in workspace.query(
        f"SELECT row_id, field, new, at FROM changes WHERE integration_id = ? AND entity = 'item' AND {window}"
        " ORDER BY id",
        (iid, *params),
    ):
        touched[change["row_id"]] = change["at"]
        item = items.get(change["row_id"])
        if (
            item
            and change["field"] == "status"
            and change["new"] == json.dumps(ItemStatus.AGREED.value)
            and item["status"] == ItemStatus.AGREED
        ):
            minutes.decisions.append(
                Decision(
                    f"{item['section_title']}: {item['question']}",
                    item["answer"] or "agreed",
                    people.get(item["owner"]),
                    change["at"][:16].replace("T", " "),
                )
            )
    minutes.decisions = list({decision.topic: decision for decision in minutes.decisions}.values())

    for note in workspace.rows(
        "note",
        f"integration_id = ? AND private = 0 AND kind IN (?, ?) AND ({window} OR done = 0)",
        (iid, NoteKind.DECISION.value, NoteKind.QUESTION.value, *params),
        order_by="at, id",
    ):
        text = note["text"] or ""
        in_window = note["meeting_id"] == meeting_id if meeting_id is not None else note["at"] >= since
        if note["kind"] == NoteKind.DECISION and in_window:
            item = items.get(note["item_id"])
            topic = f"{item['section_title']}: {item['question']}" if item else "Note"
            minutes.decisions.append(Decision(topic, text, note["author"], note["at"][:16].replace("T", " ")))
        elif note["kind"] == NoteKind.QUESTION and not note["done"]:
            minutes.questions.append(Question(text, note["author"], note["at"][:10]))
    for version in workspace.query(
        "SELECT version, at, author, message, bump, EXISTS (SELECT 1 FROM contract_versions AS e"
        " WHERE e.integration_id = v.integration_id AND e.id < v.id) AS followed"
        f" FROM contract_versions AS v WHERE integration_id = ? AND {span} ORDER BY id",
        (iid, *bounds),
    ):
        bump = f" ({version['bump']})" if version["bump"] else ""
        what = f"published version {version['version']}" + (bump if version["followed"] else ", the first")
        minutes.decisions.append(
            Decision(
                "Data contract",
                what + (f": {version['message']}" if version["message"] else ""),
                version["author"],
                version["at"][:16].replace("T", " "),
            )
        )
    minutes.todos = todos(workspace, iid, people, f"{window} OR done = 0", params)

    for item_id in touched:
        item = items.get(item_id)
        if item and not ItemStatus(item["status"]).settled and (item["owner"] or item["due"]):
            minutes.todos.append(
                Todo(False, f"Settle {item['key']}: {item['question']}", people.get(item["owner"]), item["due"])
            )
    return minutes


def masked(minutes: Minutes) -> Minutes:
    """The minutes with every string through the masking layer, and a warning for each credential found."""
    mask = Masker()
    done = mask.walk(minutes, mask(minutes.name, "the integration's name"))
    done.warnings = mask.warnings
    return done


def minutes_document(minutes: Minutes) -> Document:
    doc = Document(f"Minutes: {minutes.name}, {minutes.covers}")
    doc.add(Heading(1, doc.title))
    doc.add(Heading(2, "Decisions"))
    if minutes.decisions:
        doc.add(
            Table(
                ("Topic", "Decision", "Owner", "When (UTC)"),
                tuple((d.topic, d.decision, d.owner or "", d.at) for d in minutes.decisions),
            )
        )
    else:
        doc.add(Paragraph(Emph("No decisions recorded.")))
    doc.add(Heading(2, "To-dos"))
    if minutes.todos:
        doc.add(todo_list(minutes.todos))
    else:
        doc.add(Paragraph(Emph("No to-dos.")))
    doc.add(Heading(2, "Open questions"))
    if minutes.questions:
        doc.add(
            BulletList(
                tuple(
                    (question.text, " ", Emph(f"(asked by {question.raised_by} on {question.at})"))
                    for question in minutes.questions
                )
            )
        )
    else:
        doc.add(Paragraph(Emph("No open questions.")))
    return doc


def meeting_minutes_markdown(workspace: Workspace, meeting: Row) -> str:
    """The minutes a meeting leaves behind, as Markdown (credentials masked)."""
    from tui.export.markdown import render_markdown

    return render_markdown(meeting_minutes(workspace, meeting)[0])


def meeting_minutes(workspace: Workspace, meeting: Row) -> tuple[Document, list[str]]:
    """Who came, what was agreed, who does what, what its agenda left open; and what was masked in it."""
    integration = workspace.get("integration", meeting["integration_id"])
    minutes = gather_minutes(workspace, integration, meeting["started_at"][:10], meeting["id"])
    agenda = set(meeting["agenda"])
    for item in workspace.rows("item", "integration_id = ?", (integration["id"],), order_by="position, id"):
        on_agenda = item["key"] in agenda or item["key"].split(".", 1)[0] in agenda
        if on_agenda and not ItemStatus(item["status"]).settled:
            minutes.questions.append(
                Question(
                    f"{item['section_title']}: {item['question']} ({item['status']})",
                    "the agenda",
                    meeting["started_at"][:10],
                )
            )
    minutes.attendees = list(meeting["attendees"])
    minutes = masked(minutes)
    doc = minutes_document(minutes)
    when = (
        f"{meeting['started_at'][11:16]}–{meeting['ended_at'][11:16]} UTC"
        if meeting["ended_at"]
        else f"since {meeting['started_at'][11:16]} UTC, still running"
    )
    doc.blocks.insert(
        1, Paragraph((Strong("Attendees"), ": " + (", ".join(minutes.attendees) or "none recorded"), f" · {when}"))
    )
    return doc, minutes.warnings
