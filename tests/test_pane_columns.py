"""How the panes share their width among columns: enum values stay whole, text columns give way first."""

from __future__ import annotations

import pytest

from tui.widgets.pane import Column, column_layout
from tui.widgets.panes import ChecklistTable, MetricsTable, NotesTable, StakeholdersTable, TablesTable

PANES = (StakeholdersTable, MetricsTable, ChecklistTable, TablesTable, NotesTable)


def used(widths: list[int], gap: int) -> int:
    return 2 + sum(widths) + gap * (len(widths) - 1)


def test_a_wide_pane_gives_fixed_columns_their_width_and_shares_the_rest() -> None:
    columns = (Column("Metric", -3, 12), Column("Priority", 8, 6), Column("Status", 14, 14), Column("Data", -1, 10))
    widths, gap = column_layout(columns, 100)
    assert gap == 2
    assert widths[1:3] == [8, 14]
    assert used(widths, gap) == 100
    assert widths[0] == pytest.approx(3 * widths[3], abs=2)


def test_a_narrow_pane_narrows_the_gap_then_text_columns_before_enum_values() -> None:
    columns = MetricsTable.columns_spec
    widths, gap = column_layout(columns, 54)
    assert gap == 1
    named = dict(zip([column.label for column in columns], widths, strict=True))
    assert named["Status"] == len("data available") and named["When"] == len("month 1")
    assert named["Priority"] >= len("should")
    assert used(widths, gap) <= 54


@pytest.mark.parametrize("pane", PANES, ids=lambda pane: pane.part)
def test_every_width_fits_and_keeps_minimums_while_they_fit(pane) -> None:
    columns = pane.columns_spec
    for width in range(8, 240):
        widths, gap = column_layout(columns, width)
        assert all(value >= 1 for value in widths), width
        if width >= 2 + len(columns) * 1 + len(columns) - 1:
            assert used(widths, gap) <= width, width
        if used([column.minimum for column in columns], 1) <= width:
            assert all(value >= column.minimum for value, column in zip(widths, columns, strict=True)), width
