"""`dayone import-schema` and `dayone findings` from the shell: summaries, defaults, and bad input refused whole."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from tui.cli import main
from tui.store import Workspace

pytestmark = pytest.mark.core

DDL = Path(__file__).parent / "fixtures" / "ddl"


def run(db: Path, *args: str) -> int:
    return main([*args, "--db", str(db)])


def digest(path: Path) -> str:
    """The workspace contents, independent of WAL housekeeping."""
    with sqlite3.connect(path) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


@pytest.fixture
def imported(db_path: Path) -> Path:
    assert (
        run(
            db_path,
            "import-schema",
            str(DDL / "guacamole-postgresql.sql"),
            "--dialect",
            "postgres",
            "--new-integration",
            "Guacamole",
        )
        == 0
    )
    return db_path


def test_import_prints_the_summary_and_records_the_import(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pagila = str(DDL / "pagila-postgresql.sql")
    assert run(db_path, "import-schema", pagila, "--dialect", "postgres", "--new-integration", "pagila-postgresql") == 0
    out = capsys.readouterr().out
    assert "16 tables, 93 columns" in out and "into pagila-postgresql" in out
    assert "first import: 16 tables added" in out
    assert "2 views" in out and "5 functions" in out and "1 data statements" in out
    with Workspace.open(db_path) as ws:
        (row,) = ws.query("SELECT * FROM imports")
        assert row["dialect"] == "postgres" and row["author"] == "tester"
        assert row["source"].endswith("pagila-postgresql.sql")
        assert len(ws.rows("table")) == 16


def test_without_integration_the_last_used_one_is_the_target(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(imported, "import-schema", str(DDL / "guacamole-postgresql.sql"), "--dialect", "postgres") == 0
    assert "into Guacamole" in capsys.readouterr().out
    with Workspace.open(imported) as ws:
        assert [row["name"] for row in ws.integrations()] == ["Guacamole"]


def test_another_source_without_integration_is_refused_rather_than_replacing(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(imported)
    capsys.readouterr()
    assert run(imported, "import-schema", str(DDL / "pagila-postgresql.sql"), "--dialect", "postgres") == 2
    err = capsys.readouterr().err
    assert (
        "name the integration with --integration, or --new-integration NAME for a new one ('Guacamole' holds an import"
        in err
    )
    assert len(err.strip().splitlines()) == 1
    assert digest(imported) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (bytes(range(256)) * 40, "not a SQL text file"),
        (b"SELECT 1;\nINSERT INTO x VALUES (1);\n", "no CREATE TABLE statements"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(
    imported: Path, tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(imported)
    bad = tmp_path / "bad.sql"
    bad.write_bytes(content)
    capsys.readouterr()
    assert run(imported, "import-schema", str(bad), "--dialect", "postgres", "--integration", "Guacamole") == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert digest(imported) == before


def test_a_50_mb_file_is_refused(imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(imported)
    big = tmp_path / "big.sql"
    line = b"INSERT INTO t VALUES (1, 'padding padding padding padding padding padding padding');\n"
    with big.open("wb") as handle:
        handle.write(b"CREATE TABLE t (id int, v text);\n")
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    capsys.readouterr()
    assert run(imported, "import-schema", str(big), "--dialect", "postgres") == 2
    err = capsys.readouterr().err
    assert "50.0 MB is more than" in err and len(err.strip().splitlines()) == 1
    assert digest(imported) == before


def test_the_wrong_dialect_is_refused(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(imported)
    capsys.readouterr()
    assert (
        run(
            imported,
            "import-schema",
            str(DDL / "chinook-sqlite.sql"),
            "--dialect",
            "mysql",
            "--new-integration",
            "Chinook",
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "none of the 11 CREATE TABLE statements could be read as mysql" in err and "--dialect" in err
    assert len(err.strip().splitlines()) == 1
    assert digest(imported) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "sqlite:///does/not/exist.db"], "no such SQLite file"),
        (["--url", "postgresql://someone:hunter2@127.0.0.1:9/nothing"], "cannot read the database"),
        (["--url", "not a url"], "not a database URL"),
        (["--url", "oracle+nosuchdriver://u:p@h/db"], "unknown database kind"),
        (["--url", "mysql+mysqldb://u:hunter2@127.0.0.1:9/db"], "driver is not installed"),
        (["--url", "mysql://u:hunter2@127.0.0.1:9/db"], "cannot read the database"),
        ([], "give either FILE.sql"),
        (["schema.sql"], "--dialect"),
    ],
)
def test_bad_urls_and_arguments_are_one_line(
    imported: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(imported)
    capsys.readouterr()
    assert run(imported, "import-schema", *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert "hunter2" not in err
    assert digest(imported) == before


def test_a_failed_import_into_a_new_workspace_leaves_no_file(db_path: Path) -> None:
    assert run(db_path, "import-schema", "--url", "sqlite:///nowhere.db") == 2
    assert not db_path.exists()


def test_findings_list_dismiss_and_survive_a_reimport(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(imported, "findings") == 0
    listing = capsys.readouterr().out.splitlines()
    history = next(line for line in listing if "history_table" in line)
    finding_id = history.split()[0]
    assert "data_flow.status_history" in history
    assert run(imported, "findings", "dismiss", finding_id, "--reason", "it only logs sessions") == 0
    assert run(imported, "import-schema", str(DDL / "guacamole-postgresql.sql"), "--dialect", "postgres") == 0
    capsys.readouterr()
    assert run(imported, "findings") == 0
    assert "history_table" not in capsys.readouterr().out
    assert run(imported, "findings", "--all") == 0
    assert "dismissed by tester: it only logs sessions" in capsys.readouterr().out
    assert run(imported, "findings", "dismiss", "99999", "--reason", "x") == 2
    assert run(imported, "findings", "dismiss", finding_id, "--reason", "  ") == 2
