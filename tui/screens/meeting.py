"""Meeting mode: start a meeting with attendees and an agenda, see what changed since the last one, end it with minutes.

The running meeting is part of the app's loaded data (`app.data["meeting"]`),
so a meeting started in another terminal or browser tab shows here too.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, Markdown, SelectionList, Static
from textual.widgets.selection_list import Selection

from tui import keys
from tui.changes.logged import logged_changes
from tui.enums import ItemStatus
from tui.errors import DayoneError
from tui.meetings import (
    ChangeGroup,
    change_groups,
    changes_since_last_meeting,
    count_changes_since_last_meeting,
    end_meeting,
    shown_value,
    start_meeting,
)
from tui.screens.form_screen import FormScreen
from tui.visible import one_line
from tui.widgets.editors import LineInput
from tui.widgets.footer import KeyFooter
from tui.widgets.header import PeopleLine
from tui.widgets.impact import impact_cell
from tui.widgets.meeting_clock import elapsed
from tui.widgets.plain import plain_cells, plain_line, safe_text
from tui.workers import background

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

CHANGES_SHOWN = 1000
LABEL_WIDTH = 36


def running(app: DayoneApp) -> dict | None:
    return app.data.get("meeting") if app.integration_id is not None else None


def start_or_end(app: DayoneApp) -> None:
    """One key for both: start a meeting when none runs, otherwise offer to end it."""
    if running(app) is not None:
        ask_to_end(app)
    else:
        ask_to_start(app)


def ask_to_start(app: DayoneApp) -> None:
    if app.integration_id is None:
        app.with_integration("start the meeting", lambda _: ask_to_start(app))
        return
    current = running(app)
    if current is not None:
        app.notify(f"\u201c{current['title']}\u201d is still running: end it first (m)", severity="warning")
        return
    app.push_screen(
        StartMeeting(
            app.data.get("stakeholders") or [], app.data.get("checklist") or [], f"Meeting {app.today.isoformat()}"
        )
    )


def ask_to_end(app: DayoneApp) -> None:
    current = running(app)
    if current is None:
        app.notify("No meeting is running (m starts one)")
        return
    app.push_screen(EndMeeting(current))


def show_changes(app: DayoneApp) -> None:
    if app.integration_id is not None:
        app.push_screen(ChangesSinceMeeting())


def meeting_commands(app: DayoneApp) -> Iterator[tuple[str, str, Callable[[], object]]]:
    """The command palette's meeting entries: (title, help, callback)."""
    current = running(app)
    if current is None:
        yield (
            "Start meeting",
            "title, attendees and agenda; changes made while it runs go into its minutes (m)",
            lambda: ask_to_start(app),
        )
    else:
        yield (
            "End meeting",
            f"end \u201c{current['title']}\u201d and keep its minutes as a note (m)",
            lambda: ask_to_end(app),
        )
    yield "Changes since last meeting", "who changed what since the last meeting ended (c)", lambda: show_changes(app)


def agenda_choices(items: list[dict]) -> list[Selection]:
    """Each checklist section with its progress, followed by its items still to settle."""
    choices: list[Selection] = []
    sections: dict[str, list[dict]] = {}
    for item in items:
        sections.setdefault(item["key"].split(".", 1)[0], []).append(item)
    for section, members in sections.items():
        settled = sum(1 for item in members if ItemStatus(item["status"]).settled)
        choices.append(
            Selection(
                safe_text(
                    Text.assemble(
                        (one_line(members[0]["section_title"]), "bold"), f"  {settled}/{len(members)} settled"
                    )
                ),
                section,
            )
        )
        for item in members:
            if not ItemStatus(item["status"]).settled:
                choices.append(Selection(plain_line(f"   {item['status']:<10}  {item['question']}"), item["key"]))
    return choices


