"""The export screen: pick a format, see the document as it will read, then write it with one key.

Rendering and writing run in worker threads; the screen changes only when their
messages arrive. The preview is the document itself for Markdown formats and
its source in a code block for the others; long documents are cut in the
preview only, never in the file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Markdown, Static

from tui import keys
from tui.errors import DayoneError
from tui.export import EXPORTS_FOLDER, FORMATS, Options, Rendered, record_export, render, write_export
from tui.export.escape import code_fence, markdown_text
from tui.visible import one_line, visible
from tui.widgets.footer import KeyFooter
from tui.widgets.header import PeopleLine
from tui.widgets.plain import plain
from tui.workers import background

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

FORMAT_ORDER = tuple(FORMATS)
SOURCE_LANGUAGE = {
    "confluence": "xml",
    "odcs": "yaml",
    "yaml": "yaml",
    "ci": "yaml",
    "constraints": "sql",
    "dbt": "yaml",
    "changes-confluence": "xml",
}
PREVIEW_CHARS = 60_000


def preview_text(rendered: Rendered) -> str:
    """Markdown for the preview: the document, or its source in a fenced block (each file of a format that writes
    several under its name); cut when very long. Control characters in it are shown as placeholders, as everywhere
    on screen."""
    if rendered.more:
        return "\n".join(
            f"**{markdown_text(visible(name))}**\n\n{_one_preview(rendered.format, text)}"
            for name, text in rendered.files
        )
    return _one_preview(rendered.format, rendered.text)


def _one_preview(fmt: str, whole: str) -> str:
    text = visible(whole)
    cut = len(text) > PREVIEW_CHARS
    if cut:
        text = text[:PREVIEW_CHARS].rsplit("\n", 1)[0] + "\n"
    if fmt in SOURCE_LANGUAGE:
        fence = code_fence(text)
        text = f"{fence}{SOURCE_LANGUAGE[fmt]}\n{text}{fence}\n"
    elif cut:
        text = text.rsplit("\n\n", 1)[0] + "\n"
    if cut:
        text += f"\n*The preview stops here; the file has all {len(whole.splitlines()):,} lines.*\n"
    return text


class ExportScreen(Screen[None]):
    """Preview and write the current integration's contract, minutes, ODCS file or plan."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    BINDINGS = keys.EXPORT

    format: reactive[str] = reactive("markdown")
    mermaid: reactive[bool] = reactive(True)

    class Previewed(Message):
        def __init__(self, rendered: Rendered, mermaid: bool) -> None:
            super().__init__()
            self.rendered = rendered
            self.mermaid = mermaid

    class Written(Message):
        def __init__(self, path: Path, warnings: list[str], more: int = 0) -> None:
            super().__init__()
            self.path = path
            self.warnings = warnings
            self.more = more  # files written beside `path`

    class Failed(Message):
        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self) -> None:
        super().__init__()
        self.rendered: Rendered | None = None
        self.written: Path | None = None
        self.integration_name = "..."

    def compose(self) -> ComposeResult:
        yield PeopleLine()
        yield Static(id="export-options")
        with VerticalScroll(id="export-preview"):
            yield Markdown("*Rendering...*")
        yield Static("w writes the file under exports/", id="export-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.app.integration_id is None:
            self.notify("Add an integration first: there is nothing to export yet", severity="warning")
            self.dismiss()
            return
        self._show_options()
        self._build_preview(self.format, self.mermaid)

    def watch_format(self) -> None:
        if self.is_mounted:
            self._refresh()

    def watch_mermaid(self) -> None:
        if self.is_mounted:
            self._refresh()

    def _refresh(self) -> None:
        self.rendered = None
        self._show_options()
        self._build_preview(self.format, self.mermaid)

    def _show_options(self) -> None:
        """The choices and the target; the integration's name comes with the first rendering (read in a worker)."""
        diagram = "on" if self.mermaid else "off"
        self.query_one("#export-options", Static).update(
            Text.assemble(
                ("Export ", "bold"),
                one_line(self.integration_name),
                "   format ",
                (self.format, "bold"),
                " (f)   diagram ",
                (diagram, "bold"),
                " (m)   to ",
                self._targets(),
                " (w)",
            )
        )

    def target(self) -> Path | None:
        return EXPORTS_FOLDER / self.rendered.filename if self.rendered else None

    def _targets(self) -> str:
        """Where the files go, for the options line: the first file, and how many more beside it."""
        target = self.target()
        if target is None:
            return "..."
        more = len(self.rendered.more) if self.rendered else 0
        return one_line(str(target)) + (f" and {more} more" if more else "")

    # -- actions ---------------------------------------------------------------------------

    def action_next_format(self) -> None:
        self.format = FORMAT_ORDER[(FORMAT_ORDER.index(self.format) + 1) % len(FORMAT_ORDER)]

    def action_toggle_mermaid(self) -> None:
        self.mermaid = not self.mermaid

    def action_write(self) -> None:
        if self.rendered is None:
            self.notify("Still rendering; write again in a moment", severity="warning")
            return
        if self.app.is_web:
            self._download(self.rendered)
            return
        self._write_file(self.rendered)

    def _download(self, rendered: Rendered) -> None:
        """In a browser the documents go to the user's downloads, not to a folder on the server."""
        for name, text in rendered.files:
            self.app.deliver_text(io.StringIO(text), save_filename=name)
        self._record_download(rendered)
        names = ", ".join(name for name, _ in rendered.files)
        self._status(f"Sent {names} to the browser's downloads", "-written")

    def action_back(self) -> None:
        self.dismiss()

    # -- workers and their messages ----------------------------------------------------------

    @background("render the export preview", group="export-render", exclusive=True)
    def _build_preview(self, fmt: str, mermaid: bool) -> None:
        workspace, integration_id = self.app.workspace, self.app.integration_id
        assert integration_id is not None  # the screen closes at once without an integration
        integration = workspace.get("integration", integration_id)
        options = Options(mermaid=mermaid, today=self.app.today.isoformat())
        try:
            rendered = render(workspace, integration, fmt, options)
        except DayoneError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Previewed(rendered, mermaid))

    @background("write the export", group="export-write", exclusive=True)
    def _write_file(self, rendered: Rendered) -> None:
        path = EXPORTS_FOLDER / rendered.filename
        try:
            write_export(self.app.workspace, rendered, path)
        except DayoneError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Written(path, rendered.warnings, len(rendered.more)))

    @background("write the export", group="export-write")
    def _record_download(self, rendered: Rendered) -> None:
        try:
            record_export(self.app.workspace, rendered, None)
        except DayoneError as exc:
            self.post_message(self.Failed(str(exc)))

    @on(Previewed)
    async def _previewed(self, message: Previewed) -> None:
        if message.rendered.format != self.format or message.mermaid != self.mermaid:
            return
        self.rendered = message.rendered
        if message.rendered.integration is not None:
            self.integration_name = message.rendered.integration["name"]
        self._show_options()
        await self.query_one(Markdown).update(preview_text(message.rendered))
        if message.rendered.warnings:
            self._status("; ".join(warning[:1].upper() + warning[1:] for warning in message.rendered.warnings), "")

    @on(Written)
    def _written(self, message: Written) -> None:
        self.written = message.path
        said = f"Wrote {message.path}" + (f" and {message.more} more beside it" if message.more else "")
        self._status(said, "-written")
        self.notify(said)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._status(message.problem, "-failed")
        self.notify(message.problem, severity="error")

    def _status(self, text: str, kind: str) -> None:
        status = self.query_one("#export-status", Static)
        status.set_classes(kind)
        status.update(plain(text))
