"""The diff of two published versions of a 1,000-table contract (20,000 columns), in one run.

Run from the repository root:

    python -m tests.benchmarks.bench_diff

One integration of the large generated workspace is published, 100 of its columns are changed (types widened,
NOT NULL relaxed, value sets grown, descriptions rewritten) and it is published again. Timed, best of three:
reading both versions and classifying every change with the metrics and people it reaches, as `dayone diff
--from A --to B` does in process; and the whole `dayone diff --from A --to B --json` process. Target: the
in-process diff under 1 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.large_workspace import one_integration
from tests.benchmarks.timing import best_of, load
from tui.changes.report import build as build_diff
from tui.store import Workspace
from tui.versions import agreement_at, publish

TABLES = 1_000
CHANGED = 100
TARGET_SECONDS = 1.0
RUNS = 3
TODAY = "2026-12-02"


def change_columns(ws: Workspace, integration_id: int) -> None:
    """Change CHANGED columns, spread over the tables, four kinds of change in turn."""
    columns = ws.query(
        "SELECT c.id, c.type FROM columns c JOIN tables t ON t.id = c.table_id WHERE t.integration_id = ?"
        " ORDER BY c.id",
        (integration_id,),
    )
    step = max(len(columns) // CHANGED, 1)
    with ws.transaction():
        for number, row in enumerate(columns[::step][:CHANGED]):
            kind = number % 4
            if kind == 0:
                ws.update("column", row["id"], {"type": "text" if row["type"] != "text" else "varchar(10)"})
            elif kind == 1:
                ws.update("column", row["id"], {"nullable": True})
            elif kind == 2:
                ws.update("column", row["id"], {"value_set": {"a": "first", "b": "second", f"new{number}": "new"}})
            else:
                ws.update("column", row["id"], {"description": f"Rewritten description {number}"})


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        database = one_integration(Path(folder), TABLES)
        with Workspace.open(database, author="bench") as ws:
            integration = ws.integrations()[0]
            first, _ = publish(ws, integration, TODAY)
            change_columns(ws, integration["id"])
            second, _ = publish(ws, ws.get("integration", integration["id"]), TODAY)
            assert first is not None and second is not None
            found = {}

            def diff() -> None:
                old = agreement_at(ws, integration, first.version)
                new = agreement_at(ws, integration, second.version)
                found["diff"] = build_diff(
                    old, new, first.version, second.version, workspace=ws, integration=integration, today=TODAY
                )

            seconds = best_of(RUNS, diff)
        command = [sys.executable, "-m", "tui", "diff", "--db", str(database), "--from", first.version]
        command += ["--to", second.version, "--json"]
        process = best_of(RUNS, lambda: subprocess.run(command, capture_output=True, check=True, timeout=120))
    comparison = found["diff"]
    print(
        f"diff {first.version} → {second.version}: {len(comparison.changes)} changes ({comparison.bump}),"
        f" {sum(1 for change in comparison.changes if change.metrics)} touching metrics"
    )
    verdict = "within" if seconds < TARGET_SECONDS else "OVER"
    print(f"in process: {seconds:.3f} s ({verdict} the {TARGET_SECONDS:.0f} s target; {load()})")
    print(f"the whole `dayone diff --json` process: {process:.3f} s")
    return 0 if seconds < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
