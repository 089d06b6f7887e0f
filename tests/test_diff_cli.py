"""`dayone contract publish|versions` and `dayone diff` as a user and a CI job run them: real processes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from commands import dayone

pytestmark = pytest.mark.core

DB = ("--db", "data/demo.db")

SHOP_DDL = """
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  email varchar(200) NOT NULL UNIQUE
);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid')),
  total numeric(10, 2) NOT NULL CHECK (total >= 0),
  paid_at timestamp with time zone
);
"""

# A plan that changes the demo's orders.orders: status may be empty, and a status value that is new.
CHANGE = """
dayone: 1
integrations:
- name: Orders
  tables:
  - schema: orders
    name: orders
    columns:
    - name: status
      nullable: true
      values: {pending: "", paid: "", fulfilled: "", cancelled: "", refunded: "", %s: "held"}
"""


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return dayone(cwd, *args, *DB)


def _versions(cwd: Path) -> list[str]:
    listed = _run(cwd, "contract", "versions", "--integration", "Orders")
    assert listed.returncode == 0, listed.stderr
    return [line.split()[0] for line in listed.stdout.splitlines()[1:]]


def _change(cwd: Path, value: str = "on_hold") -> None:
    (cwd / "change.yaml").write_text(CHANGE % json.dumps(value), encoding="utf-8")
    loaded = _run(cwd, "load", "change.yaml")
    assert loaded.returncode == 0, loaded.stderr


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A workspace whose Shop integration was imported from SHOP_DDL, and its ODCS contract next to it."""
    (tmp_path / "schema.sql").write_text(SHOP_DDL, encoding="utf-8")
    made = dayone(
        tmp_path, "--db", "w.db", "import-schema", "schema.sql", "--dialect", "postgres", "--new-integration", "Shop"
    )
    assert made.returncode == 0, made.stderr
    written = dayone(
        tmp_path, "--db", "w.db", "export", "--format", "odcs", "--integration", "Shop", "-o", "contract.odcs.yaml"
    )
    assert written.returncode == 0, written.stderr
    return tmp_path


def _gate(cwd: Path, ddl: str) -> subprocess.CompletedProcess:
    """The producer's CI step, exactly as a pipeline runs it: no workspace, only the contract and the schema."""
    (cwd / "proposed.sql").write_text(ddl, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "diff",
            "--contract",
            "contract.odcs.yaml",
            "--ddl",
            "proposed.sql",
            "--dialect",
            "postgres",
            "--fail-on",
            "breaking",
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={key: value for key, value in os.environ.items() if key != "DAYONE_DB"},
        timeout=60,
    )


def test_the_ci_gate_passes_a_compatible_schema(shop: Path) -> None:
    same = _gate(shop, SHOP_DDL)
    assert (same.returncode, same.stderr) == (0, "")
    assert "no changes" in same.stdout
    added = _gate(shop, SHOP_DDL.replace("  paid_at timestamp", "  coupon text,\n  paid_at timestamp"))
    assert added.returncode == 0, added.stdout
    assert "column added" in added.stdout and "orders.coupon" in added.stdout
    assert not (shop / "data").exists(), "the gate never makes a workspace"


@pytest.mark.parametrize(
    ("edit", "kind"),
    [
        (("status text NOT NULL", "status text"), "nullability relaxed"),
        (("numeric(10, 2)", "numeric(14, 2)"), "type widened"),
        (("'pending', 'paid'", "'pending', 'paid', 'on_hold'"), "values added"),
        (("bigint NOT NULL REFERENCES customers (id)", "bigint NOT NULL"), "foreign key removed"),
    ],
)
def test_the_ci_gate_fails_a_change_that_breaks_consumers(shop: Path, edit: tuple[str, str], kind: str) -> None:
    proposed = SHOP_DDL.replace(*edit)
    assert proposed != SHOP_DDL
    failed = _gate(shop, proposed)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Breaking for consumers (1):" in failed.stdout and kind in failed.stdout
    assert failed.stderr.count("\n") == 1 and "not a new major version" in failed.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--contract", "missing.odcs.yaml", "--ddl", "schema.sql", "--dialect", "postgres"), "no such contract file"),
        (("--contract", "schema.sql", "--ddl", "schema.sql", "--dialect", "postgres"), "schema.sql"),
        (("--contract", "contract.odcs.yaml", "--ddl", "missing.sql", "--dialect", "postgres"), "missing.sql"),
        (("--contract", "contract.odcs.yaml", "--ddl", "schema.sql"), "--dialect"),
        (("contract.odcs.yaml",), "two ODCS files"),
    ],
)
def test_the_ci_gate_refuses_bad_input_with_exit_2(shop: Path, args: tuple[str, ...], message: str) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "tui", "diff", *args, "--fail-on", "breaking"],
        cwd=shop,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert refused.stdout == "" and refused.stderr.count("\n") == 1 and message in refused.stderr


