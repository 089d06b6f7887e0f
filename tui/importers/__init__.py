"""Schema import: tables, keys and comments from SQL DDL files or live databases, and findings about them.

UI-free: the CLI and the planning screen both call `run.import_file` /
`run.import_url`, which read the source, write the difference into the
workspace as one transaction and recompute the findings.
"""

# The SQL dialects a DDL file may be read as (a name sqlglot knows).
DIALECTS = ("postgres", "mysql", "sqlite", "snowflake", "bigquery", "tsql")
