"""The running meeting at the right of the header: its title and how long it has run, ticking each second."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from tui.visible import one_line

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp


def elapsed(started_at: str, now: datetime) -> str:
    """Minutes and seconds since a UTC ISO timestamp, as mm:ss (minutes keep counting past an hour)."""
    seconds = max(int((now - datetime.fromisoformat(started_at)).total_seconds()), 0)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class MeetingClock(Static):
    """Hidden while no meeting runs; the app hands it the running meeting row (or None) when that changes."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    TITLE_WIDTH = 32

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meeting: dict | None = None

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)

    def show(self, meeting: dict | None) -> None:
        self.meeting = meeting
        self.set_class(meeting is not None, "-running")
        self.tick()

    def tick(self) -> None:
        if self.meeting is None:
            return
        title = one_line(self.app.shown(self.meeting["title"]))  # masked while sharing, then cut
        if len(title) > self.TITLE_WIDTH:
            title = title[: self.TITLE_WIDTH - 1] + "…"
        self.update(
            Text.assemble(
                "● meeting ", (title, "bold"), " ", (elapsed(self.meeting["started_at"], datetime.now(UTC)), "bold")
            )
        )
