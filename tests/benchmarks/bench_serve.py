"""`dayone serve` under a crowd, and how soon a terminal sees who joined.

Prints, from one run on a fresh demo workspace:

- a flood: `--max-sessions 20`, then 30 websockets opened at once with valid seats: how many app processes ran,
  how many sockets were refused, the apps' total resident memory, and the process count after every socket closed;
- presence: a terminal (the app in tmux, 160x45) on the same file while tabs join one at a time through the server;
  for each, the time from its presence row being committed to the terminal's header naming it (target: 1 s).

    python tests/benchmarks/bench_serve.py [--joins 8]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import shlex
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from serving import Served  # noqa: E402

FLOOD = 30
LIMIT = 20
TARGET_SECONDS = 1.0
WEBSOCKET_URL = re.compile(r'data-session-websocket-url="([^"]+)"')


def resident_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status)[1])
    return total / 1024


async def seat(client: aiohttp.ClientSession, served: Served, name: str) -> str:
    async with client.get(f"{served.base}/?as={name}") as response:
        return html.unescape(WEBSOCKET_URL.search(await response.text())[1])


async def up(websocket: aiohttp.ClientWebSocketResponse) -> None:
    while (await websocket.receive()).type != aiohttp.WSMsgType.BINARY:
        pass


async def flood(served: Served) -> None:
    before = len(served.apps())
    async with aiohttp.ClientSession(cookies=served.cookie) as client:
        urls = [await seat(client, served, f"Guest{n}") for n in range(FLOOD)]
        results = await asyncio.gather(
            *(client.ws_connect(url + "?width=160&height=45") for url in urls), return_exceptions=True
        )
        opened = [each for each in results if isinstance(each, aiohttp.ClientWebSocketResponse)]
        refused = [each for each in results if isinstance(each, aiohttp.WSServerHandshakeError)]
        await asyncio.wait_for(asyncio.gather(*(up(websocket) for websocket in opened)), 120)
        apps = served.apps()
        memory = resident_mib(apps)
        began = time.monotonic()
        for websocket in opened:
            await websocket.close()
        served.wait_for_apps(before, seconds=60)
        drained = time.monotonic() - began
    print(
        f"flood: {FLOOD} sockets against --max-sessions {LIMIT}: {len(opened)} opened, {len(apps)} app processes "
        f"({memory:.0f} MiB resident, {memory / max(len(apps), 1):.0f} MiB each), {len(refused)} refused with "
        f"{sorted({error.status for error in refused})}; all closed: {len(served.apps())} app processes left "
        f"after {drained:.1f} s (before: {before})"
    )


def present(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM presence")}


async def presence(served: Served, joins: int) -> None:
    tmux = ["tmux", "-L", f"dayone-bench-{served.port}"]
    app = ["env", "-u", "COLUMNS", "-u", "LINES", "DAYONE_USER=Host", sys.executable, "-m", "tui", "--db"]
    subprocess.run([*tmux, "new", "-d", "-s", "t", "-x", "160", "-y", "45", shlex.join([*app, str(served.db)])])

    def header() -> str:
        return subprocess.run([*tmux, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True).stdout[:160]

    latencies = []
    try:
        deadline = time.monotonic() + 60
        while "dayone ·" not in header():
            assert time.monotonic() < deadline, f"the terminal did not start: {header()!r}"
            time.sleep(0.05)
        async with aiohttp.ClientSession(cookies=served.cookie) as client:
            opened = []
            for n in range(joins):
                name = f"P{n}"
                websocket = await client.ws_connect(await seat(client, served, name) + "?width=160&height=45")
                opened.append(websocket)
                while name not in present(served.db):
                    await asyncio.sleep(0.005)
                committed = time.monotonic()
                while f"{n + 2} people here" not in header():
                    await asyncio.sleep(0.01)
                latencies.append(time.monotonic() - committed)
            for websocket in opened:
                await websocket.close()
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    print(
        f"presence: {joins} tabs joined one at a time; the terminal's header named each after median "
        f"{statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
        f"(target {TARGET_SECONDS:.0f} s: {'met' if max(latencies) <= TARGET_SECONDS else 'NOT met'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--joins", type=int, default=8)
    parser.add_argument("--presence-only", action="store_true")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that a timeout still stops the server and its apps
    with tempfile.TemporaryDirectory() as folder:
        made = subprocess.run(
            [sys.executable, "-m", "tui", "demo", "--no-open"], cwd=folder, capture_output=True, text=True
        )
        assert made.returncode == 0, made.stderr
        served = Served(Path(folder), Path(folder) / "data" / "demo.db", "--max-sessions", str(LIMIT))
        try:
            if not args.presence_only:
                asyncio.run(flood(served))
            asyncio.run(presence(served, args.joins))
        finally:
            served.stop()
    with open("/proc/loadavg") as load:
        print(f"load average: {load.read().split()[0]}")


if __name__ == "__main__":
    main()
