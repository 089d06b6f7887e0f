"""Minutes: decisions of the day (or of one meeting), todos with owners and due dates, open questions."""

from __future__ import annotations

import pytest
from export_checks import PRIVATE_MARKER, check_markdown, load_hostile

from tui.export import Options, render
from tui.export.minutes import gather_minutes
from tui.store import Workspace, now_utc

pytestmark = pytest.mark.core


def test_minutes_of_today_list_what_was_agreed(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    today = now_utc()[:10]
    text = render(demo_workspace, leaf, "minutes", Options(today=today)).text
    check_markdown(text)
    assert text.startswith(f"# Minutes: Leaf ID, since {today}\n")
    decisions = text.split("## Decisions", 1)[1].split("## To-dos", 1)[0]
    assert "Hannah Brooks owns metric priorities" in decisions
    assert "Day 1 is sign-ups and conversion" not in decisions
    todos = text.split("## To-dos", 1)[1].split("## Open questions", 1)[0]
    assert "- [ ] Chase security review \\`SEC-212\\`" in todos and "(**Olu Adeyemi**, due 2026-12-01)" in todos
    assert "Settle logistics.metrics\\_timeline" in todos
    questions = text.split("## Open questions", 1)[1]
    assert "Does \\`login\\_events.occurred\\_at\\` hold UTC" in questions
    assert "Kenji is stretched thin" not in text  # a private note


def test_since_a_later_day_leaves_old_decisions_out(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    text = render(demo_workspace, leaf, "minutes", Options(since="2999-01-01")).text
    assert "*No decisions recorded.*" in text
    assert "Chase security review" in text  # still-open todos carry over


def test_private_todos_never_appear(workspace: Workspace) -> None:
    rendered = render(workspace, load_hostile(workspace), "minutes", Options(since="2000-01-01"))
    check_markdown(rendered.text)
    assert PRIVATE_MARKER not in rendered.text
    assert "Public todo with a \\| pipe" in rendered.text
    assert "Why \\<script\\>x\\</script\\>?" in rendered.text


def test_minutes_of_one_meeting(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    meeting = demo_workspace.insert(
        "meeting", {"integration_id": leaf["id"], "title": "Contract review", "started_at": now_utc()}
    )
    item = demo_workspace.rows("item", "integration_id = ? AND key = ?", (leaf["id"], "contracts.documentation"))[0]
    demo_workspace.update("item", item["id"], {"status": "agreed"})
    demo_workspace.add_note(
        leaf["id"], "Contract lives in the identity repo", kind="decision", meeting_id=meeting["id"]
    )
    demo_workspace.add_note(leaf["id"], "secret plan", kind="todo", private=True, meeting_id=meeting["id"])
    demo_workspace.update("meeting", meeting["id"], {"ended_at": now_utc()})
    minutes = gather_minutes(demo_workspace, leaf, "2000-01-01", meeting_id=meeting["id"])
    assert minutes.covers.startswith("meeting Contract review on ")
    assert [decision.decision for decision in minutes.decisions] == [
        "Proposal - docs/data-contract.md in the identity repo, reviewed in pull requests like code.",
        "Contract lives in the identity repo",
    ]
    assert all(todo.text != "secret plan" for todo in minutes.todos)
