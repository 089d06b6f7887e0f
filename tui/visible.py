"""Text from data, made safe to show on a terminal.

Names, notes, comments and plans come from people and systems dayone does not control. Before any of it reaches
a terminal (a widget, a notification, a CLI line, an error message), its control characters are replaced with
visible placeholders: C0 controls become their Unicode control pictures (ESC reads `␛`), DEL reads `␡`, C1
controls and characters that reorder text (bidi overrides) read as their escape (`\\x9b`, `\\u202e`), and a lone
surrogate reads `\\udc80`. Newlines and tabs are kept where a block of text is shown and folded into spaces
where one line is.

Markup is the other half: text from data is handed to widgets as `Content`/`Text`, never as a markup string;
`tui.widgets.plain` does that for the screens.
"""

from __future__ import annotations

import logging
import re

_C0 = {code: chr(0x2400 + code) for code in range(0x20)}
_PLACEHOLDERS = {
    **_C0,
    0x7F: "\u2421",
    **{code: f"\\x{code:02x}" for code in range(0x80, 0xA0)},
    **{code: f"\\u{code:04x}" for code in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    **{code: f"\\u{code:04x}" for code in range(0xD800, 0xE000)},
}
_BLOCK = {**_PLACEHOLDERS}
del _BLOCK[ord("\n")], _BLOCK[ord("\t")]

_UNSAFE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_PLACEHOLDERS)) + "]")
_UNSAFE_IN_BLOCK = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_BLOCK)) + "]")


def visible(text: str) -> str:
    """A block of text with every control character but newline and tab shown as a placeholder."""
    if not _UNSAFE_IN_BLOCK.search(text):
        return text
    return text.translate(_BLOCK)


def one_line(text: str) -> str:
    """One line: runs of whitespace (newlines and tabs too) become one space, control characters placeholders."""
    if "\n" in text or "\t" in text or "\r" in text:
        text = " ".join(text.split())
    if not _UNSAFE.search(text):
        return text
    return text.translate(_PLACEHOLDERS)


def is_safe(text: str) -> bool:
    """True when `text` holds nothing `visible` would replace."""
    return not _UNSAFE_IN_BLOCK.search(text)


class VisibleFormatter(logging.Formatter):
    """Log lines whose control characters are visible, so reading a log on a terminal is as safe as the app."""

    def format(self, record: logging.LogRecord) -> str:
        return visible(super().format(record))
