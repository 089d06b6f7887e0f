"""The record from the shell: names that must exist, commands that only read, backups, integrations, todos."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from commands import dayone

from tui.checklists import Checklist
from tui.store import Workspace

DDL = "CREATE TABLE accounts (id bigint PRIMARY KEY, status text NOT NULL);\n"


@pytest.fixture
def vault(tmp_path: Path, checklist: Checklist) -> Path:
    """A folder whose default workspace holds one integration, Vault, and a DDL file to import."""
    (tmp_path / "data").mkdir()
    with Workspace.open(tmp_path / "data" / "dayone.db", author="tester", checklist=checklist) as ws:
        iid = ws.add_integration("Vault")["id"]
        ws.insert("stakeholder", {"integration_id": iid, "name": "Ann Lee"})
    (tmp_path / "vault.sql").write_text(DDL, encoding="utf-8")
    return tmp_path


def integration_names(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "data" / "dayone.db") as conn:
        return [row[0] for row in conn.execute("SELECT name FROM integrations ORDER BY id")]


# -- unknown integration names -------------------------------------------------------------------


def test_a_mistyped_integration_name_is_refused_with_the_known_ones(vault: Path):
    done = dayone(vault, "import-schema", "vault.sql", "--dialect", "postgres", "--integration", "vault")
    assert done.returncode == 2
    assert done.stderr == "dayone: no integration named 'vault' (known: Vault); did you mean 'Vault'?\n"
    assert integration_names(vault) == ["Vault"]
    for command in (("note", "hello"), ("export", "-o", "-"), ("findings",), ("meeting", "start", "Weekly")):
        done = dayone(vault, *command, "--integration", "VAULT")
        assert done.returncode == 2, command
        assert "no integration named 'VAULT' (known: Vault)" in done.stderr, command
    assert integration_names(vault) == ["Vault"]


def test_a_new_integration_is_made_only_when_asked_for(vault: Path):
    done = dayone(vault, "import-schema", "vault.sql", "--dialect", "postgres", "--new-integration", "Ledger")
    assert done.returncode == 0, done.stderr
    assert integration_names(vault) == ["Vault", "Ledger"]
    again = dayone(vault, "import-schema", "vault.sql", "--dialect", "postgres", "--new-integration", "Ledger")
    assert again.returncode == 2 and "an integration named 'Ledger' already exists" in again.stderr


def test_an_import_into_an_empty_workspace_asks_for_the_new_integrations_name(tmp_path: Path):
    (tmp_path / "shop.sql").write_text(DDL, encoding="utf-8")
    done = dayone(tmp_path, "import-schema", "shop.sql", "--dialect", "postgres")
    assert done.returncode == 2
    assert "no integrations yet; name a new one with --new-integration shop" in done.stderr
    assert not (tmp_path / "data" / "dayone.db").exists()


# -- commands that only read ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [("notes",), ("meetings",), ("findings",), ("export", "-o", "-"), ("integration", "list"), ("backup", "copy.db")],
)
def test_reading_commands_never_create_a_workspace_and_point_at_the_demo(demo: Path, command: tuple[str, ...]):
    done = dayone(demo, *command)
    assert done.returncode == 2
    assert done.stderr == (
        "dayone: data/dayone.db: no workspace here yet; the demo is in data/demo.db: "
        "add --db data/demo.db (or set DAYONE_DB=data/demo.db)\n"
    )
    assert not (demo / "data" / "dayone.db").exists()


def test_the_demo_says_how_to_open_it(tmp_path: Path):
    done = dayone(tmp_path, "demo", "--no-open")
    assert done.returncode == 0
    assert "open it with `dayone --db data/demo.db`" in done.stderr
    listed = dayone(tmp_path, "notes", "--db", "data/demo.db")
    assert listed.returncode == 0 and listed.stdout


# -- how the shell reads ---------------------------------------------------------------------------


def test_counts_read_as_english(vault: Path, tmp_path: Path):
    plan = tmp_path / "one.yaml"
    plan.write_text("dayone: 1\nintegrations:\n- name: Ledger\n  stakeholders: [{name: Bo}]\n", encoding="utf-8")
    done = dayone(vault, "load", str(plan))
    assert done.stdout == "dayone: loaded " + str(plan) + ": 1 integration, 1 stakeholder\n"
    dayone(vault, "meeting", "start", "Quiet", "--integration", "Vault")  # its own start is its one change
    dayone(vault, "meeting", "end", "--integration", "Vault")
    dayone(vault, "meeting", "start", "Weekly", "--integration", "Vault")
    dayone(vault, "note", "said once", "--integration", "Vault")
    dayone(vault, "meeting", "end", "--integration", "Vault")
    listed = dayone(vault, "meetings").stdout
    assert "Quiet  (1 change; no attendees listed)" in listed
    assert "Weekly  (2 changes; no attendees listed)" in listed


def test_findings_have_column_headings(vault: Path):
    assert (
        dayone(vault, "import-schema", "vault.sql", "--dialect", "postgres", "--integration", "Vault").returncode == 0
    )
    lines = dayone(vault, "findings").stdout.splitlines()
    assert lines[0].split() == ["id", "checklist", "item", "rule", "where", "finding"]
    assert any("status_without_values" in line and "accounts.status" in line for line in lines[1:])


def test_notes_columns_stay_put_with_long_author_names(vault: Path):
    dayone(vault, "note", "short name", "--as", "Al")
    dayone(vault, "note", "long name", "--as", "Maximiliane Vandenberghe-Oyelaran")
    lines = dayone(vault, "notes").stdout.splitlines()
    assert lines[0].split()[:3] == ["when", "integration", "author"]
    starts = {line.index(text) for line, text in zip(lines[1:], ("short name", "long name"), strict=True)}
    assert len(starts) == 1, lines


# -- todos ---------------------------------------------------------------------------------------


def test_a_todo_from_the_shell_has_an_owner_and_a_due_date(vault: Path):
    done = dayone(vault, "note", "send the replica host", "--todo", "--owner", "Ann Lee", "--due", "2026-12-14")
    assert done.returncode == 0, done.stderr
    assert "todo added to Vault (owner Ann Lee, due 2026-12-14)" in done.stdout
    assert "[ ] send the replica host  (owner Ann Lee, due 2026-12-14)" in dayone(vault, "notes").stdout
    relative = dayone(vault, "note", "chase the DBA", "--todo", "--due", "+1w")
    assert relative.returncode == 0, relative.stderr
    for bad, problem in (
        (("--todo", "--owner", "Nobody"), "no stakeholder named 'Nobody' in this integration (known: Ann Lee)"),
        (("--todo", "--due", "someday"), "'someday' is not a date"),
        (("--owner", "Ann Lee"), "--owner and --due are for todos"),
    ):
        refused = dayone(vault, "note", "x", *bad)
        assert refused.returncode == 2 and problem in refused.stderr, refused.stderr


# -- backup and integrations -----------------------------------------------------------------------


def test_backup_copies_what_sits_in_the_write_ahead_log(vault: Path, checklist: Checklist):
    path = vault / "data" / "dayone.db"
    with Workspace.open(path, author="tester", checklist=checklist) as ws:
        ws.conn.execute("PRAGMA wal_autocheckpoint = 0")  # keep the notes in the WAL, as an open screen may
        for number in range(20):
            ws.add_note(ws.integration("Vault")["id"], f"note {number}")
        assert Path(f"{path}-wal").stat().st_size > 0
        done = dayone(vault, "backup", "copy.db")
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(vault / "copy.db") as copy:
        assert copy.execute("SELECT count(*) FROM notes").fetchone()[0] == 20
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = dayone(vault, "backup", "copy.db")
    assert again.returncode == 2 and "copy.db: already exists" in again.stderr


def test_integrations_are_added_renamed_archived_and_listed(vault: Path):
    assert dayone(vault, "integration", "add", "Ledger", "--source", "ledger, MySQL 8").returncode == 0
    assert dayone(vault, "integration", "rename", "Ledger", "General ledger").returncode == 0
    assert dayone(vault, "integration", "archive", "General ledger").returncode == 0
    assert dayone(vault, "integration", "list").stdout.split("\n")[1].split()[0] == "Vault"
    listed = dayone(vault, "integration", "list", "--archived").stdout
    assert "General ledger" in listed and "archived" in listed
    refused = dayone(vault, "integration", "rename", "Vault", "General ledger")
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert dayone(vault, "integration", "archive", "General ledger", "--restore").returncode == 0
    assert integration_names(vault) == ["Vault", "General ledger"]


def test_counts_are_singular_for_one():
    from tui.words import plural

    assert [plural(count, "change") for count in (0, 1, 2)] == ["0 changes", "1 change", "2 changes"]


def test_a_new_demo_refills_the_file_that_open_screens_write_to(tmp_path: Path, checklist: Checklist):
    assert dayone(tmp_path, "demo", "--no-open").returncode == 0
    with Workspace.open(tmp_path / "data" / "demo.db", author="screen", checklist=checklist) as open_screen:
        leaf = open_screen.integration("Leaf ID")
        open_screen.add_note(leaf["id"], "before the new demo")
        again = dayone(tmp_path, "demo", "--no-open")
        assert again.returncode == 0, again.stderr
        # The screen's connection sees the new demo, and what it writes lands in the file everyone reads.
        leaf = open_screen.integration("Leaf ID")
        open_screen.add_note(leaf["id"], "after the new demo")
    listed = dayone(tmp_path, "notes", "--db", "data/demo.db").stdout
    assert "after the new demo" in listed
    assert "before the new demo" not in listed
    again = dayone(tmp_path, "demo", "--no-open")
    assert "added to Leaf ID" in dayone(tmp_path, "note", "hello", "--db", "data/demo.db").stdout  # opens on the first
