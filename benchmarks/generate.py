"""A seeded generator of synthetic case graphs, written as casegraph YAML case files.

The graphs are shaped like the real data: defendants with one to three cases, each case a chain of
arrest, charge, trial session, sentence, appeal and Supreme Court outcome (sometimes an execution);
courts with branches and judges; charges from the vocabulary; protests; a prison campaign with
weekly participation; every claim citing one or two graded sources; some contested claims and
some restricted records. Every name is obviously fictional ("Person 000123", "Court 03 Branch 12").

    python -m benchmarks.generate --size 10k        # writes benchmarks/data/10k/

Besides the YAML, the step writes ``compiled.nt``: the same data compiled by casegraph (plus the
ontology, as the store holds it) in N-Triples, which the rdflib baseline parses, and
``manifest.json`` with the counts and ids the benchmarks look up.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

__all__ = [
    "SIZES",
    "Shape",
    "cases_dir",
    "compile_ntriples",
    "data_dir",
    "generate",
    "shape_for",
]

ROOT = Path(__file__).resolve().parent
FORMAT_VERSION = 2

#: Defendants per size, calibrated so that the compiled graph has about the named number of triples.
SIZES: dict[str, int] = {"tiny": 12, "10k": 40, "100k": 480, "1m": 5000, "5m": 25000}

CHARGES = (
    "moharebeh",
    "efsad_fel_arz",
    "baghi",
    "assembly_collusion",
    "propaganda",
    "forming_group",
    "disrupting_order",
    "publishing_falsehoods",
    "insulting_leader",
)
RELIABILITY = (("high", 2), ("medium", 5), ("low", 2), ("unverified", 1))
OCCUPATIONS = ("student", "worker", "teacher", "nurse", "shopkeeper", "driver", "engineer")
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@dataclass(frozen=True)
class Shape:
    """How many of each kind of record a size has."""

    people: int
    courts: int
    branches_per_court: int
    supreme_branches: int
    protests: int
    prisons: int
    organisations: int
    publishers: int
    sources: int
    campaign_weeks: int
    people_per_file: int = 250
    sources_per_file: int = 2500


def shape_for(people: int) -> Shape:
    """The shape of a graph with ``people`` defendants."""
    sources = max(24, people // 2)
    return Shape(
        people=people,
        courts=max(2, people // 300),
        branches_per_court=6,
        supreme_branches=max(2, people // 1000),
        protests=max(3, people // 150),
        prisons=max(3, people // 250),
        organisations=max(3, people // 250),
        publishers=max(6, sources // 40),
        sources=sources,
        campaign_weeks=min(104, max(4, people // 40)),
    )


def data_dir(size: str) -> Path:
    """Where the generated files of a size live: ``cases/``, ``compiled.nt``... under
    ``benchmarks/data/`` (git-ignored), or under ``$CASEGRAPH_BENCH_DATA`` when it is set."""
    return Path(os.environ.get("CASEGRAPH_BENCH_DATA") or ROOT / "data") / size


def cases_dir(size: str) -> Path:
    """The YAML case files of a size (the only files in that folder, so it loads as a whole)."""
    return data_dir(size) / "cases"


class _Writer:
    """Block-style YAML with flow-style values: JSON strings are valid YAML scalars."""

    def __init__(self, visibility: str = "public") -> None:
        self.lines = ["casegraph: 1", f"visibility: {visibility}"]

    def section(self, name: str, records: list[dict[str, Any]]) -> None:
        """Append one section of records."""
        if not records:
            return
        self.lines += ["", f"{name}:"]
        for record in records:
            for index, (key, value) in enumerate(record.items()):
                self.lines.append(f"{'  - ' if index == 0 else '    '}{key}: {_flow(value)}")

    def write(self, path: Path) -> None:
        """Write the file."""
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")


_PLAIN = re.compile(r"^[a-z][a-z0-9_]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def _flow(value: Any) -> str:
    if isinstance(value, str):
        if _PLAIN.match(value) and value not in _YAML_WORDS:
            return value
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool | int):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r}")


class _Maker:
    """Draws the records of one graph from one seeded random generator."""

    def __init__(self, shape: Shape, seed: int) -> None:
        self.shape = shape
        self.rng = random.Random(seed)
        self.branches = [
            f"c{c:02d}_b{b:02d}"
            for c in range(1, shape.courts + 1)
            for b in range(1, shape.branches_per_court + 1)
        ]
        self.supreme = [f"c00_b{b:02d}" for b in range(1, shape.supreme_branches + 1)]
        all_branches = self.branches + self.supreme
        self.judge_of = {branch: f"j{n:04d}" for n, branch in enumerate(all_branches, start=1)}
        self.cases: list[str] = []
        self.death_sentences: list[str] = []

    # --- helpers -------------------------------------------------------------------------------

    def cite(self) -> list[str]:
        """One or two sources."""
        picks = self.rng.sample(range(1, self.shape.sources + 1), self.rng.choice((1, 1, 2)))
        return [f"s{n:06d}" for n in sorted(picks)]

    def day(self, start: date, spread: int) -> date:
        """A day up to ``spread`` days after ``start``."""
        return start + timedelta(days=self.rng.randint(1, spread))

    def when(self, day: date) -> str:
        """A date written the ways researchers write them (mostly exact)."""
        roll = self.rng.random()
        if roll < 0.86:
            return day.isoformat()
        if roll < 0.91:
            return f"around {day.isoformat()}"
        if roll < 0.95:
            return day.isoformat()[:7]
        if roll < 0.98:
            return f"before {day.isoformat()}"
        import jdatetime

        return jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d") + " SH"

    def restricted(self, record: dict[str, Any], share: float = 0.03) -> dict[str, Any]:
        """Mark a small share of records restricted."""
        if self.rng.random() < share:
            record["visibility"] = "restricted"
        return record

    # --- institutions --------------------------------------------------------------------------

    def sources(self, first: int, last: int) -> list[dict[str, Any]]:
        """Sources ``first`` to ``last``, with publishers, grades and a few mirrors."""
        grades = [g for g, weight in RELIABILITY for _ in range(weight)]
        records = []
        for n in range(first, last + 1):
            publisher = self.rng.randint(1, self.shape.publishers)
            record: dict[str, Any] = {
                "id": f"s{n:06d}",
                "title": f"Source {n:06d}",
                "publisher": f"Publisher {publisher:03d} (Author {self.rng.randint(1, 999):03d})",
                "url": f"https://example.org/source/{n:06d}",
                "date": self.day(date(2022, 1, 1), 1500).isoformat(),
                "language": self.rng.choice(("en", "en", "fa")),
                "reliability": self.rng.choice(grades),
            }
            if n > 1 and self.rng.random() < 0.04:
                record["mirror_of"] = f"s{self.rng.randint(1, n - 1):06d}"
            if publisher <= self.shape.organisations and self.rng.random() < 0.5:
                record["published_by"] = f"org{publisher:03d}"
            records.append(record)
        return records

    def organisations(self) -> list[dict[str, Any]]:
        """Documenting organisations (the first publishers)."""
        return [
            {
                "id": f"org{n:03d}",
                "name": f"Organisation {n:03d}",
                "kind": self.rng.choice(("human_rights", "human_rights", "news")),
                "sources": self.cite(),
            }
            for n in range(1, self.shape.organisations + 1)
        ]

    def courts(self) -> list[dict[str, Any]]:
        """Revolutionary courts with branches, and the Supreme Court with its branches."""
        records: list[dict[str, Any]] = [
            {"id": "c00", "name": "Court 00", "type": "supreme", "sources": self.cite()}
        ]
        for c in range(1, self.shape.courts + 1):
            records.append(
                {
                    "id": f"c{c:02d}",
                    "name": f"Court {c:02d}",
                    "type": "revolutionary",
                    "city": f"City {c:02d}",
                    "sources": self.cite(),
                }
            )
        for branch in self.branches + self.supreme:
            court, number = branch.split("_b")
            records.append(
                {
                    "id": branch,
                    "name": f"Court {court[1:]} Branch {number}",
                    "type": "supreme" if court == "c00" else "revolutionary",
                    "branch": str(int(number)),
                    "part_of": court,
                    "sources": self.cite(),
                }
            )
        return records

    def judges(self) -> list[dict[str, Any]]:
        """One presiding judge per branch."""
        return [
            {
                "id": judge,
                "name": f"Judge {judge[1:]}",
                "roles": [
                    {
                        "role": "judge",
                        "text": "presiding judge",
                        "at": branch,
                        "sources": self.cite(),
                    }
                ],
                "sources": self.cite(),
            }
            for branch, judge in self.judge_of.items()
        ]

    def prisons(self) -> list[dict[str, Any]]:
        """Prisons."""
        return [
            {
                "id": f"prison{n:02d}",
                "name": f"Prison {n:02d}",
                "city": f"City {n:02d}",
                "sources": self.cite(),
            }
            for n in range(1, self.shape.prisons + 1)
        ]

    def protests(self) -> list[dict[str, Any]]:
        """Protests."""
        return [
            {
                "id": f"pt{n:03d}",
                "name": f"Protest {n:03d}",
                "start": self.day(date(2022, 1, 1), 1400).isoformat(),
                "place": f"City {self.rng.randint(1, 40):02d}",
                "sources": self.cite(),
            }
            for n in range(1, self.shape.protests + 1)
        ]

    def campaign(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """One campaign and its weekly participation events."""
        prisons = [f"prison{n:02d}" for n in range(1, self.shape.prisons + 1)]
        start = date(2024, 1, 30)
        founders = [f"p{n:06d}" for n in range(1, min(4, self.shape.people) + 1)]
        campaign = {
            "id": "camp01",
            "name": "Campaign 01",
            # no "start": the sources disagree, so each start date is an attribute of its own
            "origin_prison": prisons[0],
            "founding_participants": founders,
            "participating_prisons": prisons,
            "protests": ["pt001"],
            "attributes": [
                {"attribute": "start_date", "value": start.isoformat(), "sources": self.cite()},
                {
                    "attribute": "start_date",
                    "value": (start - timedelta(days=7)).isoformat(),
                    "sources": self.cite(),
                },
            ],
            "sources": self.cite(),
        }
        weeks = []
        taking_part: list[str] = []
        for week in range(1, self.shape.campaign_weeks + 1):
            joined = [p for p in prisons if p not in taking_part and self.rng.random() < 0.2]
            if not taking_part and not joined:
                joined = prisons[:1]
            taking_part += joined
            record: dict[str, Any] = {
                "id": f"ev_camp01_w{week:03d}",
                "type": "campaign_week",
                "date": (start + timedelta(weeks=week - 1)).isoformat(),
                "campaign": "camp01",
                "week": week,
                "prison_count": len(taking_part),
                "prisons": sorted(taking_part),
                "sources": self.cite(),
            }
            if joined:
                record["joined_prisons"] = joined
            weeks.append(record)
        return [campaign], weeks

    # --- people and their cases ----------------------------------------------------------------

    def person(self, n: int) -> dict[str, Any]:
        """A defendant with roles, (sometimes contested) attributes and a protest."""
        pid = f"p{n:06d}"
        record: dict[str, Any] = {"id": pid, "name": f"Person {n:06d}"}
        if self.rng.random() < 0.2:
            persian = f"شخص {n:06d}".translate(_PERSIAN_DIGITS)
            record["names"] = [
                {"name": persian, "lang": "fa", "script": "Persian", "sources": self.cite()}
            ]
        roles = [{"role": "protester", "sources": self.cite()}]
        if self.rng.random() < 0.1:
            roles.append({"role": "political_prisoner", "sources": self.cite()})
        record["roles"] = roles
        age = self.rng.randint(17, 60)
        attributes = [{"attribute": "age", "value": str(age), "sources": self.cite()}]
        if self.rng.random() < 0.06:
            attributes.append({"attribute": "age", "value": str(age + 1), "sources": self.cite()})
        if self.rng.random() < 0.3:
            attributes.append(
                {
                    "attribute": "occupation",
                    "value": self.rng.choice(OCCUPATIONS),
                    "sources": self.cite(),
                }
            )
        record["attributes"] = attributes
        record["protests"] = [f"pt{self.rng.randint(1, self.shape.protests):03d}"]
        record["sources"] = self.cite()
        return self.restricted(record)

    def case(self, n: int, k: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Case ``k`` of person ``n`` and its chain of events."""
        rng = self.rng
        pid = f"p{n:06d}"
        cid = f"case_{pid}_{k}"
        branch = rng.choice(self.branches)
        judge = self.judge_of[branch]
        protest = f"pt{rng.randint(1, self.shape.protests):03d}"
        prison = f"prison{rng.randint(1, self.shape.prisons):02d}"
        case = {
            "id": cid,
            "name": f"Case {n:06d}-{k}",
            "defendants": [pid],
            "court": branch,
            "incident": f"Incident {n:06d}-{k}",
            "protests": [protest],
            "sources": self.cite(),
        }
        self.cases.append(cid)
        charges = sorted(rng.sample(CHARGES, rng.choice((1, 1, 2))))
        day = self.day(date(2022, 1, 1), 1200)
        events: list[dict[str, Any]] = []

        def event(kind: str, suffix: str = "", **fields: Any) -> dict[str, Any]:
            nonlocal day
            day = self.day(day, 60)
            record: dict[str, Any] = {
                "id": f"ev_{cid[5:]}_{kind}{suffix}",
                "type": kind,
                "date": self.when(day),
            }
            record.update(fields)
            record["sources"] = self.cite()
            events.append(self.restricted(record, 0.02))
            return record

        event("arrest", people=[pid], protest=protest, place=prison, case=cid)
        event("charge", people=[pid], court=branch, charges=charges, case=cid)
        event("trial_session", people=[pid], court=branch, judge=judge, case=cid)
        death = rng.random() < 0.35
        sentence_fields: dict[str, Any] = {
            "people": [pid],
            "court": branch,
            "judge": judge,
            "charges": charges,
            "case": cid,
        }
        if rng.random() < 0.15 and n > 1:
            sentence_fields["co_defendants"] = [f"p{rng.randint(1, n - 1):06d}"]
        if death:
            sentence_fields["sentence"] = "death"
        else:
            sentence_fields["sentence"] = "prison"
            sentence_fields["sentence_term"] = f"{rng.randint(1, 15)} years"
        if rng.random() < 0.4:
            sentence_fields["documented_by"] = [
                f"org{rng.randint(1, self.shape.organisations):03d}"
            ]
        sentence = event("death_sentence" if death else "prison_sentence", **sentence_fields)
        if death:
            self.death_sentences.append(sentence["id"])
        roll = rng.random()
        if roll < 0.04:
            event(
                "official_denial", people=[pid], contradicts=[sentence["id"]], confidence="disputed"
            )
        elif roll < 0.07:
            event(sentence["type"], "_other", contradicts=[sentence["id"]], **sentence_fields)
        event("appeal", people=[pid], case=cid)
        upheld = rng.random() < 0.7
        supreme = rng.choice(self.supreme)
        event(
            "supreme_court_upheld" if upheld else "supreme_court_overturned",
            people=[pid],
            court=supreme,
            judge=self.judge_of[supreme],
            case=cid,
        )
        if death and upheld and rng.random() < 0.25:
            event("execution", people=[pid], place=prison, case=cid)
        return case, events


