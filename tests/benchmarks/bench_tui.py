"""How the planning screen copes with a large workspace (5 integrations x 1,000 tables x 20,000 columns).

Prints, from one run on a freshly generated workspace:

- time to first full paint, headless, of the `dayone` command's start-up against a bare Textual app
  (Header, Static, Footer); each measured in its own process from interpreter start, alternating,
  median of several runs; then when the same screen shows how each agreement is enforced (read last);
- the median cost of one filter keystroke in the tables pane (table and column names, 20,000 columns):
  re-filtering plus repainting the pane's visible lines;
- peak resident memory of a process that opens the screen, filters, opens a table and switches integration.

    python tests/benchmarks/bench_tui.py [--runs 5] [--keep PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.large_workspace import build  # noqa: E402
from tests.benchmarks.timing import reported  # noqa: E402

SIZE = (160, 45)
TARGET_PAINT_RATIO = 1.5
TARGET_KEYSTROKE_MS = 30.0
TARGET_MEMORY_MIB = 200.0

# Both apps are timed the same way, from interpreter start: an autopilot (started once the first
# screen is ready) waits until the screen is complete, then notes the time after the next refresh.
TIMING = """
import asyncio


async def autopilot(pilot):
    app = pilot.app
    while not complete(app):
        await asyncio.sleep(0.002)
    painted = asyncio.Event()
    app.call_after_refresh(painted.set)
    await painted.wait()
    app.elapsed = time.perf_counter() - started
    while not late(app):
        await asyncio.sleep(0.002)
    painted = asyncio.Event()
    app.call_after_refresh(painted.set)
    await painted.wait()
    app.late = time.perf_counter() - started
    app.exit()
"""

BARE_APP = (
    """
import time
started = time.perf_counter()
import json
from textual.app import App
from textual.widgets import Footer, Header, Static
"""
    + TIMING
    + """

class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()


def complete(app):
    return True


def late(app):
    return True


app = Bare()
app.run(headless=True, size=(160, 45), auto_pilot=autopilot)
print(json.dumps({"full": app.elapsed, "late": app.late}))
"""
)

# The `dayone` command's own start-up: parse the command line, start reading the integration, import
# Textual and build the app (cli.open_app), then run it headless instead of in the terminal.
DAYONE_APP = (
    """
import time
started = time.perf_counter()
import json
import sys
from tui.cli import build_parser, open_app
"""
    + TIMING
    + """

def complete(app):
    from tui.overview import LATE_PARTS, PARTS

    return set(PARTS) - set(LATE_PARTS) <= set(app.data) and app.screen.tables["tables"].row_count > 0


def late(app):
    from tui.overview import LATE_PARTS

    return set(LATE_PARTS) <= set(app.data)


app = open_app(build_parser().parse_args(sys.argv[1:]))
app.run(headless=True, size=(160, 45), auto_pilot=autopilot)
print(json.dumps({"full": app.elapsed, "late": app.late}))
"""
)

MEMORY_RUN = """
import asyncio
import json
import resource
import sys
from tui.app import DayoneApp
from tui.overview import PARTS


async def main():
    app = DayoneApp(sys.argv[1], checklists=sys.argv[2], integration="Service 1")
    async with app.run_test(size=(160, 45)) as pilot:
        async def loaded():
            while not (set(PARTS) <= set(app.data) and app.screen.tables["tables"].row_count):
                await pilot.pause(0.01)
        await loaded()
        await pilot.press("4", "slash", *"field_04")
        await pilot.press("escape", "enter")
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        ids = [row["id"] for row in app.workspace.integrations()]
        app.data.clear()
        app.integration_id = ids[1]
        await loaded()
    print(json.dumps({"peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


asyncio.run(main())
"""


def run_json(code: str, *args: str) -> dict:
    # Bytecode may be written, as for an installed app: Textual's own modules come compiled from their
    # install, and with PYTHONDONTWRITEBYTECODE set dayone alone would compile its modules on every run.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
        timeout=300,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def first_paint(db: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """Bare first paints, `dayone` first full paints, and when `dayone` then shows how agreements are enforced."""
    command = ["--db", str(db), "--integration", "Service 1"]
    bare, full, late = [], [], []
    run_json(BARE_APP)  # warm the file and bytecode caches for both, so neither pays for a cold start alone
    run_json(DAYONE_APP, *command)
    for _ in range(runs):
        bare.append(run_json(BARE_APP)["full"])
        timed = run_json(DAYONE_APP, *command)
        full.append(timed["full"])
        late.append(timed["late"])
    return bare, full, late


async def keystrokes(db: Path, checklists: Path) -> tuple[list[float], int]:
    from textual.geometry import Region

    from tui.app import DayoneApp
    from tui.overview import PARTS

    app = DayoneApp(db, checklists=checklists, integration="Service 1")
    timings: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        while not (set(PARTS) <= set(app.data) and app.screen.tables["tables"].row_count):
            await pilot.pause(0.01)
        await pilot.press("4", "slash")
        table = app.screen.tables["tables"]
        columns = sum(summary.column_count for summary in app.data["tables"])
        for word in ("field_0412_1", "table_09", "app3.table_05", "updated", "id", "zzz", "field_9"):
            for end in range(1, len(word) + 1):
                started = time.perf_counter()
                table.set_filter(word[:end])
                table.render_lines(Region(0, 0, table.size.width, table.size.height))
                timings.append((time.perf_counter() - started) * 1000)
            table.set_filter("")
        await pilot.press("escape")
    return timings, columns


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="first-paint runs per app (default 5)")
    parser.add_argument("--keep", metavar="PATH", help="reuse or keep the generated workspace at PATH")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = Path(args.keep) if args.keep else Path(folder) / "large.db"
        checklists = db.parent / f"{db.stem}-checklists"
        if not db.exists():
            with reported(f"generated {db.name}"):
                build(db)

        bare, full, late = first_paint(db, args.runs)
        ratio = statistics.median(full) / statistics.median(bare)
        print(
            f"first paint, bare Textual app:     median {statistics.median(bare) * 1000:6.0f} ms  "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in bare)})"
        )
        print(
            f"first full paint of `dayone` (every pane filled, 1,000 tables): median "
            f"{statistics.median(full) * 1000:6.0f} ms  ratio {ratio:.2f}x (target <= {TARGET_PAINT_RATIO}x)  "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in full)})"
        )
        print(
            "then how each agreement is enforced (Enforced column, header, checklist marks): median "
            f"{statistics.median(late) * 1000:6.0f} ms from start  (runs: {', '.join(f'{t * 1000:.0f}' for t in late)})"
        )

        timings, columns = asyncio.run(keystrokes(db, checklists))
        median = statistics.median(timings)
        print(
            f"filter keystroke over {columns:,} columns: median {median:.1f} ms, "
            f"p90 {statistics.quantiles(timings, n=10)[-1]:.1f} ms, max {max(timings):.1f} ms, "
            f"{len(timings)} keystrokes (target median <= {TARGET_KEYSTROKE_MS:.0f} ms), "
            f"ratio {median / TARGET_KEYSTROKE_MS:.2f} of target"
        )

        peak = run_json(MEMORY_RUN, str(db), str(checklists))["peak_kib"] / 1024
        print(
            f"peak RSS (open, filter, table detail, switch integration): {peak:.0f} MiB "
            f"(target <= {TARGET_MEMORY_MIB:.0f} MiB), ratio {peak / TARGET_MEMORY_MIB:.2f} of target"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
