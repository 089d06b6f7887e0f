"""A keyboard-driven list of rows in fixed-width columns that renders only the lines on screen.

DataTable measures every cell it is given, which makes replacing 1,000 rows on
each filter keystroke cost a tenth of a second. This widget keeps rows as
plain tuples and turns only the visible ones into strips, so swapping the row
list is as cheap as building it. Cells hold text from data: a string cell is
never markup, and control characters in any cell are drawn as placeholders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.visible import one_line
from tui.widgets.plain import safe_text

if TYPE_CHECKING:
    from textual import getters

    from tui.app import DayoneApp

Cell = str | Text
# A row's cells, or a function that makes them when the row is drawn (and may cache them).
Cells = Sequence[Cell] | Callable[[], Sequence[Cell]]


class RowList(ScrollView, can_focus=True):
    """Rows with string keys under a sticky header line; the cursor row is the selection."""

    if TYPE_CHECKING:
        app = getters.app(DayoneApp)

    COMPONENT_CLASSES: ClassVar[set[str]] = {"rowlist--header", "rowlist--cursor", "rowlist--cursor-blurred"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Chosen(Message):
        """Enter or a click on the cursor row."""

        def __init__(self, row_list: RowList, key: str) -> None:
            self.row_list = row_list
            self.key = key
            super().__init__()

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[tuple[str, int]] = []
        self.gap = 2
        self._keys: list[str] = []
        self._cells: list[Cells] = []
        self._index: dict[str, int] = {}
        self._line_style: Style | None = None

    # -- content -------------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[tuple[str, int]], gap: int = 2) -> None:
        """(label, width) of each column and the spaces between them; used from the next line drawn on
        (no refresh of its own)."""
        self.columns = list(columns)
        self.gap = gap

    def set_rows(self, rows: Sequence[tuple[str, Cells]]) -> None:
        """Replace the rows; cells may be given as a function, called each time the row is drawn."""
        self._keys = [key for key, _ in rows]
        self._cells = [cells for _, cells in rows]
        self._index = {key: index for index, key in enumerate(self._keys)}
        self._refresh_size()
        self.cursor_row = min(self.cursor_row, max(self.row_count - 1, 0))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as it is given: column widths follow the widget, never the other way round."""
        return container.width

    def _refresh_size(self) -> None:
        width = sum(width + self.gap for _, width in self.columns)
        self.virtual_size = Size(width, len(self._keys) + 1)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._keys)

    def keys(self) -> list[str]:
        return list(self._keys)

    def get_row_index(self, key: str) -> int:
        return self._index[key]

    def get_row_at(self, index: int) -> Sequence[Cell]:
        cells = self._cells[index]
        return cells() if callable(cells) else cells

    def has_key(self, key: str) -> bool:
        return key in self._index

    def selected_key(self) -> str | None:
        if not self._keys:
            return None
        return self._keys[min(self.cursor_row, len(self._keys) - 1)]

    def cursor_in_view(self) -> bool:
        """Whether the cursor row is one of the rows on screen."""
        top = round(self.scroll_y)
        return self.row_count > 0 and top <= self.cursor_row < top + self._page

    def visible_selected_key(self) -> str | None:
        """The key of the cursor row, only while that row is on screen: what a key may act on."""
        return self.selected_key() if self.cursor_in_view() else None

    def keep_cursor(self, row: int, screen_line: int) -> None:
        """Put the cursor on `row`, scrolling so it stays on the same line of the screen when it would leave it."""
        self.cursor_row = max(0, min(row, self.row_count - 1))
        if not self.cursor_in_view():
            top = max(0, min(self.cursor_row - screen_line, self.row_count - self._page))
            self.scroll_to(y=top, animate=False, immediate=True)

    def move_cursor(self, row: int, scroll: bool = True) -> None:
        self.cursor_row = max(0, min(row, self.row_count - 1))
        if scroll:
            self.scroll_to_cursor()

    # -- cursor and scrolling --------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(self.size.height - 1, 1)

    def watch_cursor_row(self) -> None:
        self.refresh()

    def scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self._page:
            self.scroll_to(y=self.cursor_row - self._page + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * self._page)

    def action_jump(self, where: int) -> None:
        self.move_cursor(where if where >= 0 else self.row_count - 1)

    def action_choose(self) -> None:
        key = self.visible_selected_key()
        if key is not None:
            self.post_message(self.Chosen(self, key))

    async def _on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < self.row_count:
            if index == self.cursor_row and event.chain >= 2:
                self.action_choose()
            self.move_cursor(index)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- rendering ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """The widget's own style walks every ancestor: work it out once per batch of lines, not per line."""
        self._line_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._line_style = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._line_style or self.rich_style
        if y == 0:
            cells: Sequence[Cell] = [label for label, _ in self.columns]
            style = base + self.get_component_rich_style("rowlist--header")
            return self._strip(cells, style, width, plain=True)
        index = round(self.scroll_y) + y - 1
        if index >= self.row_count:
            return Strip.blank(width, base)
        style = base
        if index == self.cursor_row:
            component = "rowlist--cursor" if self.has_focus else "rowlist--cursor-blurred"
            style = base + self.get_component_rich_style(component)
        return self._strip(self.get_row_at(index), style, width, plain=index == self.cursor_row and self.has_focus)

    def _strip(self, cells: Sequence[Cell], style: Style, width: int, plain: bool) -> Strip:
        """One line: a leading space, then each cell cut (with an ellipsis) or padded to its column."""
        segments = [Segment(" ")]
        gap = Segment(" " * self.gap)
        for (_, column_width), cell in zip(self.columns, cells, strict=False):
            if isinstance(cell, Text):
                cell = safe_text(cell)
                text = Text(cell.plain, end="", spans=list(cell.spans))
                if plain:
                    text.stylize(style, 0, len(text))
                text.truncate(column_width, overflow="ellipsis", pad=True)
                if cell.style:  # the cell's own style, under its spans and over the padding, as render needs it
                    text.stylize_before(cell.style, 0, len(text))
                segments.extend(text.render(self.app.console))
            else:
                segments.append(Segment(fit(one_line(str(cell)), column_width), style if plain else None))
            segments.append(gap)
        strip = Strip(segments).apply_style(style)
        return strip.crop_extend(round(self.scroll_x), round(self.scroll_x) + width, style)


def fit(text: str, width: int) -> str:
    """Plain text cut to `width` cells with an ellipsis, or padded to it."""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(text, max(width - 1, 0)) + "…" if width else ""
