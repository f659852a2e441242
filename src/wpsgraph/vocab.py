"""Namespaces. WPS terms go through a DefinedNamespace that fails on a typo; tests check each one
is declared in ontology/wps.ttl."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    VANN,
    VOID,
    XSD,
    ClosedNamespace,
    DefinedNamespace,
)

BASE = "https://w3id.org/wpsgraph/"
# The dataset's title: here, not in describe.py, so that the server names it without importing
# what describes the store.
TITLE = "wpsgraph: Women, Peace and Security commitments"
WPS_NS = BASE + "ontology#"


class WPS(DefinedNamespace):
    """The wpsgraph ontology (ontology/wps.ttl)."""

    _NS = Namespace(WPS_NS)
    _fail = True

    # classes
    Evaluation: URIRef
    ManagementResponse: URIRef
    Recommendation: URIRef
    RecommendationResponse: URIRef
    KeyAction: URIRef
    Actor: URIRef
    Unit: URIRef
    Partner: URIRef
    KnowledgeProduct: URIRef
    EvaluationGraph: URIRef
    SourceVersion: URIRef
    ActionObservation: URIRef
    HistoryGraph: URIRef
    LinkedGraph: URIRef
    ExternalIdentifier: URIRef
    WikidataItem: URIRef
    IATIOrganisationIdentifier: URIRef
    UNDocumentSymbol: URIRef
    ActionStatus: URIRef
    ResponseCategory: URIRef
    ApprovalStatus: URIRef
    OfficeType: URIRef
    ThematicArea: URIRef
    OperatingPrinciple: URIRef
    OrganizationalPriority: URIRef
    UNEGCriterion: URIRef
    ObservedDateSource: URIRef
    PartySeparation: URIRef
    # object properties
    respondsTo: URIRef
    respondingUnit: URIRef
    officeType: URIRef
    approvalStatus: URIRef
    recommendationOf: URIRef
    addresses: URIRef
    partOfResponse: URIRef
    responseCategory: URIRef
    inferredResponseCategory: URIRef
    thematicArea: URIRef
    operatingPrinciple: URIRef
    organizationalPriority: URIRef
    unegCriterion: URIRef
    forRecommendation: URIRef
    responsibleUnit: URIRef
    supportingUnit: URIRef
    status: URIRef
    mentions: URIRef
    versionOf: URIRef
    observedAction: URIRef
    observedIn: URIRef
    observedStatus: URIRef
    observedDateSource: URIRef
    partySeparation: URIRef
    externalIdentifier: URIRef
    # datatype properties
    evaluationId: URIRef
    evaluationType: URIRef
    number: URIRef
    printedLabel: URIRef
    text: URIRef
    description: URIRef
    planPeriodStart: URIRef
    planPeriodEnd: URIRef
    deadline: URIRef
    deadlineDate: URIRef
    printedStatus: URIRef
    comments: URIRef
    responsibleText: URIRef
    unresolvedResponsible: URIRef
    resourceCondition: URIRef
    unlistedValue: URIRef
    truncated: URIRef
    sourceFile: URIRef
    sourceSha256: URIRef
    observedDate: URIRef
    observedDeadline: URIRef
    observedComments: URIRef
    recommendationNumber: URIRef
    actionNumber: URIRef
    firstObserved: URIRef
    statusSince: URIRef
    deadlineMovedFrom: URIRef
    slug: URIRef
    acronym: URIRef


# schema.org: we use http://schema.org/ (the IRI in schema.org's own RDF and JSON-LD context),
# not the https form rdflib binds by default. Closed so a typo fails like WPS does.
SCHEMA = ClosedNamespace(
    "http://schema.org/",
    [
        "Action",
        "CreativeWork",
        "actionStatus",
        "agent",
        "participant",
        "mentions",
        "sameAs",
        "PotentialActionStatus",
        "ActiveActionStatus",
        "CompletedActionStatus",
        "FailedActionStatus",
    ],
)

PREFIXES: dict[str, Namespace | str] = {
    "wps": WPS_NS,
    "schema": "http://schema.org/",
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "vann": str(VANN),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "xsd": str(XSD),
    "wpsid": BASE,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind our prefixes, overriding rdflib's https schema.org default."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, Namespace(str(ns)), override=True, replace=True)
    return graph
