"""Five planning screens on one workspace while another process adds 20 notes a second for a minute.

Targets: no write lost, no "database is locked" anywhere, every note visible
on every screen within 1 s of its commit (median, p95 and max printed per screen).

Run from the repository root:
    python -m tests.benchmarks.bench_load [--screens 5] [--rate 20] [--seconds 60]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.load import run_load


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, default=5)
    parser.add_argument("--rate", type=float, default=20.0, help="notes written per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        made = subprocess.run(
            [sys.executable, "-m", "tui", "demo", "--no-open"], cwd=folder, capture_output=True, text=True
        )
        if made.returncode != 0:
            print(made.stderr, file=sys.stderr)
            return 1
        db = Path(folder) / "data" / "demo.db"
        print(f"{args.screens} screens, {args.rate:g} notes/s for {args.seconds:g} s", flush=True)
        report = run_load(db, Path(folder) / "run", args.screens, args.rate, args.seconds)
        print(report.summary())
        worst = max(report.latencies, default=float("inf"))
        missing = sum(len(screen.missing) for screen in report.screens)
        ok = report.lost == 0 and not report.locked and not report.writer_errors and missing == 0 and worst <= 1.0
        print(f"target (0 lost, 0 locked, all shown, max <= 1 s): {'met' if ok else 'NOT met'}")
        for index, screen in enumerate(report.screens, start=1):
            for problem in screen.problems:
                print(f"screen {index}: {problem}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
