"""Every key binding has one home (tui.keys), an id, a description, and an action that exists where it is bound."""

from __future__ import annotations

import re

import pytest
from textual.binding import Binding

from tui import keys
from tui.app import DayoneApp
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.note_form import NoteForm
from tui.screens.picker import IntegrationPicker
from tui.screens.table import TableScreen
from tui.widgets.panes import ChecklistTable, MetricsTable, NotesTable, StakeholdersTable, TablesTable

ALL = {name: value for name, value in vars(keys).items() if name.isupper() and isinstance(value, list)}

BOUND_ON = [
    (DayoneApp, keys.APP),
    (MainScreen, keys.MAIN),
    (StakeholdersTable, keys.PANE),
    (MetricsTable, keys.PANE),
    (ChecklistTable, keys.PANE + keys.CHECKLIST),
    (TablesTable, keys.PANE + keys.TABLES),
    (NotesTable, keys.PANE + keys.NOTES),
    (TableScreen, keys.TABLE_DETAIL),
    (HelpScreen, keys.HELP),
    (NoteForm, keys.NOTE_FORM),
    (IntegrationPicker, keys.PICKER),
]


def test_every_binding_has_an_id_and_a_description() -> None:
    ids = []
    for group, bindings in ALL.items():
        for binding in bindings:
            assert isinstance(binding, Binding), group
            assert binding.id and binding.id.startswith("dayone."), binding
            assert binding.description.strip(), binding
            ids.append(binding.id)
    assert len(ids) == len(set(ids)), "binding ids must be unique"


def test_no_key_is_bound_twice_in_one_group() -> None:
    for group, bindings in ALL.items():
        seen = [binding.key for binding in bindings]
        assert len(seen) == len(set(seen)), group


@pytest.mark.parametrize(("owner", "bindings"), BOUND_ON, ids=[owner.__name__ for owner, _ in BOUND_ON])
def test_every_action_exists_where_it_is_bound(owner: type, bindings: list[Binding]) -> None:
    assert all(binding in owner.BINDINGS for binding in bindings)
    for binding in bindings:
        target, action = (
            (DayoneApp, binding.action[4:]) if binding.action.startswith("app.") else (owner, binding.action)
        )
        name = re.match(r"\w+", action).group(0)
        assert hasattr(target, f"action_{name}"), f"{owner.__name__}: {binding.key} -> {binding.action}"
