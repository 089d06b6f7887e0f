"""`dayone check` against a real PostgreSQL and a real MariaDB started by the tests."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from check_cli import expected_violations, found, run_check, shop_workspace
from check_data import fill
from commands import dayone
from mariadb import PASSWORD as MARIA_PASSWORD
from mariadb import MariaDbServer
from pg import PgServer

from tui.check.results import last_run
from tui.checklists import Checklist
from tui.store import Workspace

pytestmark = pytest.mark.core


def _postgres(server: PgServer, name: str, *, tight: bool, broken: bool) -> str:
    database = server.create_database(name)
    server.psql(database, "GRANT ALL ON SCHEMA public TO dayone")
    url = server.url(database)
    fill(url.replace("postgresql://", "postgresql+psycopg://"), "postgresql", tight=tight, broken=broken)
    return url


def _mariadb(server: MariaDbServer, name: str, *, tight: bool, broken: bool) -> str:
    database = server.create_database(name)
    url = server.url(database)
    fill(url.replace("mysql://", "mysql+pymysql://"), "mysql", tight=tight, broken=broken)
    return url


def _assert_secret_kept(folder: Path, password: str, *texts: str) -> None:
    for text in texts:
        assert password not in text
    for path in folder.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path


@pytest.mark.postgres
def test_postgres_clean_proven_and_broken(tmp_path: Path, checklist: Checklist, postgres_server: PgServer) -> None:
    shop = shop_workspace(tmp_path, checklist, "postgresql")
    tight = _postgres(postgres_server, "shop_tight", tight=True, broken=False)
    done, report = run_check(tmp_path, "--db", str(shop), "--url", tight)
    assert done.returncode == 0, done.stdout + done.stderr
    assert report is not None
    statuses = {(rule["rule"], rule["table"], rule["column"]): rule["status"] for rule in report["rules"]}
    # PostgreSQL validates its foreign keys and CHECKs, and timestamptz carries a zone: nothing to scan there.
    assert statuses[("relationship", "orders", "customer_id")] == "proven"
    assert statuses[("value set", "orders", "status")] == "proven"
    assert statuses[("time zone", "orders", "placed_at")] == "proven"
    assert statuses[("unique", "customers", "email")] == "proven"
    assert statuses[("value set", "customers", "country")] == "pass"

    broken = _postgres(postgres_server, "shop_broken", tight=False, broken=True)
    done, report = run_check(tmp_path, "--db", str(shop), "--url", broken, "-v")
    assert done.returncode == 1, done.stderr
    assert report is not None
    breaks = found(report)
    for key, count in expected_violations("postgresql").items():
        assert breaks.pop(key) == count, key
    assert breaks == {"freshness customers.updated_at": None, "primary key order_lines": None}
    _assert_secret_kept(tmp_path, postgres_server.password, done.stdout, done.stderr)
    with Workspace.open(shop, author="tester") as ws:
        run = last_run(ws, ws.integration("Shop")["id"])
    assert run is not None and run.dialect == "postgresql" and postgres_server.password not in run.source


@pytest.mark.postgres
def test_postgres_not_valid_constraints_prove_nothing(
    tmp_path: Path, checklist: Checklist, postgres_server: PgServer
) -> None:
    shop = shop_workspace(tmp_path, checklist, "postgresql")
    url = _postgres(postgres_server, "shop_not_valid", tight=False, broken=True)
    postgres_server.psql(
        "shop_not_valid",
        "ALTER TABLE orders ADD CONSTRAINT to_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;"
        " ALTER TABLE orders ADD CONSTRAINT known_status CHECK (status IN ('pending', 'paid', 'shipped')) NOT VALID;",
    )
    done, report = run_check(tmp_path, "--db", str(shop), "--url", url)
    assert done.returncode == 1 and report is not None
    breaks = found(report)
    assert breaks["relationship orders.customer_id"] == 6 and breaks["value set orders.status"] == 5


@pytest.mark.postgres
def test_postgres_sample_and_timeout(tmp_path: Path, checklist: Checklist, postgres_server: PgServer) -> None:
    shop = shop_workspace(tmp_path, checklist, "postgresql")
    url = _postgres(postgres_server, "shop_sampled", tight=False, broken=False)
    done, report = run_check(tmp_path, "--db", str(shop), "--url", url, "--sample", "100")
    assert report is not None
    assert {rule["status"] for rule in report["rules"] if rule["enforced_by"] == "check"} <= {"sampled", "pass"}
    assert "TABLESAMPLE system" in json.dumps(report)
    # A relationship on a key PostgreSQL can neither hash nor sort (box): its anti-join compares every child
    # with every parent, 1.6 billion comparisons; the statement timeout stops it.
    postgres_server.psql(
        "shop_sampled",
        "CREATE TABLE big AS SELECT box(point(g, g), point(g + 1, g + 1)) AS id FROM generate_series(1, 40000) g;"
        " CREATE TABLE big_child AS SELECT g AS id, box(point(-g, -g), point(0, 0)) AS big_id"
        " FROM generate_series(1, 40000) g;"
        " GRANT SELECT ON big, big_child TO dayone;",
    )
    plan = (
        "dayone: 1\nintegrations:\n- name: Big\n  tables:\n  - name: big\n    columns:\n    - {name: id, type: box}\n"
        "  - name: big_child\n    columns:\n    - {name: id, type: integer}\n"
        "    - {name: big_id, type: box, references: big.id}\n"
    )
    (tmp_path / "big.yaml").write_text(plan, encoding="utf-8")
    assert dayone(tmp_path, "--db", "big.db", "load", "big.yaml").returncode == 0
    started = time.monotonic()
    done, report = run_check(tmp_path, "--db", "big.db", "--url", url, "--timeout", "1")
    assert time.monotonic() - started < 30
    assert done.returncode == 2 and "ran over the --timeout of 1 s" in done.stderr and report is None
    _assert_secret_kept(tmp_path, postgres_server.password, done.stdout, done.stderr)


@pytest.mark.postgres
def test_postgres_wrong_password_and_closed_port(
    tmp_path: Path, checklist: Checklist, postgres_server: PgServer
) -> None:
    shop = shop_workspace(tmp_path, checklist, "postgresql")
    database = postgres_server.create_database("shop_refused")
    wrong = postgres_server.url(database, password="Wr0ng:p@ss/word")
    done, report = run_check(tmp_path, "--db", str(shop), "--url", wrong)
    assert done.returncode == 2 and "cannot connect" in done.stderr and report is None
    assert len(done.stderr.strip().splitlines()) == 1
    for piece in ("Wr0ng", "p@ss", "word"):
        assert piece not in done.stderr
    closed = f"postgresql://dayone:{postgres_server.password}@127.0.0.1:1/{database}"
    env_done = dayone_with_env(tmp_path, {"SHOP_DB": closed}, "--db", str(shop), "check", "--url-env", "SHOP_DB")
    assert env_done.returncode == 2 and "cannot connect" in env_done.stderr
    _assert_secret_kept(tmp_path, postgres_server.password, env_done.stdout, env_done.stderr)


def dayone_with_env(folder: Path, env: dict[str, str], *args: str):
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "DAYONE_USER": "tester", **env},
        timeout=120,
    )


@pytest.mark.mariadb
def test_mariadb_clean_and_broken(tmp_path: Path, checklist: Checklist, mariadb_server: MariaDbServer) -> None:
    shop = shop_workspace(tmp_path, checklist, "mysql")
    tight = _mariadb(mariadb_server, "shop_tight", tight=True, broken=False)
    done, report = run_check(tmp_path, "--db", str(shop), "--url", tight)
    assert done.returncode == 0, done.stdout + done.stderr
    assert report is not None
    statuses = {(rule["rule"], rule["table"], rule["column"]): rule["status"] for rule in report["rules"]}
    assert statuses[("value set", "orders", "status")] == "proven"  # MariaDB enforces CHECK constraints
    assert statuses[("relationship", "orders", "customer_id")] == "pass"  # its foreign keys can be switched off

    broken = _mariadb(mariadb_server, "shop_broken", tight=False, broken=True)
    done, report = run_check(tmp_path, "--db", str(shop), "--url", broken)
    assert done.returncode == 1, done.stderr
    assert report is not None
    breaks = found(report)
    for key, count in expected_violations("mysql").items():
        assert breaks.pop(key) == count, key
    assert breaks == {"freshness customers.updated_at": None, "primary key order_lines": None}
    _assert_secret_kept(tmp_path, MARIA_PASSWORD, done.stdout, done.stderr)
