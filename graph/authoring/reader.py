"""Reading YAML case files safely: plain data only, with the line of every key and item.

Anchors, aliases, merge keys and tags are refused (they are never needed in a case file, and
aliases are how "billion laughs" files blow up memory); dates stay text; duplicate keys are errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from graph.errors import Problem

__all__ = ["YamlList", "YamlMap", "decode", "line_at", "read_yaml"]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class YamlMap(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class YamlList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _Refused(Exception):
    """A construct the reader does not accept, at a line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases and explicit tags, and keeps dates as text."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        """Refuse anchors, aliases and tags before the composer acts on them."""
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused("YAML anchors and aliases are not allowed (& and *)", line)
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise _Refused(f"YAML tags are not allowed (found '{tag}')", line)
        return super().compose_node(parent, index)


# Timestamps are not resolved: dates stay text and are read by graph.dates.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """The text of a file's bytes (a UTF-8 BOM is dropped), or a problem if it is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = (
            f"the file is not UTF-8 (the first bad byte is on line {line}, at byte offset "
            f"{error.start}); save it with the UTF-8 encoding"
        )
        return None, Problem(path, line, message)
    return text.removeprefix("\ufeff"), None


def _build(node: Node, problems: list[Problem], path: str, loader: _Loader) -> Any:
    """Plain Python data from a composed node, with line numbers on mappings and sequences."""
    line = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        mapping = YamlMap(line)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                raise _Refused("YAML merge keys (<<) are not allowed", key_line)
            key = _build(key_node, problems, path, loader)
            if not isinstance(key, str | int | float | bool) and key is not None:
                problems.append(Problem(path, key_line, "a key must be a plain word"))
                continue
            if key in mapping:
                first = mapping.key_lines[key]
                problems.append(
                    Problem(
                        path,
                        key_line,
                        f"the key '{key}' appears twice (lines {first} and {key_line})",
                    )
                )
                continue
            mapping[key] = _build(value_node, problems, path, loader)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(node, SequenceNode):
        items = YamlList(line)
        for item in node.value:
            items.append(_build(item, problems, path, loader))
            items.item_lines.append(item.start_mark.line + 1)
        return items
    assert isinstance(node, ScalarNode)
    return loader.construct_object(node)


def read_yaml(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text into plain data with line numbers; data is None when it cannot be read.

    Duplicate keys are reported but do not stop reading (the first value is kept), so the rest of
    the file can still be checked.
    """
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        message = f"the file contains a character YAML does not allow (U+{error.character:04X})"
        return None, [Problem(path, line, message)]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(path, None, "the file is empty (it has no data, only comments)")]
        problems: list[Problem] = []
        data = _build(node, problems, path, loader)
    except _Refused as refused:
        return None, [Problem(path, refused.line, refused.message)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = mark.line + 1 if mark is not None else None
        what = error.problem or error.context or "cannot be read"
        if error.problem and error.context and error.context_mark is not None:
            what += f" ({error.context} that starts on line {error.context_mark.line + 1})"
        return None, [Problem(path, where, f"YAML syntax error: {what}")]
    except RecursionError:
        return None, [Problem(path, None, "the file is nested too deeply to be a case file")]
    finally:
        loader.dispose()
    return data, problems


def line_at(root: Any, location: Sequence[int | str]) -> int | None:
    """The line of the deepest key or item along ``location`` in data built by ``read_yaml``."""
    line: int | None = getattr(root, "line", None)
    node = root
    for step in location:
        if isinstance(node, YamlMap) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, YamlList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
