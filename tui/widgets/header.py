"""The one-line header: which integration, from which system, how long to go-live, how far the checklist is, and
who else has the workspace open."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from tui.overview import Progress, days_left
from tui.visible import one_line

if TYPE_CHECKING:
    from tui.enforcement import ContractEnforcement

# The contract's published version and whether the workspace changed it since: (version, unpublished).
VersionState = tuple[str, bool]


def header_text(
    integration: dict | None,
    progress: Progress | None,
    today: date,
    sharing: bool,
    width: int,
    enforcement: ContractEnforcement | None = None,
    people: Sequence[str] = (),
    version: VersionState | None = None,
) -> Text:
    """The header line; on a narrow screen the source system and the agreed/n/a split go first, and the last check
    comes before the checklist's progress, which its pane shows too. The published version comes last. Who is here
    shows on the right once there are two people or more (names as shown: control characters visible, masked if need
    be)."""
    badge = people_text(people, max(width * 2 // 5, 24))
    if sharing:
        if badge:
            badge.append(" ")
        badge.append(" SHARING ", style="bold reverse")
    room = width - badge.cell_len - 1
    checked = integration is not None and enforcement is not None
    line = _header(integration, progress, today, checked_text(enforcement, False) if checked else None, brief=False)
    if integration is not None and version is not None:
        line.append_text(version_text(version, brief=False))
    if line.cell_len > room:
        line = _header(integration, progress, today, checked_text(enforcement, True) if checked else None, brief=True)
        if integration is not None and version is not None:
            line.append_text(version_text(version, brief=True))
    if line.cell_len > room:
        line.truncate(max(room - 1, 0))
        line.append("…")
    if badge:
        line.append(" " * max(room - line.cell_len, 1))
        line.append_text(badge)
    return line


def people_text(people: Sequence[str], limit: int) -> Text:
    """`3 people here: Noor, Kenji, Olu` in at most `limit` cells; nothing for one person alone."""
    if len(people) < 2:
        return Text()
    here = Text(f"{len(people)} people here: {', '.join(one_line(name) for name in people)}", style="bold")
    if here.cell_len > limit:
        here.truncate(limit - 1)
        here.append("…")
    return here


def _header(
    integration: dict | None, progress: Progress | None, today: date, checked: Text | None, brief: bool
) -> Text:
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
        if checked is not None and brief:
            line.append_text(checked)
        if progress is not None and progress.total:
            line.append(f" · checklist {progress.settled}/{progress.total} settled")
            if not brief:
                line.append(f" ({progress.agreed} agreed, {progress.not_applicable} n/a)", style="dim")
        if checked is not None and not brief:
            line.append_text(checked)
    return line


def version_text(version: VersionState, brief: bool) -> Text:
    """' · contract 1.2.0 + unpublished changes', briefly ' · v1.2.0 + unpublished'."""
    number, unpublished = version
    line = Text(f" · v{one_line(number)}" if brief else f" · contract {one_line(number)}")
    if unpublished:
        line.append(" + unpublished" if brief else " + unpublished changes", style="bold")
    return line


def checked_text(enforcement: ContractEnforcement | None, brief: bool) -> Text:
    """' · checked 12-02 07:40: 2 failed' (f lists them), briefly ' · checked 12-02 ✗2', or that the contract was
    never checked."""
    if enforcement is None or enforcement.checked_at is None:
        return Text(" · never checked", style="dim")
    at = datetime.fromisoformat(enforcement.checked_at).astimezone()
    line = Text(f" · checked {at:%m-%d} " if brief else f" · checked {at:%m-%d %H:%M}: ")
    if enforcement.failed:
        line.append(f"✗{enforcement.failed}" if brief else f"{enforcement.failed} failed", style="bold red")
    elif enforcement.warned:
        line.append(f"!{enforcement.warned}" if brief else f"{enforcement.warned} warned", style="yellow")
    else:
        line.append("✓" if brief else "all held", style="green")
    return line


class HeaderLine(Static):
    """Repaints from the app's loaded data and share mode; no I/O of its own."""

    def show(
        self,
        integration: dict | None,
        progress: Progress | None,
        today: date,
        sharing: bool,
        enforcement: ContractEnforcement | None = None,
        people: Sequence[str] = (),
        version: VersionState | None = None,
    ) -> None:
        self._args = (integration, progress, today, sharing, enforcement, people, version)
        width = max(self.size.width - 2, 40)
        self.update(header_text(integration, progress, today, sharing, width, enforcement, people, version))

    def on_resize(self) -> None:
        if hasattr(self, "_args"):
            self.show(*self._args)


class PeopleLine(Static):
    """Who is here, atop the screens that cover the main one (a table, the review, an export, the change log);
    hidden while one person is alone. The app calls `show_people` when that changes."""

    def on_mount(self) -> None:
        self.show_people()

    def show_people(self) -> None:
        app = self.app
        people = [app.shown(name) for name in getattr(app, "people", [])]  # type: ignore[attr-defined]
        self.display = len(people) > 1
        self.update(people_text(people, max(self.size.width - 2, 40)))
