"""A throwaway PostgreSQL server for the tests that need a real one (marked `postgres`).

The server runs from Debian's PostgreSQL 15 binaries in a temporary folder,
listening on 127.0.0.1 on a free port with its socket in that folder. initdb
refuses to run as root, so as root the cluster belongs to the `postgres` user.
Local socket connections are trusted (the tests load DDL through them as the
superuser); TCP connections need the password of the `dayone` role.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("DAYONE_PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "pw-s3cret-for-tests"


@dataclass
class PgServer:
    port: int
    socket_dir: Path
    password: str

    def url(self, database: str, password: str | None = None) -> str:
        return f"postgresql://dayone:{password or self.password}@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, sql: str | None = None, file: Path | None = None) -> str:
        """Run SQL as the superuser through the socket; raises on the first error."""
        command = [
            str(PG_BIN / "psql"),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(self.socket_dir),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-At",
        ]
        command += ["-f", str(file)] if file else ["-c", sql or ""]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise AssertionError(f"psql failed: {done.stderr.strip()}")
        return done.stdout

    def create_database(self, name: str) -> str:
        self.psql("postgres", f'CREATE DATABASE "{name}" OWNER dayone')
        return name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["su", owner, "-c", shlex.join(command)] if owner else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PgServer]:
    if not (PG_BIN / "initdb").exists():
        pytest.fail(
            f"no PostgreSQL server in {PG_BIN}: apt-get install -y postgresql, or deselect with -m 'not postgres'"
        )
    owner = "postgres" if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="dayone-pg-"))
    if owner:
        record = pwd.getpwnam(owner)
        os.chown(base, record.pw_uid, record.pw_gid)
    data = base / "data"
    port = _free_port()
    subprocess.run(
        _as_owner(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            owner,
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_owner(
            [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"], owner
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    server = PgServer(port=port, socket_dir=base, password=PASSWORD)
    try:
        server.psql("postgres", f"CREATE ROLE dayone LOGIN PASSWORD '{PASSWORD}'")
        yield server
    finally:
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], owner),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(base, ignore_errors=True)
