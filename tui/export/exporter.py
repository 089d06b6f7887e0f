"""One entry point per export: pick the format, build the document, name the file, note what was masked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tui.enums import ODCS_VERSIONS
from tui.errors import DayoneError
from tui.export.escape import slug
from tui.secrets import mask_secrets
from tui.store import Row, Workspace, now_utc

EXPORTS_FOLDER = Path("exports")
# Format -> what the file name ends with. "yaml" is the plan YAML and may cover the whole workspace.
FORMATS: dict[str, str] = {
    "markdown": "-contract.md",
    "confluence": "-contract.confluence.xml",
    "odcs": ".odcs.yaml",
    "minutes": "-minutes.md",
    "yaml": ".plan.yaml",
}


@dataclass(frozen=True)
class Options:
    mermaid: bool = True
    since: str | None = None
    meeting_id: int | None = None
    today: str | None = None
    full: bool = False
    odcs_version: str = ODCS_VERSIONS[0]

    def day(self) -> str:
        return self.today or date.today().isoformat()


@dataclass
class Rendered:
    format: str
    integration: Row | None
    text: str
    filename: str
    last_change_id: int = 0
    warnings: list[str] = field(default_factory=list)


def render(workspace: Workspace, integration: Row | None, fmt: str, options: Options = Options()) -> Rendered:
    """The text of one export; `integration` may be None only for the plan YAML of the whole workspace."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "yaml":
        from tui.plan import dump_plan

        name = integration["name"] if integration else None
        text, warnings = dump_plan(workspace, name, full=options.full)
        return Rendered(fmt, integration, text, filename(workspace, integration, fmt, options), warnings=warnings)
    assert integration is not None
    stem = file_stem(workspace, integration)
    name = filename(workspace, integration, fmt, options)
    if fmt == "minutes":
        from tui.export.markdown import render_markdown
        from tui.export.minutes import gather_minutes, masked, meeting_minutes, minutes_document

        if options.meeting_id is not None:
            meeting = workspace.get("meeting", options.meeting_id)
            document, warnings = meeting_minutes(workspace, meeting)
            last = workspace.query(
                "SELECT coalesce(max(id), 0) FROM changes WHERE integration_id = ?", (integration["id"],)
            )[0][0]
            return Rendered(fmt, integration, render_markdown(document), name, last, warnings)
        minutes = masked(gather_minutes(workspace, integration, options.since or options.day()))
        text = render_markdown(minutes_document(minutes))
        return Rendered(fmt, integration, text, name, minutes.last_change_id, minutes.warnings)
    from tui.memory import young_garbage_only

    # A contract holds no reference cycles, and a large one is hundreds of thousands of objects:
    # with automatic collection on, full collections would walk them again and again while they grow.
    with young_garbage_only():
        text, last_change_id, warnings = _contract(workspace, integration, fmt, options, stem)
    return Rendered(fmt, integration, text, name, last_change_id, warnings)


def filename(workspace: Workspace, integration: Row | None, fmt: str, options: Options = Options()) -> str:
    """The name an export is written under, known before anything is rendered."""
    if integration is None:
        return "workspace.plan.yaml"
    stem = file_stem(workspace, integration)
    if fmt == "minutes" and options.meeting_id is not None:
        return f"{stem}-meeting-{options.meeting_id}-minutes.md"
    return stem + FORMATS[fmt]


def file_stem(workspace: Workspace, integration: Row) -> str:
    """The start of an integration's file names and its contract id: its name as a slug, made unique.

    Names that slug alike (`Shop` and `shop!`) get the integration's id as a suffix, which never changes.
    """
    base = slug(mask_secrets(integration["name"])[0])
    alike = any(
        row["id"] != integration["id"] and slug(mask_secrets(row["name"])[0]) == base
        for row in workspace.integrations()
    )
    return f"{base}-{integration['id']}" if alike or base == "integration" else base


def _contract(
    workspace: Workspace, integration: Row, fmt: str, options: Options, stem: str
) -> tuple[str, int, list[str]]:
    """A contract's text, last change id and warnings; the facts and the document are freed on return."""
    from tui.export.contract import gather

    facts = gather(workspace, integration, options.day(), fmt)
    if fmt == "odcs":
        from tui.export.odcs import render_odcs

        return render_odcs(facts, stem, options.odcs_version), facts.last_change_id, facts.warnings
    from tui.export.document import contract_document

    document = contract_document(facts, mermaid=options.mermaid)
    if fmt == "confluence":
        from tui.export.confluence import render_confluence

        return render_confluence(document), facts.last_change_id, facts.warnings
    from tui.export.markdown import render_markdown

    return render_markdown(document), facts.last_change_id, facts.warnings


def write_export(workspace: Workspace, rendered: Rendered, path: Path) -> None:
    """Write an export atomically (creating its folder if needed) and record it for the next diff."""
    from tui.files import check_target, write_atomic

    check_target(path)
    if not path.parent.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DayoneError(f"{path.parent}: cannot create the folder ({exc.strerror})") from None
    write_atomic(path, rendered.text)
    record_export(workspace, rendered, str(path))


def record_export(workspace: Workspace, rendered: Rendered, path: str | None) -> None:
    """Remember an export so that the next one can list what changed since."""
    if rendered.integration is None:
        return
    with workspace.transaction():
        workspace.conn.execute(
            "INSERT INTO exports (integration_id, at, author, format, last_change_id, path) VALUES (?, ?, ?, ?, ?, ?)",
            (rendered.integration["id"], now_utc(), workspace.author, rendered.format, rendered.last_change_id, path),
        )
