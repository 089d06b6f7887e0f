"""Text editors that keep what is typed or pasted exactly, in the order it was typed, for every form.

Textual runs a widget's own key bindings (Home, End, arrows, Backspace) only
once the key has bubbled up to the app, while the characters typed after it are
already being inserted: a fast "End, x" puts the x before the cursor moves. These
editors run their own bindings as they take the key, in turn with the characters.
Textual's Input keeps only the first line of a paste; `LineInput` keeps all of
it, its line breaks and tabs turned into spaces. Textual's TextArea sends Home
and End to the ends of the wrapped screen line; `TextEditor` sends them to the
ends of the line as typed, so End then typing adds to the end of a long answer.
"""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.document._document import Location
from textual.widgets import Input, TextArea

_BREAKS = re.compile(r"\r\n|[\r\n\t]")


class KeysInTurn:
    """Mixed into a widget: every key is acted on when it reaches the widget, in the order typed.

    Textual sends each key to the widget focused when the key arrives, and runs the bindings of
    the screen and the app (Tab, Ctrl+S, Escape) only once the key has bubbled back up, after the
    keys queued behind it. So this widget runs the bindings at once, and passes a key on to the
    widget that has the focus by then when an earlier key (Tab) moved it away.
    """

    async def _on_key(self: Any, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.stop()
            event.prevent_default()
            passed = events.Key(event.key, event.character)
            passed.set_sender(self.app)
            passed._set_forwarded()
            focused.post_message(passed)
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority:
                event.stop()
                event.prevent_default()
                await self.app.run_action(binding.action, self)
                return
        if not event.is_printable and await self.app._check_bindings(event.key):
            event.stop()
            event.prevent_default()
        # Otherwise Textual goes on to the widget's own key handler (it walks the classes of the widget).


class LineInput(KeysInTurn, Input):
    """A one-line input that keeps a whole paste."""

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Input's own handler would insert the first line a second time
        text = _BREAKS.sub(" ", event.text)
        if not text:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)


class TextEditor(KeysInTurn, TextArea):
    """A wrapping text area whose Home and End keys work on the typed line, not the screen line."""

    def get_cursor_line_end_location(self) -> Location:
        row, _ = self.cursor_location
        return row, len(self.document.get_line(row))

    def get_cursor_line_start_location(self, smart_home: bool = False) -> Location:
        row, column = self.cursor_location
        line = self.document.get_line(row)
        indent = len(line) - len(line.lstrip())
        return (row, indent) if smart_home and column != indent else (row, 0)

    def end_of_text(self) -> None:
        """Put the cursor after the last character, where typing adds to the text."""
        self.move_cursor(self.document.end)
