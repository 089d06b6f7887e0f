"""The workspace: one SQLite file holding every integration, edited one transaction at a time.

Every write goes through `insert`, `update` or `delete`, which validate the
values, bump the row's version, append to the change log and commit before they
return. Writes take SQLite's write lock up front (BEGIN IMMEDIATE) and wait on a
busy timeout, so several processes can write the same file at once.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.errors import ConflictError, NotFound, UndoConflict, ValidationError, WorkspaceError, explain
from tui.identity import resolve_author
from tui.schema import BOOL, DATE, ENTITIES, INT, JSON, MIGRATIONS, REF, REFERRERS, SCHEMA_VERSION, TEXT, Entity

if TYPE_CHECKING:
    import sqlite_utils

    from tui.checklists import Checklist

BUSY_TIMEOUT_MS = 30_000
# The largest whole number an SQLite column holds; the smallest is -(SQLITE_MAX_INT + 1).
SQLITE_MAX_INT = 2**63 - 1
SQLITE_HEADER = b"SQLite format 3\x00"

Row = dict[str, Any]


def now_utc() -> str:
    """The current time as ISO 8601 in UTC with its offset, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def entity(name: str) -> Entity:
    try:
        return ENTITIES[name]
    except KeyError:
        raise ValueError(f"unknown entity {name!r}") from None


