"""A real `dayone serve` process for tests: started on a free loopback port, its link read from what it prints,
its app processes counted from /proc, stopped with everything it started."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

LINK = re.compile(r"dayone: serving \S+ at (?P<url>https?://\S+?/)(?:\?token=(?P<token>\S+))? \(Ctrl\+C stops\)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    """Every process descended from `pid`, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent:
                found.append(child)
                frontier.append(child)
    return found


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


class Served:
    """`dayone --db DB serve --port PORT ARGS...` running in `folder`."""

    def __init__(self, folder: Path, db: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port, self.db = free_port(), folder / db
        self.log = folder / f"serve-{self.port}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tui", "--db", str(db), "serve", "--port", str(self.port), *args],
                cwd=folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, "DAYONE_TODAY": "2026-11-21", **(env or {})},
            )
        try:
            self._wait_until_listening()
        except BaseException:
            self.stop()  # nobody else will: the caller never got this object
            raise
        found = LINK.search(self.output())
        self.printed, self.token = found["url"], found["token"]
        self.base = f"http://127.0.0.1:{self.port}"
        self.cookie = {f"dayone-token-{self.port}": self.token} if self.token else {}

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                assert self.process.poll() is None, self.output()
                assert time.monotonic() < deadline, "dayone serve did not start listening within 20 s"
                time.sleep(0.1)
        assert LINK.search(self.output()), self.output()

    def output(self) -> str:
        return self.log.read_text()

    def apps(self) -> list[int]:
        return children(self.process.pid)

    def wait_for_apps(self, count: int, seconds: float = 20) -> list[int]:
        deadline = time.monotonic() + seconds
        while len(found := self.apps()) != count:
            assert time.monotonic() < deadline, f"{len(found)} app processes, not {count}"
            time.sleep(0.1)
        return found

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(ProcessLookupError):  # an app whose tab was still open when the server stopped
            os.killpg(self.process.pid, signal.SIGKILL)
        return self.output()
