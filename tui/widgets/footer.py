"""The footer: the keys that matter now, on one line, and the command palette key at the right.

Textual's own footer is a container with a widget per key, composed again on
every focus change. This one is a single widget that draws the active bindings
of the screen into one line and repaints when they change; a click on a key
presses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp


class _Key(NamedTuple):
    binding: Binding
    enabled: bool
    start: int
    end: int


class KeyFooter(Widget):
    """The active bindings of the screen that are marked to be shown, in the order the screen gives them."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--hover",
        "key-footer--separator",
    }
    PALETTE_SEPARATOR = "▏"

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[_Key] = []
        self._hover: Binding | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def shown_bindings(self) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """(binding, enabled) for each action shown, once per action, and the command palette key."""
        active = self.screen.active_bindings
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _ = active[self.app.COMMAND_PALETTE_BINDING]
            palette = (binding, enabled)
        actions: dict[str, tuple[Binding, bool]] = {}
        for _, binding, enabled, _ in active.values():
            if binding.show and binding.action not in actions:
                actions[binding.action] = (binding, enabled)
        return list(actions.values()), palette

    def render(self) -> Text:
        width = self.size.width
        bindings, palette = self.shown_bindings()
        tail = self._palette_label(*palette) if palette is not None else Text()
        room = width - tail.cell_len
        line = Text(no_wrap=True, overflow="crop", end="")
        keys: list[_Key] = []
        for binding, enabled in bindings:
            label = self._label(binding, enabled)
            if line.cell_len + label.cell_len > room:
                break  # whole keys only: the ones that do not fit are in help (F1) and the palette
            keys.append(_Key(binding, enabled, line.cell_len, line.cell_len + label.cell_len))
            line.append_text(label)
        if palette is not None:
            keys.append(_Key(*palette, room + 1, width))
            line.append(" " * max(room - line.cell_len, 0))
            line.append_text(tail)
        self._keys = keys
        return line

    def _label(self, binding: Binding, enabled: bool) -> Text:
        label = Text.assemble(
            (f" {self.app.get_key_display(binding)} ", self.get_component_rich_style("key-footer--key")),
            (f"{binding.description} ", self.get_component_rich_style("key-footer--description")),
        )
        return self._styled(label, binding, enabled)

    def _palette_label(self, binding: Binding, enabled: bool) -> Text:
        """At the right, after a thin rule: the command palette key."""
        label = Text.assemble(
            (self.PALETTE_SEPARATOR, self.get_component_rich_style("key-footer--separator")),
            (self.app.get_key_display(binding), self.get_component_rich_style("key-footer--key")),
            (f" {binding.description}", self.get_component_rich_style("key-footer--description")),
            " ",
        )
        return self._styled(label, binding, enabled)

    def _styled(self, label: Text, binding: Binding, enabled: bool) -> Text:
        if binding is self._hover:
            label.stylize(self.get_component_rich_style("key-footer--hover", partial=True))
        if not enabled:
            label.stylize("dim")
        return label

    def _key_at(self, x: int) -> _Key | None:
        return next((key for key in self._keys if key.start <= x < key.end), None)

    def on_click(self, event: events.Click) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.binding.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        self._set_hover(key.binding if key is not None else None)

    def on_leave(self) -> None:
        self._set_hover(None)

    def _set_hover(self, binding: Binding | None) -> None:
        if binding is not self._hover:
            self._hover = binding
            self.refresh()
