"""`dayone check`: the agreed contract of an integration enforced against its live database.

`results` holds what a run found and keeps it in the workspace, one row per rule.
"""
