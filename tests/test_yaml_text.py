"""The direct YAML writer reads back with PyYAML as exactly the data it was given."""

from __future__ import annotations

import random

import pytest
import yaml

from tui.export import Options, render
from tui.export.yaml_text import dump
from tui.store import Workspace

TRICKY = [
    "a: b",
    "# c",
    " lead",
    "trail ",
    "'q'",
    '"d"',
    "multi\nline",
    "tab\there",
    "\u2028x",
    "\x85y",
    "ünï",
    "null",
    "Yes",
    "off",
    "~",
    "-",
    "- x",
    "? x",
    "@x",
    "`x",
    "",
    "x\\y",
    "%x",
    "!x",
    "&x",
    "*x",
    "{x}",
    "[x]",
    "|",
    ">",
    "0.1.0",
    "2027-01-11",
    "12",
    "1e3",
    ".inf",
    "0x1F",
    "\ud800",
    "\x7f",
    "a #b",
    "a:b",
    "<<",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_strings_read_back_the_same(text: str) -> None:
    data = {"value": text, "list": [text, {"nested": text}], text or "empty": [[text]]}
    assert yaml.safe_load(dump(data)) == data


def test_random_strings_and_shapes_read_back_the_same() -> None:
    rnd = random.Random(7)
    alphabet = "ab :#-?'\"\\\n\t{}[],&*!|>%@`\u2028\x85é0123.~"
    for _ in range(2_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 9)))
        data = {"k": text, "l": [text, {"m": text, "n": [1, 2.5, True, None]}], text or "e": {}, "z": []}
        assert yaml.safe_load(dump(data)) == data, repr(text)


def test_the_demo_contracts_read_back_as_the_document(demo_workspace: Workspace) -> None:
    from tui.export.contract import gather
    from tui.export.odcs import odcs_document

    for integration in demo_workspace.integrations():
        text = render(demo_workspace, integration, "odcs", Options(today="2026-11-21")).text
        document = odcs_document(gather(demo_workspace, integration, "2026-11-21", "odcs"), "x")
        assert yaml.safe_load(text) | {"id": "x"} == yaml.safe_load(yaml.safe_dump(document))
