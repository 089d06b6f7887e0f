"""`dayone check` end to end against real SQLite files: clean data passes, every injected break is found exactly."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
import xmlschema
from check_cli import expected_violations, found, run_check, shop_workspace
from check_data import fill
from commands import dayone
from hostile import PAYLOADS, forbidden_in

from tui.check.results import last_run
from tui.checklists import Checklist
from tui.store import Workspace

pytestmark = pytest.mark.core

XSD = Path(__file__).parent / "fixtures" / "junit" / "junit-10.xsd"


@pytest.fixture
def shop(tmp_path: Path, checklist: Checklist) -> Path:
    return shop_workspace(tmp_path, checklist, "sqlite")


def _database(folder: Path, name: str, *, tight: bool, broken: bool) -> str:
    url = f"sqlite:///{folder / name}"
    fill(url, "sqlite", tight=tight, broken=broken)
    return url


def test_clean_data_passes_and_constraints_prove_what_they_enforce(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "tight.db", tight=True, broken=False)
    done, report = run_check(tmp_path, "--db", str(shop), "--url", url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert report is not None and report["passed"] is True
    statuses = {(rule["rule"], rule["table"], rule["column"]): rule["status"] for rule in report["rules"]}
    assert statuses[("not null", "customers", "email")] == "proven"
    assert statuses[("unique", "customers", "email")] == "proven"
    assert statuses[("value set", "orders", "status")] == "proven"
    assert statuses[("unique", "order_lines", None)] == "proven"
    # SQLite enforces foreign keys only when a connection asks: the relationship is scanned.
    assert statuses[("relationship", "orders", "customer_id")] == "pass"
    assert statuses[("value set", "customers", "country")] == "pass"
    assert statuses[("freshness", "customers", "updated_at")] == "pass"
    assert "dayone check passed: Shop" in done.stdout


def test_every_injected_break_is_found_with_its_exact_count(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "broken.db", tight=False, broken=True)
    done, report = run_check(tmp_path, "--db", str(shop), "--url", url)
    assert done.returncode == 1, done.stderr
    assert report is not None and report["passed"] is False
    breaks = found(report)
    for key, count in expected_violations("sqlite").items():
        assert breaks.pop(key) == count, key
    # Beyond the injected rows: the stale data and the missing primary key of order_lines.
    assert breaks == {"freshness customers.updated_at": None, "primary key order_lines": None}
    samples = {(rule["rule"], rule["table"], rule["column"]): rule["samples"] for rule in report["rules"]}
    assert samples[("value set", "orders", "status")] == ["refunded (4 rows)", "lost (1 row)"]
    assert samples[("relationship", "orders", "customer_id")] == ["9999 (6 rows)"]
    # email is classified pii: what was found is counted, never shown.
    assert samples[("unique", "customers", "email")] == []
    assert "@example.com" not in done.stdout and "@example.com" not in json.dumps(report)


def test_the_run_is_kept_in_the_workspace_rule_by_rule(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "broken.db", tight=False, broken=True)
    done, report = run_check(tmp_path, "--db", str(shop), "--url", url)
    assert done.returncode == 1 and report is not None
    with Workspace.open(shop, author="tester") as ws:
        run = last_run(ws, ws.integration("Shop")["id"])
    assert run is not None and run.source == url and run.dialect == "sqlite" and not run.passed
    assert [(r.rule, r.status.value, r.violations, list(r.samples), r.sql) for r in run.results] == [
        (rule["rule"], rule["status"], rule["violations"], rule["samples"], rule["sql"]) for rule in report["rules"]
    ]


def test_warnings_fail_only_when_asked(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "clean.db", tight=True, broken=False)
    connection = sqlite3.connect(tmp_path / "clean.db")
    connection.execute("UPDATE orders SET order_number = 'TEST-' || id WHERE id <= 3")
    connection.commit()
    connection.close()
    done, report = run_check(tmp_path, "--db", str(shop), "--url", url)
    assert done.returncode == 0 and report is not None
    assert found(report) == {"test data orders.order_number": 3}
    done, _ = run_check(tmp_path, "--db", str(shop), "--url", url, "--fail-on", "warning")
    assert done.returncode == 1


def test_schema_drift_missing_wider_and_extra(tmp_path: Path, shop: Path, checklist: Checklist) -> None:
    url = _database(tmp_path, "drift.db", tight=True, broken=False)
    connection = sqlite3.connect(tmp_path / "drift.db")
    connection.executescript(
        "ALTER TABLE orders ADD COLUMN coupon text; ALTER TABLE orders DROP COLUMN order_number;"
        " CREATE TABLE lines2 AS SELECT order_id, line_no, CAST(quantity AS bigint) AS quantity FROM order_lines;"
        " DROP TABLE order_lines; ALTER TABLE lines2 RENAME TO order_lines;"
        " CREATE TABLE c2 (id integer PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, country char(2),"
        " created_at timestamptz NOT NULL, updated_at timestamptz, is_test boolean);"
        " INSERT INTO c2 SELECT * FROM customers; DROP TABLE customers; ALTER TABLE c2 RENAME TO customers;"
    )
    connection.close()
    done, report = run_check(tmp_path, "--db", str(shop), "--url", url)
    assert report is not None
    statuses = {(rule["rule"], rule["table"], rule["column"]): rule for rule in report["rules"]}
    assert statuses[("column", "orders", "order_number")]["status"] == "fail"
    assert statuses[("extra column", "orders", "coupon")]["status"] == "warn"
    # varchar(100) holds less than the agreed varchar(200): narrower, every value fits.
    assert statuses[("type", "customers", "email")]["status"] == "warn"
    assert "narrower" in statuses[("type", "customers", "email")]["message"]
    # CREATE TABLE ... AS SELECT lost the primary key; bigint against the agreed integer is wider.
    assert statuses[("primary key", "order_lines", None)]["status"] == "fail"
    assert done.returncode == 1
    with Workspace.open(shop, author="tester", checklist=checklist) as ws:
        table = ws.rows("table", "name = 'orders'")[0]
        ws.update("table", table["id"], {"strict": True})
    done, report = run_check(tmp_path, "--db", str(shop), "--url", url)
    assert report is not None
    extra = next(rule for rule in report["rules"] if rule["rule"] == "extra column")
    assert (extra["status"], extra["message"]) == ("fail", "in the database, the table is strict")


def test_a_wider_type_fails(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "wide.db", tight=True, broken=False)
    connection = sqlite3.connect(tmp_path / "wide.db")
    connection.executescript(
        "CREATE TABLE o2 (id integer PRIMARY KEY, customer_id integer NOT NULL, status varchar(20) NOT NULL,"
        " order_number varchar(300), placed_at timestamptz, details json);"
        " INSERT INTO o2 SELECT * FROM orders; DROP TABLE orders; ALTER TABLE o2 RENAME TO orders;"
    )
    connection.close()
    done, report = run_check(tmp_path, "--db", str(shop), "--url", url)
    assert done.returncode == 1 and report is not None
    wide = next(r for r in report["rules"] if r["rule"] == "type" and r["column"] == "order_number")
    assert wide["status"] == "fail" and "(wider)" in wide["message"]


def test_the_contract_file_alone_checks_the_same(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "broken.db", tight=False, broken=True)
    contract = tmp_path / "shop.odcs.yaml"
    exported = dayone(
        tmp_path, "--db", str(shop), "export", "--format", "odcs", "--integration", "Shop", "-o", str(contract)
    )
    assert exported.returncode == 0, exported.stderr
    from_workspace, workspace_report = run_check(tmp_path, "--db", str(shop), "--url", url)
    from_file, file_report = run_check(tmp_path, "--contract", str(contract), "--url", url)
    assert from_file.returncode == from_workspace.returncode == 1
    assert workspace_report is not None and file_report is not None
    assert found(file_report) == found(workspace_report)
    annotations = dayone(tmp_path, "check", "--contract", str(contract), "--url", url, "--format", "github")
    lines = contract.read_text(encoding="utf-8").splitlines()
    status_error = next(line for line in annotations.stdout.splitlines() if "orders.status" in line)
    assert status_error.startswith(f"::error file={contract},line=")
    line = int(status_error.split("line=")[1].split(",")[0])
    assert lines[line - 1].strip() == "- name: status"
    assert "::warning " in annotations.stdout and annotations.stdout.rstrip().splitlines()[-1].startswith("::notice")


def test_junit_report_is_valid_junit_with_failures_and_warnings(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "broken.db", tight=False, broken=True)
    junit = tmp_path / "check.xml"
    done = dayone(tmp_path, "--db", str(shop), "check", "--url", url, "--junit", str(junit))
    assert done.returncode == 1
    schema = xmlschema.XMLSchema(XSD)
    schema.validate(junit)
    document = schema.to_dict(junit)
    suite = document["testsuite"][0]
    cases = suite["testcase"]
    failures = [case for case in cases if "failure" in case]
    assert int(suite["@failures"]) == len(failures) == 10
    value_set = next(case for case in failures if case["@name"] == "value set: orders.status")
    assert "violations: 5" in value_set["failure"][0]["$"] and "refunded (4 rows)" in value_set["failure"][0]["$"]
    warned = [case for case in cases if any("warning:" in out for out in case.get("system-out", []))]
    assert len(warned) == 2 and not any("skipped" in case for case in cases)


def test_summary_is_markdown_for_the_job_page(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "broken.db", tight=False, broken=True)
    summary = tmp_path / "summary.md"
    done = dayone(tmp_path, "--db", str(shop), "check", "--url", url, "--summary", str(summary), "-v")
    text = summary.read_text(encoding="utf-8")
    assert done.returncode == 1 and text.startswith("## ❌ dayone check: Shop")
    assert "| FAIL | value set | <code>orders.status</code> | 5 |" in text
    # -v lists every rule with the SQL that checked it.
    assert "SELECT count(*)" in done.stdout and "proven" in done.stdout


def test_a_sample_can_find_but_not_prove(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "clean.db", tight=False, broken=False)
    _done, report = run_check(tmp_path, "--db", str(shop), "--url", url, "--sample", "50")
    assert report is not None and found(report) == {"primary key order_lines": None}  # loose tables declare none
    scanned = [rule for rule in report["rules"] if rule["enforced_by"] == "check" and rule["rule"] != "freshness"]
    assert scanned and {rule["status"] for rule in scanned} == {"sampled"}
    assert report["sample_percent"] == 50


def test_since_checks_only_rows_changed_since(tmp_path: Path, shop: Path) -> None:
    url = _database(tmp_path, "broken.db", tight=False, broken=True)
    _done, report = run_check(tmp_path, "--db", str(shop), "--url", url, "--since", "2100-01-01T00:00:00+00:00")
    assert report is not None
    customers = [rule for rule in report["rules"] if rule["table"] == "customers" and rule["rule"] == "value set"]
    assert customers[0]["violations"] == 0  # no customer changed after 2100
    orders = [rule for rule in report["rules"] if rule["table"] == "orders" and rule["rule"] == "value set"]
    assert orders[0]["violations"] == 5  # orders have no updated-at column: checked in full


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "sqlite:///{tmp}/missing.db"], "no such SQLite file"),
        (["--url", "nonsense"], "not a database URL"),
        (["--url", "postgresql://reader:pw-s3cret@127.0.0.1:1/db"], "cannot connect"),
        (["--url", "sqlite:///{tmp}/clean.db", "--contract", "{tmp}/missing.odcs.yaml"], "no such contract file"),
        (["--url", "sqlite:///{tmp}/clean.db", "--contract", "{tmp}/notyaml.odcs.yaml"], "not valid YAML"),
        (["--url", "sqlite:///{tmp}/clean.db", "--contract", "{tmp}/plan.odcs.yaml"], "not an ODCS v3 data contract"),
        (["--url", "sqlite:///{tmp}/clean.db", "--integration", "Nope"], "no integration named 'Nope'"),
        (["--url-env", "DAYONE_NO_SUCH_VARIABLE"], "DAYONE_NO_SUCH_VARIABLE is not set"),
        (["--url", "sqlite:///{tmp}/clean.db", "--sample", "0"], "not a percentage"),
    ],
)
def test_a_check_that_cannot_run_exits_2_in_one_line_and_writes_nothing(
    tmp_path: Path, shop: Path, args: list[str], message: str
) -> None:
    _database(tmp_path, "clean.db", tight=True, broken=False)
    (tmp_path / "notyaml.odcs.yaml").write_text("this: is: not yaml: [\n", encoding="utf-8")
    (tmp_path / "plan.odcs.yaml").write_text("dayone: 1\nintegrations: []\n", encoding="utf-8")
    outputs = [tmp_path / "out.xml", tmp_path / "out.md"]
    argv = [part.replace("{tmp}", str(tmp_path)) for part in args]
    done, report = run_check(
        tmp_path, "--db", str(shop), *argv, "--junit", str(outputs[0]), "--summary", str(outputs[1])
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""
    assert "pw-s3cret" not in done.stderr
    assert report is None and not any(path.exists() for path in outputs)
    with Workspace.open(shop, author="tester") as ws:
        assert ws.query("SELECT count(*) FROM check_runs")[0][0] == 0


def test_timeout_bounds_a_runaway_anti_join(tmp_path: Path, checklist: Checklist) -> None:
    """40,000 children against 40,000 parents by a key of another type: a 1.6 billion row comparison."""
    db = tmp_path / "big.db"
    connection = sqlite3.connect(db)
    connection.executescript(
        "CREATE TABLE parent (id text); CREATE TABLE child (id integer PRIMARY KEY, parent_id integer);"
        " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)"
        " INSERT INTO parent SELECT 'p' || i FROM n;"
        " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)"
        " INSERT INTO child SELECT i, i FROM n;"
    )
    connection.commit()
    connection.close()
    plan = (
        "dayone: 1\nintegrations:\n- name: Big\n  tables:\n  - name: parent\n    columns:\n"
        "    - {name: id, type: text}\n"
        "  - name: child\n    columns:\n    - {name: id, type: integer, primary_key: true}\n"
        "    - {name: parent_id, type: integer, references: parent.id}\n"
    )
    (tmp_path / "big.yaml").write_text(plan, encoding="utf-8")
    assert dayone(tmp_path, "--db", "ws.db", "load", "big.yaml").returncode == 0
    started = time.monotonic()
    done, report = run_check(tmp_path, "--db", "ws.db", "--url", f"sqlite:///{db}", "--timeout", "1")
    assert time.monotonic() - started < 30
    assert done.returncode == 2 and "ran over the --timeout of 1 s" in done.stderr and report is None


# Names as the workspace keeps them (it drops control characters from what it stores); the database has one
# column whose name holds an escape sequence, outside the contract.
HOSTILE_NAMES = ['we"ird.ta ble', "[@click=app.quit]x[/]", "back\\slash [b]%_", "dot.ted"]


def test_hostile_names_in_the_contract_and_the_database(tmp_path: Path) -> None:
    import yaml

    table, column, flag, dotted = HOSTILE_NAMES
    plan = {
        "dayone": 1,
        "integrations": [
            {
                "name": "Hostile " + PAYLOADS[6],
                "tables": [
                    {
                        "name": table,
                        "test_data_marker": f'"{flag}"',
                        "columns": [
                            {"name": "id", "type": "integer", "primary_key": True},
                            {"name": column, "type": "text", "values": {"a'b": None, "c%_": None}},
                            {
                                "name": dotted,
                                "type": "integer",
                                "references": f'"{table.replace(chr(34), chr(34) * 2)}".id',
                            },
                            {"name": flag, "type": "boolean"},
                        ],
                    }
                ],
            }
        ],
    }
    (tmp_path / "hostile.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    loaded = dayone(tmp_path, "--db", "ws.db", "load", "hostile.yaml")
    assert loaded.returncode == 0, loaded.stderr

    def ident(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    db = tmp_path / "hostile.db"
    connection = sqlite3.connect(db)
    connection.execute(
        f"CREATE TABLE {ident(table)} (id integer PRIMARY KEY, {ident(column)} text, {ident(dotted)} integer,"
        f" {ident(flag)} boolean, {ident('extra' + PAYLOADS[0])} text)"
    )
    connection.executemany(
        f"INSERT INTO {ident(table)} VALUES (?, ?, ?, ?, NULL)",
        [(1, "a'b", None, 0), (2, "c%_", 1, 0), (3, "\x1b]52;c;SGVsbG8=\x07[/]", 9, 1), (4, "cx_", 2, 0)],
    )
    connection.commit()
    connection.close()
    junit, summary = tmp_path / "hostile.xml", tmp_path / "hostile.md"
    done, report = run_check(
        tmp_path, "--db", "ws.db", "--url", f"sqlite:///{db}", "-v", "--junit", str(junit), "--summary", str(summary)
    )
    assert done.returncode == 1, done.stderr
    assert not forbidden_in(done.stdout + done.stderr + summary.read_text(encoding="utf-8"))
    xmlschema.XMLSchema(XSD).validate(junit)
    annotations = dayone(tmp_path, "--db", "ws.db", "check", "--url", f"sqlite:///{db}", "--format", "github")
    assert annotations.returncode == 1 and not forbidden_in(annotations.stdout)
    assert all(line.startswith("::") for line in annotations.stdout.splitlines())
    assert report is not None
    by_rule = {rule["rule"]: rule for rule in report["rules"] if rule["status"] in ("fail", "warn")}
    assert by_rule["value set"]["violations"] == 2  # the escape sequence and 'cx_' (LIKE wildcards stay literal)
    assert by_rule["relationship"]["violations"] == 1
    assert by_rule["test data"]["violations"] == 1
    assert by_rule["extra column"]["column"] == "extra" + PAYLOADS[0]
    assert "\x1b" not in done.stdout and "extrawipe" in done.stdout
    assert report["rules"][0]["table"] == '"we""ird.ta ble"'


def test_a_view_is_checked_like_a_table(tmp_path: Path) -> None:
    db = tmp_path / "views.db"
    connection = sqlite3.connect(db)
    connection.executescript(
        "CREATE TABLE orders (id integer PRIMARY KEY, status text);"
        " INSERT INTO orders VALUES (1, 'paid'), (2, 'lost'), (3, 'paid');"
        " CREATE VIEW paid_orders AS SELECT id, status FROM orders WHERE status != 'pending';"
    )
    connection.close()
    plan = (
        "dayone: 1\nintegrations:\n- name: Views\n  tables:\n  - name: paid_orders\n    kind: view\n"
        "    columns:\n    - {name: id, type: integer}\n    - {name: status, type: text, values: {paid: paid}}\n"
    )
    (tmp_path / "views.yaml").write_text(plan, encoding="utf-8")
    assert dayone(tmp_path, "--db", "ws.db", "load", "views.yaml").returncode == 0
    done, report = run_check(tmp_path, "--db", "ws.db", "--url", f"sqlite:///{db}")
    assert done.returncode == 1 and report is not None
    assert found(report) == {"value set paid_orders.status": 1}
