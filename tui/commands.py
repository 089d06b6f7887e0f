"""Ctrl+P: every action of the planning screen by name, so nobody has to remember a key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from tui.widgets.plain import plain_line

Command = tuple[str, str, Callable[[], object]]


def main_commands(app) -> Iterator[Command]:
    """(title, help, callback) for every command; the main screen's actions run on it when it is below."""
    from tui.screens.main import MainScreen

    main = next((screen for screen in app.screen_stack if isinstance(screen, MainScreen)), None)
    iid = app.integration_id

    def on_main(action: str, *args: object) -> Callable[[], object]:
        def run() -> None:
            if main is not None:
                while app.screen is not main:
                    app.pop_screen()
                getattr(main, f"action_{action}")(*args)

        return run

    if iid is not None:
        yield (
            "New stakeholder",
            "add a person to the integration",
            partial(app.edit, "stakeholder", None, integration_id=iid),
        )
        yield "New metric", "add a metric to the wishlist", partial(app.edit, "metric", None, integration_id=iid)
        yield "Add table", "describe a production table", partial(app.edit, "table", None, integration_id=iid)
        yield "Add note", "a running note, todo, question or decision (n)", on_main("add_note")
        yield (
            "Edit integration",
            "name, source system, go-live date, description",
            partial(app.edit, "integration", iid),
        )
        yield "Review checklist", "walk the checklist one question at a time (r)", app.action_review
        yield "Export", "write the data contract documents (e)", app.action_export
        yield (
            "Check failures",
            "the rules the last dayone check found broken, each with its SQL (f)",
            app.action_check_failures,
        )
        yield (
            "Contract versions",
            "publish the agreed contract as a version; what changed between two versions (v)",
            app.action_versions,
        )
        from tui.screens.meeting import meeting_commands

        yield from meeting_commands(app)
    yield (
        "Import schema from file…",
        "tables, keys and comments from a SQL DDL file (I on the tables pane)",
        partial(app.action_import_schema, "file"),
    )
    yield (
        "Import schema from database URL…",
        "read the tables of a live database, read-only",
        partial(app.action_import_schema, "url"),
    )
    yield "New integration", "start planning another integration", partial(app.edit, "integration", None)
    yield "Switch integration", "pick the integration to show (i)", app.action_switch_integration
    for row in app.workspace.integrations():
        if row["id"] != iid:
            yield (
                f"Switch to {row['name']}",
                row.get("source") or "show this integration",
                partial(setattr, app, "integration_id", row["id"]),
            )
    yield (
        "Share mode off" if app.share_mode else "Share mode on",
        "hide private notes and mask credentials while screen-sharing (s)",
        app.action_toggle_share,
    )
    yield "Undo", "revert the last change made on this screen (Ctrl+Z)", app.action_undo
    for number, (part, title) in enumerate(
        (
            ("stakeholders", "stakeholders"),
            ("metrics", "metric wishlist"),
            ("checklist", "checklist"),
            ("tables", "tables"),
            ("notes", "notes"),
        ),
        start=1,
    ):
        yield f"Go to {title}", f"focus pane {number} ({number})", on_main("focus_pane", part)
    yield "Zoom pane", "maximize the focused pane, or restore it (z)", on_main("zoom")
    yield "Light or dark theme", "switch between textual-light and textual-dark (t)", app.action_toggle_theme
    yield "Keys", "every key of the focused pane (F1 or ?)", app.action_help
    yield "Quit", "leave dayone (Ctrl+Q); asks first when a form holds unsaved text", app.action_quit


class DayoneCommands(Provider):
    """Commands of the planning screen, searched by fuzzy match on their titles."""

    async def discover(self) -> Hits:
        for title, help_text, callback in main_commands(self.app):
            # Textual types help as a markup string, yet shows Content as it is: the only way to keep it text.
            yield DiscoveryHit(plain_line(title), callback, text=title, help=plain_line(help_text))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in main_commands(self.app):
            score = matcher.match(title)
            if score > 0:
                help_shown = plain_line(help_text)
                yield Hit(score, _highlight(matcher, title), callback, text=title, help=help_shown)  # type: ignore[arg-type]


def _highlight(matcher: Matcher, title: str) -> Content:
    """The title with the matched letters marked, never read as markup: Matcher.highlight reads its candidate
    as markup, so it is given the title with its opening brackets swapped for a look-alike, and only its marks
    are kept."""
    shown = plain_line(title)
    if shown.plain != title:  # folded or with placeholders: the marks would land on the wrong letters
        return shown
    marked = matcher.highlight(title.replace("[", "\u27e6"))
    return Content(title, spans=list(marked.spans))
