"""CSS lives in the .tcss files the app loads: no module carries a CSS string, and every rule names a real widget."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from textual.app import App
from textual.css.model import SelectorType
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

import tui
from tui.app import DayoneApp

PACKAGE = Path(tui.__file__).parent
CSS_ATTRIBUTES = {"DEFAULT_CSS", "CSS"}


def css_attributes(source: str) -> list[str]:
    """'Class.ATTRIBUTE' for each CSS string a class body assigns, plain or annotated."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            targets = statement.targets if isinstance(statement, ast.Assign) else []
            if isinstance(statement, ast.AnnAssign):
                targets = [statement.target]
            found += [f"{node.name}.{t.id}" for t in targets if isinstance(t, ast.Name) and t.id in CSS_ATTRIBUTES]
    return found


def test_the_check_finds_css_strings() -> None:
    source = 'class A:\n    DEFAULT_CSS = "A {}"\n\nclass B:\n    CSS: str = "B {}"\n    CSS_PATH = "b.tcss"\n'
    assert css_attributes(source) == ["A.DEFAULT_CSS", "B.CSS"]


def test_no_module_carries_css() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}: {name}"
        for path in modules
        for name in css_attributes(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "move these rules into a .tcss file: " + "; ".join(offenders)


def app_stylesheet() -> Stylesheet:
    """The app's stylesheets, parsed with the default theme's variables: a typo in a property or a variable fails."""
    stylesheet = Stylesheet(variables=App().get_css_variables())
    stylesheet.read_all(DayoneApp.CSS_PATH)
    stylesheet.parse()
    return stylesheet


def test_the_app_loads_every_stylesheet_in_the_package() -> None:
    loaded = {Path(path).resolve() for path in DayoneApp.CSS_PATH}
    assert loaded == {path.resolve() for path in PACKAGE.rglob("*.tcss")}
    assert len(loaded) >= 3


@pytest.fixture(scope="module")
def widget_names() -> set[str]:
    """The name of every screen and widget class, Textual's and the app's own."""
    for package in ("tui.screens", "tui.widgets"):
        for module in pkgutil.iter_modules(importlib.import_module(package).__path__, f"{package}."):
            importlib.import_module(module.name)
    names: set[str] = set()
    pending = [DOMNode]
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending += cls.__subclasses__()
    return names


def test_every_rule_names_a_widget_that_exists(widget_names: set[str]) -> None:
    """A rule for a renamed or removed class would silently style nothing."""
    named = {
        selector.name
        for rule in app_stylesheet().rules
        for selector_list in rule.selector_set
        for selector in selector_list.selectors
        if selector.type == SelectorType.TYPE
    }
    assert {"ReviewScreen", "KeyFooter", "OptionList"} <= named
    assert not named - widget_names, f"no such widget: {sorted(named - widget_names)}"
