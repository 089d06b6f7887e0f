"""The `dayone` command: the planning screen by default, and subcommands for the shell."""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn

from tui import __version__
from tui.dates import DUE_HINT, DateError, parse_due
from tui.enums import ODCS_VERSIONS, NoteKind
from tui.errors import DayoneError, explain
from tui.export_formats import FORMATS as EXPORT_FORMATS
from tui.importers import DIALECTS as DDL_DIALECTS
from tui.resources import checklists_dir, demo_plan
from tui.store import SQLITE_MAX_INT, Row, Workspace
from tui.visible import one_line, visible
from tui.words import plural

if TYPE_CHECKING:
    from tui.agreement import Agreement
    from tui.app import DayoneApp
    from tui.check.results import Run
    from tui.importers.model import Progress

DEFAULT_DB = Path("data") / "dayone.db"
DEMO_DB = Path("data") / "demo.db"
# Who the demo's own rows are attributed to; edits made afterwards carry the user's name.
DEMO_AUTHOR = "demo plan"


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line and exit status 2, like every other user error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {one_line(message)} (see {self.prog} --help)\n")


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db", metavar="PATH", default=default, help="workspace file (default: $DAYONE_DB, else data/dayone.db here)"
    )
    parser.add_argument(
        "--as",
        dest="author",
        metavar="NAME",
        default=default,
        help="who is editing (default: $DAYONE_USER, git user.name, login)",
    )
    parser.add_argument(
        "--checklists",
        metavar="DIR",
        default=default,
        help="folder of checklist templates to use instead of the shipped ones",
    )


