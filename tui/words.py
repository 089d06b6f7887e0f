"""Counts and articles in messages: `1 integration`, `2 changes`, `an API key`."""

from __future__ import annotations

# Plurals that do not add an s.
_IRREGULAR = {"entry": "entries", "summary": "summaries", "index": "indexes"}


def plural(count: int, noun: str) -> str:
    """`1 change`, `2 changes`, `0 changes`; nouns passed in their singular form."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {_IRREGULAR.get(noun, noun if noun.endswith('s') else noun + 's')}"


def article(noun: str) -> str:
    """`a password`, `an API key`, `an AWS key`: by how the word is said, which for letters is their name."""
    first = noun[:1]
    spoken_vowel = first.lower() in "aeio" or (first.isupper() and noun[:2].isupper() and first in "AEFHILMNORSX")
    return f"{'an' if spoken_vowel else 'a'} {noun}"
