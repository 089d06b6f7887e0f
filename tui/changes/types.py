"""Whether a column's new type holds every value of its old one (widened), only some (narrowed), or is another.

Types are compared in the importer's normal spelling (`integer`, `int4` and `serial` alike), so a type spelled
another way is no change at all. Only families whose order is clear are judged: integers by width, decimals by
their digits before and after the point, floats, and strings by their length; anything else is "other".
"""

from __future__ import annotations

import functools
import re

from tui.importers.spelling import normal_type

WIDENED, NARROWED, OTHER = "widened", "narrowed", "other"

_INTEGER_BYTES = {"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "bigint": 8}
# The decimal digits each integer width holds: what a decimal needs before the point to take every value.
_INTEGER_DIGITS = {1: 3, 2: 5, 3: 8, 4: 10, 8: 19}
_FLOAT_BYTES = {"float": 4, "double": 8}
_UNBOUNDED = 1 << 62
_STRING = re.compile(r"^(varchar|char|text|string|nvarchar|nchar|clob|tinytext|mediumtext|longtext)(?:\((\d+)\))?$")
_TEXT_BYTES = {"tinytext": 255, "text": _UNBOUNDED, "mediumtext": _UNBOUNDED, "longtext": _UNBOUNDED}
_DECIMAL = re.compile(r"^(?:decimal|numeric|number)(?:\((\d+)(?:,(\d+))?\))?$")
_PRECISION = re.compile(r"^(timestamp|timestamptz|time|datetime)(?:\((\d)\))?$")


def type_change(old: str | None, new: str | None) -> str | None:
    """`widened`, `narrowed` or `other`; None when both name the same type (or neither names one)."""
    if old == new:
        return None
    return _compare(old, new)


@functools.lru_cache(maxsize=4096)
def _compare(old: str | None, new: str | None) -> str | None:
    if not old or not new:
        return OTHER if old or new else None
    before, after = normal_type(old, None) or "", normal_type(new, None) or ""
    if before == after:
        return None
    return _order(before, after)


def _order(before: str, after: str) -> str:
    for shape in (_integer_or_decimal, _float, _string, _precision):
        found = shape(before, after)
        if found is not None:
            return found
    return OTHER


def _step(old: float, new: float) -> str:
    return WIDENED if new > old else NARROWED if new < old else OTHER


def _integer_or_decimal(before: str, after: str) -> str | None:
    """Integers by width; decimals by digits before and after the point; an integer against a decimal by digits."""
    old, new = _numeric(before), _numeric(after)
    if old is None or new is None:
        return None
    (old_whole, old_scale), (new_whole, new_scale) = old, new
    if (old_whole, old_scale) == (new_whole, new_scale):
        return OTHER
    if new_whole >= old_whole and new_scale >= old_scale:
        return WIDENED
    if new_whole <= old_whole and new_scale <= old_scale:
        return NARROWED
    return OTHER


def _numeric(spelled: str) -> tuple[int, int] | None:
    """(digits before the point, digits after it) of an integer or decimal type."""
    if spelled in _INTEGER_BYTES:
        return _INTEGER_DIGITS[_INTEGER_BYTES[spelled]], 0
    match = _DECIMAL.match(spelled)
    if not match:
        return None
    if match.group(1) is None:
        return _UNBOUNDED, _UNBOUNDED
    precision, scale = int(match.group(1)), int(match.group(2) or 0)
    return precision - scale, scale


def _float(before: str, after: str) -> str | None:
    if before in _FLOAT_BYTES and after in _FLOAT_BYTES:
        return _step(_FLOAT_BYTES[before], _FLOAT_BYTES[after])
    if before in _INTEGER_BYTES and after in _FLOAT_BYTES:
        # A float holds every integer whose digits fit its mantissa: 24 bits for float, 53 for double.
        return WIDENED if _INTEGER_BYTES[before] * 8 < (24 if after == "float" else 53) else OTHER
    return None


def _string(before: str, after: str) -> str | None:
    old, new = _STRING.match(before), _STRING.match(after)
    if not old or not new:
        return None
    if new.group(1) in ("char", "nchar") and old.group(1) not in ("char", "nchar"):
        return OTHER  # a fixed width pads values that were not padded before
    return _step(_length(old), _length(new))


def _length(match: re.Match[str]) -> int:
    if match.group(2) is not None:
        return int(match.group(2))
    return _TEXT_BYTES.get(match.group(1), _UNBOUNDED if match.group(1) not in ("char", "nchar") else 1)


def _precision(before: str, after: str) -> str | None:
    """Fractional seconds: `timestamp(3)` against `timestamp(6)`, the bare type counting as 6."""
    old, new = _PRECISION.match(before), _PRECISION.match(after)
    if not old or not new or old.group(1) != new.group(1):
        return None
    return _step(int(old.group(2) or 6), int(new.group(2) or 6))
