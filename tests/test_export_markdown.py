"""The Markdown contract: parsed back with a GFM parser, on the demo and on hostile strings."""

from __future__ import annotations

import re

import pytest
from export_checks import PRIVATE_MARKER, SECRET, check_markdown, load_hostile, rendered_html

from tui.export import Options, record_export, render
from tui.export.escape import markdown_text
from tui.store import Workspace

pytestmark = pytest.mark.core

TODAY = Options(today="2026-11-21")


@pytest.fixture
def hostile(workspace: Workspace) -> dict:
    return load_hostile(workspace)


def test_every_demo_contract_parses_as_gfm_without_html(demo_workspace: Workspace) -> None:
    for integration in demo_workspace.integrations():
        text = render(demo_workspace, integration, "markdown", TODAY).text
        tokens = check_markdown(text)
        assert sum(token.type == "table_open" for token in tokens) >= 5
        assert text.startswith(f"# Data contract: {integration['name']}\n")


def test_the_demo_contract_has_every_part(demo_workspace: Workspace) -> None:
    text = render(demo_workspace, demo_workspace.integration("Leaf ID"), "markdown", TODAY).text
    headings = re.findall(r"^(#+) (.*)$", text, re.M)
    titles = [title for _, title in headings]
    for expected in (
        "Who",
        "Stakeholders",
        "Communication",
        "What we measure",
        "Logistics",
        "Infrastructure",
        "Data contracts",
        "Tables and columns",
        "Entity relationship diagram",
        "Table identity.accounts",
        "Changes since the previous export",
    ):
        assert expected in titles
    assert "- **Contract version:** 0.1.0, status *draft*" in text
    assert "**Point of contact:** Kenji Watanabe" in text
    assert "missing identity.accounts.signup\\_channel" in text
    assert "```mermaid\nerDiagram\n" in text
    assert (
        "identity_accounts ||--o{ identity_login_events" in text
        or "identity_accounts |o--o{ identity_login_events" in text
    )
    assert "#### Values of accounts.status" in text


def test_decisions_and_open_questions_are_kept_apart(demo_workspace: Workspace) -> None:
    text = render(demo_workspace, demo_workspace.integration("Leaf ID"), "markdown", TODAY).text
    logistics = text.split("## Logistics\n", 1)[1].split("\n## ", 1)[0]
    decisions, open_part = logistics.split("### Open questions", 1)
    assert "Hannah Brooks owns metric priorities" in decisions
    assert "Day 1 is sign-ups and conversion" not in decisions
    assert "Day 1 is sign-ups and conversion" in open_part
    assert "| 2026-11-27 |" in open_part
    data_model = text.split("## Data model\n", 1)[1].split("\n## ", 1)[0]
    not_applicable = data_model.split("### Not applicable", 1)[1]
    assert "No money amounts in the identity service." in not_applicable


