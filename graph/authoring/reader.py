"""Reading YAML case files safely: plain data only, with the line of every key and item.

Anchors, aliases, merge keys and tags are refused (they are never needed in a case file, and
aliases are how "billion laughs" files blow up memory); dates stay text; duplicate keys are errors.
The limits of :mod:`graph.limits` (nesting depth, values per file, text length) are checked on the
parser's events, before any tree is built, so a hostile file costs bounded time and memory.

When LibYAML is installed, files are read from the event stream of its C parser first (see
:mod:`.yaml_events`); anything that fast path does not handle (a syntax error, an anchor, alias or
tag, a non-scalar key, an empty file, a scalar that is not text, null, a boolean or a number) is
read by the pure-Python reader here, so every problem is found and worded exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# The fast path, under the names read_yaml and the tests use.
from graph.authoring.yaml_events import LIBYAML as _CParser
from graph.authoring.yaml_events import (
    RESOLVERS,
    YamlList,
    YamlMap,
    too_deep,
    too_long,
    too_many,
)
from graph.authoring.yaml_events import UNREAD as _UNREAD
from graph.authoring.yaml_events import Refused as _Refused
from graph.authoring.yaml_events import read_events as _read_fast
from graph.authoring.yaml_events import read_with_libyaml as _read_with_libyaml  # noqa: F401 (tests)
from graph.authoring.yaml_events import scan_limits as _scan_limits
from graph.errors import Problem
from graph.limits import MAX_DEPTH, MAX_TEXT, MAX_YAML_VALUES

__all__ = ["YamlList", "YamlMap", "decode", "line_at", "read_yaml"]

_MERGE = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases and explicit tags, keeps dates as text, and
    enforces the limits of :mod:`graph.limits` event by event, before anything is composed."""

    depth = 0
    values = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        """Refuse anchors, aliases, tags and anything over a limit before the composer acts."""
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused("YAML anchors and aliases are not allowed (& and *)", line)
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise _Refused(f"YAML tags are not allowed (found '{tag}')", line)
        self.values += 1
        if self.values > MAX_YAML_VALUES:
            raise too_many(line)
        if isinstance(event, ScalarEvent) and len(event.value) > MAX_TEXT:
            raise too_long(len(event.value), line)
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise too_deep(line)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# Timestamps are not resolved: dates stay text and are read by graph.dates.
_Loader.yaml_implicit_resolvers = RESOLVERS


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


def _appears_twice(path: str, key: Any, first: int, line: int) -> Problem:
    return Problem(path, line, f"the key '{key}' appears twice (lines {first} and {line})")


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
                problems.append(_appears_twice(path, key, mapping.key_lines[key], key_line))
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
    if _CParser is not None:
        try:
            twice: list[tuple[Any, int, int]] = []
            data = _read_fast(text, twice)
            if data is not _UNREAD:
                return data, [_appears_twice(path, *found) for found in twice]
            _scan_limits(text)  # the pure-Python reader is slow: refuse what is over a limit first
        except _Refused as refused:
            return None, [Problem(path, refused.line, refused.message)]
    return _read_with_python(text, path)


def _read_with_python(text: str, path: str) -> tuple[Any, list[Problem]]:
    """``read_yaml`` with PyYAML's pure-Python parser: the reference for every problem."""
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
    except ValueError as error:  # PyYAML's own conversion of a malformed number, e.g. "0x_"
        return None, [Problem(path, None, f"a value cannot be read: {error}; quote it as text")]
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
