"""Running `dayone check` as CI does, and reading what it found back from its JSON report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from check_data import VIOLATIONS, plan
from commands import dayone

from tui.checklists import Checklist
from tui.plan import load_plan
from tui.store import Workspace


def shop_workspace(folder: Path, checklist: Checklist, dialect: str) -> Path:
    """A workspace holding the shop's agreed contract for one engine."""
    path = folder / "workspace.db"
    with Workspace.open(path, author="tester", checklist=checklist) as ws:
        load_plan(ws, plan(dialect), "shop.yaml")
    return path


def run_check(folder: Path, *args: str, timeout: float = 120) -> tuple[Any, dict[str, Any] | None]:
    """`dayone check ... --json report.json`: the finished process and the report (None when none was written)."""
    report = folder / "report.json"
    report.unlink(missing_ok=True)
    done = dayone(folder, "check", *args, "--json", str(report), timeout=timeout)
    return done, json.loads(report.read_text(encoding="utf-8")) if report.exists() else None


def found(report: dict[str, Any]) -> dict[str, int | None]:
    """`rule table.column` -> violations, for every rule that failed or warned."""
    result = {}
    for rule in report["rules"]:
        if rule["status"] in ("fail", "warn"):
            where = rule["table"] + (f".{rule['column']}" if rule["column"] else "")
            result[f"{rule['rule']} {where}"] = rule["violations"]
    return result


def expected_violations(dialect: str) -> dict[str, int]:
    """The injected breaks an engine can hold (only SQLite keeps a time stamp without its zone in a zoned column)."""
    return {key: count for key, count in VIOLATIONS.items() if dialect == "sqlite" or not key.startswith("time zone")}
