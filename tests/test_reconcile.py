"""Matching another publisher's actors to the register: by IRI, by equivalence (directly or
through an outside identifier both name), by label or acronym; units only within their
organisation; ambiguous candidates reported, never linked."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from wpsgraph.link import register_index
from wpsgraph.reconcile import Ambiguity, Match, RegisterIndex, Unmatched, reconcile
from wpsgraph.register import Register
from wpsgraph.resources import register_graph

EX = "https://example.org/pub/"
WPSORG = "https://w3id.org/wpsgraph/org/"
PREFIXES = f"""
@prefix ex: <{EX}> .
@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix wpsorg: <{WPSORG}> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .
"""


def outcome(turtle: str, node: str = "a", index: RegisterIndex | None = None) -> object:
    data = Graph().parse(data=PREFIXES + turtle, format="turtle")
    result = reconcile(data, index or register_index())
    found = {m.node: m for m in [*result.matches, *result.ambiguous, *result.unmatched]}
    return found[URIRef(EX + node)]


@pytest.mark.parametrize(
    ("turtle", "actor", "evidence"),
    [
        ('ex:a a wps:Partner ; skos:prefLabel "DPPA"@en .', "dppa", "label 'DPPA'"),
        ('ex:a a wps:Partner ; wps:acronym "OHCHR" .', "ohchr", "acronym 'OHCHR'"),
        ('ex:a a wps:Partner ; rdfs:label "the  Security   Council." .', "un-security-council",
         "label 'the  Security   Council.'"),
        ('ex:a a wps:Partner ; skos:altLabel "Women’s Peace and Humanitarian Fund"@en .', "wphf",
         "label 'Women’s Peace and Humanitarian Fund'"),
        ("ex:a a wps:Partner ; skos:exactMatch wpsorg:dpo .", "dpo",
         f"an equivalence to <{WPSORG}dpo> in the graph"),
        ("wpsorg:dpo owl:sameAs ex:a . ex:a a org:Organization .", "dpo",
         f"an equivalence to <{WPSORG}dpo> in the graph"),
        ('ex:a a wps:Partner ; schema:sameAs wpsorg:wphf ; skos:prefLabel "DPO"@en .', "wphf",
         f"an equivalence to <{WPSORG}wphf> in the graph"),
    ],
)  # fmt: skip
def test_matches(turtle: str, actor: str, evidence: str) -> None:
    assert outcome(turtle) == Match(URIRef(EX + "a"), URIRef(WPSORG + actor), evidence)


def test_an_acronym_is_case_sensitive() -> None:
    assert isinstance(outcome('ex:a a wps:Partner ; wps:acronym "Dppa" .'), Unmatched)


def test_our_iri_used_directly_is_the_same_actor() -> None:
    data = Graph().parse(data=PREFIXES + "ex:action wps:mentions wpsorg:ohchr .", format="turtle")
    result = reconcile(data, register_index())
    ohchr = URIRef(WPSORG + "ohchr")
    assert result.matches == [Match(ohchr, ohchr, "the same IRI")]
    assert result.links == []


def test_two_candidates_are_reported_not_guessed() -> None:
    found = outcome('ex:a a wps:Partner ; skos:prefLabel "DPPA"@en ; skos:altLabel "DPO"@en .')
    assert isinstance(found, Ambiguity)
    assert found.candidates == (URIRef(WPSORG + "dpo"), URIRef(WPSORG + "dppa"))
    assert "label 'DPO'" in found.evidence and "label 'DPPA'" in found.evidence


def test_a_label_naming_two_register_actors_is_ambiguous() -> None:
    # "Regional and Country Offices" names two UN Women units in the register.
    turtle = (
        "ex:a a wps:Unit ; org:unitOf wpsorg:unwomen ; "
        'skos:prefLabel "Regional and Country Offices"@en .'
    )
    found = outcome(turtle)
    assert isinstance(found, Ambiguity)
    unit = WPSORG + "unwomen/unit/"
    assert found.candidates == (URIRef(unit + "country-offices"), URIRef(unit + "regional-offices"))


def test_an_equivalence_decides_before_labels() -> None:
    found = outcome('ex:a a wps:Partner ; owl:sameAs wpsorg:dpo ; skos:prefLabel "DPPA"@en .')
    assert isinstance(found, Match) and found.actor == URIRef(WPSORG + "dpo")


def test_another_organisations_unit_with_our_units_name_is_not_linked() -> None:
    turtle = (
        'ex:org a org:FormalOrganization ; skos:prefLabel "Another agency"@en . '
        'ex:a a wps:Unit ; org:unitOf ex:org ; skos:prefLabel "Regional Offices"@en .'
    )
    found = outcome(turtle)
    assert isinstance(found, Unmatched)
    assert "a unit of another organisation; not the same unit" in found.note


def test_a_unit_without_its_organisation_is_not_linked() -> None:
    found = outcome('ex:a a wps:Unit ; skos:prefLabel "Regional Offices"@en .')
    assert isinstance(found, Unmatched)
    assert "state its organisation (org:unitOf) to link it" in found.note


@pytest.mark.parametrize(
    "organisation",
    [
        "wpsorg:unwomen",
        'ex:org . ex:org skos:prefLabel "UN Women"@en',
        "ex:org . ex:org owl:sameAs wpsorg:unwomen",
    ],
)
def test_a_unit_of_our_organisation_is_linked(organisation: str) -> None:
    turtle = f'ex:a a wps:Unit ; skos:prefLabel "Regional Offices"@en ; org:unitOf {organisation} .'
    found = outcome(turtle)
    assert found == Match(
        URIRef(EX + "a"),
        URIRef(WPSORG + "unwomen/unit/regional-offices"),
        "label 'Regional Offices'",
    )


def test_a_shared_outside_identifier_matches() -> None:
    """When the register and the graph both say their actor equals the same outside IRI."""
    wikidata = "http://www.wikidata.org/entity/Q0000000"  # a made-up item: this test's own
    register = register_graph() + Graph().parse(
        data=f"<{WPSORG}dppa> <http://www.w3.org/2004/02/skos/core#exactMatch> <{wikidata}> .",
        format="turtle",
    )
    index = RegisterIndex(Register.load(), register)
    found = outcome(f"ex:a a wps:Partner ; skos:exactMatch <{wikidata}> .", index=index)
    assert found == Match(
        URIRef(EX + "a"), URIRef(WPSORG + "dppa"), f"the shared identifier <{wikidata}>"
    )


def test_a_blank_node_actor_cannot_be_linked() -> None:
    data = Graph().parse(data=PREFIXES + '[] a wps:Partner ; skos:prefLabel "DPPA"@en .')
    (unmatched,) = reconcile(data, register_index()).unmatched
    assert unmatched.note == "a blank node cannot be linked: give it an IRI"


def test_an_unknown_actor_is_reported_with_its_name() -> None:
    found = outcome('ex:a a wps:Partner ; skos:prefLabel "Nobody we know"@en ; wps:acronym "NWK" .')
    assert found == Unmatched(URIRef(EX + "a"), "Nobody we know")
