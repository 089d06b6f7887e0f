"""Checklist templates: one YAML file per section, each a list of questions and why they matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.enums import Scope
from tui.errors import DayoneError
from tui.yamlsource import Located, parse

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SECTION_KEYS = {"key", "title", "order", "items"}
ITEM_KEYS = {"key", "question", "why", "options", "scope"}


@dataclass(frozen=True)
class TemplateItem:
    section: str
    section_title: str
    key: str
    question: str
    why: str
    options: tuple[str, ...]
    scope: Scope
    position: int

    @property
    def full_key(self) -> str:
        return f"{self.section}.{self.key}"

    def wording(self) -> dict[str, Any]:
        """The template's side of a checklist item row (everything but the answer)."""
        return {
            "section": self.section,
            "section_title": self.section_title,
            "position": self.position,
            "question": self.question,
            "why": self.why,
            "options": list(self.options),
            "scope": self.scope.value,
        }


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    items: tuple[TemplateItem, ...]


@dataclass(frozen=True)
class Checklist:
    sections: tuple[Section, ...]

    def items(self) -> list[TemplateItem]:
        return [item for section in self.sections for item in section.items]

    def item(self, full_key: str) -> TemplateItem | None:
        return self._by_key().get(full_key)

    def _by_key(self) -> dict[str, TemplateItem]:
        return {item.full_key: item for item in self.items()}


def load_checklist(folder: Path) -> Checklist:
    """Read every `*.yaml` template in a folder; a malformed one fails naming file and line."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DayoneError(f"{folder}: no such checklist folder")
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise DayoneError(f"{folder}: no checklist templates (*.yaml) in this folder")
    raw = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DayoneError(f"{file}: cannot read the template ({exc})") from None
        raw.append(_section(parse(text, str(file))))
    raw.sort(key=lambda pair: pair[0])
    sections: list[Section] = []
    seen: dict[str, str] = {}
    position = 0
    for _, doc, (key, title, order, items) in raw:
        if key in seen:
            raise doc.error(("key",), f"section {key!r} is also defined in {seen[key]}")
        seen[key] = doc.source
        built = []
        for item in items:
            position += 1
            built.append(TemplateItem(key, title, position=position, **item))
        sections.append(Section(key, title, order, tuple(built)))
    return Checklist(tuple(sections))


def _section(doc: Located) -> tuple[tuple[int, str], Located, tuple[str, str, int, list[dict[str, Any]]]]:
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "a template must be a mapping with key, title, order and items")
    for name in data:
        if name not in SECTION_KEYS:
            raise doc.error((name,), f"unknown key (expected {', '.join(sorted(SECTION_KEYS))})")
    for name in SECTION_KEYS:
        if name not in data:
            raise doc.error((), f"missing {name!r}")
    key = _identifier(doc, ("key",), data["key"])
    title = _text(doc, ("title",), data["title"])
    order = data["order"]
    if isinstance(order, bool) or not isinstance(order, int):
        raise doc.error(("order",), f"expected a whole number, got {order!r}")
    if not isinstance(data["items"], list) or not data["items"]:
        raise doc.error(("items",), "expected a non-empty list of items")
    items: list[dict[str, Any]] = []
    keys: set[str] = set()
    for index, item in enumerate(data["items"]):
        path = ("items", index)
        if not isinstance(item, dict):
            raise doc.error(path, "an item must be a mapping with key, question and why")
        for name in item:
            if name not in ITEM_KEYS:
                raise doc.error((*path, name), f"unknown key (expected {', '.join(sorted(ITEM_KEYS))})")
        for name in ("key", "question", "why"):
            if name not in item:
                raise doc.error(path, f"missing {name!r}")
        item_key = _identifier(doc, (*path, "key"), item["key"])
        if item_key in keys:
            raise doc.error((*path, "key"), f"duplicate item key {item_key!r} in section {key!r}")
        keys.add(item_key)
        options = item.get("options") or []
        if not isinstance(options, list) or not all(isinstance(option, str) and option.strip() for option in options):
            raise doc.error((*path, "options"), "expected a list of short answers")
        scope = item.get("scope", Scope.INTEGRATION.value)
        try:
            scope = Scope(scope)
        except ValueError:
            raise doc.error((*path, "scope"), f"{scope!r} is not one of integration, table") from None
        items.append(
            {
                "key": item_key,
                "question": _text(doc, (*path, "question"), item["question"]),
                "why": _text(doc, (*path, "why"), item["why"]),
                "options": tuple(option.strip() for option in options),
                "scope": scope,
            }
        )
    return (order, key), doc, (key, title, order, items)


def _identifier(doc: Located, path: tuple, value: Any) -> str:
    if not isinstance(value, str) or not KEY_PATTERN.match(value):
        raise doc.error(path, f"{value!r} is not a key (lower-case letters, digits and underscores)")
    return value


def _text(doc: Located, path: tuple, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, "expected non-empty text")
    return " ".join(value.split())
