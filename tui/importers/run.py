"""Import a schema into an integration from a DDL file or a database URL: read first, then write in one go.

Reading (parsing or reflecting) happens before the workspace is locked, so a
slow parse never blocks other writers, and a source that cannot be read
changes nothing. Writing, including creating a new integration, is one
transaction. The planning screen calls the two halves separately, so that the
write can go through its own save-and-undo path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.errors import DayoneError
from tui.importers.ddl import check_text, read_ddl
from tui.importers.diff import ImportSummary, apply_schema
from tui.importers.live import database_name, read_database, safe_url
from tui.importers.model import ImportedSchema, Progress, no_progress
from tui.store import Row, Workspace


@dataclass
class SchemaRead:
    """A schema read from its source, with what to call the source and the integration if none is named."""

    schema: ImportedSchema
    source: str
    fallback_name: str


def read_file(path: str | Path, dialect: str, progress: Progress = no_progress) -> SchemaRead:
    """The tables a DDL file declares; a file that is not a readable script is one DayoneError line."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise DayoneError(f"{path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DayoneError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    progress("read", 0, 1)
    schema = read_ddl(check_text(data, str(path)), dialect, str(path), progress)
    return SchemaRead(schema, str(path), path.stem)


def read_url(url: str, progress: Progress = no_progress) -> SchemaRead:
    """The tables of a live database, read-only; the source keeps the URL without its password."""
    progress("connect", 0, 1)
    return SchemaRead(read_database(url, progress), safe_url(url), database_name(url))


def write(
    ws: Workspace,
    found: SchemaRead,
    integration: str | None = None,
    progress: Progress = no_progress,
    new: str | None = None,
) -> ImportSummary:
    """Write a schema into the named integration, or into a `new` one it creates, as one transaction.

    A name that is not an integration yet is refused with the known ones: only `new` creates one.
    Without either, the import goes where `_default_integration` says.
    """
    with ws.transaction():
        if new:
            row = ws.add_integration(new.strip())
        elif integration:
            row = ws.integration(integration)
        else:
            row = _default_integration(ws, found)
        return apply_schema(ws, row, found.schema, found.source, progress)


def _default_integration(ws: Workspace, found: SchemaRead) -> Row:
    """Where an import goes when no integration is named, never over another source's import.

    The integration that last imported this same source (a re-import is a diff),
    else the last used one if it has no import yet.
    """
    same = ws.query("SELECT integration_id FROM imports WHERE source = ? ORDER BY id DESC LIMIT 1", (found.source,))
    if same:
        return ws.get("integration", same[0][0])
    last = ws.last_integration()
    if last is None:
        raise DayoneError(
            f"import-schema: the workspace has no integrations yet; name a new one with --new-integration "
            f"{_quoted(found.fallback_name)}"
        )
    other = ws.query("SELECT source FROM imports WHERE integration_id = ? ORDER BY id DESC LIMIT 1", (last["id"],))
    if other:
        raise DayoneError(
            f"import-schema: name the integration with --integration, or --new-integration NAME for a new one "
            f"({last['name']!r} holds an import from {other[0][0]}, which this one would replace)"
        )
    return last


def _quoted(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() else repr(name)


def import_file(
    ws: Workspace,
    path: str | Path,
    dialect: str,
    integration: str | None = None,
    progress: Progress = no_progress,
    new: str | None = None,
) -> ImportSummary:
    """Import the tables a DDL file declares."""
    return write(ws, read_file(path, dialect, progress), integration, progress, new)


def import_url(
    ws: Workspace, url: str, integration: str | None = None, progress: Progress = no_progress, new: str | None = None
) -> ImportSummary:
    """Import the tables of a live database."""
    return write(ws, read_url(url, progress), integration, progress, new)
