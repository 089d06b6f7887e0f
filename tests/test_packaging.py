"""A built wheel carries the checklist templates, the demo plan and the stylesheets, and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_templates_and_demo_and_runs_elsewhere(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next((tmp_path / "dist").glob("dayone-*.whl"))
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(unpacked)
    assert "tui/_shipped/demo.yaml" in names
    stylesheets = {path.relative_to(ROOT).as_posix() for path in (ROOT / "tui").rglob("*.tcss")}
    assert len(stylesheets) >= 3 and stylesheets <= set(names), sorted(stylesheets - set(names))
    assert len([name for name in names if name.startswith("tui/_shipped/checklists/")]) == len(
        list((ROOT / "checklists").glob("*.yaml"))
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "tui", "demo", "--no-open"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(unpacked), "DAYONE_USER": "tester"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "data" / "demo.db").exists()
    probe = subprocess.run(
        [sys.executable, "-c", "import tui.resources as r; print(r.checklists_dir()); print(r.demo_plan())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(unpacked)},
        check=True,
    )
    assert all(line.startswith(str(unpacked)) for line in probe.stdout.split())
