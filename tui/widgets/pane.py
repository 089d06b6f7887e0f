"""The frame every pane of the main screen shares: a numbered border, a row table and a filter line.

A pane is a `PaneTable` (a RowList, so only visible rows are rendered) inside
a `Pane` container that carries the border title and the filter input. Reloads
keep the cursor on the same row key and the scroll position where it was.

Column widths follow the pane's width, which Textual settles only when it lays
the screen out. So rows are kept as functions that make their cells, and the
widths are worked out when lines are drawn: the first paint already shows the
rows at their real width, and a resize costs only the rows that are drawn again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from functools import partial
from typing import Any, ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Input

from tui import keys
from tui.widgets.plain import plain_line
from tui.widgets.rows import Cell, Cells, RowList

Line = tuple[str, Cells]


class Column(NamedTuple):
    """One column of a pane: a positive width is fixed, a negative one a share of the room left over.

    `minimum` is as narrow as the column gets before every column has to give way; for a column of
    enum values it is the longest value, so a status is never cut.
    """

    label: str
    width: int
    minimum: int


def enum_width(kind: type[StrEnum]) -> int:
    """The width of the longest value of an enum."""
    return max(len(member.value) for member in kind)


def column_layout(
    columns: Sequence[Column], width: int, natural: Sequence[int | None] | None = None
) -> tuple[list[int], int]:
    """Column widths and the gap between columns for a line `width` cells wide, one space kept at each end.

    Fixed columns get their width, flexible ones their minimum, two spaces apart, and the flexible ones
    share what is left. When that does not fit, the gap narrows to one space, then the fixed columns
    give way down to their minimum, then the flexible ones down to 3, and only then all of them alike.
    `natural` is, where known, the width of a column's longest cell: a flexible column's share beyond it
    goes to the flexible columns that would otherwise be cut (a long name gives way to flags it hides).
    """
    fixed = [index for index, column in enumerate(columns) if column.width > 0]
    flexible = [index for index, column in enumerate(columns) if column.width < 0]
    widths = [column.width if column.width > 0 else column.minimum for column in columns]
    gap = 2 if sum(widths) <= width - 2 - 2 * (len(columns) - 1) else 1
    room = max(width - 2 - gap * (len(columns) - 1), len(columns))
    excess = sum(widths) - room
    for indices, floor in (
        (fixed, lambda index: columns[index].minimum),
        (flexible, lambda index: 3),
        (range(len(columns)), lambda index: 1),
    ):
        if excess > 0:
            excess = _give_way(widths, indices, floor, excess)
    if excess < 0 and flexible:
        _share_out(widths, columns, flexible, room - sum(widths[index] for index in fixed))
        if natural is not None:
            _fit_to_content(widths, columns, flexible, natural)
    return widths, gap


def _fit_to_content(
    widths: list[int], columns: Sequence[Column], flexible: list[int], natural: Sequence[int | None]
) -> None:
    """Move the flexible columns' room beyond their longest cell to the flexible columns that cut theirs."""
    spare = 0
    for index in flexible:
        need = natural[index]
        if need is not None and widths[index] > max(need, columns[index].minimum):
            spare += widths[index] - max(need, columns[index].minimum)
            widths[index] = max(need, columns[index].minimum)
    hungry = [index for index in flexible if natural[index] is not None and widths[index] < natural[index]]  # type: ignore[operator]
    while spare and hungry:
        for index in list(hungry):
            if not spare:
                break
            widths[index] += 1
            spare -= 1
            if widths[index] >= natural[index]:  # type: ignore[operator]
                hungry.remove(index)
    if spare:  # every cell fits whole: the first flexible column (the name) takes the rest
        widths[flexible[0]] += spare


