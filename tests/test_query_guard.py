"""The first layer: the nesting pre-check, and the SPARQL 1.1 parse that refuses SERVICE, updates
and outside FROM in what a user writes, while the shipped named queries stay trusted."""

from __future__ import annotations

import contextlib
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import CasegraphError, QueryRefused
from graph.queries import check_query, prepare
from graph.query_guard import MAX_DEPTH, check_user_query, nesting_depth
from graph.resources import queries_dir

SHIPPED = sorted(queries_dir().glob("*.rq"))


# --- nesting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 1),
        ("SELECT * WHERE { FILTER((1 < 2)) }", 3),
        ('SELECT * WHERE { ?s ?p "((((" }', 1),
        ("SELECT * WHERE { ?s ?p '''{{{''' }", 1),
        ("SELECT * WHERE { ?s ?p ?o } # ((((((", 1),
    ],
)
def test_strings_comments_and_iris_do_not_count(text: str, depth: int) -> None:
    assert nesting_depth(text) == depth


@pytest.mark.parametrize(
    "text",
    [
        # What looks like an IRI may be "less than": its brackets count.
        "PREFIX a: <http://x/" + "(" * 70 + "> SELECT * { ?s a:b ?o }",
        "SELECT * { FILTER(1<2)" + "(" * 80 + "1>" + ")" * 80 + "}",
        # A "string" that is really inside an IRI, a comment inside an IRI, a \# escape.
        "SELECT * { ?s <http://x#> ?o . " + "{" * 80 + "}" * 80 + "}",
        "SELECT * { ?s <urn:x'> ?o . " + "{" * 80 + "}" * 80 + "}",
        "SELECT * { ?s ex:a\\#b ?o . " + "(" * 80 + ")" * 80 + "}",
        # Brackets written as codepoint escapes, which the parsers expand first.
        "SELECT * { FILTER(" + "\\u0028" * 80 + "1" + "\\u0029" * 80 + ") }",
        # Closing brackets inside strings must not cancel real opening ones.
        "SELECT * { " + '( ")" ' * 80 + " }",
    ],
)
def test_ambiguous_lexing_never_under_counts(text: str) -> None:
    assert nesting_depth(text) > MAX_DEPTH
    with pytest.raises(QueryRefused, match="nested"):
        check_user_query(text)


@pytest.mark.parametrize("opener", ["{", "(", "["])
def test_deep_nesting_is_refused_before_any_parser(opener: str) -> None:
    text = "SELECT * WHERE " + opener * 10_000
    with pytest.raises(QueryRefused, match=f"nested 10000 deep; the limit is {MAX_DEPTH}"):
        check_query(text)


def test_the_limit_itself_is_accepted() -> None:
    inner = "(" * (MAX_DEPTH - 2) + "1" + ")" * (MAX_DEPTH - 2)
    assert check_user_query(f"SELECT * WHERE {{ FILTER({inner}) }}") == "SELECT"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_queries_are_well_within_the_limit(path: Path) -> None:
    assert nesting_depth(path.read_text(encoding="utf-8")) <= MAX_DEPTH // 4


@given(st.text(alphabet=st.sampled_from("{}()[]<>\"'#\\\n ?x1"), max_size=200))
@settings(max_examples=300, deadline=None)
def test_depth_is_at_least_the_plain_count_outside_quotes_and_comments(text: str) -> None:
    """Without quotes, comments, escapes and IRIs the bound is exactly the bracket depth."""
    plain = "".join(c for c in text if c in "{}()[] ")
    depth = peak = 0
    for char in plain.replace(" ", ""):
        depth = depth + 1 if char in "{([" else max(depth - 1, 0)
        peak = max(peak, depth)
    assert nesting_depth(plain) == peak
    assert nesting_depth(text) >= 0


