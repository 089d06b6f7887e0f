"""Due dates as people say them: `2026-12-14`, `today`, `tomorrow`, `fri`, `+3d`, `+1w`, `+2m`."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DUE_HINT = "YYYY-MM-DD, today, tomorrow, a weekday like fri, or +3d, +1w, +2m"
_OFFSET = re.compile(r"^\+(\d{1,3})\s*([dwm])$")


class DateError(ValueError):
    """Text that names no date; the message is one line meant for the user."""


def parse_due(text: str, today: date | None = None) -> date:
    """The date a due text names, counted from `today`; a weekday is the next one after today."""
    today = today or date.today()
    word = text.strip().lower()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        try:
            return date.fromisoformat(word)
        except ValueError:
            raise DateError(f"{text.strip()!r} is not a date ({DUE_HINT})") from None
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return today + timedelta(days=(index - today.weekday() - 1) % 7 + 1)
    found = _OFFSET.match(word)
    if found:
        count, unit = int(found.group(1)), found.group(2)
        if unit == "d":
            return today + timedelta(days=count)
        if unit == "w":
            return today + timedelta(weeks=count)
        month = today.month - 1 + count
        year, month = today.year + month // 12, month % 12 + 1
        return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
    raise DateError(f"{text.strip()!r} is not a date ({DUE_HINT})")
