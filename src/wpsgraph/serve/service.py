"""The SPARQL service description (W3C sd: vocabulary) that /sparql answers when asked no query."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from wpsgraph.serve.limits import Limits
from wpsgraph.vocab import TITLE, bind_prefixes

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)
# rdflib's serializer names for the graph formats the description is offered in.
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def service_description(endpoint: str, limits: Limits) -> Graph:
    graph = bind_prefixes(Graph())
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = BNode()
    dataset = BNode()
    default_graph = BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((service, DCTERMS.title, Literal(TITLE)))
    graph.add((service, RDFS.comment, Literal(_limits_text(limits))))
    return graph


def _limits_text(limits: Limits) -> str:
    return (
        "Read-only: updates, LOAD, SERVICE and FROM of graphs the store does not hold are refused "
        "with 400. The default graph is the union of all graphs; each evaluation is a named "
        "graph (Graph Store Protocol: GET ?graph=IRI). "
        f"Each query may run {limits.timeout_s:g} s (then 504); {limits.workers} run at once "
        f"and {limits.queue} may wait (then 503 with Retry-After); a query may be "
        f"{limits.max_query_bytes:,} bytes long (then 413); an answer may be "
        f"{limits.max_result_bytes / 2**20:g} MiB (then 422, never a truncated answer)."
    )
