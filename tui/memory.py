"""Keeping Python's cycle collector out of the way while a large schema is imported or a large contract exported.

Parsing leaves a tree of parent-linked nodes per statement, garbage only the
cycle collector frees; meanwhile the schema being built grows, and every full
collection walks all of it again. With automatic collection paused, the import
collects only the youngest generation, between statements, where the garbage is;
an export builds a contract of many objects and no cycles, and collects at the end.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def young_garbage_only() -> Iterator[None]:
    """Pause automatic collection; call `gc.collect(0)` now and then inside to free recent garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        if enabled:
            gc.enable()
