"""The workspace store against real SQLite files: migrations, versions, the change log, undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.errors import ConflictError, ValidationError, WorkspaceError
from tui.schema import ENTITIES, SCHEMA_VERSION
from tui.store import Workspace

pytestmark = pytest.mark.core


def test_new_file_is_migrated_to_the_current_schema(db_path: Path, checklist) -> None:
    with Workspace.open(db_path, checklist=checklist):
        pass
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_entities_match_the_migrated_columns(workspace: Workspace) -> None:
    for ent in ENTITIES.values():
        columns = {row["name"] for row in workspace.query(f"PRAGMA table_info({ent.table})")}
        assert set(ent.fields) | {"id", "version"} == columns, ent.name


def test_connection_pragmas(workspace: Workspace) -> None:
    assert workspace.query("PRAGMA foreign_keys")[0][0] == 1
    assert workspace.query("PRAGMA busy_timeout")[0][0] >= 5000


def test_newer_schema_is_refused_untouched(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(WorkspaceError, match="newer dayone"):
        Workspace.open(db_path)
    assert db_path.read_bytes() == before
    assert not Path(f"{db_path}-wal").exists()


def test_older_schema_is_backed_up_before_migrating(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.schema
    import tui.store

    with Workspace.open(db_path) as ws:
        ws.add_integration("Vault")
    extra = "ALTER TABLE integrations ADD COLUMN colour TEXT"
    monkeypatch.setattr(tui.store, "MIGRATIONS", [*tui.schema.MIGRATIONS, extra])
    monkeypatch.setattr(tui.store, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Workspace.open(db_path) as ws:
        assert ws.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION + 1
        assert "colour" in {row["name"] for row in ws.query("PRAGMA table_info(integrations)")}
    backups = list(db_path.parent.glob(f"{db_path.name}.v{SCHEMA_VERSION}-*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert old.execute("SELECT name FROM integrations").fetchall() == [("Vault",)]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"hello, this is not sqlite at all", "not an SQLite file"), (b"\x00\xff" * 100, "not an SQLite file")],
)
def test_files_that_are_not_workspaces_are_refused(db_path: Path, content: bytes, message: str) -> None:
    db_path.write_bytes(content)
    with pytest.raises(WorkspaceError, match=message):
        Workspace.open(db_path)
    assert db_path.read_bytes() == content


def test_foreign_sqlite_file_is_refused(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE something (x)")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceError, match="not a dayone workspace"):
        Workspace.open(db_path)


def test_read_only_file_is_refused(db_path: Path) -> None:
    Workspace.open(db_path).close()
    db_path.chmod(0o444)
    try:
        with pytest.raises(WorkspaceError, match="read-only"):
            Workspace.open(db_path)
    finally:
        db_path.chmod(0o644)


def test_every_write_is_versioned_and_logged(workspace: Workspace) -> None:
    vault = workspace.add_integration("Vault", source="vault service")
    person = workspace.insert("stakeholder", {"integration_id": vault["id"], "name": "Priya", "role": "analyst"})
    assert person["version"] == 1
    person = workspace.update("stakeholder", person["id"], {"role": "engineering lead"}, version=1)
    assert person["version"] == 2
    change = workspace.changes(vault["id"])[-1]
    assert (change["entity"], change["field"], change["old"], change["new"]) == (
        "stakeholder",
        "role",
        "analyst",
        "engineering lead",
    )
    assert change["author"] == "tester"
    assert change["at"].endswith("+00:00")


def test_stale_version_raises_a_conflict_with_both_values(db_path: Path) -> None:
    with Workspace.open(db_path, author="ana") as ana, Workspace.open(db_path, author="ben") as ben:
        iid = ana.add_integration("Vault")["id"]
        row = ana.insert("stakeholder", {"integration_id": iid, "name": "Priya", "contact": "old"})
        ben.update("stakeholder", row["id"], {"contact": "ben's"}, version=row["version"])
        with pytest.raises(ConflictError) as caught:
            ana.update("stakeholder", row["id"], {"contact": "ana's"}, version=row["version"])
        assert caught.value.theirs["contact"] == "ben's"
        assert caught.value.yours == {"contact": "ana's"}
        assert ana.get("stakeholder", row["id"])["contact"] == "ben's"


def test_bad_values_are_refused_with_the_field_named(workspace: Workspace) -> None:
    iid = workspace.add_integration("Vault")["id"]
    with pytest.raises(ValidationError, match=r"metric.priority: 'urgent' is not one of must, should, could"):
        workspace.insert("metric", {"integration_id": iid, "name": "m", "priority": "urgent"})
    with pytest.raises(ValidationError, match=r"integration\.go_live"):
        workspace.update("integration", iid, {"go_live": "next spring"})
    with pytest.raises(ValidationError, match=r"stakeholder\.name: is required"):
        workspace.insert("stakeholder", {"integration_id": iid, "name": ""})
    with pytest.raises(ValidationError, match="already exists"):
        workspace.add_integration("Vault")
    assert workspace.rows("metric") == []


def test_undo_reverts_an_update_an_insert_and_a_delete_with_children(workspace: Workspace) -> None:
    iid = workspace.add_integration("Vault")["id"]
    person = workspace.insert("stakeholder", {"integration_id": iid, "name": "Priya"})
    table = workspace.insert("table", {"integration_id": iid, "schema": "vault", "name": "items"})
    workspace.insert("column", {"table_id": table["id"], "position": 1, "name": "id"})
    metric = workspace.insert("metric", {"integration_id": iid, "name": "Items", "requested_by": person["id"]})

    workspace.update("metric", metric["id"], {"priority": "must"})
    workspace.undo(workspace.last_batch())
    assert workspace.get("metric", metric["id"])["priority"] is None

    workspace.delete("stakeholder", person["id"])
    assert workspace.get("metric", metric["id"])["requested_by"] is None
    workspace.undo(workspace.last_batch())
    assert workspace.get("metric", metric["id"])["requested_by"] == person["id"]

    workspace.delete("table", table["id"])
    assert workspace.rows("column") == []
    workspace.undo(workspace.last_batch())
    assert [column["name"] for column in workspace.rows("column")] == ["id"]


def test_failed_transaction_changes_nothing(workspace: Workspace) -> None:
    iid = workspace.add_integration("Vault")["id"]
    before = len(workspace.changes())

    def add_priya_twice() -> None:
        with workspace.transaction():
            workspace.insert("stakeholder", {"integration_id": iid, "name": "Priya"})
            workspace.insert("stakeholder", {"integration_id": iid, "name": "Priya"})

    with pytest.raises(ValidationError):
        add_priya_twice()
    assert workspace.rows("stakeholder") == []
    assert len(workspace.changes()) == before


def test_checklist_is_instantiated_and_new_template_items_are_added(tmp_path: Path, checklist) -> None:
    import shutil

    from tui.checklists import load_checklist
    from tui.resources import checklists_dir

    templates = tmp_path / "templates"
    shutil.copytree(checklists_dir(), templates)
    db = tmp_path / "w.db"
    with Workspace.open(db, checklist=load_checklist(templates)) as ws:
        iid = ws.add_integration("Vault")["id"]
        item = ws.rows("item", "integration_id = ?", (iid,))[0]
        ws.update("item", item["id"], {"status": "agreed", "answer": "Priya"})
        total = len(ws.rows("item"))
    assert total == len(checklist.items())
    first = sorted(templates.glob("*.yaml"))[0]
    first.write_text(first.read_text() + "- key: brand_new\n  question: A new question?\n  why: Because it matters.\n")
    with Workspace.open(db, checklist=load_checklist(templates)) as ws:
        assert len(ws.rows("item")) == total + 1
        kept = ws.get("item", item["id"])
        assert (kept["status"], kept["answer"]) == ("agreed", "Priya")


def test_an_item_keeps_the_stamp_its_values_carry(workspace: Workspace) -> None:
    """A loaded plan gives each answer its own updated_at; it is kept even when it equals the current one."""
    iid = workspace.add_integration("Vault")["id"]
    item = workspace.rows("item", "integration_id = ?", (iid,))[0]
    stamped = {"updated_at": "2026-01-02T03:04:05+00:00", "updated_by": "Priya"}
    workspace.update("item", item["id"], stamped)
    workspace.update("item", item["id"], {"status": "agreed", **stamped})
    kept = workspace.get("item", item["id"])
    assert (kept["status"], kept["updated_at"], kept["updated_by"]) == ("agreed", *stamped.values())
    workspace.update("item", item["id"], {"answer": "Priya decides"})
    assert workspace.get("item", item["id"])["updated_at"] > stamped["updated_at"]
    assert workspace.get("item", item["id"])["updated_by"] == workspace.author


def test_data_version_moves_only_for_other_connections(db_path: Path) -> None:
    with Workspace.open(db_path) as mine, Workspace.open(db_path) as theirs:
        start = mine.data_version()
        mine.add_integration("Mine")
        assert mine.data_version() == start
        theirs.add_integration("Theirs")
        assert mine.data_version() != start
