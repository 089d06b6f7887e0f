"""A check run told in each of its formats: the terminal table, JUnit XML, JSON, GitHub annotations, Markdown.

Every text that came from the contract or the database (names, messages, samples) is data: each format escapes
it in its own way (XML escaping, JSON, the workflow commands' percent escapes, Markdown's backslashes and code
spans), and the terminal shows it with control characters made visible.
"""

from __future__ import annotations

import html
import json
import socket
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from tui.agreement import Agreement
from tui.check.results import Result, Run
from tui.enums import CheckStatus
from tui.references import table_ref
from tui.visible import one_line

_WORDS = {
    CheckStatus.PASS: "pass",
    CheckStatus.FAIL: "FAIL",
    CheckStatus.WARN: "warn",
    CheckStatus.PROVEN: "proven",
    CheckStatus.SAMPLED: "sampled",
}
_SHOWN_BY_DEFAULT = (CheckStatus.FAIL, CheckStatus.WARN)


def headline(run: Run, agreement: Agreement) -> str:
    counts = run.counts
    verdict = "passed" if run.passed else "FAILED"
    parts = ", ".join(f"{counts[status.value]} {status.value}" for status in CheckStatus if counts[status.value])
    sampled = f" on a {run.sample_percent:g}% sample" if run.sample_percent else ""
    since = f", rows changed since {run.since}" if run.since else ""
    return f"dayone check {verdict}: {agreement.name} against {run.source}{sampled}{since} ({parts or 'no rules'})"


def table_lines(run: Run, agreement: Agreement, verbose: bool = False) -> list[str]:
    """The terminal table: failures and warnings (every rule, with its SQL, when verbose), then the verdict."""
    shown = [result for result in run.results if verbose or result.status in _SHOWN_BY_DEFAULT]
    rows = [
        (result.rule, result.where, _WORDS[result.status], _count(result), result.message, "; ".join(result.samples))
        for result in shown
    ]
    lines = []
    if rows:
        headings = ("rule", "table.column", "result", "violations", "details", "samples")
        limits = (16, 48, 7, 10, 64)
        widths = [
            min(limit, max(len(one_line(str(row[i]))) for row in [headings, *rows])) for i, limit in enumerate(limits)
        ]
        lines.append(_row(headings, widths))
        for result, row in zip(shown, rows, strict=True):
            lines.append(_row(row, widths))
            if verbose and result.sql:
                lines.append("    " + one_line(result.sql))
    lines.append(headline(run, agreement))
    return lines


def _row(cells: tuple[Any, ...], widths: list[int]) -> str:
    parts = []
    for index, cell in enumerate(cells):
        text = one_line(str(cell))
        if index < len(widths):
            text = text if len(text) <= widths[index] else text[: widths[index] - 1] + "…"
            parts.append(text.ljust(widths[index]))
        else:
            parts.append(text)
    return "  ".join(parts).rstrip()


def _count(result: Result) -> str:
    return "" if result.violations is None else f"{result.violations:,}"


def to_json(run: Run, agreement: Agreement) -> str:
    document = {
        "passed": run.passed,
        "contract": agreement.name,
        "database": run.source,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "sample_percent": run.sample_percent,
        "since": run.since,
        "counts": run.counts,
        "rules": [
            {
                "table": table_ref(result.schema, result.table),
                "column": result.column,
                "rule": result.rule,
                "status": result.status.value,
                "violations": result.violations,
                "samples": list(result.samples),
                "sql": result.sql,
                "message": result.message,
                "enforced_by": result.enforced_by.value if result.enforced_by else None,
            }
            for result in run.results
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_junit(run: Run, agreement: Agreement) -> str:
    """JUnit XML: one test case per rule; failures carry their counts and samples, warnings pass with a note."""
    failures = sum(result.status == CheckStatus.FAIL for result in run.results)
    name = f"dayone check: {agreement.name}"
    stamp = run.started_at[:19]
    cases = []
    for result in run.results:
        attributes = f'classname={_attr(table_ref(result.schema, result.table))} name={_attr(_case(result))} time="0"'
        detail = _detail(result)
        if result.status == CheckStatus.FAIL:
            body = f"<failure message={_attr(result.message)} type={_attr(result.rule)}>{_text(detail)}</failure>"
        elif result.status == CheckStatus.WARN:
            body = f"<system-out>{_text('warning: ' + detail)}</system-out>"
        else:
            body = f"<system-out>{_text(detail)}</system-out>" if result.status != CheckStatus.PASS else ""
        cases.append(f"    <testcase {attributes}>{body}</testcase>" if body else f"    <testcase {attributes}/>")
    properties = [
        ("database", run.source),
        ("dialect", run.dialect),
        ("sample_percent", "" if run.sample_percent is None else f"{run.sample_percent:g}"),
        ("since", run.since or ""),
    ]
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<testsuites name={_attr(name)} tests="{len(run.results)}" failures="{failures}" errors="0">',
            f'  <testsuite name={_attr(name)} tests="{len(run.results)}" failures="{failures}" errors="0"'
            f' skipped="0" timestamp="{stamp}" hostname={_attr(socket.gethostname() or "localhost")}>',
            "    <properties>",
            *(f"      <property name={_attr(key)} value={_attr(value)}/>" for key, value in properties),
            "    </properties>",
            *cases,
            "  </testsuite>",
            "</testsuites>",
            "",
        ]
    )


