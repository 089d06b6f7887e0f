"""A diff between two states of a contract, ready to print, to write as JSON and to gate a pull request on.

`build` compares, attaches the metrics each change touches and, with a workspace, who must be told; every
string then passes the masking layer once, whichever side it came from (a contract file or a database can
carry a credential in a description or a default as well as the workspace).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tui.agreement import Agreement
from tui.changes.audience import audience, wished_metrics, with_metrics
from tui.changes.classify import compare
from tui.changes.model import Bump, Change, Impact, bump_of
from tui.secrets import Masker
from tui.store import Row, Workspace
from tui.versions import SEMVER

# The readable list's groups: by the consumer's impact, the producer's shown on each line.
GROUPS = (
    (Impact.BREAKING, "Breaking for consumers"),
    (Impact.WARNING, "Warnings for consumers"),
    (Impact.INFO, "Information"),
)


@dataclass
class Comparison:
    source: str  # what the old side is: "1.2.0", "contract.odcs.yaml", "nothing published"
    target: str
    old_version: str | None
    new_version: str | None
    changes: list[Change]
    bump: Bump | None
    inform: list[str] = field(default_factory=list)
    notice: str | None = None
    notice_days: int | None = None
    effective: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def new_major(self) -> bool:
        """Whether the new side is a higher major version than the old: breaking changes are announced."""
        old, new = _major(self.old_version), _major(self.new_version)
        return old is not None and new is not None and new > old

    def failing(self, fail_on: str) -> list[Change]:
        """The changes that fail a `--fail-on` gate: consumer-breaking (or also warning) ones, unless covered."""
        if self.new_major:
            return []
        worst = Impact.BREAKING.rank if fail_on == "breaking" else Impact.WARNING.rank
        return [change for change in self.changes if change.consumer.rank <= worst]

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "bump": self.bump.value if self.bump else None,
            "changes": [change.to_json() for change in self.changes],
            "inform": self.inform,
            "notice": self.notice,
            "effective": self.effective,
        }

    def lines(self) -> list[str]:
        """The readable list: a summary line, then the changes grouped by their impact on consumers."""
        count = len(self.changes)
        head = f"{self.source} → {self.target}: "
        if not count:
            return [head + "no changes"]
        lines = [head + f"{count} change{'s' if count != 1 else ''}, a {self.bump} version"]
        for impact, title in GROUPS:
            group = [change for change in self.changes if change.consumer is impact]
            if not group:
                continue
            lines.append(f"{title} ({len(group)}):")
            for change in group:
                detail = f": {change.detail}" if change.detail else ""
                lines.append(f"  {change.kind.label:<24} {change.where}{detail}  [producer: {change.producer}]")
                if change.metrics:
                    lines.append(f"  {'':<24} metrics: {', '.join(change.metrics)}")
        if self.inform:
            lines.append(f"Inform: {', '.join(self.inform)}")
        if self.notice_days is not None:
            lines.append(f"Notice: {self.notice_days} days, in effect from {self.effective} ({self.notice})")
        elif self.inform:
            lines.append("Notice: no notice period agreed (checklist item contracts.change_communication)")
        return lines


def _major(version: str | None) -> int | None:
    found = SEMVER.match(version or "")
    return int(found.group(1)) if found else None


def build(
    old: Agreement | None,
    new: Agreement,
    source: str,
    target: str,
    *,
    schema_only: bool = False,
    workspace: Workspace | None = None,
    integration: Row | None = None,
    today: str,
) -> Comparison:
    """Compare two agreements; with a workspace, name the metrics touched and the people to tell."""
    changes: Sequence[Change] = compare(old, new, schema_only=schema_only)
    comparison = Comparison(
        source, target, old.version if old else None, new.version or None, [], bump_of(list(changes))
    )
    if workspace is not None and integration is not None:
        changes = with_metrics(changes, wished_metrics(workspace, integration["id"]))
        told = audience(workspace, integration, changes, today)
        comparison.inform, comparison.notice = told.inform, told.notice
        comparison.notice_days, comparison.effective = told.notice_days, told.effective
    comparison.changes = list(changes)
    mask = Masker()
    masked = mask.walk(comparison, "the diff")
    masked.warnings = mask.warnings
    return masked
