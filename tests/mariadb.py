"""A throwaway MariaDB server for the tests that need a real one (marked `mariadb`).

The server runs from Debian's binaries in a temporary folder, listening on
127.0.0.1 on a free port with its socket in that folder, as the `mysql` user
when the tests run as root. Outside CI the tests skip with one line when no
server is installed; under CI=true they fail instead.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import server_missing

SERVER = Path(os.environ.get("DAYONE_MARIADB_BIN", "/usr/sbin/mariadbd"))
INSTALL = SERVER.parent.parent / "bin" / "mariadb-install-db"
PASSWORD = "maria-s3cret-for-tests"


@dataclass
class MariaDbServer:
    port: int
    socket: Path

    def url(self, database: str, password: str | None = None) -> str:
        return f"mysql://dayone:{password or PASSWORD}@127.0.0.1:{self.port}/{database}"

    def sql(self, statements: str, database: str | None = None) -> list[tuple]:
        """Run a script as root over the socket; returns the rows of its last statement."""
        import pymysql

        connection = pymysql.connect(
            unix_socket=str(self.socket), user="root", database=database, autocommit=True, client_flag=1 << 16
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(statements)
                rows = list(cursor.fetchall())
                while cursor.nextset():
                    rows = list(cursor.fetchall() or ())
                return rows
        finally:
            connection.close()

    def create_database(self, name: str) -> str:
        self.sql(f"CREATE DATABASE `{name}`; GRANT ALL ON `{name}`.* TO 'dayone'@'%'")
        return name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[MariaDbServer]:
    if not SERVER.exists() or not INSTALL.exists():
        server_missing(f"no MariaDB server at {SERVER} (apt-get install -y mariadb-server)")
    base = Path(tempfile.mkdtemp(prefix="dayone-maria-"))
    user = ["runuser", "-u", "mysql", "--"] if os.geteuid() == 0 else []
    if user:
        record = pwd.getpwnam("mysql")
        os.chown(base, record.pw_uid, record.pw_gid)
    data, sock, port = base / "data", base / "sock", _free_port()
    subprocess.run(
        [*user, str(INSTALL), f"--datadir={data}", "--auth-root-authentication-method=socket", "--skip-test-db"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    server = subprocess.Popen(
        [
            *user,
            str(SERVER),
            "--no-defaults",
            f"--datadir={data}",
            "--bind-address=127.0.0.1",
            f"--port={port}",
            f"--socket={sock}",
            f"--pid-file={base / 'pid'}",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=32M",
            "--innodb-flush-log-at-trx-commit=0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(base / "log", "wb"),  # noqa: SIM115 - closed with the process
    )
    running = MariaDbServer(port=port, socket=sock)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                running.sql("SELECT 1")
                break
            except Exception:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((base / "log").read_text(errors="replace")[-2000:]) from None
                time.sleep(0.2)
        running.sql(f"CREATE USER 'dayone'@'%' IDENTIFIED BY '{PASSWORD}'")
        yield running
    finally:
        pid_file = base / "pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(base, ignore_errors=True)
