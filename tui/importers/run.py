"""Import a schema into an integration from a DDL file or a database URL: read first, then write in one go.

Reading (parsing or reflecting) happens before the workspace is locked, so a
slow parse never blocks other writers, and a source that cannot be read
changes nothing. Writing, including creating a new integration, is one
transaction.
"""

from __future__ import annotations

from pathlib import Path

from tui.errors import DayoneError
from tui.importers.ddl import check_text, read_ddl
from tui.importers.diff import ImportSummary, apply_schema
from tui.importers.live import database_name, read_database, safe_url
from tui.importers.model import ImportedSchema, Progress, no_progress
from tui.store import Workspace


def import_file(ws: Workspace, path: str | Path, dialect: str, integration: str | None = None,
                progress: Progress = no_progress) -> ImportSummary:
    """Import the tables a DDL file declares."""
    path = Path(path)
    if not path.is_file():
        raise DayoneError(f"{path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DayoneError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    progress("read", 0, 1)
    schema = read_ddl(check_text(data, str(path)), dialect, str(path), progress)
    return _write(ws, schema, str(path), integration, path.stem, progress)


def import_url(ws: Workspace, url: str, integration: str | None = None,
               progress: Progress = no_progress) -> ImportSummary:
    """Import the tables of a live database, read-only; only the URL without its password is recorded."""
    progress("connect", 0, 1)
    schema = read_database(url, progress)
    return _write(ws, schema, safe_url(url), integration, database_name(url), progress)


def _write(ws: Workspace, schema: ImportedSchema, source: str, name: str | None, fallback: str,
           progress: Progress) -> ImportSummary:
    with ws.transaction():
        if name:
            found = ws.rows("integration", "name = ?", (name,))
            row = found[0] if found else ws.add_integration(name)
        else:
            row = ws.last_integration() or ws.add_integration(fallback)
        return apply_schema(ws, row, schema, source, progress)
