"""Every import round-trips through the plan YAML: import, export, load into an empty workspace, export again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from tui.importers.run import import_file, import_url
from tui.plan import dump_plan, load_plan
from tui.references import COLUMN_REFERENCE, column_ref, split, table_ref
from tui.store import Workspace

pytestmark = pytest.mark.core

DDL = Path(__file__).parent / "fixtures" / "ddl"
DIALECTS = {"postgresql": "postgres", "sqlite": "sqlite", "mysql": "mysql", "tsql": "tsql"}
FIXTURES = sorted(DDL.glob("*.sql"))


def dialect_of(fixture: Path) -> str:
    return DIALECTS[fixture.stem.rsplit("-", 1)[1]]


def assert_round_trip(workspace: Workspace, tmp_path: Path, checklist) -> str:
    first, _ = dump_plan(workspace, full=True)
    with Workspace.open(tmp_path / "empty.db", checklist=checklist) as empty:
        load_plan(empty, first, "plan.yaml")
        second, _ = dump_plan(empty, full=True)
    assert second == first
    return first


def test_every_ddl_fixture_has_a_known_dialect() -> None:
    assert len(FIXTURES) >= 6
    for fixture in FIXTURES:
        assert dialect_of(fixture)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_a_file_import_round_trips_byte_identically(
    fixture: Path, workspace: Workspace, tmp_path: Path, checklist
) -> None:
    import_file(workspace, fixture, dialect_of(fixture), new=fixture.stem)
    assert_round_trip(workspace, tmp_path, checklist)


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if dialect_of(f) == "sqlite"], ids=lambda path: path.name)
def test_a_live_sqlite_import_round_trips_byte_identically(
    fixture: Path, workspace: Workspace, tmp_path: Path, checklist
) -> None:
    database = tmp_path / "live.db"
    with sqlite3.connect(database) as conn:
        conn.executescript(fixture.read_text(encoding="utf-8"))
    import_url(workspace, f"sqlite:///{database}", new="live")
    assert_round_trip(workspace, tmp_path, checklist)


def test_names_with_spaces_dots_quotes_and_unicode_survive(workspace: Workspace, tmp_path: Path, checklist) -> None:
    import_file(workspace, DDL / "identifiers-postgresql.sql", "postgres", new="odd")
    plan = assert_round_trip(workspace, tmp_path, checklist)
    document = yaml.safe_load(plan)
    tables = {table_ref(t.get("schema"), t["name"]): t for t in document["integrations"][0]["tables"]}
    assert set(tables) == {'"Order Details"', '"Sales & Ops".Straße', '"v1.2".events'}
    events = {column["name"]: column for column in tables['"v1.2".events']["columns"]}
    assert events["Order ID"]["references"] == '"Order Details".OrderID'
    assert events["id"]["references"] == '"Order Details"."Product ID"'
    assert events["size.of"]["references"] == '"Sales & Ops".Straße.größe'
    assert "tab\tand\nnewline" in events
    details = {column["name"] for column in tables['"Order Details"']["columns"]}
    assert details == {"OrderID", "Product ID", "Unit.Price", 'say "hi"'}


def test_a_metric_and_a_note_can_name_such_tables(workspace: Workspace, tmp_path: Path, checklist) -> None:
    import_file(workspace, DDL / "identifiers-postgresql.sql", "postgres", new="odd")
    document = yaml.safe_load(dump_plan(workspace, full=True)[0])
    document["integrations"][0]["metrics"] = [
        {
            "name": "Sizes",
            "needs": ['"Sales & Ops".Straße.größe', '"v1.2".events."size.of"', '"Order Details"."say ""hi"""'],
        }
    ]
    document["integrations"][0]["notes"] = [
        {"at": "2026-01-01T00:00:00+00:00", "author": "a", "text": "about it", "about": 'table:"v1.2".events'}
    ]
    plan = yaml.safe_dump(document, allow_unicode=True)
    with Workspace.open(tmp_path / "other.db", checklist=checklist) as other:
        load_plan(other, plan, "plan.yaml")
        from tui.availability import DataState, column_index

        iid = other.integration("odd")["id"]
        (metric,) = other.rows("metric")
        assert column_index(other, iid).availability(metric["needs"]).state is DataState.AVAILABLE
        (note,) = other.rows("note")
        assert other.get("table", note["table_id"])["name"] == "events"
        again = dump_plan(other, full=True)[0]
    with Workspace.open(tmp_path / "third.db", checklist=checklist) as third:
        load_plan(third, again, "again.yaml")
        assert dump_plan(third, full=True)[0] == again


