"""Model -> RDF. The only module that mints IRIs; every IRI comes from a source identifier."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from itertools import pairwise

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from wpsgraph.concepts import ConceptIndex
from wpsgraph.gate.language import detect_language
from wpsgraph.history import ActionState, Version, observation_facts
from wpsgraph.model import (
    DateSource,
    KeyAction,
    ManagementResponse,
    Observed,
    ParseWarning,
    PartyRef,
    Recommendation,
    Role,
    SourceInfo,
)
from wpsgraph.register import Register
from wpsgraph.vocab import BASE, SCHEMA, WPS, bind_prefixes

Triple = tuple[URIRef, URIRef, URIRef | Literal]
GATE_URL = "https://gate.unwomen.org/ManagementResponse/ViewManagementResponse?evaluationId={}"
VOCABULARY_GRAPHS = {
    "ontology": URIRef(BASE + "graph/ontology"),
    "schemes": URIRef(BASE + "graph/schemes"),
    "register": URIRef(BASE + "graph/register"),
}
# The actors of a user's own register files (wpsgraph load --register), kept apart from the
# shipped register: replaced by a load given --register, left as it is by one that is not.
LOCAL_REGISTER_GRAPH = URIRef(BASE + "graph/local-register")
# The whole dataset a store holds, and its summary of the evaluation graphs (wpsgraph describe).
DATASET = URIRef(BASE + "dataset")
EVALUATIONS_SUBSET = URIRef(BASE + "dataset/evaluations")
HISTORY_SUBSET = URIRef(BASE + "dataset/history")


# The first path segment of every data IRI under BASE: those minted here, and the register's
# actors (org/, product/). The w3id.org rules send each of them to the server (w3id.py).
DATA_SEGMENTS = ("eval", "org", "scheme", "product", "graph", "dataset", "linked")


def evaluation_iri(org_id: str, evaluation_id: str) -> URIRef:
    return URIRef(f"{BASE}eval/{org_id}/gate-{evaluation_id}")


def graph_iri(evaluation: URIRef) -> URIRef:
    return URIRef(f"{evaluation}/graph")


def recommendation_iri(evaluation: URIRef, number: int) -> URIRef:
    return URIRef(f"{evaluation}/rec/{number}")


def action_iri(recommendation: URIRef, number: int) -> URIRef:
    return URIRef(f"{recommendation}/action/{number}")


def response_iri(evaluation: URIRef) -> URIRef:
    return URIRef(f"{evaluation}/mr")


# A version's IRI holds the first 64 bits of its SHA-256 (the whole digest is its
# wps:sourceSha256): short enough to read, and two versions of one page sharing them is a chance
# of 1 in 10^19 per pair, which history.place refuses rather than merge.
VERSION_DIGITS = 16


def version_iri(evaluation: URIRef, sha256: str) -> URIRef:
    """A version of the evaluation's page, named by the SHA-256 of its bytes: the same bytes are
    the same version, whenever and however often they are loaded."""
    return URIRef(f"{evaluation}/version/{sha256[:VERSION_DIGITS]}")


def version_graph_iri(version: URIRef) -> URIRef:
    return URIRef(f"{version}/graph")


def history_graph_iri(evaluation: URIRef) -> URIRef:
    """The graph that orders an evaluation's versions (prov:wasRevisionOf)."""
    return URIRef(f"{evaluation}/history")


def observation_iri(version: URIRef, recommendation: int, action: int) -> URIRef:
    return URIRef(f"{version}/rec/{recommendation}/action/{action}")


def date_source_iri(source: DateSource) -> URIRef:
    return URIRef(f"{BASE}scheme/observed-date-source/{source.value}")


def linked_graph_iri(name: str) -> URIRef:
    """The named graph of a graph imported by 'wpsgraph link' (name: a slug)."""
    return URIRef(f"{BASE}linked/{name}/graph")


def linkset_iri(name: str) -> URIRef:
    """The VoID linkset (and named graph) matching a linked graph's actors to the register."""
    return URIRef(f"{BASE}linked/{name}/linkset")


