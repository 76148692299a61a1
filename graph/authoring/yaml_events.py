"""Reading a YAML case file from LibYAML's event stream: the fast path of :mod:`.reader`.

Files are read from the events of LibYAML's C parser in one pass (no node tree, no constructor),
into the same YamlMap/YamlList tree, lines included, that the pure-Python reader builds. The fast
path handles plain, well-formed files, reports duplicate keys and the limits of
:mod:`graph.limits` itself, and hands anything else back (``UNREAD``) to the pure-Python reader,
which finds and words every other problem. :func:`scan_limits` checks the limits of a file that
is handed back, in constant memory, since that reader is slow.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from graph.limits import MAX_DEPTH, MAX_TEXT, MAX_YAML_VALUES

__all__ = [
    "LIBYAML",
    "RESOLVERS",
    "UNREAD",
    "Refused",
    "YamlList",
    "YamlMap",
    "read_events",
    "read_with_libyaml",
    "scan_limits",
    "too_deep",
    "too_long",
    "too_many",
]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"

#: The implicit resolvers of SafeLoader by first character, timestamps left out (dates stay text);
#: SafeLoader has no wildcard or path resolvers.
RESOLVERS: dict[str, list[tuple[str, Any]]] = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
assert None not in RESOLVERS and not yaml.SafeLoader.yaml_path_resolvers


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


class Refused(Exception):
    """A construct the reader does not accept, at a line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def too_deep(line: int) -> Refused:
    return Refused(
        f"the data is nested more than {MAX_DEPTH} levels deep (lists and mappings inside each "
        "other); a case file needs a handful",
        line,
    )


def too_many(line: int) -> Refused:
    return Refused(
        f"the file holds more than {MAX_YAML_VALUES:,} values; split it into smaller files", line
    )


def too_long(length: int, line: int) -> Refused:
    return Refused(
        f"a text of {length:,} characters starts here; the longest casegraph takes is "
        f"{MAX_TEXT:,} characters (1 MiB)",
        line,
    )


# LibYAML's parser, or None when PyYAML was built without it (then only the pure-Python reader).
LIBYAML: Any = None
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    LIBYAML = CParser

UNREAD: Any = object()
"""What the fast path returns when the file must be read by the pure-Python reader."""

_NO_KEY: Any = object()
"""The key slot of a mapping that waits for its next key."""

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
        or yaml.SafeLoader.NON_PRINTABLE.search(text) is not None
    )


_CONSTRUCTOR = SafeConstructor()
_CONSTRUCT = {
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
}


def _plain_scalar(value: str) -> Any:
    """The value of a plain (unquoted) scalar, resolved like _Loader does; UNREAD if unusual."""
    for tag, regexp in RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            construct = _CONSTRUCT.get(tag)
            if construct is None:  # merge keys, '=' and the like: refused or an error
                return UNREAD
            try:
                return construct(ScalarNode(tag, value))
            except Exception:  # the pure-Python reader fails the same way, with its own words
                return UNREAD
    return value


def read_with_libyaml(text: str) -> Any:
    """The data of a plain, well-formed one-document file from LibYAML's events, or UNREAD.

    Builds the same YamlMap/YamlList tree, lines included, as the pure-Python reader does; gives
    up (returns UNREAD) at the first thing that reader would refuse or report.
    """
    try:
        twice: list[tuple[Any, int, int]] = []
        data = read_events(text, twice)
    except Refused:
        return UNREAD
    return UNREAD if twice else data


def read_events(text: str, twice: list[tuple[Any, int, int]]) -> Any:
    """:func:`read_with_libyaml`, which also reads past duplicate keys (adding the key and its two
    lines to ``twice``, keeping the first value, as the pure-Python reader does) and raises
    Refused at the first limit passed (everything before it was well formed, so the
    pure-Python reader would stop at the same place, with the same words)."""
    if _python_only(text):
        return UNREAD
    parser = LIBYAML(text)
    try:
        return _build_from_events(parser.get_event, twice)
    except (yaml.YAMLError, UnicodeError):
        return UNREAD
    finally:
        parser.dispose()


