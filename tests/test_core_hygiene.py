"""The core never imports Textual: the CLI, exports and tests use it without a UI."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import tui

pytestmark = pytest.mark.core

PACKAGE = Path(tui.__file__).parent
PYPROJECT = Path(__file__).parent.parent / "pyproject.toml"
UI_MODULES = {"app", "commands", "messages", "keys", "workers"}
UI_PACKAGES = {"screens", "widgets"}


def core_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if (
            relative.parts[0] in UI_PACKAGES
            or (len(relative.parts) == 1 and path.stem in UI_MODULES)
            or path.stem == "__main__"
        ):
            continue
        parts = ["tui", *relative.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def test_core_modules_exist() -> None:
    modules = core_modules()
    assert "tui.store" in modules and "tui.overview" in modules and "tui.app" not in modules


def test_core_modules_never_import_textual() -> None:
    modules = core_modules()
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_the_import_contract_names_every_core_module() -> None:
    """import-linter keeps Textual out of the same modules, lazy imports included (run by .ci/run)."""
    contracts = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    contract = next(each for each in contracts if each["name"] == "The core never imports Textual")
    tops = {".".join(name.split(".")[:2]) for name in core_modules() if name != "tui"}
    missing, extra = sorted(tops - set(contract["source_modules"])), sorted(set(contract["source_modules"]) - tops)
    assert not missing and not extra, f"the core contract in pyproject.toml should add {missing} and drop {extra}"
    assert "textual" in contract["forbidden_modules"]


def test_core_tests_never_import_textual() -> None:
    """`pytest -m core` runs without Textual: the test modules marked core import none of it either."""
    tests = Path(__file__).parent
    marked = sorted(path.stem for path in tests.glob("test_*.py") if "pytest.mark.core" in path.read_text("utf-8"))
    script = (
        "import importlib, sys\n"
        f"sys.path.insert(0, {str(tests)!r})\n"
        f"for name in ['conftest', *{marked!r}]:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "test_store" in marked and "test_review" not in marked
    assert result.stdout.strip() == "[]", result.stdout


def test_the_app_does_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys, tui.app; print('textual' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "True"
