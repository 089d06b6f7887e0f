"""The masking layer on its own: every kind of credential, the text around it, and where it was found."""

from __future__ import annotations

from itertools import pairwise

import pytest
from credentials import CREDENTIALS

from tui.secrets import MASK, Masker, drop_controls, find_secrets, mask_secrets

pytestmark = pytest.mark.core


@pytest.mark.parametrize(("text", "secret"), CREDENTIALS, ids=[text[:30] for text, _ in CREDENTIALS])
def test_every_kind_is_masked(text: str, secret: str) -> None:
    masked, kinds = mask_secrets(text)
    assert secret not in masked and MASK in masked
    assert kinds
    # Masking is stable: masked text has nothing left to mask.
    assert mask_secrets(masked) == (masked, [])


@pytest.mark.parametrize(
    "text",
    [
        "primary_key: true, foreign_key: orders.id",
        "bypass: true",
        "This is a secret sauce recipe",
        "status_key = pending_verification",
        "https://docs.example.com:8443/people/jo@example.com",
        "mailto:jo@example.com",
        "https://github.com/greenhollow/identity/blob/main/README.md",
        "Passwords rotate every 90 days; rotations are announced in #garden-club-data.",
        "customer_lifetime_value_in_minor_units",
        "timestamp with time zone",
    ],
)
def test_ordinary_text_stays_readable(text: str) -> None:
    assert mask_secrets(text) == (text, [])


def test_the_text_around_a_credential_stays() -> None:
    masked, kinds = mask_secrets("Loader: postgresql://etl:Fern@Moss/42@db.internal:5432/identity, read replica")
    assert masked == f"Loader: postgresql://etl:{MASK}@db.internal:5432/identity, read replica"
    assert kinds == ["a password in a connection string"]
    block = "before\n-----BEGIN PGP PRIVATE KEY BLOCK-----\nabc\n-----END PGP PRIVATE KEY BLOCK-----\nafter"
    assert mask_secrets(block)[0] == f"before\n{MASK}\nafter"


def test_spans_never_overlap() -> None:
    hits = find_secrets("password=postgresql://a:b@c/d token: ghp_0123456789abcdefghijABCDEFGHIJklmnopqr")
    assert all(left.end <= right.start for left, right in pairwise(hits))


def test_control_characters_are_dropped_line_breaks_kept() -> None:
    assert (
        drop_controls("bell\x07 esc\x1b[2J back\x08 c1\x9b del\x7f\nnext\tcell")
        == "bell esc[2J back c1 del\nnext\tcell"
    )


def test_the_walk_masks_every_string_and_key_and_says_where() -> None:
    mask = Masker()
    tree = {
        "name": "Orders",
        "tables": [{"name": "t", "values": {"token=abcd1234": "fine", "ok": "password=Hunter-Two-22\x1b"}}],
    }
    walked = mask.walk(tree, "Orders")
    assert walked["tables"][0]["values"] == {f"token={MASK}": "fine", "ok": f"password={MASK}"}
    assert mask.warnings == [
        "masked a password assignment in Orders: tables[t].values (a key)",
        "masked a password assignment in Orders: tables[t].values.ok",
    ]
    assert tree["tables"][0]["values"]["ok"].startswith("password=Hunter")  # the original is left alone