# What `dayone load` counts, by the singular of each part of a plan.
PLAN_PARTS = {
    "integrations": "integration",
    "stakeholders": "stakeholder",
    "metrics": "metric",
    "checklist": "checklist answer",
    "tables": "table",
    "columns": "column",
    "notes": "note",
}


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _row_id(text: str) -> int:
    """An id as SQLite stores it: a whole number from 1 up to 2**63 - 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= SQLITE_MAX_INT:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (ids run from 1 to {SQLITE_MAX_INT})")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 86400 seconds")
    return value


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage") from None
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage above 0 and at most 100")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 1 and 1000000")
    return value


def _moment(text: str) -> datetime:
    """A moment as ISO 8601; without an offset it is taken as UTC."""
    try:
        found = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time stamp (e.g. 2026-12-01T00:00:00+00:00)") from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dayone", description="Plan a data integration with a new production system.")
    parser.add_argument("--version", action="version", version=f"dayone {__version__}")
    _common(parser, suppress=False)
    parser.add_argument(
        "--share",
        action="store_true",
        default=False,
        help="start in screen-share safe mode (private notes hidden, secrets masked)",
    )
    parser.add_argument("--integration", metavar="NAME", default=None, help="integration to open")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        _common(sub, suppress=True)
        sub.set_defaults(handler=handler)
        return sub

    demo = command("demo", cmd_demo, "write a demo workspace from the shipped demo plan and open it")
    demo.add_argument("--no-open", action="store_true", help="only write the demo workspace")
    demo.add_argument("--share", action="store_true", default=argparse.SUPPRESS, help="open in share mode")

    note = command("note", cmd_note, "add a running note from the shell")
    note.add_argument("text", help="the note (Markdown)")
    kinds = note.add_mutually_exclusive_group()
    for kind in (NoteKind.TODO, NoteKind.QUESTION, NoteKind.DECISION):
        kinds.add_argument(
            f"--{kind.value}", dest="kind", action="store_const", const=kind.value, help=f"mark it as a {kind.value}"
        )
    note.add_argument("--private", action="store_true", help="your own tracking: hidden when screen-sharing")
    note.add_argument("--owner", metavar="NAME", help="todo: the stakeholder who owns it")
    note.add_argument("--due", metavar="WHEN", help=f"todo: when it is due ({DUE_HINT})")
    note.add_argument(
        "--integration",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="integration (default: the one last opened or written to)",
    )

    notes = command("notes", cmd_notes, "list running notes, oldest first")
    notes.add_argument("--integration", metavar="NAME", default=argparse.SUPPRESS, help="only this integration")

    load = command("load", cmd_load, "merge a plan YAML file into the workspace")
    load.add_argument("plan", metavar="PLAN.yaml", help="plan file, or - for standard input")

    export = command(
        "export", cmd_export, "write the data contract, the minutes, the plan YAML or what enforces the contract"
    )
    export.add_argument(
        "--format",
        choices=list(EXPORT_FORMATS),
        default="markdown",
        help="the default is %(default)s; "
        + ", ".join(f"{name} ({each.about})" for name, each in EXPORT_FORMATS.items()),
    )
    export.add_argument(
        "--integration",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="only this integration (default: one file per integration)",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="output file, a folder (an existing one, or any path ending in /), or - for standard output"
        " (default: exports/ here)",
    )
    export.add_argument(
        "--no-mermaid", dest="mermaid", action="store_false", help="leave the entity relationship diagram out"
    )
    export.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        type=_day,
        default=None,
        help="minutes: what happened since this day (default: today)",
    )
    export.add_argument(
        "--full", action="store_true", help="yaml: keep private notes and unmasked credentials (a backup, not for git)"
    )
    export.add_argument(
        "--odcs-version",
        choices=ODCS_VERSIONS,
        default=ODCS_VERSIONS[0],
        help="odcs: the version of the standard to write (default: %(default)s; 3.2.0 gives value sets labels)",
    )
    export.add_argument(
        "--contract-version",
        metavar="X.Y.Z",
        default=None,
        help="changes: the published version to announce (default: the latest)",
    )
    export.add_argument(
        "--meeting",
        metavar="ID",
        type=_row_id,
        default=None,
        help="minutes: of this meeting (ids from `dayone meetings`)",
    )

    meeting = command("meeting", cmd_meeting_help, "start or end the meeting of an integration")
    steps = meeting.add_subparsers(dest="step", metavar="STEP", parser_class=_Parser)
    start = steps.add_parser(
        "start",
        help="start a meeting: changes made while it runs go into its minutes",
        description="start a meeting: changes made while it runs go into its minutes",
    )
    start.add_argument("title", help="what the meeting is called")
    start.add_argument(
        "--attendee", metavar="NAME", action="append", default=[], help="a stakeholder who attends (repeat for each)"
    )
    start.add_argument(
        "--agenda",
        metavar="KEY",
        action="append",
        default=[],
        help="a checklist section or item key to walk through (repeat for each)",
    )
    end = steps.add_parser(
        "end",
        help="end the running meeting and print its minutes (kept as a note)",
        description="end the running meeting and print its minutes (kept as a note)",
    )
    for meeting_step, handler in ((start, cmd_meeting_start), (end, cmd_meeting_end)):
        _common(meeting_step, suppress=True)
        meeting_step.add_argument(
            "--integration",
            metavar="NAME",
            default=argparse.SUPPRESS,
            help="integration (default: the one last opened or written to)",
        )
        meeting_step.set_defaults(handler=handler)

    meetings = command("meetings", cmd_meetings, "list meetings with their ids, newest first")
    meetings.add_argument("--integration", metavar="NAME", default=argparse.SUPPRESS, help="only this integration")
    schema = command(
        "import-schema",
        cmd_import_schema,
        "import tables, keys and comments from a SQL DDL file or a live database (read-only)",
    )
    schema.add_argument(
        "file", metavar="FILE.sql", nargs="?", help="DDL script (pg_dump --schema-only, mysqldump -d ...)"
    )
    schema.add_argument("--dialect", choices=DDL_DIALECTS, help="SQL dialect of FILE.sql")
    schema.add_argument(
        "--url",
        metavar="URL",
        help="database to read instead of a file: sqlite:///path.db or "
        "postgresql://user:password@host/db (the password is never stored)",
    )
    into = schema.add_mutually_exclusive_group()
    into.add_argument(
        "--integration",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="integration to import into (default: the one that imported this source last, else the one last used)",
    )
    into.add_argument(
        "--new-integration", metavar="NAME", help="create a new integration of this name and import into it"
    )
    schema.add_argument(
        "--allow-partial",
        action="store_true",
        help="import the tables that could be read even when some CREATE TABLE statements could not "
        "(without it, such a file imports nothing and exits 1)",
    )

    findings = command("findings", cmd_findings, "list what the last schema import found, or dismiss a finding")
    findings.add_argument(
        "--integration",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="integration (default: the one last opened or written to)",
    )
    findings.add_argument("--all", action="store_true", help="include dismissed findings")
    finding_steps = findings.add_subparsers(dest="step", metavar="STEP", parser_class=_Parser)
    dismiss = finding_steps.add_parser(
        "dismiss",
        help="dismiss a finding; it stays dismissed across re-imports",
        description="dismiss a finding; it stays dismissed across re-imports",
    )
    _common(dismiss, suppress=True)
    dismiss.add_argument("id", type=_row_id, metavar="ID", help="finding id (from `dayone findings`)")
    dismiss.add_argument("--reason", metavar="TEXT", required=True, help="why it does not apply")
    dismiss.set_defaults(handler=cmd_findings_dismiss)

    from tui.cli_contract import add_commands

    add_commands(command, _Parser, lambda sub: _common(sub, suppress=True))

    backup = command("backup", cmd_backup, "copy the workspace to a new file, consistent while screens are open")
    backup.add_argument("target", metavar="PATH", help="the copy to write (a new file, or a folder to write it into)")

    integration = command("integration", cmd_integration_help, "add, rename, archive or list integrations")
    changes = integration.add_subparsers(dest="step", metavar="STEP", parser_class=_Parser)

    def step(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = changes.add_parser(name, help=help, description=help)
        _common(sub, suppress=True)
        sub.set_defaults(handler=handler)
        return sub

    add = step("add", cmd_integration_add, "add an integration with its checklist")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--source", metavar="TEXT", help="the production system, e.g. 'order service, PostgreSQL 15'")
    add.add_argument("--go-live", metavar="YYYY-MM-DD", type=_day, help="the go-live date")
    rename = step("rename", cmd_integration_rename, "rename an integration")
    rename.add_argument("name", metavar="NAME")
    rename.add_argument("new_name", metavar="NEW_NAME")
    archive = step("archive", cmd_integration_archive, "archive an integration: kept, but out of the lists")
    archive.add_argument("name", metavar="NAME")
    archive.add_argument("--restore", action="store_true", help="bring an archived integration back")
    listing = step("list", cmd_integration_list, "list the integrations, archived ones marked")
    listing.add_argument("--archived", action="store_true", help="include archived integrations")

    check = command(
        "check",
        cmd_check,
        "check a live database against the agreed contract (read-only): exit 0 it holds, 1 it does not, 2 no check",
    )
    database = check.add_mutually_exclusive_group(required=True)
    database.add_argument(
        "--url",
        metavar="URL",
        help="database to check: sqlite:///path.db, postgresql://user:password@host/db, mysql://... "
        "(the password is never shown or stored)",
    )
    database.add_argument(
        "--url-env",
        metavar="NAME",
        help="read the database URL from this environment variable (keeps it out of the process list and logs)",
    )
    agreed = check.add_mutually_exclusive_group()
    agreed.add_argument(
        "--contract", metavar="FILE.odcs.yaml", help="check against this ODCS contract (dayone export --format odcs)"
    )
    agreed.add_argument(
        "--integration",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="integration of the workspace whose agreement to check (default: the one last used)",
    )
    check.add_argument(
        "--timeout", type=_seconds, default=60.0, metavar="SECONDS", help="longest a query may run (default 60)"
    )
    check.add_argument(
        "--sample", type=_percent, metavar="PERCENT", help="check a sample of each table: can find, cannot prove"
    )
    check.add_argument(
        "--since", type=_moment, metavar="TIMESTAMP", help="check only rows changed since (by the updated-at column)"
    )
    check.add_argument(
        "--json-sample",
        type=_count,
        default=1000,
        metavar="N",
        help="JSON values per column validated against the agreed JSON schema (default 1000)",
    )
    check.add_argument(
        "--fail-on",
        choices=["failure", "warning"],
        default="failure",
        help="what makes the exit status 1 (default failure; warning: warnings too)",
    )
    check.add_argument("--junit", metavar="PATH", help="write a JUnit XML report (one test case per rule)")
    check.add_argument("--json", metavar="PATH", help="write the results as JSON")
    check.add_argument("--summary", metavar="PATH", help="write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)")
    check.add_argument(
        "--format",
        choices=["table", "github"],
        default="table",
        help="terminal output: a table, or GitHub workflow annotations at the contract's lines",
    )
    check.add_argument(
        "-v", "--verbose", action="store_true", help="list every rule with the SQL that checked it, not only findings"
    )

    serve = command("serve", cmd_serve, "serve the planning screen to web browsers (one app per tab)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--bind",
        metavar="ADDRESS",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; anything else is reachable from other machines)",
    )
    serve.add_argument("--share", action="store_true", default=argparse.SUPPRESS, help="serve in share mode")
    serve.add_argument(
        "--token", metavar="TOKEN", help="the token the link carries (default: $DAYONE_TOKEN, else a random one)"
    )
    serve.add_argument(
        "--no-token", action="store_true", help="ask no token (only when bound to 127.0.0.1: anyone on it gets in)"
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, e.g. https://dayone.example.org behind a proxy (links and allowed origin)",
    )
    serve.add_argument(
        "--allow-origin",
        metavar="ORIGIN",
        action="append",
        default=[],
        help="another origin whose pages may connect, e.g. https://proxy.example.org (repeatable)",
    )
    serve.add_argument(
        "--name-header",
        metavar="HEADER",
        help="take each person's name from this header, set by an authenticating proxy (loopback only)",
    )
    serve.add_argument(
        "--max-sessions", metavar="N", type=int, default=20, help="browser tabs served at once (default 20)"
    )
    serve.add_argument(
        "--idle-minutes",
        metavar="MINUTES",
        type=float,
        default=60,
        help="close a tab after this long without a key, click or resize (default 60)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Every failure the user can act on ends here as one line on stderr and exit status 2:
    dayone's own errors, and those of the file system, the workspace file and text encodings."""
    args = build_parser().parse_args(argv)
    try:
        _check_arguments(args)
        handler = getattr(args, "handler", cmd_open)
        status = handler(args)
        sys.stdout.flush()
        return status
    except DayoneError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as other shell tools do.
        _silence_stdout()
        return 141
    except (sqlite3.DatabaseError, OSError, UnicodeError) as exc:
        if isinstance(exc, OSError) and exc.filename is None:
            _silence_stdout()  # a write to standard output failed (a full device): nothing more goes there
            exc.filename = "standard output"
        return fail(explain(exc, workspace_path(args)) or str(exc))


