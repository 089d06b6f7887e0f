"""Workspace text as one line of a comment in YAML or SQL: nothing in it can end the comment or the file early."""

from __future__ import annotations

import re

from tui.visible import one_line

# Everything YAML or a SQL lexer takes as the end of a line, and what YAML refuses in a stream at all
# (one_line already shows the C0 and C1 controls and lone surrogates as placeholders).
_BREAKS = re.compile("[\n\r\v\f\x85\u2028\u2029]")
_NOT_CHARACTERS = re.compile("[\ufffe\uffff]")


def comment(text: str | None) -> str:
    """`text` on one line, every control character shown as a placeholder; for after `# ` or `-- `."""
    flat = one_line(_BREAKS.sub(" ", text or ""))
    return _NOT_CHARACTERS.sub("\ufffd", flat).strip()