def scan_limits(text: str) -> None:
    """Raise Refused at the first limit a file passes, from LibYAML's events (fast, and in
    constant memory); return quietly at the end, or at anything LibYAML cannot read."""
    parser = LIBYAML(text)
    depth = values = 0
    try:
        while True:
            event = parser.get_event()
            kind = event.__class__
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
                continue
            if kind is StreamEndEvent:
                return
            if kind is ScalarEvent:
                if len(event.value) > MAX_TEXT:
                    raise too_long(len(event.value), event.start_mark.line + 1)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise too_deep(event.start_mark.line + 1)
            elif kind is not AliasEvent:
                continue
            values += 1
            if values > MAX_YAML_VALUES:
                raise too_many(event.start_mark.line + 1)
    except (yaml.YAMLError, UnicodeError):
        return
    finally:
        parser.dispose()


def _skip_value(next_event: Any, depth: int, values: int) -> int:
    """Read past the events of one value (a duplicate key's, which the data leaves out),
    checking what the pure-Python reader checks while composing it; the new count of values,
    or -1 where that reader must decide."""
    opened = 0
    while True:
        event = next_event()
        kind = event.__class__
        line = event.start_mark.line + 1
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None or "?" in event.value:
                return -1
            if len(event.value) > MAX_TEXT:
                raise too_long(len(event.value), line)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                return -1
            opened += 1
            if depth + opened > MAX_DEPTH:
                raise too_deep(line)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            opened -= 1
            if opened == 0:
                return values
            continue
        else:  # an alias
            return -1
        values += 1
        if values > MAX_YAML_VALUES:
            raise too_many(line)
        if opened == 0:
            return values


def _build_from_events(next_event: Any, twice: list[tuple[Any, int, int]]) -> Any:
    """The tree of the single document of an event stream, or UNREAD (see read_with_libyaml)."""
    next_event()  # the stream start
    if next_event().__class__ is not DocumentStartEvent:
        return UNREAD  # an empty file
    root: Any = UNREAD
    # [container, pending key, line of the pending key, is flow style] per open mapping or list
    stack: list[list[Any]] = []
    values = 0
    while True:
        event = next_event()
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                return UNREAD
            value = event.value
            if len(value) > MAX_TEXT:
                raise too_long(len(value), event.start_mark.line + 1)
            if event.implicit[0]:
                if stack and stack[-1][3] and "?" in value:
                    return UNREAD  # PyYAML ends a plain scalar at '?' inside [...] and {...}
                if value[:1] in RESOLVERS:
                    value = _plain_scalar(value)
                    if value is UNREAD:
                        return UNREAD
            opened = None
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                return UNREAD
            value = opened = (YamlMap if kind is MappingStartEvent else YamlList)(
                event.start_mark.line + 1
            )
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            continue
        elif kind is DocumentEndEvent:
            break
        else:  # an alias
            return UNREAD
        values += 1
        if values > MAX_YAML_VALUES:
            raise too_many(event.start_mark.line + 1)
        if not stack:
            root = value
        else:
            top = stack[-1]
            container = top[0]
            if container.__class__ is YamlList:
                container.append(value)
                container.item_lines.append(event.start_mark.line + 1)
            elif top[1] is _NO_KEY:
                if opened is not None:
                    return UNREAD  # a mapping or list as a key
                if value in container:
                    twice.append((value, container.key_lines[value], event.start_mark.line + 1))
                    values = _skip_value(next_event, len(stack), values)
                    if values < 0:
                        return UNREAD
                    continue
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
            if len(stack) > MAX_DEPTH:
                raise too_deep(event.start_mark.line + 1)
    if next_event().__class__ is not StreamEndEvent:
        return UNREAD  # a second document
    return root