def _case(result: Result) -> str:
    return f"{result.rule}: {result.where}"


def _detail(result: Result) -> str:
    lines = [result.message]
    if result.violations is not None:
        lines.append(f"violations: {result.violations}")
    lines.extend(f"sample: {sample}" for sample in result.samples)
    if result.sql:
        lines.append(f"sql: {result.sql}")
    return "\n".join(lines)


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most control characters at all: they are written as visible escapes."""
    return "".join(
        ch if ch in "\t\n\r" or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff")
        else f"\\x{ord(ch):02x}"
        for ch in text
    )  # fmt: skip


def _attr(text: str) -> str:
    return quoteattr(_xml_safe(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _text(text: str) -> str:
    return escape(_xml_safe(text))


def to_github(run: Run, agreement: Agreement, contract: str | None) -> str:
    """Workflow commands: an error per failed rule and a warning per warning, at the contract file's line."""
    lines = []
    for result in run.results:
        if result.status not in _SHOWN_BY_DEFAULT:
            continue
        level = "error" if result.status == CheckStatus.FAIL else "warning"
        where = []
        if contract:
            where.append(f"file={_property(contract)}")
            table = agreement.table(table_ref(result.schema, result.table))
            line = agreement.line(table, result.column) if table else None
            if line:
                where.append(f"line={line}")
        where.append(f"title={_property(f'dayone check: {result.rule}')}")
        message = f"{result.where}: {result.message}"
        if result.samples:
            message += " (e.g. " + "; ".join(result.samples) + ")"
        lines.append(f"::{level} {','.join(where)}::{_data(message)}")
    lines.append(f"::notice title=dayone check::{_data(headline(run, agreement))}")
    return "\n".join(lines) + "\n"


def _data(text: str) -> str:
    """A workflow command's message: one line with control characters made visible, then percent-escaped."""
    return one_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def to_summary(run: Run, agreement: Agreement) -> str:
    """Markdown for a CI job summary: the verdict, the counts, and every failure and warning."""
    mark = "✅" if run.passed else "❌"
    counts = run.counts
    lines = [
        f"## {mark} dayone check: {_md(agreement.name)}",
        "",
        f"Checked against {_code(run.source)} ({run.dialect})"
        + (f" on a {run.sample_percent:g}% sample" if run.sample_percent else "")
        + (f", rows changed since {_md(run.since)}" if run.since else "")
        + ".",
        "",
        "| " + " | ".join(status.value for status in CheckStatus) + " |",
        "|" + "---:|" * len(CheckStatus),
        "| " + " | ".join(str(counts[status.value]) for status in CheckStatus) + " |",
    ]
    found = [result for result in run.results if result.status in _SHOWN_BY_DEFAULT]
    if found:
        lines += ["", "| result | rule | table.column | violations | details | samples |", "|---|---|---|---:|---|---|"]
        for result in found:
            lines.append(
                f"| {_WORDS[result.status]} | {_md(result.rule)} | {_code(result.where)} | {_count(result)} |"
                f" {_md(result.message)} | {'<br>'.join(_code(sample) for sample in result.samples)} |"
            )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text in a Markdown table cell: markup characters escaped, HTML and pipes inert, one line."""
    text = one_line(text)
    for char in "\\`*_{}[]()#+-.!|<>~&":
        text = text.replace(char, "\\" + char)
    return text


def _code(text: str) -> str:
    """Text as code in a table cell: HTML-escaped, so no backtick, pipe or tag breaks out."""
    return "<code>" + html.escape(one_line(text)).replace("|", "&#124;") + "</code>"
