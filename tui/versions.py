"""Published versions of an integration's contract: frozen copies of the agreement, numbered by what changed.

A version is published only when the agreement changed since the last one, and its number follows from the
changes (a consumer-breaking change: major; anything else: minor; descriptions only: patch). A number asked
for may be higher, never lower. Publishing reads the last version, compares and writes in one transaction
that holds the write lock, so two processes publishing at once make exactly one version.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from tui.agreement import Agreement, from_workspace
from tui.changes.classify import compare
from tui.changes.model import Bump, Change, bump_of
from tui.errors import DayoneError
from tui.export.contract import Column, Table
from tui.store import Row, Workspace, now_utc

SEMVER = re.compile(r"^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$")
FIRST_VERSION = "0.1.0"


@dataclass(frozen=True)
class Published:
    """One published version, without its contract (read that with `agreement_at`)."""

    id: int
    version: str
    at: str
    author: str
    message: str | None
    bump: str | None
    last_change_id: int


@dataclass(frozen=True)
class Pending:
    """What changed since the last version, and the number the next one would get."""

    since: Published | None
    changes: list[Change]
    bump: Bump | None
    proposed: str


def parse(text: str, where: str = "version") -> tuple[int, int, int]:
    """A version number MAJOR.MINOR.PATCH; anything else is one line naming it."""
    found = SEMVER.match(text.strip()) if isinstance(text, str) else None
    if not found:
        raise DayoneError(f"{where}: {text!r} is not a version number (MAJOR.MINOR.PATCH, e.g. 1.2.0)")
    major, minor, patch = (int(part) for part in found.groups())
    return major, minor, patch


def _key(version: str) -> tuple[int, ...]:
    found = SEMVER.match(version)
    return tuple(int(part) for part in found.groups()) if found else (-1,)


def published(ws: Workspace, integration_id: int) -> list[Published]:
    """An integration's versions, oldest first."""
    rows = ws.query(
        "SELECT id, version, at, author, message, bump, last_change_id FROM contract_versions WHERE integration_id = ?",
        (integration_id,),
    )
    return sorted((Published(*row) for row in rows), key=lambda found: (_key(found.version), found.id))


def latest(ws: Workspace, integration_id: int) -> Published | None:
    found = published(ws, integration_id)
    return found[-1] if found else None


def agreement_at(ws: Workspace, integration: Row, version: str) -> Agreement:
    """The agreement as it was published in `version`; an unknown version names the known ones."""
    found = ws.query(
        "SELECT contract FROM contract_versions WHERE integration_id = ? AND version = ?",
        (integration["id"], version.strip()),
    )
    if not found:
        known = ", ".join(each.version for each in published(ws, integration["id"])) or "none yet"
        raise DayoneError(f"no version {version!r} of {integration['name']} (published: {known})")
    try:
        return decode(json.loads(found[0][0]))
    except (DayoneError, ValueError) as exc:
        raise DayoneError(f"version {version} of {integration['name']} in the workspace is damaged: {exc}") from None


def pending(ws: Workspace, integration: Row, today: str) -> Pending:
    """The changes since the last version (or since nothing, before the first) and the number they call for."""
    since = latest(ws, integration["id"])
    before = agreement_at(ws, integration, since.version) if since else None
    changes = compare(before, from_workspace(ws, integration, today))
    bump = bump_of(changes)
    return Pending(since, changes, bump, next_version(since.version if since else None, bump, integration))


def unpublished(ws: Workspace, integration: Row, today: str) -> bool | None:
    """Whether the agreement changed since the last version; None when nothing is published yet."""
    since = latest(ws, integration["id"])
    if since is None:
        return None
    newer = ws.query(
        "SELECT 1 FROM changes WHERE integration_id = ? AND id > ? LIMIT 1", (integration["id"], since.last_change_id)
    )
    if not newer:
        return False
    return bool(compare(agreement_at(ws, integration, since.version), from_workspace(ws, integration, today)))


def next_version(previous: str | None, bump: Bump | None, integration: Row) -> str:
    """The number the changes call for: the integration's own version number before the first publication."""
    written = integration.get("contract_version") or FIRST_VERSION
    if previous is None:
        return written if SEMVER.match(written) else FIRST_VERSION
    major, minor, patch = parse(previous)
    if bump is Bump.MAJOR:
        step = (major + 1, 0, 0)
    elif bump is Bump.MINOR:
        step = (major, minor + 1, 0)
    else:
        step = (major, minor, patch + 1)
    proposed = ".".join(map(str, step))
    # A number typed into the integration since the last version counts as asked for, when it is higher.
    return written if SEMVER.match(written) and _key(written) > _key(proposed) else proposed


def publish(
    ws: Workspace, integration: Row, today: str, *, message: str | None = None, version: str | None = None
) -> tuple[Published | None, Pending]:
    """Freeze the agreement as a new version; (None, pending) when nothing changed since the last one."""
    if version is not None:
        parse(version, "--version")
    with ws.transaction():
        integration = ws.get("integration", integration["id"])
        since = latest(ws, integration["id"])
        before = agreement_at(ws, integration, since.version) if since else None
        now = from_workspace(ws, integration, today)
        changes = compare(before, now)
        bump = bump_of(changes)
        proposed = next_version(since.version if since else None, bump, integration)
        found = Pending(since, changes, bump, proposed)
        if since is not None and not changes:
            return None, found
        chosen = proposed
        if version is not None:
            if _key(version.strip()) < _key(proposed):
                why = (
                    f"the changes since {since.version} call for it ({bump})"
                    if since
                    else "the integration's own contract version, where the first one starts"
                )
                raise DayoneError(f"--version {version.strip()} is lower than {proposed}: {why}")
            chosen = version.strip()
        if integration["contract_version"] != chosen:
            ws.update("integration", integration["id"], {"contract_version": chosen})
        last = ws.query("SELECT coalesce(max(id), 0) FROM changes WHERE integration_id = ?", (integration["id"],))
        at = now_utc()
        row_id = ws.conn.execute(
            "INSERT INTO contract_versions (integration_id, version, at, author, message, bump, last_change_id,"
            " contract) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                integration["id"],
                chosen,
                at,
                ws.author,
                message,
                bump.value if bump else None,
                last[0][0],
                json.dumps(encode(replace(now, version=chosen)), ensure_ascii=False),
            ),
        ).lastrowid
        assert row_id is not None
    return Published(row_id, chosen, at, ws.author, message, bump.value if bump else None, last[0][0]), found