def gate_url(evaluation_id: str) -> str:
    return GATE_URL.format(evaluation_id)


@dataclass
class Emitted:
    """One evaluation's triples, the named graph they belong in, and what emitting had to assume."""

    graph_iri: URIRef
    evaluation: URIRef
    # Each triple once, in emission order. A plain collection: building an rdflib Graph costs
    # more than parsing the page, and the load path never needs one.
    triples: dict[Triple, None]
    warnings: list[ParseWarning] = field(default_factory=list)
    lines: dict[URIRef, int] = field(default_factory=dict)  # source line of each minted node

    @cached_property
    def graph(self) -> Graph:
        """The triples as an rdflib Graph, for callers who want rdflib's API."""
        graph = bind_prefixes(Graph())
        for triple in self.triples:
            graph.add(triple)
        return graph


@dataclass
class _Emitter:
    register: Register
    concepts: ConceptIndex
    warnings: list[ParseWarning] = field(default_factory=list)
    lines: dict[URIRef, int] = field(default_factory=dict)
    triples: dict[Triple, None] = field(default_factory=dict)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.triples[(s, p, o)] = None

    def node(self, node: URIRef, cls: URIRef, line: int) -> None:
        """Type a minted node and remember its source line, so that validation results on it
        can name file:line."""
        self.add(node, RDF.type, cls)
        self.lines[node] = line

    def numbered(
        self,
        node: URIRef,
        cls: URIRef,
        parent: tuple[URIRef, URIRef],
        item: Recommendation | KeyAction,
    ) -> None:
        """What recommendations and key actions share: type, parent, number, label, text."""
        self.node(node, cls, item.line)
        self.add(node, parent[0], parent[1])
        self.add(node, WPS.number, Literal(item.number))
        if item.label:
            self.add(node, WPS.printedLabel, Literal(item.label))
        self.text(node, WPS.text, item.text)

    def text(self, s: URIRef, p: URIRef, value: str) -> None:
        """Content prose, tagged with its own language: one page may mix English, Spanish and
        French (labels and names are not content and stay untagged)."""
        if value.strip():
            self.add(s, p, Literal(value.strip(), lang=detect_language(value)))

    def concept(
        self, s: URIRef, p: URIRef, scheme: URIRef, printed: str, field_name: str, line: int
    ) -> URIRef | None:
        if not printed.strip():
            return None
        concept = self.concepts.lookup(scheme, printed)
        if concept is None:
            self.add(s, WPS.unlistedValue, Literal(f"{field_name}: {printed}"))
            self.warnings.append(
                ParseWarning(
                    line,
                    f"{field_name} value '{printed}' is not in its concept scheme; kept as text",
                )
            )
            return None
        self.add(s, p, concept)
        return concept

    def mentions(self, s: URIRef, slugs: list[str]) -> None:
        for slug in slugs:
            self.add(s, WPS.mentions, self.actor(slug))

    def actor(self, slug: str) -> URIRef:
        return URIRef(self.register.actors[slug].iri)


def emit_evaluation(
    response: ManagementResponse,
    source: SourceInfo,
    register: Register,
    concepts: ConceptIndex,
) -> Emitted:
    """The triples for one management response and its evaluation."""
    em = _Emitter(register, concepts)
    evaluation = evaluation_iri(source.org_id, source.evaluation_id)
    named_graph = graph_iri(evaluation)
    _emit_provenance(em, named_graph, source)
    if source.observed is not None:  # the version is recorded in the history beside it
        em.add(named_graph, PROV.wasDerivedFrom, version_iri(evaluation, source.sha256))
    _emit_evaluation(em, evaluation, response, source)
    mr = response_iri(evaluation)
    _emit_management_response(em, mr, evaluation, response, source)
    for rec in response.recommendations:
        _emit_recommendation(em, evaluation, mr, rec)
    return Emitted(named_graph, evaluation, em.triples, em.warnings, em.lines)


