"""The change notice of one published version: what changed, whom it hurts, who is told, when, and what to do
when something breaks. Written as Markdown or Confluence storage format from the same document.

The changes are the diff from the version before (grouped by their impact on consumers, with the producer's
impact beside each); the date it takes effect is today plus the notice period agreed under
`contracts.change_communication`; the incident procedure and the service levels (time to detect, to notify, to
repair) are the agreed answers, read as the ODCS export reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.changes.model import Impact
from tui.changes.report import GROUPS, Comparison
from tui.enums import ItemStatus, Team
from tui.errors import DayoneError
from tui.export.blocks import BulletList, Document, Emph, Heading, Paragraph, Status, Strong, Table
from tui.export.contract import ContractFacts
from tui.export.odcs import service_levels
from tui.store import Row, Workspace

NOTICE_ITEM, INCIDENTS_ITEM, SLA_ITEM = "contracts.change_communication", "contracts.incidents", "contracts.sla"
RESPONSE_LEVELS = {"timeToDetect": "Time to detect", "timeToNotify": "Time to notify", "timeToRepair": "Time to repair"}
_UNITS = {"min": "minutes", "h": "hours", "d": "days", "month": "months", "y": "years"}


@dataclass
class Notice:
    facts: ContractFacts
    version: str
    previous: str | None
    published_on: str
    author: str
    message: str | None
    comparison: Comparison


def gather_notice(workspace: Workspace, integration: Row, today: str, version: str | None = None) -> Notice:
    """The facts of the notice for `version` (default: the latest published one), masked like every export."""
    from tui.changes.report import build
    from tui.export.contract import gather
    from tui.versions import agreement_at, published

    found = published(workspace, integration["id"])
    if not found:
        raise DayoneError(f"{integration['name']}: no version published yet; `dayone contract publish` makes the first")
    wanted = version.strip() if version else found[-1].version
    index = next((number for number, each in enumerate(found) if each.version == wanted), None)
    if index is None:
        known = ", ".join(each.version for each in found)
        raise DayoneError(f"no version {wanted!r} of {integration['name']} (published: {known})")
    entry = found[index]
    before = found[index - 1] if index else None
    comparison = build(
        agreement_at(workspace, integration, before.version) if before else None,
        agreement_at(workspace, integration, entry.version),
        before.version if before else "nothing published",
        entry.version,
        workspace=workspace,
        integration=integration,
        today=today,
    )
    facts = gather(workspace, integration, today, "changes")
    facts.warnings += comparison.warnings
    return Notice(
        facts, entry.version, before.version if before else None, entry.at[:10], entry.author, entry.message, comparison
    )


def notice_document(notice: Notice) -> Document:
    facts, comparison = notice.facts, notice.comparison
    doc = Document(f"Change notice: {facts.name} {notice.version}")
    doc.add(Heading(1, doc.title))
    since = f", since {notice.previous}" if notice.previous else ", the first version"
    doc.add(
        BulletList(
            (
                (Strong("Integration:"), f" {facts.name}"),
                (Strong("Version:"), f" {notice.version} ({comparison.bump or 'no changes'}{since})"),
                (Strong("Published:"), f" {notice.published_on} by {notice.author}"),
                (Strong("Takes effect:"), f" {_effective(comparison)}"),
                *(((Strong("What it is about:"), f" {notice.message}"),) if notice.message else ()),
            )
        )
    )
    _changes(doc, comparison)
    _metrics(doc, facts, comparison)
    _informed(doc, facts, comparison)
    _when_it_breaks(doc, facts)
    return doc


def _effective(comparison: Comparison) -> str:
    if comparison.effective is None:
        return "no notice period is agreed yet (checklist item contracts.change_communication)"
    return f"{comparison.effective}, {comparison.notice_days} days from today as agreed"


def _changes(doc: Document, comparison: Comparison) -> None:
    doc.add(Heading(2, "What changed"))
    if not comparison.changes:
        doc.add(Paragraph(Emph("Nothing in the contract changed.")))
        return
    for impact, title in GROUPS:
        group = [change for change in comparison.changes if change.consumer is impact]
        if not group:
            continue
        doc.add(
            Heading(3, f"{title} ({len(group)})"),
            Table(
                ("Change", "Where", "Detail", "For the producer", "Metrics"),
                tuple(
                    (
                        change.kind.label,
                        change.where,
                        change.detail,
                        Status(change.producer.value),
                        ", ".join(change.metrics),
                    )
                    for change in group
                ),
            ),
        )


def _metrics(doc: Document, facts: ContractFacts, comparison: Comparison) -> None:
    doc.add(Heading(2, "Metrics affected"))
    touched: dict[str, list[str]] = {}
    for change in comparison.changes:
        for name in change.metrics:
            touched.setdefault(name, []).append(f"{change.kind.label} ({change.consumer})")
    if not touched:
        doc.add(Paragraph(Emph("No metric on the wishlist needs a column these changes touch.")))
        return
    requested = {metric.name: metric.requested_by or "" for metric in facts.metrics}
    doc.add(
        Table(
            ("Metric", "Requested by", "Changes"),
            tuple((name, requested.get(name, ""), "; ".join(changes)) for name, changes in touched.items()),
        )
    )


def _informed(doc: Document, facts: ContractFacts, comparison: Comparison) -> None:
    doc.add(Heading(2, "Who is informed"))
    if not comparison.inform:
        doc.add(Paragraph(Emph("Nobody needs to be told: nothing changed.")))
        return
    hurt = {name for change in comparison.changes if change.consumer is not Impact.INFO for name in change.metrics}
    requesters = {metric.requested_by for metric in facts.metrics if metric.name in hurt}
    people = {person.name: person for person in facts.people}
    rows = []
    for name in comparison.inform:
        person = people.get(name)
        if person is None:
            rows.append((name, "", "", "", ""))
            continue
        why = [
            reason
            for reason, applies in (
                ("requested an affected metric", name in requesters),
                ("the consuming team", person.team == Team.DATA),
                ("point of contact", person.point_of_contact),
            )
            if applies
        ]
        rows.append((name, person.role or "", person.team or "", person.contact or "", ", ".join(why)))
    doc.add(Table(("Name", "Role", "Team", "Contact", "Why"), tuple(rows)))
    if comparison.notice:
        doc.add(Paragraph((Strong("How changes are announced:"), f" {comparison.notice}")))


def _when_it_breaks(doc: Document, facts: ContractFacts) -> None:
    doc.add(Heading(2, "When something breaks"))
    incidents, sla = _agreed(facts, INCIDENTS_ITEM), _agreed(facts, SLA_ITEM)
    doc.add(
        Paragraph(
            (Strong("Procedure:"), f" {incidents}")
            if incidents
            else (Strong("Procedure:"), " ", Emph("not agreed yet (checklist item contracts.incidents)"))
        )
    )
    levels = [level for level in service_levels(facts) if level["property"] in RESPONSE_LEVELS]
    if levels:
        doc.add(
            Table(
                ("Service level", "Agreed", "As worded"),
                tuple(
                    (
                        RESPONSE_LEVELS[level["property"]],
                        f"{level['value']} {_UNITS.get(level['unit'], level['unit'])}",
                        level.get("description", ""),
                    )
                    for level in levels
                ),
            )
        )
    elif sla:
        doc.add(Paragraph((Strong("Service levels:"), f" {sla}")))
    else:
        doc.add(Paragraph((Strong("Service levels:"), " ", Emph("not agreed yet (checklist item contracts.sla)"))))


def _agreed(facts: ContractFacts, key: str) -> str | None:
    item = facts.item(key)
    return item.answer if item and item.status == ItemStatus.AGREED and item.answer else None
