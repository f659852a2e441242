"""The SHACL shapes against hand-written data: a valid evaluation graph conforms with no results,
and each invalid or suspicious fixture produces exactly the results it was written to produce."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS, VOID, Namespace

from wpsgraph.paths import ONTOLOGY_FILE, PROJECT_ROOT, REGISTER_DIR, SCHEMES_DIR, SHAPES_DIR
from wpsgraph.vocab import WPS

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "shapes"
WPSH = Namespace("https://w3id.org/wpsgraph/shapes#")
SCHEMA = Namespace("http://schema.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest probes it
BASE = "https://w3id.org/wpsgraph/"
REC_1 = URIRef(BASE + "eval/unwomen/gate-11818/rec/1")
ACTION_1 = URIRef(f"{REC_1}/action/1")
VERSION_1 = URIRef(BASE + "eval/unwomen/gate-11818/version/" + "1" * 64)
VERSION_2 = URIRef(BASE + "eval/unwomen/gate-11818/version/" + "2" * 64)
PROV = Namespace("http://www.w3.org/ns/prov#")
LINKED = URIRef(BASE + "linked/example/graph")

# Predicates of a shape that constrain nothing: typing, targets, paths, names, grouping.
NON_CONSTRAINT_PREDICATES = {
    RDF.type,
    RDFS.label,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.property,
    SH.path,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.deactivated,
}


@dataclass(frozen=True)
class Result:
    severity: URIRef
    focus: URIRef
    shape: URIRef
    component: URIRef
    path: URIRef | None
    value: URIRef | Literal | None


def _parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse(*sorted(SHAPES_DIR.glob("*.ttl")))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return _parse(*sorted(SCHEMES_DIR.glob("*.ttl")))


def run_shapes(data: Graph, shapes: Graph, ontology: Graph, schemes: Graph) -> tuple[bool, Graph]:
    """Validate as the product does: pySHACL's ont_graph contributes only class and property
    axioms, so the concepts data points to (and any actors) must be in the data graph itself."""
    conforms, report, _text = validate(
        data + schemes,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    return bool(conforms), report


def results_of(report: Graph) -> list[tuple[Result, list[Literal]]]:
    out = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        result = Result(
            severity=report.value(node, SH.resultSeverity),
            focus=report.value(node, SH.focusNode),
            shape=report.value(node, SH.sourceShape),
            component=report.value(node, SH.sourceConstraintComponent),
            path=report.value(node, SH.resultPath),
            value=report.value(node, SH.value),
        )
        out.append((result, list(report.objects(node, SH.resultMessage))))
    return out


def check(path: Path, shapes: Graph, ontology: Graph, schemes: Graph) -> tuple[bool, set[Result]]:
    conforms, report = run_shapes(_parse(path), shapes, ontology, schemes)
    found = results_of(report)
    for result, messages in found:
        assert messages and all(str(m).strip() for m in messages), f"no message for {result}"
    return conforms, {result for result, _ in found}


def violation(shape: str, component: str, path: URIRef | None, value=None, focus=ACTION_1):
    return Result(SH.Violation, focus, WPSH[shape], SH[component], path, value)


def warning(shape: str, component: str, path: URIRef | None, focus=ACTION_1):
    return Result(SH.Warning, focus, WPSH[shape], SH[component], path, None)


# Each fixture breaks one thing: the results it must produce, and any it may also produce.
EXPECTED: dict[str, tuple[set[Result], set[Result]]] = {
    "invalid-deadline-format": (
        {
            violation(
                "KeyAction-deadline-form",
                "PatternConstraintComponent",
                WPS.deadline,
                Literal("2029/12", datatype=XSD.gYearMonth),
            )
        },
        # pySHACL accepts the ill-formed literal on sh:datatype today; a stricter one may not.
        {
            violation(
                "KeyAction-deadline-form",
                "DatatypeConstraintComponent",
                WPS.deadline,
                Literal("2029/12", datatype=XSD.gYearMonth),
            )
        },
    ),
    "invalid-two-statuses": (
        {violation("KeyAction-status-count", "MaxCountConstraintComponent", WPS.status)},
        set(),
    ),
    "invalid-no-responsible": (
        # A node-level constraint reports the focus node as its value.
        {violation("KeyActionShape", "OrConstraintComponent", None, ACTION_1)},
        set(),
    ),
    "invalid-no-recommendation": (
        {
            violation(
                "KeyAction-forRecommendation", "MinCountConstraintComponent", WPS.forRecommendation
            )
        },
        set(),
    ),
    "invalid-status-not-action-status": (
        {
            violation(
                "KeyAction-status-class",
                "ClassConstraintComponent",
                WPS.status,
                URIRef(BASE + "scheme/approval-status/approved"),
            )
        },
        set(),
    ),
    "invalid-deadline-date-not-last-day": (
        {
            violation(
                "KeyAction-deadlineDate-lastDay",
                "SPARQLConstraintComponent",
                WPS.deadlineDate,
                Literal("2028-02-28", datatype=XSD.date),
            )
        },
        set(),
    ),
    "invalid-action-status-https": (
        {
            violation(
                "KeyAction-actionStatus",
                "InConstraintComponent",
                SCHEMA.actionStatus,
                URIRef("https://schema.org/ActiveActionStatus"),
            )
        },
        set(),
    ),
    "warning-unresolved-responsible": (
        {
            warning(
                "unresolvedResponsible", "MaxCountConstraintComponent", WPS.unresolvedResponsible
            )
        },
        set(),
    ),
    "warning-party-not-separated": (
        {
            Result(
                SH.Warning,
                ACTION_1,
                WPSH["KeyAction-partySeparation-review"],
                SH.InConstraintComponent,
                WPS.partySeparation,
                URIRef(BASE + "scheme/party-separation/not-separated"),
            )
        },
        set(),
    ),
    "invalid-actor-without-label": (
        {
            violation(
                "Actor-prefLabel",
                "MinCountConstraintComponent",
                SKOS.prefLabel,
                focus=URIRef("https://example.org/synthetic-publisher/org/partner/unnamed"),
            )
        },
        set(),
    ),
    "invalid-register-entry-slug": (
        {
            violation(
                "RegisterEntry-slug-form",
                "PatternConstraintComponent",
                WPS.slug,
                Literal("Political Affairs"),
                focus=URIRef(BASE + "org/dppa"),
            )
        },
        set(),
    ),
    "invalid-linked-graph-without-source": (
        {
            violation("LinkedGraphShape", "OrConstraintComponent", None, LINKED, focus=LINKED),
            violation(
                "LinkedGraph-triples", "MinCountConstraintComponent", VOID.triples, focus=LINKED
            ),
        },
        set(),
    ),
    "warning-unlisted-value": (
        {warning("unlistedValue", "MaxCountConstraintComponent", WPS.unlistedValue, focus=REC_1)},
        set(),
    ),
    "invalid-history-revision-order": (
        {
            violation(
                "SourceVersion-revisionOrder",
                "SPARQLConstraintComponent",
                PROV.wasRevisionOf,
                VERSION_1,
                focus=VERSION_2,
            )
        },
        set(),
    ),
    "invalid-observation-deadline-format": (
        {
            violation(
                "ActionObservation-observedDeadline",
                "PatternConstraintComponent",
                WPS.observedDeadline,
                Literal("2027/06", datatype=XSD.gYearMonth),
                focus=URIRef(f"{VERSION_2}/rec/3/action/3"),
            )
        },
        set(),
    ),
    "invalid-version-generated-at-date": (
        {
            violation(
                "SourceVersion-generatedAtTime-form",
                "SPARQLConstraintComponent",
                PROV.generatedAtTime,
                Literal("2025-07-02", datatype=XSD.date),
                focus=VERSION_2,
            )
        },
        set(),
    ),
    "invalid-observation-without-version": (
        {
            violation(
                "ActionObservation-observedIn",
                "MinCountConstraintComponent",
                WPS.observedIn,
                focus=URIRef(f"{VERSION_1}/rec/3/action/3"),
            )
        },
        set(),
    ),
}


def _fixtures(*prefixes: str) -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*.ttl") if p.stem.startswith(prefixes))


@pytest.mark.parametrize("path", _fixtures("valid-"), ids=lambda p: p.stem)
def test_valid_fixture_conforms_without_warnings(
    path: Path, shapes: Graph, ontology: Graph, schemes: Graph
) -> None:
    conforms, results = check(path, shapes, ontology, schemes)
    assert results == set()
    assert conforms


@pytest.mark.parametrize("path", _fixtures("invalid-", "warning-"), ids=lambda p: p.stem)
def test_broken_fixture_reports_exactly_what_it_breaks(
    path: Path, shapes: Graph, ontology: Graph, schemes: Graph
) -> None:
    assert path.stem in EXPECTED, f"add the expected results of {path.name} to EXPECTED"
    required, tolerated = EXPECTED[path.stem]
    conforms, results = check(path, shapes, ontology, schemes)
    assert required <= results, f"missing: {required - results}"
    assert results <= required | tolerated, f"unexpected: {results - required - tolerated}"
    # pySHACL's conforms is False whenever there is any result, warnings included.
    assert not conforms
    severities = {r.severity for r in results}
    assert severities == ({SH.Warning} if path.stem.startswith("warning-") else {SH.Violation})


def test_every_expectation_has_a_fixture() -> None:
    assert set(EXPECTED) == {p.stem for p in _fixtures("invalid-", "warning-")}


def test_last_day_message_names_the_expected_date(
    shapes: Graph, ontology: Graph, schemes: Graph
) -> None:
    data = _parse(FIXTURES / "invalid-deadline-date-not-last-day.ttl")
    _conforms, report = run_shapes(data, shapes, ontology, schemes)
    messages = [str(m) for _r, ms in results_of(report) for m in ms]
    assert messages == [
        "wps:deadlineDate 2028-02-28 is not the last day of the deadline month; "
        "expected 2028-02-29."
    ]


def _actions_with_deadline_dates(offset_days: int) -> tuple[Graph, set[URIRef]]:
    """Key actions for every month of 2023 and for February of ordinary, leap and century years,
    each dated the last day of its month plus offset_days (so the date stays well-formed)."""
    months = [(2023, month) for month in range(1, 13)]
    months += [(year, 2) for year in (1900, 2000, 2024, 2100)]
    graph = Graph()
    actions = set()
    for year, month in months:
        action = URIRef(f"{BASE}test/action/{year}-{month:02d}")
        deadline = f"{year}-{month:02d}"
        day = calendar.monthrange(year, month)[1] + offset_days
        graph.add((action, RDF.type, WPS.KeyAction))
        graph.add((action, WPS.deadline, Literal(deadline, datatype=XSD.gYearMonth)))
        graph.add((action, WPS.deadlineDate, Literal(f"{deadline}-{day:02d}", datatype=XSD.date)))
        actions.add(action)
    return graph, actions


@pytest.mark.parametrize("offset_days", [0, -1])
def test_last_day_rule_follows_the_calendar(
    offset_days: int, shapes: Graph, ontology: Graph, schemes: Graph
) -> None:
    data, actions = _actions_with_deadline_dates(offset_days)
    _conforms, report = run_shapes(data, shapes, ontology, schemes)
    flagged = {
        r.focus for r, _m in results_of(report) if r.shape == WPSH["KeyAction-deadlineDate-lastDay"]
    }
    assert flagged == (set() if offset_days == 0 else actions)


def test_register_conforms(shapes: Graph, ontology: Graph, schemes: Graph) -> None:
    register_files = sorted(REGISTER_DIR.glob("*.ttl"))
    if not register_files:
        pytest.skip("no register yet")
    _conforms, report = run_shapes(_parse(*register_files), shapes, ontology, schemes)
    assert [r for r, _m in results_of(report)] == []


def test_shapes_graph_is_well_formed_shacl(shapes: Graph, ontology: Graph) -> None:
    # meta_shacl checks the shapes graph against the SHACL-SHACL shapes; it raises if invalid.
    conforms, _report, text = validate(
        Graph(), shacl_graph=shapes, ont_graph=ontology, meta_shacl=True, advanced=True
    )
    assert conforms, text


def _shape_nodes(shapes: Graph) -> set[URIRef | BNode]:
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    return {n for n in nodes if isinstance(n, URIRef)}


def test_named_shapes_live_in_the_shapes_namespace(shapes: Graph) -> None:
    outside = {n for n in _shape_nodes(shapes) if not str(n).startswith(str(WPSH))}
    assert not outside


def test_every_constraint_has_a_message(shapes: Graph) -> None:
    for shape in _shape_nodes(shapes):
        constraints = {p for p in shapes.predicates(shape) if p not in NON_CONSTRAINT_PREDICATES}
        if constraints == {SH.sparql}:
            for sparql in shapes.objects(shape, SH.sparql):
                assert shapes.value(sparql, SH.message) is not None, shape
        elif constraints:
            assert shapes.value(shape, SH.message) is not None, shape


def test_severities_are_violation_or_warning(shapes: Graph) -> None:
    assert set(shapes.objects(None, SH.severity)) <= {SH.Violation, SH.Warning}
