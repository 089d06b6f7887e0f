"""The one-pass escaping of a Markdown table body writes exactly what escaping cell by cell writes."""

from __future__ import annotations

import random

import pytest

from tui.export.blocks import Status
from tui.export.escape import markdown_rows, markdown_text

pytestmark = pytest.mark.core

# Characters that markup, entities, folding, stripping or the separators of the one-pass path care about.
ALPHABET = [
    "a",
    "B",
    "7",
    " ",
    "  ",
    "\\",
    "`",
    "*",
    "_",
    "[",
    "]",
    "<",
    ">",
    "|",
    "~",
    "&",
    "#",
    ";",
    "&amp;",
    "&#39;",
    "\n",
    "\r\n",
    "\t",
    "\xa0",
    "\u2028",
    "\x00",
    "\x01",
    "\x1f",
    "é",
    "-",
    "1.",
]


def cell_by_cell(rows: tuple[tuple[str, ...], ...]) -> str:
    return "\n".join("| " + " | ".join(markdown_text(cell).strip() for cell in row) + " |" for row in rows)


def random_rows(rng: random.Random) -> tuple[tuple[str, ...], ...]:
    width = rng.randint(1, 5)
    return tuple(
        tuple("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 6))) for _ in range(width))
        for _ in range(rng.randint(1, 4))
    )


@pytest.mark.parametrize("seed", range(20))
def test_one_pass_matches_cell_by_cell_or_steps_aside(seed: int) -> None:
    rng = random.Random(seed)
    taken = 0
    for _ in range(500):
        rows = random_rows(rng)
        body = markdown_rows(rows)
        if body is not None:
            taken += 1
            assert body == cell_by_cell(rows), rows
    assert taken > 0


def test_plain_identifiers_take_the_one_pass_path() -> None:
    rows = (("order_id", "bigint", "no", "primary", "", "", ""), ("total", "numeric(12,2)", "yes", "", "", "", ""))
    assert markdown_rows(rows) == cell_by_cell(rows)


@pytest.mark.parametrize(
    "rows",
    [
        (("a", Status("agreed")),),
        (("a\nb", "c"),),
        ((" a", "b"),),
        (("a", "b\x00"),),
        (("a",), ()),
    ],
)
def test_cells_that_need_one_at_a_time_step_aside(rows: tuple) -> None:
    assert markdown_rows(rows) is None
