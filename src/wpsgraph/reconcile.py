"""Matching another publisher's organisations and units to the wpsgraph register.

A node of the imported graph matches a register actor when it is the same IRI, when an
equivalence (skos:exactMatch, owl:sameAs, schema:sameAs) joins them, directly or through an
outside identifier both name, or when one of its labels or acronyms names the actor (compared as
the register compares printed names: wpsgraph.register.normalize_name, acronyms case-sensitive).
A unit matches a register unit by label only when it says it is a unit of the same
organisation: "Regional Offices" of another organisation are not UN Women's. A node with more
than one candidate is reported as ambiguous and never linked; nothing is guessed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, RDFS, SKOS

from wpsgraph.register import UNIT, Register
from wpsgraph.vocab import SCHEMA, WPS

Node = URIRef | BNode
ACTOR_TYPES = (
    WPS.Actor,
    WPS.Unit,
    WPS.Partner,
    ORG.Organization,
    ORG.FormalOrganization,
    ORG.OrganizationalUnit,
)
# Properties whose values are actors: their IRIs are reconciled even when the graph types none.
ACTOR_PROPERTIES = (
    WPS.respondingUnit,
    WPS.responsibleUnit,
    WPS.supportingUnit,
    WPS.mentions,
    DCTERMS.publisher,
)
EQUIVALENCES = (SKOS.exactMatch, OWL.sameAs, SCHEMA.sameAs)
LABELS = (SKOS.prefLabel, SKOS.altLabel, RDFS.label, WPS.acronym)
UNIT_OF = (ORG.unitOf, ORG.subOrganizationOf)


@dataclass(frozen=True)
class Match:
    node: URIRef  # in the imported graph
    actor: URIRef  # in the register
    evidence: str  # why: "the same IRI", "owl:sameAs <...>", "label 'DPPA'"


@dataclass(frozen=True)
class Ambiguity:
    node: Node
    candidates: tuple[URIRef, ...]
    evidence: str


@dataclass(frozen=True)
class Unmatched:
    node: Node
    name: str  # its first label, for people
    note: str = ""  # why a candidate was not taken, when one was seen


@dataclass
class Reconciliation:
    matches: list[Match]
    ambiguous: list[Ambiguity]
    unmatched: list[Unmatched]

    @property
    def links(self) -> list[Match]:
        """The matches that need a skos:exactMatch link (the others already use our IRI)."""
        return [m for m in self.matches if m.node != m.actor]


class RegisterIndex:
    """The register as reconciliation needs it: its actors' IRIs, what they are equivalent to,
    which organisation each unit belongs to, and name lookup."""

    def __init__(self, register: Register, graph: Graph) -> None:
        self.register = register
        self.graph = graph

    @cached_property
    def iris(self) -> dict[URIRef, str]:
        """Register actor IRI -> its kind (organisation, unit, partner, product)."""
        return {URIRef(a.iri): a.kind for a in self.register.actors.values()}

    @cached_property
    def by_equivalent(self) -> dict[URIRef, set[URIRef]]:
        """Outside IRI -> the register actors the register says it is equivalent to."""
        found: dict[URIRef, set[URIRef]] = {}
        for actor in self.iris:
            for other in _equivalents(self.graph, actor):
                found.setdefault(other, set()).add(actor)
        return found

    @cached_property
    def organisation_of(self) -> dict[URIRef, set[URIRef]]:
        return {
            actor: {o for p in UNIT_OF for o in self.graph.objects(actor, p) if o in self.iris}
            for actor, kind in self.iris.items()
            if kind == UNIT
        }

    def named(self, label: str) -> set[URIRef]:
        return {URIRef(self.register.actors[slug].iri) for slug in self.register.resolve(label)}


def reconcile(data: Graph, index: RegisterIndex) -> Reconciliation:
    matches, ambiguous, unmatched = [], [], []
    for node in actor_nodes(data, index):
        found = _reconciled(data, index, node)
        if isinstance(found, Match):
            matches.append(found)
        elif isinstance(found, Ambiguity):
            ambiguous.append(found)
        else:
            unmatched.append(found)
    return Reconciliation(matches, ambiguous, unmatched)


def actor_nodes(data: Graph, index: RegisterIndex) -> list[Node]:
    """The organisations and units of the graph: nodes typed as actors, and register actors
    named by IRI."""
    typed = {s for t in ACTOR_TYPES for s in data.subjects(RDF.type, t)}
    named = {o for p in ACTOR_PROPERTIES for o in data.objects(None, p) if o in index.iris}
    return sorted((n for n in typed | named if isinstance(n, URIRef | BNode)), key=_order)


def _reconciled(data: Graph, index: RegisterIndex, node: Node) -> Match | Ambiguity | Unmatched:
    if node in index.iris:
        return Match(node, node, "the same IRI")  # type: ignore[arg-type]
    name = _first_label(data, node)
    if isinstance(node, BNode):
        return Unmatched(node, name, "a blank node cannot be linked: give it an IRI")
    by_equivalence = _by_equivalence(data, index, node)
    if by_equivalence:
        return _decided(node, by_equivalence)
    by_label = _by_label(data, index, node)
    kept = {a: e for a, e in by_label.items() if _same_organisation(data, index, node, a)}
    if kept:
        return _decided(node, kept)
    if by_label:
        return Unmatched(node, name, _unit_note(data, node, sorted(by_label)))
    return Unmatched(node, name)


def _unit_note(data: Graph, node: URIRef, units: list[URIRef]) -> str:
    named = ", ".join(f"<{u}>" for u in units)
    if any(o for p in UNIT_OF for o in data.objects(node, p)):
        return f"named like {named}, a unit of another organisation; not the same unit"
    return f"named like {named}, a unit: state its organisation (org:unitOf) to link it"


def _decided(node: URIRef, candidates: dict[URIRef, str]) -> Match | Ambiguity:
    if len(candidates) == 1:
        ((actor, evidence),) = candidates.items()
        return Match(node, actor, evidence)
    evidence = "; ".join(f"<{a}> by {e}" for a, e in sorted(candidates.items()))
    return Ambiguity(node, tuple(sorted(candidates)), evidence)


def _by_equivalence(data: Graph, index: RegisterIndex, node: URIRef) -> dict[URIRef, str]:
    """Register actors the node is said to equal, directly or through an outside IRI."""
    found: dict[URIRef, str] = {}
    for other in (node, *sorted(_equivalents(data, node))):
        if other in index.iris and other != node:
            found.setdefault(other, f"an equivalence to <{other}> in the graph")
        for actor in sorted(index.by_equivalent.get(other, ())):
            found.setdefault(actor, f"the shared identifier <{other}>")
    return found


def _by_label(data: Graph, index: RegisterIndex, node: URIRef) -> dict[URIRef, str]:
    found: dict[URIRef, str] = {}
    for predicate in LABELS:
        for label in sorted(data.objects(node, predicate), key=str):
            if isinstance(label, Literal):
                for actor in sorted(index.named(str(label))):
                    found.setdefault(actor, f"{_label_kind(predicate)} '{label}'")
    return found


def _same_organisation(data: Graph, index: RegisterIndex, node: URIRef, actor: URIRef) -> bool:
    """A register unit is only matched by a node that belongs to the unit's organisation."""
    if actor not in index.organisation_of:
        return True
    organisations = index.organisation_of[actor]
    for parent in (o for p in UNIT_OF for o in data.objects(node, p)):
        if parent in organisations:
            return True
        if isinstance(parent, URIRef):
            equal = _by_equivalence(data, index, parent) or _by_label(data, index, parent)
            if set(equal) & organisations:
                return True
    return False


def _equivalents(graph: Graph, node: URIRef) -> set[URIRef]:
    """IRIs the graph says node equals, in either direction."""
    found = {o for p in EQUIVALENCES for o in graph.objects(node, p)}
    found |= {s for p in EQUIVALENCES for s in graph.subjects(p, node)}
    return {n for n in found if isinstance(n, URIRef) and n != node}


def _first_label(data: Graph, node: Node) -> str:
    """The node's name for people: an English or untagged label first."""
    labels = sorted(
        (
            (lab.language not in (None, "en"), rank, str(lab))
            for rank, p in enumerate(LABELS)
            for lab in data.objects(node, p)
            if isinstance(lab, Literal)
        )
    )
    return labels[0][2] if labels else ""


def _label_kind(predicate: URIRef) -> str:
    return "acronym" if predicate == WPS.acronym else "label"


def _order(node: Node) -> tuple[bool, str]:
    return (isinstance(node, BNode), str(node))
