"""The contract as an Open Data Contract Standard v3.1.0 document, for tools that read data contracts.

Integration -> fundamentals, tables -> schema objects, columns -> properties,
foreign keys -> relationships, value sets -> `invalidValues` quality rules,
stakeholders -> team members, agreed channels -> support, agreed SLA ->
slaProperties, agreed hosting -> a server. Nothing time-stamped is written, so
re-exports of an unchanged contract are identical.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from tui.enums import ItemStatus
from tui.export.contract import Column, ContractFacts, Table
from tui.references import split

# ODCS names a property reference `object.property`, each part a plain identifier.
_REFERENCE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)+$")
_STABLE_ID = re.compile(r"[^A-Za-z0-9_-]+")
_CHANNEL = re.compile(r"(?<![\w#])#[A-Za-z0-9][A-Za-z0-9_-]*")
_LENGTH = re.compile(r"^(?:character varying|varchar|nvarchar|char|character|nchar|string)\s*\((\d+)\)")

_LOGICAL = [
    (
        re.compile(r"^(tinyint|smallint|mediumint|int|integer|bigint|int[248]|serial|bigserial|smallserial)\b"),
        "integer",
    ),
    (re.compile(r"^(numeric|decimal|number|real|double|float|money)"), "number"),
    (re.compile(r"^(bool|boolean|bit)\b"), "boolean"),
    (re.compile(r"^date$"), "date"),
    (re.compile(r"^(timestamp|datetime|smalldatetime|timestamptz)"), "timestamp"),
    (re.compile(r"^(time|timetz)\b"), "time"),
    (re.compile(r"^(json|jsonb|variant|object|struct|super)\b"), "object"),
]


def logical_type(sql_type: str | None) -> str | None:
    """The ODCS logical type of an SQL type; text-like and unknown types read as strings."""
    if not sql_type:
        return None
    kind = sql_type.strip().lower()
    if kind.endswith("[]") or kind.startswith("array"):
        return "array"
    for pattern, logical in _LOGICAL:
        if pattern.match(kind):
            return logical
    return "string"


def _type_options(column: Column, logical: str | None) -> dict[str, Any] | None:
    kind = (column.type or "").strip().lower()
    if logical == "timestamp":
        return {"timezone": "with time zone" in kind or kind in ("timestamptz", "datetimeoffset")}
    if logical == "string":
        if kind == "uuid":
            return {"format": "uuid"}
        length = _LENGTH.match(kind)
        if length:
            return {"maxLength": int(length.group(1))}
    return None


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, "", [], {})}


def _stable_id(text: str) -> str:
    return _STABLE_ID.sub("_", text).strip("_") or "id"


def odcs_document(facts: ContractFacts, contract_id: str, version: str = "3.1.0") -> dict[str, Any]:
    names = _object_names(facts.tables)
    by_ref = {table.ref.lower(): names[table.ref] for table in facts.tables}
    for table in facts.tables:
        by_ref.setdefault(table.name.lower(), names[table.ref])
    purpose = facts.description
    document: dict[str, Any] = {
        "apiVersion": f"v{version}",
        "kind": "DataContract",
        "id": contract_id,
        "name": facts.name,
        "version": facts.version,
        "status": facts.status,
        "description": _compact(
            {"purpose": purpose, "usage": f"Source system: {facts.source}" if facts.source else None}
        ),
        "servers": _servers(facts),
        "schema": [_object(table, names[table.ref], by_ref) for table in facts.tables],
        "support": _support(facts),
        "team": _compact(
            {
                "name": f"{facts.name} integration",
                "members": [
                    _compact(
                        {
                            "username": person.contact or person.name,
                            "name": person.name,
                            "role": person.role or ("point of contact" if person.point_of_contact else None),
                            "description": person.responsibilities,
                        }
                    )
                    for person in facts.people
                ],
            }
        ),
        "slaProperties": _sla(facts),
        "customProperties": [{"property": "goLive", "value": facts.go_live}] if facts.go_live else [],
    }
    return _compact(document)


def _object_names(tables: list[Table]) -> dict[str, str]:
    """Object names: the table name, schema-qualified only where two schemas share it."""
    counts: dict[str, int] = {}
    for table in tables:
        counts[table.name] = counts.get(table.name, 0) + 1
    return {table.ref: table.name if counts[table.name] == 1 else f"{table.schema}_{table.name}" for table in tables}


def _object(table: Table, name: str, by_ref: dict[str, str]) -> dict[str, Any]:
    keys = [column.name for column in table.columns if column.primary_key]
    custom = [
        {"property": key, "value": value}
        for key, value in (
            ("createdBy", table.created_by),
            ("updatedAtColumn", table.updated_at_column),
            ("deletion", table.deletion),
            ("softDeleteColumn", table.soft_delete_column),
            ("retention", table.retention),
            ("legacyMarker", table.legacy_marker),
            ("testDataMarker", table.test_data_marker),
            ("estimatedRows", table.estimated_rows),
        )
        if value not in (None, "")
    ]
    return _compact(
        {
            "name": name,
            "physicalName": table.ref,
            "physicalType": table.kind or "table",
            "logicalType": "object",
            "description": table.description,
            "properties": [_property(column, keys, by_ref) for column in table.columns],
            "customProperties": custom,
        }
    )


def _property(column: Column, keys: list[str], by_ref: dict[str, str]) -> dict[str, Any]:
    logical = logical_type(column.type)
    prop: dict[str, Any] = {
        "name": column.name,
        "physicalName": column.name,
        "logicalType": logical,
        "logicalTypeOptions": _type_options(column, logical),
        "physicalType": column.type,
        "description": column.description,
        "required": not column.nullable,
        "unique": column.unique or None,
        "classification": column.classification,
    }
    if column.primary_key:
        prop["primaryKey"] = True
        prop["primaryKeyPosition"] = keys.index(column.name) + 1
    if column.foreign_key:
        target = _reference(column.foreign_key, by_ref)
        if target:
            prop["relationships"] = [{"type": "foreignKey", "to": target}]
    if column.value_set:
        listed = "; ".join(f"{code}: {meaning}" if meaning else code for code, meaning in column.value_set.items())
        prop["quality"] = [
            {
                "type": "library",
                "metric": "invalidValues",
                "arguments": {"validValues": list(column.value_set)},
                "mustBe": 0,
                "description": f"Allowed values - {listed}",
            }
        ]
    if column.default or column.generated or column.check:
        prop["customProperties"] = [
            {"property": key, "value": value}
            for key, value in (("default", column.default), ("generated", column.generated), ("check", column.check))
            if value
        ]
    return _compact(prop)


def _reference(foreign_key: str, by_ref: dict[str, str]) -> str | None:
    """`object.property` for a foreign key, when its target can be named that way."""
    parts = split(foreign_key) or ()
    if len(parts) < 2:
        return None
    name = by_ref.get(".".join(parts[:-1]).lower()) or parts[-2]
    reference = f"{name}.{parts[-1]}"
    return reference if _REFERENCE.match(reference) else None


def _agreed(facts: ContractFacts, key: str) -> str | None:
    item = facts.item(key)
    return item.answer if item and item.status == ItemStatus.AGREED and item.answer else None


def _servers(facts: ContractFacts) -> list[dict[str, Any]]:
    hosting = _agreed(facts, "infrastructure.hosting")
    if not hosting:
        return []
    storage = _agreed(facts, "infrastructure.storage_type")
    return [
        _compact(
            {
                "id": "production",
                "server": "production",
                "type": "custom",
                "environment": "prod",
                "description": hosting,
                "customProperties": [{"property": "storage", "value": storage}] if storage else [],
            }
        )
    ]


def _support(facts: ContractFacts) -> list[dict[str, Any]]:
    support = []
    for key, label, scope in (
        ("logistics.channels", "channels", "interactive"),
        ("logistics.standing_meeting", "standing meetings", "interactive"),
        ("contracts.change_communication", "change announcements", "announcements"),
        ("contracts.incidents", "incidents", "issues"),
    ):
        answer = _agreed(facts, key)
        if answer:
            support.append({"id": _stable_id(key), "channel": label, "scope": scope, "description": answer})
            for channel in dict.fromkeys(_CHANNEL.findall(answer)):
                support.append(
                    {"id": _stable_id(f"{key}_{channel}"), "channel": channel, "tool": "other", "scope": scope}
                )
    return support


def _sla(facts: ContractFacts) -> list[dict[str, Any]]:
    answer = _agreed(facts, "contracts.sla")
    if not answer:
        return []
    return [{"id": "agreed_sla", "property": "agreement", "value": answer, "description": answer}]


# libyaml's emitter writes the same text as the pure-Python one, several times faster.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def render_odcs(facts: ContractFacts, contract_id: str, version: str = "3.1.0") -> str:
    document = odcs_document(facts, contract_id, version)
    return yaml.dump(document, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)
