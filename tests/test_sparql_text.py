"""SPARQL text: the query form, and variables bound to terms in the text as the engine binds
them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef

from wpsgraph.errors import QueryError
from wpsgraph.queries import bind_parameters, discover
from wpsgraph.sparql_text import query_form, substitute
from wpsgraph.store import OxigraphStore, SelectResult

QUERIES = discover()
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
TODAY = date(2026, 11, 27)
GIVEN = {
    "search": {"text": "Security Council"},
    "overdue-actions": {"as_of": "2028-01-01"},
    "status-history": {"evaluation": "11818"},
}


def rows(result: object) -> list[tuple[str, ...]]:
    assert isinstance(result, SelectResult)
    return [tuple(str(row[v]) for v in result.variables) for row in result.rows]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_canned_query_bound_in_its_text_answers_as_the_engine_binds_it(
    name: str, seed_store: OxigraphStore
) -> None:
    query = QUERIES[name]
    bindings = bind_parameters(query, GIVEN.get(name, {}), TODAY)
    engine = seed_store.query(query.sparql, bindings)
    text = seed_store.query(substitute(query.sparql, bindings))
    assert rows(text) == rows(engine)
    assert text.variables == engine.variables  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_search_text_is_bound_as_a_literal(seed_store: OxigraphStore, text: str) -> None:
    query = QUERIES["search"]
    bindings = bind_parameters(query, {"text": text})
    assert rows(seed_store.query(substitute(query.sparql, bindings))) == rows(
        seed_store.query(query.sparql, bindings)
    )


@pytest.mark.parametrize(
    "hostile",
    [
        '" } ; DROP ALL ; SELECT * { "',
        '""" } } INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
        "back\\slash\nnew line\ttab ?text $text",
        "'single' '''triple'''",
    ],
)
def test_hostile_text_stays_one_literal(hostile: str, empty_store: OxigraphStore) -> None:
    bound = substitute("SELECT ?v WHERE { BIND(?text AS ?v) }", {"text": Literal(hostile)})
    assert rows(empty_store.query(bound)) == [(hostile,)]


def test_a_projected_parameter_keeps_its_column_and_modifiers_take_an_expression() -> None:
    sparql = (
        'SELECT ?x (COUNT(?y) AS ?n) WHERE { ?y ?p "?x" . # ?x in a comment\n'
        "  FILTER(?y != ?x) } GROUP BY ?x ORDER BY DESC(?x) ?x LIMIT 3"
    )
    assert substitute(sparql, {"x": Literal("v")}) == (
        'SELECT ("v" AS ?x) (COUNT(?y) AS ?n) WHERE { ?y ?p "?x" . # ?x in a comment\n'
        '  FILTER(?y != "v") } GROUP BY ("v") ORDER BY DESC("v") ("v") LIMIT 3'
    )


def test_sub_selects_and_iris_are_read_as_the_grammar_reads_them() -> None:
    sparql = "SELECT ?a WHERE { { SELECT ?a ?d WHERE { ?a <urn:p?d> ?d } } FILTER(?d < ?a) }"
    bound = substitute(sparql, {"d": URIRef("urn:x")})
    assert bound == (
        "SELECT ?a WHERE { { SELECT ?a (<urn:x> AS ?d) WHERE { ?a <urn:p?d> <urn:x> } } "
        "FILTER(<urn:x> < ?a) }"
    )


def test_typed_terms_are_written_in_n_triples_form() -> None:
    bound = substitute("ASK { ?s ?p ?d }", {"d": Literal("2027-01-15", datatype=XSD_DATE)})
    assert bound == 'ASK { ?s ?p "2027-01-15"^^<http://www.w3.org/2001/XMLSchema#date> }'
    assert substitute("ASK { ?s ?p ?l }", {"l": Literal("paz", lang="es")}) == (
        'ASK { ?s ?p "paz"@es }'
    )


@pytest.mark.parametrize(
    ("sparql", "term", "message"),
    [
        ("SELECT * WHERE { BIND(1 AS ?x) }", Literal(1), "assigned by the query"),
        ("SELECT * WHERE { ?x ?p ?o }", BNode(), "a blank node cannot be bound"),
        ("SELECT * WHERE { ?x ?p ?o }", URIRef("urn:a> <urn:b"), "not a valid RDF term"),
    ],
)
def test_what_cannot_be_bound_is_refused(sparql: str, term: object, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        substitute(sparql, {"x": term})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("sparql", "form"),
    [
        ("# select nothing\nPREFIX ask: <urn:ask#>\nSELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("BASE <http://x/construct> ask { ?s ?p ?o }", "ASK"),
        ('CONSTRUCT { ?s <urn:p> "DESCRIBE" } WHERE { ?s ?p ?o }', "CONSTRUCT"),
        ("DESCRIBE <urn:a>", "DESCRIBE"),
    ],
)
def test_query_form(sparql: str, form: str) -> None:
    assert query_form(sparql) == form


@pytest.mark.parametrize(
    ("sparql", "message"),
    [
        ("PREFIX a: <urn:a#> INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT is an update"),
        ("DROP ALL", "DROP is an update"),
        ("hello", "not a SPARQL query"),
    ],
)
def test_query_form_refuses_updates_and_non_queries(sparql: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        query_form(sparql)