class Workspace:
    """An open workspace file. Safe to share between threads: calls are serialised by a lock."""

    def __init__(self, conn: sqlite3.Connection, path: Path, author: str | None, checklist: Checklist | None) -> None:
        self.conn = conn
        self.path = path
        self._author = author
        self.checklist = checklist
        self._lock = threading.RLock()
        self._depth = 0
        self._batch: int | None = None
        self._touched: int | None = None

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        author: str | None = None,
        checklist: Checklist | None = None,
        create: bool = True,
    ) -> Workspace:
        """Open (or create) a workspace, migrating it after a backup; refuse files it cannot own."""
        path = Path(path)
        if path.is_dir():
            raise WorkspaceError(f"{path}: is a folder, not a workspace file")
        if not path.exists():
            if not create:
                raise WorkspaceError(f"{path}: no such workspace file")
            if not path.parent.is_dir():
                raise WorkspaceError(f"{path}: the folder {path.parent} does not exist")
            if not os.access(path.parent, os.W_OK):
                raise WorkspaceError(f"{path}: cannot create the workspace, {path.parent} is read-only")
        else:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
            if header and header != SQLITE_HEADER:
                raise WorkspaceError(f"{path}: not a dayone workspace (not an SQLite file)")
            if not (path.stat().st_mode & stat.S_IWUSR) or not os.access(path, os.W_OK):
                raise WorkspaceError(f"{path}: the workspace file is read-only")
        side_files = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
        new_side_files = [side for side in side_files if not side.exists()]
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
            conn.row_factory = sqlite3.Row
            _migrate(conn, path)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            if len(new_side_files) == 2 and side_files[0].exists() and not side_files[0].stat().st_size:
                for side in side_files:  # made by this failed open and holding nothing (a full disk)
                    side.unlink(missing_ok=True)
            raise WorkspaceError(explain(exc, path)) from None
        workspace = cls(conn, path, author, checklist)
        if checklist is not None:
            workspace.sync_checklist()
        return workspace

    @functools.cached_property
    def author(self) -> str:
        """Who the edits are attributed to; worked out on the first write (it may ask git)."""
        return resolve_author(self._author)

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on the same connection, for row writes; imported on the first write to keep start-up fast.

        Its writes join the open transaction through savepoints, so each edit stays one transaction.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file; poll it to notice their edits."""
        with self._lock:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One all-or-nothing unit of work; nested uses join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as exc:
                raise WorkspaceError(f"{explain(exc, self.path)} (nothing was written)") from None
            self._depth, self._batch, self._touched = 1, None, None
            try:
                yield
                if self._touched is not None:
                    self._set_setting("last_integration", str(self._touched))
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.DatabaseError):  # a full disk, a damaged file: nothing was written
                    raise WorkspaceError(f"{explain(exc, self.path)} (nothing was written)") from None
                raise
            finally:
                self._depth = 0

    def _batch_id(self) -> int:
        if self._batch is None:
            last = self.conn.execute("SELECT coalesce(max(batch), 0) FROM changes").fetchone()[0]
            self._batch = last + 1
        return self._batch

    def _log(self, ent: Entity, row: Row, action: str, field: str | None, old: Any, new: Any) -> None:
        integration_id = self._integration_of(ent, row)
        self._touched = integration_id
        self.conn.execute(
            "INSERT INTO changes"
            " (batch, at, author, integration_id, meeting_id, entity, row_id, action, field, old, new)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._batch_id(),
                now_utc(),
                self.author,
                integration_id,
                self._open_meeting(integration_id),
                ent.name,
                row["id"],
                action,
                field,
                _dump(old),
                _dump(new),
            ),
        )

    def _open_meeting(self, integration_id: int | None) -> int | None:
        """The meeting running for an integration, whichever process started it: its changes belong to it."""
        if integration_id is None:
            return None
        found = self.conn.execute(
            "SELECT max(id) FROM meetings WHERE integration_id = ? AND ended_at IS NULL", (integration_id,)
        ).fetchone()
        return found[0]

    def _integration_of(self, ent: Entity, row: Row) -> int | None:
        if ent.name == "integration":
            return row["id"]
        if ent.parent == "integration_id":
            return row["integration_id"]
        if ent.name == "column":
            found = self.conn.execute("SELECT integration_id FROM tables WHERE id = ?", (row["table_id"],)).fetchone()
            return found[0] if found else None
        return None

    # -- reading -------------------------------------------------------------------------

    def get(self, name: str, row_id: int) -> Row:
        ent = entity(name)
        with self._lock:
            found = self.conn.execute(f"SELECT * FROM {ent.table} WHERE id = ?", (row_id,)).fetchone()
        if found is None:
            raise NotFound(self._gone(ent, row_id))
        return decode_row(ent, found)

    def _gone(self, ent: Entity, row_id: int) -> str:
        """Why a row cannot be found, naming it as it was known: who deleted it and when, if the log says."""
        with self._lock:
            last = self.conn.execute(
                "SELECT author, at, old FROM changes WHERE entity = ? AND row_id = ? AND action = 'delete' "
                "ORDER BY id DESC LIMIT 1",
                (ent.name, row_id),
            ).fetchone()
        if last is None:
            return f"that {ent.name} does not exist"
        label = (_load(last["old"]) or {}).get(ent.label)
        named = f"{ent.name} {str(label)[:40]!r}" if label else f"that {ent.name}"
        return f"{named} was deleted by {last['author']} at {last['at'][:16].replace('T', ' ')} UTC"

    def rows(
        self, name: str, where: str | None = None, params: tuple | Mapping = (), order_by: str = "id"
    ) -> list[Row]:
        ent = entity(name)
        sql = f"SELECT * FROM {ent.table}" + (f" WHERE {where}" if where else "") + f" ORDER BY {order_by}"
        with self._lock:
            return [decode_row(ent, found) for found in self.conn.execute(sql, params)]

    def query(self, sql: str, params: tuple | Mapping = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    # -- writing -------------------------------------------------------------------------

    def insert(self, name: str, values: Mapping[str, Any]) -> Row:
        ent = entity(name)
        clean = _clean(ent, values)
        for required in ent.required:
            if clean.get(required) in (None, ""):
                raise ValidationError(f"{name}.{required}", "is required")
        with self.transaction():
            if name == "item":
                clean.setdefault("updated_at", now_utc())
                clean.setdefault("updated_by", self.author)
            try:
                row_id = self.db.table(ent.table).insert(clean).last_pk
            except sqlite3.IntegrityError as exc:
                raise _integrity(ent, clean, exc) from None
            assert row_id is not None  # every table has an integer id
            row = self.get(name, row_id)
            self._log(ent, row, "insert", None, None, row)
        return row

    def insert_many(self, name: str, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert many rows of one entity, validated and logged like `insert`, in a few statements; returns ids.

        For bulk writers such as the schema import, where one `insert` per row would dominate the time.
        """
        ent = entity(name)
        cleaned = []
        for values in rows:
            clean = _clean(ent, values)
            for required in ent.required:
                if clean.get(required) in (None, ""):
                    raise ValidationError(f"{name}.{required}", "is required")
            if name == "item":
                clean.setdefault("updated_at", now_utc())
                clean.setdefault("updated_by", self.author)
            cleaned.append(clean)
        if not cleaned:
            return []
        with self.transaction():
            first = self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {ent.table}").fetchone()[0]
            ids = list(range(first, first + len(cleaned)))
            groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
            for row_id, clean in zip(ids, cleaned, strict=True):
                groups.setdefault(tuple(clean), []).append((row_id, *clean.values()))
            try:
                for columns, params in groups.items():
                    marks = ", ".join("?" for _ in range(len(columns) + 1))
                    self.conn.executemany(
                        f"INSERT INTO {ent.table} (id, {', '.join(columns)}) VALUES ({marks})", params
                    )
            except sqlite3.IntegrityError as exc:
                raise _integrity(ent, cleaned[0], exc) from None
            inserted = [
                decode_row(ent, found)
                for found in self.conn.execute(
                    f"SELECT * FROM {ent.table} WHERE id BETWEEN ? AND ? ORDER BY id", (ids[0], ids[-1])
                )
            ]
            owners: dict[Any, tuple[int | None, int | None]] = {}
            log = []
            at = now_utc()
            for row in inserted:
                owner_key = row.get(ent.parent) if ent.parent else row["id"]
                if owner_key not in owners:
                    integration_id = self._integration_of(ent, row)
                    owners[owner_key] = (integration_id, self._open_meeting(integration_id))
                integration_id, meeting_id = owners[owner_key]
                log.append(
                    (
                        self._batch_id(),
                        at,
                        self.author,
                        integration_id,
                        meeting_id,
                        ent.name,
                        row["id"],
                        "insert",
                        None,
                        None,
                        _dump(row),
                    )
                )
                self._touched = integration_id
            self.conn.executemany(
                "INSERT INTO changes (batch, at, author, integration_id, meeting_id, entity, row_id, action, field,"
                " old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                log,
            )
        return ids

    def update(self, name: str, row_id: int, values: Mapping[str, Any], version: int | None = None) -> Row:
        """Change some fields; with `version`, refuse (ConflictError) if the row moved on since."""
        ent = entity(name)
        clean = _clean(ent, values)
        with self.transaction():
            current = self.get(name, row_id)
            if version is not None and current["version"] != version:
                raise ConflictError(name, row_id, version, current, dict(values))
            decoded_new = _decode_values(ent, clean)
            changed = {key: value for key, value in clean.items() if current.get(key) != decoded_new[key]}
            for required in ent.required:
                if required in changed and changed[required] in (None, ""):
                    raise ValidationError(f"{name}.{required}", "is required")
            if not changed:
                return current
            if name == "item":  # when the values carry their own stamp (a loaded plan), it is kept as given
                changed["updated_at"] = clean.get("updated_at") or now_utc()
                changed["updated_by"] = clean.get("updated_by") or self.author
            try:
                self.db.table(ent.table).update(row_id, {**changed, "version": current["version"] + 1})
            except sqlite3.IntegrityError as exc:
                raise _integrity(ent, {**current, **changed}, exc) from None
            row = self.get(name, row_id)
            for key in changed:
                if key not in ("updated_at", "updated_by"):
                    self._log(ent, row, "update", key, current.get(key), row.get(key))
        return row

    def delete(self, name: str, row_id: int, version: int | None = None) -> None:
        """Delete a row and what it owns, logging every row so that undo can restore them."""
        ent = entity(name)
        with self.transaction():
            current = self.get(name, row_id)
            if version is not None and current["version"] != version:
                raise ConflictError(name, row_id, version, current, {})
            for child in ent.children:
                child_ent = ENTITIES[child]
                for found in self.conn.execute(
                    f"SELECT id FROM {child_ent.table} WHERE {name}_id = ? ORDER BY id DESC", (row_id,)
                ).fetchall():
                    self.delete(child, found[0])
            for referrer, column in REFERRERS.get(name, ()):
                table = ENTITIES[referrer].table
                for found in self.conn.execute(f"SELECT id FROM {table} WHERE {column} = ?", (row_id,)).fetchall():
                    self.update(referrer, found[0], {column: None})
            self.db.table(ent.table).delete(row_id)
            self._log(ent, current, "delete", None, current, None)

    def undo(self, batch: int, ignore: Sequence[int] = ()) -> int | None:
        """Revert one batch of changes; returns the batch that did it (undo it to redo).

        Like any edit it is refused (UndoConflict) when someone changed what it would revert since:
        the rows of the batch, or rows that point at a row the batch created. Changes in the
        `ignore` batches (the caller's own, already undone) do not count.
        """
        with self.transaction():
            changes = self.query("SELECT * FROM changes WHERE batch = ? ORDER BY id DESC", (batch,))
            if not changes:
                raise NotFound(f"no change batch {batch}")
            self._check_undo(batch, changes, ignore)
            for change in changes:
                ent = ENTITIES[change["entity"]]
                if change["action"] == "insert":
                    self.delete(ent.name, change["row_id"])
                elif change["action"] == "update":
                    current = self.get(ent.name, change["row_id"])
                    old, new = _load(change["old"]), _load(change["new"])
                    if current.get(change["field"]) != new:
                        raise ConflictError(
                            ent.name, change["row_id"], current["version"], current, {change["field"]: old}
                        )
                    self.update(ent.name, change["row_id"], {change["field"]: old})
                else:
                    self._restore(ent, _load(change["old"]))
            return self._batch

    def _check_undo(self, batch: int, changes: Sequence[sqlite3.Row], ignore: Sequence[int]) -> None:
        ids = [change["id"] for change in changes]
        frozen = self.conn.execute(
            "SELECT version FROM contract_versions WHERE last_change_id BETWEEN ? AND ?", (min(ids), max(ids))
        ).fetchone()
        if frozen is not None:
            raise UndoConflict(
                f"contract version {frozen[0]} was published with this change, and a published version stays;"
                " change the agreement and publish again instead"
            )
        touched = {(change["entity"], change["row_id"]) for change in changes}
        created = {(change["entity"], change["row_id"]) for change in changes if change["action"] == "insert"}
        links: dict[tuple[str, str], set[int]] = {}  # (entity, field) -> ids of created rows it may point at
        for name, row_id in created:
            for referrer, column in REFERRERS.get(name, ()):
                links.setdefault((referrer, column), set()).add(row_id)
            for child in ENTITIES[name].children:
                links.setdefault((child, f"{name}_id"), set()).add(row_id)
        entities = {name for name, _ in touched} | {name for name, _ in links}
        marks = ", ".join("?" for _ in entities)
        skipped = ", ".join("?" for _ in range(len(ignore) + 1))
        later = self.conn.execute(
            f"SELECT * FROM changes WHERE id > ? AND batch NOT IN ({skipped}) AND entity IN ({marks}) ORDER BY id",
            (max(change["id"] for change in changes), batch, *ignore, *entities),
        )
        for change in later:
            key = (change["entity"], change["row_id"])
            if key in touched:
                raise UndoConflict(self._described(change, "changed"))
            new = _load(change["new"])
            for (name, column), targets in links.items():
                if change["entity"] != name:
                    continue
                if (change["field"] == column and new in targets) or (
                    change["action"] == "insert" and isinstance(new, dict) and new.get(column) in targets
                ):
                    raise UndoConflict(self._described(change, "linked"))

    def _described(self, change: sqlite3.Row, verb: str) -> str:
        """What someone did since, in words: who, to which row, which field, when."""
        ent = ENTITIES[change["entity"]]
        found = self.conn.execute(f"SELECT * FROM {ent.table} WHERE id = ?", (change["row_id"],)).fetchone()
        row = decode_row(ent, found) if found else (_load(change["old"]) or _load(change["new"]) or {})
        label = row.get(ent.label) if isinstance(row, dict) else None
        name = f"{ent.name} {str(label)[:40]!r}" if label else ent.name
        what = f"{verb} {name}" + (f" ({change['field']})" if change["field"] else "")
        if change["action"] == "insert":
            what = f"added {name}" if verb == "changed" else f"added {name}, linked to it"
        elif change["action"] == "delete":
            what = f"deleted {name}"
        return f"{change['author']} {what} at {change['at'][11:16]} UTC since; undo would revert it"

    def _restore(self, ent: Entity, row: Row) -> None:
        values = {key: row.get(key) for key in ent.fields}
        # Empty values are left to the column defaults: a blank text such as a table's default schema
        # cleans to NULL, which a NOT NULL DEFAULT '' column refuses.
        clean = {key: value for key, value in _clean(ent, values).items() if value is not None}
        clean["id"], clean["version"] = row["id"], row["version"] + 1
        try:
            self.db.table(ent.table).insert(clean)
        except sqlite3.IntegrityError as exc:
            raise UndoConflict(
                f"cannot bring back {ent.name} {row.get(ent.label)!r}: {_integrity(ent, clean, exc)}"
            ) from None
        restored = self.get(ent.name, row["id"])
        self._log(ent, restored, "insert", None, None, restored)

    def last_batch(self, author: str | None = None) -> int | None:
        found = self.query(
            "SELECT max(batch) FROM changes" + (" WHERE author = ?" if author else ""), (author,) if author else ()
        )
        return found[0][0]

    def changes(self, integration_id: int | None = None, after_id: int = 0) -> list[Row]:
        """The change log, oldest first, optionally for one integration and after a change id."""
        where, params = "id > ?", [after_id]
        if integration_id is not None:
            where += " AND integration_id = ?"
            params.append(integration_id)
        return [
            {**dict(found), "old": _load(found["old"]), "new": _load(found["new"])}
            for found in self.query(f"SELECT * FROM changes WHERE {where} ORDER BY id", tuple(params))
        ]

    # -- settings ------------------------------------------------------------------------

    def _set_setting(self, key: str, value: str) -> None:
        # Plain SQL: opening another integration writes this, and should not wait for sqlite-utils to import.
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def setting(self, key: str) -> str | None:
        """A remembered preference (not part of the plan, not in the change log)."""
        found = self.query("SELECT value FROM settings WHERE key = ?", (key,))
        return found[0][0] if found else None

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self._set_setting(key, value)

    def remember_integration(self, integration_id: int) -> None:
        """Mark an integration as the one last opened, for commands that default to it."""
        with self.transaction():
            self._set_setting("last_integration", str(integration_id))

    def last_integration(self) -> Row | None:
        found = self.query("SELECT value FROM settings WHERE key = 'last_integration'")
        if found:
            try:
                last = self.get("integration", int(found[0][0]))
            except NotFound:
                pass
            else:
                if not last["archived_at"]:
                    return last
        integrations = self.integrations()
        return integrations[0] if integrations else None

    # -- integrations and their parts ----------------------------------------------------

    def integrations(self, *, archived: bool = False) -> list[Row]:
        """The integrations in the order they were made; archived ones only when asked for."""
        return self.rows("integration", None if archived else "archived_at IS NULL")

    def integration(self, name: str) -> Row:
        """The integration of this exact name (archived or not); an unknown name lists the known ones."""
        found = self.rows("integration", "name = ?", (name,))
        if not found:
            every = self.integrations(archived=True)
            alike = [row["name"] for row in every if row["name"].casefold() == name.strip().casefold()]
            known = ", ".join(row["name"] for row in every if not row["archived_at"]) or "none yet"
            hint = f"; did you mean {alike[0]!r}?" if alike else ""
            raise NotFound(f"no integration named {name!r} (known: {known}){hint}")
        return found[0]

    def add_integration(self, name: str, **fields: Any) -> Row:
        """Create an integration with its checklist instantiated from the templates."""
        with self.transaction():
            if self.rows("integration", "name = ?", (name,)):
                raise ValidationError("integration.name", f"an integration named {name!r} already exists")
            row = self.insert("integration", {"name": name, **fields})
            self.sync_checklist(row["id"])
        return row

    def sync_checklist(self, integration_id: int | None = None) -> int:
        """Add template items an integration lacks and refresh template wording; answers stay untouched."""
        if self.checklist is None:
            return 0
        added = 0
        targets = (
            [integration_id] if integration_id is not None else [row["id"] for row in self.integrations(archived=True)]
        )
        for target in targets:
            existing = {row["key"]: row for row in self.rows("item", "integration_id = ?", (target,))}
            pending: list[tuple[Any, ...]] = []
            for template in self.checklist.items():
                wording = template.wording()
                row = existing.get(template.full_key)
                if row is None:
                    pending.append(("insert", {"integration_id": target, "key": template.full_key, **wording}))
                elif any(row[key] != value for key, value in wording.items()):
                    pending.append(("update", row["id"], wording))
            if not pending:
                continue
            with self.transaction():
                for action, *args in pending:
                    if action == "insert":
                        self.insert("item", args[0])
                        added += 1
                    else:
                        self.update("item", args[0], args[1])
        return added

    def stakeholder(self, integration_id: int, name: str) -> Row:
        found = self.rows("stakeholder", "integration_id = ? AND name = ?", (integration_id, name))
        if not found:
            known = ", ".join(row["name"] for row in self.rows("stakeholder", "integration_id = ?", (integration_id,)))
            raise NotFound(f"no stakeholder named {name!r} in this integration (known: {known or 'none yet'})")
        return found[0]

    def add_note(self, integration_id: int, text: str, **fields: Any) -> Row:
        """Write a running note: shorthand for `tui.actions.add_note`, which holds the rules for notes."""
        from tui.actions import add_note

        return add_note(self, integration_id, text, **fields)

    def backup(self, target: Path) -> None:
        """A consistent copy of the file, safe while other processes write."""
        with self._lock, sqlite3.connect(target) as copy:
            self.conn.backup(copy)


