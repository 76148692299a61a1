"""Reading YAML case files safely: plain data only, with the line of every key and item.

Anchors, aliases, merge keys and tags are refused (they are never needed in a case file, and
aliases are how "billion laughs" files blow up memory); dates stay text; duplicate keys are errors.

When LibYAML is installed, files are read from the event stream of its C parser in one pass (no
node tree, no constructor). That fast path only handles plain, well-formed files; anything else
(a syntax error, an anchor, alias or tag, a duplicate or non-scalar key, an empty file, deep
nesting, a scalar that is not text, null, a boolean or a number) is handed to the pure-Python
reader, so every problem is found and worded exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
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
    if _CParser is not None:
        data = _read_with_libyaml(text)
        if data is not _UNREAD:
            return data, []
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


# --- the LibYAML fast path ---------------------------------------------------------------------

# LibYAML's parser, or None when PyYAML was built without it (then only the pure-Python reader).
_CParser: Any = None
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    _CParser = CParser

_UNREAD: Any = object()
"""What the fast path returns when the file must be read by the pure-Python reader."""

_NO_KEY: Any = object()
"""The key slot of a mapping that waits for its next key."""

# Deeper files go to the pure-Python reader, which decides whether they are too deep for it.
_MAX_DEPTH = 64

# Text the two parsers read differently, left to the pure-Python reader: PyYAML refuses tabs
# between tokens, a '#' right after a block scalar's '|' or '>' and every non-printable character
# (before parsing), and skips a byte-order mark only at the very start, where LibYAML accepts
# all of these or skips a byte-order mark at the start of any line.
_BLOCK_SCALAR_COMMENT = re.compile("[|>][-+0-9]*#")


def _python_only(text: str) -> bool:
    """Whether the text has something LibYAML and PyYAML read differently (see above)."""
    return (
        "\t" in text
        or "\ufeff" in text
        or _BLOCK_SCALAR_COMMENT.search(text) is not None
        or _Loader.NON_PRINTABLE.search(text) is not None
    )


_CONSTRUCTOR = SafeConstructor()
_CONSTRUCT = {
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
}
# The implicit resolvers of _Loader (timestamps left out) by first character, as Resolver.resolve
# uses them; SafeLoader has no wildcard or path resolvers.
_RESOLVERS: dict[str, list[tuple[str, Any]]] = dict(_Loader.yaml_implicit_resolvers)
assert None not in _RESOLVERS and not _Loader.yaml_path_resolvers


def _plain_scalar(value: str) -> Any:
    """The value of a plain (unquoted) scalar, resolved like _Loader does; _UNREAD if unusual."""
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            construct = _CONSTRUCT.get(tag)
            if construct is None:  # merge keys, '=' and the like: refused or an error
                return _UNREAD
            try:
                return construct(ScalarNode(tag, value))
            except Exception:  # the pure-Python reader fails the same way, with its own words
                return _UNREAD
    return value


def _read_with_libyaml(text: str) -> Any:
    """The data of a plain, well-formed one-document file from LibYAML's events, or _UNREAD.

    Builds the same YamlMap/YamlList tree, lines included, as the pure-Python reader does; gives
    up (returns _UNREAD) at the first thing that reader would refuse or report.
    """
    if _python_only(text):
        return _UNREAD
    parser = _CParser(text)
    try:
        return _build_from_events(parser.get_event)
    except (yaml.YAMLError, UnicodeError):
        return _UNREAD
    finally:
        parser.dispose()


def _build_from_events(next_event: Any) -> Any:
    """The tree of the single document of an event stream, or _UNREAD (see _read_with_libyaml)."""
    next_event()  # the stream start
    if next_event().__class__ is not DocumentStartEvent:
        return _UNREAD  # an empty file
    root: Any = _UNREAD
    # [container, pending key, line of the pending key, is flow style] per open mapping or list
    stack: list[list[Any]] = []
    while True:
        event = next_event()
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                return _UNREAD
            value = event.value
            if event.implicit[0]:
                if stack and stack[-1][3] and "?" in value:
                    return _UNREAD  # PyYAML ends a plain scalar at '?' inside [...] and {...}
                if value[:1] in _RESOLVERS:
                    value = _plain_scalar(value)
                    if value is _UNREAD:
                        return _UNREAD
            opened = None
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                return _UNREAD
            value = opened = (YamlMap if kind is MappingStartEvent else YamlList)(
                event.start_mark.line + 1
            )
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            continue
        elif kind is DocumentEndEvent:
            break
        else:  # an alias
            return _UNREAD
        if not stack:
            root = value
        else:
            top = stack[-1]
            container = top[0]
            if container.__class__ is YamlList:
                container.append(value)
                container.item_lines.append(event.start_mark.line + 1)
            elif top[1] is _NO_KEY:
                if opened is not None or value in container:
                    return _UNREAD  # a mapping or list as a key, or a duplicate key
                top[1] = value
                top[2] = event.start_mark.line + 1
                continue
            else:
                key = top[1]
                container[key] = value
                container.key_lines[key] = top[2]
                top[1] = _NO_KEY
        if opened is not None:
            stack.append([opened, _NO_KEY, 0, event.flow_style])
            if len(stack) > _MAX_DEPTH:
                return _UNREAD
    if next_event().__class__ is not StreamEndEvent:
        return _UNREAD  # a second document
    return root


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
