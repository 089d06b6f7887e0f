"""Generated plans with arbitrary text and numbers: `dayone load` takes each one whole and it comes back out
byte for byte, or refuses it with exit status 2 and one line. Never a traceback, never a half-made file."""

from __future__ import annotations

import contextlib
import io
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

pytest.importorskip("hypothesis", reason="the test extra installs hypothesis: pip install -e '.[test]'")

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tui.cli import main

# Every character, surrogates and control characters included.
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
NAME = TEXT.map(lambda text: f"n{text}")
NUMBER = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
)
OFFSET = st.integers(min_value=-23 * 60, max_value=23 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
TIMESTAMP = st.one_of(
    st.datetimes(timezones=st.just(UTC) | OFFSET),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    TEXT,
)


@st.composite
def plans(draw: st.DrawFn) -> dict:
    names = draw(st.lists(NAME, min_size=1, max_size=2, unique=True))
    integrations = []
    for name in names:
        people = draw(st.lists(NAME, max_size=2, unique=True))
        tables = draw(st.lists(NAME.map(lambda text: text.replace(".", "")), max_size=2, unique=True))
        integrations.append(
            {
                "name": name,
                "description": draw(TEXT),
                "contract_version": draw(TEXT),
                "stakeholders": [{"name": person, "contact": draw(TEXT)} for person in people],
                "metrics": [{"name": draw(NAME), "question": draw(TEXT)}],
                "checklist": {"logistics.product_owner": {"answer": draw(TEXT)}},
                "tables": [
                    {
                        "schema": "s",
                        "name": table,
                        "description": draw(TEXT),
                        "estimated_rows": draw(st.integers(min_value=0) | st.integers(min_value=2**62)),
                        "columns": [
                            {"name": draw(NAME), "default": draw(NUMBER | TEXT), "description": draw(TEXT)},
                        ],
                    }
                    for table in tables
                ],
                "notes": [{"text": draw(NAME), "at": draw(TIMESTAMP), "author": draw(NAME)}],
            }
        )
    return {"dayone": 1, "integrations": integrations}


def dayone(*args: str) -> tuple[int, str]:
    """The dayone command, run in this process; its exit status and what it wrote to stderr."""
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
        status = main(list(args))
    return status, errors.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_a_plan_loads_and_comes_back_byte_identical_or_is_refused_in_one_line(plan: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "plan.yaml"
        try:
            source.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
        except UnicodeEncodeError:  # a lone surrogate reaches the file as the bytes Python refuses to write
            source.write_bytes(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False).encode("utf-8", "replace"))
        status, errors = dayone("--db", str(work / "first.db"), "load", str(source))
        event("refused" if status else "loaded")
        if status != 0:
            assert status == 2, errors
            lines = errors.splitlines()
            assert len(lines) == 1 and lines[0].startswith("dayone: "), errors
            assert str(source) in lines[0] or "<" in lines[0], lines[0]
            assert sorted(path.name for path in work.iterdir()) == ["plan.yaml"], "no workspace left behind"
            return
        first, second = work / "first.yaml", work / "second.yaml"
        assert dayone("--db", str(work / "first.db"), "export", "--format", "yaml", "--full", "-o", str(first))[0] == 0
        status, errors = dayone("--db", str(work / "second.db"), "load", str(first))
        assert status == 0, errors
        assert (
            dayone("--db", str(work / "second.db"), "export", "--format", "yaml", "--full", "-o", str(second))[0] == 0
        )
        assert first.read_bytes() == second.read_bytes()
        names = {entry["name"] for entry in yaml.safe_load(first.read_text(encoding="utf-8"))["integrations"]}
        assert {entry["name"] for entry in plan["integrations"]} <= names
