"""How a live column's type stands to the agreed one: the same, narrower (every value fits) or wider."""

from __future__ import annotations

import pytest

from tui.check.types import Fit, compare
from tui.importers.spelling import normal_type

pytestmark = pytest.mark.core


@pytest.mark.parametrize(
    ("agreed", "live", "dialect", "fit"),
    [
        ("integer", "int4", "postgres", Fit.SAME),
        ("int4", "int(11)", "mysql", Fit.SAME),
        ("integer", "bigint", "postgres", Fit.WIDER),
        ("bigint", "smallint", "postgres", Fit.NARROWER),
        ("int", "int unsigned", "mysql", Fit.WIDER),
        ("varchar(200)", "character varying(100)", "postgres", Fit.NARROWER),
        ("varchar(20)", "text", "postgres", Fit.WIDER),
        ("char(2)", "varchar(2)", "postgres", Fit.SAME),
        ("numeric(10,2)", "decimal(12,2)", "mysql", Fit.WIDER),
        ("numeric(10,2)", "numeric(12,1)", "postgres", Fit.OTHER),
        ("real", "double precision", "postgres", Fit.WIDER),
        ("timestamptz", "timestamp(6) with time zone", "postgres", Fit.SAME),
        ("timestamp", "datetime", "mysql", Fit.SAME),
        ("timestamptz", "timestamp", "postgres", Fit.OTHER),
        ("jsonb", "json", "postgres", Fit.SAME),
        ("uuid", "char(36)", "mysql", Fit.OTHER),
        ("integer", "text", "postgres", Fit.OTHER),
    ],
)
def test_types_compare_in_their_normal_form(agreed: str, live: str, dialect: str, fit: Fit) -> None:
    assert compare(agreed, normal_type(live, dialect)) == fit
