"""`dayone contract publish|versions` and `dayone diff`: versions of a contract, and what changed between two.

`dayone diff` needs no workspace when both sides are files, so a producer's CI job can gate a pull request:
`dayone diff --contract contract.odcs.yaml --ddl schema.sql --dialect postgres --fail-on breaking` exits 1 when
the schema breaks the contract for its consumers without a new major version, 2 on bad input, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from tui.errors import DayoneError
from tui.importers import DIALECTS
from tui.store import Row, Workspace
from tui.words import plural

if TYPE_CHECKING:
    from tui.agreement import Agreement
    from tui.changes.report import Comparison

FAIL_ON = ("breaking", "warning")
WORKSPACE_NOW = "the workspace"


def add_commands(
    command: Callable[..., argparse.ArgumentParser],
    parser_class: type,
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `contract` (with `publish` and `versions`) and `diff`; `common` adds --db, --as and --checklists."""
    contract = command("contract", cmd_contract_help, "publish the agreed contract as a version, or list versions")
    steps: argparse._SubParsersAction = contract.add_subparsers(dest="step", metavar="STEP", parser_class=parser_class)

    def step(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = steps.add_parser(name, help=help, description=help)
        common(sub)
        sub.set_defaults(handler=handler)
        sub.add_argument(
            "--integration",
            metavar="NAME",
            default=argparse.SUPPRESS,
            help="integration (default: the one last opened or written to)",
        )
        return sub

    publish = step(
        "publish",
        cmd_contract_publish,
        "freeze the agreed contract as a new version, numbered by what changed since the last one",
    )
    publish.add_argument("--message", metavar="TEXT", help="what the version is about")
    publish.add_argument(
        "--version", dest="number", metavar="X.Y.Z", help="a higher version number than the changes call for"
    )
    step("versions", cmd_contract_versions, "list the published versions of the contract, oldest first")

    diff = command(
        "diff",
        cmd_diff,
        "compare two states of a contract: what changed, whom it hurts and who must be told",
    )
    diff.add_argument("files", nargs="*", metavar="ODCS", help="two ODCS contract files to compare, the older first")
    diff.add_argument(
        "--integration",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="integration (default: the one last opened or written to)",
    )
    diff.add_argument("--from", dest="old", metavar="VERSION", help="the older side: a published version")
    diff.add_argument(
        "--to", dest="new", metavar="VERSION", help="the newer side: a published version (default: the workspace now)"
    )
    diff.add_argument(
        "--contract", metavar="FILE", help="the agreed contract as an ODCS file, instead of the workspace's"
    )
    diff.add_argument("--ddl", metavar="FILE", help="compare the contract with the schema a DDL file declares")
    diff.add_argument("--dialect", choices=DIALECTS, help="SQL dialect of the --ddl file")
    diff.add_argument("--url", metavar="URL", help="compare the contract with a live database's schema (read-only)")
    diff.add_argument("--json", action="store_true", help="print the diff as JSON")
    diff.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        help="exit 1 when a change is this bad for consumers and the newer side is not a new major version",
    )


def cmd_contract_help(args: argparse.Namespace) -> int:
    raise DayoneError("contract: say `publish` or `versions` (see dayone contract --help)")


def cmd_contract_publish(args: argparse.Namespace) -> int:
    from tui import cli
    from tui.versions import parse, publish

    if args.number is not None:
        parse(args.number, "--version")
    message = args.message.strip() if args.message and args.message.strip() else None

    def work(workspace: Workspace) -> int:
        integration = cli.choose_integration(workspace, getattr(args, "integration", None))
        made, found = publish(workspace, integration, date.today().isoformat(), message=message, version=args.number)
        if made is None:
            assert found.since is not None
            cli.say(f"dayone: nothing changed in {integration['name']} since {found.since.version}; no new version")
            return 0
        what = f"{found.bump}: {plural(len(found.changes), 'change')}" if found.bump else "no tables yet"
        since = f" since {found.since.version}" if found.since else ""
        cli.say(f"dayone: published {integration['name']} {made.version} ({what}{since})")
        return 0

    return cli.reading(args, work)


def cmd_contract_versions(args: argparse.Namespace) -> int:
    from tui import cli
    from tui.versions import published, unpublished

    def work(workspace: Workspace) -> int:
        integration = cli.choose_integration(workspace, getattr(args, "integration", None))
        found = published(workspace, integration["id"])
        cli.print_columns(
            ("version", "published", "by", "bump", "message"),
            [
                (each.version, cli.local_stamp(each.at), each.author, each.bump or "", each.message or "")
                for each in found
            ],
            widest=30,
        )
        if not found:
            cli.say(f"no versions of {integration['name']} yet (publish one with `dayone contract publish`)", err=True)
        elif unpublished(workspace, integration, date.today().isoformat()):
            cli.say(f"the workspace has changes since {found[-1].version} that are not published", err=True)
        return 0

    return cli.reading(args, work)


