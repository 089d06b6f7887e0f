"""Export speed on the large generated workspace, and against datacontract-cli on the same contract.

Run from the repository root:

    python -m tests.benchmarks.bench_export

Figures, all measured in this run:
- rendering the Markdown contract of one integration (1,000 tables, 20,000 columns) in process, and of all five;
- the whole `dayone export` process for one integration and for the whole workspace;
- the whole `datacontract export markdown` process on the ODCS file dayone writes for that integration,
  and the ratio of the two processes. datacontract-cli is found through $DATACONTRACT_CLI, else on PATH;
  install it in a separate virtual environment (`pip install datacontract-cli`) so it does not touch ours.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.large_workspace import build
from tests.benchmarks.timing import best_of, cpu_of, load, reported
from tui.export import Options, render
from tui.store import Workspace

TARGET_SECONDS = 1.0
RUNS = 3


def run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.strip()[-500:]}")


def find_datacontract() -> str | None:
    return os.environ.get("DATACONTRACT_CLI") or shutil.which("datacontract")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with reported("built the large workspace"):
            database = build(root / "large.db")
        with Workspace.open(database, author="bench") as workspace:
            integrations = workspace.integrations()
            first = integrations[0]
            columns = workspace.query(
                "SELECT count(*) FROM columns WHERE table_id IN (SELECT id FROM tables WHERE integration_id = ?)",
                (first["id"],),
            )[0][0]
            options = Options(today="2026-11-21")

            def one_integration() -> None:
                render(workspace, first, "markdown", options)

            def every_integration() -> None:
                for row in integrations:
                    render(workspace, row, "markdown", options)

            one, one_cpu = best_of(RUNS, one_integration), cpu_of(RUNS, one_integration)
            one_load = load()
            every, every_cpu = best_of(RUNS, every_integration), cpu_of(RUNS, every_integration)
            every_load = load()
        print(
            f"markdown, one integration ({columns:,} columns), in process: {one:.3f} s wall, {one_cpu:.3f} s CPU "
            f"({'within' if one <= TARGET_SECONDS else 'OVER'} the {TARGET_SECONDS:.0f} s target; {one_load})"
        )
        print(
            f"markdown, all {len(integrations)} integrations, in process: {every:.3f} s wall, {every_cpu:.3f} s CPU "
            f"({'within' if every <= TARGET_SECONDS else 'OVER'} the {TARGET_SECONDS:.0f} s target; {every_load})"
        )

        dayone = [sys.executable, "-m", "tui", "--db", str(database), "export"]
        name = first["name"]
        process_one = best_of(RUNS, lambda: run([*dayone, "--integration", name, "-o", str(root / "one.md")], root))
        print(f"dayone export process, one integration: {process_one:.3f} s ({load()})")
        process_all = best_of(RUNS, lambda: run([*dayone, "-o", str(root)], root))
        print(f"dayone export process, whole workspace ({len(integrations)} files): {process_all:.3f} s ({load()})")

        odcs = root / "contract.odcs.yaml"
        run([*dayone, "--format", "odcs", "--integration", name, "-o", str(odcs)], root)
        datacontract = find_datacontract()
        if not datacontract:
            print("datacontract-cli not found (set DATACONTRACT_CLI or put `datacontract` on PATH): comparison skipped")
            return 0
        print(f"datacontract-cli: {datacontract}")
        output = root / "datacontract.md"
        theirs = best_of(
            RUNS, lambda: run([datacontract, "export", "markdown", str(odcs), "--output", str(output)], root)
        )
        print(f"datacontract export markdown process on the same contract: {theirs:.3f} s ({load()})")
        print(
            f"ratio datacontract-cli / dayone (whole processes, one integration): {theirs / process_one:.1f}x "
            f"({'dayone faster' if process_one < theirs else 'dayone SLOWER'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
