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


def test_a_name_column_with_room_to_spare_gives_it_to_flags_and_references() -> None:
    columns = TablesTable.columns_spec
    natural = [14, None, None, 24, 8, 30]  # short names, long flags and references
    widths, gap = column_layout(columns, 110, natural)
    named = dict(zip([column.label for column in columns], widths, strict=True))
    assert named["Flags"] >= 24 and named["References"] >= 30
    assert named["Table"] >= 14
    assert used(widths, gap) == 110


def test_when_everything_is_cut_the_shares_stay_as_they_were() -> None:
    columns = TablesTable.columns_spec
    natural = [200, None, None, 200, 200, 200]
    assert column_layout(columns, 100, natural) == column_layout(columns, 100)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 35), (200, 50)])
async def test_the_tables_pane_cuts_flags_and_references_only_when_no_column_has_room(demo_workspace, size) -> None:
    from datetime import date

    from pilot import settle

    from tui.app import DayoneApp

    app = DayoneApp(demo_workspace.path, author="tester", integration="Leaf ID", today=date(2026, 11, 21))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("4", "z")  # zoomed, so that every size gives the pane some room
        await settle(pilot)
        tables = app.query_one(TablesTable)
        widths = tables.widths
        natural = tables.natural
        spare = widths["Table"] > max(natural["Table"], 10)
        for flag_width_needed in (natural["Flags"], natural["References"]):
            assert flag_width_needed > 0
        if natural["Flags"] > widths["Flags"] or natural["References"] > widths["References"]:
            assert not spare, (size, widths, natural)
        for index in range(tables.row_count):
            cells = tables.get_row_at(index)
            name = str(cells[0])
            assert not name.endswith("…") or widths["Table"] < natural["Table"]