def _emit_provenance(em: _Emitter, named_graph: URIRef, source: SourceInfo) -> None:
    em.add(named_graph, RDF.type, WPS.EvaluationGraph)
    em.add(named_graph, WPS.sourceFile, Literal(source.file_name))
    em.add(named_graph, WPS.sourceSha256, Literal(source.sha256))
    if source.url:
        em.add(named_graph, PROV.hadPrimarySource, URIRef(source.url))


def _emit_evaluation(
    em: _Emitter, evaluation: URIRef, response: ManagementResponse, source: SourceInfo
) -> None:
    em.node(evaluation, WPS.Evaluation, response.line)
    em.add(evaluation, WPS.evaluationId, Literal(source.evaluation_id))
    em.text(evaluation, DCTERMS.title, response.title)
    if response.evaluation_type:
        em.add(evaluation, WPS.evaluationType, Literal(response.evaluation_type))
    if source.org_id in em.register.actors:
        em.add(evaluation, DCTERMS.publisher, em.actor(source.org_id))


def _emit_management_response(
    em: _Emitter, mr: URIRef, evaluation: URIRef, response: ManagementResponse, source: SourceInfo
) -> None:
    em.node(mr, WPS.ManagementResponse, response.line)
    em.add(mr, WPS.respondsTo, evaluation)
    if response.responding_unit_slug:
        em.add(mr, WPS.respondingUnit, em.actor(response.responding_unit_slug))
    elif response.responding_unit:
        em.add(mr, WPS.unresolvedResponsible, Literal(response.responding_unit))
    line = response.line
    em.concept(mr, WPS.officeType, WPS.OfficeType, response.office_type, "Office type", line)
    em.concept(
        mr,
        WPS.approvalStatus,
        WPS.ApprovalStatus,
        response.approval_status,
        "Approval status",
        line,
    )
    if response.period_start is not None:
        em.add(mr, WPS.planPeriodStart, Literal(str(response.period_start), datatype=XSD.gYear))
    if response.period_end is not None:
        em.add(mr, WPS.planPeriodEnd, Literal(str(response.period_end), datatype=XSD.gYear))
    em.text(mr, WPS.text, response.overall_response)
    em.mentions(mr, response.overall_mentions)
    if source.url:
        em.add(mr, PROV.hadPrimarySource, URIRef(source.url))


def _emit_recommendation(em: _Emitter, evaluation: URIRef, mr: URIRef, rec: Recommendation) -> None:
    node = recommendation_iri(evaluation, rec.number)
    em.numbered(node, WPS.Recommendation, (WPS.recommendationOf, evaluation), rec)
    if rec.truncated:
        em.add(node, WPS.truncated, Literal(True))
    fields = (
        (WPS.thematicArea, WPS.ThematicArea, rec.thematic_areas, "Thematic Area"),
        (
            WPS.operatingPrinciple,
            WPS.OperatingPrinciple,
            rec.operating_principles,
            "Operating Principles",
        ),
        (
            WPS.organizationalPriority,
            WPS.OrganizationalPriority,
            rec.organizational_priorities,
            "Organizational Priorities",
        ),
        (WPS.unegCriterion, WPS.UNEGCriterion, rec.uneg_criteria, "UNEG Criteria"),
    )
    for prop, scheme, values, name in fields:
        for value in values:
            em.concept(node, prop, scheme, value, name, rec.line)
    em.mentions(node, rec.mentions)

    response = URIRef(f"{node}/response")
    em.node(response, WPS.RecommendationResponse, rec.line)
    em.add(response, WPS.addresses, node)
    em.add(response, WPS.partOfResponse, mr)
    em.text(response, WPS.text, rec.response_text)
    em.text(response, WPS.description, rec.description)
    em.concept(
        response,
        WPS.responseCategory,
        WPS.ResponseCategory,
        rec.category,
        "Management Response Category",
        rec.line,
    )
    if rec.inferred_category:
        em.concept(
            response,
            WPS.inferredResponseCategory,
            WPS.ResponseCategory,
            rec.inferred_category,
            "Inferred response category",
            rec.line,
        )
    em.mentions(response, rec.response_mentions)
    for action in rec.actions:
        _emit_action(em, node, action)


