"""Consistency of the ontology, the concept schemes and the shapes with vocab.py and the contract
(docs/data-model.md): every term declared and documented, nothing used that is not declared."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, VANN, VOID, Namespace

from wpsgraph.emit import date_source_iri
from wpsgraph.gate.actions import ACTION_STATUSES
from wpsgraph.model import DateSource
from wpsgraph.paths import (
    DATA_DIR,
    ONTOLOGY_DIR,
    ONTOLOGY_FILE,
    PROJECT_ROOT,
    QUERIES_DIR,
    SCHEMES_DIR,
    SHAPES_DIR,
)
from wpsgraph.vocab import WPS, WPS_NS

SCHEMA = Namespace("http://schema.org/")
# A plain Namespace: pytest probes module attributes, and rdflib's XSD warns on unknown names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ORG = Namespace("http://www.w3.org/ns/org#")
ONTOLOGY_IRI = URIRef("https://w3id.org/wpsgraph/ontology")
SCHEME_BASE = "https://w3id.org/wpsgraph/scheme/"
SHAPE_FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "shapes"

VOCAB_TERMS = sorted(WPS.__annotations__)
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}

# Classes from other vocabularies that shapes may name in sh:class; none are needed so far.
EXTERNAL_CLASSES: frozenset[URIRef] = frozenset()

SCHEME_CLASS = {
    "action-status": WPS.ActionStatus,
    "response-category": WPS.ResponseCategory,
    "approval-status": WPS.ApprovalStatus,
    "office-type": WPS.OfficeType,
    "thematic-area": WPS.ThematicArea,
    "operating-principle": WPS.OperatingPrinciple,
    "organizational-priority": WPS.OrganizationalPriority,
    "uneg-criterion": WPS.UNEGCriterion,
    "observed-date-source": WPS.ObservedDateSource,
    "party-separation": WPS.PartySeparation,
}
SCHEMES_WITHOUT_NOT_APPLICABLE = {
    "action-status",
    "approval-status",
    "office-type",
    "observed-date-source",
    "party-separation",
}
ACTION_STATUS_TYPES = {
    SCHEMA.PotentialActionStatus,
    SCHEMA.ActiveActionStatus,
    SCHEMA.CompletedActionStatus,
    SCHEMA.FailedActionStatus,
}

# Labels the loader must find: values GATE prints (design notes, brief) and the contract's examples.
# Every status the parser recognises must be in the scheme, so the parser's list is the one used.
REQUIRED_LABELS = {
    "action-status": list(ACTION_STATUSES),
    "response-category": ["Accepted", "Partially Accepted", "Rejected", "Not applicable"],
    "approval-status": ["Approved", "Draft", "Submitted"],
    "office-type": ["HQ", "EO", "RO", "MCO", "CO", "PP"],
    "thematic-area": [
        "Peace and security",
        "Peace and security (SPs before 2018)",
        "Governance and national planning",
        "Leadership and political participation",
        "Women's economic empowerment",
        "Women\u2019s economic empowerment",
        "Ending violence against women",
        "Humanitarian action and disaster risk reduction",
        "Women, peace, security and humanitarian action",
        "Not applicable",
    ],
    "operating-principle": [
        "Capacity development",
        "Advocacy",
        "Internal coordination and communication",
        "Alignment with strategy",
        "Promoting inclusiveness/Leaving no one behind",
        "Not applicable",
    ],
    "organizational-priority": [
        "UN Coordination",
        "Operational activities",
        "Normative Support",
        "Not applicable",
    ],
    "uneg-criterion": [
        "Relevance",
        "Effectiveness",
        "Efficiency",
        "Impact",
        "Sustainability",
        "Gender equality",
        "Gender equality and human rights",
        "Coherence",
        "Not applicable",
    ],
}

# Fields of the seed whose comma-separated values come from a scheme.
SEED_FIELDS = {
    "Management Response Category": "response-category",
    "Thematic Area": "thematic-area",
    "Operating Principles": "operating-principle",
    "Organizational Priorities": "organizational-priority",
    "UNEG Criteria": "uneg-criterion",
}

# The alignments in the contract's class table and the brief.
SUPER_CLASSES = {
    WPS.Evaluation: {PROV.Entity, SCHEMA.CreativeWork},
    WPS.ManagementResponse: {PROV.Entity, SCHEMA.CreativeWork},
    WPS.Recommendation: {PROV.Entity},
    WPS.RecommendationResponse: {PROV.Entity},
    WPS.KeyAction: {SCHEMA.Action},
    WPS.Actor: {PROV.Agent},
    WPS.Unit: {WPS.Actor, ORG.OrganizationalUnit},
    WPS.Partner: {WPS.Actor},
    WPS.KnowledgeProduct: {SCHEMA.CreativeWork},
    WPS.EvaluationGraph: {PROV.Entity},
    WPS.SourceVersion: {PROV.Entity},
    WPS.ActionObservation: {PROV.Entity},
    WPS.HistoryGraph: {PROV.Entity},
    WPS.LinkedGraph: {PROV.Entity, VOID.Dataset},
    **{cls: {SKOS.Concept} for cls in SCHEME_CLASS.values()},
}
SUPER_PROPERTIES = {
    WPS.responsibleUnit: SCHEMA.agent,
    WPS.supportingUnit: SCHEMA.participant,
    WPS.mentions: SCHEMA.mentions,
    WPS.recommendationOf: DCTERMS.isPartOf,
    WPS.partOfResponse: DCTERMS.isPartOf,
    WPS.evaluationId: DCTERMS.identifier,
    WPS.acronym: SKOS.altLabel,
    WPS.respondingUnit: PROV.wasAttributedTo,
    WPS.thematicArea: DCTERMS.subject,
    WPS.operatingPrinciple: DCTERMS.subject,
    WPS.organizationalPriority: DCTERMS.subject,
    WPS.unegCriterion: DCTERMS.subject,
    WPS.text: DCTERMS.description,
    WPS.versionOf: PROV.specializationOf,
    WPS.observedAction: PROV.specializationOf,
    WPS.observedIn: PROV.wasDerivedFrom,
}
RANGES = {
    WPS.deadline: XSD.gYearMonth,
    WPS.deadlineDate: XSD.date,
    WPS.planPeriodStart: XSD.gYear,
    WPS.planPeriodEnd: XSD.gYear,
    WPS.number: XSD.integer,
    WPS.evaluationId: XSD.string,
    WPS.evaluationType: XSD.string,
    WPS.slug: XSD.string,
    WPS.sourceFile: XSD.string,
    WPS.sourceSha256: XSD.string,
    WPS.printedLabel: XSD.string,
    WPS.printedStatus: XSD.string,
    WPS.responsibleText: XSD.string,
    WPS.unresolvedResponsible: XSD.string,
    WPS.unlistedValue: XSD.string,
    WPS.acronym: XSD.string,
    WPS.text: RDFS.Literal,
    WPS.description: RDFS.Literal,
    WPS.comments: RDFS.Literal,
    WPS.resourceCondition: RDFS.Literal,
    WPS.observedDate: XSD.date,
    WPS.observedDeadline: XSD.gYearMonth,
    WPS.observedComments: RDFS.Literal,
    WPS.recommendationNumber: XSD.integer,
    WPS.actionNumber: XSD.integer,
    WPS.firstObserved: XSD.date,
    WPS.statusSince: XSD.date,
    WPS.deadlineMovedFrom: XSD.gYearMonth,
}

WPS_PREFIXED = re.compile(r"(?<![\w-])wps:([A-Za-z_][A-Za-z0-9_]*)")
WPS_FULL = re.compile(re.escape(WPS_NS) + r"([A-Za-z_][A-Za-z0-9_]*)")


def _parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def _turtle_files() -> list[Path]:
    return sorted(
        [
            *ONTOLOGY_DIR.rglob("*.ttl"),
            *SHAPES_DIR.glob("*.ttl"),
            *SHAPE_FIXTURES.glob("*.ttl"),
        ]
    )


def _scheme_files() -> list[Path]:
    return sorted(SCHEMES_DIR.glob("*.ttl"))


def _normalised(label: str) -> str:
    """Printed values differ in case, apostrophes and spacing only; the loader ignores those."""
    label = unicodedata.normalize("NFC", label).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", label).strip().casefold()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return _parse(*_scheme_files())


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse(*sorted(SHAPES_DIR.glob("*.ttl")))


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", _turtle_files(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_turtle_file_parses(path: Path) -> None:
    assert len(_parse(path)) > 0


# --- the ontology header ---------------------------------------------------------------------


def test_exactly_one_ontology_with_version_and_namespace(ontology: Graph) -> None:
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/0.1.0")
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    assert str(ontology.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix)) == "wps"
    assert str(ontology.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri)) == WPS_NS
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop


def test_version_iri_matches_version_info(ontology: Graph) -> None:
    version = str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo))
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionIRI)).endswith("/" + version)


# --- vocab.py <-> wps.ttl ------------------------------------------------------------------


@pytest.mark.parametrize("name", VOCAB_TERMS)
def test_vocab_term_is_declared_and_documented(ontology: Graph, name: str) -> None:
    term = WPS[name]
    types = set(ontology.objects(term, RDF.type)) & DECLARATION_TYPES
    # vocab.py's convention: classes are capitalised, properties are not.
    allowed = {OWL.Class} if name[0].isupper() else {OWL.ObjectProperty, OWL.DatatypeProperty}
    assert len(types) == 1 and types <= allowed, f"wps:{name} is declared as {types or 'nothing'}"
    for prop in (RDFS.label, SKOS.definition):
        values = list(ontology.objects(term, prop))
        assert len(values) == 1, f"wps:{name} needs exactly one {prop}"
        assert isinstance(values[0], Literal) and values[0].language == "en", (name, prop)
        assert str(values[0]).strip(), (name, prop)
    assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI


def test_ontology_declares_nothing_beyond_vocab(ontology: Graph) -> None:
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(WPS_NS)}
    extra = sorted(
        str(s)[len(WPS_NS) :] for s in declared if str(s)[len(WPS_NS) :] not in WPS.__annotations__
    )
    assert not extra, f"declared in wps.ttl but missing from vocab.WPS: {extra}"


def _used_names(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    names = set(WPS_PREFIXED.findall(text)) | set(WPS_FULL.findall(text))
    if path.suffix == ".ttl":
        names |= {
            str(term)[len(WPS_NS) :]
            for triple in _parse(path)
            for term in triple
            if isinstance(term, URIRef) and term.startswith(WPS_NS)
        }
    return names


def _files_using_terms() -> list[Path]:
    return sorted(
        [
            *ONTOLOGY_DIR.rglob("*.ttl"),
            *SHAPES_DIR.glob("*.ttl"),
            *QUERIES_DIR.glob("*.rq"),
            *SHAPE_FIXTURES.glob("*.ttl"),
        ]
    )


@pytest.mark.parametrize(
    "path", _files_using_terms(), ids=lambda p: str(p.relative_to(PROJECT_ROOT))
)
def test_every_wps_term_used_is_declared(ontology: Graph, path: Path) -> None:
    declared = {
        str(s)[len(WPS_NS) :]
        for t in DECLARATION_TYPES
        for s in ontology.subjects(RDF.type, t)
        if str(s).startswith(WPS_NS)
    }
    undeclared = sorted(_used_names(path) - declared)
    assert not undeclared, f"{path.name} uses undeclared wps terms: {undeclared}"


def test_term_scan_sees_prefixed_and_full_iris(tmp_path: Path) -> None:
    query = tmp_path / "probe.rq"
    query.write_text(
        f"PREFIX wps: <{WPS_NS}>\nSELECT * {{ ?a wps:status ?s ; <{WPS_NS}deadline> ?d . }}\n"
        "# wpsid:eval and wpsh:Shape are other namespaces\n",
        encoding="utf-8",
    )
    assert _used_names(query) == {"status", "deadline"}


# --- alignments and ranges -------------------------------------------------------------------


@pytest.mark.parametrize("cls", sorted(SUPER_CLASSES), ids=lambda c: c.fragment)
def test_class_alignment(ontology: Graph, cls: URIRef) -> None:
    assert SUPER_CLASSES[cls] <= set(ontology.objects(cls, RDFS.subClassOf))


@pytest.mark.parametrize("prop", sorted(SUPER_PROPERTIES), ids=lambda p: p.fragment)
def test_property_alignment(ontology: Graph, prop: URIRef) -> None:
    assert SUPER_PROPERTIES[prop] in set(ontology.objects(prop, RDFS.subPropertyOf))


@pytest.mark.parametrize("prop", sorted(RANGES), ids=lambda p: p.fragment)
def test_datatype_property_range(ontology: Graph, prop: URIRef) -> None:
    assert (prop, RDF.type, OWL.DatatypeProperty) in ontology
    assert list(ontology.objects(prop, RDFS.range)) == [RANGES[prop]]


def test_object_property_ranges_are_declared_classes(ontology: Graph) -> None:
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        for rng in ontology.objects(prop, RDFS.range):
            members = (
                set(ontology.items(ontology.value(rng, OWL.unionOf)))
                if (rng, OWL.unionOf, None) in ontology
                else {rng}
            )
            assert members <= classes, (prop, members - classes)


def test_schema_org_is_http(ontology: Graph, schemes: Graph, shapes: Graph) -> None:
    for graph in (ontology, schemes, shapes):
        https = {t for triple in graph for t in triple if str(t).startswith("https://schema.org/")}
        assert not https


# --- concept schemes -------------------------------------------------------------------------


def test_one_file_per_scheme() -> None:
    assert {p.stem for p in _scheme_files()} == set(SCHEME_CLASS)


@pytest.mark.parametrize("path", _scheme_files(), ids=lambda p: p.stem)
def test_scheme_file_holds_one_documented_scheme(path: Path) -> None:
    graph = _parse(path)
    scheme = URIRef(SCHEME_BASE + path.stem)
    assert list(graph.subjects(RDF.type, SKOS.ConceptScheme)) == [scheme]
    assert graph.value(scheme, SKOS.prefLabel) is not None
    assert graph.value(scheme, SKOS.definition) is not None
    tops = set(graph.objects(scheme, SKOS.hasTopConcept))
    assert tops, f"{path.stem} has no top concept"
    assert tops == set(graph.subjects(SKOS.topConceptOf, scheme))


def _concepts(schemes: Graph) -> set[URIRef]:
    return {c for c in schemes.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)} | {
        c for c in schemes.subjects(SKOS.inScheme, None) if isinstance(c, URIRef)
    }


def test_every_concept_is_documented_and_placed(schemes: Graph, ontology: Graph) -> None:
    scheme_classes = set(SCHEME_CLASS.values())
    for cls in scheme_classes:
        assert (cls, RDFS.subClassOf, SKOS.Concept) in ontology
    for concept in _concepts(schemes):
        in_schemes = list(schemes.objects(concept, SKOS.inScheme))
        assert len(in_schemes) == 1, f"{concept} must be in exactly one scheme"
        scheme = in_schemes[0]
        slug = str(scheme)[len(SCHEME_BASE) :]
        assert (concept, RDF.type, SKOS.Concept) in schemes
        classes = {t for t in schemes.objects(concept, RDF.type) if str(t).startswith(WPS_NS)}
        assert classes == {SCHEME_CLASS[slug]}, f"{concept} typed {classes}"
        assert (concept, SKOS.topConceptOf, scheme) in schemes
        notation = schemes.value(concept, SKOS.notation)
        assert notation is not None, concept
        assert str(concept) == f"{scheme}/{str(notation).lower()}", "IRI must end in the slug"
        pref = list(schemes.objects(concept, SKOS.prefLabel))
        assert len(pref) == 1 and pref[0].language == "en", concept
        definition = list(schemes.objects(concept, SKOS.definition))
        assert len(definition) == 1 and definition[0].language == "en", concept


def test_labels_are_unambiguous_within_each_scheme(schemes: Graph) -> None:
    owner: dict[tuple[URIRef, str], URIRef] = {}
    for concept in _concepts(schemes):
        scheme = schemes.value(concept, SKOS.inScheme)
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
            for label in schemes.objects(concept, prop):
                key = (scheme, _normalised(str(label)))
                assert owner.setdefault(key, concept) == concept, (
                    f"{label!r} names both {owner[key]} and {concept}"
                )


@pytest.mark.parametrize("scheme", sorted(REQUIRED_LABELS))
def test_scheme_has_the_printed_labels(schemes: Graph, scheme: str) -> None:
    labels = {
        _normalised(str(label))
        for concept in schemes.subjects(SKOS.inScheme, URIRef(SCHEME_BASE + scheme))
        for prop in (SKOS.prefLabel, SKOS.altLabel)
        for label in schemes.objects(concept, prop)
    }
    missing = [label for label in REQUIRED_LABELS[scheme] if _normalised(label) not in labels]
    assert not missing


@pytest.mark.parametrize("scheme", sorted(SCHEME_CLASS))
def test_not_applicable_concept(schemes: Graph, scheme: str) -> None:
    concept = URIRef(f"{SCHEME_BASE}{scheme}/not-applicable")
    if scheme in SCHEMES_WITHOUT_NOT_APPLICABLE:
        assert (concept, None, None) not in schemes
    else:
        assert schemes.value(concept, SKOS.prefLabel) == Literal("Not applicable", lang="en")


def test_office_type_codes_are_alt_labels_and_notations(schemes: Graph) -> None:
    for concept in schemes.subjects(RDF.type, WPS.OfficeType):
        code = str(schemes.value(concept, SKOS.notation))
        assert code.isupper()
        assert Literal(code, lang="en") in set(schemes.objects(concept, SKOS.altLabel))


def test_each_action_status_has_one_schema_org_close_match(schemes: Graph) -> None:
    statuses = set(schemes.subjects(RDF.type, WPS.ActionStatus))
    assert len(statuses) == 7
    for status in statuses:
        matches = list(schemes.objects(status, SKOS.closeMatch))
        assert len(matches) == 1 and matches[0] in ACTION_STATUS_TYPES, (status, matches)


def test_seed_field_values_are_in_their_schemes(schemes: Graph) -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    for concept in _concepts(schemes):
        scheme = str(schemes.value(concept, SKOS.inScheme))[len(SCHEME_BASE) :]
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            labels[scheme] |= {_normalised(str(v)) for v in schemes.objects(concept, prop)}
    seen = 0
    for line in (DATA_DIR / "gate-11818.txt").read_text(encoding="utf-8").splitlines():
        field, _, values = line.partition(": ")
        if field in SEED_FIELDS:
            for value in values.split(","):
                assert _normalised(value) in labels[SEED_FIELDS[field]], (field, value)
                seen += 1
    assert seen >= 25  # five recommendations, five fields each


# --- shapes ----------------------------------------------------------------------------------


def test_shape_targets_are_declared_wps_classes(ontology: Graph, shapes: Graph) -> None:
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    targets = set(shapes.objects(None, SH.targetClass))
    assert targets, "no sh:targetClass found"
    assert targets <= classes, targets - classes
    assert all(str(t).startswith(WPS_NS) for t in targets)


def test_subjects_of_targets_are_declared_wps_properties(ontology: Graph, shapes: Graph) -> None:
    properties = set(ontology.subjects(RDF.type, OWL.DatatypeProperty)) | set(
        ontology.subjects(RDF.type, OWL.ObjectProperty)
    )
    targets = set(shapes.objects(None, SH.targetSubjectsOf))
    assert targets <= properties, targets - properties
    assert all(str(t).startswith(WPS_NS) for t in targets)


def test_shape_classes_are_declared(ontology: Graph, shapes: Graph) -> None:
    classes = set(ontology.subjects(RDF.type, OWL.Class)) | EXTERNAL_CLASSES
    used = set(shapes.objects(None, SH["class"]))
    assert used <= classes, used - classes


def test_every_emitted_class_has_a_shape(shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    emitted = {
        WPS.Evaluation,
        WPS.ManagementResponse,
        WPS.Recommendation,
        WPS.RecommendationResponse,
        WPS.KeyAction,
        WPS.EvaluationGraph,
        WPS.SourceVersion,
        WPS.ActionObservation,
        WPS.HistoryGraph,
        WPS.LinkedGraph,
        WPS.Actor,
    }
    assert emitted <= targets, emitted - targets


def test_every_observed_date_source_is_a_concept_of_its_scheme(schemes: Graph) -> None:
    for source in DateSource:
        concept = date_source_iri(source)
        assert (concept, RDF.type, WPS.ObservedDateSource) in schemes, source
        assert str(schemes.value(concept, SKOS.notation)) == source.value
