"""The curated actor register: its files, name resolution and mention finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from wpsgraph.errors import WpsGraphError
from wpsgraph.paths import REGISTER_DIR
from wpsgraph.register import Register

BASE = "https://w3id.org/wpsgraph/"
WPS = BASE + "ontology#"
ORG = "http://www.w3.org/ns/org#"


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for path in sorted(REGISTER_DIR.glob("*.ttl")):
        g.parse(path)
    return g


def test_slugs_are_unique(graph: Graph) -> None:
    slugs = [str(s) for s in graph.objects(None, URIRef(WPS + "slug"))]
    assert len(slugs) == len(set(slugs))


def test_required_entries(register: Register) -> None:
    required = {
        "unwomen",
        "ppid",
        "ppid-psru",
        "regional-offices",
        "country-offices",
        "country-offices-conflict-settings",
        "civil-society-division",
        "civil-society-section",
        "coordination-section",
        "ieais",
        "ies",
        "wphf-secretariat",
        "dppa",
        "dpo",
        "wphf",
        "wphf-rrw",
        "un-security-council",
        "security-council-ieg-wps",
        "ohchr",
        "geap-secretariat",
        "civil-society",
        "women-human-rights-defenders",
        "women-in-peace-processes-monitor",
        "women-count",
    }
    assert required <= set(register.actors)


def test_kinds_and_iris(register: Register) -> None:
    actors = register.actors
    assert (actors["unwomen"].kind, actors["unwomen"].iri) == ("organization", BASE + "org/unwomen")
    assert (actors["ppid-psru"].kind, actors["ppid-psru"].iri) == (
        "unit",
        BASE + "org/unwomen/unit/ppid-psru",
    )
    assert (actors["dppa"].kind, actors["dppa"].iri) == ("partner", BASE + "org/dppa")
    assert (actors["women-count"].kind, actors["women-count"].iri) == (
        "product",
        BASE + "product/women-count",
    )
    for actor in actors.values():
        assert actor.names[0] == actor.pref_label
        expected_prefix = {
            "organization": BASE + "org/",
            "unit": BASE + "org/unwomen/unit/",
            "partner": BASE + "org/",
            "product": BASE + "product/",
        }[actor.kind]
        assert actor.iri == expected_prefix + actor.slug


def test_every_entry_has_a_definition_and_its_types(graph: Graph) -> None:
    for subject in set(graph.subjects(URIRef(WPS + "slug"), None)):
        assert graph.value(subject, SKOS.definition) is not None, subject
        types = set(graph.objects(subject, RDF.type))
        if URIRef(WPS + "Unit") in types:
            assert URIRef(ORG + "OrganizationalUnit") in types
            assert graph.value(subject, URIRef(ORG + "unitOf")) == URIRef(BASE + "org/unwomen")


def test_un_women_carries_its_iati_identifier(graph: Graph) -> None:
    notation = graph.value(URIRef(BASE + "org/unwomen"), SKOS.notation)
    assert str(notation) == "XM-DAC-41146"


def test_nested_units(graph: Graph) -> None:
    sub = URIRef(ORG + "subOrganizationOf")
    unit = BASE + "org/unwomen/unit/"
    assert graph.value(URIRef(unit + "ppid-psru"), sub) == URIRef(unit + "ppid")
    assert graph.value(URIRef(unit + "country-offices-conflict-settings"), sub) == URIRef(
        unit + "country-offices"
    )


def test_resolve(register: Register) -> None:
    assert register.resolve("PPID/ Peace, Security and Resilience Unit") == ("ppid-psru",)
    assert register.resolve("PPID/Peace, Security and Resilience Unit") == ("ppid-psru",)
    assert register.resolve("Peace,  Security and Resilience Unit") == ("ppid-psru",)
    assert register.resolve("Programme Division") == ("ppid",)  # the former name
    assert register.resolve("PPID") == ("ppid",)
    assert register.resolve("the GEAP Secretariat.") == ("geap-secretariat",)
    assert register.resolve("Women’s Peace and Humanitarian Fund") == ("wphf",)
    assert register.resolve("Women, Peace and Humanitarian Fund") == ("wphf",)
    assert register.resolve("Gender Statistics Team") == ()


def test_one_label_names_two_units_in_printed_order(register: Register) -> None:
    assert register.resolve("Regional and Country Offices") == (
        "regional-offices",
        "country-offices",
    )


def test_acronyms_resolve_case_sensitively(register: Register) -> None:
    assert register.resolve("DPPA") == ("dppa",)
    assert register.resolve("dppa") == ()
    assert register.resolve("department of political and peacebuilding affairs") == ("dppa",)


def test_find_mentions_expert_group_and_council(register: Register) -> None:
    text = (
        "during the meetings of the Security Council’s Informal Experts Group on Women, Peace and "
        "Security"
    )
    assert register.find_mentions(text) == ["un-security-council", "security-council-ieg-wps"]


def test_find_mentions_order_dedup_and_longest_match(register: Register) -> None:
    text = (
        "As the evaluation notes, the Women’s Peace and Humanitarian Fund’s (WPHF) Rapid Response "
        "Window (RRW) reached women human rights defenders (WHRDs); the UN Security Council and "
        "the Women Count platform, and the WPHF again."
    )
    assert register.find_mentions(text) == [
        "wphf",
        "wphf-rrw",
        "women-human-rights-defenders",
        "un-security-council",
        "women-count",
    ]


def test_find_mentions_acronyms_are_case_sensitive(register: Register) -> None:
    assert register.find_mentions("work with DPPA and DPO") == ["dppa", "dpo"]
    assert register.find_mentions("work with dppa and Dpo") == []
    assert register.find_mentions("the DPPAs and xDPO") == []  # word boundaries


def test_find_mentions_names_are_case_insensitive_with_word_boundaries(
    register: Register,
) -> None:
    assert register.find_mentions("support to Civil  Society partners") == ["civil-society"]
    assert register.find_mentions("uncivil society") == []


def test_find_mentions_skips_un_women_and_its_units(register: Register) -> None:
    text = (
        "UN-Women and its Civil Society Division, PPID/ Peace, Security and Resilience Unit, "
        "the WPHF Secretariat and Regional Offices"
    )
    # "Civil Society Division" is a unit, not "civil society"; "WPHF Secretariat" is not the fund.
    assert register.find_mentions(text) == []


def test_matches_ending_at(register: Register) -> None:
    text = "to influence outcomes. PPID/Peace, Security and Resilience Unit"
    matches = register.matches_ending_at(text, len(text))
    assert [(text[m.start : m.end], m.slugs) for m in matches] == [
        ("PPID/Peace, Security and Resilience Unit", ("ppid-psru",)),
        ("Peace, Security and Resilience Unit", ("ppid-psru",)),
    ]
    assert register.matches_ending_at(text, len("to influence")) == []


def test_duplicate_slugs_are_refused(tmp_path: Path) -> None:
    entry = (
        "@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/wpsgraph/org/{0}> a wps:Partner ; wps:slug "dup" ; '
        'skos:prefLabel "{0}"@en .\n'
    )
    (tmp_path / "a.ttl").write_text(entry.format("a"))
    (tmp_path / "b.ttl").write_text(entry.format("b"))
    with pytest.raises(WpsGraphError, match="duplicate slug 'dup'"):
        Register.load(tmp_path)


def test_missing_pref_label_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text(
        "@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
        '<https://w3id.org/wpsgraph/org/x> a wps:Partner ; wps:slug "x" .\n'
    )
    with pytest.raises(WpsGraphError, match="prefLabel"):
        Register.load(tmp_path)


def test_missing_slug_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text(
        "@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/wpsgraph/org/x> a wps:Partner ; skos:prefLabel "X"@en .\n'
    )
    with pytest.raises(WpsGraphError, match="wps:slug"):
        Register.load(tmp_path)


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WpsGraphError, match="no register files"):
        Register.load(tmp_path)
