"""The classifier, table-driven: each change to a contract with its kind and its impact on consumer and producer.

Each row starts from the same small agreed contract (an orders table and a customers table), changes one thing,
and names what the rules say: a NOT NULL column becoming nullable breaks the warehouse's models, a column
becoming NOT NULL breaks the producer's existing rows, and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from tui.agreement import Agreement
from tui.changes.classify import compare, field_changes
from tui.changes.model import Bump, Change, Impact, Kind, bump_of
from tui.export.contract import Column, Table
from tui.versions import decode_column, decode_table

pytestmark = pytest.mark.core

B, W, N = Impact.BREAKING, Impact.WARNING, Impact.INFO  # N: nothing to fear, information only


def column(name: str, type: str | None = "integer", **values) -> Column:
    """A column with only the given facts agreed, as a stored contract version reads back."""
    return decode_column({"name": name, "type": type, **values})


def table(name: str, columns: list[Column], schema: str = "shop", **values) -> Table:
    """A table with only the given facts agreed, as a stored contract version reads back."""
    return replace(decode_table({"schema": schema, "name": name, **values}), columns=tuple(columns))


STATUS = {"pending": "Waiting for payment", "paid": "Payment captured"}
SCHEMA = '{"type": "object", "properties": {"sku": {"type": "string"}}}'


def base() -> Agreement:
    orders = table(
        "orders",
        [
            column("id", "bigint", nullable=False, primary_key=True),
            column("customer_id", "bigint", nullable=False, foreign_key="shop.customers.id"),
            column("status", "text", nullable=False, value_set=dict(STATUS), default="'pending'"),
            column("total", "numeric(10,2)", nullable=False, check="total >= 0"),
            column("note", "varchar(20)", description="Free text from the customer"),
            column("paid_at", "timestamp"),
            column("email", "varchar(200)", classification="internal"),
            column("items", "jsonb", json_schema=SCHEMA),
            column("code", "char(3)", unique=True),
            column("rank", "smallint", generated="row_number()"),
            column("updated_at", "timestamp(3)", nullable=False),
            column("score", "real"),
            column("body", "text"),
        ],
        description="One row per order.",
        deletion="soft",
        updated_at_column="updated_at",
        soft_delete_column="deleted_at",
        retention="7 years",
    )
    customers = table("customers", [column("id", "bigint", nullable=False, primary_key=True)])
    return Agreement(
        "Orders", "1.0.0", (orders, customers), timezones="timestamp with time zone, UTC", latency_seconds=3600
    )


def edit_column(name: str, **values) -> Callable[[Agreement], Agreement]:
    def edit(agreement: Agreement) -> Agreement:
        tables = []
        for each in agreement.tables:
            if each.name == "orders":
                each = replace(each, columns=tuple(replace(c, **values) if c.name == name else c for c in each.columns))
            tables.append(each)
        return replace(agreement, tables=tuple(tables))

    return edit


def edit_orders(**values) -> Callable[[Agreement], Agreement]:
    def edit(agreement: Agreement) -> Agreement:
        return replace(
            agreement, tables=tuple(replace(t, **values) if t.name == "orders" else t for t in agreement.tables)
        )

    return edit


def add_column(new: Column) -> Callable[[Agreement], Agreement]:
    def edit(agreement: Agreement) -> Agreement:
        orders = agreement.tables[0]
        return replace(agreement, tables=(replace(orders, columns=(*orders.columns, new)), *agreement.tables[1:]))

    return edit


def drop_columns(*names: str) -> Callable[[Agreement], Agreement]:
    def edit(agreement: Agreement) -> Agreement:
        orders = agreement.tables[0]
        kept = tuple(c for c in orders.columns if c.name not in names)
        return replace(agreement, tables=(replace(orders, columns=kept), *agreement.tables[1:]))

    return edit


def both(*edits: Callable[[Agreement], Agreement]) -> Callable[[Agreement], Agreement]:
    def edit(agreement: Agreement) -> Agreement:
        for each in edits:
            agreement = each(agreement)
        return agreement

    return edit


def add_table(agreement: Agreement) -> Agreement:
    return replace(agreement, tables=(*agreement.tables, table("refunds", [column("id")])))


def drop_customers(agreement: Agreement) -> Agreement:
    return replace(agreement, tables=agreement.tables[:1])


# (what changes, the edit, expected kind, consumer impact, producer impact)
CASES: list[tuple[str, Callable[[Agreement], Agreement], Kind, Impact, Impact]] = [
    ("a table is added", add_table, Kind.TABLE_ADDED, N, N),
    ("a table is removed", drop_customers, Kind.TABLE_REMOVED, B, N),
    ("a nullable column is added", add_column(column("coupon", "text")), Kind.COLUMN_ADDED, N, N),
    (
        "a NOT NULL column without a default is added",
        add_column(column("channel", "text", nullable=False)),
        Kind.COLUMN_ADDED,
        N,
        B,
    ),
    (
        "a NOT NULL column with a default is added",
        add_column(column("channel", "text", nullable=False, default="'web'")),
        Kind.COLUMN_ADDED,
        N,
        N,
    ),
    ("a column is removed", drop_columns("paid_at"), Kind.COLUMN_REMOVED, B, N),
    (
        "a column is dropped and one of the same type added",
        both(drop_columns("total"), add_column(column("amount", "numeric(10,2)", nullable=False))),
        Kind.POSSIBLE_RENAME,
        B,
        N,
    ),
    ("integer to bigint", edit_column("rank", type="integer"), Kind.TYPE_WIDENED, B, N),
    ("a longer varchar", edit_column("note", type="varchar(50)"), Kind.TYPE_WIDENED, B, N),
    ("varchar to text", edit_column("email", type="text"), Kind.TYPE_WIDENED, B, N),
    ("more digits before the point", edit_column("total", type="numeric(12,2)"), Kind.TYPE_WIDENED, B, N),
    ("finer fractional seconds", edit_column("updated_at", type="timestamp(6)"), Kind.TYPE_WIDENED, B, N),
    ("real to double precision", edit_column("score", type="double precision"), Kind.TYPE_WIDENED, B, N),
    ("bigint to integer", edit_column("customer_id", type="integer"), Kind.TYPE_NARROWED, N, B),
    ("text to varchar(10)", edit_column("body", type="varchar(10)"), Kind.TYPE_NARROWED, N, B),
    ("fewer digits before the point", edit_column("total", type="numeric(8,2)"), Kind.TYPE_NARROWED, N, B),
    ("a shorter varchar", edit_column("note", type="varchar(10)"), Kind.TYPE_NARROWED, N, B),
    ("integer to text", edit_column("rank", type="text"), Kind.TYPE_CHANGED, B, B),
    ("timestamp to timestamptz", edit_column("paid_at", type="timestamptz"), Kind.TYPE_CHANGED, B, B),
    ("more digits, fewer decimals", edit_column("total", type="numeric(12,1)"), Kind.TYPE_CHANGED, B, B),
    ("varchar to a fixed char", edit_column("note", type="char(20)"), Kind.TYPE_CHANGED, B, B),
    ("NOT NULL becomes nullable", edit_column("status", nullable=True), Kind.NULLABILITY_RELAXED, B, N),
    ("nullable becomes NOT NULL", edit_column("paid_at", nullable=False), Kind.NULLABILITY_TIGHTENED, N, B),
    ("the primary key gains a column", edit_column("code", primary_key=True), Kind.PRIMARY_KEY_CHANGED, B, B),
    ("a column becomes unique", edit_column("email", unique=True), Kind.UNIQUE_ADDED, N, B),
    ("a column stops being unique", edit_column("code", unique=False), Kind.UNIQUE_REMOVED, B, N),
    ("a foreign key is added", edit_column("rank", foreign_key="shop.customers.id"), Kind.FOREIGN_KEY_ADDED, N, B),
    ("a foreign key is dropped", edit_column("customer_id", foreign_key=None), Kind.FOREIGN_KEY_REMOVED, B, N),
    (
        "a foreign key points elsewhere",
        edit_column("customer_id", foreign_key="crm.people.id"),
        Kind.FOREIGN_KEY_CHANGED,
        B,
        B,
    ),
    (
        "a new status value",
        edit_column("status", value_set={**STATUS, "on_hold": "Held for review"}),
        Kind.VALUES_ADDED,
        B,
        N,
    ),
    (
        "a status value taken out",
        edit_column("status", value_set={"paid": "Payment captured"}),
        Kind.VALUES_REMOVED,
        N,
        B,
    ),
    (
        "a value means something else",
        edit_column("status", value_set={**STATUS, "paid": "Payment authorised"}),
        Kind.VALUE_MEANINGS_CHANGED,
        N,
        N,
    ),
    ("a list of values is agreed", edit_column("body", value_set={"a": None}), Kind.VALUE_SET_ADDED, N, B),
    ("the list of values is dropped", edit_column("status", value_set={}), Kind.VALUE_SET_REMOVED, B, N),
    ("another default", edit_column("status", default="'paid'"), Kind.DEFAULT_CHANGED, W, N),
    ("a default is added", edit_column("note", default="''"), Kind.DEFAULT_CHANGED, W, N),
    ("another generation rule", edit_column("rank", generated="dense_rank()"), Kind.GENERATED_CHANGED, W, N),
    ("a check is added", edit_column("score", check="score >= 0"), Kind.CHECK_ADDED, N, B),
    ("a check is dropped", edit_column("total", check=None), Kind.CHECK_REMOVED, W, N),
    ("a check changes", edit_column("total", check="total > 0"), Kind.CHECK_CHANGED, W, W),
    (
        "a check that lists values is added",
        edit_column("note", check="note IN ('a', 'b')"),
        Kind.CHECK_ADDED,
        N,
        B,
    ),
    ("a classification changes", edit_column("email", classification="pii"), Kind.CLASSIFICATION_CHANGED, W, N),
    ("a column's description", edit_column("note", description="Gift message"), Kind.DESCRIPTION_CHANGED, N, N),
    ("a table's description", edit_orders(description="Orders, paid or not."), Kind.DESCRIPTION_CHANGED, N, N),
    ("a JSON schema changes", edit_column("items", json_schema='{"type": "array"}'), Kind.JSON_SCHEMA_CHANGED, W, W),
    ("soft deletes become hard", edit_orders(deletion="hard"), Kind.DATA_FLOW_CHANGED, B, N),
    ("another updated-at column", edit_orders(updated_at_column="paid_at"), Kind.DATA_FLOW_CHANGED, B, N),
    ("the updated-at column is dropped", edit_orders(updated_at_column=None), Kind.DATA_FLOW_CHANGED, B, N),
    ("another soft-delete column", edit_orders(soft_delete_column="removed_at"), Kind.DATA_FLOW_CHANGED, B, N),
    ("another retention", edit_orders(retention="90 days"), Kind.DATA_FLOW_CHANGED, W, N),
    ("a test-data marker is recorded", edit_orders(test_data_marker="is_test"), Kind.DATA_FLOW_CHANGED, W, N),
    ("the table becomes strict", edit_orders(strict=True), Kind.DATA_FLOW_CHANGED, N, B),
    (
        "timestamps lose their time zone",
        lambda a: replace(a, timezones="naive, local time"),
        Kind.DATA_FLOW_CHANGED,
        B,
        B,
    ),
    ("the data may lag more", lambda a: replace(a, latency_seconds=86400), Kind.SERVICE_LEVEL_CHANGED, W, N),
    ("the data must lag less", lambda a: replace(a, latency_seconds=60), Kind.SERVICE_LEVEL_CHANGED, N, W),
]


@pytest.mark.parametrize(("what", "edit", "kind", "consumer", "producer"), CASES, ids=[case[0] for case in CASES])
def test_each_change_has_its_kind_and_both_impacts(
    what: str, edit: Callable[[Agreement], Agreement], kind: Kind, consumer: Impact, producer: Impact
) -> None:
    changes = compare(base(), edit(base()))
    assert [(c.kind, c.consumer, c.producer) for c in changes] == [(kind, consumer, producer)], changes


def test_there_are_at_least_forty_rules_in_the_table() -> None:
    assert len(CASES) >= 40
    assert {case[2] for case in CASES} == set(Kind), "every kind has a row"


@pytest.mark.parametrize(
    ("old", "new"),
    [("integer", "int4"), ("character varying(20)", "varchar(20)"), ("serial", "integer"), ("bool", "boolean")],
)
def test_a_type_spelled_another_way_is_no_change(old: str, new: str) -> None:
    assert compare(base(), edit_column("rank", type=old)(base())) != []
    assert compare(edit_column("rank", type=old)(base()), edit_column("rank", type=new)(base())) == []


def test_a_default_spelled_another_way_is_no_change() -> None:
    assert compare(base(), edit_column("status", default="'pending'::text")(base())) == []


def test_two_same_states_have_no_changes_and_no_version() -> None:
    assert compare(base(), base()) == []
    assert bump_of([]) is None


def test_nothing_agreed_before_means_everything_is_added() -> None:
    changes = compare(None, base())
    assert [c.kind for c in changes] == [Kind.TABLE_ADDED, Kind.TABLE_ADDED]
    assert bump_of(changes) is Bump.MINOR


def _change(kind: Kind, consumer: Impact) -> Change:
    return Change(kind, "shop.orders", "x", consumer, N, "")


@pytest.mark.parametrize(
    ("changes", "bump"),
    [
        ([_change(Kind.DESCRIPTION_CHANGED, N)], Bump.PATCH),
        ([_change(Kind.DESCRIPTION_CHANGED, N), _change(Kind.VALUE_MEANINGS_CHANGED, N)], Bump.PATCH),
        ([_change(Kind.DESCRIPTION_CHANGED, N), _change(Kind.COLUMN_ADDED, N)], Bump.MINOR),
        ([_change(Kind.DEFAULT_CHANGED, W)], Bump.MINOR),
        ([_change(Kind.COLUMN_ADDED, N), _change(Kind.NULLABILITY_RELAXED, B)], Bump.MAJOR),
    ],
)
def test_the_version_step_follows_from_the_changes(changes: list[Change], bump: Bump) -> None:
    assert bump_of(changes) is bump


def test_only_schema_facts_count_against_a_database() -> None:
    """A schema read from DDL says nothing of descriptions, classifications, value meanings or data flow."""
    agreed = base()
    orders = agreed.tables[0]
    plain = tuple(
        replace(c, description=None, classification=None, value_set={}, json_schema=None) for c in orders.columns
    )
    schema = replace(
        agreed,
        tables=(replace(orders, description=None, deletion=None, retention=None, columns=plain), agreed.tables[1]),
        timezones=None,
        latency_seconds=None,
    )
    assert compare(agreed, schema, schema_only=True) == []
    assert [c.kind for c in compare(agreed, edit_column("status", nullable=True)(schema), schema_only=True)] == [
        Kind.NULLABILITY_RELAXED
    ]


@pytest.mark.parametrize(
    ("field", "old", "new", "kind", "consumer", "producer"),
    [
        ("nullable", False, True, Kind.NULLABILITY_RELAXED, B, N),
        ("type", "integer", "bigint", Kind.TYPE_WIDENED, B, N),
        ("value_set", {"a": ""}, {"a": "", "b": ""}, Kind.VALUES_ADDED, B, N),
        ("foreign_key", "shop.customers.id", None, Kind.FOREIGN_KEY_REMOVED, B, N),
        ("primary_key", False, True, Kind.PRIMARY_KEY_CHANGED, B, B),
        ("json_schema", {"type": "object"}, {"type": "array"}, Kind.JSON_SCHEMA_CHANGED, W, W),
    ],
)
def test_one_stored_field_is_judged_by_the_same_rules(field, old, new, kind, consumer, producer) -> None:
    """How the change log and a re-import see a change: one field of one column, as the store keeps it."""
    assert [(c.kind, c.consumer, c.producer) for c in field_changes("shop.orders", "x", field, old, new)] == [
        (kind, consumer, producer)
    ]
    assert field_changes("shop.orders", "x", field, old, old) == []


@pytest.mark.parametrize(
    ("old", "new", "kind", "consumer", "producer"),
    [
        ("status IN ('a', 'b')", "status IN ('a', 'b', 'c')", Kind.VALUES_ADDED, B, N),
        ("status IN ('a', 'b')", "(status in ('a'))", Kind.VALUES_REMOVED, N, B),
        (
            "status IN ('a', 'b')",
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying,"
            " 'c'::character varying])::text[]))",
            Kind.VALUES_ADDED,
            B,
            N,
        ),
        ("status IN ('a', 'b')", "status <> ''", Kind.CHECK_CHANGED, W, W),
    ],
)
def test_a_check_that_lists_values_is_judged_as_a_value_set(old, new, kind, consumer, producer) -> None:
    assert [(c.kind, c.consumer, c.producer) for c in field_changes("t", "status", "check_constraint", old, new)] == [
        (kind, consumer, producer)
    ]
