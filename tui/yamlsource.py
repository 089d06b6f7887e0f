"""YAML parsing that remembers where each value came from, for errors that name a line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import yaml

from tui.errors import DayoneError

Path = tuple[str | int, ...]

# A plan or a template is a few hundred kilobytes at most; these bounds keep a hostile document from taking the
# memory, the time or the stack: a billion-laughs document refers to its aliases billions of times, a deeply
# nested one recurses as deep as it is nested.
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 100
MAX_ALIASED_NODES = 10_000
# A double-quoted "\ud800" reads as half of a character, which no file or database can store as text.
_SURROGATE = re.compile("[\ud800-\udfff]")


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
    Python reader, so that every error reads the same either way.

    The document's size, nesting and aliases are checked on its event stream first, which neither recurses nor
    expands an alias, before anything builds it.
    """
    if len(text) > MAX_BYTES:
        raise YamlError(source, None, "", f"the document is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    if _FastLoader is not None:
        try:
            _check_shape(_FastLoader, text, source)
            return _parse(_FastLoader, text, source)
        except YamlError:
            pass
    _check_shape(_Loader, text, source)
    return _parse(_Loader, text, source)


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    """A date or time as SafeLoader reads it; one that cannot exist (month 13, year 0) is a document error."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date or time", node.start_mark
        ) from None


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _fast_loader() -> type | None:
    """SafeLoader on libyaml's parser, when PyYAML was built with it."""
    if not hasattr(yaml, "CSafeLoader"):
        return None
    loader: Any = type("_FastLoader", (yaml.CSafeLoader,), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    return loader


_FastLoader = _fast_loader()


def _check_shape(reader: type, text: str, source: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, more than MAX_ALIASES aliases, aliases that stand for more than
    MAX_ALIASED_NODES nodes in all, and an alias inside the node it names."""
    depth = nodes = aliases = aliased = 0
    open_anchors: list[tuple[str | None, int]] = []
    sizes: dict[str, int] = {}
    with _loading(reader, text, source) as loader:
        while (event := loader.get_event()) is not None:
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if event.anchor not in sizes:
                    known = any(anchor == event.anchor for anchor, _ in open_anchors)
                    problem = "an alias inside the node it names" if known else f"unknown alias *{event.anchor}"
                    raise YamlError(source, line, "", f"not valid YAML: {problem}")
                aliased += sizes[event.anchor]
                nodes += sizes[event.anchor]
                if aliases > MAX_ALIASES or aliased > MAX_ALIASED_NODES:
                    raise YamlError(source, line, "", "too many aliases (a plan does not need them)")
            elif isinstance(event, yaml.ScalarEvent):
                nodes += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                nodes += 1
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(source, line, "", f"nested more than {MAX_DEPTH} levels deep")
                open_anchors.append((event.anchor, nodes))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
                anchor, first = open_anchors.pop()
                if anchor is not None:
                    sizes[anchor] = nodes - first + 1


@contextmanager
def _loading(reader: type, text: str, source: str) -> Iterator[Any]:
    """A loader over the text, disposed of afterwards; whatever PyYAML refuses while it reads is one YamlError
    naming the line."""
    loader = _reader(reader, text, source)
    try:
        yield loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise YamlError(source, mark.line + 1 if mark else None, "", f"not valid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:
        raise YamlError(source, _line_at(text, exc.position), "", f"not valid YAML: {_reader_problem(exc)}") from None
    except yaml.YAMLError as exc:
        raise YamlError(source, None, "", f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()


def _reader(reader: type, text: str, source: str) -> Any:
    try:
        return reader(text)
    except yaml.reader.ReaderError as exc:
        raise YamlError(source, _line_at(text, exc.position), "", f"not valid YAML: {_reader_problem(exc)}") from None
    except UnicodeError:
        raise YamlError(source, None, "", "not valid text (it holds a lone surrogate)") from None


def _parse(reader: type, text: str, source: str) -> Located:
    with _loading(reader, text, source) as loader:
        node = loader.get_single_node()
        if node is None:
            raise YamlError(source, None, "", "the document is empty")
        lines: dict[Path, int] = {}
        _walk(loader, node, (), lines, source)
        return Located(source, loader.construct_document(node), lines)


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _reader_problem(exc: yaml.reader.ReaderError) -> str:
    if isinstance(exc.character, int):
        return f"the control character U+{exc.character:04X} is not allowed (write it as an escape in quotes)"
    return f"cannot decode byte 0x{exc.character[0] if exc.character else 0:02x}"


def _walk(loader: Any, node: yaml.Node, path: Path, lines: dict[Path, int], source: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and _SURROGATE.search(node.value):
        found = _SURROGATE.search(node.value).group()  # type: ignore[union-attr]
        problem = f"holds \\u{ord(found):04x}, half of a character (a lone surrogate), which is not text"
        raise YamlError(source, lines[path], render_path(path), problem)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise YamlError(source, key_node.start_mark.line + 1, render_path(path), "a key must be plain text")
            if isinstance(key, str) and _SURROGATE.search(key):
                raise YamlError(source, key_node.start_mark.line + 1, render_path(path), "a key holds a lone surrogate")
            if key in seen:
                raise YamlError(source, key_node.start_mark.line + 1, render_path((*path, key)), "duplicate key")
            seen.add(key)
            _walk(loader, value_node, (*path, key), lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(loader, item, (*path, index), lines, source)