def _emit_action(em: _Emitter, rec: URIRef, action: KeyAction) -> None:
    node = action_iri(rec, action.number)
    em.numbered(node, WPS.KeyAction, (WPS.forRecommendation, rec), action)
    if action.responsible_text:
        em.add(node, WPS.responsibleText, Literal(action.responsible_text))
    for party in action.parties:
        _emit_party(em, node, party)
    em.concept(
        node,
        WPS.partySeparation,
        WPS.PartySeparation,
        action.separation.value,
        "Party separation",
        action.line,
    )
    em.add(node, WPS.deadline, Literal(str(action.deadline), datatype=XSD.gYearMonth))
    em.add(node, WPS.deadlineDate, Literal(_last_day(action), datatype=XSD.date))
    status = em.concept(node, WPS.status, WPS.ActionStatus, action.status, "Status", action.line)
    em.add(node, WPS.printedStatus, Literal(action.status))
    if status is not None and status in em.concepts.close_match:
        em.add(node, SCHEMA.actionStatus, em.concepts.close_match[status])
    em.text(node, WPS.comments, action.comments)
    for phrase in action.resource_conditions:
        em.add(node, WPS.resourceCondition, Literal(phrase, lang=detect_language(phrase)))
    em.mentions(node, action.mentions)


def _emit_party(em: _Emitter, action: URIRef, party: PartyRef) -> None:
    if not party.slugs:
        em.add(action, WPS.unresolvedResponsible, Literal(party.printed))
        return
    prop = WPS.responsibleUnit if party.role is Role.LEAD else WPS.supportingUnit
    for slug in party.slugs:
        em.add(action, prop, em.actor(slug))


def _last_day(action: KeyAction) -> str:
    year, month = action.deadline.year, action.deadline.month
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


@dataclass
class EmittedVersion:
    """One version of an evaluation's page for its history: the version and the key actions it
    shows, as triples for the version's own named graph and as a record to compare versions."""

    graph_iri: URIRef
    version: Version
    triples: dict[Triple, None]
    warnings: list[ParseWarning] = field(default_factory=list)
    lines: dict[URIRef, int] = field(default_factory=dict)

    @property
    def evaluation(self) -> URIRef:
        return self.version.evaluation


def emit_version(
    response: ManagementResponse, source: SourceInfo, concepts: ConceptIndex, register: Register
) -> EmittedVersion:
    """The history record of one version: when it was observed and what each key action's
    status, deadline and comments were. Described with properties of its own (never wps:status),
    so that queries over the current state do not count it."""
    if source.observed is None:
        raise ValueError("a version needs the date it was observed")
    em = _Emitter(register, concepts)
    evaluation = evaluation_iri(source.org_id, source.evaluation_id)
    version = version_iri(evaluation, source.sha256)
    em.node(version, WPS.SourceVersion, response.line)
    em.add(version, WPS.versionOf, response_iri(evaluation))
    em.add(version, WPS.sourceFile, Literal(source.file_name))
    em.add(version, WPS.sourceSha256, Literal(source.sha256))
    if source.url:
        em.add(version, PROV.hadPrimarySource, URIRef(source.url))
    _emit_observed(em, version, source.observed)
    states = tuple(
        _emit_observation(em, version, evaluation, rec, action)
        for rec in response.recommendations
        for action in rec.actions
    )
    record = Version(evaluation, version, source.sha256, source.observed, source.file_name, states)
    return EmittedVersion(version_graph_iri(version), record, em.triples, em.warnings, em.lines)


def _emit_observed(em: _Emitter, version: URIRef, observed: Observed) -> None:
    # prov:generatedAtTime is an xsd:dateTime: when the evidence gives the day only, the day's
    # start, and wps:observedDateSource says that only the day is known.
    moment = xsd_date_time(observed.moment) if observed.moment else f"{observed.day}T00:00:00"
    em.add(version, PROV.generatedAtTime, Literal(moment, datatype=XSD.dateTime))
    em.add(version, WPS.observedDate, Literal(observed.day.isoformat(), datatype=XSD.date))
    em.add(version, WPS.observedDateSource, date_source_iri(observed.source))


