"""Hostile text on every screen of the app: nothing crashes, no control character is drawn, markup stays text.

The pilot tests read what the app draws (the segments of every line on screen); the last test runs `dayone` in
a pseudo-terminal and reads the bytes it sends to the terminal.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import shutil
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from hostile import ALL, LITERAL, PAYLOADS, forbidden_in, hostile_ddl, hostile_plan
from pilot import settle, until

from tui.app import DayoneApp
from tui.check.results import Result, Run, record_run
from tui.checklists import Checklist
from tui.enums import CheckStatus, Enforcement
from tui.importers.run import import_file
from tui.plan import load_plan
from tui.screens.main import MainScreen
from tui.store import Workspace

SIZE = (200, 50)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tui.checklists import load_checklist
    from tui.resources import checklists_dir

    folder = tmp_path_factory.mktemp("hostile-tui")
    path = folder / "hostile.db"
    (folder / "hostile.sql").write_text(hostile_ddl(), encoding="utf-8")
    with Workspace.open(path, author="tester", checklist=load_checklist(checklists_dir())) as ws:
        load_plan(ws, hostile_plan(), "hostile.yaml")
        for index, payload in enumerate([*PAYLOADS, ALL]):
            name = f"{payload} #{index}"
            import_file(ws, folder / "hostile.sql", "postgres", name)
            integration = ws.integration(name)
            ws.add_note(integration["id"], f"shell note {payload}")
        ws.conn.execute("UPDATE checklist_items SET why = ?, question = question || ?", (PAYLOADS[0], PAYLOADS[6]))
        ws.remember_integration(integration["id"])  # the one with every payload (its name holds a NUL)
    return path


def screen_text(app: DayoneApp) -> str:
    """Every line the app draws now, as the text of its segments (the terminal codes Textual adds are not in them)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_clean(app: DayoneApp, where: str) -> str:
    text = screen_text(app)
    assert not forbidden_in(text), (where, forbidden_in(text))
    return text


async def walk(pilot, key: str, where: str, *then: str) -> str:
    """Press `key`, let the screen it opens load, check what it draws, and close it with Escape."""
    app = pilot.app
    depth = len(app.screen_stack)
    await pilot.press(key)
    await settle(pilot)
    for more in then:
        await pilot.press(more)
        await settle(pilot)
    text = assert_clean(app, where)
    while len(app.screen_stack) > depth:
        await pilot.press("escape")
        await settle(pilot)
    return text


@pytest.mark.parametrize("index", [len(PAYLOADS), 5], ids=["every-payload-at-once", "lead-interim"])
async def test_every_screen_draws_hostile_text_as_text(hostile_db: Path, checklist: Checklist, index: int) -> None:
    payload = ALL if index == len(PAYLOADS) else PAYLOADS[index]
    name = f"{payload} #{index}"
    with Workspace.open(hostile_db, author="ci") as ws:
        # A check of the integration whose every text is the payload: what it found, its samples and its SQL.
        integration = ws.integration(name)
        table = ws.rows("table", "integration_id = ?", (integration["id"],))[0]
        found = Result(
            "value set",
            table["schema"],
            table["name"],
            payload,
            CheckStatus.FAIL,
            payload,
            3,
            (payload,),
            f"SELECT {payload}",
            Enforcement.CHECK,
        )
        record_run(
            ws,
            integration["id"],
            Run("2026-11-20T14:29:00+00:00", "2026-11-20T14:30:00+00:00", payload, "postgres", (found,)),
        )
    app = DayoneApp(hostile_db, author="tester", integration=name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app.data.get("tables") is not None)
        await settle(pilot)
        main = assert_clean(app, "main screen")
        if payload in LITERAL:
            assert name in main, "text from data reads as it was written"
        for number in "12345":
            await pilot.press(number)
            await walk(pilot, "enter", f"open from pane {number}")
            await walk(pilot, "d", f"delete from pane {number}")
        await pilot.press("4")
        await walk(pilot, "enter", "table detail", "down", "down")
        for key, where in (("r", "review"), ("c", "changes"), ("i", "picker"), ("m", "start meeting"), ("f1", "help")):
            await walk(pilot, key, where)
        await walk(pilot, "ctrl+p", "command palette", *"Switch")
        await walk(pilot, "e", "export preview")
        failures = await walk(pilot, "f", "check failures")
        if payload in LITERAL:
            assert f"SELECT {payload}" in failures, "the SQL reads as it was written"
        assert app.is_running and isinstance(app.screen, MainScreen)


