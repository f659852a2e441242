"""The project's own RDF files (ontology, schemes, register, shapes) as graphs, parsed once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from wpsgraph.errors import WpsGraphError
from wpsgraph.paths import ONTOLOGY_FILE, REGISTER_DIR, SCHEMES_DIR, SHAPES_DIR


def parse_turtle_files(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises parser-specific types
            raise WpsGraphError(f"{path}: cannot parse: {exc}") from exc
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return parse_turtle_files([ONTOLOGY_FILE])


def ontology_iri() -> URIRef:
    """The IRI of the one owl:Ontology of ontology/wps.ttl (its header carries the licence)."""
    iri = ontology_graph().value(None, RDF.type, OWL.Ontology)
    if not isinstance(iri, URIRef):
        raise WpsGraphError(f"{ONTOLOGY_FILE}: no owl:Ontology header")
    return iri


@lru_cache(maxsize=1)
def schemes_graph() -> Graph:
    return parse_turtle_files(sorted(SCHEMES_DIR.glob("*.ttl")))


@lru_cache(maxsize=1)
def register_graph() -> Graph:
    return parse_turtle_files(sorted(REGISTER_DIR.glob("*.ttl")))


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return parse_turtle_files(sorted(SHAPES_DIR.glob("*.ttl")))


@lru_cache(maxsize=1)
def referenced_graph() -> Graph:
    """Schemes + register: the concepts and actors that loaded data points to."""
    return schemes_graph() + register_graph()
