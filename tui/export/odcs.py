"""The contract as an Open Data Contract Standard document (v3.1.0 or v3.2.0), for tools that read and test
data contracts, such as datacontract-cli's `test` against the real database.

Integration -> fundamentals; the engine and connection facts (host, port, database; one server per schema and
environment) -> servers; tables -> schema objects with the table name as `physicalName` (the schema lives in the
server); columns -> properties (a JSON schema as nested properties); foreign keys -> relationships; value sets,
check constraints, not-null and unique -> quality rules; stakeholders -> team; agreed channels -> support;
access answers -> roles; agreed service levels -> slaProperties with the standard's names and units. Nothing
time-stamped is written, so re-exports of an unchanged contract are identical.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from tui.enums import ItemStatus
from tui.export.contract import Column, ContractFacts, Table
from tui.export.escape import one_line
from tui.export.yaml_text import dump
from tui.references import split

# ODCS names a property reference `object.property`, each part a plain identifier.
_REFERENCE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z_][A-Za-z0-9_\-]*)+$")
_STABLE_ID = re.compile(r"[^A-Za-z0-9_-]+")
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
_JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
_JSON_TYPES |= {"object": "object", "array": "array"}

# Engine -> (words that name it in an answer, URL schemes, default port). The first match wins.
_ENGINES: list[tuple[str, re.Pattern[str], tuple[str, ...], int | None]] = [
    ("postgres", re.compile(r"postgres|\bpg\b", re.I), ("postgresql", "postgres"), 5432),
    ("mysql", re.compile(r"mysql|mariadb", re.I), ("mysql", "mariadb"), 3306),
    ("sqlserver", re.compile(r"sql ?server|mssql|azure sql", re.I), ("mssql", "sqlserver"), 1433),
    ("redshift", re.compile(r"redshift", re.I), ("redshift",), 5439),
    ("snowflake", re.compile(r"snowflake", re.I), ("snowflake",), None),
    ("bigquery", re.compile(r"bigquery", re.I), ("bigquery",), None),
    ("oracle", re.compile(r"oracle", re.I), ("oracle",), 1521),
    ("databricks", re.compile(r"databricks", re.I), ("databricks",), None),
    ("clickhouse", re.compile(r"clickhouse", re.I), ("clickhouse",), None),
    ("trino", re.compile(r"trino", re.I), ("trino",), None),
]
# Engines whose ODCS server needs exactly host, port, database and schema.
_HOSTED = {"postgres", "mysql", "sqlserver", "redshift"}
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s<>\"'`,;]+", re.I)
_ENVIRONMENT_ITEMS = ("infrastructure.replica", "infrastructure.hosting", "infrastructure.storage_type")

_CHANNEL = re.compile(r"(?<![\w#])#[A-Za-z0-9][A-Za-z0-9_-]*")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_WEB = re.compile(r"\bhttps?://[^\s<>\"'`,;]+")
_TICKETS = re.compile(r"\b([A-Z][A-Z0-9]{1,9})\b(?=[^.;]*\btickets?\b)|\btickets?\b[^.;]*?\b([A-Z][A-Z0-9]{1,9})\b")

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_NUMBERS |= {"ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "a": 1, "an": 1}
_DURATION = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?|" + "|".join(_NUMBERS) + r")\s*(?:business\s+|working\s+|calendar\s+)?"
    r"(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?)\b",
    re.I,
)
# (word in the unit) -> (ODCS unit, factor to it)
_UNITS = {"min": ("min", 1), "hour": ("h", 1), "hr": ("h", 1), "day": ("d", 1), "week": ("d", 7)}
_UNITS |= {"month": ("month", 1), "year": ("y", 1), "yr": ("y", 1)}
_SAME_DAY = re.compile(r"\bsame (?:business |working )?day\b", re.I)
_EVERY = re.compile(r"\b(hourly|daily|nightly|weekly)\b", re.I)
# ODCS's standard SLA properties and the words that say which one a clause is about.
_SLA_WORDS = [
    ("timeToDetect", re.compile(r"detect|notic|alert|spot", re.I)),
    ("timeToNotify", re.compile(r"notif|acknowledg|respon|told|inform|report", re.I)),
    ("timeToRepair", re.compile(r"fix|repair|resolv|restor|solv", re.I)),
    ("latency", re.compile(r"latenc|delay|behind|lag|fresh|within .* of", re.I)),
    ("frequency", re.compile(r"every|each|hourly|daily|nightly|weekly|frequen|sync|refresh|run", re.I)),
]
TIMEZONES_ITEM = "data_model.timezones"
_SLA_ITEMS = ("contracts.sla", "contracts.incidents", "infrastructure.etl_support", "infrastructure.load_limits")


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
    labels = version != "3.1.0"
    document: dict[str, Any] = {
        "apiVersion": f"v{version}",
        "kind": "DataContract",
        "id": contract_id,
        "name": facts.name,
        "version": facts.version,
        "status": facts.status,
        "description": _compact(
            {"purpose": facts.description, "usage": f"Source system: {facts.source}" if facts.source else None}
        ),
        "servers": _servers(facts),
        "schema": [_object(table, names[table.ref], by_ref, labels) for table in facts.tables],
        "support": _support(facts),
        "team": _team(facts),
        "roles": _roles(facts),
        "slaProperties": service_levels(facts),
        "customProperties": [
            {"property": key, "value": value}
            for key, value in (("goLive", facts.go_live), ("timezones", _agreed(facts, TIMEZONES_ITEM)))
            if value
        ],
    }
    return _compact(document)


def _object_names(tables: list[Table]) -> dict[str, str]:
    """Object names: the table name, schema-qualified only where two schemas share it."""
    counts: dict[str, int] = {}
    for table in tables:
        counts[table.name] = counts.get(table.name, 0) + 1
    return {table.ref: table.name if counts[table.name] == 1 else f"{table.schema}_{table.name}" for table in tables}


def _object(table: Table, name: str, by_ref: dict[str, str], labels: bool) -> dict[str, Any]:
    keys = [column.name for column in table.columns if column.primary_key]
    custom = [
        {"property": key, "value": value}
        for key, value in (
            ("schema", table.schema),
            ("createdBy", table.created_by),
            ("updatedAtColumn", table.updated_at_column),
            ("deletion", table.deletion),
            ("softDeleteColumn", table.soft_delete_column),
            ("retention", table.retention),
            ("legacyMarker", table.legacy_marker),
            ("testDataMarker", table.test_data_marker),
            ("estimatedRows", table.estimated_rows),
            ("strict", table.strict or None),
            # What the checklist asked of this table alone (how its rows are deleted, where its history is kept, ...).
            ("checklistAnswers", [{"item": key, "answer": answer} for key, answer in table.answers] or None),
        )
        if value not in (None, "")
    ]
    return _compact(
        {
            "name": name,
            "physicalName": table.name,
            "physicalType": table.kind or "table",
            "logicalType": "object",
            "description": table.description,
            "properties": [_property(column, keys, by_ref, labels) for column in table.columns],
            "customProperties": custom,
        }
    )


def _property(column: Column, keys: list[str], by_ref: dict[str, str], labels: bool) -> dict[str, Any]:
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
    if column.value_set and labels:
        prop["enum"] = [_compact({"value": code, "label": meaning}) for code, meaning in column.value_set.items()]
    if column.json_schema:
        nested = _json_properties(column.json_schema)
        if nested:
            prop["properties"] = nested
    prop["quality"] = _rules(column)
    # The JSON schema in full (the nested properties above are its outline), so a contract test can validate with it.
    custom = (("default", column.default), ("generated", column.generated), ("jsonSchema", column.json_schema))
    prop["customProperties"] = [{"property": key, "value": value} for key, value in custom if value]
    return _compact(prop)


def _rules(column: Column) -> list[dict[str, Any]]:
    """Quality rules a contract test runs: not-null, unique, the value set and the check constraint."""
    rules = []
    if not column.nullable and not column.primary_key:
        rules.append(
            {
                "id": _stable_id(f"{column.name}_not_null"),
                "type": "library",
                "metric": "nullValues",
                "mustBe": 0,
                "dimension": "completeness",
                "description": f"{column.name} is always filled in",
            }
        )
    if column.unique and not column.primary_key:
        rules.append(
            {
                "id": _stable_id(f"{column.name}_unique"),
                "type": "library",
                "metric": "duplicateValues",
                "mustBe": 0,
                "dimension": "uniqueness",
                "description": f"{column.name} is unique",
            }
        )
    if column.value_set:
        listed = "; ".join(f"{code}: {meaning}" if meaning else code for code, meaning in column.value_set.items())
        rules.append(
            {
                "id": _stable_id(f"{column.name}_values"),
                "type": "library",
                "metric": "invalidValues",
                "arguments": {"validValues": list(column.value_set)},
                "mustBe": 0,
                "dimension": "conformity",
                "description": f"Allowed values - {listed}",
            }
        )
    check = _check_expression(column.check)
    if check:
        rules.append(
            {
                "id": _stable_id(f"{column.name}_check"),
                "type": "sql",
                "query": f"SELECT COUNT(*) FROM {{model}} WHERE NOT ({check})",
                "mustBe": 0,
                "dimension": "conformity",
                "description": f"Check constraint: {check}",
            }
        )
    return rules


def _check_expression(check: str | None) -> str | None:
    """The condition of a check constraint, without a leading CHECK and its outer parentheses."""
    if not check:
        return None
    text = one_line(check)
    text = re.sub(r"^(?:constraint\s+\S+\s+)?check\s*", "", text, flags=re.I)
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text or None


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return False
    return depth == 0


def _json_properties(schema_text: str) -> list[dict[str, Any]]:
    """A JSON schema's properties as nested ODCS properties."""
    try:
        schema = json.loads(schema_text)
    except ValueError:
        return []
    return _json_children(schema) if isinstance(schema, dict) else []