def test_agreed_date_is_when_the_status_became_agreed(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    item = demo_workspace.rows("item", "integration_id = ? AND key = ?", (leaf["id"], "contracts.documentation"))[0]
    demo_workspace.update("item", item["id"], {"status": "agreed"})
    demo_workspace.conn.execute(
        "UPDATE changes SET at = '2026-11-05T10:00:00+00:00' WHERE entity = 'item' AND row_id = ? AND field = 'status'",
        (item["id"],),
    )
    text = render(demo_workspace, leaf, "markdown", TODAY).text
    row = next(line for line in text.splitlines() if "docs/data-contract.md" in line)
    assert row.endswith("| 2026-11-05 |")


def test_hostile_strings_stay_text(hostile: dict, workspace: Workspace) -> None:
    text = render(workspace, hostile, "markdown", TODAY).text
    check_markdown(text)
    html = rendered_html(text)
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<em>money" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<td>a|b (point of contact)</td>" in html
    assert "<td>*Star* _Under_</td>" in html
    assert "<td>open|new</td>" in html
    assert "<h1>Data contract: Hostile | &lt;b&gt;Shop&lt;/b&gt;</h1>" in html
    assert "<h1>Not a heading" not in html and "<h2>not a heading" not in html
    assert "<li>not a list" not in html
    assert "break out" in text and "````json" in text


def test_private_notes_and_secrets_never_leave(hostile: dict, workspace: Workspace) -> None:
    rendered = render(workspace, hostile, "markdown", TODAY)
    assert PRIVATE_MARKER not in rendered.text
    assert SECRET not in rendered.text and "hunter2hunter2" not in rendered.text
    assert "postgresql://etl:•••••@db.internal" in rendered.text
    assert (
        "masked a password in a connection string in Hostile | <b>Shop</b>:"
        " sections[infrastructure].items[infrastructure.replica].answer" in rendered.warnings
    )
    assert any("tables[shop.orders].columns[total].description" in warning for warning in rendered.warnings)


def test_mermaid_types_are_plain_tokens_and_can_be_left_out(hostile: dict, workspace: Workspace) -> None:
    text = render(workspace, hostile, "markdown", TODAY).text
    diagram = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    for line in diagram.splitlines()[1:]:
        assert re.fullmatch(
            r"    [A-Za-z][A-Za-z0-9_]* \{"
            r"|        [A-Za-z][A-Za-z0-9_]* [A-Za-z][A-Za-z0-9_]*( (PK|FK|UK)(, (PK|FK|UK))*)?"
            r"|    \}|    [A-Za-z][A-Za-z0-9_]*( \|\|--o\{ | \|o--o\{ )[A-Za-z][A-Za-z0-9_]* : \"[A-Za-z0-9_]+\"",
            line,
        ), line
    assert "timestamp_with_time_zone created_at" in diagram
    assert "numeric_12_2 total" in diagram
    assert "shop_orders ||--o{ shop_order_lines_odd" in diagram
    without = render(workspace, hostile, "markdown", Options(today="2026-11-21", mermaid=False)).text
    assert "mermaid" not in without and "erDiagram" not in without


def test_reexport_differs_only_in_the_date_line(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    first = render(demo_workspace, leaf, "markdown", Options(today="2026-11-21"))
    record_export(demo_workspace, first, "exports/leaf-id-contract.md")
    second = render(demo_workspace, leaf, "markdown", Options(today="2026-11-22"))
    different = [(a, b) for a, b in zip(first.text.splitlines(), second.text.splitlines(), strict=True) if a != b]
    assert different == [("- **Exported on:** 2026-11-21", "- **Exported on:** 2026-11-22")]


def test_changes_since_the_previous_export_are_listed(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    first = render(demo_workspace, leaf, "markdown", TODAY)
    assert "This is the first export of this contract" in first.text
    record_export(demo_workspace, first, None)
    item = demo_workspace.rows("item", "integration_id = ? AND key = ?", (leaf["id"], "contracts.documentation"))[0]
    demo_workspace.update("item", item["id"], {"status": "agreed"})
    demo_workspace.add_note(leaf["id"], "a private thought", private=True)
    second = render(demo_workspace, leaf, "markdown", TODAY)
    changes = second.text.split("## Changes since the previous export", 1)[1]
    check_markdown(second.text)
    assert "| changed | checklist contracts.documentation | status: discussing → agreed |" in changes
    assert "private thought" not in second.text
    record_export(demo_workspace, second, None)
    third = render(demo_workspace, leaf, "markdown", TODAY)
    assert third.text == second.text
    rows = demo_workspace.query("SELECT format, last_change_id, path FROM exports ORDER BY id")
    assert tuple(rows[0]) == ("markdown", first.last_change_id, None)
    assert rows[1]["last_change_id"] > rows[0]["last_change_id"]


def test_escaping_covers_each_markdown_trigger() -> None:
    for raw in ("a|b", "`x`", "*x*", "_x_", "# x", "<b>x</b>", "1. x", "- x", "> x", "[x](y)", "&amp;", "~~x~~"):
        html = rendered_html(f"| h |\n| --- |\n| {markdown_text(raw)} |\n")
        assert html.count("<td>") == 1, raw
        inner = html.split("<td>")[1].split("</td>")[0]
        assert inner == raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), (raw, inner)


def test_block_level_markers_in_user_text_stay_text() -> None:
    from tui.export.blocks import BulletList, Document, Heading, Paragraph
    from tui.export.markdown import render_markdown

    for raw in ("# x", "## x", "- x", "+ x", "> x", "1. x", "2) x", "===", "---", "    indented", "Title #", "#"):
        doc = Document("t")
        doc.add(Heading(2, raw), Paragraph(raw), BulletList((raw,)))
        text = render_markdown(doc)
        check_markdown(text)
        html = rendered_html(text)
        expected = " ".join(raw.split()).replace(">", "&gt;")
        assert html == f"<h2>{expected}</h2>\n<p>{expected}</p>\n<ul>\n<li>{expected}</li>\n</ul>\n", (raw, html)


def test_a_long_change_list_is_cut_with_a_count(demo_workspace: Workspace) -> None:
    from tui.export.contract import MAX_CHANGES

    orders = demo_workspace.integration("Orders")
    record_export(demo_workspace, render(demo_workspace, orders, "markdown", TODAY), None)
    table = demo_workspace.rows("table", "integration_id = ?", (orders["id"],))[0]
    with demo_workspace.transaction():
        for n in range(MAX_CHANGES + 5):
            demo_workspace.insert("column", {"table_id": table["id"], "position": 100 + n, "name": f"extra_{n}"})
    text = render(demo_workspace, orders, "markdown", TODAY).text
    changes = text.split("## Changes since the previous export", 1)[1]
    assert changes.count("| added | column ") == MAX_CHANGES
    assert "*and 5 more changes, listed in the workspace's change log.*" in changes
    check_markdown(text)


def test_the_change_log_is_masked_before_it_is_cut(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    record_export(demo_workspace, render(demo_workspace, leaf, "markdown", TODAY), None)
    item = demo_workspace.rows("item", "integration_id = ? AND key = ?", (leaf["id"], "infrastructure.credentials"))[0]
    # The credential straddles the 57th character, where the change log cuts a long value.
    answer = "The loader connects as described in the runbook, then uses postgresql://etl:Long-Fern-Moss-Password-4242@replica"
    demo_workspace.update("item", item["id"], {"answer": answer})
    second = render(demo_workspace, leaf, "markdown", TODAY)
    changes = second.text.split("## Changes since the previous export", 1)[1]
    assert "checklist infrastructure.credentials" in changes
    for part in ("Long-Fern", "Moss-Password", "4242"):
        assert part not in second.text
    assert any("changes[" in warning and "password in a connection string" in warning for warning in second.warnings)


def test_control_characters_never_reach_the_document(workspace: Workspace) -> None:
    workspace.add_integration("Bell\x07 and\x1b[2J escape\x9b")
    integration = workspace.integrations()[0]
    workspace.update("integration", integration["id"], {"description": "back\x08space and \x1b]52;c;SGVsbG8=\x07"})
    for fmt in ("markdown", "confluence", "odcs", "minutes", "yaml"):
        text = render(workspace, integration, fmt, TODAY).text
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text), (fmt, text[:300])


KEY_PLAN = """
dayone: 1
integrations:
- name: Keys
  tables:
  - schema: s
    name: pk
    columns:
    - {name: pk, type: bigint, primary_key: true}
    - {name: FK, type: Uk}
    - {name: uK, type: text}
    - {name: Pk, type: bigint, references: s.pk.pk}
"""


def test_columns_named_like_key_markers_keep_the_diagram_whole(workspace: Workspace) -> None:
    from tui.plan import load_plan

    load_plan(workspace, KEY_PLAN, "keys.yaml")
    text = render(workspace, workspace.integration("Keys"), "markdown", TODAY).text
    diagram = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    words = [word.strip(",") for line in diagram.splitlines()[1:] for word in line.split()]
    markers = [word for word in words if word.lower() in ("pk", "fk", "uk")]
    # Only the key markers themselves, in upper case and after a name; no name or type reads as one.
    assert markers == ["PK", "FK"] and all(word.isupper() for word in markers)
    assert "col_pk" in diagram and "col_FK" in diagram and "type_Uk" in diagram and "col_uK" in diagram


def test_decisions_and_open_questions_from_the_notes_sit_where_they_belong(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    text = render(demo_workspace, leaf, "markdown", TODAY).text
    check_markdown(text)
    infrastructure = text.split("## Infrastructure\n", 1)[1].split("\n## ", 1)[0]
    assert "### From the running notes" in infrastructure
    assert (
        "| 2026-11-04 | decision | Will we read from the production primary or from a read replica? | The loader"
        " reads from the replica" in infrastructure
    )
    unlinked = text.split("## Decisions from the running notes\n", 1)[1].split("\n## ", 1)[0]
    assert "| 2026-11-17 | open question | metric Signups by acquisition channel |" in unlinked
    # A note about a table goes under that table; a private one nowhere.
    table = demo_workspace.rows("table", "integration_id = ? AND name = 'accounts'", (leaf["id"],))[0]
    demo_workspace.add_note(leaf["id"], "Accounts are never hard-deleted.", kind="decision", table_id=table["id"])
    demo_workspace.add_note(leaf["id"], "PRIVATE decision", kind="decision", private=True)
    text = render(demo_workspace, leaf, "markdown", TODAY).text
    accounts = text.split("### Table identity.accounts\n", 1)[1].split("\n### Table ", 1)[0]
    assert "### Decisions about identity.accounts" in accounts
    assert "| decision |  | Accounts are never hard-deleted. | tester |" in accounts
    assert "PRIVATE decision" not in text


AGREED_PLAN = """
dayone: 1
integrations:
- name: Dated
  checklist:
    contracts.sla: {status: agreed, answer: two days, agreed_on: 2026-10-03}
    contracts.incidents: {status: agreed, answer: mail}
"""


def test_agreed_on_comes_from_the_plan_or_the_change_log_and_round_trips(workspace: Workspace, tmp_path) -> None:
    from tui.plan import dump_plan, load_plan

    load_plan(workspace, AGREED_PLAN, "dated.yaml")
    dated = workspace.integration("Dated")
    text = render(workspace, dated, "markdown", TODAY).text
    assert "| two days |  | 2026-10-03 |" in text
    today = workspace.rows("item", "key = 'contracts.incidents'")[0]["updated_at"][:10]
    assert f"| mail |  | {today} |" in text
    plan = dump_plan(workspace)[0]
    assert "agreed_on: 2026-10-03" in plan and f"agreed_on: {today}" in plan
    with Workspace.open(tmp_path / "again.db", author="tester", checklist=workspace.checklist) as again:
        load_plan(again, plan, "plan.yaml")
        assert dump_plan(again)[0] == plan
    # Agreed again in dayone later: the change log's day wins over the plan's.
    item = workspace.rows("item", "key = 'contracts.sla'")[0]
    workspace.update("item", item["id"], {"status": "discussing"})
    workspace.update("item", item["id"], {"status": "agreed"})
    assert "| two days |  | 2026-10-03 |" not in render(workspace, dated, "markdown", TODAY).text
