"""A small shop database for `dayone check`: its agreed contract, its tables in each engine, clean data and breaks.

The same rows go into SQLite, PostgreSQL and MariaDB; `LOOSE` tables declare only primary keys, so every data
rule has to be found by a scan, and `TIGHT` ones declare every constraint the engine can enforce, so the catalog
proves them. `VIOLATIONS` breaks each rule a known number of times.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import column, create_engine, insert, table, text

PLAN = """\
dayone: 1
integrations:
- name: Shop
  source: shop service
  checklist:
    data_model.timezones: {{status: agreed, answer: "{zones}"}}
    contracts.sla: {{status: agreed, answer: "Data at most 2 hours behind; fixes within two days"}}
  tables:
  - name: customers
    updated_at_column: updated_at
    test_data_marker: is_test
    columns:
    - {{name: id, type: integer, primary_key: true, nullable: false}}
    - {{name: email, type: varchar(200), nullable: false, unique: true, classification: pii}}
    - name: country
      type: char(2)
      values: {{DE: Germany, FR: France, NL: Netherlands}}
    - {{name: created_at, type: {ts}, nullable: false}}
    - {{name: updated_at, type: {ts}}}
    - {{name: is_test, type: boolean}}
  - name: orders
    test_data_marker: order_number starting with 'TEST-'
    columns:
    - {{name: id, type: integer, primary_key: true, nullable: false}}
    - {{name: customer_id, type: integer, nullable: false, references: customers.id}}
    - name: status
      type: varchar(20)
      nullable: false
      values: {{pending: waiting for payment, paid: paid, shipped: on its way}}
    - {{name: order_number, type: varchar(30)}}
    - {{name: placed_at, type: {ts}}}
    - name: details
      type: json
      json_schema: {{type: object, required: [items], properties: {{items: {{type: integer, minimum: 1}}}}}}
  - name: order_lines
    columns:
    - {{name: order_id, type: integer, primary_key: true, nullable: false, references: orders.id}}
    - {{name: line_no, type: integer, primary_key: true, nullable: false}}
    - {{name: quantity, type: integer, nullable: false}}