def _chunks(first: int, last: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(first, last + 1, size):
        yield start, min(last, start + size - 1)


def generate(size: str, seed: int = 20260207, folder: Path | None = None) -> dict[str, Any]:
    """Write the case files of a size; returns the manifest (also written as ``manifest.json``)."""
    shape = shape_for(SIZES[size])
    root = folder or data_dir(size)
    out = root / "cases"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.yaml"):
        old.unlink()
    maker = _Maker(shape, seed)
    for number, (first, last) in enumerate(_chunks(1, shape.sources, shape.sources_per_file)):
        writer = _Writer()
        writer.section("sources", maker.sources(first, last))
        writer.write(out / f"00-sources-{number:03d}.yaml")
    writer = _Writer()
    writer.section("organisations", maker.organisations())
    writer.section("courts", maker.courts())
    writer.section("prisons", maker.prisons())
    writer.section("protests", maker.protests())
    writer.section("people", maker.judges())
    writer.write(out / "01-institutions.yaml")
    campaigns, weeks = maker.campaign()
    writer = _Writer()
    writer.section("campaigns", campaigns)
    writer.section("events", weeks)
    writer.write(out / "02-campaign.yaml")
    for number, (first, last) in enumerate(_chunks(1, shape.people, shape.people_per_file)):
        people, cases, events = [], [], []
        for n in range(first, last + 1):
            people.append(maker.person(n))
            for k in range(1, maker.rng.choice((1, 1, 1, 2, 2, 3)) + 1):
                case, chain = maker.case(n, k)
                cases.append(case)
                events += chain
        writer = _Writer()
        writer.section("people", people)
        writer.section("cases", cases)
        writer.section("events", events)
        writer.write(out / f"10-people-{number:04d}.yaml")
    manifest = {
        "format": FORMAT_VERSION,
        "size": size,
        "seed": seed,
        "shape": asdict(shape),
        "files": sorted(p.name for p in out.glob("*.yaml")),
        "sample": {
            "person": "Person 000007",
            "person_id": "p000007",
            "other_person_id": f"p{shape.people:06d}",
            "judge_id": maker.judge_of[maker.branches[0]],
            "branch_id": maker.branches[0],
            "court_id": "c01",
            "supreme_id": maker.supreme[0],
            "case_id": maker.cases[0],
            "campaign_id": "camp01",
            "protest_id": "pt001",
            "prison_id": "prison01",
            "source_id": "s000001",
            "search_text": "Person 00000",
        },
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def compile_ntriples(size: str, folder: Path | None = None) -> int:
    """Compile the size's case files with casegraph and write ``compiled.nt``: the data and the
    ontology, exactly the statements the store's default graph holds. Returns the triple count."""
    from rdflib import Graph

    from graph.reading import input_files, read_file
    from graph.resources import ontology_graph

    out = folder or data_dir(size)
    union = Graph()
    for triple in ontology_graph():
        union.add(triple)
    for path in input_files([out / "cases"]):
        compiled = read_file(path)
        if compiled.problems:
            raise SystemExit(f"{path}: {compiled.problems[0]}")
        for triple in compiled.graph:
            union.add(triple)
    union.serialize(destination=out / "compiled.nt", format="nt", encoding="utf-8")
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["triples"] = len(union)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return len(union)


def main() -> None:
    """Generate the case files of one size (and their compiled N-Triples, unless told not to)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--seed", type=int, default=20260207)
    parser.add_argument("--no-compile", action="store_true", help="write only the YAML")
    args = parser.parse_args()
    manifest = generate(args.size, args.seed)
    print(f"{data_dir(args.size)}: {len(manifest['files'])} files")
    if not args.no_compile:
        print(f"compiled.nt: {compile_ntriples(args.size)} triples")


if __name__ == "__main__":
    main()