@dataclass(frozen=True)
class _ObservationTerms:
    """The terms of an action observation, looked up once: a load emits one per action and
    version."""

    cls: URIRef = WPS.ActionObservation
    action: URIRef = WPS.observedAction
    version: URIRef = WPS.observedIn
    recommendation: URIRef = WPS.recommendationNumber
    number: URIRef = WPS.actionNumber
    deadline: URIRef = WPS.observedDeadline
    status: URIRef = WPS.observedStatus
    comments: URIRef = WPS.observedComments
    first_observed: URIRef = WPS.firstObserved
    status_since: URIRef = WPS.statusSince
    deadline_moved_from: URIRef = WPS.deadlineMovedFrom


_OBSERVATION = _ObservationTerms()


@lru_cache(maxsize=256)
def _integer(value: int) -> Literal:
    return Literal(value)


@lru_cache(maxsize=4096)
def _year_month(value: str) -> Literal:
    return Literal(value, datatype=XSD.gYearMonth)


@lru_cache(maxsize=4096)
def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def xsd_date_time(moment: datetime) -> str:
    """The canonical form (as stores keep it): whole seconds, UTC written Z."""
    text = moment.replace(microsecond=0).isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def _emit_observation(
    em: _Emitter, version: URIRef, evaluation: URIRef, rec: Recommendation, action: KeyAction
) -> ActionState:
    node = observation_iri(version, rec.number, action.number)
    em.node(node, _OBSERVATION.cls, action.line)
    em.add(
        node,
        _OBSERVATION.action,
        action_iri(recommendation_iri(evaluation, rec.number), action.number),
    )
    em.add(node, _OBSERVATION.version, version)
    em.add(node, _OBSERVATION.recommendation, _integer(rec.number))
    em.add(node, _OBSERVATION.number, _integer(action.number))
    em.add(node, _OBSERVATION.deadline, _year_month(str(action.deadline)))
    status = em.concept(
        node, _OBSERVATION.status, WPS.ActionStatus, action.status, "Status", action.line
    )
    em.text(node, _OBSERVATION.comments, action.comments)
    return ActionState(
        recommendation=rec.number,
        action=action.number,
        status=str(status or ""),
        status_label=em.concepts.pref_label.get(status or URIRef(""), action.status),
        deadline=str(action.deadline),
        comments=action.comments.strip(),
    )


def emit_history(timeline: list[Version]) -> dict[Triple, None]:
    """An evaluation's history graph, from its versions in observed order (oldest first, each
    with its actions): the graph is derived from them, each version is a prov:wasRevisionOf the
    one before it, each action observation a prov:wasRevisionOf the same action's previous
    observation, with what follows from the order (first observed, status since, deadline
    moved from)."""
    graph = history_graph_iri(timeline[0].evaluation)
    triples: dict[Triple, None] = {(graph, RDF.type, WPS.HistoryGraph): None}
    for version in timeline:
        triples[(graph, PROV.wasDerivedFrom, version.iri)] = None
    for earlier, later in pairwise(timeline):
        triples[(later.iri, PROV.wasRevisionOf, earlier.iri)] = None
    for facts in observation_facts(timeline):
        numbers = (facts.action.recommendation, facts.action.action)
        node = observation_iri(facts.version.iri, *numbers)
        if facts.previous is not None:
            triples[(node, PROV.wasRevisionOf, observation_iri(facts.previous.iri, *numbers))] = (
                None
            )
        triples[(node, _OBSERVATION.first_observed, _date(facts.first_observed))] = None
        triples[(node, _OBSERVATION.status_since, _date(facts.status_since))] = None
        if facts.deadline_moved_from:
            moved = _year_month(facts.deadline_moved_from)
            triples[(node, _OBSERVATION.deadline_moved_from, moved)] = None
    return triples
