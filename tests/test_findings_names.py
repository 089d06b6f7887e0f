"""Findings follow the naming conventions of real applications, and stay quiet where a data engineer would."""

from __future__ import annotations

from pathlib import Path

from tui.importers.findings import findings
from tui.importers.run import import_file
from tui.store import Workspace

SCHEMA = """\
CREATE TABLE ps_customer (id_customer int PRIMARY KEY, id_shop int NOT NULL, date_add timestamptz NOT NULL,
  date_upd timestamptz NOT NULL, id_state int, is_root_category smallint);
CREATE TABLE "SalesOrderHeader" (salesorderid int PRIMARY KEY, orderdate timestamptz, modifieddate timestamptz,
  createdat timestamptz, "CustomerID" int);
CREATE TABLE jobs (id int PRIMARY KEY, create_time timestamptz, update_time timestamptz);
CREATE TABLE iso_3166_1 (code char(2) PRIMARY KEY, name text, created_at timestamptz, updated_at timestamptz);
CREATE TABLE oauth_grants (id int PRIMARY KEY, authorization_code text, status_code int, created_at timestamptz,
  updated_at timestamptz);
CREATE TABLE events (id int PRIMARY KEY, kind text, created_at timestamptz, updated_at timestamptz);
CREATE TABLE order_history (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
CREATE TABLE "Customer" ("CustomerId" int PRIMARY KEY, "City" text, "State" text, created_at timestamptz,
  updated_at timestamptz);
"""


def test_conventions_of_real_schemas(tmp_path: Path, workspace: Workspace) -> None:
    script = tmp_path / "apps.sql"
    script.write_text(SCHEMA, encoding="utf-8")
    import_file(workspace, script, "postgres", new="Apps")
    found = {
        (row["rule"], row["table"], row["column_name"] or "")
        for row in findings(workspace, workspace.integration("Apps")["id"])
    }
    # date_add/date_upd (PrestaShop), create_time/update_time, and folded ModifiedDate are creation and update times.
    for table in ("ps_customer", "SalesOrderHeader", "jobs"):
        assert ("no_created_at", table, "") not in found, table
        assert ("no_updated_at", table, "") not in found, table
    assert ("undeclared_foreign_key", "SalesOrderHeader", "CustomerID") in found
    assert ("undeclared_foreign_key", "Customer", "CustomerId") not in found
    # A reference named id_shop is a reference; the table's own id_customer key is not.
    assert ("undeclared_foreign_key", "ps_customer", "id_shop") in found
    assert ("undeclared_foreign_key", "ps_customer", "id_customer") not in found
    # A reference to a state and a yes/no flag are not status codes.
    assert ("undeclared_foreign_key", "ps_customer", "id_state") in found
    assert not any(rule == "status_without_values" and table == "ps_customer" for rule, table, _ in found)
    # A country code or an authorisation code is an identifier, a status code is a value set.
    assert not any(rule == "status_without_values" and table == "iso_3166_1" for rule, table, _ in found)
    assert ("status_without_values", "oauth_grants", "authorization_code") not in found
    assert ("status_without_values", "oauth_grants", "status_code") in found
    # An events table is data; a table named as a history is a history.
    assert ("history_table", "events", "") not in found
    assert ("history_table", "order_history", "") in found
    assert ("status_without_values", "events", "kind") in found
    # The state of an address is a region.
    assert ("status_without_values", "Customer", "State") not in found


def test_a_link_table_asks_how_removed_links_are_seen_not_when_rows_change(workspace: Workspace) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "ddl"
    import_file(workspace, fixtures / "chinook-sqlite.sql", "sqlite", new="Chinook")
    import_file(workspace, fixtures / "pagila-postgresql.sql", "postgres", new="Pagila")
    found: dict[tuple[str, str], dict[str, str]] = {}
    for name in ("Chinook", "Pagila"):
        for row in findings(workspace, workspace.integration(name)["id"]):
            found.setdefault((name, row["table"]), {})[row["rule"]] = row["message"]
    for link, joined in ((("Chinook", "PlaylistTrack"), "Playlist and Track"), (("Pagila", "film_actor"), "actor and")):
        rules = found[link]
        assert "no_created_at" not in rules and "no_updated_at" not in rules, rules
        assert joined in rules["link_table"] and "removed link" in rules["link_table"]
    # Tables with data of their own keep the questions about when rows are made and changed.
    assert "no_updated_at" in found[("Chinook", "Track")] and "link_table" not in found[("Chinook", "Track")]
    assert "link_table" not in found[("Pagila", "rental")]
