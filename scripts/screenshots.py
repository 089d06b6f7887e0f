"""Render the README screenshots from the demo workspace: the main screen and the checklist review.

Writes docs/main-screen.svg and docs/review-mode.svg (and .png next to them when
rsvg-convert is installed). Today and the time zone are pinned so that the
pictures only change when the screens do.

    python scripts/screenshots.py [--out docs] [--size 160x45]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def shoot(db: Path, out: Path, size: tuple[int, int]) -> list[Path]:
    from tui.app import DayoneApp

    app = DayoneApp(db, author="demo")
    written = []
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        written.append(save(app, out / "main-screen.svg"))
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Walk to the first discussed item that has notes linked to it: the screen at its fullest.
        linked = {row[0] for row in app.workspace.query("SELECT item_id FROM notes WHERE NOT private")}
        review = app.screen
        for _ in range(len(review.items)):
            item = review.current
            if item and item["id"] in linked and item["status"] == "discussing":
                break
            await pilot.press("j")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        written.append(save(app, out / "review-mode.svg"))
    return written


def save(app, path: Path) -> Path:
    path.write_text(app.export_screenshot(title="dayone"), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for the pictures (default docs/)")
    parser.add_argument("--size", default="160x45", help="terminal size as COLUMNSxROWS (default 160x45)")
    args = parser.parse_args()
    try:
        columns, rows = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size: {args.size!r} is not COLUMNSxROWS, e.g. 160x45")
    os.environ.setdefault("DAYONE_TODAY", "2026-11-20")
    os.environ["TZ"] = "UTC"
    time.tzset()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from tui.checklists import load_checklist
    from tui.plan import load_plan
    from tui.resources import checklists_dir, demo_plan
    from tui.store import Workspace

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        with Workspace.open(db, author="demo", checklist=load_checklist(checklists_dir())) as ws:
            load_plan(ws, demo_plan().read_text(encoding="utf-8"), str(demo_plan()))
            ws.remember_integration(ws.integration("Leaf ID")["id"])
            # Review shows when an answer last changed: pinned, so the picture changes only when the screen does.
            ws.conn.execute("UPDATE checklist_items SET updated_at = '2026-11-20T15:04:00+00:00'")
        written = asyncio.run(shoot(db, out, (columns, rows)))
    converter = shutil.which("rsvg-convert")
    for svg in written:
        print(f"wrote {svg}")
        if converter:
            png = svg.with_suffix(".png")
            subprocess.run([converter, "--zoom", "1", str(svg), "-o", str(png)], check=True)
            print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
