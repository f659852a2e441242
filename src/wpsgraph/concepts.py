"""The closed lists (SKOS schemes) as a lookup from printed label to concept."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from wpsgraph.register import normalize_name
from wpsgraph.vocab import WPS

SCHEME_CLASSES = (
    WPS.ActionStatus,
    WPS.ResponseCategory,
    WPS.ApprovalStatus,
    WPS.OfficeType,
    WPS.ThematicArea,
    WPS.OperatingPrinciple,
    WPS.OrganizationalPriority,
    WPS.UNEGCriterion,
    WPS.PartySeparation,
)


def normalise_label(text: str) -> str:
    """Case, quotes and spacing do not distinguish printed values: the register's normal form of
    a name, case-folded."""
    return normalize_name(text).casefold()


@dataclass(frozen=True)
class ConceptIndex:
    """Printed label -> concept IRI, per scheme class; each concept's skos:closeMatch and its
    English skos:prefLabel."""

    by_label: dict[URIRef, dict[str, URIRef]]
    close_match: dict[URIRef, URIRef]
    pref_label: dict[URIRef, str]

    @classmethod
    def from_graph(cls, graph: Graph) -> ConceptIndex:
        by_label: dict[URIRef, dict[str, URIRef]] = {c: {} for c in SCHEME_CLASSES}
        for scheme_class, labels in by_label.items():
            for concept in graph.subjects(RDF.type, scheme_class):
                for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
                    for label in graph.objects(concept, prop):
                        labels[normalise_label(str(label))] = URIRef(concept)
        close_match = {
            URIRef(s): URIRef(o)
            for s, o in graph.subject_objects(SKOS.closeMatch)
            if isinstance(o, URIRef)
        }
        pref_label = {
            URIRef(s): str(o)
            for s, o in graph.subject_objects(SKOS.prefLabel)
            if isinstance(o, Literal) and o.language == "en"
        }
        return cls(by_label, close_match, pref_label)

    def lookup(self, scheme_class: URIRef, printed: str) -> URIRef | None:
        """The concept a printed value denotes, or None when the scheme does not list it."""
        return self.by_label[scheme_class].get(normalise_label(printed))
