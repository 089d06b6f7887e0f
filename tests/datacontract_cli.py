"""Finding datacontract-cli, which lives in a virtual environment of its own, never in dayone's dependencies.

Looked for in $DAYONE_DATACONTRACT (the `datacontract` program), then /tmp/dc/bin/datacontract (where the
machine notes and `.ci/run` install it), then on PATH. Missing, the tests that need it skip with the reason,
except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

KNOWN_PLACE = Path("/tmp/dc/bin/datacontract")


def datacontract() -> Path:
    found = os.environ.get("DAYONE_DATACONTRACT") or (str(KNOWN_PLACE) if KNOWN_PLACE.exists() else None)
    found = found or shutil.which("datacontract")
    if found and Path(found).exists():
        return Path(found)
    reason = (
        "datacontract-cli not found: install it apart (python3 -m venv /tmp/dc && /tmp/dc/bin/pip install "
        "datacontract-cli) or set DAYONE_DATACONTRACT to its `datacontract` program"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def odcs_schema(version: str) -> dict:
    """The official ODCS JSON schema of a version, as datacontract-cli ships it."""
    program = datacontract()
    for schemas in program.resolve().parent.parent.glob("lib/python*/site-packages/datacontract/schemas"):
        path = schemas / f"odcs-{version}.schema.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    pytest.fail(f"datacontract-cli at {program} ships no ODCS {version} schema")
