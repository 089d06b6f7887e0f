"""Counts in messages: `1 integration`, `2 changes`."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """`1 change`, `2 changes`, `0 changes`: the noun is given in the singular and takes an s."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
