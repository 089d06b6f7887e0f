"""Every kind of credential in every text field: no export and no share-mode screen shows any of them."""

from __future__ import annotations

import html
import itertools
import re

import pytest
import yaml
from credentials import CREDENTIALS
from pilot import settle

from tui.app import DayoneApp
from tui.export import Options, render
from tui.meetings import start_meeting
from tui.plan import load_plan
from tui.store import Workspace

SECRETS = [secret for _, secret in CREDENTIALS]


def _plan() -> str:
    """A plan whose every free-text field carries a credential, the kinds taken in turn."""
    texts = itertools.cycle([text for text, _ in CREDENTIALS])

    def one() -> str:
        return next(texts)

    columns = [
        {
            "name": f"col {one()}",
            "type": "text",
            "default": one(),
            "check": one(),
            "description": one(),
            "classification": one(),
            "values": {one(): one(), "ok": one()},
            "json_schema": {"type": "object", "description": one(), "properties": {"k": {"description": one()}}},
        }
        for _ in range(3)
    ]
    entry = {
        "name": f"Shop {one()}",
        "source": one(),
        "description": one(),
        "stakeholders": [
            {
                "name": f"Ada {one()}",
                "contact": one(),
                "responsibilities": one(),
                "point_of_contact": True,
            }
        ],
        "metrics": [{"name": f"Revenue {one()}", "question": one()}],
        "checklist": {
            key: {"status": status, "answer": one()}
            for key, status in (
                ("logistics.channels", "agreed"),
                ("infrastructure.hosting", "agreed"),
                ("infrastructure.replica", "agreed"),
                ("infrastructure.accounts", "agreed"),
                ("contracts.sla", "agreed"),
                ("infrastructure.environments", "discussing"),
            )
        },
        "tables": [
            {
                "schema": "s",
                "name": f"t {one()}",
                "description": one(),
                "created_by": one(),
                "retention": one(),
                "legacy_marker": one(),
                "test_data_marker": one(),
                "soft_delete_column": one(),
                "columns": columns,
            }
        ],
        "notes": [
            {"at": "2030-01-01T09:00:00+00:00", "author": f"bo {one()}", "kind": kind, "text": one()}
            for kind in ("note", "todo", "question", "decision")
        ],
    }
    return yaml.safe_dump({"dayone": 1, "integrations": [entry]}, sort_keys=False, allow_unicode=True)


@pytest.fixture
def hostile(workspace: Workspace) -> dict:
    load_plan(workspace, _plan(), "hostile.yaml")
    integration = workspace.integrations()[0]
    meeting = start_meeting(workspace, integration["id"], f"Weekly {CREDENTIALS[0][0]}", [], [])
    workspace.add_note(integration["id"], CREDENTIALS[3][0], meeting_id=meeting["id"])
    return integration


def _leaks(text: str) -> list[str]:
    flat = re.sub(r"\s+", "", html.unescape(text))
    return [secret for secret in SECRETS if re.sub(r"\s+", "", secret) in flat]


def test_the_plan_really_carries_every_kind(workspace: Workspace, hostile: dict) -> None:
    full = render(workspace, hostile, "yaml", Options(full=True)).text
    assert _leaks(full) == SECRETS


@pytest.mark.parametrize(
    ("fmt", "options"),
    [
        ("markdown", Options()),
        ("confluence", Options()),
        ("odcs", Options()),
        ("odcs", Options(odcs_version="3.2.0")),
        ("minutes", Options(since="2000-01-01")),
        ("yaml", Options()),
        ("ci", Options()),
        ("constraints", Options()),
        ("dbt", Options()),
    ],
)
def test_no_export_contains_a_credential(workspace: Workspace, hostile: dict, fmt: str, options: Options) -> None:
    rendered = render(workspace, hostile, fmt, options)
    for name, text in rendered.files:
        assert _leaks(text) == []
        assert _leaks(name) == []
    assert rendered.warnings
    assert _leaks("\n".join(rendered.warnings)) == []


def test_the_minutes_of_a_meeting_contain_no_credential(workspace: Workspace, hostile: dict) -> None:
    meeting = workspace.rows("meeting")[0]
    rendered = render(workspace, hostile, "minutes", Options(meeting_id=meeting["id"]))
    assert _leaks(rendered.text) == [] and "Weekly" in rendered.text


def _screen_text(app: DayoneApp) -> str:
    return app.export_screenshot()


async def test_no_share_mode_screen_shows_a_credential(workspace: Workspace, hostile: dict) -> None:
    workspace.remember_integration(hostile["id"])
    app = DayoneApp(workspace.path, share=True)
    seen: dict[str, str] = {}
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        seen["main"] = _screen_text(app)
        await pilot.press("i")  # the integration picker
        await settle(pilot)
        seen["picker"] = _screen_text(app)
        await pilot.press("escape", "4", "enter")  # table detail
        await settle(pilot)
        seen["table"] = _screen_text(app)
        await pilot.press("escape", "5", "d")  # deleting a note
        await settle(pilot)
        seen["delete"] = _screen_text(app)
        await pilot.press("escape", "c")  # changes since the last meeting
        await settle(pilot)
        seen["changes"] = _screen_text(app)
        await pilot.press("escape", "m", "y")  # end the meeting: its minutes
        await settle(pilot)
        await pilot.pause(0.3)
        seen["minutes"] = _screen_text(app)
    assert {name: _leaks(text) for name, text in seen.items()} == {name: [] for name in seen}
    assert len(set(seen.values())) == len(seen)  # every step showed a screen of its own
