"""`dayone export` as a user runs it: default paths, standard output, refusals with exit status 2."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
import yaml
from commands import dayone
from export_checks import check_markdown, odcs_errors, parse_confluence

from tui.export_formats import FORMATS


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
        "dayone: warning: masked a password in a connection string in Leaf ID:"
        " sections[infrastructure].items[infrastructure.replica].answer" in result.stderr.splitlines()
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


def test_the_formats_offered_and_explained_are_the_list_of_formats(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "2000")  # no line is wrapped, so no name is broken at its hyphen
    helped = dayone(demo, "export", "--help")
    assert helped.returncode == 0, helped.stderr
    text = " ".join(helped.stdout.split())
    assert f"--format {{{','.join(FORMATS)}}}" in text
    assert "the default is markdown; " + ", ".join(f"{name} ({each.about})" for name, each in FORMATS.items()) in text
    refused = export(demo, "--format", "pdf")
    assert refused.returncode == 2 and "invalid choice: 'pdf'" in refused.stderr
    assert all(repr(name) in refused.stderr for name in FORMATS)
    assert not (demo / "exports").exists()


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
        # The target is checked before anything is rendered: no masking warning comes first.
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("dayone: exports"), result.stderr
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


def test_special_files_are_never_replaced(demo: Path) -> None:
    os.mkfifo(demo / "pipe.md")
    (demo / "real.md").write_text("kept")
    (demo / "link.md").symlink_to(demo / "real.md")
    for target, kind in (("pipe.md", "a named pipe"), ("link.md", "a symbolic link"), ("/dev/null", "a device")):
        result = export(demo, "--integration", "Leaf ID", "-o", target)
        assert result.returncode == 2, result
        assert result.stderr.splitlines() == [
            f"dayone: {target}: is {kind}; exports are written only as regular files (choose another path)"
        ]
    assert (demo / "pipe.md").is_fifo() and (demo / "link.md").is_symlink()
    assert (demo / "real.md").read_text() == "kept"
    with sqlite3.connect(demo / "data" / "demo.db") as db:
        assert db.execute("SELECT count(*) FROM exports").fetchone()[0] == 0


def test_a_path_ending_in_a_slash_is_always_a_folder(demo: Path) -> None:
    result = export(demo, "--integration", "Leaf ID", "-o", "newdir/")
    assert result.returncode == 0, result.stderr
    assert (demo / "newdir").is_dir()
    assert [path.name for path in (demo / "newdir").iterdir()] == ["leaf-id-contract.md"]
    assert export(demo, "--format", "odcs", "-o", "deeper/still/").returncode == 0
    assert len(list((demo / "deeper" / "still").glob("*.odcs.yaml"))) == 4


def test_names_that_slug_alike_get_files_and_ids_of_their_own(demo: Path) -> None:
    names = ["Shop", "shop!", "متجر Shop", "注文", "Заказы", "??"]
    plan = "dayone: 1\nintegrations:\n" + "".join(f"- name: {json.dumps(name)}\n" for name in names)
    (demo / "alike.yaml").write_text(plan, encoding="utf-8")
    assert dayone(demo, "--db", "data/demo.db", "load", "alike.yaml").returncode == 0
    result = export(demo, "--format", "odcs", "-o", "out/")
    assert result.returncode == 0, result.stderr
    files = sorted((demo / "out").glob("*.odcs.yaml"))
    assert len(files) == 4 + len(names)
    ids = [yaml.safe_load(path.read_text(encoding="utf-8"))["id"] for path in files]
    assert len(set(ids)) == len(ids)
    stems = {path.name.removesuffix(".odcs.yaml") for path in files}
    assert {"متجر-shop", "注文", "заказы"} <= stems
    # The two that slug alike both carry their integration's id, so neither depends on the order of creation.
    with sqlite3.connect(demo / "data" / "demo.db") as db:
        id_of = dict(db.execute("SELECT name, id FROM integrations"))
    assert {f"shop-{id_of['Shop']}", f"shop-{id_of['shop!']}", f"integration-{id_of['??']}"} <= stems
    again = export(demo, "--format", "odcs", "-o", "out/")
    assert sorted((demo / "out").glob("*.odcs.yaml")) == files and again.returncode == 0


def test_the_odcs_version_is_chosen_on_the_command_line(demo: Path) -> None:
    result = export(demo, "--format", "odcs", "--integration", "Leaf ID", "--odcs-version", "3.2.0", "-o", "-")
    assert result.returncode == 0, result.stderr
    document = yaml.safe_load(result.stdout)
    assert document["apiVersion"] == "v3.2.0"
    accounts = next(obj for obj in document["schema"] if obj["name"] == "accounts")
    status = next(prop for prop in accounts["properties"] if prop["name"] == "status")
    assert status["enum"][0] == {"value": "pending_verification", "label": "Signed up, email not confirmed yet"}
    refused = export(demo, "--odcs-version", "3.2.0")
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "dayone: --odcs-version: only the ODCS contract has a version of the standard (add --format odcs)"
    ]
