"""One entry point per export: pick the format, build the document, name the file, note what was masked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tui.enums import ODCS_VERSIONS
from tui.errors import DayoneError
from tui.export.escape import slug
from tui.export_formats import FORMATS
from tui.secrets import mask_secrets
from tui.store import Row, Workspace, now_utc

EXPORTS_FOLDER = Path("exports")
# The change notice of a published version, in Markdown or Confluence storage format.
NOTICE_FORMATS = ("changes", "changes-confluence")


@dataclass(frozen=True)
class Options:
    mermaid: bool = True
    since: str | None = None
    meeting_id: int | None = None
    today: str | None = None
    full: bool = False
    odcs_version: str = ODCS_VERSIONS[0]
    contract_version: str | None = None  # the version a change notice is about (default: the latest)

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
    # The further files of a format that writes several: (file name, text), beside the first.
    more: list[tuple[str, str]] = field(default_factory=list)

    @property
    def files(self) -> list[tuple[str, str]]:
        """Every file of the export as (file name, text), the first one first."""
        return [(self.filename, self.text), *self.more]


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
    if fmt in PROPOSALS:
        return _proposal(workspace, integration, fmt, options, stem)
    if fmt in NOTICE_FORMATS:
        from tui.export.notice import gather_notice, notice_document

        notice = gather_notice(workspace, integration, options.day(), _announced(workspace, integration, options))
        document = notice_document(notice)
        if fmt == "changes":
            from tui.export.markdown import render_markdown

            text = render_markdown(document)
        else:
            from tui.export.confluence import render_confluence

            text = render_confluence(document)
        return Rendered(fmt, integration, text, name, notice.facts.last_change_id, notice.facts.warnings)
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
    if fmt in NOTICE_FORMATS:
        return f"{stem}-changes-{_announced(workspace, integration, options)}{FORMATS[fmt].endings[0]}"
    return stem + FORMATS[fmt].endings[0]


def filenames(workspace: Workspace, integration: Row | None, fmt: str, options: Options = Options()) -> list[str]:
    """Every file name an export is written under, the first one first."""
    first = filename(workspace, integration, fmt, options)
    if integration is None or len(FORMATS[fmt].endings) == 1:
        return [first]
    stem = file_stem(workspace, integration)
    return [first, *(stem + ending for ending in FORMATS[fmt].endings[1:])]


def _announced(workspace: Workspace, integration: Row, options: Options) -> str:
    """The version a change notice announces: the one asked for, else the latest; one that is not is refused."""
    from tui.versions import published

    found = [each.version for each in published(workspace, integration["id"])]
    if not found:
        raise DayoneError(f"{integration['name']}: no version published yet; `dayone contract publish` makes the first")
    wanted = (options.contract_version or found[-1]).strip()
    if wanted not in found:
        raise DayoneError(f"no version {wanted!r} of {integration['name']} (published: {', '.join(found)})")
    return wanted


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


# Exports for the software and data teams' own tools, made from the agreed contract.
PROPOSALS = ("ci", "constraints", "dbt")


def _proposal(workspace: Workspace, integration: Row, fmt: str, options: Options, stem: str) -> Rendered:
    """A CI job, constraint DDL or dbt sources file: every file of it, from the agreement as the workspace holds it."""
    from tui.agreement import from_facts
    from tui.export.contract import gather

    facts = gather(workspace, integration, options.day(), fmt)
    agreement = from_facts(facts)
    texts: list[str]
    if fmt == "ci":
        from tui.export.ci import render_ci

        texts = render_ci(agreement.name, stem)
    elif fmt == "dbt":
        from tui.export.dbt import render_dbt

        texts = [render_dbt(agreement, stem)]
    else:
        from tui.enforced import knowledge
        from tui.export.constraints import render_constraints

        texts = render_constraints(agreement, knowledge(workspace, integration["id"]))
    names = filenames(workspace, integration, fmt, options)
    return Rendered(
        fmt,
        integration,
        texts[0],
        names[0],
        facts.last_change_id,
        facts.warnings,
        list(zip(names[1:], texts[1:], strict=True)),
    )


def write_export(workspace: Workspace, rendered: Rendered, path: Path) -> None:
    """Write an export atomically (creating its folder if needed) and record it for the next diff.

    The further files of a format that writes several go beside `path`, under their own names.
    """
    from tui.files import check_target, write_atomic

    targets = [(path, rendered.text), *((path.parent / name, text) for name, text in rendered.more)]
    for target, _ in targets:
        check_target(target)
    if not path.parent.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DayoneError(f"{path.parent}: cannot create the folder ({exc.strerror})") from None
    for target, text in targets:
        write_atomic(target, text)
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