# -- migrations ----------------------------------------------------------------------------


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise WorkspaceError(
            f"{path}: written by a newer dayone (schema {version}, this one knows up to {SCHEMA_VERSION}); "
            "upgrade dayone to open it"
        )
    if version == SCHEMA_VERSION:
        return
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise WorkspaceError(f"{path}: an SQLite file, but not a dayone workspace")
    if version > 0:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
        with sqlite3.connect(backup) as copy:
            conn.backup(copy)
    for target in range(version, SCHEMA_VERSION):
        conn.executescript(f"BEGIN IMMEDIATE; {MIGRATIONS[target]}; PRAGMA user_version = {target + 1}; COMMIT;")


# -- values ----------------------------------------------------------------------------------


def _clean(ent: Entity, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate values for an entity and turn them into what SQLite stores."""
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key not in ent.fields:
            raise ValidationError(f"{ent.name}.{key}", "unknown field")
        clean[key] = _store_value(ent, key, value)
        if clean[key] is None and key in ent.empty_text:
            clean[key] = ""
    return clean


def _store_value(ent: Entity, key: str, value: Any) -> Any:
    if value is None:
        return None
    kind = ent.kind(key)
    where = f"{ent.name}.{key}"
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return kind(value).value
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise ValidationError(where, f"{value!r} is not one of {allowed}") from None
    if kind == TEXT:
        if not isinstance(value, str):
            raise ValidationError(where, f"expected text, got {value!r}")
        return value if value.strip() else None
    if kind in (INT, REF):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(where, f"expected a whole number, got {value!r}")
        if not -SQLITE_MAX_INT - 1 <= value <= SQLITE_MAX_INT:
            raise ValidationError(where, f"{value} is out of range (at most {SQLITE_MAX_INT})")
        return value
    if kind == BOOL:
        if value not in (True, False, 0, 1):
            raise ValidationError(where, f"expected true or false, got {value!r}")
        return int(bool(value))
    if kind == DATE:
        if isinstance(value, datetime):
            raise ValidationError(where, f"expected a date (YYYY-MM-DD), got a timestamp {value!r}")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                raise ValidationError(where, f"{value!r} is not a date (YYYY-MM-DD)") from None
        raise ValidationError(where, f"expected a date (YYYY-MM-DD), got {value!r}")
    if kind == JSON:
        try:
            return json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            raise ValidationError(where, "is not JSON-serialisable") from None
    raise AssertionError(kind)


def decode_row(ent: Entity, found: Mapping[str, Any]) -> Row:
    """A stored row as callers see it: flags as booleans, JSON fields decoded."""
    row = dict(found)
    bools, jsons = _decoded_fields(ent.name)
    for key in bools:
        if row.get(key) is not None:
            row[key] = bool(row[key])
    for key in jsons:
        if row.get(key) is not None:
            row[key] = json.loads(row[key])
    return row


@functools.cache
def _decoded_fields(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields of an entity stored as 0/1 and as JSON text: only those need decoding."""
    fields = ENTITIES[name].fields
    return (
        tuple(key for key, kind in fields.items() if kind == BOOL),
        tuple(key for key, kind in fields.items() if kind == JSON),
    )


def _decode_values(ent: Entity, clean: Mapping[str, Any]) -> dict[str, Any]:
    decoded = dict(clean)
    for key, value in clean.items():
        if value is None:
            continue
        if ent.kind(key) == BOOL:
            decoded[key] = bool(value)
        elif ent.kind(key) == JSON:
            decoded[key] = json.loads(value)
    return decoded


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _integrity(ent: Entity, values: Mapping[str, Any], exc: sqlite3.IntegrityError) -> ValidationError:
    if "UNIQUE" in str(exc):
        return ValidationError(f"{ent.name}.{ent.label}", f"{values.get(ent.label)!r} already exists here")
    if "NOT NULL" in str(exc):
        return ValidationError(f"{ent.name}.{str(exc).rsplit('.', 1)[-1]}", "is required (it cannot be blank)")
    return ValidationError(ent.name, f"refers to something that does not exist ({exc})")