def fail(message: str) -> int:
    """Report a failure as one line, with any control characters from the data made visible."""
    print(f"dayone: {one_line(message)}", file=sys.stderr)
    return 2


def say(line: str, err: bool = False) -> None:
    """Print one line of a command's output; text from the workspace in it is shown, never obeyed."""
    print(one_line(line), file=sys.stderr if err else sys.stdout)


def _silence_stdout() -> None:
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _check_arguments(args: argparse.Namespace) -> None:
    """Arguments come from the shell undecoded: one that is not valid UTF-8 is refused before anything opens."""
    for name, value in vars(args).items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    shown = name.replace("_", "-") if name not in ("text", "title", "plan", "file", "id") else name
                    raise DayoneError(f"{shown}: not valid UTF-8 text") from None


# -- shared plumbing -----------------------------------------------------------------------


def workspace_path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db).expanduser()
    if os.environ.get("DAYONE_DB"):
        return Path(os.environ["DAYONE_DB"]).expanduser()
    return DEFAULT_DB


def open_workspace(args: argparse.Namespace, path: Path | None = None, author: str | None = None) -> Workspace:
    """Open the workspace for a command; the default folder is made on first use."""
    from tui.checklists import load_checklist  # YAML is read only by the commands that need the templates

    path = path or workspace_path(args)
    checklist = load_checklist(Path(args.checklists) if args.checklists else checklists_dir())
    if not path.exists() and path in (DEFAULT_DB, DEMO_DB):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DayoneError(
                f"{path.parent}: cannot make the workspace folder ({exc.strerror}); "
                "run dayone in a folder you can write to, or give --db PATH"
            ) from None
    return Workspace.open(path, author=author or args.author, checklist=checklist)


