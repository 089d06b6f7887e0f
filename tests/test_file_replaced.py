"""`dayone demo` run again while a screen shows the demo: the screen notices the new file, says so and uses it."""

from __future__ import annotations

import asyncio
from datetime import date

from commands import dayone
from pilot import settle, until

from tui.app import DayoneApp
from tui.store import Workspace

TODAY = date(2026, 11, 21)


async def test_a_screen_on_a_replaced_demo_file_reopens_it_and_writes_to_the_new_one(demo):
    path = demo / "data" / "demo.db"
    app = DayoneApp(path, author="tester", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        made = await asyncio.to_thread(dayone, demo, "demo", "--no-open")
        assert made.returncode == 0, made.stderr
        await until(pilot, lambda: any("replaced" in (n.title or "") for n in app._notifications), timeout=10)
        await settle(pilot)
        await pilot.press("5", "n", *"written after the new demo", "enter")
        await settle(pilot)
        assert app.is_running
    with Workspace.open(path, author="reader") as ws:
        assert len(ws.rows("note", "text = ?", ("written after the new demo",))) == 1
