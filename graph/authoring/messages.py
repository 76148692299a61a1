"""Pydantic validation errors of case-file records, in plain words at the line of the field."""

from __future__ import annotations

import difflib
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from graph.authoring.reader import YamlList, YamlMap, line_at
from graph.authoring.records import ID_PATTERN, SECTIONS
from graph.errors import Problem

__all__ = ["field_name", "problems_from"]


def _clean(raw: YamlMap, location: tuple[int | str, ...]) -> list[int | str]:
    """The error location with pydantic's union tags dropped, so it follows the data."""
    node: Any = raw
    steps: list[int | str] = []
    last = len(location) - 1
    for i, step in enumerate(location):
        if isinstance(node, YamlMap):
            if step in node or i == last:  # a missing field is the last step; tags never are
                steps.append(step)
                node = node.get(step)
        elif isinstance(node, YamlList) and isinstance(step, int):
            steps.append(step)
            node = node[step] if 0 <= step < len(node) else None
        elif isinstance(step, int):
            steps.append(step)
    return steps


def field_name(steps: list[int | str]) -> str:
    """A location as a researcher reads it: ``roles[1].role`` (items counted from 1)."""
    text = ""
    for step in steps:
        text += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation contains, however deeply (lists, unions, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _model_at(model: type[BaseModel], steps: list[int | str]) -> type[BaseModel] | None:
    """The model that holds the last field of ``steps``."""
    for step in steps[:-1]:
        if isinstance(step, int):
            continue
        fields = {info.alias or key: info for key, info in model.model_fields.items()}
        found = _models_in(fields[step].annotation) if step in fields else []
        if not found:
            return None
        model = found[0]
    return model


def _allowed(model: type[BaseModel] | None) -> dict[str, Any]:
    """The fields of a model by the name a case file uses."""
    if model is None:
        return {}
    return {info.alias or key: info for key, info in model.model_fields.items()}


def _message(error: Any, steps: list[int | str], model: type[BaseModel]) -> str:
    """One pydantic error in plain words."""
    kind, value = error["type"], error.get("input")
    name = str(steps[-1]) if steps and isinstance(steps[-1], str) else ""
    fields = _allowed(_model_at(model, steps))
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown field '{name}'{hint}"
    if kind == "missing" and name == "sources":
        return (
            "missing 'sources': list the ids of the sources that report this (every fact needs one)"
        )
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "too_short" and name == "sources":
        return "'sources' is empty: list the ids of the sources that report this (every fact needs one)"
    if kind == "string_pattern_mismatch" and error["ctx"]["pattern"] == ID_PATTERN:
        return f"'{value}' is not a valid id: use letters, digits, _ and -, starting with a letter"
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not a BCP 47 language tag (such as fa, en, ar, az)"
    if kind == "list_type" and name in fields and ID_PATTERN in repr(fields[name]):
        return f"expected a list of ids, such as [{value}]"
    if kind == "list_type":
        return (
            f"expected a list, such as [{value}]" if isinstance(value, str) else "expected a list"
        )
    if kind == "string_type" and isinstance(value, bool):
        return "expected text; put the value in quotes (YAML reads yes/no/true/false as yes-or-no)"
    if kind == "string_type":
        return "expected text" + (
            ", not a list or a mapping" if isinstance(value, list | dict) else ""
        )
    if kind == "literal_error":
        return f"'{value}' is not allowed here; expected {error['ctx']['expected']}"
    if kind.startswith("int_"):
        return f"expected a whole number, not '{value}'"
    if kind == "greater_than_equal":
        return f"{name or 'the value'} must be a whole number of at least {error['ctx']['ge']}, not {value}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "expected fields (name: value), not a single value"
    return str(error["msg"])


def _misspelt(errors: list[Any], raw: YamlMap, model: type[BaseModel]) -> set[tuple[Any, ...]]:
    """Locations of required fields that an unknown field probably misspells (reported once)."""
    found = set()
    for item in errors:
        if item["type"] == "extra_forbidden":
            steps = _clean(raw, tuple(item["loc"]))
            fields = _allowed(_model_at(model, steps))
            for close in difflib.get_close_matches(str(steps[-1]), list(fields), n=1, cutoff=0.6):
                found.add((*steps[:-1], close))
    return found


def problems_from(
    error: ValidationError, raw: YamlMap, path: str, section: str, record_id: str | None
) -> list[Problem]:
    """The problems of one record's validation error, each at the line of the offending field.

    A required field that is missing because it was misspelt is reported once, as the misspelling.
    """
    model = SECTIONS[section]
    errors = error.errors()
    misspelt = _misspelt(errors, raw, model)
    problems = []
    for item in errors:
        steps = _clean(raw, tuple(item["loc"]))
        if item["type"] == "missing" and tuple(steps) in misspelt:
            continue
        line = line_at(raw, steps) if steps else raw.line
        problems.append(
            Problem(
                path,
                line,
                _message(item, steps, model),
                record=record_id,
                field=field_name(steps) or None,
            )
        )
    return problems
