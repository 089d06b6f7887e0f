"""The export formats, in the order the export screen offers them: what each file's name ends with and what each
format is for, in a few words (the words `dayone export --help` lists).

The one list of formats: the exporters, the command line's choices and its help read it here, and a test holds the
README's table of exports to it. It lives outside tui.export so that the command line reads it without loading
the exporters.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportFormat:
    endings: tuple[str, ...]  # what the name of each file it writes ends with, the first file first
    about: str


FORMATS: dict[str, ExportFormat] = {
    "markdown": ExportFormat(("-contract.md",), "the data contract in Markdown, ready for Confluence"),
    "confluence": ExportFormat(("-contract.confluence.xml",), "the contract in Confluence storage format"),
    "odcs": ExportFormat((".odcs.yaml",), "the contract in the Open Data Contract Standard"),
    "minutes": ExportFormat(("-minutes.md",), "decisions, todos and open questions"),
    # The plan YAML, which may cover the whole workspace.
    "yaml": ExportFormat((".plan.yaml",), "the plan"),
    "ci": ExportFormat(
        ("-check.github-workflow.yml", "-check.gitlab-ci.yml"), "GitHub Actions and GitLab CI jobs running dayone check"
    ),
    "constraints": ExportFormat(
        ("-constraints.postgres.sql", "-constraints.mysql.sql", "-constraints.sqlite.sql"),
        "DDL for PostgreSQL, MySQL/MariaDB and SQLite enforcing what was agreed",
    ),
    "dbt": ExportFormat(("-dbt-sources.yml",), "a dbt sources.yml with tests and freshness"),
    "changes": ExportFormat((".md",), "the change notice of a published version"),
    "changes-confluence": ExportFormat((".confluence.xml",), "the change notice in Confluence storage format"),
}
