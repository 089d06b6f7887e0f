"""The ODCS export of one integration of 5,000 tables (100,000 columns) against its Markdown export, in one run.

Run from the repository root:

    python -m tests.benchmarks.bench_odcs

Both are rendered in process from the same workspace, best of three runs each, and the ratio is printed.
The target: the ODCS contract within 2x the time of the Markdown contract.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.benchmarks.large_workspace import one_integration
from tests.benchmarks.timing import best_of, load
from tui.export import Options, render
from tui.store import Workspace

TABLES = 5_000
TARGET_RATIO = 2.0
RUNS = 3


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        database = one_integration(Path(folder), TABLES)
        with Workspace.open(database, author="bench") as workspace:
            integration = workspace.integrations()[0]
            options = Options(today="2026-11-21")
            sizes = {}

            def export(fmt: str) -> None:
                sizes[fmt] = len(render(workspace, integration, fmt, options).text)

            markdown = best_of(RUNS, lambda: export("markdown"))
            odcs = best_of(RUNS, lambda: export("odcs"))
    ratio = odcs / markdown
    print(f"markdown: {markdown:.3f} s ({sizes['markdown'] / 1e6:.1f} MB)")
    print(f"odcs:     {odcs:.3f} s ({sizes['odcs'] / 1e6:.1f} MB)")
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"odcs / markdown: {ratio:.2f}x ({verdict} the {TARGET_RATIO:.0f}x target; {load()})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
