"""A large generated workspace for performance work.

5 integrations, each with 1,000 tables, 20,000 columns, 200 checklist items and
1,000 notes, written through the ordinary store API (so versions and the change
log are as real as in use). Run it directly to write one:

    python -m tests.benchmarks.large_workspace data/large.db
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import yaml

from tests.benchmarks.timing import reported
from tui.checklists import load_checklist
from tui.enums import ItemStatus, NoteKind
from tui.resources import checklists_dir
from tui.store import Workspace

INTEGRATIONS = 5
TABLES = 1_000
COLUMNS_PER_TABLE = 20
ITEMS = 200
NOTES = 1_000
TYPES = ["bigint", "text", "timestamp with time zone", "timestamp", "jsonb", "numeric(12,2)", "boolean", "uuid"]


def checklists_dir_for_large(folder: Path) -> Path:
    """The shipped templates plus one generated section, so that there are ITEMS items in all."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for template in checklists_dir().glob("*.yaml"):
        shutil.copy(template, folder / template.name)
    shipped = len(load_checklist(folder).items())
    extra = {
        "key": "generated",
        "title": "Generated questions",
        "order": 99,
        "items": [
            {"key": f"question_{n:03d}", "question": f"Generated question {n}?", "why": "Padding for benchmarks."}
            for n in range(ITEMS - shipped)
        ],
    }
    (folder / "99-generated.yaml").write_text(yaml.safe_dump(extra, sort_keys=False), encoding="utf-8")
    return folder


def build(path: Path, seed: int = 7, integrations: int = INTEGRATIONS, tables: int = TABLES) -> Path:
    """Write the large workspace to `path` (replacing it) and return the path; the sizes can be changed."""
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    templates = checklists_dir_for_large(path.parent / f"{path.stem}-checklists")
    rng = random.Random(seed)
    with Workspace.open(path, author="generator", checklist=load_checklist(templates)) as ws:
        for n in range(integrations):
            with ws.transaction():
                integration = ws.add_integration(
                    f"Service {n + 1}", source=f"service {n + 1}, PostgreSQL", go_live="2027-03-01"
                )
                iid = integration["id"]
                people = [
                    ws.insert(
                        "stakeholder",
                        {
                            "integration_id": iid,
                            "name": f"Person {n}-{p}",
                            "role": "engineering lead" if p == 0 else "analyst",
                            "team": "software" if p % 2 == 0 else "data",
                            "point_of_contact": p == 0,
                        },
                    )
                    for p in range(6)
                ]
                for t in range(tables):
                    table = ws.insert(
                        "table",
                        {
                            "integration_id": iid,
                            "schema": f"app{t % 10}",
                            "name": f"table_{t:04d}",
                            "description": f"Generated table {t}",
                            "estimated_rows": rng.randrange(10, 10_000_000),
                        },
                    )
                    for c in range(COLUMNS_PER_TABLE):
                        ws.insert(
                            "column",
                            {
                                "table_id": table["id"],
                                "position": c + 1,
                                "name": "id" if c == 0 else f"field_{t:04d}_{c:02d}",
                                "type": TYPES[0] if c == 0 else rng.choice(TYPES),
                                "nullable": c != 0,
                                "primary_key": c == 0,
                                "foreign_key": f"app{(t - 1) % 10}.table_{t - 1:04d}.id" if c == 1 and t else None,
                            },
                        )
                for m in range(20):
                    ws.insert(
                        "metric",
                        {
                            "integration_id": iid,
                            "name": f"Metric {m}",
                            "priority": "must",
                            "timeline": "day 1",
                            "needs": [f"app{m % 10}.table_{m:04d}.field_{m:04d}_0{1 + m % 9}"],
                        },
                    )
                items = ws.rows("item", "integration_id = ?", (iid,))
                for item in items[::2]:
                    ws.update(
                        "item",
                        item["id"],
                        {
                            "status": rng.choice(list(ItemStatus)),
                            "answer": "Generated answer.",
                            "owner": rng.choice(people)["id"],
                        },
                    )
                for k in range(NOTES):
                    ws.add_note(
                        iid,
                        f"Generated note {k} about table_{k % tables:04d}",
                        kind=rng.choice(list(NoteKind)),
                        private=k % 50 == 0,
                        at=f"2026-{1 + k % 12:02d}-{1 + k % 28:02d}T{k % 24:02d}:00:00+00:00",
                    )
    return path


def one_integration(folder: Path, tables: int) -> Path:
    """A workspace in `folder` holding one generated integration of `tables` tables, saying how long it took."""
    with reported(f"built one integration of {tables:,} tables"):
        return build(folder / "large.db", integrations=1, tables=tables)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "data/large.db")
    with reported(f"wrote {target}"):
        build(target)