def cmd_diff(args: argparse.Namespace) -> int:
    from tui import cli

    _check_diff_arguments(args)
    schema_side = args.ddl or args.url
    if len(args.files) == 2 or (args.contract and schema_side):
        return _report(args, _compare_files(args))  # no workspace needed: a CI job has none

    def work(workspace: Workspace) -> int:
        return _report(args, _compare_in_workspace(args, workspace))

    return cli.reading(args, work)


def _check_diff_arguments(args: argparse.Namespace) -> None:
    if len(args.files) not in (0, 2):
        raise DayoneError(f"diff: give two ODCS files (old, new), not {len(args.files)}")
    if args.files and (args.contract or args.ddl or args.url or args.old or args.new):
        raise DayoneError(
            "diff: two ODCS files are compared with each other; leave out --contract, --ddl, --url, --from and --to"
        )
    if args.ddl and args.url:
        raise DayoneError("diff: give either --ddl FILE or --url URL, not both")
    if args.ddl and not args.dialect:
        raise DayoneError(f"diff --ddl {args.ddl}: say which SQL it is with --dialect ({', '.join(DIALECTS)})")
    if args.dialect and not args.ddl:
        raise DayoneError("diff --dialect: only a --ddl file has a dialect")
    if args.contract and args.old:
        raise DayoneError("diff: the older side is either --contract FILE or --from VERSION, not both")
    if (args.ddl or args.url) and args.new:
        raise DayoneError("diff: the newer side is either a schema (--ddl, --url) or --to VERSION, not both")
    if args.contract and not (args.ddl or args.url):
        raise DayoneError("diff --contract: compare it with a schema (--ddl FILE --dialect D, or --url URL)")


def _schema_side(args: argparse.Namespace) -> tuple[Agreement, str]:
    from tui.changes.sources import from_schema
    from tui.importers.run import read_file, read_url

    found = read_file(args.ddl, args.dialect) if args.ddl else read_url(args.url)
    if found.schema.unreadable:
        first = found.schema.unreadable[0].describe()
        raise DayoneError(
            f"{found.source}: {plural(len(found.schema.unreadable), 'CREATE TABLE statement')} could not be read"
            f" (first: {first}); a diff against part of the schema would report the rest as removed"
        )
    return from_schema(found.schema, found.source), found.source


def _compare_files(args: argparse.Namespace) -> Comparison:
    from tui.agreement import read_odcs
    from tui.changes.report import build

    today = date.today().isoformat()
    if args.files:
        old, new = read_odcs(args.files[0]), read_odcs(args.files[1])
        return build(old, new, _labelled(args.files[0], old), _labelled(args.files[1], new), today=today)
    old = read_odcs(args.contract)
    new, source = _schema_side(args)
    return build(old, new, _labelled(args.contract, old), source, schema_only=True, today=today)


def _labelled(path: str, agreement: Agreement) -> str:
    return f"{path} ({agreement.version})" if agreement.version else path


def _compare_in_workspace(args: argparse.Namespace, workspace: Workspace) -> Comparison:
    from tui import cli
    from tui.agreement import from_workspace
    from tui.changes.report import build
    from tui.versions import agreement_at, latest

    today = date.today().isoformat()
    integration: Row = cli.choose_integration(workspace, getattr(args, "integration", None))
    old: Agreement | None
    if args.old:
        old, source = agreement_at(workspace, integration, args.old), args.old.strip()
    elif args.ddl or args.url:
        old, source = from_workspace(workspace, integration, today), f"{integration['name']} {WORKSPACE_NOW}"
    else:
        last = latest(workspace, integration["id"])
        old = agreement_at(workspace, integration, last.version) if last else None
        source = last.version if last else "nothing published"
    if args.new:
        new, target = agreement_at(workspace, integration, args.new), args.new.strip()
    elif args.ddl or args.url:
        new, target = _schema_side(args)
    else:
        new, target = from_workspace(workspace, integration, today), WORKSPACE_NOW
    schema_only = bool(args.ddl or args.url)
    return build(
        old, new, source, target, schema_only=schema_only, workspace=workspace, integration=integration, today=today
    )


def _report(args: argparse.Namespace, comparison: Comparison) -> int:
    from tui import cli

    for warning in comparison.warnings:
        cli.say(f"dayone: warning: {warning}", err=True)
    if args.json:
        sys.stdout.write(json.dumps(comparison.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        for line in comparison.lines():
            cli.say(line)
    if args.fail_on:
        failing = comparison.failing(args.fail_on)
        if failing:
            how = "breaking" if args.fail_on == "breaking" else "breaking or a warning"
            cli.say(
                f"dayone: {plural(len(failing), 'change')} {how} for consumers from {comparison.source} to "
                f"{comparison.target}, which is not a new major version",
                err=True,
            )
            return 1
    return 0
