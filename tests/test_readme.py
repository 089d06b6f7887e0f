"""The README stays true: its key tables come from tui/keys.py, every command is documented, and its table of
exports is the list of formats."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tui.cli import build_parser
from tui.export_formats import FORMATS

ROOT = Path(__file__).resolve().parent.parent


def test_the_key_tables_match_the_bindings() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_keys.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command").choices
    for name in commands:
        assert f"`dayone {name}" in readme, name


def test_the_table_of_exports_is_the_list_of_formats() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| `--format` | writes | for |") :].split("\n\n", 1)[0].splitlines()[2:]
    rows = [re.match(r"\| `([^`]+)`( \(default\))? \| ([^|]+) \|", line) for line in table]
    assert all(rows), table
    assert [row[1] for row in rows if row] == list(FORMATS)
    for row in rows:
        assert row is not None
        for ending in FORMATS[row[1]].endings:
            assert f"{ending}`" in row[3], (row[1], ending)
    assert [row[1] for row in rows if row and row[2]] == [build_parser().parse_args(["export"]).format]
