"""A hostile corpus: text that tries to be code on a terminal, and the checks that it stayed text.

Each payload goes into every text field of a plan; the plan is written with yaml.safe_dump, which writes
control characters as escapes, so the workspace holds them raw.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

PAYLOADS = [
    "wipe \x1b[2J\x1b[H screen",
    "clip \x1b]52;c;SGVsbG8gd29ybGQ=\x07 board",
    "hidden \x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\ here",
    "c1 \x9b31m red \x9dosc\x9c end",
    "bell \x07 del \x7f nul \x00 back \x08 cr \r end",
    "Lead [interim]",
    "[@click=app.quit]QUIT[/]",
    "close [/] tag",
    "[link=file:///etc/passwd]passwd[/link]",
    "[bold red]loud[/] [$accent]var[/]",
    "rtl \u202egnp.exe\u202c done",
]
# Every payload at once, for one walk through the screens that meets all of them.
ALL = " | ".join(PAYLOADS)
# What must read literally wherever a payload is shown (the markup-looking ones).
LITERAL = ["Lead [interim]", "[@click=app.quit]QUIT[/]", "close [/] tag", "[link=file:///etc/passwd]passwd[/link]"]

# Bytes and characters that must never reach a terminal from data: ESC, BEL, the other C0 controls but
# newline, carriage return and tab (the terminal's own output uses those), DEL and C1.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def forbidden_in(text: str) -> list[str]:
    """The forbidden characters of `text`, as their escapes, for an assertion message."""
    return sorted({repr(found) for found in _FORBIDDEN.findall(text)})


def hostile_plan(payloads: Sequence[str] = (*PAYLOADS, ALL)) -> str:
    """A plan whose every text field holds a payload (names made unique with a number); the last integration's
    fields hold every payload at once."""
    integrations = []
    for index, payload in enumerate(payloads):
        tag = f"{payload} #{index}"
        integrations.append(
            {
                "name": tag,
                "source": payload,
                "description": payload,
                "contract_version": payload,
                "stakeholders": [
                    {"name": tag, "contact": payload, "responsibilities": payload, "role": "data engineer"},
                ],
                "metrics": [{"name": tag, "question": payload, "requested_by": tag, "needs": ["s.t.c"]}],
                "checklist": {"logistics.product_owner": {"answer": payload, "owner": tag}},
                "tables": [
                    {
                        "schema": payload.replace(".", ","),
                        "name": tag.replace(".", ","),
                        "description": payload,
                        "kind": payload,
                        "retention": payload,
                        "columns": [
                            {
                                "name": tag.replace(".", ","),
                                "type": payload,
                                "description": payload,
                                "default": payload,
                                "check": payload,
                                "values": {payload: payload},
                                "classification": payload,
                            }
                        ],
                    },
                    {"schema": "s", "name": "t", "columns": [{"name": "c", "description": payload}]},
                ],
                "notes": [
                    {"text": payload, "author": tag, "kind": "question"},
                    {"text": f"todo {payload}", "kind": "todo", "about": "checklist:logistics.product_owner"},
                ],
            }
        )
    return yaml.safe_dump({"dayone": 1, "integrations": integrations}, allow_unicode=True, sort_keys=False)


def run_in_pty(cwd: Path, *args: str, timeout: float = 60, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run `dayone ARGS` with a terminal for its stdout and stderr; the raw bytes it wrote, decoded strictly."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "DAYONE_USER": "tester", "COLUMNS": "200", **(env or {})},
    )
    os.close(slave)
    output = bytearray()
    try:
        while True:
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                process.kill()
                raise TimeoutError(f"dayone {' '.join(args)} wrote nothing for {timeout} s")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(master)
    return process.wait(timeout), output.decode("utf-8")


def hostile_ddl() -> str:
    """PostgreSQL DDL whose table and column comments hold the payloads (a DDL file holds no NUL)."""

    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''").replace("\x00", "") + "'"

    columns = ", ".join(f"c{index} text" for index in range(len(PAYLOADS)))
    lines = [f"CREATE TABLE audit.events (id bigint PRIMARY KEY, {columns});"]
    lines += [
        f"COMMENT ON COLUMN audit.events.c{index} IS {quoted(payload)};" for index, payload in enumerate(PAYLOADS)
    ]
    lines.append(f"COMMENT ON TABLE audit.events IS {quoted(' '.join(PAYLOADS))};")
    return "\n".join(lines) + "\n"
