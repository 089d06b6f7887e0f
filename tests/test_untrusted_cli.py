"""Hostile text through the `dayone` command: shown literally on a real terminal, never obeyed."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from commands import dayone
from hostile import LITERAL, PAYLOADS, forbidden_in, hostile_ddl, hostile_plan, run_in_pty

from tui.visible import VisibleFormatter, one_line, visible


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with data/dayone.db holding the hostile plan, a hostile DDL import and hostile notes."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "plan.yaml").write_text(hostile_plan(), encoding="utf-8")
    loaded = dayone(folder, "load", "plan.yaml")
    assert loaded.returncode == 0, loaded.stderr
    (folder / "hostile.sql").write_text(hostile_ddl(), encoding="utf-8")
    name = f"{PAYLOADS[0]} #0"
    imported = dayone(folder, "import-schema", "hostile.sql", "--dialect", "postgres", "--integration", name)
    assert imported.returncode == 0, imported.stderr
    for payload in PAYLOADS:
        if "\x00" in payload:  # the shell cannot pass a NUL; the plan above carries it
            continue
        noted = dayone(folder, "note", payload, "--integration", name)
        assert noted.returncode == 0, noted.stderr
    return folder


def test_placeholders_are_visible_and_keep_the_text() -> None:
    assert visible("a\x1b[2Jb") == "a␛[2Jb"
    assert visible("bell\x07") == "bell␇"
    assert visible("c1 \x9b31m") == "c1 \\x9b31m"
    assert visible("del\x7f") == "del␡"
    assert visible("rtl\u202e") == "rtl\\u202e"
    assert visible("lone \udc80") == "lone \\udc80"
    assert visible("two\nlines\tand a tab") == "two\nlines\tand a tab"
    assert one_line("two\nlines\r\n\tthree") == "two lines three"
    assert visible("Lead [interim] — ünïcode ✓") == "Lead [interim] — ünïcode ✓"
    for payload in PAYLOADS:
        assert not forbidden_in(visible(payload)), payload
        assert not forbidden_in(one_line(payload)), payload


@pytest.mark.parametrize(
    "command",
    [
        ["notes"],
        ["meetings"],
        ["findings", "--all", "--integration", f"{PAYLOADS[0]} #0"],
        ["note", "x", "--integration", "no such integration"],
        ["export", "--format", "minutes", "--integration", "no such integration"],
        ["findings", "--integration", f"{PAYLOADS[1]} #1"],
    ],
    ids=lambda command: command[0] if command[0] != "note" else "known-names-error",
)
def test_commands_show_hostile_text_literally_on_a_terminal(hostile: Path, command: list[str]) -> None:
    status, output = run_in_pty(hostile, *command)
    assert "Traceback" not in output
    assert status in (0, 2), output
    assert not forbidden_in(output), (command, forbidden_in(output))
    if command[0] == "notes":
        for literal in LITERAL:
            assert literal in output
        assert "␛[2J" in output and "\\x9b31m" in output
    if status == 2:
        assert len(output.strip().splitlines()) == 1, output
        assert "Lead [interim] #5" in output, "the known names are listed as they are"


def test_a_meeting_with_hostile_title_and_attendees(hostile: Path) -> None:
    name = f"{PAYLOADS[5]} #5"
    status, started = run_in_pty(
        hostile, "meeting", "start", PAYLOADS[0], "--attendee", name, "--integration", name, "--agenda", "logistics"
    )
    assert status == 0, started
    status, ended = run_in_pty(hostile, "meeting", "end", "--integration", name)
    assert status == 0, ended
    status, listed = run_in_pty(hostile, "meetings", "--integration", name)
    for output in (started, ended, listed):
        assert not forbidden_in(output), forbidden_in(output)
    assert "wipe ␛[2J␛[H screen" in started and "Lead [interim] #5" in started
    assert "wipe " in ended and "\\[2J" in ended, "the minutes are Markdown: their text is escaped"


def test_log_lines_show_control_characters() -> None:
    record = logging.LogRecord("dayone", logging.ERROR, __file__, 1, "could not %s", ("load \x1b[2J",), None)
    try:
        raise ValueError("bad \x1b]52;c;SGVsbG8=\x07")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = VisibleFormatter("%(levelname)s %(message)s").format(record)
    assert "could not load ␛[2J" in line and "bad ␛]52;c;SGVsbG8=␇" in line
    assert not forbidden_in(line)