def _share_out(widths: list[int], columns: Sequence[Column], flexible: list[int], left: int) -> None:
    """Give the flexible columns `left` cells by their shares; one whose share is below its minimum keeps that."""
    sharing = list(flexible)
    while True:
        shares = sum(-columns[index].width for index in sharing)
        short = [index for index in sharing if left * -columns[index].width // shares < columns[index].minimum]
        if not short or len(short) == len(sharing):
            break
        for index in short:
            widths[index] = columns[index].minimum
            left -= columns[index].minimum
            sharing.remove(index)
    for index in sharing:
        widths[index] = max(left * -columns[index].width // shares, columns[index].minimum)
    for index in sharing[: max(left - sum(widths[index] for index in sharing), 0)]:
        widths[index] += 1


def _give_way(widths: list[int], indices: Sequence[int], floor: Callable[[int], int], excess: int) -> int:
    """Narrow the columns at `indices` by up to `excess` cells in all, each in proportion to its room above
    `floor`; returns what is still too wide."""
    slack = {index: widths[index] - floor(index) for index in indices if widths[index] > floor(index)}
    total = sum(slack.values())
    take = min(excess, total)
    if not take:
        return excess
    taken = 0
    for index, room in slack.items():
        cut = take * room // total
        widths[index] -= cut
        taken += cut
    while taken < take:
        index = max(slack, key=lambda index: widths[index] - floor(index))
        widths[index] -= 1
        taken += 1
    return excess - take


def clip(text: str | None, width: int) -> str:
    """One line of at most `width` characters, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class PaneTable(RowList):
    """Rows of one part of the integration; subclasses say which columns and how each row reads."""

    BINDINGS = keys.PANE
    part: ClassVar[str]
    entity: ClassVar[str | None] = None
    title: ClassVar[str]
    number: ClassVar[int]
    columns_spec: ClassVar[tuple[Column, ...]]

    def __init__(self) -> None:
        super().__init__(id=f"{self.part}-table")
        self.data: Any = None
        self.filter_text = ""
        self.total = 0
        self.shown_count = 0
        self.widths: dict[str, int] = {}
        self._fitted_for: tuple[int, int] | None = None
        self._cell_cache: dict[str, tuple[Any, ...]] = {}
        self.natural: dict[str, int] = {}

    def column_widths(self) -> tuple[dict[str, int], int]:
        """Each column's width for the pane's current width, and the gap between columns."""
        width = self.size.width - self.scrollbar_gutter.width  # the scrollbar is drawn over the content
        natural = [self.natural.get(column.label) for column in self.columns_spec]
        widths, gap = column_layout(self.columns_spec, width if self.size.width else 80, natural)
        return {column.label: width for column, width in zip(self.columns_spec, widths, strict=True)}, gap

    def fit_columns(self) -> None:
        """Size the columns to the pane's current width; cells made at another width are made again."""
        fitted_for = (self.size.width, self.scrollbar_gutter.width)
        if fitted_for == self._fitted_for:
            return
        self._fitted_for = fitted_for
        widths, gap = self.column_widths()
        if widths != self.widths or gap != self.gap:
            self.widths = widths
            self._cell_cache.clear()
            self.set_columns([(column.label, widths[column.label]) for column in self.columns_spec], gap)

    def render_lines(self, crop: Region) -> list[Strip]:
        self.fit_columns()
        return super().render_lines(crop)

    def get_row_at(self, index: int) -> Sequence[Cell]:
        self.fit_columns()
        return super().get_row_at(index)

    @property
    def pane(self) -> Pane:
        return self.parent  # type: ignore[return-value]

    # -- subclasses --------------------------------------------------------------------------

    def lines(self, data: Any) -> Iterable[Line]:
        """(row key, cells) for every row, already filtered by `self.filter_text`."""
        raise NotImplementedError

    def title_suffix(self) -> str:
        return ""

    def count(self, data: Any) -> int:
        return len(data or ())

    def natural_widths(self, data: Any) -> dict[str, int]:
        """The width of the longest cell of the columns whose room should follow their content, by label."""
        return {}

    def is_data_row(self, key: str) -> bool:
        """Whether a row is one of the rows counted (a heading row is not)."""
        return True

    def narrowed(self) -> bool:
        """Whether some rows are left out (a filter is typed), so the title counts "n of total"."""
        return bool(self.filter_text)

    def open_row(self, key: str) -> None:
        if self.entity:
            self.app.edit(self.entity, int(key))

    def new_row(self) -> None:
        entity = self.entity
        if entity:
            self.app.with_integration(f"add the {entity}", lambda iid: self.app.edit(entity, None, integration_id=iid))

    def delete_row(self, key: str) -> None:
        if self.entity:
            self.app.delete(self.entity, int(key))

    # -- showing -----------------------------------------------------------------------------

    def show(self, data: Any) -> None:
        self.data = data
        self.natural = self.natural_widths(data)
        self._fitted_for = None
        self.rebuild()

    def row(self, key: str, build: Callable[[], tuple[Any, ...]]) -> Line:
        """A row whose cells `build` makes from `self.widths` when the row is first drawn at a width."""
        return key, partial(self.cells, key, build)

    def cells(self, key: str, build: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
        """A row's cells, built once per data load and pane width, so filtering only picks rows."""
        found = self._cell_cache.get(key)
        if found is None:
            found = self._cell_cache[key] = build()
        return found

    def matches(self, *texts: Any) -> bool:
        needle = self.filter_text.lower()
        return not needle or any(needle in str(text).lower() for text in texts if text)

    def rebuild(self, same_data: bool = False) -> None:
        """Redraw every row, keeping the cursor on its row and that row on screen (rows added above it
        by another process push the view along rather than the cursor out of it)."""
        if self.data is None:
            return
        if not same_data:
            self._cell_cache.clear()
        key = self.selected_key()
        screen_line = self.cursor_row - round(self.scroll_y)
        rows = list(self.lines(self.data))
        self.set_rows(rows)
        self.total = self.count(self.data)
        self.shown_count = sum(1 for key, _ in rows if self.is_data_row(key))
        if key is not None and self.has_key(key):
            self.keep_cursor(self.get_row_index(key), screen_line)
        if isinstance(self.parent, Pane):
            self.pane.update_title()

    def on_row_list_chosen(self, event: RowList.Chosen) -> None:
        event.stop()
        self.open_row(event.key)

    # -- actions -----------------------------------------------------------------------------

    def action_open(self) -> None:
        key = self.visible_selected_key()
        if key is not None:
            self.open_row(key)

    def action_new(self) -> None:
        self.new_row()

    def action_delete(self) -> None:
        key = self.visible_selected_key()
        if key is not None:
            self.delete_row(key)

    def action_filter(self) -> None:
        self.pane.show_filter()

    def action_clear_filter(self) -> None:
        if self.filter_text or self.pane.filtering:
            self.pane.clear_filter()
        elif self.screen.maximized is not None:
            self.screen.minimize()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.rebuild(same_data=True)


class Pane(Vertical):
    """A numbered, bordered frame around one PaneTable, maximizable with `z`."""

    ALLOW_MAXIMIZE = True

    def __init__(self, table: PaneTable) -> None:
        super().__init__(id=table.part, classes="pane")
        self.table = table
        self.filter_input: Input | None = None

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.update_title()

    @property
    def filtering(self) -> bool:
        return self.filter_input is not None and self.filter_input.display

    def update_title(self) -> None:
        table = self.table
        title = f"{table.number} {table.title}"
        counts = f"{table.shown_count} of {table.total}" if table.narrowed() else f"{table.total}"
        self.border_title = plain_line(f"{title} ({counts}){table.title_suffix()}")
        self.border_subtitle = plain_line(f"/{table.filter_text}") if table.filter_text else ""

    def show_filter(self) -> None:
        """The filter line is mounted the first time it is needed: five idle inputs slow the first paint."""
        if self.filter_input is None:
            self.filter_input = Input(placeholder="filter…", id=f"{self.table.part}-filter", classes="pane-filter")
            self.mount(self.filter_input)
        self.filter_input.display = True
        self.filter_input.focus()

    def clear_filter(self) -> None:
        if self.filter_input is not None:
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
            event.input.display = False
        self.table.focus()

    def on_key(self, event) -> None:
        if event.key == "escape" and self.filter_input is not None and self.filter_input.has_focus:
            event.stop()
            self.clear_filter()
