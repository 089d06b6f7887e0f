"""The pane titles count rows, not headings, and say when the checklist shows only open items."""

from __future__ import annotations

from datetime import date

from pilot import settle

from tui.app import DayoneApp
from tui.enums import ItemStatus
from tui.widgets.pane import Pane
from tui.widgets.panes import ChecklistTable

TODAY = date(2026, 11, 21)


async def test_the_checklist_filter_count_leaves_out_section_rows_and_o_shows_in_the_title(demo_workspace):
    ws = demo_workspace
    items = ws.rows("item", "integration_id = ?", (ws.integration("Leaf ID")["id"],))
    matching = [item for item in items if "schema" in f"{item['question']} {item['key']} {item['answer']}".lower()]
    still_open = [item for item in items if not ItemStatus(item["status"]).settled]
    assert matching and len(still_open) < len(items)
    app = DayoneApp(ws.path, author="tester", integration="Leaf ID", today=TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        checklist = app.query_one(ChecklistTable)
        pane = app.query_one("#checklist", Pane)
        await pilot.press("3", "o")
        await settle(pilot)
        assert pane.border_title == f"3 Checklist ({len(still_open)} of {len(items)}) · open only"
        await pilot.press("o", "slash", *"schema", "enter")
        await settle(pilot)
        assert checklist.filter_text == "schema"
        row_keys = checklist.keys()
        shown = [key for key in row_keys if not key.startswith("s:")]
        assert len(shown) == len(matching)
        assert pane.border_title == f"3 Checklist ({len(matching)} of {len(items)})"
