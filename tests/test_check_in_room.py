"""The last `dayone check` in the planning room: how each agreement is enforced, the header, the failures view."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot import run_command, settle, settle_for_snapshot, until
from textual.widgets import OptionList, Static

from tui.app import DayoneApp
from tui.check.results import Result, Run, record_run
from tui.enforcement import How, contract_enforcement
from tui.enums import CheckRule, CheckStatus, Enforcement
from tui.plan import load_plan
from tui.screens.check_failures import CheckFailuresScreen
from tui.screens.help import HelpScreen
from tui.screens.table import TableScreen
from tui.store import Workspace

SIZE = (160, 45)
FAILED_SQL = "SELECT count(*) FROM identity.accounts WHERE status NOT IN ('pending_verification', 'active')"


def leaf_run(finished_at: str = "2026-11-20T14:30:00+00:00", fail: bool = True) -> Run:
    """A check of Leaf ID: NOT NULL proven by a constraint, a value set broken, a key held, freshness warned."""
    results = (
        Result(CheckRule.TABLE.value, "identity", "accounts", None, CheckStatus.PASS),
        Result(
            CheckRule.NOT_NULL.value,
            "identity",
            "accounts",
            "email",
            CheckStatus.PROVEN,
            "proven by NOT NULL",
            0,
            (),
            None,
            Enforcement.CONSTRAINT,
        ),
        Result(
            CheckRule.VALUE_SET.value,
            "identity",
            "accounts",
            "status",
            CheckStatus.FAIL if fail else CheckStatus.PASS,
            "3 rows hold a value outside the agreed set [@click=app.quit]x[/]" if fail else "",
            3 if fail else 0,
            ("suspended", "[bold]gone[/]") if fail else (),
            FAILED_SQL,
            Enforcement.CHECK,
        ),
        Result(
            CheckRule.UNIQUE.value,
            "identity",
            "accounts",
            "id",
            CheckStatus.PASS,
            "",
            0,
            (),
            "SELECT 1",
            Enforcement.CHECK,
        ),
        Result(
            CheckRule.FRESHNESS.value,
            "identity",
            "accounts",
            "updated_at",  # the check names the updated-at column; the agreement is about the table
            CheckStatus.WARN,
            "newest row is 3 h old",
            None,
            (),
            "SELECT max(updated_at) FROM identity.accounts",
            Enforcement.CHECK,
        ),
    )
    return Run("2026-11-20T14:29:00+00:00", finished_at, "postgresql://etl@db/leaf", "postgres", results)


def test_each_agreement_says_what_keeps_it_and_how_it_fared(demo_workspace: Workspace) -> None:
    iid = demo_workspace.integration("Leaf ID")["id"]
    before = contract_enforcement(demo_workspace, iid)
    assert before.checked_at is None and before.failures == ()
    accounts = before.columns("identity", "accounts")
    assert {agreed.how for column in accounts.values() for agreed in column} == {How.NONE}
    # In the order the check reports its rules.
    assert [agreed.rule for agreed in accounts["status"]] == [
        CheckRule.FOREIGN_KEY,
        CheckRule.NOT_NULL,
        CheckRule.VALUE_SET,
    ]
    record_run(demo_workspace, iid, leaf_run())
    after = contract_enforcement(demo_workspace, iid)
    assert after.checked_at == "2026-11-20T14:30:00+00:00" and (after.failed, after.warned) == (1, 1)
    assert [result.rule for result in after.failures] == ["value set", "freshness"]
    accounts = after.columns("identity", "accounts")
    status = {agreed.rule: agreed for agreed in accounts["status"]}
    assert status[CheckRule.VALUE_SET].how is How.CHECK and status[CheckRule.VALUE_SET].status is CheckStatus.FAIL
    assert status[CheckRule.FOREIGN_KEY].how is How.NONE and status[CheckRule.FOREIGN_KEY].status is None
    email = {agreed.rule: agreed for agreed in accounts["email"]}
    assert email[CheckRule.NOT_NULL].how is How.DATABASE and email[CheckRule.NOT_NULL].status is CheckStatus.PROVEN
    whole = {agreed.rule: agreed for agreed in accounts[None]}
    assert whole[CheckRule.FRESHNESS].status is CheckStatus.WARN and whole[CheckRule.TABLE].how is How.CHECK
    assert after.items["data_model.value_sets"].failed == 1
    assert after.items["data_model.constraints"].database == 1
    assert after.items["contracts.sla"].warned == 1


def test_a_schema_import_tells_what_the_database_enforces(workspace: Workspace, tmp_path: Path) -> None:
    from tui.importers.run import import_file

    ddl = tmp_path / "shop.sql"
    ddl.write_text("CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, note text);\n")
    import_file(workspace, ddl, "postgres", new="Shop")
    workspace.conn.execute("UPDATE imports SET at = '2026-11-20T09:00:00+00:00'")  # the import came first
    iid = workspace.integration("Shop")["id"]
    column = workspace.rows("column", "name = 'note'")[0]
    workspace.update("column", column["id"], {"nullable": False})  # agreed in the meeting, not in the database
    orders = contract_enforcement(workspace, iid).columns("", "orders")
    assert [(agreed.rule, agreed.how) for agreed in orders["status"]] == [(CheckRule.NOT_NULL, How.DATABASE)]
    assert [(agreed.rule, agreed.how) for agreed in orders[None]] == [(CheckRule.PRIMARY_KEY, How.DATABASE)]
    assert [(agreed.rule, agreed.how) for agreed in orders["note"]] == [(CheckRule.NOT_NULL, How.NONE)]


@pytest.fixture
def app(demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DayoneApp:
    monkeypatch.chdir(tmp_path)
    demo_workspace.remember_integration(demo_workspace.integration("Leaf ID")["id"])
    return DayoneApp(demo_workspace.path)


def header(app: DayoneApp) -> str:
    return str(app.screen.query_one("#header", Static).render())


async def test_the_room_follows_a_check_run_elsewhere(app: DayoneApp, demo_workspace: Workspace) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "never checked" in header(app)
        tables = app.screen.tables["tables"]
        row = tables.get_row_index(str(demo_workspace.rows("table", "name = 'accounts'")[0]["id"]))
        enforced = [column.label for column in tables.columns_spec].index("Enforced")
        assert "○" in str(tables.get_row_at(row)[enforced])
        # Another process records a check run: the poll sees it without any change-log entry.
        with Workspace.open(demo_workspace.path, author="ci") as other:
            record_run(other, other.integration("Leaf ID")["id"], leaf_run())
        # At this width the header is the brief one: when, and how many failed.
        await until(pilot, lambda: "checked 11-20 ✗1" in header(app))
        await until(pilot, lambda: "✗1" in str(tables.get_row_at(row)[enforced]))
        assert "!1" in str(tables.get_row_at(row)[enforced])


async def test_f_lists_the_failures_with_their_sql(app: DayoneApp, demo_workspace: Workspace) -> None:
    record_run(demo_workspace, demo_workspace.integration("Leaf ID")["id"], leaf_run())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, CheckFailuresScreen) and app.screen.failures)
        listing = app.screen.query_one(OptionList)
        assert listing.option_count == 2
        assert "3 rows hold a value outside the agreed set [@click=app.quit]x[/]" in str(
            app.screen.query_one("#failure-text", Static).render()
        )
        assert str(app.screen.query_one("#failure-sql", Static).render()) == FAILED_SQL
        await pilot.press("down")
        await until(pilot, lambda: "SELECT max(updated_at)" in str(app.screen.query_one("#failure-sql").render()))
        assert app.is_running  # the markup in the message stayed text
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, CheckFailuresScreen))


async def test_the_key_is_in_help_and_the_palette(app: DayoneApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert any(binding.id == "dayone.main.check_failures" for _, group in app.screen.groups for binding in group)
        await pilot.press("escape")
        await run_command(pilot, "Check fail", "Check failures")
        await until(pilot, lambda: isinstance(app.screen, CheckFailuresScreen))
        assert "Never checked" in str(app.screen.query_one("#failures-summary", Static).render())
        detail = str(app.screen.query_one("#failure-text", Static).render())
        assert "Nothing checked yet" in detail and "Nothing failed" not in detail


async def test_the_table_detail_shows_each_agreement(app: DayoneApp, demo_workspace: Workspace) -> None:
    record_run(demo_workspace, demo_workspace.integration("Leaf ID")["id"], leaf_run())
    accounts = demo_workspace.rows("table", "name = 'accounts'")[0]["id"]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_table(accounts)
        await until(pilot, lambda: isinstance(app.screen, TableScreen) and app.screen.detail is not None)
        summary = str(app.screen.query_one("#table-summary", Static).render())
        assert "! freshness: dayone check, warned at the last check: newest row is 3 h old" in summary


@pytest.mark.parametrize("where", ["main", "failures"])
def test_check_snapshot(snap_compare, demo_workspace: Workspace, where: str) -> None:
    from pilot import pin_times

    pin_times(demo_workspace)
    record_run(demo_workspace, demo_workspace.integration("Leaf ID")["id"], leaf_run())
    demo_workspace.remember_integration(demo_workspace.integration("Leaf ID")["id"])

    async def ready(pilot) -> None:
        await settle_for_snapshot(pilot)
        if where == "failures":
            await pilot.press("f")
            await until(pilot, lambda: isinstance(pilot.app.screen, CheckFailuresScreen))
            await settle_for_snapshot(pilot)

    assert snap_compare(DayoneApp(demo_workspace.path), terminal_size=(160, 45), run_before=ready)


async def test_review_says_how_an_item_is_enforced(app: DayoneApp, demo_workspace: Workspace) -> None:
    from tui.screens.review import ReviewScreen

    record_run(demo_workspace, demo_workspace.integration("Leaf ID")["id"], leaf_run())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.items)
        review = app.screen
        review.index = next(index for index, item in enumerate(review.items) if item["key"] == "data_model.value_sets")
        review.show()
        said = str(review.query_one("#review-enforced", Static).render())
        assert said.startswith("1 failed it · 2 not enforced") and "last check 11-20" in said
        review.index = next(index for index, item in enumerate(review.items) if item["key"] == "logistics.channels")
        review.show()
        assert not review.query_one("#review-enforced").display


async def test_a_real_check_run_shows_in_the_room(workspace: Workspace, tmp_path: Path) -> None:
    """`dayone check` from the workspace against a SQLite database that breaks three agreements."""
    import sqlite3

    from commands import dayone
    from enforcing import PLAN

    load_plan(workspace, PLAN.replace("schema: shop\n", "schema: ''\n").replace("shop.Customers", "Customers"), "p")
    with sqlite3.connect(tmp_path / "shop.db") as db:
        db.executescript(
            """
            CREATE TABLE "Customers" (id bigint PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, updated_at timestamp);
            CREATE TABLE "order lines" (id bigint PRIMARY KEY, "customer id" bigint NOT NULL, status varchar(20),
                placed_at timestamptz, payload jsonb);
            INSERT INTO "Customers" VALUES (1, 'a@example.com', '2026-01-01 10:00:00');
            INSERT INTO "order lines" VALUES (1, 1, 'open', NULL, '{}'), (2, 3, 'bogus', NULL, '[]');
            """
        )
    done = dayone(tmp_path, "--db", str(workspace.path), "check", "--url", f"sqlite:///{tmp_path / 'shop.db'}")
    assert done.returncode == 1, done.stderr
    found = contract_enforcement(workspace, workspace.integration("Shop")["id"])
    failed = {(result.rule, result.column) for result in found.failures if result.status is CheckStatus.FAIL}
    assert {("value set", "status"), ("relationship", "customer id"), ("json schema", "payload")} <= failed
    lines = found.columns("", "order lines")
    assert {agreed.rule: agreed.status for agreed in lines["status"]}[CheckRule.VALUE_SET] is CheckStatus.FAIL
    app = DayoneApp(workspace.path, integration="Shop")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"{found.failed} failed" in header(app) or f"✗{found.failed}" in header(app)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, CheckFailuresScreen) and app.screen.failures)
        assert app.screen.query_one(OptionList).option_count == len(found.failures)