@contextmanager
def new_file_guard(path: Path) -> Iterator[bool]:
    """Yield whether the workspace at `path` is new (missing, or an empty file). If the block fails, nothing it
    made stays: a new file goes (with SQLite's side files and any folder made for it), an empty one is emptied."""
    missing = not path.exists()
    empty = not missing and path.is_file() and path.stat().st_size == 0
    folders = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    try:
        yield missing or empty
    except BaseException:
        if missing or empty:
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            if missing:
                path.unlink(missing_ok=True)
            elif path.exists():
                os.truncate(path, 0)
        for folder in folders:
            with suppress(OSError):
                folder.rmdir()
        raise


def ensure_workspace(args: argparse.Namespace, path: Path | None = None) -> Path:
    """Check (or create) the workspace before a long-running front end opens it."""
    path = path or workspace_path(args)
    with new_file_guard(path) as created:
        open_workspace(args, path).close()
    if created:
        say(f"dayone: created a new workspace at {path}", err=True)
    return path


def writing(args: argparse.Namespace, work: Callable[[Workspace], int]) -> int:
    """Run a command's work on the workspace; a file the command created is removed if it fails."""
    path = workspace_path(args)
    with new_file_guard(path) as created, open_workspace(args, path) as workspace:
        status = work(workspace)
    if created:
        say(f"dayone: created a new workspace at {path}", err=True)
    return status


def reading(args: argparse.Namespace, work: Callable[[Workspace], int]) -> int:
    """Run a command that needs a workspace that already exists: it never creates one."""
    path = workspace_path(args)
    if not path.exists():
        raise DayoneError(f"{path}: no workspace here yet; {_where_to_look(path)}")
    with new_file_guard(path), open_workspace(args, path) as workspace:  # an empty file stays empty
        return work(workspace)


def one_change(args: argparse.Namespace, change: Callable[[Workspace], str]) -> int:
    """Make one change in a workspace that already exists, and say what it was in the line `change` returns."""

    def work(workspace: Workspace) -> int:
        say(change(workspace))
        return 0

    return reading(args, work)


def _where_to_look(path: Path) -> str:
    if path == DEFAULT_DB and DEMO_DB.exists():
        return f"the demo is in {DEMO_DB}: add --db {DEMO_DB} (or set DAYONE_DB={DEMO_DB})"
    return "give the file with --db PATH, or start one with `dayone` or `dayone load PLAN.yaml`"


def choose_integration(workspace: Workspace, name: str | None) -> dict:
    if name:
        return workspace.integration(name)
    last = workspace.last_integration()
    if last is None:
        raise DayoneError("the workspace has no integrations yet (try `dayone load PLAN.yaml` or `dayone demo`)")
    return last


def local_stamp(at: str) -> str:
    return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")


# -- commands -------------------------------------------------------------------------------


def cmd_open(args: argparse.Namespace, path: Path | None = None) -> int:
    app = open_app(args, path)
    app.run()
    if app.failure:
        return fail(app.failure)
    return app.return_code or 0


def open_app(args: argparse.Namespace, path: Path | None = None) -> DayoneApp:
    """The planning screen, ready to run, with its first integration already being read.

    The reading starts before Textual is imported, so the two overlap. A new file is
    created with the checklist templates first; an existing one gets any new template
    items in the background once the screen is up.
    """
    from tui.preload import start

    path = path or workspace_path(args)
    if not path.exists() or args.checklists:
        ensure_workspace(args, path)  # also checks a --checklists folder before the screen opens
    preload = start(path, author=args.author, integration=args.integration)
    # What importing Textual makes (modules, classes, functions) lives as long as the process. The
    # collector is kept out while it is made, and it is frozen afterwards, so that neither the many
    # small passes during the import nor the full passes during start-up walk it again.
    gc.disable()
    try:
        from tui.app import DayoneApp
    finally:
        gc.freeze()
        gc.enable()
    return DayoneApp(preload, checklists=args.checklists, share=args.share)


