"""YAML parsing that remembers where each value came from, for errors that name a line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from tui.errors import DayoneError

Path = tuple[str | int, ...]


class YamlError(DayoneError):
    """A document problem, reported as `file:line: path: problem`."""

    def __init__(self, source: str, line: int | None, where: str, problem: str) -> None:
        self.source, self.line, self.where, self.problem = source, line, where, problem
        place = f"{source}:{line}" if line else source
        super().__init__(f"{place}: {where + ': ' if where else ''}{problem}")


@dataclass
class Located:
    """A parsed document and the line of every value in it."""

    source: str
    data: Any
    lines: dict[Path, int]

    def line(self, path: Path) -> int | None:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path: Path, problem: str) -> YamlError:
        return YamlError(self.source, self.line(path), render_path(path), problem)


def render_path(path: Path) -> str:
    """('integrations', 0, 'metrics', 2, 'priority') -> 'integrations[0].metrics[2].priority'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse(text: str, source: str) -> Located:
    """Read with libyaml when it is there (several times faster); a document it refuses is read again by the pure
    Python reader, so that every error reads the same either way."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return _parse(fast, text, source)
        except YamlError:
            pass
    return _parse(yaml.SafeLoader, text, source)


def _parse(reader: type, text: str, source: str) -> Located:
    loader = reader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlError(source, None, "", "the document is empty")
        lines: dict[Path, int] = {}
        _walk(loader, node, (), lines, source)
        return Located(source, loader.construct_document(node), lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise YamlError(source, mark.line + 1 if mark else None, "", f"not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(source, None, "", f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()


def _walk(loader: Any, node: yaml.Node, path: Path, lines: dict[Path, int], source: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise YamlError(source, key_node.start_mark.line + 1, render_path(path), "a key must be plain text")
            if key in seen:
                raise YamlError(source, key_node.start_mark.line + 1, render_path((*path, key)), "duplicate key")
            seen.add(key)
            _walk(loader, value_node, (*path, key), lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(loader, item, (*path, index), lines, source)
