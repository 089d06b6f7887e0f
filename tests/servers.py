"""Servers that no package on the index provides (a browser, MariaDB): the system's, installed by .ci/run."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def server_missing(reason: str) -> NoReturn:
    """Skip, saying in one line what is missing; under CI=true fail instead, since CI installs every server."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; .ci/run installs it, so CI runs every test", pytrace=False)
    pytest.skip(reason)
