"""Every closed set of values in a workspace, in the words users read and write.

The string value of each member is what the database stores, the plan YAML
contains and the screens show, so there is exactly one spelling of each.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PRODUCT_MANAGER = "product manager"
    ENGINEERING_LEAD = "engineering lead"
    PROJECT_MANAGER = "project manager"
    DATA_ENGINEER = "data engineer"
    ANALYST = "analyst"
    OTHER = "other"


class Team(StrEnum):
    SOFTWARE = "software"
    DATA = "data"
    BUSINESS = "business"


class Priority(StrEnum):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"


class Timeline(StrEnum):
    DAY_1 = "day 1"
    WEEK_1 = "week 1"
    MONTH_1 = "month 1"
    LATER = "later"


class MetricStatus(StrEnum):
    WANTED = "wanted"
    DATA_AVAILABLE = "data available"
    BUILT = "built"
    DROPPED = "dropped"


class ItemStatus(StrEnum):
    OPEN = "open"
    DISCUSSING = "discussing"
    AGREED = "agreed"
    BLOCKED = "blocked"
    NOT_APPLICABLE = "not applicable"

    @property
    def settled(self) -> bool:
        """Whether the item needs no more discussion."""
        return self in (ItemStatus.AGREED, ItemStatus.NOT_APPLICABLE)


class NoteKind(StrEnum):
    NOTE = "note"
    TODO = "todo"
    QUESTION = "question"
    DECISION = "decision"


class Deletion(StrEnum):
    HARD = "hard"
    SOFT = "soft"
    NONE = "none"


class ContractStatus(StrEnum):
    """The lifecycle words of the Open Data Contract Standard."""

    PROPOSED = "proposed"
    DRAFT = "draft"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class Scope(StrEnum):
    INTEGRATION = "integration"
    TABLE = "table"


class CheckStatus(StrEnum):
    """How one rule of the agreed contract fared against the live database (`dayone check`)."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    PROVEN = "proven"  # the database enforces it with a validated constraint: nothing was scanned
    SAMPLED = "sampled"  # no violation in a sample: can find, cannot prove


class CheckRule(StrEnum):
    """The rules `dayone check` holds a live database to, in the order it reports them for a table."""

    TABLE = "table"
    COLUMN = "column"
    TYPE = "type"
    PRIMARY_KEY = "primary key"
    FOREIGN_KEY = "foreign key"
    EXTRA_COLUMN = "extra column"
    NOT_NULL = "not null"
    UNIQUE = "unique"
    VALUE_SET = "value set"
    RELATIONSHIP = "relationship"
    TIME_ZONE = "time zone"
    JSON_SCHEMA = "json schema"
    FRESHNESS = "freshness"
    TEST_DATA = "test data"


class Enforcement(StrEnum):
    """What established a rule's result: the database's own constraint, or a check query dayone ran."""

    CONSTRAINT = "constraint"
    CHECK = "check"


def choices(enum: type[StrEnum]) -> str:
    """The allowed values, for error messages: 'must, should, could'."""
    return ", ".join(member.value for member in enum)


# The versions of the Open Data Contract Standard the ODCS export writes; the first is the default.
ODCS_VERSIONS = ("3.1.0", "3.2.0")
