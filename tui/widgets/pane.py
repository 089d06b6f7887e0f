"""The frame every pane of the main screen shares: a numbered border, a row table and a filter line.

A pane is a `PaneTable` (a DataTable, so only visible rows are rendered) inside
a `Pane` container that carries the border title and the filter input. Reloads
keep the cursor on the same row key and the scroll position where it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from tui import keys

Line = tuple[str, tuple[Any, ...]]


def clip(text: str | None, width: int) -> str:
    """One line of at most `width` characters, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class PaneTable(DataTable):
    """Rows of one part of the integration; subclasses say which columns and how each row reads."""

    BINDINGS = keys.PANE
    part: ClassVar[str]
    entity: ClassVar[str | None] = None
    title: ClassVar[str]
    number: ClassVar[int]
    # (label, width): a positive width is fixed, a negative one is a share of what is left.
    columns_spec: ClassVar[tuple[tuple[str, int], ...]]

    def __init__(self) -> None:
        super().__init__(cursor_type="row", id=f"{self.part}-table", zebra_stripes=False)
        self.data: Any = None
        self.filter_text = ""
        self.total = 0
        self.shown_count = 0
        self.widths: dict[str, int] = {}

    def column_widths(self) -> dict[str, int]:
        """Each column's width for the pane's current width (fixed widths keep DataTable from measuring)."""
        spec = self.columns_spec
        usable = (self.size.width or 80) - 2 * self.cell_padding * len(spec) - 2
        fixed = sum(width for _, width in spec if width > 0)
        shares = sum(-width for _, width in spec if width < 0) or 1
        left = max(usable - fixed, 0)
        return {label: width if width > 0 else max(6, left * -width // shares) for label, width in spec}

    def _set_columns(self) -> None:
        widths = self.column_widths()
        if widths != self.widths:
            self.widths = widths
            self.clear(columns=True)
            for label, _ in self.columns_spec:
                self.add_column(label, width=widths[label], key=label or "mark")

    @property
    def pane(self) -> Pane:
        return self.parent  # type: ignore[return-value]

    # -- subclasses --------------------------------------------------------------------------

    def lines(self, data: Any) -> Iterable[Line]:
        """(row key, cells) for every row, already filtered by `self.filter_text`."""
        raise NotImplementedError

    def count(self, data: Any) -> int:
        return len(data or ())

    def open_row(self, key: str) -> None:
        if self.entity:
            self.app.edit(self.entity, int(key))

    def new_row(self) -> None:
        if self.entity:
            self.app.edit(self.entity, None, integration_id=self.app.integration_id)

    def delete_row(self, key: str) -> None:
        if self.entity:
            self.app.delete(self.entity, int(key))

    # -- showing -----------------------------------------------------------------------------

    def show(self, data: Any) -> None:
        self.data = data
        self.rebuild()

    def matches(self, *texts: Any) -> bool:
        needle = self.filter_text.lower()
        return not needle or any(needle in str(text).lower() for text in texts if text)

    def rebuild(self) -> None:
        """Redraw every row, keeping the cursor on its row and the scroll where it was."""
        if self.data is None:
            return
        key = self.selected_key()
        scroll_x, scroll_y = self.scroll_x, self.scroll_y
        self.clear()
        self._set_columns()
        shown = 0
        for row_key, cells in self.lines(self.data):
            self.add_row(*cells, key=row_key)
            shown += 1
        self.total = self.count(self.data)
        self.shown_count = shown
        if key is not None and key in self.rows:
            self.move_cursor(row=self.get_row_index(key), animate=False, scroll=False)
        self.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)
        self.pane.update_title()

    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None

    # -- actions -----------------------------------------------------------------------------

    def action_open(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.open_row(key)

    def action_new(self) -> None:
        self.new_row()

    def action_delete(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.delete_row(key)

    def action_filter(self) -> None:
        self.pane.show_filter()

    def action_clear_filter(self) -> None:
        if self.filter_text or self.pane.filter_input.display:
            self.pane.clear_filter()
        elif self.screen.maximized is not None:
            self.screen.minimize()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.rebuild()


class Pane(Vertical):
    """A numbered, bordered frame around one PaneTable, maximizable with `z`."""

    ALLOW_MAXIMIZE = True

    def __init__(self, table: PaneTable) -> None:
        super().__init__(id=table.part, classes="pane")
        self.table = table
        self.filter_input = Input(placeholder="filter…", id=f"{table.part}-filter", classes="pane-filter")

    def compose(self) -> ComposeResult:
        yield self.table
        yield self.filter_input

    def on_mount(self) -> None:
        self.filter_input.display = False
        self.update_title()

    def update_title(self) -> None:
        table = self.table
        title = f"{table.number} {table.title}"
        counts = f"{table.total}" if not table.filter_text else f"{table.shown_count} of {table.total}"
        self.border_title = f"{title} ({counts})"
        self.border_subtitle = f"/{table.filter_text}" if table.filter_text else ""

    def show_filter(self) -> None:
        self.filter_input.display = True
        self.filter_input.focus()

    def clear_filter(self) -> None:
        self.filter_input.value = ""
        self.filter_input.display = False
        self.table.set_filter("")
        self.table.focus()

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.table.set_filter(event.value)

    @on(Input.Submitted)
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self.filter_input.display = False
        self.table.focus()

    def on_key(self, event) -> None:
        if event.key == "escape" and self.filter_input.has_focus:
            event.stop()
            self.clear_filter()

