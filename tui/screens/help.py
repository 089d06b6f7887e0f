"""F1 / ?: every key of the focused pane, of the screen under it and of the whole app, from tui.keys."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from tui import keys

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "space": "Space",
    "enter": "Enter",
    "escape": "Escape",
    "left": "←",
    "right": "→",
    "f1": "F1",
}


def key_label(binding: Binding) -> str:
    if binding.key_display or binding.key in KEY_NAMES:
        return binding.key_display or KEY_NAMES[binding.key]
    return f"Ctrl+{binding.key[5:].upper()}" if binding.key.startswith("ctrl+") else binding.key


def one_per_key(bindings: list[Binding]) -> list[Binding]:
    """Each key once, with the meaning that runs: the first binding of the key, as Textual picks it
    (a pane that rebinds a shared key, like Enter on the tables pane, lists its own bindings first)."""
    first: dict[str, Binding] = {}
    for binding in bindings:
        first.setdefault(binding.key, binding)
    return list(first.values())


def key_groups(focused: Widget | None, screen: Screen) -> list[tuple[str, list[Binding]]]:
    """The bindings that apply now: the focused pane's, the screen's, then the app's."""
    groups: list[tuple[str, list[Binding]]] = []
    if focused is not None:
        for node in (focused, *focused.ancestors):
            if node is screen or not isinstance(node, Widget):
                break
            bindings = [
                b
                for b in getattr(type(node), "BINDINGS", [])
                if isinstance(b, Binding) and (b.id or "").startswith("dayone.")
            ]
            if bindings:
                name = getattr(node, "title", None) or type(node).__name__
                groups.append((f"{name}", one_per_key(bindings)))
                break
    screen_bindings = [b for b in getattr(type(screen), "BINDINGS", []) if isinstance(b, Binding)]
    if screen_bindings:
        groups.append(("This screen", screen_bindings))
    groups.append(("Everywhere", [b for b in keys.APP if isinstance(b, Binding)]))
    return groups


class HelpScreen(ModalScreen[None]):
    BINDINGS = keys.HELP

    def __init__(self, focused: Widget | None, under: Screen) -> None:
        super().__init__()
        self.groups = key_groups(focused, under)

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2), expand=True)
        table.add_column("key", style="bold", no_wrap=True, width=10)
        table.add_column("what")
        for title, bindings in self.groups:
            table.add_row(Text(title, style="bold underline"), "")
            for binding in bindings:
                table.add_row(key_label(binding), binding.description)
            table.add_row("", "")
        with VerticalScroll() as box:
            box.border_title = "Keys"
            box.border_subtitle = "Escape closes"
            yield Static(table)
