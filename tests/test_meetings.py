"""Meetings in the core: one at a time, every change made while one runs belongs to it, minutes when it ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.checklists import Checklist
from tui.errors import NotFound, ValidationError
from tui.meetings import (
    change_groups,
    changes_since_last_meeting,
    count_changes_since_last_meeting,
    end_meeting,
    last_meeting,
    meeting,
    running_meeting,
    shown_value,
    start_meeting,
)
from tui.store import Workspace

pytestmark = pytest.mark.core


@pytest.fixture
def leaf(demo_workspace: Workspace) -> dict:
    return demo_workspace.integration("Leaf ID")


@pytest.fixture
def second(db_path: Path, checklist: Checklist, demo_workspace: Workspace):
    """Another connection to the same file, as another terminal or browser tab would hold."""
    with Workspace.open(db_path, author="olu", checklist=checklist, create=False) as other:
        yield other


def item(ws: Workspace, iid: int, key: str) -> dict:
    return ws.rows("item", "integration_id = ? AND key = ?", (iid, key))[0]


def test_start_and_end(demo_workspace: Workspace, leaf: dict) -> None:
    started = start_meeting(demo_workspace, leaf["id"], "Weekly sync", ["Kenji Watanabe"], ["logistics"])
    assert running_meeting(demo_workspace, leaf["id"])["id"] == started["id"]
    assert last_meeting(demo_workspace, leaf["id"]) is None

    minutes = end_meeting(demo_workspace, started["id"])

    ended = meeting(demo_workspace, started["id"])
    assert ended["ended_at"] >= ended["started_at"]
    assert running_meeting(demo_workspace, leaf["id"]) is None
    assert last_meeting(demo_workspace, leaf["id"])["id"] == started["id"]
    assert minutes["meeting_id"] == started["id"]
    assert minutes["integration_id"] == leaf["id"]
    assert minutes["text"].startswith("# Minutes: Leaf ID, meeting Weekly sync")
    assert "**Attendees**: Kenji Watanabe" in minutes["text"]


def test_a_second_meeting_is_refused_while_one_runs(demo_workspace: Workspace, leaf: dict, second: Workspace) -> None:
    start_meeting(demo_workspace, leaf["id"], "Weekly sync")
    with pytest.raises(ValidationError, match="'Weekly sync' is still running"):
        start_meeting(second, leaf["id"], "Another")
    assert len(demo_workspace.rows("meeting")) == 1
    other = demo_workspace.integration("Orders")
    assert start_meeting(second, other["id"], "Orders sync")["integration_id"] == other["id"]


def test_ending_twice_and_unknown_meetings_are_refused(demo_workspace: Workspace, leaf: dict) -> None:
    started = start_meeting(demo_workspace, leaf["id"], "Weekly sync")
    end_meeting(demo_workspace, started["id"])
    with pytest.raises(ValidationError, match="already ended"):
        end_meeting(demo_workspace, started["id"])
    with pytest.raises(NotFound, match="no meeting with id 999"):
        meeting(demo_workspace, 999)


@pytest.mark.parametrize(
    ("attendees", "agenda", "problem"),
    [
        (["Nobody Here"], [], "'Nobody Here' is not a stakeholder"),
        ([], ["no_such_section"], "'no_such_section' is not a checklist section or item"),
        ([], ["logistics.no_such_item"], "'logistics.no_such_item' is not a checklist section or item"),
    ],
)
def test_attendees_and_agenda_must_exist(
    demo_workspace: Workspace, leaf: dict, attendees: list[str], agenda: list[str], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        start_meeting(demo_workspace, leaf["id"], "Weekly sync", attendees, agenda)
    assert demo_workspace.rows("meeting") == []


def test_changes_from_another_connection_belong_to_the_running_meeting(
    demo_workspace: Workspace, leaf: dict, second: Workspace
) -> None:
    started = start_meeting(demo_workspace, leaf["id"], "Weekly sync")
    running_notes = item(second, leaf["id"], "logistics.running_notes")
    second.update("item", running_notes["id"], {"status": "agreed", "answer": "A shared page"})
    note = second.add_note(leaf["id"], "ask for the replica host", kind="todo")
    elsewhere = second.add_note(second.integration("Orders")["id"], "not in this meeting")
    end_meeting(demo_workspace, started["id"])
    after = second.add_note(leaf["id"], "after the meeting")

    assert note["meeting_id"] == started["id"]
    assert elsewhere["meeting_id"] is None
    assert after["meeting_id"] is None
    during = [
        c
        for c in demo_workspace.changes(leaf["id"])
        if c["entity"] == "item" and c["row_id"] == running_notes["id"] and c["action"] == "update"
    ]
    assert {c["field"] for c in during} >= {"status", "answer"}
    assert {c["meeting_id"] for c in during} == {started["id"]}
    assert {c["author"] for c in during} == {"olu"}


def test_minutes_hold_decisions_todos_open_questions_and_attendees(
    demo_workspace: Workspace, leaf: dict, second: Workspace
) -> None:
    agreed = item(demo_workspace, leaf["id"], "logistics.running_notes")
    left_open = item(demo_workspace, leaf["id"], "logistics.metrics_timeline")
    assert agreed["status"] != "agreed" and left_open["status"] == "discussing"
    started = start_meeting(
        demo_workspace,
        leaf["id"],
        "Weekly sync",
        ["Kenji Watanabe", "Olu Adeyemi"],
        ["logistics.running_notes", "logistics.metrics_timeline", "logistics.product_owner"],
    )
    second.update("item", agreed["id"], {"status": "agreed", "answer": "One shared page per integration"})
    second.add_note(leaf["id"], "send the replica host name", kind="todo")
    second.add_note(leaf["id"], "who rotates the read-only password?", kind="question")

    text = end_meeting(demo_workspace, started["id"])["text"]

    decisions, rest = text.split("## To-dos")
    todos, questions = rest.split("## Open questions")
    assert "One shared page per integration" in decisions
    assert "**Attendees**: Kenji Watanabe, Olu Adeyemi" in decisions
    assert "send the replica host name (**olu**)" in todos
    assert "who rotates the read-only password?" in questions
    assert left_open["question"] in questions
    assert agreed["question"] not in questions
    product_owner = item(demo_workspace, leaf["id"], "logistics.product_owner")
    assert product_owner["status"] == "agreed" and product_owner["question"] not in questions


def test_minutes_of_a_meeting_where_nothing_happened(demo_workspace: Workspace) -> None:
    iid = demo_workspace.add_integration("Empty")["id"]
    started = start_meeting(demo_workspace, iid, "Kick-off")
    text = end_meeting(demo_workspace, started["id"])["text"]
    assert "**Attendees**: none recorded" in text
    assert "*No decisions recorded.*" in text
    assert "*No to-dos.*" in text
    assert "*No open questions.*" in text


def test_changes_since_the_last_meeting(demo_workspace: Workspace, leaf: dict, second: Workspace) -> None:
    before, everything = changes_since_last_meeting(demo_workspace, leaf["id"])
    assert before is None and everything == demo_workspace.changes(leaf["id"])

    started = start_meeting(demo_workspace, leaf["id"], "Weekly sync")
    demo_workspace.add_note(leaf["id"], "said in the meeting")
    end_meeting(demo_workspace, started["id"])
    kenji = second.stakeholder(leaf["id"], "Kenji Watanabe")
    second.update("stakeholder", kenji["id"], {"role": "data engineer"})
    second.add_note(second.integration("Orders")["id"], "another integration")

    last, changes = changes_since_last_meeting(demo_workspace, leaf["id"])

    assert last["id"] == started["id"]
    assert [(c["entity"], c["row_id"], c["field"], c["author"]) for c in changes] == [
        ("stakeholder", kenji["id"], "role", "olu")
    ]
    assert changes[0]["old"] == kenji["role"] and changes[0]["new"] == "data engineer"


def test_changes_are_grouped_by_kind_and_row_under_the_names_people_know(demo_workspace: Workspace, leaf: dict) -> None:
    started = start_meeting(demo_workspace, leaf["id"], "Weekly sync")
    end_meeting(demo_workspace, started["id"])
    table = demo_workspace.rows("table", "integration_id = ? AND name = 'accounts'", (leaf["id"],))[0]
    column = demo_workspace.rows("column", "table_id = ?", (table["id"],), order_by="position")[-1]
    running_notes = item(demo_workspace, leaf["id"], "logistics.running_notes")
    demo_workspace.delete("column", column["id"])
    demo_workspace.update("item", running_notes["id"], {"status": "agreed"})
    demo_workspace.update("item", running_notes["id"], {"answer": "A shared page"})
    demo_workspace.add_note(leaf["id"], "a note   over\ntwo lines", private=True)

    groups = change_groups(demo_workspace, changes_since_last_meeting(demo_workspace, leaf["id"])[1])

    assert [group.title for group in groups] == ["Checklist", "Columns", "Notes"]
    checklist, columns, notes = groups
    assert [(row.label, [c["field"] for c in row.changes]) for row in checklist.rows] == [
        (f"logistics.running_notes {running_notes['question']}", ["status", "answer"])
    ]
    assert [(row.label, row.changes[0]["action"]) for row in columns.rows] == [(f"accounts.{column['name']}", "delete")]
    assert [(row.label, row.private) for row in notes.rows] == [("a note over two lines", True)]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        ("", "—"),
        (True, "yes"),
        (False, "no"),
        (3, "3"),
        (["a", "b"], '["a","b"]'),
        ({"A": "active"}, '{"A":"active"}'),
        ("two\n  lines", "two lines"),
        ("x" * 50, "x" * 39 + "…"),
    ],
)
def test_changed_values_are_shown_short(value: object, shown: str) -> None:
    assert shown_value(value) == shown


def test_minutes_of_a_running_meeting_say_so(demo_workspace: Workspace, leaf: dict) -> None:
    from tui.export.minutes import meeting_minutes_markdown

    started = start_meeting(demo_workspace, leaf["id"], "Weekly sync", ["Noor Haddad"])
    text = meeting_minutes_markdown(demo_workspace, started)
    assert f"**Attendees**: Noor Haddad · since {started['started_at'][11:16]} UTC, still running" in text
    ended = meeting(demo_workspace, end_meeting(demo_workspace, started["id"])["meeting_id"])
    assert f"· {ended['started_at'][11:16]}–{ended['ended_at'][11:16]} UTC" in meeting_minutes_markdown(
        demo_workspace, ended
    )


def test_the_newest_changes_and_their_count_agree_with_the_whole_list(
    demo_workspace: Workspace, leaf: dict, second: Workspace
) -> None:
    def check() -> None:
        last, everything = changes_since_last_meeting(demo_workspace, leaf["id"])
        assert count_changes_since_last_meeting(demo_workspace, leaf["id"]) == len(everything)
        for newest in (1, 5, 1000):
            again, tail = changes_since_last_meeting(demo_workspace, leaf["id"], newest=newest)
            assert again == last and tail == everything[-newest:]

    check()
    started = start_meeting(demo_workspace, leaf["id"], "Weekly sync")
    second.add_note(leaf["id"], "during the meeting")
    check()
    end_meeting(demo_workspace, started["id"])
    check()
    kenji = second.stakeholder(leaf["id"], "Kenji Watanabe")
    for role in ("analyst", "data engineer", "other"):
        second.update("stakeholder", kenji["id"], {"role": role})
    second.add_note(leaf["id"], "after the meeting")
    start_meeting(second, leaf["id"], "Next one")
    check()
    assert count_changes_since_last_meeting(demo_workspace, leaf["id"]) == 4