def _json_children(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required") or ()) if isinstance(schema.get("required"), list) else set()
    children = []
    for name, child in (schema.get("properties") or {}).items():
        if not isinstance(child, dict):
            continue
        kind = child.get("type")
        prop: dict[str, Any] = {
            "name": str(name),
            "logicalType": _JSON_TYPES.get(kind) if isinstance(kind, str) else None,
            "description": child.get("description") if isinstance(child.get("description"), str) else None,
            "required": True if name in required else None,
        }
        if isinstance(child.get("enum"), list):
            prop["customProperties"] = [{"property": "allowedValues", "value": json.dumps(child["enum"])}]
        if kind == "object" and isinstance(child.get("properties"), dict):
            prop["properties"] = _json_children(child)
        children.append(_compact(prop))
    return children


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


# -- servers -------------------------------------------------------------------------------------


def _engine(facts: ContractFacts) -> tuple[str, int | None] | None:
    """The database engine, from the agreed storage and hosting answers, the source, or an imported URL."""
    texts = [_agreed(facts, "infrastructure.storage_type"), _agreed(facts, "infrastructure.hosting"), facts.source]
    for text in texts:
        for engine, words, _schemes, port in _ENGINES:
            if text and words.search(text):
                return engine, port
    for url in _urls(facts, _ENVIRONMENT_ITEMS):
        found = _engine_of_url(url)
        if found:
            return found
    return None


def _engine_of_url(url: str) -> tuple[str, int | None] | None:
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower()
    for engine, _words, schemes, port in _ENGINES:
        if scheme in schemes:
            return engine, port
    return None


def _urls(facts: ContractFacts, keys: tuple[str, ...]) -> list[str]:
    """Connection URLs in the agreed answers of these items, then the URLs schemas were imported from."""
    found = [url for key in keys for url in _URL.findall(_agreed(facts, key) or "")]
    return found + [source for source in facts.sources if "://" in source]


def _connection(url: str) -> dict[str, Any]:
    """Host, port and database of a URL (never its user or password)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return {}
    database = parts.path.strip("/").split("/", 1)[0] or None
    return _compact({"host": parts.hostname, "port": port, "database": database})


def _servers(facts: ContractFacts) -> list[dict[str, Any]]:
    """One server per environment and schema; a server whose engine or connection is unknown is `custom`."""
    hosting = _agreed(facts, "infrastructure.hosting")
    engine = _engine(facts)
    schemas = list(dict.fromkeys(table.schema for table in facts.tables)) or [""]
    environments = [("production", "prod", _urls(facts, _ENVIRONMENT_ITEMS))]
    dev_urls = [url for url in _URL.findall(_agreed(facts, "infrastructure.environments") or "") if "dev" in url]
    if dev_urls:
        environments.append(("development", "dev", dev_urls))
    servers = []
    for name, environment, urls in environments:
        matching = [url for url in urls if engine is None or _engine_of_url(url) == engine]
        connection = _connection(matching[0]) if matching else {}
        if engine and engine[1] and connection.get("host"):
            connection.setdefault("port", engine[1])
        for schema in schemas:
            server = _compact(
                {
                    "id": _stable_id(f"{name}_{schema}" if len(schemas) > 1 else name),
                    "server": f"{name}-{schema}" if len(schemas) > 1 else name,
                    "environment": environment,
                    "description": hosting,
                }
            )
            details = {**connection, "schema": schema or None}
            if engine and (engine[0] not in _HOSTED or all(details.get(key) for key in ("host", "port", "database"))):
                if engine[0] == "postgres" and not details.get("schema"):
                    details["schema"] = "public"
                server["type"] = engine[0]
                server.update(_compact(details) if engine[0] in _HOSTED else {})
            elif hosting or engine or connection:
                server["type"] = "custom"
                server["customProperties"] = [
                    {"property": key, "value": value}
                    for key, value in (("engine", engine[0] if engine else None), *details.items())
                    if value not in (None, "")
                ]
            else:
                continue
            servers.append(_compact(server))
    return servers


# -- people, channels, access and service levels --------------------------------------------------------


def _team(facts: ContractFacts) -> dict[str, Any]:
    return _compact(
        {
            "name": f"{facts.name} integration",
            "members": [
                _compact(
                    {
                        "username": person.contact or person.name,
                        "name": person.name,
                        "role": person.role,
                        "description": person.responsibilities,
                        "customProperties": [
                            {"property": key, "value": value}
                            for key, value in (("team", person.team), ("pointOfContact", person.point_of_contact))
                            if value
                        ],
                    }
                )
                for person in facts.people
            ],
        }
    )


def _support(facts: ContractFacts) -> list[dict[str, Any]]:
    """Channels with their tool and address: chat channels, email addresses, ticket queues and links."""
    support = []
    for key, scope in (
        ("logistics.channels", "interactive"),
        ("logistics.standing_meeting", "interactive"),
        ("contracts.change_communication", "announcements"),
        ("contracts.incidents", "issues"),
    ):
        answer = _agreed(facts, key)
        if not answer:
            continue
        chat = "teams" if re.search(r"\bteams\b", answer, re.I) else "slack"
        entries = [{"channel": channel, "tool": chat} for channel in dict.fromkeys(_CHANNEL.findall(answer))]
        entries += [
            {"channel": address, "tool": "email", "url": f"mailto:{address}"}
            for address in dict.fromkeys(_EMAIL.findall(answer))
        ]
        queues = dict.fromkeys(first or second for first, second in _TICKETS.findall(answer))
        entries += [{"channel": f"{queue} tickets", "tool": "ticket"} for queue in queues]
        entries += [{"channel": url, "tool": "other", "url": url} for url in dict.fromkeys(_WEB.findall(answer))]
        if not entries:
            entries = [{"channel": key.split(".", 1)[1].replace("_", " "), "tool": "other"}]
        for entry in entries:
            support.append(
                {"id": _stable_id(f"{key}_{entry['channel']}"), **entry, "scope": scope, "description": answer}
            )
    return support


def _roles(facts: ContractFacts) -> list[dict[str, Any]]:
    """The account the pipeline reads with, from the agreed access answers."""
    accounts = _agreed(facts, "infrastructure.accounts")
    permissions = _agreed(facts, "infrastructure.permissions")
    if not accounts and not permissions:
        return []
    users = [urlsplit(url).username for url in _urls(facts, _ENVIRONMENT_ITEMS) if "://" in url]
    user = next((name for name in users if name), None)
    read_only = bool(re.search(r"read[- ]only|select only|no writes?", permissions or accounts or "", re.I))
    return [
        _compact(
            {
                "id": "pipeline",
                "role": user or "read-only service account",
                "access": "read" if read_only or not permissions else "write",
                "description": " ".join(part for part in (accounts, permissions) if part),
            }
        )
    ]


def duration(text: str) -> tuple[float | int, str] | None:
    """The first span of time a sentence names ("two business days", "same day", "hourly"), in an ODCS unit."""
    match = _DURATION.search(text)
    if match:
        amount = match.group("n").lower()
        number = _NUMBERS.get(amount) or float(amount)
        unit_word = match.group("unit").lower()
        for stem, (unit, factor) in _UNITS.items():
            if unit_word.startswith(stem):
                value = number * factor
                return (int(value) if float(value).is_integer() else value), unit
    if _SAME_DAY.search(text):
        return 1, "d"
    every = _EVERY.search(text)
    if every:
        return {"hourly": (1, "h"), "daily": (1, "d"), "nightly": (1, "d"), "weekly": (7, "d")}[every.group(1).lower()]
    return None


def service_levels(facts: ContractFacts) -> list[dict[str, Any]]:
    """ODCS's standard service-level properties, each with its value and unit, from the agreed answers."""
    found: dict[str, dict[str, Any]] = {}
    for key in _SLA_ITEMS:
        answer = _agreed(facts, key)
        for clause in re.split(r"[;.]\s+|,\s+(?:and\s+)?|\s+and\s+", answer or ""):
            span = duration(clause)
            if not span:
                continue
            for name, words in _SLA_WORDS:
                if name not in found and words.search(clause):
                    value, unit = span
                    found[name] = {"property": name, "value": value, "unit": unit, "description": clause.strip()}
                    break
    retention = _agreed(facts, "data_flow.retention")
    span = duration(retention or "")
    if span:
        found["retention"] = {"property": "retention", "value": span[0], "unit": span[1]}
        found["retention"]["description"] = retention
    order = [name for name, _ in _SLA_WORDS[:3]] + ["latency", "frequency", "retention"]
    properties = [{"id": _stable_id(name), **found[name]} for name in order if name in found]
    if facts.go_live:
        properties.append(
            {
                "id": "generalAvailability",
                "property": "generalAvailability",
                "value": facts.go_live,
                "description": "go-live",
            }
        )
    return properties


def render_odcs(facts: ContractFacts, contract_id: str, version: str = "3.1.0") -> str:
    return dump(odcs_document(facts, contract_id, version))