async def test_typing_markup_into_filters_and_notes(hostile_db: Path) -> None:
    name = f"{PAYLOADS[5]} #5"
    app = DayoneApp(hostile_db, author="tester", integration=name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for number in "12345":
            await pilot.press(number, "slash", *"[/]")
            await settle(pilot)
            assert_clean(app, f"filter of pane {number}")
            assert "/[/]" in screen_text(app), "the filter is shown as typed"
            await pilot.press("escape", "escape")
            await settle(pilot)
        await pilot.press("n", *"[@click=app.quit]QUIT[/] and Lead [interim]", "enter")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        text = assert_clean(app, "notes pane")
        assert "[@click=app.quit]QUIT[/] and Lead [interim]" in text
        assert app.is_running


async def test_a_click_on_markup_in_a_name_does_nothing(hostile_db: Path) -> None:
    name = f"{PAYLOADS[6]} #6"  # [@click=app.quit]QUIT[/]
    app = DayoneApp(hostile_db, author="tester", integration=name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        clicked = 0
        for y, line in enumerate(lines):
            x = line.find("QUIT")
            if x >= 0:
                await pilot.click(offset=(x + 1, y))
                await settle(pilot)
                clicked += 1
        assert clicked, "the name is on screen"
        assert app.is_running and app.return_code is None


async def test_a_damaged_workspace_is_one_line_naming_the_file(tmp_path: Path, checklist: Checklist) -> None:
    path = tmp_path / "damaged.db"
    with Workspace.open(path, author="tester", checklist=checklist) as ws:
        load_plan(ws, hostile_plan(PAYLOADS[:2]), "hostile.yaml")
    size = path.stat().st_size
    with path.open("r+b") as handle:  # the second half: the schema still reads, the rows do not
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(b"\xa5" * (size - size // 2 // 4096 * 4096))
    app = DayoneApp(path, author="tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = [notification.message for notification in app._notifications]
        assert app.is_running, "reading the rows failed in a worker: the app goes on and says why"
        assert any(str(path) in message and "damaged" in message for message in shown), shown


# -- the raw bytes on a terminal --------------------------------------------------------------------------------


def _run_tui(db: Path, keys: list[bytes], first_drawn: bytes) -> tuple[int, bytes]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", str(db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "DAYONE_USER": "tester", "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()

    def read_for(seconds: float, until: bytes | None = None) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not (until and until in output):
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    output.extend(os.read(master, 65536))
                except OSError:
                    return

    try:
        read_for(60, until=first_drawn)  # the first paint, however loaded the machine is
        read_for(1)
        for key in keys:
            os.write(master, key)
            read_for(1.5)
        os.write(master, b"\x11")  # Ctrl+Q
        read_for(20, until=b"\x1b[?1049l")  # the terminal given back
        status = process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return status, bytes(output)


def test_no_escape_sequence_from_data_reaches_the_terminal(hostile_db: Path) -> None:
    keys = [b"2", b"/", b"[/]", b"\x1b", b"4", b"\r", b"\x1b", b"r", b"\x1b", b"c", b"\x1b"]
    status, raw = _run_tui(hostile_db, keys, first_drawn="␛[2J␛[H screen".encode())
    assert status == 0, raw[-2000:]
    text = raw.decode("utf-8")
    assert "Traceback" not in text
    for injected in (
        "\x1b[2J\x1b[H screen",
        "\x1b]52;c;SGVsbG8gd29ybGQ=",
        "\x1b]8;;https://evil.example/",
        "\x9b",
        "\x9d",
        "\x07 del",
        "\x7f nul",
        "\u202e",
    ):
        assert injected not in text, repr(injected)
    # Textual redraws only what changed, so only the first payload is sure to be written in one piece.
    assert "␛[2J␛[H screen" in text, "the payload is drawn with visible placeholders"


async def test_a_full_disk_at_commit_is_a_notification(tmp_path: Path, checklist: Checklist) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    point = tmp_path / "small"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        path = point / "work.db"
        with Workspace.open(path, author="tester", checklist=checklist) as ws:
            load_plan(ws, hostile_plan(PAYLOADS[:1]), "hostile.yaml")
        filler = os.open(point / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # leave room to open the workspace, not to write 300 kB into it
            while shutil.disk_usage(point).free > 160 * 1024 and os.write(filler, b"\0" * 4096):
                pass
        finally:
            os.close(filler)
        before = plan_dump(path)
        app = DayoneApp(path, author="tester")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            integration_id = app.integration_id
            app.save(lambda ws: ws.add_note(integration_id, "z" * 300_000), "add a long note")
            await settle(pilot)
            shown = [f"{notification.title} {notification.message}" for notification in app._notifications]
            assert app.is_running
            assert any(str(path) in message and "full" in message for message in shown), shown
        assert plan_dump(path) == before
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def plan_dump(path: Path) -> list[str]:
    """Everything in the file but who is here, which every running app writes beside the plan."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [line for line in connection.iterdump() if not line.startswith('INSERT INTO "presence"')]


async def test_pasted_control_characters_are_visible_in_what_is_typed(hostile_db: Path) -> None:
    from textual import events
    from textual.widgets import Input

    app = DayoneApp(hostile_db, author="tester", integration=f"{PAYLOADS[5]} #5")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "slash")
        await settle(pilot)
        assert isinstance(app.focused, Input)
        app.post_message(events.Paste("paste \x1b[2J\x1b]52;c;SGVsbG8=\x07 here"))
        await settle(pilot)
        assert app.focused.value == "paste ␛[2J␛]52;c;SGVsbG8=␇ here"
        assert_clean(app, "a filter after a paste")
