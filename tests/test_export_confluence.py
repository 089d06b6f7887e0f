"""The Confluence storage-format contract: well-formed XML, real tables, status and code macros."""

from __future__ import annotations

import pytest
from export_checks import PRIVATE_MARKER, SECRET, load_hostile, parse_confluence

from tui.export import Options, render
from tui.export.blocks import Document, Task, TaskList
from tui.export.confluence import render_confluence
from tui.store import Workspace

pytestmark = pytest.mark.core

AC = "{http://atlassian.com/content}"
# The code macro's languages on Confluence Data Center (Cloud knows these and more).
SUPPORTED_LANGUAGES = {
    "actionscript3",
    "applescript",
    "bash",
    "c#",
    "cpp",
    "css",
    "coldfusion",
    "delphi",
    "diff",
    "erl",
    "groovy",
    "xml",
    "java",
    "jfx",
    "javascript",
    "php",
    "perl",
    "text",
    "powershell",
    "python",
    "ruby",
    "sql",
    "sass",
    "scala",
    "vb",
    "yml",
    "none",
}
TODAY = Options(today="2026-11-21")


def _macros(root, name: str) -> list:
    return [macro for macro in root.iter(f"{AC}structured-macro") if macro.get(f"{AC}name") == name]


def _parameter(macro, name: str) -> str | None:
    for parameter in macro.iter(f"{AC}parameter"):
        if parameter.get(f"{AC}name") == name:
            return parameter.text
    return None


def test_demo_contracts_are_well_formed_with_tables_and_macros(demo_workspace: Workspace) -> None:
    for integration in demo_workspace.integrations():
        root = parse_confluence(render(demo_workspace, integration, "confluence", TODAY).text)
        # The page's title is Confluence's own: the body does not repeat it.
        assert root.find("h1") is None
        assert root.find("h2").text == "How to read this contract"
        tables = root.findall("table")
        assert len(tables) >= 5
        for table in tables:
            rows = table.find("tbody").findall("tr")
            width = len(rows[0].findall("th"))
            assert all(len(row.findall("td")) == width for row in rows[1:])
        statuses = _macros(root, "status")
        assert {_parameter(macro, "title") for macro in statuses} >= {"agreed", "draft"}
        assert {_parameter(macro, "colour") for macro in statuses} <= {"Green", "Yellow", "Red", "Grey", "Blue"}
        # Only languages Confluence Data Center and Cloud both know; no Mermaid macro (neither has one).
        languages = {_parameter(macro, "language") for macro in _macros(root, "code")}
        assert languages <= SUPPORTED_LANGUAGES, languages
        (expand,) = _macros(root, "expand")
        assert _parameter(expand, "title") == "Mermaid source of the diagram"
        body = expand.find(f"{AC}rich-text-body").find(f"{AC}structured-macro").find(f"{AC}plain-text-body").text
        assert body.startswith("erDiagram\n")
        erd = next(index for index, element in enumerate(root) if element.text == "Entity relationship diagram")
        relationships = root[erd + 1]
        assert relationships.tag in ("table", "p")


def test_same_content_as_the_markdown(demo_workspace: Workspace) -> None:
    leaf = demo_workspace.integration("Leaf ID")
    root = parse_confluence(render(demo_workspace, leaf, "confluence", TODAY).text)
    markdown = render(demo_workspace, leaf, "markdown", TODAY).text
    headings = [element.text for element in root if element.tag in ("h1", "h2", "h3", "h4")]
    assert (
        headings
        == [line.split(" ", 1)[1].replace("\\_", "_") for line in markdown.splitlines() if line.startswith("#")][1:]
    )  # all but the title


def test_hostile_strings_are_text_not_markup(workspace: Workspace) -> None:
    integration = load_hostile(workspace)
    rendered = render(workspace, integration, "confluence", TODAY)
    root = parse_confluence(rendered.text)
    assert not list(root.iter("script")) and not list(root.iter("b")) and not list(root.iter("img"))
    assert "<script>alert(1)</script> on ```prem```" in "".join(root.itertext())
    assert PRIVATE_MARKER not in rendered.text and SECRET not in rendered.text
    schema = next(macro for macro in _macros(root, "code") if _parameter(macro, "language") == "javascript")
    assert "```\\nbreak out\\n```" in schema.find(f"{AC}plain-text-body").text


def test_todos_become_a_task_list() -> None:
    doc = Document("t")
    doc.add(TaskList((Task(False, "call <them>"), Task(True, "done & dusted"))))
    root = parse_confluence(render_confluence(doc))
    tasks = root.find(f"{AC}task-list").findall(f"{AC}task")
    assert [task.find(f"{AC}task-status").text for task in tasks] == ["incomplete", "complete"]
    assert [task.find(f"{AC}task-body").text for task in tasks] == ["call <them>", "done & dusted"]


def test_cdata_terminator_inside_code_cannot_escape() -> None:
    from tui.export.blocks import CodeBlock

    doc = Document("t")
    doc.add(CodeBlock("json", "a ]]> <script>x</script>"))
    root = parse_confluence(render_confluence(doc))
    body = root.find(f"{AC}structured-macro").find(f"{AC}plain-text-body")
    assert body.text == "a ]]> <script>x</script>"


def test_contract_todos_are_a_task_list_without_private_ones(demo_workspace: Workspace) -> None:
    root = parse_confluence(render(demo_workspace, demo_workspace.integration("Leaf ID"), "confluence", TODAY).text)
    tasks = root.find(f"{AC}task-list").findall(f"{AC}task")
    bodies = ["".join(task.find(f"{AC}task-body").itertext()) for task in tasks]
    statuses = [task.find(f"{AC}task-status").text for task in tasks]
    assert bodies[0] == "Get added to the IDN board and the `#garden-club-data` channel. (Noor Haddad)"
    assert statuses[0] == "complete"
    assert (
        "Chase security review `SEC-212` for the bastion host; without it nothing reaches the replica. "
        "(Olu Adeyemi, due 2026-12-01)" in bodies
    )
    assert [task.find(f"{AC}task-id").text for task in tasks] == [str(n) for n in range(1, len(tasks) + 1)]
    assert not any("Kenji is stretched thin" in body for body in bodies)


def test_the_diagram_is_a_table_of_relationships(demo_workspace: Workspace) -> None:
    root = parse_confluence(render(demo_workspace, demo_workspace.integration("Leaf ID"), "confluence", TODAY).text)
    erd = next(index for index, element in enumerate(root) if element.text == "Entity relationship diagram")
    rows = [[cell.text for cell in row] for row in root[erd + 1].find("tbody").findall("tr")]
    assert rows[0] == ["Table", "Column", "Refers to", "Nullable"]
    assert ["identity.login_events", "account_id", "identity.accounts.id", "yes"] in rows
    assert root[erd + 2].get(f"{AC}name") == "expand"
