"""Warning signs in a table's shape that the data-model questions of the checklist ask about."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any


class Flag(StrEnum):
    """Each flag's value is the short label shown beside the table."""

    NAIVE_TIMESTAMP = "tz"
    NO_UPDATED_AT = "updated"
    DELETION_UNKNOWN = "deletes"
    JSON_WITHOUT_SCHEMA = "json"
    STATUS_WITHOUT_VALUES = "values"

    @property
    def meaning(self) -> str:
        return FLAG_MEANINGS[self]


FLAG_MEANINGS = {
    Flag.NAIVE_TIMESTAMP: "timestamp columns without a time zone",
    Flag.NO_UPDATED_AT: "no updated-at column: changes to rows cannot be picked up incrementally",
    Flag.DELETION_UNKNOWN: "deletion policy unknown (hard, soft or none?)",
    Flag.JSON_WITHOUT_SCHEMA: "JSON columns without a schema",
    Flag.STATUS_WITHOUT_VALUES: "status-like columns without a value set",
}

UPDATED_AT_NAMES = {
    "updated_at",
    "modified_at",
    "last_modified",
    "last_modified_at",
    "updated_on",
    "modified_on",
    "last_updated",
    "last_update",
    "updated",
    "date_modified",
    "modified_date",
    "updated_date",
    "update_time",
    "updated_time",
    "update_date",
    "modify_time",
    "modified_time",
    "last_update_time",
    "date_upd",
    "date_updated",
    "changed_at",
    "last_changed",
}
CREATED_AT_NAMES = {
    "created_at",
    "created_on",
    "created",
    "creation_date",
    "created_date",
    "date_created",
    "inserted_at",
    "create_date",
    "create_time",
    "created_time",
    "creation_time",
    "date_add",
    "date_added",
    "added_at",
    "insert_time",
    "inserted_on",
}
SOFT_DELETE_NAMES = {
    "deleted_at",
    "is_deleted",
    "deleted",
    "deleted_on",
    "deleted_date",
    "date_deleted",
    "removed_at",
    "is_removed",
}
_NAIVE = re.compile(r"^(timestamp(\(\d+\))?( without time zone)?|timestamp_?ntz.*|datetime2?(\(\d+\))?|smalldatetime)$")
_JSON = re.compile(r"^(json|jsonb|variant|object|super|json\[\])$")
_STATUS_WORDS = ("status", "state", "type", "kind", "category", "stage", "tier", "level", "code")
# A bare `code` names a thing (a country's ISO code, an authorisation code); a status or reason code is a value set.
_STATUS = re.compile(
    r"(^|_)(status|state|type|kind|category|stage|tier|level)$"
    r"|(^|_)(status|state|type|kind|category|stage|tier|level|reason|result|error|response|return)_?code$"
)
# Codes that are identifiers or addresses, not a short list of values with meanings.
_FREE_CODES = re.compile(
    r"(postal|post|zip|area|phone|dialing|promo|coupon|discount|auth|verification|access|"
    r"reset|invite|referral|confirmation|otp|sms|bar|qr)_?code$"
)
_NOT_ENUM_TYPES = re.compile(r"(bool|date|time|json|uuid|blob|bytea)")


def is_naive_timestamp(column_type: str | None) -> bool:
    return bool(column_type and _NAIVE.match(column_type.strip().lower()))


def is_json(column_type: str | None) -> bool:
    return bool(column_type and _JSON.match(column_type.strip().lower()))


def is_status_like(column: Mapping[str, Any]) -> bool:
    kind = (column.get("type") or "").lower()
    return _status_name(column["name"].lower()) and not column.get("foreign_key") and not _NOT_ENUM_TYPES.search(kind)


def _status_name(lower: str) -> bool:
    """Named like a status or type code: not a free code, a reference (`id_state`) or a yes/no flag."""
    return (
        bool(_STATUS.search(lower))
        and not _FREE_CODES.search(lower)
        and not _FOREIGN_KEY_NAME.match(lower)
        and not _FLAG_NAME.match(lower)
    )


_FLAG_NAME = re.compile(r"(is|has|can|should|was)_")


# Columns that make a table's `state` the state of an address (a region), not a status.
_ADDRESS_KEYS = frozenset({"city", "country", "postalcode", "postcode", "zip", "zipcode", "address", "street"})


def is_address_state(name: str, name_keys: set[str] | frozenset[str]) -> bool:
    """`state` beside `city` or `country`: part of an address. `name_keys` are the table's `name_key`s."""
    return name_key(name) == "state" and bool(name_keys & _ADDRESS_KEYS)