def test_two_odcs_files_are_compared_and_a_new_major_covers_breaking_changes(shop: Path) -> None:
    old = (shop / "contract.odcs.yaml").read_text(encoding="utf-8")
    new = old.replace("required: true", "required: false")  # primary keys stay NOT NULL
    assert new != old
    (shop / "new.odcs.yaml").write_text(new, encoding="utf-8")
    same_version = dayone(shop, "diff", "contract.odcs.yaml", "new.odcs.yaml", "--fail-on", "breaking", "--json")
    assert same_version.returncode == 1
    found = json.loads(same_version.stdout)
    assert found["bump"] == "major"
    assert {(c["kind"], c["consumer"]) for c in found["changes"]} == {("nullability_relaxed", "breaking")}
    assert len(found["changes"]) == 4
    (shop / "major.odcs.yaml").write_text(new.replace('version: "0.1.0"', 'version: "1.0.0"'), encoding="utf-8")
    covered = dayone(shop, "diff", "contract.odcs.yaml", "major.odcs.yaml", "--fail-on", "breaking")
    assert covered.returncode == 0, covered.stderr


def test_publish_list_and_diff_two_versions(demo: Path) -> None:
    first = _run(demo, "contract", "publish", "--integration", "Orders", "--message", "first cut")
    assert first.returncode == 0 and "published Orders 0.1.0" in first.stdout
    again = _run(demo, "contract", "publish", "--integration", "Orders")
    assert again.returncode == 0 and "nothing changed in Orders since 0.1.0" in again.stdout
    _change(demo)
    pending = _run(demo, "diff", "--integration", "Orders")
    assert pending.returncode == 0
    lines = pending.stdout.splitlines()
    assert lines[0] == "0.1.0 → the workspace: 3 changes, a major version"
    assert lines[1] == "Breaking for consumers (2):"
    assert "nullability relaxed" in lines[2] and "orders.orders.status" in lines[2] and "[producer: info]" in lines[2]
    assert any(line.strip().startswith("metrics: Orders placed per day") for line in lines)
    assert "Information (1):" in lines and "value meanings changed" in pending.stdout
    assert any(line.startswith("Inform: Raj Patel") for line in lines)
    listed = _run(demo, "contract", "versions", "--integration", "Orders")
    assert "not published" in listed.stderr
    second = _run(demo, "contract", "publish", "--integration", "Orders", "--message", "status may be empty")
    assert second.returncode == 0 and "published Orders 1.0.0 (major: 3 changes since 0.1.0)" in second.stdout
    assert _versions(demo) == ["0.1.0", "1.0.0"]
    between = _run(demo, "diff", "--integration", "Orders", "--from", "0.1.0", "--to", "1.0.0", "--json")
    assert between.returncode == 0
    found = json.loads(between.stdout)
    assert set(found) >= {"from", "to", "bump", "changes", "inform"}
    assert (found["from"], found["to"], found["bump"]) == ("0.1.0", "1.0.0", "major")
    assert [(c["kind"], c["table"], c["column"], c["consumer"], c["producer"]) for c in found["changes"]] == [
        ("nullability_relaxed", "orders.orders", "status", "breaking", "info"),
        ("values_added", "orders.orders", "status", "breaking", "info"),
        ("value_meanings_changed", "orders.orders", "status", "info", "info"),
    ]
    assert all(
        set(c) == {"kind", "table", "column", "consumer", "producer", "metrics", "detail"} for c in found["changes"]
    )
    assert "Raj Patel" in found["inform"]
    gated = _run(demo, "diff", "--integration", "Orders", "--from", "0.1.0", "--to", "1.0.0", "--fail-on", "breaking")
    assert gated.returncode == 0, "a new major version covers its breaking changes"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "--integration", "Orders", "--from", "7.0.0"), "no version '7.0.0' of Orders (published: 0.1.0)"),
        (("diff", "--integration", "Nope"), "no integration named 'Nope'"),
        (("contract", "publish", "--integration", "Nope"), "no integration named 'Nope'"),
        (
            ("contract", "publish", "--integration", "Orders", "--version", "0.0.9"),
            "--version 0.0.9 is lower than 1.0.0",
        ),
        (("contract", "publish", "--integration", "Orders", "--version", "v2"), "'v2' is not a version number"),
        (
            ("diff", "--integration", "Orders", "--ddl", "x.sql", "--url", "sqlite:///x.db"),
            "either --ddl FILE or --url URL",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(demo: Path, args: tuple[str, ...], message: str) -> None:
    assert _run(demo, "contract", "publish", "--integration", "Orders").returncode == 0
    _change(demo)
    before = _run(demo, "diff", "--integration", "Orders", "--json").stdout
    refused = _run(demo, *args)
    assert refused.returncode == 2, refused.stdout
    assert refused.stdout == "" and refused.stderr.count("\n") == 1 and message in refused.stderr, refused.stderr
    assert _versions(demo) == ["0.1.0"]
    assert _run(demo, "diff", "--integration", "Orders", "--json").stdout == before


def test_two_processes_publishing_at_once_make_exactly_one_version(demo: Path) -> None:
    command = [sys.executable, "-m", "tui", "contract", "publish", "--integration", "Orders", *DB]
    env = {**os.environ, "DAYONE_USER": "tester"}
    started = [
        subprocess.Popen(command, cwd=demo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(process.wait(timeout=60), process.stdout.read(), process.stderr.read()) for process in started]  # type: ignore[union-attr]
    assert [code for code, _, _ in results] == [0, 0], results
    outputs = sorted(out for _, out, _ in results)
    assert "nothing changed in Orders since 0.1.0" in outputs[0] and "published Orders 0.1.0" in outputs[1]
    assert _versions(demo) == ["0.1.0"]


def test_hostile_names_and_credentials_are_shown_never_obeyed(demo: Path) -> None:
    assert _run(demo, "contract", "publish", "--integration", "Orders").returncode == 0
    _change(demo, "[@click=app.quit]x[/]\x1b[2J")
    (demo / "secret.yaml").write_text(
        "dayone: 1\nintegrations:\n- name: Orders\n  tables:\n  - schema: orders\n    name: orders\n"
        "    description: 'replica at postgresql://etl:Sup3rSecret@db.internal/orders'\n",
        encoding="utf-8",
    )
    assert _run(demo, "load", "secret.yaml").returncode == 0
    shown = _run(demo, "diff", "--integration", "Orders")
    assert shown.returncode == 0
    assert "\x1b" not in shown.stdout and "[@click=app.quit]x[/]" in shown.stdout
    assert "Sup3rSecret" not in shown.stdout + shown.stderr
    as_json = _run(demo, "diff", "--integration", "Orders", "--json")
    assert "Sup3rSecret" not in as_json.stdout and "\x1b" not in as_json.stdout
    published = _run(demo, "contract", "publish", "--integration", "Orders")
    assert published.returncode == 0
    plan = _run(demo, "export", "--format", "yaml", "--integration", "Orders", "-o", "-")
    assert "Sup3rSecret" not in plan.stdout


def test_the_contract_against_a_live_database(shop: Path) -> None:
    database = shop / "live.db"
    with sqlite3.connect(database) as conn:
        conn.executescript(
            "CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(200) NOT NULL UNIQUE);"
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),"
            " status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid')),"
            " total numeric(10, 2) NOT NULL CHECK (total >= 0), paid_at timestamp with time zone);"
        )
    url = f"sqlite:///{database}"
    same = dayone(shop, "diff", "--contract", "contract.odcs.yaml", "--url", url, "--fail-on", "breaking", "--json")
    assert same.returncode == 0, same.stdout + same.stderr
    assert json.loads(same.stdout)["changes"] == []
    with sqlite3.connect(database) as conn:
        conn.execute("ALTER TABLE orders DROP COLUMN paid_at")
    dropped = dayone(shop, "diff", "--contract", "contract.odcs.yaml", "--url", url, "--fail-on", "breaking")
    assert dropped.returncode == 1
    assert "column removed" in dropped.stdout and "orders.paid_at" in dropped.stdout
    from_workspace = dayone(shop, "--db", "w.db", "diff", "--integration", "Shop", "--url", url, "--json")
    assert from_workspace.returncode == 0, from_workspace.stderr
    found = json.loads(from_workspace.stdout)
    assert [(c["kind"], c["column"]) for c in found["changes"]] == [("column_removed", "paid_at")]
