"""The one-line header: which integration, from which system, how long to go-live, how far the checklist is."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Static

from tui.overview import Progress, days_left
from tui.visible import one_line


def header_text(integration: dict | None, progress: Progress | None, today: date, sharing: bool, width: int) -> Text:
    """The header line; on a narrow screen the source system and the agreed/n/a split go first."""
    badge = " SHARING " if sharing else ""
    room = width - len(badge) - 1
    line = _header(integration, progress, today, brief=False)
    if line.cell_len > room:
        line = _header(integration, progress, today, brief=True)
    if line.cell_len > room:
        line.truncate(max(room - 1, 0))
        line.append("…")
    if badge:
        line.append(" " * max(room - line.cell_len, 1))
        line.append(badge, style="bold reverse")
    return line


def _header(integration: dict | None, progress: Progress | None, today: date, brief: bool) -> Text:
    if integration is None:
        line = Text.assemble(("dayone", "bold"), " · no integration yet: i (or a in any pane) starts one")
    else:
        line = Text.assemble(("dayone", "bold"), " · ", (one_line(integration["name"]), "bold"))
        if integration.get("source") and not brief:
            line.append(f" · {one_line(integration['source'])}")
        left = days_left(integration.get("go_live"), today)
        if integration.get("go_live"):
            line.append(f" · go-live {one_line(integration['go_live'])}")
            if left is not None:
                line.append(
                    f", {left} days left" if left >= 0 else f", {-left} days ago",
                    style="bold" if 0 <= left <= 14 else "",
                )
        if progress is not None and progress.total:
            line.append(f" · checklist {progress.settled}/{progress.total} settled")
            if not brief:
                line.append(f" ({progress.agreed} agreed, {progress.not_applicable} n/a)", style="dim")
    return line


class HeaderLine(Static):
    """Repaints from the app's loaded data and share mode; no I/O of its own."""

    DEFAULT_CSS = """
    HeaderLine { height: 1; padding: 0 1; background: $panel; color: $foreground; }
    """

    def show(self, integration: dict | None, progress: Progress | None, today: date, sharing: bool) -> None:
        self._args = (integration, progress, today, sharing)
        self.update(header_text(integration, progress, today, sharing, max(self.size.width - 2, 40)))

    def on_resize(self) -> None:
        if hasattr(self, "_args"):
            self.show(*self._args)
