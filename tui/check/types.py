"""Whether a live column's type is the agreed one, a narrower one (every value still fits) or a wider one.

Both sides are first brought to the type normal form of the schema import (tui.importers.spelling), so `int4`,
`integer` and `int(11)` are one type. Types then fall into families (whole numbers, decimals, floating point,
text, time stamps with and without a zone, ...) ranked by what they hold: a wider live type can hold values the
agreed type cannot, which breaks readers built on the agreement; a narrower one holds only values that fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from tui.importers.spelling import normal_type

_INTEGERS = {"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "bigint": 5, "hugeint": 6}
_FLOATS = {"float": 1, "double": 2}
_TEXTS = ("char", "nchar", "varchar", "nvarchar", "text", "string", "longtext", "mediumtext", "tinytext", "clob")
_BYTES = ("binary", "varbinary", "blob", "bytea", "longblob", "mediumblob", "tinyblob", "bytes")
# Types that are one another under different names.
_SAME = {"jsonb": "json", "datetime": "timestamp", "timestampntz": "timestamp", "bool": "boolean"}
_SIZE = re.compile(r"^(?P<base>[a-z ]+?)\s*(?:\((?P<args>[^)]*)\))?$")


class Fit(StrEnum):
    SAME = "same"
    NARROWER = "narrower"
    WIDER = "wider"
    OTHER = "other"


@dataclass(frozen=True)
class _Shape:
    family: str
    rank: float  # within the family: larger holds more
    sizes: tuple[int, ...] = ()


def compare(agreed: str, live: str | None, agreed_dialect: str | None = None) -> Fit:
    """How the live type (already in normal form) stands to the agreed type as written in the contract."""
    wanted = normal_type(agreed, agreed_dialect)
    if wanted is None or live is None:
        return Fit.SAME
    if wanted == live:
        return Fit.SAME
    one, other = _shape(wanted), _shape(live)
    if one is None or other is None or one.family != other.family:
        return Fit.OTHER
    if (other.rank, other.sizes) == (one.rank, one.sizes):
        return Fit.SAME
    if other.rank > one.rank:
        return Fit.WIDER
    if other.rank < one.rank:
        return Fit.NARROWER
    if not one.sizes or not other.sizes:
        # An unsized type (text, numeric) holds what any sized one of its family holds.
        return Fit.NARROWER if not one.sizes else Fit.WIDER
    if all(b >= a for a, b in zip(one.sizes, other.sizes, strict=False)):
        return Fit.WIDER
    if all(b <= a for a, b in zip(one.sizes, other.sizes, strict=False)):
        return Fit.NARROWER
    return Fit.OTHER


def _shape(spelled: str) -> _Shape | None:
    found = _SIZE.match(spelled.strip())
    if found is None:
        return None
    base = found.group("base").strip()
    base = _SAME.get(base, base)
    sizes = tuple(int(arg) for arg in (found.group("args") or "").split(",") if arg.strip().isdigit())
    unsigned = base.startswith("u") and base[1:] in _INTEGERS
    if base in _INTEGERS or unsigned:
        # An unsigned type holds twice the positive range of its signed twin: half a step up.
        return _Shape("integer", _INTEGERS[base[1:] if unsigned else base] + (0.5 if unsigned else 0))
    if base in ("decimal", "numeric"):
        return _Shape("decimal", 0, sizes)
    if base in _FLOATS:
        return _Shape("float", _FLOATS[base])
    if base in _TEXTS:
        # char(n) and varchar(n) hold the same values; unbounded text holds every string.
        unbounded = base not in ("char", "nchar", "varchar", "nvarchar") or not sizes
        return _Shape("text", 1 if unbounded else 0, () if unbounded else sizes[:1])
    if base in _BYTES:
        unbounded = base not in ("binary", "varbinary") or not sizes
        return _Shape("bytes", 1 if unbounded else 0, () if unbounded else sizes[:1])
    if base in ("timestamp", "timestamptz", "time", "timetz"):
        # A precision in fractional seconds does not change which moments fit.
        return _Shape(base, 0)
    return _Shape(base, 0, sizes)
