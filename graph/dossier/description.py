"""The dossier description (``ontology/dossier.yaml``): which sections and fields each class of
record shows, read once and checked against the ontology, so a new field is a data edit."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import OWL

from graph.errors import CasegraphError
from graph.namespaces import CG
from graph.resources import ontology_dir, ontology_graph

__all__ = ["ClassView", "Description", "FieldSpec", "SectionSpec", "load_description"]

#: The computed fields a description may name (see ``graph.dossier.fields``).
COMPUTED = frozenset({"date"})
_FIELD_KEYS = frozenset({"property", "inverse", "computed", "label", "key", "class", "not_class"})


@dataclass(frozen=True)
class FieldSpec:
    """One field: the property it reads (or ``inverse``: other records' property naming it)."""

    key: str
    label: str
    property: URIRef | None = None
    inverse: bool = False
    computed: str = ""
    only_class: URIRef | None = None
    not_class: URIRef | None = None


@dataclass(frozen=True)
class SectionSpec:
    """A titled group of fields."""

    key: str
    title: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class ClassView:
    """What the dossier of one class shows (its own sections after those of the class it extends)."""

    sections: tuple[SectionSpec, ...] = ()
    timeline: bool = True


@dataclass(frozen=True)
class Description:
    """The whole description: a view per described class."""

    classes: dict[URIRef, ClassView] = field(default_factory=dict)
    #: The fields two conflicting versions can differ in, in order: (field, its properties).
    differences: tuple[tuple[str, tuple[URIRef, ...]], ...] = ()

    def view_for(self, types: set[URIRef]) -> ClassView:
        """The view of the most specific described class among ``types`` (by subclass distance)."""
        graph = ontology_graph()
        best: tuple[int, str, ClassView] | None = None
        for start in types:
            seen, frontier, depth = {start}, [start], 0
            while frontier:
                found = [c for c in frontier if c in self.classes]
                if found:
                    for cls in found:
                        if best is None or (depth, str(cls)) < best[:2]:
                            best = (depth, str(cls), self.classes[cls])
                    break
                nxt = []
                for cls in frontier:
                    for parent in graph.objects(cls, RDFS.subClassOf):
                        if isinstance(parent, URIRef) and parent not in seen:
                            seen.add(parent)
                            nxt.append(parent)
                frontier, depth = nxt, depth + 1
        return best[2] if best is not None else ClassView()

    def properties(self) -> set[URIRef]:
        """Every property a field reads (the dossier leaves these out of its other links)."""
        return {
            f.property
            for view in self.classes.values()
            for s in view.sections
            for f in s.fields
            if f.property is not None and not f.inverse
        }


def _term(name: object, where: str, kinds: tuple[URIRef, ...]) -> URIRef:
    """The ontology term called ``name`` (a local name of the casegraph ontology), or an error."""
    graph = ontology_graph()
    if isinstance(name, str) and name.isidentifier():
        term = URIRef(CG._NS[name])
        if any((term, RDF.type, kind) in graph for kind in kinds):
            return term
    what = "class" if OWL.Class in kinds else "property"
    raise CasegraphError(
        f"{where}: {name!r} is not a {what} of the casegraph ontology (ontology/casegraph.ttl); "
        f"use its local name, e.g. {'Court' if what == 'class' else 'courtType'}"
    )


_PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def _field(raw: object, where: str) -> FieldSpec:
    if not isinstance(raw, dict) or not raw.keys() <= _FIELD_KEYS:
        raise CasegraphError(f"{where}: a field is a mapping of {', '.join(sorted(_FIELD_KEYS))}")
    given = [k for k in ("property", "inverse", "computed") if k in raw]
    if len(given) != 1:
        raise CasegraphError(f"{where}: give exactly one of property, inverse or computed")
    if given == ["computed"]:
        if raw["computed"] not in COMPUTED:
            raise CasegraphError(f"{where}: computed must be one of {', '.join(sorted(COMPUTED))}")
        name = str(raw["computed"])
        return FieldSpec(str(raw.get("key", name)), str(raw.get("label", name)), computed=name)
    inverse = given == ["inverse"]
    prop = _term(raw[given[0]], where, _PROPERTY_KINDS)
    label = raw.get("label") or ontology_graph().value(prop, RDFS.label) or raw[given[0]]
    classes = {
        k: _term(raw[k], where, (OWL.Class,)) if k in raw else None for k in ("class", "not_class")
    }
    return FieldSpec(
        key=str(raw.get("key") or ("inverse_" if inverse else "") + str(raw[given[0]])),
        label=str(label),
        property=prop,
        inverse=inverse,
        only_class=classes["class"],
        not_class=classes["not_class"],
    )


def _section(raw: object, where: str) -> SectionSpec:
    if not isinstance(raw, dict) or not isinstance(raw.get("fields"), list):
        raise CasegraphError(f"{where}: a section is a mapping with key, title and fields (a list)")
    key = str(raw.get("key", ""))
    fields = tuple(_field(f, f"{where}, field {i + 1}") for i, f in enumerate(raw["fields"]))
    return SectionSpec(key, str(raw.get("title", key)), fields)


def _parse(data: object, where: str) -> Description:
    if not isinstance(data, dict) or not isinstance(data.get("classes"), dict):
        raise CasegraphError(
            f"{where}: expected a mapping with `classes:` (see ontology/dossier.yaml)"
        )
    raw_classes: dict[str, dict[str, object]] = data["classes"]
    own: dict[str, ClassView] = {}
    for name, raw in raw_classes.items():
        at = f"{where}, class {name}"
        if not isinstance(raw, dict):
            raise CasegraphError(f"{at}: expected a mapping with sections, extends or timeline")
        sections = raw.get("sections") or []
        if not isinstance(sections, list):
            raise CasegraphError(f"{at}: sections must be a list")
        parsed = tuple(_section(s, f"{at}, section {i + 1}") for i, s in enumerate(sections))
        own[name] = ClassView(parsed, bool(raw.get("timeline", True)))

    def full(name: str, trail: tuple[str, ...] = ()) -> ClassView:
        parent = raw_classes[name].get("extends")
        if parent is None:
            return own[name]
        if not isinstance(parent, str) or parent not in own or parent in trail:
            raise CasegraphError(
                f"{where}, class {name}: extends {parent!r}, not a described class"
            )
        base = full(parent, (*trail, name))
        timeline = raw_classes[name].get("timeline", base.timeline)
        return ClassView(base.sections + own[name].sections, bool(timeline))

    differences = []
    raw_differences = data.get("differences") or []
    if not isinstance(raw_differences, list):
        raise CasegraphError(f"{where}: differences must be a list")
    for i, raw in enumerate(raw_differences):
        at = f"{where}, differences, entry {i + 1}"
        names = raw.get("properties") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(names, list):
            raise CasegraphError(f"{at}: expected {{field: NAME, properties: [P, ...]}}")
        props = tuple(_term(p, at, _PROPERTY_KINDS) for p in names)
        differences.append((str(raw.get("field", "")), props))
    return Description(
        {_term(n, f"{where}, class {n}", (OWL.Class,)): full(n) for n in raw_classes},
        tuple(differences),
    )


def load_description(path: Path | None = None) -> Description:
    """The dossier description at ``path`` (default: the installed ``ontology/dossier.yaml``)."""
    if path is None:
        return _installed()
    return _read(Path(path))


@cache
def _installed() -> Description:
    return _read(ontology_dir() / "dossier.yaml")


def _read(path: Path) -> Description:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CasegraphError(f"{path}: cannot read the dossier description: {error}") from None
    return _parse(data, str(path))
