"""Where the files that ship with dayone live, in a checkout or inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_SHIPPED = _PACKAGE / "_shipped"
_CHECKOUT = _PACKAGE.parent


def checklists_dir() -> Path:
    """The default checklist templates."""
    shipped = _SHIPPED / "checklists"
    return shipped if shipped.is_dir() else _CHECKOUT / "checklists"


def demo_plan() -> Path:
    """The plan that `dayone demo` loads."""
    shipped = _SHIPPED / "demo.yaml"
    return shipped if shipped.is_file() else _CHECKOUT / "data" / "demo.yaml"
