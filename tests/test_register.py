"""The curated actor register: its files, name resolution and mention finding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
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


# --- external identifiers ----------------------------------------------------------------------

DCTERMS_NS = "http://purl.org/dc/terms/"
IDENTIFIER, SOURCE = URIRef(DCTERMS_NS + "identifier"), URIRef(DCTERMS_NS + "source")
EXTERNAL = URIRef(WPS + "externalIdentifier")
# How each kind of identifier is written, and the IRI it denotes (None: it has no IRI).
IDENTIFIER_FORMS = {
    URIRef(WPS + "WikidataItem"): (r"Q[1-9][0-9]*", "http://www.wikidata.org/entity/{}"),
    URIRef(WPS + "IATIOrganisationIdentifier"): (r"[A-Z]{2}-[A-Z0-9]+-[^/&|?\s]+", None),
    URIRef(WPS + "UNDocumentSymbol"): (r"[A-Z]+(/[A-Za-z0-9.]+)+( \([0-9]{4}\))?", None),
}
OUTSIDE_LINKS = (
    SKOS.notation,
    SKOS.exactMatch,
    URIRef("http://www.w3.org/2002/07/owl#sameAs"),
    URIRef("http://schema.org/sameAs"),
)


def unsourced_identifiers(graph: Graph) -> list[str]:
    """What breaks the rule that every outside identifier of a register entry was checked in a
    public source recorded with it."""
    problems = []
    for entry in set(graph.subjects(URIRef(WPS + "slug"), None)):
        records = list(graph.objects(entry, EXTERNAL))
        recorded = {
            v for r in records for p in (IDENTIFIER, SKOS.exactMatch) for v in graph.objects(r, p)
        }
        for link in OUTSIDE_LINKS:
            for value in graph.objects(entry, link):
                if value not in recorded:
                    problems.append(f"{entry} {link} {value}: no wps:externalIdentifier records it")
        for record in records:
            sources = list(graph.objects(record, SOURCE))
            if not sources or not all(str(s).startswith(("https://", "http://")) for s in sources):
                problems.append(
                    f"{entry}: identifier {graph.value(record, IDENTIFIER)} has no source"
                )
    return problems


def test_every_external_identifier_carries_a_source(graph: Graph) -> None:
    assert not unsourced_identifiers(graph)
    assert len(list(graph.objects(None, EXTERNAL))) >= 3


def test_an_identifier_without_a_source_is_caught() -> None:
    unwomen = URIRef(BASE + "org/unwomen")
    bad = Graph()
    bad.add((unwomen, URIRef(WPS + "slug"), Literal("unwomen")))
    bad.add((unwomen, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q1")))
    assert unsourced_identifiers(bad) == [
        f"{unwomen} {SKOS.exactMatch} http://www.wikidata.org/entity/Q1: "
        "no wps:externalIdentifier records it"
    ]
    record = BNode()
    bad.add((unwomen, EXTERNAL, record))
    bad.add((record, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q1")))
    assert unsourced_identifiers(bad) == [f"{unwomen}: identifier None has no source"]


def test_external_identifiers_are_well_formed(graph: Graph) -> None:
    for record in set(graph.objects(None, EXTERNAL)):
        kinds = set(graph.objects(record, RDF.type)) & set(IDENTIFIER_FORMS)
        assert len(kinds) == 1, (record, kinds)
        pattern, iri = IDENTIFIER_FORMS[kinds.pop()]
        identifiers = list(graph.objects(record, IDENTIFIER))
        assert len(identifiers) == 1 and re.fullmatch(pattern, str(identifiers[0])), identifiers
        if iri:
            assert graph.value(record, SKOS.exactMatch) == URIRef(iri.format(identifiers[0]))


def test_checked_identifiers() -> None:
    """The identifiers looked up in public sources (see the sources in the register)."""
    graph = Graph()
    for path in sorted(REGISTER_DIR.glob("*.ttl")):
        graph.parse(path)
    wikidata = {
        str(graph.value(record, IDENTIFIER)): entry
        for entry, record in graph.subject_objects(EXTERNAL)
        if (record, RDF.type, URIRef(WPS + "WikidataItem")) in graph
    }
    assert wikidata == {
        "Q641576": URIRef(BASE + "org/unwomen"),
        "Q37470": URIRef(BASE + "org/un-security-council"),
    }
