"""Helpers for pilot tests: let workers and refreshes finish instead of sleeping; pin times for snapshots."""

from __future__ import annotations

import time
from collections.abc import Callable


async def until(pilot, condition: Callable[[], object], timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds, failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


async def settle(pilot) -> None:
    """Let messages, workers and the refresh after a save all finish."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def settle_for_snapshot(pilot) -> None:
    """Settle, then give footers under a modal a moment to redraw their keys before the picture is taken."""
    await settle(pilot)
    await pilot.pause(0.3)
    await settle(pilot)


def pin_times(ws) -> None:
    """Replace the load-time timestamps with fixed ones so that screenshots repeat."""
    ws.conn.execute("UPDATE checklist_items SET updated_at = '2026-11-20T15:04:00+00:00'")
    ws.conn.execute("UPDATE changes SET at = '2026-11-20T15:04:00+00:00'")
