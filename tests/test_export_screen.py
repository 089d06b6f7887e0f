"""The export screen inside the planning app: preview first, write with a key, the path shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from export_checks import check_markdown, parse_confluence
from pilot import run_command, until
from textual.app import App
from textual.widgets import Markdown, Static

from tui.app import DayoneApp
from tui.screens.export import ExportScreen
from tui.store import Workspace

SIZE = (140, 40)


@pytest.fixture
def app(demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DayoneApp:
    monkeypatch.chdir(tmp_path)
    demo_workspace.remember_integration(demo_workspace.integration("Leaf ID")["id"])
    return DayoneApp(demo_workspace.path)


def preview(app: DayoneApp) -> str:
    return app.screen.query_one(Markdown).source


async def test_e_previews_the_contract_and_w_writes_it(
    app: DayoneApp, tmp_path: Path, demo_workspace: Workspace
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen) and app.screen.rendered is not None)
        text = preview(app)
        assert text.startswith("# Data contract: Leaf ID\n")
        assert "erDiagram" in text
        assert app.screen.query("MarkdownTable")  # rendered as a document, not as source
        assert not (tmp_path / "exports").exists()

        await pilot.press("m")
        await until(pilot, lambda: app.screen.rendered is not None and "erDiagram" not in preview(app))
        await pilot.press("w")
        written = tmp_path / "exports" / "leaf-id-contract.md"
        await until(pilot, lambda: app.screen.written is not None)
        assert written.is_file()
        check_markdown(written.read_text(encoding="utf-8"))
        assert "erDiagram" not in written.read_text(encoding="utf-8")
        assert "Wrote exports/leaf-id-contract.md" in str(app.screen.query_one("#export-status", Static).render())
        rows = demo_workspace.query("SELECT format, path FROM exports")
        assert [tuple(row) for row in rows] == [("markdown", "exports/leaf-id-contract.md")]


async def test_f_cycles_formats_and_shows_sources_as_code(app: DayoneApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen) and app.screen.rendered is not None)
        await pilot.press("f")
        await until(pilot, lambda: app.screen.rendered is not None and app.screen.rendered.format == "confluence")
        await until(pilot, lambda: preview(app).startswith("```xml\n"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.written is not None)
        parse_confluence((tmp_path / "exports" / "leaf-id-contract.confluence.xml").read_text(encoding="utf-8"))
        for expected in ("odcs", "minutes", "yaml", "ci", "constraints"):
            await pilot.press("f")
            await until(pilot, lambda expected=expected: getattr(app.screen.rendered, "format", None) == expected)
        # A format of several files previews each under its name, and writes them side by side.
        await until(pilot, lambda: "**leaf-id-constraints.mysql.sql**" in preview(app))
        assert preview(app).count("```sql\n") == 3
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.written == Path("exports/leaf-id-constraints.postgres.sql"))
        status = str(app.screen.query_one("#export-status", Static).render())
        assert "Wrote exports/leaf-id-constraints.postgres.sql and 2 more beside it" in status
        for name in ("postgres", "mysql", "sqlite"):
            assert (tmp_path / "exports" / f"leaf-id-constraints.{name}.sql").read_text(encoding="utf-8")
        await pilot.press("f")
        await until(pilot, lambda: getattr(app.screen.rendered, "format", None) == "dbt")
        for notice in ("changes", "changes-confluence"):  # a change notice needs a published version
            await pilot.press("f")
            await until(pilot, lambda notice=notice: app.screen.format == notice)
            await until(
                pilot, lambda: "no version published yet" in str(app.screen.query_one("#export-status").render())
            )
        await pilot.press("f")
        await until(pilot, lambda: getattr(app.screen.rendered, "format", None) == "markdown")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ExportScreen))


async def test_the_command_palette_opens_the_export_screen(app: DayoneApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await run_command(pilot, "Export", "Export")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))


async def test_a_failed_write_is_shown_not_raised(app: DayoneApp, tmp_path: Path) -> None:
    (tmp_path / "exports").write_text("a file in the way")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen) and app.screen.rendered is not None)
        await pilot.press("w")
        status = app.screen.query_one("#export-status", Static)
        await until(pilot, lambda: status.has_class("-failed"))
        assert "exports" in str(status.render())
        assert app.screen.written is None


class ExportHost(App):
    """Just enough of the planning app for the export screen: the workspace, the integration, today and its styles."""

    CSS_PATH = DayoneApp.CSS_PATH

    def __init__(self, workspace: Workspace, integration: str, today: date) -> None:
        super().__init__()
        self.workspace = workspace
        self.integration_id = workspace.integration(integration)["id"]
        self.today = today

    def on_mount(self) -> None:
        self.push_screen(ExportScreen())


async def previewed(pilot) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen) and pilot.app.screen.rendered is not None)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("presses", [(), ("f",), ("f",) * 6], ids=["markdown", "confluence", "constraints"])
def test_export_screen_snapshot(snap_compare, demo_workspace: Workspace, presses: tuple[str, ...]) -> None:
    async def ready(pilot) -> None:
        await previewed(pilot)
        for key in presses:
            await pilot.press(key)
            await until(pilot, lambda: pilot.app.screen.rendered is not None)
            await previewed(pilot)

    host = ExportHost(demo_workspace, "Leaf ID", date(2026, 11, 20))
    assert snap_compare(host, terminal_size=SIZE, run_before=ready)
