"""`dayone export` as a user runs it: default paths, standard output, refusals with exit status 2."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from commands import dayone
from export_checks import check_markdown, odcs_errors, parse_confluence


def export(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return dayone(cwd, "--db", "data/demo.db", "export", *args)


def test_markdown_is_the_default_one_file_per_integration(demo: Path) -> None:
    result = export(demo)
    assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in (demo / "exports").iterdir())
    assert names == ["catalogue-contract.md", "fulfilment-contract.md", "leaf-id-contract.md", "orders-contract.md"]
    for path in (demo / "exports").iterdir():
        check_markdown(path.read_text(encoding="utf-8"))
    assert (
        "dayone: warning: masked a password in a connection string in Leaf ID checklist infrastructure.replica"
        in result.stderr.splitlines()
    )
    assert "Fern-Moss-42" not in (demo / "exports" / "leaf-id-contract.md").read_text(encoding="utf-8")
    with sqlite3.connect(demo / "data" / "demo.db") as db:
        rows = db.execute("SELECT format, path, author FROM exports ORDER BY id").fetchall()
    assert sorted(rows) == sorted(("markdown", f"exports/{name}", "tester") for name in names)


def test_each_format_lands_at_its_own_path(demo: Path) -> None:
    for fmt, name in (
        ("confluence", "leaf-id-contract.confluence.xml"),
        ("odcs", "leaf-id.odcs.yaml"),
        ("minutes", "leaf-id-minutes.md"),
        ("yaml", "leaf-id.plan.yaml"),
    ):
        result = export(demo, "--format", fmt, "--integration", "Leaf ID")
        assert result.returncode == 0, result.stderr
        assert f"dayone: wrote exports/{name}" in result.stderr
    exports = demo / "exports"
    parse_confluence((exports / "leaf-id-contract.confluence.xml").read_text(encoding="utf-8"))
    assert odcs_errors((exports / "leaf-id.odcs.yaml").read_text(encoding="utf-8")) == []
    check_markdown((exports / "leaf-id-minutes.md").read_text(encoding="utf-8"))
    assert export(demo, "--format", "yaml").returncode == 0
    assert (exports / "workspace.plan.yaml").is_file()


def test_standard_output_writes_no_file(demo: Path) -> None:
    result = export(demo, "--integration", "Leaf ID", "--no-mermaid", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Data contract: Leaf ID\n")
    assert "erDiagram" not in result.stdout
    assert not (demo / "exports").exists()


def test_reexport_through_the_command_is_byte_identical(demo: Path) -> None:
    first = export(demo, "--integration", "Orders", "-o", "-").stdout
    second = export(demo, "--integration", "Orders", "-o", "-").stdout
    assert first == second and first


def test_unwritable_targets_fail_cleanly_and_write_nothing(demo: Path) -> None:
    (demo / "exports").write_text("a file where the folder should be")
    for args in (("--integration", "Leaf ID", "-o", "exports/leaf.md"), ("--integration", "Leaf ID"), ()):
        result = export(demo, *args)
        assert result.returncode == 2, result
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if not line.startswith("dayone: warning:")]
        assert len(errors) == 1 and errors[0].startswith("dayone: exports"), result.stderr
    assert (demo / "exports").read_text() == "a file where the folder should be"
    with sqlite3.connect(demo / "data" / "demo.db") as db:
        assert db.execute("SELECT count(*) FROM exports").fetchone()[0] == 0


def test_one_output_file_for_many_integrations_is_refused(demo: Path) -> None:
    result = export(demo, "-o", "all.md")
    assert result.returncode == 2
    assert "add --integration NAME or give a folder" in result.stderr
    assert not (demo / "all.md").exists()
    (demo / "out").mkdir()
    assert export(demo, "--format", "odcs", "-o", "out").returncode == 0
    assert len(list((demo / "out").glob("*.odcs.yaml"))) == 4


def test_bad_since_date_is_a_usage_error(demo: Path) -> None:
    result = export(demo, "--format", "minutes", "--since", "yesterday")
    assert result.returncode == 2
    assert "'yesterday' is not a date (YYYY-MM-DD)" in result.stderr
    assert not (demo / "exports").exists()


def test_exports_get_ordinary_file_permissions(demo: Path) -> None:
    assert export(demo, "--integration", "Leaf ID").returncode == 0
    mode = (demo / "exports" / "leaf-id-contract.md").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask
