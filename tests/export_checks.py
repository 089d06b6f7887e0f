"""What every exported document must satisfy, checked with real parsers; shared by the export tests."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import yaml
from jsonschema import Draft201909Validator
from markdown_it import MarkdownIt
from open_data_contract_standard.model import OpenDataContractStandard

from tui.plan import load_plan
from tui.store import Workspace

CONFLUENCE_ROOT = (
    '<root xmlns:ac="http://atlassian.com/content" xmlns:ri="http://atlassian.com/resource/identifier">{}</root>'
)
HOSTILE_PLAN = """
dayone: 1
integrations:
- name: "Hostile | <b>Shop</b>"
  source: "`rm -rf` *bold* _under_ <i>x</i>"
  description: "# Not a heading\\n- not a list\\n<script>alert('d')</script>"
  stakeholders:
  - name: a|b
    role: engineering lead
    contact: "<a href='x'>mail</a>"
    responsibilities: "line one\\nline two | with pipe"
    point_of_contact: true
  - name: "*Star* _Under_"
    role: analyst
  metrics:
  - name: "Revenue | net"
    question: "How much? <img src=x onerror=alert(1)>"
    requested_by: a|b
    priority: must
    needs: [shop.orders.total]
  checklist:
    logistics.channels: {status: agreed, answer: "#general for <b>all</b>\\n## not a heading", owner: a|b}
    logistics.standing_meeting:
      {status: discussing, answer: "1. stand-up | daily", owner: "*Star* _Under_", due: 2030-01-02}
    infrastructure.hosting: {status: agreed, answer: "<script>alert(1)</script> on ```prem```"}
    infrastructure.replica: {status: agreed, answer: "Connect with postgresql://etl:Sup3r-S3cret@db.internal:5432/shop"}
    data_model.currency: {status: not applicable, answer: "No <em>money</em> here | none"}
    contracts.sla: {status: agreed, answer: "Fixed within *two* days | or else"}
  tables:
  - schema: shop
    name: orders
    description: "Orders | all of them\\n# with a heading"
    deletion: soft
    soft_delete_column: deleted_at
    created_by: "<b>checkout</b>"
    columns:
    - {name: id, type: bigint, nullable: false, primary_key: true}
    - name: total
      type: numeric(12,2)
      description: "Sum | incl. tax `x` <br> password=hunter2hunter2"
      classification: "internal|restricted"
    - name: status
      type: text
      values: {"open|new": "Just <b>opened</b>", "done": "Finished\\n# really"}
    - name: payload
      type: jsonb
      json_schema: {type: object, description: "```\\nbreak out\\n```"}
    - {name: created_at, type: timestamp with time zone, nullable: false}
  - schema: shop
    name: "order lines|odd"
    columns:
    - {name: "order id", type: bigint, nullable: false, references: shop.orders.id}
  notes:
  - {at: "2030-01-01T09:00:00+00:00", author: tester, kind: todo, text: "PRIVATE-TODO-7731 call the bank",
     private: true}
  - {at: "2030-01-01T09:05:00+00:00", author: tester, kind: todo, text: "Public todo with a | pipe"}
  - {at: "2030-01-01T09:06:00+00:00", author: tester, kind: question, text: "Why <script>x</script>?"}
"""
PRIVATE_MARKER = "PRIVATE-TODO-7731"
SECRET = "Sup3r-S3cret"


def load_hostile(workspace: Workspace) -> dict:
    load_plan(workspace, HOSTILE_PLAN, "hostile.yaml")
    return workspace.integration("Hostile | <b>Shop</b>")


def _pipes(line: str) -> int:
    """Unescaped pipes in a raw table line (a pipe after an odd run of backslashes is text)."""
    count, backslashes = 0, 0
    for char in line:
        if char == "\\":
            backslashes += 1
            continue
        if char == "|" and backslashes % 2 == 0:
            count += 1
        backslashes = 0
    return count


def check_markdown(text: str) -> list:
    """Parse as GFM; no HTML anywhere, every table row as wide as its header. Returns the tokens."""
    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(text)
    lines = text.splitlines()

    def walk(items):
        for token in items:
            yield token
            yield from walk(token.children or [])

    for token in walk(tokens):
        assert token.type not in ("html_block", "html_inline"), token
    header = cells = None
    for token in tokens:
        if token.type == "table_open":
            start, end = token.map
            widths = {_pipes(line) for index, line in enumerate(lines[start:end]) if index != 1}
            assert len(widths) == 1, lines[start:end]
            header = None
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            if header is None:
                header = cells
            assert cells == header
    return tokens


def rendered_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def parse_confluence(text: str) -> ET.Element:
    return ET.fromstring(CONFLUENCE_ROOT.format(text))


class StringDates(yaml.SafeLoader):
    """YAML with dates left as strings, as JSON Schema sees them."""


StringDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def odcs_errors(text: str) -> list[str]:
    schema = json.loads(OpenDataContractStandard.json_schema())
    document = yaml.load(text, Loader=StringDates)
    return [
        f"{list(error.absolute_path)}: {error.message}" for error in Draft201909Validator(schema).iter_errors(document)
    ]