@pytest.mark.parametrize(
    "parts",
    [("orders", "id"), ("Order Details", "OrderID"), ("a.b", 'say "hi"', "x"), ("Straße", "größe"), ("s", "", "c")],
)
def test_the_quoting_rule_reads_back_what_it_writes(parts: tuple[str, ...]) -> None:
    import re

    written = column_ref(*parts) if len(parts) == 3 else column_ref("", *parts)
    assert split(written) == parts
    assert re.search(COLUMN_REFERENCE, written)


@pytest.mark.parametrize("text", ["orders", "a.", ".a", "a..b", 'a."b', "a b.c", "a.b.c.d"])
def test_text_that_is_not_a_reference_is_refused(text: str, workspace: Workspace) -> None:
    import re

    from tui.errors import DayoneError

    assert split(text) is None or not re.search(COLUMN_REFERENCE, text)
    plan = f"dayone: 1\nintegrations:\n- name: x\n  metrics:\n  - {{name: m, needs: ['{text}']}}\n"
    with pytest.raises(DayoneError, match="is not a column reference"):
        load_plan(workspace, plan, "plan.yaml")


def test_the_diagram_follows_references_to_such_tables(workspace: Workspace) -> None:
    from tui.export import Options, render

    import_file(workspace, DDL / "identifiers-postgresql.sql", "postgres", new="odd")
    text = render(workspace, workspace.integration("odd"), "markdown", Options()).text
    relations = [line.strip() for line in text.splitlines() if "--o{" in line]
    assert relations == [
        'Order_Details ||--o{ v1_2_events : "id"',
        'Order_Details |o--o{ v1_2_events : "Order_ID"',
        'Sales_Ops_Stra_e |o--o{ v1_2_events : "size_of"',
    ]


ODD_TEXT = [
    "a\u2028b",
    "x\x85y",
    "p\u2029q",
    "cr\rlf",
    "crlf\r\nx",
    "\ufeffbom",
    "tab\there",
    "# hash",
    "key: value",
    "- dash",
    "*star",
    "&amp",
    "!bang",
    "yes",
    "null",
    "1.0",
    "  lead",
    "trail  ",
    "multi\nline",
    "multi\nline ",
    "e\u0301",
    "\U0001f600",
    'a"b',
    "[x]",
    "a.b",
    "\x1b[2J",
]


def test_names_and_text_yaml_would_bend_round_trip(workspace: Workspace, tmp_path: Path, checklist) -> None:
    """Line breaks YAML knows besides \\n (NEL, LS, PS, CR), YAML's own syntax, and names a reference must quote."""
    iid = workspace.add_integration("odd")["id"]
    for number, text in enumerate(ODD_TEXT):
        schema = text if number % 2 else ""
        table = workspace.insert("table", {"integration_id": iid, "schema": schema, "name": f"t{number}{text}"})
        workspace.insert(
            "column",
            {
                "table_id": table["id"],
                "name": text,
                "position": 1,
                "foreign_key": column_ref(schema, f"t{number}{text}", text),
                "description": text,
                "value_set": {text: text},
                "default_value": text,
            },
        )
    plan = assert_round_trip(workspace, tmp_path, checklist)
    assert yaml.safe_load(plan)["integrations"][0]["tables"][1]["columns"][0]["name"] == "x\x85y"
