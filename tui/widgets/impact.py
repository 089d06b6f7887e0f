"""How an impact on consumers or the producer looks on screen: one style per impact, everywhere."""

from __future__ import annotations

from rich.text import Text

from tui.changes.model import Impact

IMPACT_STYLES = {Impact.BREAKING: "bold red", Impact.WARNING: "yellow", Impact.INFO: "dim"}


def impact_cell(impact: Impact, text: str | None = None) -> Text:
    """A table cell naming an impact (or `text`, one line of the app's own words) in the impact's style."""
    return Text(text if text is not None else impact.value, style=IMPACT_STYLES[impact])