class StartMeeting(FormScreen[None]):
    """Title, who is in the room and what the meeting will walk through."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.MEETING_START

    def __init__(self, stakeholders: list[dict], items: list[dict], title: str) -> None:
        super().__init__()
        self.stakeholders = stakeholders
        self.items = items
        self.default_title = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Start meeting"
            yield LineInput(self.default_title, placeholder="what the meeting is called", id="meeting-title")
            yield Label("Attendees (Space ticks)", classes="heading")
            yield SelectionList[str](
                *[
                    Selection(plain_line(f"{row['name']}  ·  {row.get('role') or ''}"), row["name"])
                    for row in self.stakeholders
                ],
                id="meeting-attendees",
            )
            yield Label("Agenda: checklist sections or open items", classes="heading")
            yield SelectionList[str](*agenda_choices(self.items), id="meeting-agenda")
            yield Label("", id="meeting-error")
            yield Static("", id="meeting-status", classes="form-status", markup=False)
            yield Label("Ctrl+S or Enter in the title starts · Tab moves · Escape cancels", id="meeting-hint")

    def on_mount(self) -> None:
        self.ready(self.query_one("#meeting-title"))

    def unsaved(self) -> bool:
        return (
            self.query_one("#meeting-title", Input).value.strip() != self.default_title
            or bool(self.query_one("#meeting-attendees", SelectionList).selected)
            or bool(self.query_one("#meeting-agenda", SelectionList).selected)
        )

    def what_is_unsaved(self) -> str:
        return "the meeting's title, attendees and agenda"

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        title = self.query_one("#meeting-title", Input).value.strip()
        if not title:
            self.query_one("#meeting-error", Label).update("meeting: the title is empty")
            return
        attendees = list(self.query_one("#meeting-attendees", SelectionList).selected)
        agenda = list(self.query_one("#meeting-agenda", SelectionList).selected)
        integration_id = self.app.integration_id
        assert integration_id is not None  # the meeting key starts one only on an integration
        self.save(lambda ws: start_meeting(ws, integration_id, title, attendees, agenda), f"start meeting {title}")

    def saved(self, result: object) -> None:
        app = self.app
        super().saved(None)
        show_changes(app)


class EndMeeting(ModalScreen[None]):
    """Ask before ending: the minutes are written from what was recorded while the meeting ran."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.MEETING_END

    def __init__(self, meeting: dict) -> None:
        super().__init__()
        self.meeting = meeting

    def compose(self) -> ComposeResult:
        running_for = elapsed(self.meeting["started_at"], datetime.now(UTC))
        with Vertical() as box:
            box.border_title = "End meeting"
            yield Static(
                Text.assemble(
                    "End ",
                    (f"\u201c{one_line(self.app.shown(self.meeting['title']))}\u201d", "bold"),
                    f" after {running_for}? Its minutes (decisions, to-dos, open questions) are kept as a note.",
                )
            )
            yield Label("y or Enter ends it · n or Escape keeps it running", id="end-hint")

    def action_confirm(self) -> None:
        app, meeting_id = self.app, self.meeting["id"]
        app.save(
            lambda ws: end_meeting(ws, meeting_id),
            f"end meeting {self.meeting['title']}",
            on_saved=lambda note: app.push_screen(MinutesScreen(note)),
        )
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MinutesScreen(ModalScreen[None]):
    """The minutes just written, as they will read when exported."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.MINUTES

    class Saved(Message):
        def __init__(self, where: str) -> None:
            self.where = where
            super().__init__()

    def __init__(self, note: dict) -> None:
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Minutes (kept as a note)"
            box.border_subtitle = "w saves a file · Escape closes"
            yield Markdown(self.app.shown(self.note["text"]))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_write(self) -> None:
        self._save(self.note["meeting_id"], self.app.is_web)

    @background("write the minutes", group="minutes-save", exclusive=True)
    def _save(self, meeting_id: int, web: bool) -> None:
        """The meeting's minutes as `dayone export --format minutes --meeting ID` writes them; in a browser, a
        download."""
        from tui.export import EXPORTS_FOLDER, Options, record_export, render, write_export

        ws = self.app.workspace
        try:
            integration = ws.get("integration", ws.get("meeting", meeting_id)["integration_id"])
            rendered = render(ws, integration, "minutes", Options(meeting_id=meeting_id))
            if web:
                self.app.call_from_thread(
                    self.app.deliver_text, io.StringIO(rendered.text), save_filename=rendered.filename
                )
                record_export(ws, rendered, None)
                self.post_message(self.Saved(f"{rendered.filename} sent to the browser's downloads"))
            else:
                path = EXPORTS_FOLDER / rendered.filename
                write_export(ws, rendered, path)
                self.post_message(self.Saved(f"wrote {path}"))
        except DayoneError as error:
            self.app.call_from_thread(self.app.notify, str(error), title="Minutes not saved", severity="error")

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.query_one(VerticalScroll).border_subtitle = plain_line(message.where)
        self.app.notify(f"Minutes: {message.where}")


class ChangesLoaded(Message):
    def __init__(self, meeting: dict | None, groups: list[ChangeGroup], total: int) -> None:
        self.meeting = meeting
        self.groups = groups
        self.total = total
        super().__init__()


def local_stamp(at: str) -> str:
    return datetime.fromisoformat(at).astimezone().strftime("%m-%d %H:%M")


def consumer_impact(change: dict) -> Text | str:
    """How a change to a column or a table hurts the warehouse, by the rules of `dayone diff`: the worst of it."""
    found = logged_changes(change)
    if not found:
        return ""
    worst = min(found, key=lambda each: each.consumer.rank)
    return impact_cell(worst.consumer, f"{worst.consumer}: {worst.kind.label}")


class ChangesSinceMeeting(Screen):
    """Who changed what since the last meeting ended, grouped by kind of row and by row; follows live edits."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.CHANGES

    def compose(self) -> ComposeResult:
        yield PeopleLine()
        yield Static("Loading the change log…", id="changes-title")
        yield DataTable(cursor_type="row", zebra_stripes=False, id="changes")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("What", "Change", "For consumers", "Who", "When", "Was", "Now")
        self.load()

    def workspace_changed(self, parts: dict) -> None:
        self.load()

    def share_mode_changed(self, share: bool) -> None:
        self.load()

    @background("read the changes since the last meeting", group="meeting-changes", exclusive=True)
    def load(self) -> None:
        ws, integration_id = self.app.workspace, self.app.integration_id
        if integration_id is None:
            return
        meeting, changes = changes_since_last_meeting(ws, integration_id, newest=CHANGES_SHOWN)
        total = count_changes_since_last_meeting(ws, integration_id)
        self.post_message(ChangesLoaded(meeting, change_groups(ws, changes), total))

    @on(ChangesLoaded)
    def _show(self, message: ChangesLoaded) -> None:
        name = self.app.shown((self.app.data.get("integration") or {}).get("name", ""))
        if message.meeting is None:
            title = Text.assemble(("Every change", "bold"), f" to {name}: no meeting has ended yet")
        else:
            title = Text.assemble(
                ("Changed since ", "bold"),
                (f"\u201c{self.app.shown(message.meeting['title'])}\u201d", "bold"),
                f" ended {local_stamp(message.meeting['ended_at'])} · {name}",
            )
        title.append(f" · {message.total} change{'s' if message.total != 1 else ''}")
        if message.total > CHANGES_SHOWN:
            title.append(f" (the latest {CHANGES_SHOWN} shown)", style="dim")
        self.query_one("#changes-title", Static).update(safe_text(title))
        table = self.query_one(DataTable)
        table.clear()
        hide_private = self.app.share_mode
        width = max((table.size.width - LABEL_WIDTH - 50) // 2, 12)

        def value(change: dict, which: str) -> str:
            found = change[which]
            return shown_value(self.app.shown(shown_value(found, len(str(found)) + 2)), width)

        for group in message.groups:
            table.add_row(
                *plain_cells(
                    Text(one_line(self.app.shown(group.title)), style="bold underline"), "", "", "", "", "", ""
                )
            )
            for changed in group.rows:
                hidden = hide_private and changed.private
                label = "[private note]" if hidden else self.app.shown(changed.label)
                for index, change in enumerate(changed.changes):
                    what = shown_value(label, LABEL_WIDTH) if index == 0 else ""
                    if change["action"] == "update":
                        kind = change["field"]
                        was = "…" if hidden else value(change, "old")
                        now = "…" if hidden else value(change, "new")
                    else:
                        kind, was, now = (
                            {"insert": "added", "delete": "deleted"}.get(change["action"], change["action"]),
                            "",
                            "",
                        )
                    author = shown_value(self.app.shown(change["author"]), 14)
                    impact = consumer_impact(change)
                    table.add_row(*plain_cells(what, kind, impact, author, local_stamp(change["at"]), was, now))
        if not message.groups:
            table.add_row(Text("nothing has changed", style="dim"), "", "", "", "", "", "")

    def action_back(self) -> None:
        self.dismiss()