# --- what a user may write --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <urn:x>", "DESCRIBE"),
        ("SELECT * FROM <urn:casegraph:meta> WHERE { ?s ?p ?o }", "SELECT"),
        ("SELECT * FROM NAMED <urn:casegraph:meta> WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT"),
        ('SELECT ?service WHERE { ?s ?p "SERVICE <http://x/> {}" }', "SELECT"),
    ],
)
def test_standard_queries_pass(text: str, form: str) -> None:
    assert check_user_query(text) == form


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * { SERVICE SILENT ?e { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * FROM <http://x/> { ?s ?p ?o }", "FROM and FROM NAMED"),
        ("BASE <urn:casegraph:> SELECT * FROM <meta> { ?s ?p ?o }", "FROM and FROM NAMED"),
        ("PREFIX c: <urn:casegraph:> SELECT * FROM c:meta { ?s ?p ?o }", "FROM and FROM NAMED"),
        ("SELECT * FROM NAMED <file:///etc/passwd> { ?s ?p ?o }", "FROM and FROM NAMED"),
        ("LOAD <http://x/>", "LOAD is refused"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA is refused"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE is refused"),
        ("CLEAR ALL", "CLEAR is refused"),
    ],
)
def test_refusals_name_what_is_refused(text: str, message: str) -> None:
    with pytest.raises(QueryRefused, match=message):
        check_user_query(text)


def test_lateral_is_refused_in_user_text_with_a_reason() -> None:
    text = "SELECT * WHERE {\n  ?s ?p ?o .\n  LATERAL { ?s ?q ?x }\n}"
    with pytest.raises(CasegraphError, match=r"line \d.*LATERAL is an extension") as caught:
        check_user_query(text, where="q.rq")
    assert str(caught.value).startswith("q.rq, line ")


def test_syntax_errors_name_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("SELECT *\nWHERE {\n  ?s ?p\n}\n", encoding="utf-8")
    with pytest.raises(CasegraphError, match=rf"{path}, line \d+: not valid SPARQL 1.1"):
        prepare(str(path))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_queries_are_trusted_but_a_copy_that_adds_service_is_not(
    path: Path, tmp_path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    assert check_query(text) in ("SELECT", "CONSTRUCT")
    evil = text.replace("WHERE {", "WHERE { SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } ", 1)
    copy = tmp_path / path.name
    copy.write_text(evil, encoding="utf-8")
    with pytest.raises(CasegraphError):
        prepare(str(copy))


# --- junk never crashes -----------------------------------------------------------------------

TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", "<", ">",
    "?s", "$o", "<urn:x>", '"x"', "'''", '"""', "#", "\n", "\\", "\\u0053", "SERVICE", "LATERAL",
    "FILTER", "OPTIONAL", "UNION", "BIND", "AS", "VALUES", "GRAPH", ".", ";", ",", "*", "a",
    "PREFIX", "p:", "BASE", "FROM", "NAMED", "LOAD", "INSERT", "1", "<<", ">>", "^^", "@en",
]  # fmt: skip


@given(st.text(max_size=300))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_text_gives_only_plain_errors(text: str) -> None:
    with contextlib.suppress(CasegraphError):
        check_query(text)


@given(st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_token_soup_gives_only_plain_errors(text: str) -> None:
    with contextlib.suppress(CasegraphError):
        check_query(text)


@given(st.text(alphabet=string.printable, min_size=1, max_size=80))
@settings(max_examples=100, deadline=None)
def test_random_parameter_values_never_reach_the_text(value: str) -> None:
    prepared = prepare("SELECT ?x WHERE { BIND(?who AS ?x) }", {"who": value})
    assert prepared.text == "SELECT ?x WHERE { BIND(?who AS ?x) }"


def test_the_engine_reads_the_tokens_rdflib_read() -> None:
    """rdflib expands codepoint escapes before parsing; the engine does not. Given the user's
    text, the engine would run a SERVICE that rdflib read inside a string (it did, before)."""
    service = "SERVICE SILENT <http://127.0.0.1:9/> {}"
    text = f'SELECT * {{ ?s ?p ?o FILTER(?o NOT IN ("a\\u0022, " ) ) {service} #"))\n }}'
    assert check_user_query(text) == "SELECT"  # to rdflib, the SERVICE is in a string
    prepared = prepare(text)
    assert prepared.text == text.replace("\\u0022", '"')
