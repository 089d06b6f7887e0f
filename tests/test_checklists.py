"""The shipped checklist templates, and the errors a malformed template gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.checklists import load_checklist
from tui.errors import DayoneError
from tui.resources import checklists_dir

pytestmark = pytest.mark.core

SECTIONS = ["Logistics", "Infrastructure", "Data model", "Application & data flow", "Data contracts"]


def test_sections_come_in_the_meeting_order(checklist) -> None:
    assert [section.title for section in checklist.sections] == SECTIONS


def test_every_item_has_a_question_and_a_why(checklist) -> None:
    items = checklist.items()
    assert len(items) >= 35
    for item in items:
        assert item.question.endswith("?"), item.full_key
        assert len(item.why) > 20, item.full_key
    assert len({item.full_key for item in items}) == len(items)


@pytest.mark.parametrize(
    "key",
    [
        "logistics.point_of_contact",
        "logistics.channels",
        "logistics.metrics_timeline",
        "infrastructure.hosting",
        "infrastructure.replica",
        "infrastructure.ssh_tunnel",
        "infrastructure.credentials",
        "data_model.value_sets",
        "data_model.json_columns",
        "data_model.timezones",
        "data_flow.deletes",
        "data_flow.legacy_migration",
        "data_flow.test_data",
        "contracts.enforcement",
        "contracts.change_communication",
        "contracts.sla",
    ],
)
def test_the_integration_questions_are_covered(checklist, key: str) -> None:
    assert checklist.item(key) is not None


def _template(folder: Path, text: str, name: str = "01-x.yaml") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return folder


GOOD_ITEM = "- key: a\n  question: Q?\n  why: W.\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key: x\ntitle: X\norder: 1\nitems: [\n", r"01-x.yaml:\d+: not valid YAML"),
        ("key: x\ntitle: X\norder: 1\nitems:\n- key: a\n  why: W.\n", r"01-x.yaml:5: items\[0\]: missing 'question'"),
        (
            "key: x\ntitle: X\norder: 1\nitems:\n" + GOOD_ITEM + GOOD_ITEM,
            r"01-x.yaml:8: items\[1\].key: duplicate item key 'a'",
        ),
        ("key: x\ntitle: X\norder: 1\ncolour: red\nitems:\n" + GOOD_ITEM, r"01-x.yaml:4: colour: unknown key"),
        (
            "key: x\ntitle: X\norder: 1\nitems:\n" + GOOD_ITEM + "  scope: galaxy\n",
            r"01-x.yaml:8: items\[0\].scope: 'galaxy' is not one of",
        ),
        ("key: x\ntitle: X\ntitle: Y\norder: 1\nitems:\n" + GOOD_ITEM, r"01-x.yaml:3: title: duplicate key"),
    ],
)
def test_malformed_templates_name_file_line_and_problem(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(DayoneError, match=expected):
        load_checklist(_template(tmp_path / "t", text))


def test_a_section_defined_twice_is_refused(tmp_path: Path) -> None:
    folder = _template(tmp_path / "t", "key: x\ntitle: X\norder: 1\nitems:\n" + GOOD_ITEM)
    _template(folder, "key: x\ntitle: X again\norder: 2\nitems:\n" + GOOD_ITEM, "02-y.yaml")
    with pytest.raises(DayoneError, match="also defined in"):
        load_checklist(folder)


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(DayoneError, match="no checklist templates"):
        load_checklist(tmp_path / "empty")


def test_the_shipped_folder_is_found() -> None:
    assert len(list(checklists_dir().glob("*.yaml"))) == 5
