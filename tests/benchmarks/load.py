"""Several planning screens on one workspace file while another process writes notes at a steady rate.

Each screen is its own process running the app headless; it watches its notes
strip (the rows the widget shows, not the database) and records when each new
note first appears. The writer records when each note committed. Comparing the
two gives the latency from commit to visible per screen; the database and
every process's errors and notifications give lost writes and lock errors.

Used by `bench_load.py` (five screens, a minute) and `tests/test_load.py` (two
screens, a few seconds). Run as a script it is one of those processes:
    python load.py screen DB OUT.json READY STOP
    python load.py writer DB OUT.json RATE SECONDS
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

NOTE = "load note {n}"
NOTE_PATTERN = re.compile(r"load note (\d+)")
ROWS_WATCHED = 80
SCREEN_SIZE = (160, 45)


# -- the processes ---------------------------------------------------------------------------


async def watch_screen(db: str, out: str, ready: str, stop: str) -> None:
    from tui.app import DayoneApp

    seen: dict[int, float] = {}
    problems: list[str] = []

    class WatchedApp(DayoneApp):
        def notify(self, message, *, title="", severity="information", **kwargs):
            if severity != "information" or "locked" in f"{title} {message}".lower():
                problems.append(f"{severity}: {title}: {message}")
            super().notify(message, title=title, severity=severity, **kwargs)

    app = WatchedApp(db)
    try:
        async with app.run_test(size=SCREEN_SIZE) as pilot:
            while not getattr(app.screen, "tables", None) or app.screen.tables["notes"].row_count == 0:
                await pilot.pause(0.05)
            Path(ready).touch()
            notes = app.screen.tables["notes"]
            while not Path(stop).exists():
                now = time.time()
                before = len(seen)
                for index in range(min(notes.row_count, ROWS_WATCHED)):
                    found = NOTE_PATTERN.search(str(notes.get_row_at(index)[-1]))
                    if found and int(found[1]) not in seen:
                        seen[int(found[1])] = now
                if len(seen) != before:
                    _write_atomically(Path(out + ".count"), str(len(seen)))
                await pilot.pause(0.02)
    except Exception as error:  # the harness reports whatever stopped the app
        problems.append(f"app stopped: {error!r}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(out).write_text(json.dumps({"seen": seen, "problems": problems, "cpu": usage.ru_utime + usage.ru_stime}))


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(text)
    partial.replace(path)


def _seen_so_far(out: Path) -> int:
    """How many notes a screen has shown so far, as it last reported."""
    try:
        return int(Path(str(out) + ".count").read_text())
    except (FileNotFoundError, ValueError):
        return 0


def write_notes(db: str, out: str, rate: float, seconds: float) -> None:
    from tui.store import Workspace

    committed: dict[int, float] = {}
    errors: list[str] = []
    with Workspace.open(db, author="writer", create=False) as ws:
        integration = ws.last_integration()
        began = time.monotonic()
        n = 0
        while n / rate < seconds:
            delay = began + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                ws.add_note(integration["id"], NOTE.format(n=n))
                committed[n] = time.time()
            except Exception as error:  # every failed write is counted, never hidden
                errors.append(f"note {n}: {error!r}")
            n += 1
    Path(out).write_text(json.dumps({"attempted": n, "committed": committed, "errors": errors}))


# -- the run ---------------------------------------------------------------------------------


@dataclass
class ScreenResult:
    latencies: list[float]
    missing: list[int]
    problems: list[str]
    cpu_seconds: float = 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(share * len(ordered)), len(ordered) - 1)] if ordered else float("nan")


@dataclass
class LoadReport:
    screens: list[ScreenResult]
    attempted: int
    committed: int
    in_database: int
    writer_errors: list[str]
    writing_span: float
    locked: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.attempted - self.in_database

    @property
    def latencies(self) -> list[float]:
        return [latency for screen in self.screens for latency in screen.latencies]

    def summary(self) -> str:
        lines = [
            f"writer: {self.attempted} notes attempted, {self.committed} committed, {self.in_database} in the "
            f"file, {self.lost} lost, {len(self.writer_errors)} errors; "
            f"{(self.committed - 1) / max(self.writing_span, 1e-9):.1f} writes/s achieved",
            f"'database is locked' seen: {len(self.locked)}",
        ]
        for index, screen in enumerate(self.screens, start=1):
            shown = len(screen.latencies)
            lines.append(
                f"screen {index}: {shown}/{self.committed} notes shown ({shown / max(self.committed, 1):.0%}), "
                f"commit to visible median {statistics.median(screen.latencies) * 1000:.0f} ms, "
                f"p95 {screen.percentile(0.95) * 1000:.0f} ms, max {max(screen.latencies) * 1000:.0f} ms, "
                f"{screen.cpu_seconds:.1f} s CPU, {len(screen.problems)} problems"
                if screen.latencies
                else f"screen {index}: nothing shown"
            )
        every = self.latencies
        if every:
            within = sum(1 for latency in every if latency <= 1.0) / len(every)
            lines.append(
                f"all screens: median {statistics.median(every) * 1000:.0f} ms, p95 "
                f"{sorted(every)[int(0.95 * (len(every) - 1))] * 1000:.0f} ms, max {max(every) * 1000:.0f} ms;"
                f" {within:.1%} within 1 s"
            )
        return "\n".join(lines)


def run_load(db: Path, folder: Path, screens: int, rate: float, seconds: float, grace: float = 30.0) -> LoadReport:
    """Open `screens` app processes on `db`, write notes at `rate` per second for `seconds`, collect what each saw.

    Once the writer is done, the screens run until each has shown every committed note, or for `grace` seconds at
    most; a note not shown by then counts as missing."""
    folder.mkdir(parents=True, exist_ok=True)
    script = str(Path(__file__).resolve())
    env = {**os.environ, "DAYONE_USER": "screen"}
    stop = folder / "stop"
    stop.unlink(missing_ok=True)
    watchers = []
    for index in range(screens):
        ready = folder / f"ready-{index}"
        ready.unlink(missing_ok=True)
        log = (folder / f"screen-{index}.log").open("w")
        watchers.append(
            (
                subprocess.Popen(
                    [
                        sys.executable,
                        script,
                        "screen",
                        str(db),
                        str(folder / f"screen-{index}.json"),
                        str(ready),
                        str(stop),
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                ),
                ready,
                log,
            )
        )
    try:
        deadline = time.monotonic() + 60
        while not all(ready.exists() for _, ready, _ in watchers):
            for index, (process, _, _) in enumerate(watchers):
                if process.poll() is not None:
                    log = (folder / f"screen-{index}.log").read_text(errors="replace")
                    raise RuntimeError(f"screen {index + 1} stopped before it was ready:\n{log[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("the screens were not ready within 60 s")
            time.sleep(0.1)
        writer = subprocess.run(
            [sys.executable, script, "writer", str(db), str(folder / "writer.json"), str(rate), str(seconds)],
            capture_output=True,
            text=True,
            env=env,
            timeout=seconds + 120,
        )
        if writer.returncode != 0:
            raise RuntimeError(f"the writer failed: {writer.stderr}")
        expected = len(json.loads((folder / "writer.json").read_text())["committed"])
        deadline = time.monotonic() + grace
        outs = [folder / f"screen-{index}.json" for index in range(screens)]
        while any(_seen_so_far(out) < expected for out in outs) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.touch()
        for process, _, log in watchers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()

    written = json.loads((folder / "writer.json").read_text())
    committed = {int(n): at for n, at in written["committed"].items()}
    with sqlite3.connect(db) as connection:
        in_database = connection.execute("SELECT count(*) FROM notes WHERE text LIKE 'load note %'").fetchone()[0]
    locked = [error for error in written["errors"] if "locked" in error.lower()] + [writer.stderr] * (
        "locked" in writer.stderr.lower()
    )
    results = []
    for index in range(screens):
        out = folder / f"screen-{index}.json"
        watched = json.loads(out.read_text()) if out.exists() else {"seen": {}, "problems": ["no result written"]}
        seen = {int(n): at for n, at in watched["seen"].items()}
        log_text = (folder / f"screen-{index}.log").read_text(errors="replace")
        problems = watched["problems"] + ([f"log: {log_text[-500:]}"] if "Traceback" in log_text else [])
        locked += [problem for problem in problems if "locked" in problem.lower()]
        locked += ["screen log mentions a locked database"] * ("database is locked" in log_text.lower())
        results.append(
            ScreenResult(
                [max(seen[n] - at, 0.0) for n, at in committed.items() if n in seen],
                sorted(n for n in committed if n not in seen),
                problems,
                watched.get("cpu", 0.0),
            )
        )
    span = max(committed.values()) - min(committed.values()) if committed else 0.0
    return LoadReport(results, written["attempted"], len(committed), in_database, written["errors"], span, locked)


def main(argv: list[str]) -> int:
    if argv[0] == "screen":
        asyncio.run(watch_screen(*argv[1:5]))
    elif argv[0] == "writer":
        write_notes(argv[1], argv[2], float(argv[3]), float(argv[4]))
    else:
        raise SystemExit(f"unknown role {argv[0]!r}: screen or writer")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
