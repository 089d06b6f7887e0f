"""Bad input from the shell: exit status 2, one line naming the file and what to do, the workspace file's bytes
unchanged, and no new file anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from commands import dayone

BILLION_LAUGHS = """dayone: 1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _plan(**fields: object) -> str:
    integration = {"name": "Orders", **fields}
    return yaml.safe_dump({"dayone": 1, "integrations": [integration]}, sort_keys=False)


BAD_PLANS = {
    "billion-laughs": BILLION_LAUGHS,
    "deep-nesting": "dayone: 1\nx: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep-block-nesting": "dayone: 1\nx: " + "- " * 5000 + "x\n",
    "self-alias": "dayone: 1\nx: &a [1, *a]\n",
    "control-character": "dayone: 1\nintegrations:\n- name: wipe \x1b[2J\n",
    "estimated-rows": _plan(tables=[{"schema": "s", "name": "t", "estimated_rows": 2**64}]),
    "negative-huge": _plan(tables=[{"schema": "s", "name": "t", "estimated_rows": -(2**70)}]),
    "impossible-date": "dayone: 1\nintegrations:\n- name: Orders\n  go_live: 2027-02-30\n",
    "impossible-timestamp": _plan(notes=[{"text": "x", "at": "2026-13-45T25:61:00+00:00"}]),
    "yaml-impossible-timestamp": "dayone: 1\nintegrations:\n- name: O\n  notes:\n"
    "  - {text: x, at: 2026-02-30 10:00:00Z}\n",
    "extreme-timestamp": _plan(notes=[{"text": "x", "at": "9999-12-31T23:59:59-05:00"}]),
    "ancient-timestamp": _plan(notes=[{"text": "x", "at": "0001-01-01T00:00:00+01:00"}]),
    "huge-offset": "dayone: 1\nintegrations:\n- name: O\n  notes:\n  - {text: x, at: 2026-01-01 10:00:00+99:00}\n",
    "surrogate-escape": 'dayone: 1\nintegrations:\n- name: "half \\ud800 a character"\n',
    "updated-at": _plan(checklist={"logistics.product_owner": {"updated_at": "yesterday"}}),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def assert_refused(result: subprocess.CompletedProcess, *names: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    made = dayone(folder, "demo", "--no-open")
    assert made.returncode == 0, made.stderr
    meeting = dayone(folder, "--db", "data/demo.db", "meeting", "start", "standup")
    assert meeting.returncode == 0, meeting.stderr
    return folder


@pytest.fixture
def demo_copy(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(template, folder)
    return folder


@pytest.mark.parametrize("name", sorted(BAD_PLANS))
def test_a_bad_plan_changes_nothing(demo_copy: Path, name: str) -> None:
    (demo_copy / "bad.yaml").write_bytes(BAD_PLANS[name].encode("utf-8"))
    before = snapshot(demo_copy)
    into_existing = dayone(demo_copy, "--db", "data/demo.db", "load", "bad.yaml", timeout=30)
    line = assert_refused(into_existing, "bad.yaml")
    assert "\x1b" not in line
    into_new = dayone(demo_copy, "--db", "new.db", "load", "bad.yaml", timeout=30)
    assert_refused(into_new, "bad.yaml")
    from_stdin = dayone(demo_copy, "load", "-", stdin=BAD_PLANS[name], timeout=30)
    assert_refused(from_stdin, "<stdin>")
    assert snapshot(demo_copy) == before


@pytest.mark.parametrize(
    "data",
    [b"dayone: 1\n\xff\xfe binary", b"dayone: 1\nx: \xed\xa0\x80 lone surrogate\n", bytes(range(256))],
    ids=["binary", "lone-surrogate", "every-byte"],
)
def test_stdin_is_decoded_strictly(demo_copy: Path, data: bytes) -> None:
    before = snapshot(demo_copy)
    result = subprocess.run(
        [sys.executable, "-m", "tui", "load", "-"],
        cwd=demo_copy,
        input=data,
        capture_output=True,
        env={**os.environ, "DAYONE_USER": "tester"},
        timeout=30,
    )
    assert result.returncode == 2
    lines = result.stderr.decode("utf-8").strip().splitlines()
    assert len(lines) == 1 and "<stdin>" in lines[0] and "UTF-8" in lines[0], lines
    assert snapshot(demo_copy) == before


@pytest.mark.parametrize(
    "args",
    [
        ["findings", "dismiss", str(2**64), "--reason", "x"],
        ["findings", "dismiss", "-1", "--reason", "x"],
        ["export", "--format", "minutes", "--meeting", str(2**63), "-o", "-"],
        ["export", "--format", "minutes", "--meeting", "99999999999999999999999", "-o", "-"],
        ["serve", "--port", "99999999"],
        ["import-schema", "--url", "postgresql://user@localhost:port/db"],
        ["note", "bad \udcff bytes"],
        ["meeting", "start", "title \udcff"],
        ["--as", "author \udcff", "note", "x"],
    ],
    ids=[
        "dismiss-huge",
        "dismiss-negative",
        "meeting-huge",
        "meeting-huger",
        "port",
        "url-port",
        "note-bytes",
        "title-bytes",
        "author-bytes",
    ],
)
def test_bad_numbers_and_arguments(demo_copy: Path, args: list[str]) -> None:
    before = snapshot(demo_copy)
    existing = dayone(demo_copy, "--db", "data/demo.db", *args)
    assert_refused(existing)
    fresh = dayone(demo_copy, "--db", "new.db", *args)
    assert_refused(fresh)
    assert snapshot(demo_copy) == before


def _corrupt(path: Path) -> None:
    """Overwrite the pages after the first with garbage, as a failing disk or a bad copy leaves a file."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xa5" * (size - 4096))


@pytest.mark.parametrize(
    "args",
    [
        ["notes"],
        ["meetings"],
        ["findings"],
        ["note", "hello"],
        ["load", "plan.yaml"],
        ["export", "-o", "out.md"],
        ["meeting", "start", "x"],
        ["meeting", "end"],
        ["import-schema", "schema.sql", "--dialect", "postgres"],
        [],
    ],
    ids=lambda args: "-".join(args[:2]) or "tui",
)
def test_a_corrupt_workspace_is_one_line_for_every_command(demo_copy: Path, args: list[str]) -> None:
    (demo_copy / "plan.yaml").write_text(_plan(description="x"), encoding="utf-8")
    (demo_copy / "schema.sql").write_text("CREATE TABLE t (id int);\n", encoding="utf-8")
    _corrupt(demo_copy / "data" / "demo.db")
    before = snapshot(demo_copy)
    result = dayone(demo_copy, "--db", "data/demo.db", *args)
    line = assert_refused(result, "data/demo.db")
    assert "damaged" in line or "not a dayone workspace" in line
    assert snapshot(demo_copy) == before


def test_an_empty_db_file_stays_empty_when_the_command_fails(tmp_path: Path) -> None:
    (tmp_path / "empty.db").write_bytes(b"")
    (tmp_path / "bad.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    for args in (["load", "bad.yaml"], ["note", "x"], ["findings", "dismiss", "1", "--reason", "x"]):
        result = dayone(tmp_path, "--db", "empty.db", *args)
        assert_refused(result)
        assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.yaml", "empty.db"]
        assert (tmp_path / "empty.db").read_bytes() == b""


def test_control_characters_in_yaml_leave_no_new_workspace(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_bytes(b"dayone: 1\nintegrations:\n- name: a\x07b\n")
    result = dayone(tmp_path, "load", "bad.yaml")
    line = assert_refused(result, "bad.yaml:3")
    assert "U+0007" in line
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.yaml"], "no data/ folder, no workspace"


def test_a_bomb_in_the_checklist_folder_is_refused_by_every_command(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "01-bomb.yaml").write_text(BILLION_LAUGHS.replace("dayone: 1\n", "key: x\n"), encoding="utf-8")
    for args in (["note", "x"], ["load", "-"]):
        result = dayone(tmp_path, "--checklists", "templates", *args, stdin="", timeout=30)
        assert_refused(result, "01-bomb.yaml")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["templates"]


def test_stdout_on_a_full_device(demo_copy: Path) -> None:
    """Standard output on /dev/full: every write fails with ENOSPC."""
    if not Path("/dev/full").exists():
        pytest.skip("this system has no /dev/full")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tui", "--db", "data/demo.db", "notes"],
            cwd=demo_copy,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "DAYONE_USER": "tester"},
            timeout=60,
        )
    assert_refused(result, "standard output", "full")


# -- file systems that cannot take a write: need root to mount ------------------------------------------------


@pytest.fixture
def mount_point(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small file system needs root")
    point = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
    point.mkdir()
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


def _mount(point: Path, options: str) -> None:
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.mark.parametrize("left", [0, 160 * 1024], ids=["full", "nearly-full"])
def test_a_full_disk_is_one_line_and_loses_nothing(demo_copy: Path, mount_point: Path, left: int) -> None:
    """Full: the workspace cannot even be opened. Nearly full: it opens, and the write fails at COMMIT."""
    _mount(mount_point, "size=2m")
    shutil.copy(demo_copy / "data" / "demo.db", mount_point / "work.db")
    filler = os.open(mount_point / "filler", os.O_WRONLY | os.O_CREAT)
    try:  # fill the device to `left` bytes
        while shutil.disk_usage(mount_point).free > left and os.write(filler, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(filler)
    plan = demo_copy / "plan.yaml"
    plan.write_text(_plan(description="x" * 200_000, notes=[{"text": "y" * 100_000}]), encoding="utf-8")
    before = (mount_point / "work.db").read_bytes()
    db = str(mount_point / "work.db")
    commands = [["note", "z" * 120_000], ["load", str(plan)]]
    if not left:
        commands += [["meeting", "end"], ["export", "-o", str(mount_point / "out.md")]]
    for args in commands:
        result = dayone(demo_copy, "--db", db, *args)
        assert_refused(result, str(mount_point), "full")
    assert (mount_point / "work.db").read_bytes() == before
    assert sorted(path.name for path in mount_point.iterdir()) == ["filler", "work.db"]


def test_a_read_only_file_system(mount_point: Path) -> None:
    _mount(mount_point, "size=1m,ro")
    new_file = dayone(mount_point.parent, "--db", str(mount_point / "new.db"), "note", "x")
    assert_refused(new_file, "new.db")
    default_folder = dayone(mount_point, "note", "x")
    assert_refused(default_folder, "data")
    assert list(mount_point.iterdir()) == []
