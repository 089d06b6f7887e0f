"""Block-style YAML for plain data (dicts, lists, strings, numbers, booleans, None), written directly.

The ODCS contract of a large integration is hundreds of thousands of scalars; PyYAML spends most of its time
representing and resolving each one in Python, even with libyaml's emitter. This writes the same kind of
document a reader gets from `yaml.safe_dump(..., sort_keys=False)` (block style, plain scalars where they read
back as the same string, JSON-style double quotes elsewhere), and `yaml.safe_load` reads it back equal.
"""

from __future__ import annotations

import json
import re
from typing import Any

# A plain scalar that YAML reads back as this very string: starts with a letter, holds only characters that
# start no YAML syntax, and is no word YAML 1.1 reads as a boolean or null.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_ .,()/+-]*")
_KEYWORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null"))
# What JSON leaves as it is but YAML must see escaped: C1 controls, DEL, YAML's own line breaks, surrogates.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    known = _SEEN.get(text)
    if known is None:
        known = _string(text)
        if len(text) <= 64:
            if len(_SEEN) >= 50_000:
                _SEEN.clear()
            _SEEN[text] = known
    return known


# Short strings (keys, types, names) repeat across thousands of properties: each is worked out once.
_SEEN: dict[str, str] = {}


def _string(text: str) -> str:
    if _PLAIN.fullmatch(text) and text[-1] != " " and text.lower() not in _KEYWORDS:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted) if _ESCAPE.search(quoted) else quoted


def dump(data: Any) -> str:
    lines: list[str] = []
    _node(data, "", lines, None)
    return "\n".join(lines) + "\n"


def _node(data: Any, indent: str, lines: list[str], first: str | None) -> None:
    """Write `data` at `indent`; `first` is what starts its first line (`- ` of a list entry), if anything."""
    if isinstance(data, dict):
        if not data:
            _line(lines, indent, first, "{}")
            return
        for key, value in data.items():
            head = f"{scalar(key)}:"
            if isinstance(value, (dict, list)) and value:
                _line(lines, indent, first, head)
                _node(value, indent + "  " if isinstance(value, dict) else indent, lines, None)
            else:
                _line(lines, indent, first, f"{head} {_flat(value)}")
            first = None
    elif isinstance(data, list):
        if not data:
            _line(lines, indent, first, "[]")
            return
        for value in data:
            if isinstance(value, (dict, list)) and value:
                _node(value, indent + "  ", lines, indent + "- " if first is None else first + "- ")
            else:
                _line(lines, indent, first, f"- {_flat(value)}")
            first = None
    else:
        _line(lines, indent, first, _flat(data))


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def _line(lines: list[str], indent: str, first: str | None, text: str) -> None:
    lines.append((first if first is not None else indent) + text)
