"""`dayone serve` without a browser: the page it serves, loopback by default, a warning elsewhere, clear refusals."""

from __future__ import annotations

import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import commands
import pytest

from tui.serve import app_command, is_loopback


def dayone(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return commands.dayone(cwd, "--db", "data/demo.db", *args, timeout=timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.10", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_which_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_each_tab_runs_the_app_on_the_absolute_workspace_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    command = shlex.split(app_command(Path("data/my plan.db"), "Noor", None, share=True))
    assert command == [
        sys.executable,
        "-m",
        "tui",
        "--db",
        str(tmp_path / "data" / "my plan.db"),
        "--as",
        "Noor",
        "--share",
    ]


def test_the_page_is_served_on_loopback(demo: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", "data/demo.db", "serve", "--port", str(port)],
        cwd=demo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.1)
        assert "<div>dayone</div>" in page and "textual-terminal" in page
        assert f"ws://127.0.0.1:{port}/ws" in page
    finally:
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=15)
    assert f"dayone: serving data/demo.db at http://127.0.0.1:{port} (Ctrl+C stops)" in errors
    assert "warning" not in errors


def test_a_port_in_use_is_one_clear_line(demo: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = dayone(demo, "serve", "--port", str(port))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"dayone: cannot listen on 127.0.0.1:{port}")


def test_another_address_warns_that_there_is_no_authentication(demo: Path) -> None:
    result = dayone(demo, "serve", "--bind", "192.0.2.1", "--port", str(free_port()))
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        "dayone: warning: serving on 192.0.2.1, which other machines can reach; the browser app has "
        "no authentication of its own, so put it behind a proxy that authenticates users"
    )
    assert result.returncode == 2 and lines[-1].startswith("dayone: cannot listen on 192.0.2.1:")


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_port_out_of_range_is_refused(demo: Path, port: str) -> None:
    result = dayone(demo, "serve", "--port", port)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"dayone: --port {port}: not a port number"]