def restore(ws: Workspace, integration_id: int, entry: dict[str, Any]) -> bool:
    """Keep a version read from a plan; False when the workspace has it already (the same contract)."""
    contract = decode(entry["contract"])
    existing = ws.query(
        "SELECT contract FROM contract_versions WHERE integration_id = ? AND version = ?",
        (integration_id, entry["version"]),
    )
    if existing:
        try:
            stored = decode(json.loads(existing[0][0]))
        except ValueError:
            stored = None
        if stored != contract:
            raise DayoneError(f"version {entry['version']} is published already, with another contract")
        return False
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO contract_versions (integration_id, version, at, author, message, bump, last_change_id,"
            " contract) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
            (
                integration_id,
                entry["version"],
                entry["at"],
                entry.get("author") or ws.author,
                entry.get("message"),
                entry.get("bump"),
                json.dumps(encode(contract), ensure_ascii=False),
            ),
        )
    return True


def history(ws: Workspace, integration_id: int) -> list[dict[str, Any]]:
    """Every version with its contract, oldest first, as the plan YAML keeps them."""
    rows = {
        row[0]: json.loads(row[1])
        for row in ws.query("SELECT id, contract FROM contract_versions WHERE integration_id = ?", (integration_id,))
    }
    return [
        _compact(
            {
                "version": each.version,
                "at": each.at,
                "author": each.author,
                "message": each.message,
                "bump": each.bump,
                "contract": rows[each.id],
            }
        )
        for each in published(ws, integration_id)
    ]


# -- a compact form of an agreement: only what is set --------------------------------------------------

_TABLE_DEFAULTS: dict[str, Any] = {
    "description": None,
    "kind": "table",
    "estimated_rows": None,
    "created_by": None,
    "updated_at_column": None,
    "deletion": None,
    "soft_delete_column": None,
    "retention": None,
    "legacy_marker": None,
    "test_data_marker": None,
    "strict": False,
}
_COLUMN_DEFAULTS: dict[str, Any] = {
    "type": None,
    "nullable": True,
    "primary_key": False,
    "unique": False,
    "foreign_key": None,
    "default": None,
    "generated": None,
    "check": None,
    "description": None,
    "classification": None,
    "value_set": {},
    "json_schema": None,
}


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def encode(agreement: Agreement) -> dict[str, Any]:
    """The agreement as plain data, leaving out every field that holds its default."""
    return _compact(
        {
            "name": agreement.name,
            "version": agreement.version,
            "timezones": agreement.timezones,
            "latency_seconds": agreement.latency_seconds,
            "tables": [
                {
                    **({"schema": table.schema} if table.schema else {}),
                    "name": table.name,
                    **{
                        key: getattr(table, key)
                        for key, empty in _TABLE_DEFAULTS.items()
                        if getattr(table, key) != empty
                    },
                    "columns": [
                        {
                            "name": column.name,
                            **{
                                key: getattr(column, key)
                                for key, empty in _COLUMN_DEFAULTS.items()
                                if getattr(column, key) != empty
                            },
                        }
                        for column in table.columns
                    ],
                }
                for table in agreement.tables
            ],
        }
    )


def decode(data: Any) -> Agreement:
    """An agreement from `encode`'s form; anything else is one line saying it is not one."""
    try:
        tables = tuple(decode_table(table) for table in data.get("tables") or ())
        return Agreement(
            name=_text(data.get("name") or ""),
            version=_text(data.get("version") or ""),
            tables=tables,
            timezones=data.get("timezones"),
            latency_seconds=data.get("latency_seconds"),
            source=_text(data.get("name") or ""),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise DayoneError(f"not a contract version dayone wrote ({type(exc).__name__}: {exc})") from None


def decode_table(data: dict[str, Any]) -> Table:
    """One table of `encode`'s form: what it leaves out holds its default."""
    return Table(
        schema=str(data.get("schema") or ""),
        name=_text(data["name"]),
        **{key: data.get(key, empty) for key, empty in _TABLE_DEFAULTS.items()},
        columns=tuple(decode_column(column) for column in data.get("columns") or ()),
        flags=(),
    )


def decode_column(data: dict[str, Any]) -> Column:
    """One column of `encode`'s form: what it leaves out holds its default. Read field by field, as a large
    contract has tens of thousands."""
    get = data.get
    value_set = get("value_set")
    if value_set is None:
        value_set = {}
    elif type(value_set) is not dict:
        raise TypeError("value_set is not a mapping")
    return Column(
        _text(data["name"]),
        get("type"),
        get("nullable", True),
        get("primary_key", False),
        get("unique", False),
        get("foreign_key"),
        get("default"),
        get("generated"),
        get("check"),
        get("description"),
        get("classification"),
        value_set,
        get("json_schema"),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r}")
    return value
