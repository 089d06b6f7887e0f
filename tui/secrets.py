"""Spotting strings that look like credentials, so they never reach a shared screen or an export."""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "•••••"

# Each pattern's group "secret" is what gets masked; the rest stays readable.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "private key",
        re.compile(r"(?P<secret>-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$))", re.S),
    ),
    ("password in a connection string", re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<secret>[^\s@/]+)@", re.I)),
    (
        "password assignment",
        re.compile(
            r"\b(password|passwd|pwd|secret|api[_-]?key|access[_-]?key|token)\b\s*[:=]\s*[\"']?(?P<secret>[^\s\"',;]{4,})",
            re.I,
        ),
    ),
    (
        "API key",
        re.compile(
            r"(?P<secret>\b(AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,}|xox[abpr]-[A-Za-z0-9-]{10,}"
            r"|sk_(live|test)_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35})\b)"
        ),
    ),
]


@dataclass(frozen=True)
class SecretHit:
    kind: str
    start: int
    end: int


def find_secrets(text: str) -> list[SecretHit]:
    """Where the credential-like parts of a text are, without overlaps, in order."""
    hits: list[SecretHit] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text or ""):
            start, end = match.span("secret")
            if start < end and not any(hit.start < end and start < hit.end for hit in hits):
                hits.append(SecretHit(kind, start, end))
    return sorted(hits, key=lambda hit: hit.start)


def mask_secrets(text: str) -> tuple[str, list[str]]:
    """The text with credentials replaced by a mask, and the kinds of credential found."""
    hits = find_secrets(text)
    if not hits:
        return text, []
    parts, last = [], 0
    for hit in hits:
        parts.append(text[last : hit.start])
        parts.append(MASK)
        last = hit.end
    parts.append(text[last:])
    return "".join(parts), [hit.kind for hit in hits]
