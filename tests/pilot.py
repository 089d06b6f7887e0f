"""Helpers for pilot tests: let workers and refreshes finish instead of sleeping; pin times for snapshots."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.command import CommandList, CommandPalette

# How long a condition may take before the test fails. Generous on purpose: waits end as soon as the condition holds,
# so the bound only matters on a machine under load, and latency targets are measured in tests/benchmarks/.
PATIENCE = 30.0


async def until(pilot, condition: Callable[[], object], timeout: float = PATIENCE) -> None:
    """Let the app run until `condition()` holds, failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met in time; {what_the_app_shows(pilot.app)}")
        await pilot.pause(0.05)


def what_the_app_shows(app) -> str:
    """The screen on top and the notifications still shown, so that a wait that timed out says where it stood."""
    notes = [str(note.message) for note in app._notifications]
    return f"screen {type(app.screen).__name__}, notifications {notes}"


async def click(pilot, selector: str) -> None:
    """Click the widget `selector` names where it is drawn now, and fail if the click lands elsewhere.

    `pilot.click` reads the widget's place before it lets the app run, so a click straight after a change of layout
    (an error line appearing above a button) can land where the widget used to be. Letting the app settle first
    makes the place current.
    """
    for _ in range(2):
        await pilot.pause()
    assert await pilot.click(selector), f"the click meant for {selector} landed on another widget"


async def settle(pilot) -> None:
    """Let messages, workers and the refresh after a save all finish."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def settle_for_snapshot(pilot) -> None:
    """Settle twice: what the first round draws (footers under a modal repaint their keys) posts more messages."""
    await settle(pilot)
    await settle(pilot)


async def run_command(pilot, typed: str, title: str) -> None:
    """Open the command palette, type `typed`, and once the highlighted command is `title`, run it."""
    await pilot.press("ctrl+p", *typed)

    def offered() -> bool:
        screen = pilot.app.screen
        if not isinstance(screen, CommandPalette):
            return False
        commands = screen.query_one(CommandList)
        if commands.highlighted is None:
            return False
        return str(commands.get_option_at_index(commands.highlighted).prompt).startswith(title)

    await until(pilot, offered)
    await pilot.press("enter")


def pin_times(ws) -> None:
    """Replace the load-time timestamps with fixed ones so that screenshots repeat."""
    ws.conn.execute("UPDATE checklist_items SET updated_at = '2026-11-20T15:04:00+00:00'")
    ws.conn.execute("UPDATE changes SET at = '2026-11-20T15:04:00+00:00'")


def _key_event(key: str):
    """The Key event a terminal sends for a key name or a character, as `pilot.press` makes it."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def burst(pilot, *keys: str) -> None:
    """Send keys all at once, as a fast typist or a terminal replaying them does: none waits for the one before."""
    driver = pilot.app._driver
    for key in keys:
        event = _key_event(key)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot)


async def type_slowly(pilot, *keys: str, pauses: tuple[float, ...] = (0.12, 0.3, 0.18, 0.25)) -> None:
    """Type as a person does: one key, then a pause of 120-300 ms, the pauses taken in turn."""
    for number, key in enumerate(keys):
        await pilot.press(key)
        await pilot.pause(pauses[number % len(pauses)])


async def paste(pilot, text: str) -> None:
    """A bracketed paste from the terminal."""
    from textual import events

    event = events.Paste(text)
    event.set_sender(pilot.app)
    pilot.app._driver.send_message(event)
    await settle(pilot)