def _discard_new(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from tui.plan import load_plan

    path = Path(args.db).expanduser() if args.db else DEMO_DB
    if args.db and path.exists() and path.stat().st_size:
        raise DayoneError(f"{path}: already exists; the demo writes a fresh workspace (pick a new --db path)")
    existing = _open_demo(args, path)
    if existing is None:
        _discard_new(path)
    try:
        with existing or open_workspace(args, path, author=DEMO_AUTHOR) as workspace:
            with workspace.transaction():
                # An earlier demo is emptied and refilled in place, not replaced: screens open on it
                # follow the change like any other edit instead of writing on into a deleted file.
                for row in workspace.integrations(archived=True):
                    workspace.delete("integration", row["id"])
                plan = demo_plan()
                load_plan(workspace, plan.read_text(encoding="utf-8"), str(plan))
            workspace.remember_integration(workspace.integrations()[0]["id"])  # the demo opens on its first
    except DayoneError:
        if existing is None:
            _discard_new(path)
        raise
    if args.no_open:
        say(f"dayone: demo workspace written to {path}; open it with `dayone --db {path}`", err=True)
        return 0
    say(f"dayone: demo workspace written to {path}", err=True)
    return cmd_open(args, path)


def _open_demo(args: argparse.Namespace, path: Path) -> Workspace | None:
    """The earlier demo workspace at the default place, if there is one that opens; else None."""
    if args.db or not path.exists():
        return None
    try:
        return open_workspace(args, path, author=DEMO_AUTHOR)
    except DayoneError:
        return None


def cmd_serve(args: argparse.Namespace) -> int:
    from tui.serve import ServeOptions, access_for, serve

    if args.author:
        raise DayoneError("--as: each browser tab names its own person (?as=NAME in its link); leave --as out")
    options = ServeOptions(
        host=args.bind,
        port=args.port,
        token=args.token,
        no_token=args.no_token,
        public_url=args.public_url,
        allow_origins=tuple(args.allow_origin),
        max_sessions=args.max_sessions,
        idle_minutes=args.idle_minutes,
        checklists=args.checklists,
        share=args.share,
        name_header=args.name_header,
    )
    access_for(options)  # before the workspace is made: a refused command leaves no new file
    path = ensure_workspace(args)
    return serve(path, options)


def cmd_note(args: argparse.Namespace) -> int:
    from tui.actions import add_note

    def work(workspace: Workspace) -> int:
        integration = choose_integration(workspace, getattr(args, "integration", None))
        owner = workspace.stakeholder(integration["id"], args.owner) if args.owner else None
        add_note(
            workspace,
            integration["id"],
            args.text,
            kind=args.kind or NoteKind.NOTE,
            private=args.private,
            owner=owner["id"] if owner else None,
            due=due,
        )
        kind = args.kind or "note"
        extra = [f"owner {owner['name']}"] if owner else []
        extra += [f"due {due}"] if due else []
        extra += ["private"] if args.private else []
        say(f"dayone: {kind} added to {integration['name']}" + (f" ({', '.join(extra)})" if extra else ""))
        return 0

    if not args.text.strip():
        raise DayoneError("note: the text is empty")
    if (args.owner or args.due) and args.kind != NoteKind.TODO:
        raise DayoneError("note: --owner and --due are for todos (add --todo)")
    try:
        due = parse_due(args.due).isoformat() if args.due else None
    except DateError as exc:
        raise DayoneError(f"note --due: {exc}") from None
    return writing(args, work)


def cmd_notes(args: argparse.Namespace) -> int:
    def work(workspace: Workspace) -> int:
        only = getattr(args, "integration", None)
        chosen = [workspace.integration(only)] if only else workspace.integrations()
        names = {row["id"]: row["name"] for row in chosen}
        notes = [note for row in chosen for note in workspace.rows("note", "integration_id = ?", (row["id"],))]
        notes.sort(key=lambda note: (note["at"], note["id"]))
        people = {
            row["id"]: row["name"]
            for iid in names
            for row in workspace.rows("stakeholder", "integration_id = ?", (iid,))
        }
        rows = []
        for note in notes:
            marker = {"todo": "[x] " if note["done"] else "[ ] ", "question": "? ", "decision": "decision: "}
            todo = [f"owner {people[note['owner']]}"] if note["owner"] in people else []
            todo += [f"due {note['due']}"] if note["due"] else []
            flags = (f"  ({', '.join(todo)})" if todo else "") + ("  (private)" if note["private"] else "")
            text = " ".join(note["text"].split())
            rows.append(
                (
                    local_stamp(note["at"]),
                    names[note["integration_id"]],
                    note["author"],
                    f"{marker.get(note['kind'], '')}{text}{flags}",
                )
            )
        print_columns(("when", "integration", "author", "note"), rows)
        if not notes:
            say("no notes yet", err=True)
        return 0

    return reading(args, work)


def print_columns(headings: Sequence[str], rows: Sequence[Sequence[object]], widest: int = 24) -> None:
    """Rows under headings, each column as wide as its longest value (up to `widest`; longer ones are cut
    with …), so that columns line up however long a name is; the last column runs on."""
    if not rows:
        return
    texts = [[one_line(str(value)) for value in row] for row in [headings, *rows]]
    widths = [min(widest, max(len(row[index]) for row in texts)) for index in range(len(headings) - 1)]
    for row in texts:
        cells = [_cut(value, width).ljust(width) for value, width in zip(row, widths, strict=False)]
        say("  ".join([*cells, row[-1]]).rstrip())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_load(args: argparse.Namespace) -> int:
    from tui.plan import load_plan

    if args.plan == "-":
        text, source = read_text(sys.stdin.buffer, "<stdin>"), "<stdin>"
    else:
        plan = Path(args.plan)
        if not plan.is_file():
            raise DayoneError(f"{plan}: no such plan file")
        try:
            with plan.open("rb") as handle:
                text, source = read_text(handle, str(plan)), str(plan)
        except OSError as exc:
            raise DayoneError(f"{plan}: cannot read the plan ({exc.strerror or exc})") from None

    def work(workspace: Workspace) -> int:
        counts = load_plan(workspace, text, source)
        summary = ", ".join(plural(count, PLAN_PARTS.get(kind, kind)) for kind, count in counts.items() if count)
        say(f"dayone: loaded {source}: {summary or 'nothing'}")
        return 0

    return writing(args, work)


def read_text(handle: BinaryIO, source: str) -> str:
    """A plan's text, decoded strictly as UTF-8 and no larger than a plan can be."""
    from tui.yamlsource import MAX_BYTES

    data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DayoneError(f"{source}: larger than {MAX_BYTES // (1024 * 1024)} MiB, too large for a plan")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DayoneError(f"{source}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8") from None


def cmd_export(args: argparse.Namespace) -> int:
    from tui.export import Options, record_export, render, write_export
    from tui.export.exporter import NOTICE_FORMATS, filenames

    if args.full and args.format != "yaml":
        raise DayoneError("--full: only the plan YAML keeps private notes and credentials (add --format yaml)")
    if args.odcs_version != ODCS_VERSIONS[0] and args.format != "odcs":
        raise DayoneError("--odcs-version: only the ODCS contract has a version of the standard (add --format odcs)")
    if args.contract_version is not None and args.format not in NOTICE_FORMATS:
        raise DayoneError("--contract-version: only a change notice is about one version (add --format changes)")
    options = Options(
        mermaid=args.mermaid,
        since=args.since,
        meeting_id=args.meeting,
        full=args.full,
        odcs_version=args.odcs_version,
        contract_version=args.contract_version,
    )

    def work(workspace: Workspace) -> int:
        name = getattr(args, "integration", None)
        if args.meeting is not None:
            from tui.meetings import meeting

            if args.format != "minutes":
                raise DayoneError("--meeting: only minutes are made per meeting (add --format minutes)")
            targets: list[Row | None] = [
                workspace.get("integration", meeting(workspace, args.meeting)["integration_id"])
            ]
        elif name:
            targets = [workspace.integration(name)]
        elif args.format == "yaml":
            targets = [None]
        else:
            targets = [*workspace.integrations()]
            if not targets:
                raise DayoneError(
                    "the workspace has no integrations yet (try `dayone load PLAN.yaml` or `dayone demo`)"
                )
            if args.format in NOTICE_FORMATS:
                # A change notice is written for each integration that has published a version.
                targets = [row for row in targets if row is not None and _has_versions(workspace, row)]
                if not targets:
                    raise DayoneError("no integration has published a version yet (`dayone contract publish`)")
        # Every target is checked before anything is rendered, so a bad one is the only thing said.
        names = [filenames(workspace, target, args.format, options) for target in targets]
        paths = None if args.output == "-" else _export_paths(args.output, names)
        documents = [render(workspace, target, args.format, options) for target in targets]
        for document in documents:
            for warning in document.warnings:
                say(f"dayone: warning: {warning}", err=True)
        if paths is None:
            separator = "---\n" if args.format in ("odcs", "yaml", "ci", "dbt") else "\n"
            sys.stdout.write(separator.join(text for document in documents for _, text in document.files))
            for document in documents:
                record_export(workspace, document, None)
            return 0
        for document, path in zip(documents, paths, strict=True):
            write_export(workspace, document, path)
            for name, _ in document.files:
                say(f"dayone: wrote {path.parent / name if name != document.filename else path}", err=True)
        return 0

    return reading(args, work)


def _has_versions(workspace: Workspace, integration: Row) -> bool:
    return bool(workspace.query("SELECT 1 FROM contract_versions WHERE integration_id = ?", (integration["id"],)))


def _export_paths(output: str | None, files: list[list[str]]) -> list[Path]:
    """Where each export goes (its first file); every file is checked before anything is rendered or written.

    No `-o` means the `exports/` folder here; `-o` naming an existing folder, or ending in a slash, means
    that folder (created when missing); anything else is the file itself, for a format that writes one.
    """
    from tui.export import EXPORTS_FOLDER
    from tui.files import check_target

    names = [each[0] for each in files]
    as_folder = not output or output.endswith(("/", os.sep)) or Path(output).is_dir()
    if output and not as_folder:
        if len(names) > 1:
            raise DayoneError(
                f"{output}: one file named for {len(names)} integrations; add --integration NAME or give a folder"
            )
        if len(files[0]) > 1:
            raise DayoneError(f"{output}: this format writes {len(files[0])} files; give a folder (ending in /)")
        paths = [Path(output)]
    else:
        folder = Path(output) if output else EXPORTS_FOLDER
        if folder.exists() and not folder.is_dir():
            raise DayoneError(f"{folder}: is a file, not a folder for the exports")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DayoneError(f"{folder}: cannot create the folder ({exc.strerror})") from None
        paths = [folder / name for name in names]
    every = [
        path.parent / name if index else path
        for path, each in zip(paths, files, strict=True)
        for index, name in enumerate(each)
    ]
    for path in every:
        if path.is_dir() and not path.is_symlink():
            raise DayoneError(f"{path}: is a folder, not a file")
        check_target(path)
        if not path.parent.is_dir():
            raise DayoneError(f"{path}: the folder {path.parent} does not exist")
        if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise DayoneError(f"{path}: cannot write there (permission denied)")
    return paths


def cmd_meeting_help(args: argparse.Namespace) -> int:
    raise DayoneError("meeting: say `start TITLE` or `end` (see dayone meeting --help)")


def cmd_meeting_start(args: argparse.Namespace) -> int:
    from tui.meetings import start_meeting

    if not args.title.strip():
        raise DayoneError("meeting start: the title is empty")

    def work(workspace: Workspace) -> int:
        integration = choose_integration(workspace, getattr(args, "integration", None))
        started = start_meeting(workspace, integration["id"], args.title.strip(), args.attendee, args.agenda)
        say(f"dayone: meeting {started['id']} \u201c{started['title']}\u201d started for {integration['name']}")
        return 0

    return writing(args, work)


def cmd_meeting_end(args: argparse.Namespace) -> int:
    from tui.meetings import end_meeting, running_meeting

    def work(workspace: Workspace) -> int:
        integration = choose_integration(workspace, getattr(args, "integration", None))
        current = running_meeting(workspace, integration["id"])
        if current is None:
            raise DayoneError(f"meeting end: no meeting is running for {integration['name']}")
        minutes = end_meeting(workspace, current["id"])
        sys.stdout.write(visible(minutes["text"]))
        say(f"dayone: meeting {current['id']} ended; its minutes are note {minutes['id']}", err=True)
        return 0

    return writing(args, work)


def cmd_meetings(args: argparse.Namespace) -> int:
    def work(workspace: Workspace) -> int:
        only = getattr(args, "integration", None)
        chosen = [workspace.integration(only)] if only else workspace.integrations()
        names = {row["id"]: row["name"] for row in chosen}
        found = [row for iid in names for row in workspace.rows("meeting", "integration_id = ?", (iid,))]
        found.sort(key=lambda row: (row["started_at"], row["id"]), reverse=True)
        for row in found:
            changes = workspace.query("SELECT count(*) FROM changes WHERE meeting_id = ?", (row["id"],))[0][0]
            ended = local_stamp(row["ended_at"])[11:] if row["ended_at"] else "running"
            people = ", ".join(row["attendees"]) or "no attendees listed"
            say(
                f"{row['id']:>4}  {local_stamp(row['started_at'])}-{ended:<7}  {names[row['integration_id']]:<12}  "
                f"{row['title']}  ({plural(changes, 'change')}; {people})"
            )
        if not found:
            say("no meetings yet", err=True)
        return 0

    return reading(args, work)


def cmd_import_schema(args: argparse.Namespace) -> int:
    from tui.importers.run import import_url, read_file, write

    if bool(args.file) == bool(args.url):
        raise DayoneError("import-schema: give either FILE.sql with --dialect, or --url URL")
    if args.file and not args.dialect:
        raise DayoneError(f"import-schema: {args.file}: say which SQL it is with --dialect ({', '.join(DDL_DIALECTS)})")
    if args.url and args.dialect:
        raise DayoneError("import-schema: --dialect is for files; a database URL names its own kind")
    name = getattr(args, "integration", None)
    if args.new_integration is not None and not args.new_integration.strip():
        raise DayoneError("import-schema --new-integration: the name is empty")
    found = None
    if args.file:
        with _progress_line() as progress:
            found = read_file(args.file, args.dialect, progress)
        unreadable = found.schema.unreadable
        if unreadable and not args.allow_partial:
            read = len(found.schema.tables)
            say(
                f"dayone: nothing imported: {len(unreadable)} CREATE TABLE statements in {found.source} could not "
                f"be read ({read} could; --allow-partial imports those)",
                err=True,
            )
            for item in unreadable:
                say(f"  {item.describe()}", err=True)
            return 1

    def work(workspace: Workspace) -> int:
        if name:
            workspace.integration(name)  # an unknown name fails before a database is read
        if args.url:
            summary = import_url(workspace, args.url, name, new=args.new_integration)
        else:
            assert found is not None  # the file was read above
            summary = write(workspace, found, name, new=args.new_integration)
        lines = summary.lines()
        say(f"dayone: imported {lines[0]}")
        for line in lines[1:]:
            say(f"  {line}")
        return 0

    return writing(args, work)


@contextmanager
def _progress_line() -> Iterator[Progress]:
    """A progress line on a terminal's stderr while a large file is read (nothing when stderr is not a terminal)."""
    from tui.importers.model import no_progress

    if not sys.stderr.isatty():
        yield no_progress
        return
    shown = [0.0]

    def progress(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - shown[0] < 0.2 and done < total:
            return
        shown[0] = now
        share = done / total if total else 1.0
        bar = "#" * int(share * 30)
        sys.stderr.write(f"\r{phase:<6} [{bar:<30}] {share:4.0%}")
        sys.stderr.flush()

    try:
        yield progress
    finally:
        if shown[0]:
            sys.stderr.write("\r" + " " * 48 + "\r")
            sys.stderr.flush()


def cmd_findings(args: argparse.Namespace) -> int:
    from tui.importers.findings import findings

    def work(workspace: Workspace) -> int:
        integration = choose_integration(workspace, getattr(args, "integration", None))
        rows = findings(workspace, integration["id"], include_dismissed=args.all)
        lines = []
        for row in rows:
            where = f"{row['table']}.{row['column_name']}" if row["column_name"] else row["table"]
            dismissed = (
                f"  (dismissed by {row['dismissed_by']}: {row['dismissed_reason']})" if row["dismissed_reason"] else ""
            )
            lines.append((row["id"], row["item_key"] or "", row["rule"], where, f"{row['message']}{dismissed}"))
        print_columns(("id", "checklist item", "rule", "where", "finding"), lines, widest=40)
        if not rows:
            say(f"no findings for {integration['name']} (import a schema with `dayone import-schema`)", err=True)
        return 0

    return reading(args, work)


def cmd_findings_dismiss(args: argparse.Namespace) -> int:
    from tui.actions import dismiss_finding

    def change(workspace: Workspace) -> str:
        row = dismiss_finding(workspace, args.id, args.reason)
        return f"dayone: finding {row['id']} ({row['rule']}) dismissed"

    return one_change(args, change)


def cmd_backup(args: argparse.Namespace) -> int:
    """A consistent copy through SQLite's online backup, written beside its target and then moved into place."""
    target = Path(args.target).expanduser()
    if target.is_dir():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = target / f"{workspace_path(args).stem}-{stamp}.db"
    if target.exists():
        raise DayoneError(f"{target}: already exists (give a new file name)")
    if not target.parent.is_dir():
        raise DayoneError(f"{target}: the folder {target.parent} does not exist")

    def work(workspace: Workspace) -> int:
        if target.resolve() == workspace.path.resolve():
            raise DayoneError(f"{target}: is the workspace itself")
        partial = target.with_name(f".{target.name}.partial")
        try:
            workspace.backup(partial)
            partial.replace(target)
        except (OSError, sqlite3.Error) as exc:
            partial.unlink(missing_ok=True)
            raise DayoneError(f"{target}: cannot write the copy ({exc})") from None
        count = len(workspace.integrations(archived=True))
        say(f"dayone: copied {workspace.path} to {target} ({plural(count, 'integration')})")
        return 0

    return reading(args, work)


def cmd_check(args: argparse.Namespace) -> int:
    """Check a live database against an agreement; the run is kept in the workspace when it came from there."""
    from tui.agreement import from_workspace, read_odcs
    from tui.check import report
    from tui.check.results import record_run
    from tui.check.run import Options, check
    from tui.files import check_target, write_atomic

    url = args.url
    if args.url_env is not None:
        url = os.environ.get(args.url_env, "")
        if not url.strip():
            raise DayoneError(f"check --url-env: the environment variable {args.url_env} is not set or empty")
    outputs = [Path(path).expanduser() for path in (args.junit, args.json, args.summary) if path]
    for path in outputs:
        check_target(path)
        if not path.parent.is_dir():
            raise DayoneError(f"{path}: the folder {path.parent} does not exist")
    options = Options(
        timeout_s=args.timeout,
        sample_percent=args.sample,
        since=args.since,
        since_text=args.since.isoformat() if args.since else None,
        json_sample=args.json_sample,
        fail_on_warning=args.fail_on == "warning",
    )

    def judge(agreement: Agreement) -> tuple[int, Run]:
        if not agreement.tables:
            raise DayoneError(f"{agreement.source}: the contract has no tables to check")
        run = check(agreement, url, options)
        return (0 if run.passed else 1), run

    def tell(agreement: Agreement, run: Run) -> None:
        writers = {args.junit: report.to_junit, args.json: report.to_json, args.summary: report.to_summary}
        for path, write in writers.items():
            if path:
                write_atomic(Path(path).expanduser(), write(run, agreement))
        if args.format == "github":
            sys.stdout.write(report.to_github(run, agreement, args.contract))
        else:
            for line in report.table_lines(run, agreement, args.verbose):
                say(line)

    if args.contract:
        agreement = read_odcs(args.contract)
        status, run = judge(agreement)
        tell(agreement, run)
        return status

    def work(workspace: Workspace) -> int:
        integration = choose_integration(workspace, getattr(args, "integration", None))
        agreement = from_workspace(workspace, integration, date.today().isoformat())
        status, run = judge(agreement)
        record_run(workspace, integration["id"], run)
        tell(agreement, run)
        return status

    return reading(args, work)


def cmd_integration_help(args: argparse.Namespace) -> int:
    raise DayoneError("integration: say `add NAME`, `rename NAME NEW_NAME`, `archive NAME` or `list`")


def cmd_integration_add(args: argparse.Namespace) -> int:
    if not args.name.strip():
        raise DayoneError("integration add: the name is empty")

    def work(workspace: Workspace) -> int:
        fields = {"source": args.source, "go_live": args.go_live}
        row = workspace.add_integration(args.name.strip(), **{key: value for key, value in fields.items() if value})
        items = workspace.query("SELECT count(*) FROM checklist_items WHERE integration_id = ?", (row["id"],))[0][0]
        say(f"dayone: integration {row['name']} added ({plural(items, 'checklist item')})")
        return 0

    return writing(args, work)


def cmd_integration_rename(args: argparse.Namespace) -> int:
    from tui.actions import rename_integration

    def change(workspace: Workspace) -> str:
        row = rename_integration(workspace, args.name, args.new_name)
        return f"dayone: integration {args.name} renamed to {row['name']}"

    return one_change(args, change)


def cmd_integration_archive(args: argparse.Namespace) -> int:
    from tui.actions import archive_integration

    def change(workspace: Workspace) -> str:
        row = archive_integration(workspace, args.name, archived=not args.restore)
        return f"dayone: integration {row['name']} " + ("restored" if args.restore else "archived")

    return one_change(args, change)


def cmd_integration_list(args: argparse.Namespace) -> int:
    def work(workspace: Workspace) -> int:
        rows = workspace.integrations(archived=args.archived)
        print_columns(
            ("integration", "source", "go-live", "state"),
            [
                (row["name"], row["source"] or "", row["go_live"] or "", "archived" if row["archived_at"] else "")
                for row in rows
            ],
            widest=30,
        )
        if not rows:
            say("no integrations yet", err=True)
        return 0

    return reading(args, work)