"""
ZONED = "timestamp with time zone, UTC everywhere"
NAIVE = "naive timestamps, UTC by convention"

# The agreed time stamp type, and the one each engine's tables use.
TIMESTAMPS = {"sqlite": "timestamptz", "postgresql": "timestamptz", "mysql": "varchar(40)"}
JSON_TYPES = {"sqlite": "json", "postgresql": "json", "mysql": "json"}
BOOLEAN = {"sqlite": "boolean", "postgresql": "boolean", "mysql": "boolean"}


def plan(dialect: str) -> str:
    """The agreed contract for the tables as the engine holds them (MariaDB keeps time stamps as text)."""
    zones = ZONED if dialect != "mysql" else NAIVE
    return PLAN.format(zones=zones, ts=TIMESTAMPS[dialect])


def ddl(dialect: str, tight: bool) -> list[str]:
    ts, js, flag = TIMESTAMPS[dialect], JSON_TYPES[dialect], BOOLEAN[dialect]
    nn = " NOT NULL" if tight else ""
    uq = " UNIQUE" if tight else ""
    status_check = " CHECK (status IN ('pending', 'paid', 'shipped'))" if tight else ""
    fk = " REFERENCES customers (id)" if tight else ""
    line_key = ", PRIMARY KEY (order_id, line_no)" if tight else ""
    return [
        f"CREATE TABLE customers (id integer PRIMARY KEY, email varchar(200){nn}{uq}, country char(2),"
        f" created_at {ts}{nn}, updated_at {ts}, is_test {flag})",
        f"CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer{nn}{fk},"
        f" status varchar(20){nn}{status_check}, order_number varchar(30), placed_at {ts}, details {js})",
        f"CREATE TABLE order_lines (order_id integer NOT NULL, line_no integer NOT NULL, quantity integer{nn}"
        f"{line_key})",
    ]


def _stamp(dialect: str, moment: datetime) -> Any:
    return moment if dialect == "postgresql" else moment.isoformat()


def _json(dialect: str, value: Any) -> Any:
    import json

    return json.dumps(value)


def rows(dialect: str, now: datetime, customers: int = 50, orders: int = 200) -> dict[str, list[dict[str, Any]]]:
    """Clean data: every rule holds, the newest change an hour old, no test rows."""
    recent = now - timedelta(hours=1)
    found: dict[str, list[dict[str, Any]]] = {"customers": [], "orders": [], "order_lines": []}
    for n in range(1, customers + 1):
        found["customers"].append(
            {
                "id": n,
                "email": f"person{n}@example.com",
                "country": ("DE", "FR", "NL")[n % 3],
                "created_at": _stamp(dialect, recent - timedelta(days=n)),
                "updated_at": _stamp(dialect, recent - timedelta(minutes=n)),
                "is_test": False,
            }
        )
    for n in range(1, orders + 1):
        found["orders"].append(
            {
                "id": n,
                "customer_id": 1 + n % customers,
                "status": ("pending", "paid", "shipped")[n % 3],
                "order_number": f"O-{n:05}",
                "placed_at": _stamp(dialect, recent - timedelta(hours=n)),
                "details": _json(dialect, {"items": 1 + n % 4}),
            }
        )
        for line in (1, 2):
            found["order_lines"].append({"order_id": n, "line_no": line, "quantity": line})
    return found


# Each kind of break, how many rows it adds or changes, and the rule and column that must find exactly that many.
VIOLATIONS: dict[str, int] = {
    "not null customers.email": 2,
    "unique customers.email": 3,
    "value set customers.country": 4,
    "value set orders.status": 5,
    "relationship orders.customer_id": 6,
    "time zone orders.placed_at": 7,
    "json schema orders.details": 2,
    "unique order_lines": 3,
    "test data customers.is_test": 3,
    "test data orders.order_number": 2,
}


def break_rows(dialect: str, data: dict[str, list[dict[str, Any]]], now: datetime) -> None:
    """Inject every violation of VIOLATIONS into clean rows, and make the data five hours stale."""
    customers, orders, lines = data["customers"], data["orders"], data["order_lines"]
    for row in customers[:2]:
        row["email"] = None
    for index, row in enumerate(customers[10:13]):
        row["email"] = customers[20 + index]["email"]
    for row in customers[30:34]:
        row["country"] = "XX"
    for row in customers[40:43]:
        row["is_test"] = True
    for row, status in zip(orders[:5], ("refunded", "refunded", "refunded", "refunded", "lost"), strict=True):
        row["status"] = status
    for row in orders[10:16]:
        row["customer_id"] = 9999
    if dialect == "sqlite":
        for row in orders[20:27]:
            row["placed_at"] = row["placed_at"][:19]  # the offset cut off
    for row, details in zip(orders[30:32], ({"items": 0}, {"note": "no items"}), strict=True):
        row["details"] = _json(dialect, details)
    for row in orders[40:42]:
        row["order_number"] = f"TEST-{row['id']}"
    lines.extend({"order_id": n, "line_no": 1, "quantity": 9} for n in (1, 2, 3))
    stale = now - timedelta(hours=5)
    for n, row in enumerate(customers):
        row["updated_at"] = _stamp(dialect, stale - timedelta(minutes=n))


def fill(url: str, dialect: str, *, tight: bool, broken: bool, now: datetime | None = None) -> None:
    """Create the shop's tables in an empty database and fill them."""
    now = now or datetime.now(UTC)
    data = rows(dialect, now)
    if broken:
        break_rows(dialect, data, now)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in ddl(dialect, tight):
                connection.execute(text(statement))
            for name, values in data.items():
                clause = table(name, *(column(key) for key in values[0]))
                connection.execute(insert(clause), values)
    finally:
        engine.dispose()
