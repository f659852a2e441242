"""Model -> RDF: every term emitted is declared; the seed conforms; assumptions become warnings."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF

from tests.conftest import SEED, SEED_EVALUATION
from wpsgraph.loader import LoadOptions, prepare
from wpsgraph.resources import ontology_graph
from wpsgraph.vocab import WPS, WPS_NS


def prepared(tmp_path: Path, old: str, new: str) -> tuple:
    text = SEED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "gate-11818.txt"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return prepare(path, LoadOptions())


def test_every_wps_term_the_seed_emits_is_declared() -> None:
    emitted, _ = prepare(SEED, LoadOptions())
    used = {
        term
        for triple in emitted.graph
        for term in (triple[1], triple[2] if triple[1] == RDF.type else None)
        if term is not None and str(term).startswith(WPS_NS)
    }
    declared = {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology_graph().subjects(RDF.type, kind)
    }
    assert used and used <= declared, used - declared


def test_the_seed_conforms_without_warnings() -> None:
    emitted, report = prepare(SEED, LoadOptions())
    assert report.results == []
    assert emitted.warnings == []


def test_deadline_is_typed_and_has_a_comparable_last_day() -> None:
    emitted, _ = prepare(SEED, LoadOptions())
    node = URIRef(f"{SEED_EVALUATION}/rec/3/action/3")
    assert emitted.graph.value(node, WPS.deadline) == Literal(
        "2026-12", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")
    )
    assert str(emitted.graph.value(node, WPS.deadlineDate)) == "2026-12-31"


def test_a_value_missing_from_its_scheme_is_kept_and_warned(tmp_path: Path) -> None:
    emitted, report = prepared(
        tmp_path, "Thematic Area: Not applicable", "Thematic Area: Space exploration"
    )
    rec = URIRef(f"{SEED_EVALUATION}/rec/1")
    assert emitted.graph.value(rec, WPS.unlistedValue) == Literal(
        "Thematic Area: Space exploration"
    )
    assert any("Space exploration" in w.message for w in emitted.warnings)
    assert report.conforms
    assert [(r.severity, r.focus) for r in report.results] == [("Warning", str(rec))]


def test_an_unknown_responsible_party_is_kept_as_text_with_a_warning(tmp_path: Path) -> None:
    emitted, report = prepared(
        tmp_path, "Regional and Country Offices, WPHF Secretariat", "Office of Mars Affairs"
    )
    node = URIRef(f"{SEED_EVALUATION}/rec/4/action/1")
    assert emitted.graph.value(node, WPS.unresolvedResponsible) == Literal("Office of Mars Affairs")
    assert report.conforms
    assert [(r.severity, r.focus) for r in report.results] == [("Warning", str(node))]


def test_minted_nodes_remember_their_source_line() -> None:
    emitted, _ = prepare(SEED, LoadOptions())
    rec = URIRef(f"{SEED_EVALUATION}/rec/2")
    assert emitted.lines[rec] == 30
    assert emitted.lines[URIRef(f"{rec}/response")] == 30
    assert emitted.lines[URIRef(f"{rec}/action/1")] == 40
