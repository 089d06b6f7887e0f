"""Checklist review: the meeting walks the questions one at a time, on a shared screen.

One item fills the screen in large, plain type: where it sits, the question,
why it matters, the typical answers (a number key takes one), and what has been
agreed so far. Single keys settle it. Every change goes through `app.save`, so it
commits at once and Ctrl+Z undoes it; the item the meeting stopped at is kept in
the workspace settings, so reopening review returns to it. While a meeting with an
agenda runs, review walks the agenda's items (`g` switches to the whole checklist).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Rule, Static
from textual.widgets.option_list import Option

from tui import keys
from tui.actions import table_answers, update_item
from tui.enums import ItemStatus, Scope
from tui.importers.findings import findings as open_findings
from tui.meetings import agenda_items
from tui.overview import load_parts
from tui.screens.forms import EditScreen
from tui.store import Row, Workspace
from tui.visible import one_line
from tui.widgets.footer import KeyFooter
from tui.widgets.header import PeopleLine
from tui.widgets.meeting_clock import MeetingClock
from tui.widgets.plain import plain, plain_line
from tui.workers import background

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

BAR_WIDTH = 20
NOBODY = -1


def position_key(integration_id: int) -> str:
    """The settings key that remembers where review stopped for an integration."""
    return f"review.position.{integration_id}"


def is_settled(item: Row) -> bool:
    return ItemStatus(item["status"]).settled


def first_unsettled(items: list[Row], start: int = 0) -> int | None:
    """The index of the next item (from `start`, wrapping around) that still needs discussion."""
    for step in range(len(items)):
        index = (start + step) % len(items)
        if not is_settled(items[index]):
            return index
    return None


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def due_text(due: str | None, today: date) -> str:
    if not due:
        return "—"
    try:
        days = (date.fromisoformat(due) - today).days
    except ValueError:
        return due
    if days == 0:
        return f"{due}  (today)"
    count = f"{abs(days)} day{'s' if abs(days) != 1 else ''}"
    return f"{due}  ({count} overdue)" if days < 0 else f"{due}  (in {count})"


class ReviewScreen(Screen[None]):
    """The current integration's checklist, one item at a time."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.REVIEW

    class Loaded(Message):
        def __init__(
            self, integration_id: int, parts: dict[str, Any], notes: list[Row], remembered: str | None
        ) -> None:
            self.integration_id = integration_id
            self.parts = parts
            self.notes = notes
            self.remembered = remembered
            super().__init__()

    class FindingsLoaded(Message):
        """The open findings of the schema import by the checklist item they inform, the tables and their answers."""

        def __init__(
            self,
            integration_id: int,
            findings: dict[str, list[Row]],
            tables: list[tuple[int, str]],
            per_table: dict[str, dict[int, str]],
        ) -> None:
            self.integration_id = integration_id
            self.findings = findings
            self.tables = tables
            self.per_table = per_table
            super().__init__()

    class NotesLoaded(Message):
        def __init__(self, integration_id: int, notes: list[Row]) -> None:
            self.integration_id = integration_id
            self.notes = notes
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.integration_id: int | None = None
        self.integration: Row = {}
        self.all_items: list[Row] = []
        self.meeting: Row | None = None
        self.agenda: list[Row] = []  # the running meeting's agenda items, if any
        self.whole_checklist = False  # chosen with g while a meeting's agenda is being walked
        self.items: list[Row] = []  # what is walked: the agenda's items, or every item
        self.stakeholders: list[Row] = []
        self.notes: list[Row] = []
        self.findings: dict[str, list[Row]] = {}
        self.tables: list[tuple[int, str]] = []  # (id, name) of every table, for items asked per table
        self.per_table: dict[str, dict[int, str]] = {}  # item key -> table id -> that table's answer
        self.index = 0

    def compose(self) -> ComposeResult:
        yield PeopleLine()
        with Vertical(id="review-header"):
            with Horizontal(id="review-top"):
                yield Static("Review", id="review-title")
                yield MeetingClock(id="review-meeting")
                yield Static("", id="review-totals")
            yield Static("", id="review-sections")
        with VerticalScroll(id="review-body"):
            with Horizontal(id="review-where"):
                yield Static("", id="review-position")
                yield Static("", id="review-status")
            yield Static("", id="review-question")
            yield Static("Why it matters", classes="caption")
            yield Static("", id="review-why")
            yield Static("Typical answers", classes="caption", id="review-options-caption")
            yield Static("", id="review-options")
            yield Static("Suggestions from the schema import", classes="caption", id="review-findings-caption")
            yield Static("", id="review-findings")
            yield Static("Per table", classes="caption", id="review-tables-caption")
            yield Static("", id="review-tables")
            yield Static("How it is enforced", classes="caption", id="review-enforced-caption")
            yield Static("", id="review-enforced")
            yield Rule()
            with Grid(id="review-facts"):
                yield Static("Answer", classes="caption")
                yield Static("", id="review-answer")
                yield Static("Owner", classes="caption")
                yield Static("", id="review-owner")
                yield Static("Due", classes="caption")
                yield Static("", id="review-due")
                yield Static("Changed", classes="caption")
                yield Static("", id="review-changed")
            yield Rule()
            yield Static("Notes", classes="caption", id="review-notes-caption")
            yield Static("", id="review-notes")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(MeetingClock).show(self.app.data.get("meeting"))
        self.watch(self.app, "integration_id", self.switch_integration)

    def switch_integration(self, integration_id: int | None) -> None:
        """Review follows the app to another integration (picked from the command palette)."""
        if integration_id is None:
            self.dismiss(None)
            return
        self.integration_id = integration_id
        self.query_one("#review-body").loading = True
        self.load()
        self.load_findings()

    def on_screen_suspend(self) -> None:
        """Hide the keys while a dialog is on top: they do not apply until it closes."""
        self.query_one(KeyFooter).display = False

    def on_screen_resume(self) -> None:
        self.query_one(KeyFooter).display = True

    # -- loading ---------------------------------------------------------------------------

    @background("load the review", group="review-load", exclusive=True)
    def load(self) -> None:
        ws: Workspace = self.app.workspace
        iid = self.integration_id
        assert iid is not None  # loading starts once the app has an integration
        parts = load_parts(ws, iid, ("integration", "stakeholders", "checklist", "meeting"))
        self.post_message(self.Loaded(iid, parts, _item_notes(ws, iid), ws.setting(position_key(iid))))

    @background("load the item's notes", group="review-notes", exclusive=True)
    def load_notes(self) -> None:
        iid = self.integration_id
        assert iid is not None
        self.post_message(self.NotesLoaded(iid, _item_notes(self.app.workspace, iid)))

    @background("load the import's suggestions", group="review-findings", exclusive=True)
    def load_findings(self) -> None:
        iid = self.integration_id
        assert iid is not None
        ws: Workspace = self.app.workspace
        by_item: dict[str, list[Row]] = {}
        for row in open_findings(ws, iid):
            by_item.setdefault(row["item_key"], []).append(row)
        tables = [
            (found["id"], f"{found['schema']}.{found['name']}" if found["schema"] else found["name"])
            for found in ws.query(
                "SELECT id, schema, name FROM tables WHERE integration_id = ? ORDER BY schema, name", (iid,)
            )
        ]
        per_table: dict[str, dict[int, str]] = {}
        for table_id, answers in table_answers(ws, iid).items():
            for key, answer in answers.items():
                per_table.setdefault(key, {})[table_id] = answer
        self.post_message(self.FindingsLoaded(iid, by_item, tables, per_table))

    @on(FindingsLoaded)
    def findings_loaded(self, message: FindingsLoaded) -> None:
        if message.integration_id != self.integration_id:
            return
        self.findings = message.findings
        self.tables, self.per_table = message.tables, message.per_table
        self.show()

    @on(Loaded)
    def loaded(self, message: Loaded) -> None:
        if message.integration_id != self.integration_id:
            return
        self.take(message.parts)  # on the first open item, unless review stopped at one of these before
        self.notes = message.notes
        item_keys = [item["key"] for item in self.items]
        if message.remembered in item_keys:
            self.index = item_keys.index(message.remembered)
        self.query_one("#review-body").loading = False
        self.show()

    @on(NotesLoaded)
    def notes_loaded(self, message: NotesLoaded) -> None:
        if message.integration_id != self.integration_id:
            return
        self.notes = message.notes
        self.show()

    def take(self, parts: dict[str, Any]) -> None:
        """Adopt freshly read parts, keeping the same item in view."""
        current = self.current["key"] if self.current else None
        if "integration" in parts:
            self.integration = parts["integration"]
        if "stakeholders" in parts:
            self.stakeholders = sorted(parts["stakeholders"], key=lambda row: row["name"].lower())
        if "meeting" in parts:
            self.meeting = parts["meeting"]
        if "checklist" in parts:
            self.all_items = parts["checklist"]
        if "checklist" in parts or "meeting" in parts:
            self.agenda = agenda_items(self.all_items, self.meeting["agenda"] or []) if self.meeting else []
            self._walk(current)

    @property
    def walking_agenda(self) -> bool:
        return bool(self.agenda) and not self.whole_checklist

    def _walk(self, current: str | None) -> None:
        """Walk the agenda or every item, staying on `current` if it is among them, else on the first open one."""
        self.items = self.agenda if self.walking_agenda else self.all_items
        item_keys = [item["key"] for item in self.items]
        if current in item_keys:
            self.index = item_keys.index(current)
        else:
            self.index = first_unsettled(self.items) or 0
        self.refresh_bindings()

    def show_enforced(self, item: Row) -> None:
        """What keeps the agreements this item is about, for the items `dayone check` carries out."""
        enforcement = self.app.data.get("enforcement")
        tally = enforcement.items.get(item["key"]) if enforcement is not None else None
        shown = tally is not None and tally.total > 0
        self.query_one("#review-enforced-caption").display = shown
        self.query_one("#review-enforced").display = shown
        if not shown or enforcement is None or tally is None:
            return
        passed = tally.check - tally.failed - tally.warned
        parts = [
            (tally.database, "by a database constraint", "cyan"),
            (passed, "passed dayone check", "green"),
            (tally.failed, "failed it", "bold red"),
            (tally.warned, "warned", "yellow"),
            (tally.none, "not enforced", "dim"),
        ]
        said = Content(" · ").join(Content.styled(f"{count} {words}", style) for count, words, style in parts if count)
        when = enforcement.checked_at
        last = f"last check {datetime.fromisoformat(when).astimezone():%m-%d %H:%M}" if when else "never checked"
        self.query_one("#review-enforced", Static).update(Content.assemble(said, Content.styled(f"  ({last})", "dim")))

    def workspace_changed(self, parts: dict[str, Any]) -> None:
        """Called by the app after any commit (here or elsewhere) with the parts it reloaded."""
        if self.integration_id != self.app.integration_id or not self.is_mounted:
            return
        self.take(parts)
        if "meeting" in parts:
            self.query_one(MeetingClock).show(parts["meeting"])
        if "notes" in parts:
            self.load_notes()
        if "tables" in parts:
            self.load_findings()
        self.show()

    def share_mode_changed(self, share: bool) -> None:
        self.show()

    # -- showing ---------------------------------------------------------------------------

    @property
    def current(self) -> Row | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def show(self) -> None:
        self.show_header()
        item = self.current
        if item is None:
            self.query_one("#review-question", Static).update("This integration has no checklist items.")
            return
        shown = self.app.shown
        section = [row for row in self.items if row["section"] == item["section"]]
        place = section.index(item) + 1
        self.query_one("#review-position", Static).update(
            plain_line(
                f"{item['section_title']}  ·  agenda {self.index + 1} of {len(self.items)}"
                if self.walking_agenda
                else f"{item['section_title']}  ·  {place} of {len(section)}"
            )
        )
        status = self.query_one("#review-status", Static)
        status.update(plain_line(item["status"].upper()))
        status.set_classes(item["status"].replace(" ", "-"))
        self.query_one("#review-question", Static).update(plain(item["question"]))
        self.query_one("#review-why", Static).update(plain(item["why"]))
        options = item["options"] or []
        self.query_one("#review-options-caption").display = bool(options)
        self.query_one("#review-options").display = bool(options)
        self.query_one("#review-options", Static).update(
            Content("\n").join(
                Content.assemble((f" {number} ", "bold reverse"), plain(f"  {option}"))
                for number, option in enumerate(options[:9], start=1)
            )
        )
        suggestions = self.findings.get(item["key"], [])
        self.query_one("#review-findings-caption").display = bool(suggestions)
        self.query_one("#review-findings").display = bool(suggestions)
        self.query_one("#review-findings", Static).update(
            Content("\n").join(Content.assemble(("• ", "dim"), shown(row["message"])) for row in suggestions[:12])
            + (
                Content.styled(f"\n… and {len(suggestions) - 12} more (dayone findings)", "dim")
                if len(suggestions) > 12
                else Content("")
            )
        )
        self.show_tables(item)
        self.show_enforced(item)
        answer = self.query_one("#review-answer", Static)
        answer.update(
            plain(shown(item["answer"]) or "not answered yet — e writes one, a number takes a typical answer")
        )
        answer.set_class(not item["answer"], "empty")
        owner = next((row for row in self.stakeholders if row["id"] == item["owner"]), None)
        self.query_one("#review-owner", Static).update(
            plain_line(f"{owner['name']}" + (f"  ({owner['role']})" if owner["role"] else "") if owner else "—")
        )
        self.query_one("#review-due", Static).update(plain_line(due_text(item["due"], self._today())))
        changed = (item.get("updated_at") or "").replace("T", " ")[:16]
        self.query_one("#review-changed", Static).update(
            plain_line(f"{changed} UTC by {item.get('updated_by') or '?'}" if changed else "—")
        )
        notes = [note for note in self.notes if note["item_id"] == item["id"]]
        if self.app.share_mode:
            notes = [note for note in notes if not note["private"]]
        self.query_one("#review-notes-caption", Static).update(f"Notes ({len(notes)})" if notes else "Notes")
        self.query_one("#review-notes", Static).update(
            Content("\n").join(
                Content.assemble(
                    (one_line(f"{note['at'][5:10]} {note['at'][11:16]}  "), "dim"),
                    (one_line(f"{note['author']}  "), "bold"),
                    ("[private] " if note["private"] else "", "italic"),
                    (f"{note['kind']}: " if note["kind"] != "note" else "", "italic"),
                    shown(note["text"]),
                )
                for note in notes
            )
            if notes
            else Content.styled("none yet — n adds one", "dim")
        )

    def show_tables(self, item: Row) -> None:
        """For an item asked per table: how many tables have their own answer, and the first few of them."""
        per_table = item["scope"] == Scope.TABLE
        self.query_one("#review-tables-caption").display = per_table
        self.query_one("#review-tables").display = per_table
        if not per_table:
            return
        answers = self.per_table.get(item["key"], {})
        names = dict(self.tables)
        lines = [
            Content.assemble((f"{names.get(table_id, '?')}: ", "bold"), self.app.shown(answer))
            for table_id, answer in sorted(answers.items(), key=lambda pair: names.get(pair[0], ""))[:8]
        ]
        more = len(answers) - len(lines)
        summary = Content.styled(
            f"{len(answers)} of {len(self.tables)} tables answered"
            + (f" ({more} more not shown)" if more > 0 else "")
            + " — t answers per table, one answer for many",
            "dim",
        )
        self.query_one("#review-tables", Static).update(Content("\n").join([*lines, summary]))

    def show_header(self) -> None:
        items = self.items
        name = self.integration.get("name", "")
        title = plain_line(f"Review · {name}")
        if self.walking_agenda:
            title = Content.assemble(title, (" · agenda", "bold"))  # the meeting clock beside it names the meeting
        if self.app.share_mode:
            title = Content.assemble(title, "  ", (" SHARING ", "bold reverse"))
        self.query_one("#review-title", Static).update(title)
        settled = sum(1 for item in items if is_settled(item))
        agreed = sum(1 for item in items if item["status"] == ItemStatus.AGREED)
        blocked = sum(1 for item in items if item["status"] == ItemStatus.BLOCKED)
        totals = f"{settled}/{len(items)} settled · {agreed} agreed" + (f" · {blocked} blocked" if blocked else "")
        clock = self.query_one(MeetingClock)
        room = self.size.width - 4 - title.cell_length - (clock.outer_size.width if clock.display else 0)
        if room >= len(totals) + BAR_WIDTH + 3:  # the bar goes first when the title would be cut
            totals = f"{bar(settled, len(items))}  {totals}"
        self.query_one("#review-totals", Static).update(totals)
        sections: list[tuple[str, str, int, int]] = []
        for item in items:
            if not sections or sections[-1][0] != item["section"]:
                sections.append((item["section"], item["section_title"], 0, 0))
            key, name, done, total = sections[-1]
            sections[-1] = (key, name, done + is_settled(item), total + 1)
        current = self.current["section"] if self.current else None
        self.query_one("#review-sections", Static).update(
            Content(" ").join(
                plain_line(f" {name} {done}/{total} ", "bold reverse" if key == current else "")
                for key, name, done, total in sections
            )
        )

    def on_resize(self) -> None:
        if self.integration:
            self.show_header()

    def _today(self) -> date:
        return getattr(self.app, "today", None) or date.today()

    # -- moving ----------------------------------------------------------------------------

    def go(self, index: int) -> None:
        if not self.items:
            return
        self.index = index % len(self.items)
        self.show()
        self.refresh_bindings()  # t (per table) applies to some items only
        self.query_one("#review-body").scroll_home(animate=False)
        assert self.integration_id is not None  # items are those of the integration loaded
        self.remember(self.integration_id, self.items[self.index]["key"])

    @background("remember where review stopped", group="review-remember", exclusive=True)
    def remember(self, integration_id: int, key: str) -> None:
        self.app.workspace.set_setting(position_key(integration_id), key)

    def action_next(self) -> None:
        self.go(self.index + 1)

    def action_previous(self) -> None:
        self.go(self.index - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_agenda":
            return bool(self.agenda)  # only while a meeting with an agenda runs
        if action == "per_table":
            return self.current is not None and self.current["scope"] == Scope.TABLE
        return True

    def action_toggle_agenda(self) -> None:
        self.whole_checklist = not self.whole_checklist
        self._walk(self.current["key"] if self.current else None)
        agenda = f"Agenda of {self.meeting['title']}" if self.meeting else "Agenda"
        self.notify("Whole checklist" if self.whole_checklist else agenda)
        self.show()

    def action_next_open(self) -> None:
        found = first_unsettled(self.items, self.index + 1)
        if found is None:
            self.notify("Every item is settled (agreed or not applicable)")
        else:
            self.go(found)

    def action_back(self) -> None:
        self.dismiss(None)

    # -- changing the item -----------------------------------------------------------------

    def set_fields(self, values: dict[str, Any], description: str) -> None:
        item = self.current
        if item is None:
            return
        row_id, version = item["id"], item["version"]
        self.app.save(
            partial(update_item, item_id=row_id, values=values, version=version), f"{description} {item['key']}"
        )

    def set_status(self, status: ItemStatus, verb: str) -> None:
        if self.current is not None and self.current["status"] != status:
            self.set_fields({"status": status.value}, verb)

    def action_agree(self) -> None:
        self.set_status(ItemStatus.AGREED, "agree on")

    def action_block(self) -> None:
        self.set_status(ItemStatus.BLOCKED, "block")

    def action_reopen(self) -> None:
        self.set_status(ItemStatus.OPEN, "reopen")

    def action_not_applicable(self) -> None:
        self.set_status(ItemStatus.NOT_APPLICABLE, "mark not applicable")

    def action_pick(self, number: int) -> None:
        item = self.current
        if item is None:
            return
        options = item["options"] or []
        if number > len(options):
            self.notify(f"This item has {len(options)} typical answers", severity="warning")
            return
        self.set_fields({"answer": options[number - 1]}, "answer")

    def action_edit_answer(self) -> None:
        if self.current is not None:
            self.app.push_screen(EditScreen("item", self.current["id"], only=("answer",), title="Answer"))

    def action_due(self) -> None:
        if self.current is not None:
            self.app.push_screen(EditScreen("item", self.current["id"], only=("due",), title="Due date"))

    def action_edit_item(self) -> None:
        if self.current is not None:
            self.app.push_screen(EditScreen("item", self.current["id"]))

    def action_note(self) -> None:
        from tui.screens.note_form import NoteForm

        if self.current is not None:
            self.app.push_screen(NoteForm(item_id=self.current["id"]))

    def action_per_table(self) -> None:
        """Answer the item table by table: one answer given to the tables ticked."""
        from tui.screens.table_answers import TableAnswers

        item = self.current
        if item is None:
            return
        if item["scope"] != Scope.TABLE:
            self.notify("This question is answered once for the integration, not per table")
            return
        if not self.tables:
            self.notify("No tables yet: import a schema (I on the tables pane) or add tables first")
            return
        self.app.push_screen(TableAnswers(item, self.tables, self.per_table.get(item["key"], {})))

    def action_owner(self) -> None:
        item = self.current
        if item is None:
            return

        def chosen(owner: int | None) -> None:
            if owner is not None:
                value = None if owner == NOBODY else owner
                if value != item["owner"]:
                    self.set_fields({"owner": value}, "set the owner of")

        self.app.push_screen(OwnerPicker(self.stakeholders, item["owner"]), chosen)


def _item_notes(ws: Workspace, integration_id: int) -> list[Row]:
    return ws.rows("note", "integration_id = ? AND item_id IS NOT NULL", (integration_id,), order_by="at, id")


class OwnerPicker(ModalScreen[int | None]):
    """Pick who owns an item: Enter takes the highlighted person, Escape changes nothing."""

    BINDINGS = keys.PICKER

    def __init__(self, stakeholders: list[Row], current: int | None) -> None:
        super().__init__()
        self.stakeholders = stakeholders
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static("Owner", id="picker-title")
            options = [Option("— nobody —", id=str(NOBODY))] + [
                Option(plain_line(row["name"] + (f"  ({row['role']})" if row["role"] else "")), id=str(row["id"]))
                for row in self.stakeholders
            ]
            yield OptionList(*options, id="picker-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [NOBODY] + [row["id"] for row in self.stakeholders]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None  # every option here is made with its row's id
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
