"""One sample of every kind of credential the masking layer must catch, and the part of it that must never leak.

Shared by the masking tests, the hostile-content export tests and the share-mode screen tests.
"""

from __future__ import annotations

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJsZWFmLWV0bCIsImV4cCI6MTk5OTk5OTk5OX0"
    ".Qx3mV7yWl0nJ2c5aB8dE1fG4hK6jL9pR0sT2uV5wX8z"
)
# (text as someone would write it, the secret part that must not appear anywhere)
CREDENTIALS: list[tuple[str, str]] = [
    ("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE1", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE1"),
    ("key id AKIAIOSFODNN7QX4MPLE", "AKIAIOSFODNN7QX4MPLE"),
    ("the aws secret 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 rotates", "Tq8vXz3Lp0Wm4Rn7Ys2Kb9Hd6Jf1Gc5Na3Ee8Ui0"),
    ("DB_PASSWORD=Oak-Root-7731", "Oak-Root-7731"),
    ("export PGPASSWORD=Birch_Sap_9902", "Birch_Sap_9902"),
    (f"Authorization: Bearer {JWT}", JWT.split(".")[1]),
    ("Authorization: Bearer 9f8e7d6c5b4a39281706opaqueTokenValue", "9f8e7d6c5b4a39281706opaqueTokenValue"),
    (
        "alerts go to https://hooks.slack.com/services/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",
        "q1w2e3r4t5y6u7i8o9p0a1s2",
    ),
    (
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGVwPGPkeyMaterialLine1\n=Ab12\n"
        "-----END PGP PRIVATE KEY BLOCK-----",
        "PGPkeyMaterialLine1",
    ),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEArsaKeyBody\n-----END RSA PRIVATE KEY-----", "ArsaKeyBody"),
    (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXkOpenSshBody\n-----END OPENSSH PRIVATE KEY-----",
        "OpenSshBody",
    ),
    ("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIEcKeyBody", "EcKeyBody"),
    (
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqEncryptedBody\n-----END ENCRYPTED PRIVATE KEY-----",
        "EncryptedBody",
    ),
    ("cache at redis://:Willow-Cache-55@cache.internal:6379/0", "Willow-Cache-55"),
    ("postgresql://etl:Fern@Moss/42:x@db.internal:5432/shop", "Fern@Moss/42:x"),
    ("mysql://loader:Pine:Needle:8@mysql.internal/app", "Pine:Needle:8"),
    ("postgresql://etl@db.internal/shop?sslmode=require&password=Query-Pass-61", "Query-Pass-61"),
    ("GitHub token ghp_0123456789abcdefghijABCDEFGHIJklmnopqr", "ghp_0123456789abcdefghijABCDEFGHIJklmnopqr"),
    (
        "fine-grained github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP",
        "11ABCDEFG0123456789_abc",
    ),
    ("GitLab glpat-AbCdEf0123456789XyZw", "AbCdEf0123456789XyZw"),
    ("bot xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"),
    ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "4eC39HqLyjWDarjtT1zdp7dc"),
    ("stripe test rk_test_51Hx0123456789abcdefghij", "51Hx0123456789abcdefghij"),
    ("maps key AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", "SyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI"),
    ("password=Hunter-Two-22", "Hunter-Two-22"),
    ("secret: 'Quoted Secret 7'", "Quoted Secret 7"),
    ("token = tk-77aa88bb99cc", "tk-77aa88bb99cc"),
    ("STRIPE_API_KEY=plainvalue1234", "plainvalue1234"),
    ("SENTRY_KEY: abcdef0123456789", "abcdef0123456789"),
]
