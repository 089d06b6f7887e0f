"""The `dayone` command as a user runs it: real processes, real files, exit codes and messages."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from commands import dayone

from tui import __version__
from tui.schema import SCHEMA_VERSION


def assert_user_error(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


def test_version(tmp_path: Path) -> None:
    result = dayone(tmp_path, "--version")
    assert result.stdout.strip() == f"dayone {__version__}"


def test_demo_writes_a_workspace(tmp_path: Path) -> None:
    result = dayone(tmp_path, "demo", "--no-open")
    assert result.returncode == 0, result.stderr
    assert "data/demo.db" in result.stderr
    conn = sqlite3.connect(tmp_path / "data" / "demo.db")
    assert conn.execute("SELECT count(*) FROM integrations").fetchone()[0] >= 3
    authors = {row[0] for row in conn.execute("SELECT DISTINCT author FROM changes")}
    assert authors == {"demo plan"}
    again = dayone(tmp_path, "demo", "--no-open")
    assert again.returncode == 0
    assert (
        conn.execute("SELECT count(*) FROM stakeholders").fetchone()[0]
        == sqlite3.connect(tmp_path / "data" / "demo.db").execute("SELECT count(*) FROM stakeholders").fetchone()[0]
    )


def test_note_goes_to_the_last_integration_and_says_which(tmp_path: Path) -> None:
    dayone(tmp_path, "demo", "--no-open")
    db = "data/demo.db"
    first = dayone(tmp_path, "--db", db, "note", "ask about replicas", "--todo", "--integration", "Orders")
    assert first.returncode == 0, first.stderr
    assert "Orders" in first.stdout
    second = dayone(tmp_path, "note", "a private thought", "--private", "--db", db)
    assert "added to Orders" in second.stdout
    listing = dayone(tmp_path, "--db", db, "notes", "--integration", "Orders")
    heading, *lines = listing.stdout.strip().splitlines()
    assert heading.split() == ["when", "integration", "author", "note"]
    assert "[ ] ask about replicas" in lines[-2]
    assert "(private)" in lines[-1] and "Orders" in lines[-1]
    assert lines == sorted(lines), "newest last"


def test_default_workspace_is_created_under_the_current_folder(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("dayone: 1\nintegrations:\n- name: Vault\n")
    result = dayone(tmp_path, "load", "plan.yaml")
    assert result.returncode == 0, result.stderr
    assert "created a new workspace at data/dayone.db" in result.stderr
    assert (tmp_path / "data" / "dayone.db").exists()


def test_dayone_db_environment_variable(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text("dayone: 1\nintegrations:\n- name: Vault\n")
    env = {**os.environ, "DAYONE_DB": str(tmp_path / "elsewhere.db")}
    subprocess.run(
        [sys.executable, "-m", "tui", "load", "plan.yaml"], cwd=tmp_path, env=env, check=True, capture_output=True
    )
    assert (tmp_path / "elsewhere.db").exists()


def test_export_load_round_trip_through_the_command(tmp_path: Path) -> None:
    dayone(tmp_path, "demo", "--no-open")
    exported = dayone(tmp_path, "--db", "data/demo.db", "export", "--format", "yaml", "--full", "-o", "-")
    assert exported.returncode == 0
    (tmp_path / "plan.yaml").write_text(exported.stdout)
    assert dayone(tmp_path, "--db", "copy.db", "load", "plan.yaml").returncode == 0
    again = dayone(tmp_path, "--db", "copy.db", "export", "--format", "yaml", "--full", "-o", "-")
    assert again.stdout == exported.stdout


def test_as_names_the_author(tmp_path: Path) -> None:
    dayone(tmp_path, "demo", "--no-open")
    dayone(tmp_path, "--db", "data/demo.db", "--as", "Dana", "note", "hello")
    author = (
        sqlite3.connect(tmp_path / "data" / "demo.db")
        .execute("SELECT author FROM notes ORDER BY id DESC LIMIT 1")
        .fetchone()[0]
    )
    assert author == "Dana"


def _file_state(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("none", ("load", "missing.yaml"), "missing.yaml: no such plan file"),
        ("text", ("notes",), "not an SQLite file"),
        ("newer", ("notes",), "newer dayone"),
        ("readonly", ("note", "hi"), "read-only"),
        ("badyaml", ("load", "plan.yaml"), "not valid YAML"),
        ("badenum", ("load", "plan.yaml"), "integrations[0].stakeholders[0].role: 'ceo' is not one of"),
        ("none", ("note", "hi", "--integration", "Nope"), "no integration named 'Nope'"),
        ("none", ("notes", "--bogus"), "unrecognized arguments: --bogus"),
        ("none", ("--checklists", "nowhere", "note", "hi"), "nowhere: no such checklist folder"),
        ("none", ("notes",), "w.db: no workspace here yet"),
    ],
)
def test_user_errors_are_one_line_exit_2_and_change_nothing(tmp_path: Path, setup: str, args, message: str) -> None:
    db = tmp_path / "w.db"
    if setup == "text":
        db.write_text("just some text\n")
    elif setup in ("newer", "readonly"):
        sqlite3.connect(db).execute(f"PRAGMA user_version = {SCHEMA_VERSION + (setup == 'newer')}")
        if setup == "readonly":
            db.unlink()
            assert dayone(tmp_path, "--db", "w.db", "integration", "add", "Orders").returncode == 0
            db.chmod(0o444)
    elif setup == "badyaml":
        (tmp_path / "plan.yaml").write_text("dayone: 1\nintegrations: [\n")
    elif setup == "badenum":
        (tmp_path / "plan.yaml").write_text(
            "dayone: 1\nintegrations:\n- name: V\n  stakeholders:\n  - {name: A, role: ceo}\n"
        )
    before = _file_state(db)
    result = dayone(tmp_path, "--db", "w.db", *args)
    assert_user_error(result, message)
    assert _file_state(db) == before
    assert not (tmp_path / "data").exists()


def test_no_workspace_file_is_left_behind_by_a_failed_first_command(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text("dayone: 1\nintegrations:\n- name: V\n  go_live: tomorrow\n")
    result = dayone(tmp_path, "load", "plan.yaml")
    assert_user_error(result, "integrations[0].go_live: 'tomorrow' is not a date")
    assert not (tmp_path / "data" / "dayone.db").exists()