# `customer_id`, and `id_customer` as some applications name references.
_FOREIGN_KEY_NAME = re.compile(r".+_id$|^id_.+")
_MONEY = re.compile(r"(^|_)(amount|price|total|cost|fee|revenue|balance|subtotal)$|_cents$|^cents$")
_CURRENCY = re.compile(r"(^|_)(currency|ccy|currency_code|currency_id)$")
# An event table is often the application's core data; only names that say "history of" count.
_HISTORY = re.compile(r"(^|_)(history|histories|log|logs|audit|audits|changes|changelog|versions)$")
_NUMERIC_TYPES = re.compile(r"(int|numeric|decimal|number|money|float|double|real)")


def _compact(names: set[str]) -> frozenset[str]:
    return frozenset(name.replace("_", "") for name in names)


# The name sets without underscores: `ModifiedDate`, `modified_date` and a folded `modifieddate` alike.
UPDATED_AT_KEYS = _compact(UPDATED_AT_NAMES)
CREATED_AT_KEYS = _compact(CREATED_AT_NAMES)
SOFT_DELETE_KEYS = _compact(SOFT_DELETE_NAMES)


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """A column name as the name sets compare it: lower case, without underscores."""
    return name.lower().replace("_", "")


@functools.lru_cache(maxsize=4096)
def snake_name(name: str) -> str:
    """`UnitPrice` and `unit_price` alike: the lower-case, underscore-separated form of a name."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def looks_like_foreign_key(column: Mapping[str, Any]) -> bool:
    """Named like a reference (`customer_id`, `CustomerId`) without a declared foreign key."""
    return bool(_FOREIGN_KEY_NAME.match(snake_name(column["name"]))) and not column.get("foreign_key")


def is_money_like(column: Mapping[str, Any]) -> bool:
    kind = (column.get("type") or "").lower()
    return bool(_MONEY.search(snake_name(column["name"]))) and (not kind or bool(_NUMERIC_TYPES.search(kind)))


def is_currency_column(column: Mapping[str, Any]) -> bool:
    return bool(_CURRENCY.search(snake_name(column["name"])))


def is_history_table(name: str) -> bool:
    """Named like a change log or history of other rows (`order_history`, `audit_log`, `status_events`)."""
    return bool(_HISTORY.search(snake_name(name)))


@functools.lru_cache(maxsize=1024)
def _type_traits(column_type: str | None) -> tuple[bool, bool, bool]:
    """(naive timestamp, JSON, may hold status codes) of a column type: types repeat across thousands of columns."""
    return (
        is_naive_timestamp(column_type),
        is_json(column_type),
        not _NOT_ENUM_TYPES.search((column_type or "").lower()),
    )


def column_flags(column: Mapping[str, Any]) -> list[Flag]:
    found = _flags_of(
        (
            (
                column["name"],
                column.get("type"),
                column.get("foreign_key"),
                column.get("value_set"),
                column.get("json_schema"),
            ),
        ),
        set(),
    )
    return [flag for flag in Flag if flag in found]


def table_flags(table: Mapping[str, Any], columns: Iterable[Mapping[str, Any]]) -> list[Flag]:
    """The flags of a table, in the order of `Flag`."""
    return shape_flags(
        table.get("updated_at_column"),
        table.get("deletion"),
        (
            (
                column["name"],
                column.get("type"),
                column.get("foreign_key"),
                column.get("value_set"),
                column.get("json_schema"),
            )
            for column in columns
        ),
    )


def shape_flags(
    updated_at_column: str | None, deletion: str | None, columns: Iterable[tuple[str, str | None, Any, Any, Any]]
) -> list[Flag]:
    """`table_flags` from plain values, columns as (name, type, foreign_key, value_set, json_schema) tuples."""
    names: set[str] = set()
    found = _flags_of(columns, names)
    if not updated_at_column and not names & UPDATED_AT_KEYS:
        found.add(Flag.NO_UPDATED_AT)
    if not deletion:
        found.add(Flag.DELETION_UNKNOWN)
    return [flag for flag in Flag if flag in found]


def _flags_of(columns: Iterable[tuple[str, str | None, Any, Any, Any]], names: set[str]) -> set[Flag]:
    """The column flags of any of these columns; adds each column's `name_key` to `names`."""
    found: set[Flag] = set()
    statuses = []
    for name, column_type, foreign_key, value_set, json_schema in columns:
        lower = name.lower()
        names.add(name_key(name))
        naive, json_type, may_hold_codes = _type_traits(column_type)
        if naive:
            found.add(Flag.NAIVE_TIMESTAMP)
        if json_type and not json_schema:
            found.add(Flag.JSON_WITHOUT_SCHEMA)
        # The suffix test is a quick first look; `$` also matches before a final line break.
        if (
            may_hold_codes
            and (lower.endswith(_STATUS_WORDS) or lower.endswith("\n"))
            and not value_set
            and not foreign_key
            and _status_name(lower)
        ):
            statuses.append(name)
    if any(not is_address_state(name, names) for name in statuses):
        found.add(Flag.STATUS_WITHOUT_VALUES)
    return found
