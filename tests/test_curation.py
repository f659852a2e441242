"""Curating without editing pages (issue 8): the canned queries that list what the register does
not know and what could not be separated, a local register file given to `wpsgraph load
--register`, and a reload that links what was unresolved. Also `wpsgraph load DIR` over pages in
GATE's exact layouts: every file ok or ok with warnings, none rejected."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from tests.test_cli import wpsgraph
from wpsgraph.errors import SourceError
from wpsgraph.loader import LoadOptions, load_files
from wpsgraph.queries import discover, run_canned
from wpsgraph.register import Register
from wpsgraph.store import OxigraphStore, open_store
from wpsgraph.validate import validate_store

PAGES = Path(__file__).parent / "fixtures" / "real-pages"
EVAL = "https://w3id.org/wpsgraph/eval/unwomen/gate-"
UNIT = "https://w3id.org/wpsgraph/org/unwomen/unit/"
QUERIES = discover()

TITLES = {
    "70101": "Evaluación final del programa de mujeres mediadoras comunitarias",
    "70102": "Évaluation à mi-parcours du projet « Femmes et consolidation de la paix »",
    "70103": "Regional evaluation of women's participation in cross-border peace committees",
    "70104": "Final evaluation of the women's leadership in local governance programme",
    "70105": "Review of cash assistance for women in crisis settings",
}

# Two names the pages print (a role, an office acronym) and a Spanish name for a role the
# shipped register has: what a curator adds after reading unresolved-parties.
LOCAL_REGISTER = """\
@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix unit: <https://w3id.org/wpsgraph/org/unwomen/unit/> .

unit:esaro a wps:Unit ;
    wps:slug "esaro" ;
    org:unitOf <https://w3id.org/wpsgraph/org/unwomen> ;
    skos:prefLabel "East and Southern Africa Regional Office"@en ;
    wps:acronym "ESARO" ;
    skos:definition "UN Women's regional office for East and Southern Africa."@en .

unit:role-gender-specialist a wps:Unit ;
    wps:slug "role-gender-specialist" ;
    skos:prefLabel "Gender Specialist"@en ;
    skos:definition "The gender specialist of a country or regional office."@en .

unit:role-deputy-representative skos:altLabel "Representante Adjunta"@es .
"""


def rows(store: OxigraphStore, name: str) -> list[tuple[str, ...]]:
    result = run_canned(store, QUERIES[name], {}, today=date(2026, 11, 27))
    return [tuple("" if r[v] is None else str(r[v]) for v in result.variables) for r in result.rows]


def columns(store: OxigraphStore, name: str) -> list[str]:
    return run_canned(store, QUERIES[name], {}).variables


@pytest.fixture(scope="module")
def pages_store() -> Iterator[OxigraphStore]:
    with open_store(None) as store:
        report = load_files([PAGES], store)
        assert not report.rejected
        yield store


def page_row(name: str, total: int, pages: int, evaluation: str, on_page: int) -> tuple[str, ...]:
    return (
        name,
        str(total),
        str(pages),
        EVAL + evaluation,
        evaluation,
        TITLES[evaluation],
        str(on_page),
    )


UNRESOLVED = [
    page_row("Equipo de programa y operaciones", 3, 1, "70101", 3),
    page_row("Cash Programming Specialist", 2, 1, "70105", 2),
    page_row("Chargée de suivi-évaluation", 2, 1, "70102", 2),
    page_row("Gender Specialist", 2, 1, "70103", 2),
    page_row("Gestion du projet ONU Femmes", 2, 1, "70102", 2),
    page_row("M&E Officer", 2, 2, "70103", 1),
    page_row("M&E Officer", 2, 2, "70104", 1),
    page_row("Oficial de seguimiento", 2, 1, "70101", 2),
    page_row("Programme team and operations", 2, 1, "70103", 2),
    page_row("ESARO", 1, 1, "70103", 1),
    page_row("Especialista de género", 1, 1, "70101", 1),
    page_row("Governance Programme Specialist", 1, 1, "70104", 1),
    page_row("Information Management Officer", 1, 1, "70105", 1),
    page_row("JCO", 1, 1, "70103", 1),
]


def test_unresolved_parties_lists_unknown_names_with_counts_and_pages(
    pages_store: OxigraphStore,
) -> None:
    assert columns(pages_store, "unresolved-parties") == [
        "name",
        "actions_in_all",
        "evaluations",
        "evaluation",
        "evaluation_id",
        "evaluation_title",
        "actions_on_page",
    ]
    assert rows(pages_store, "unresolved-parties") == UNRESOLVED


def test_unseparated_parties_lists_the_actions_to_curate(pages_store: OxigraphStore) -> None:
    assert columns(pages_store, "unseparated-parties") == [
        "evaluation",
        "evaluation_id",
        "evaluation_title",
        "recommendation",
        "recommendation_label",
        "action",
        "action_label",
        "text",
        "deadline",
    ]
    assert rows(pages_store, "unseparated-parties") == [
        (
            EVAL + "70101",
            "70101",
            TITLES["70101"],
            EVAL + "70101/rec/2",
            "RECOMMENDATION 2",
            EVAL + "70101/rec/2/action/3",
            "3)",
            "Actualizar la base de datos de beneficiarias",
            "2023-12",
        ),
        (
            EVAL + "70104",
            "70104",
            TITLES["70104"],
            EVAL + "70104/rec/1",
            "Recommendation 1",
            EVAL + "70104/rec/1/action/3",
            "3.",
            "Set up a peer network of women councillors",
            "2022-12",
        ),
    ]


def test_the_curation_queries_are_empty_on_the_seed(seed_store: OxigraphStore) -> None:
    assert rows(seed_store, "unresolved-parties") == []
    assert rows(seed_store, "unseparated-parties") == []


def test_a_store_of_such_pages_conforms(pages_store: OxigraphStore) -> None:
    report = validate_store(pages_store)
    assert report.conforms, report.violations
    # The two actions whose party could not be separated are warnings, never violations.
    flagged = {r.focus for r in report.warnings if r.path and r.path.endswith("partySeparation")}
    assert flagged == {EVAL + "70101/rec/2/action/3", EVAL + "70104/rec/1/action/3"}
    # ... so the violation query, which must return no rows on valid data, returns none.
    assert rows(pages_store, "key-action-violation") == []


# --- a local register, and a reload that links ----------------------------------------------


@pytest.fixture
def local_register(tmp_path: Path) -> Path:
    path = tmp_path / "my-register.ttl"
    path.write_text(LOCAL_REGISTER, encoding="utf-8")
    return path


def linked_label(store: OxigraphStore, action: str) -> list[tuple[str, str]]:
    result = store.query(
        "PREFIX wps: <https://w3id.org/wpsgraph/ontology#> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT ?unit ?label WHERE {{ <{action}> wps:responsibleUnit|wps:supportingUnit ?unit . "
        "?unit skos:prefLabel ?label } ORDER BY ?unit"
    )
    return [(str(r["unit"]), str(r["label"])) for r in result.rows]


def test_a_reload_with_a_local_register_links_what_was_unresolved(
    tmp_path: Path, local_register: Path
) -> None:
    with open_store(tmp_path / "store") as store:
        load_files([PAGES], store)
        assert "ESARO" in {r[0] for r in rows(store, "unresolved-parties")}
        report = load_files([PAGES], store, LoadOptions(register_files=(local_register,)))
        assert not report.rejected
        names = {r[0] for r in rows(store, "unresolved-parties")}
        assert not {"ESARO", "Gender Specialist"} & names
        assert "JCO" in names  # still unknown
        # The local actors are in the store, with their labels, for every query to see.
        assert linked_label(store, EVAL + "70103/rec/1/action/3") == [
            (UNIT + "country-offices", "Country Offices"),
            (UNIT + "esaro", "East and Southern Africa Regional Office"),
        ]
        assert linked_label(store, EVAL + "70103/rec/2/action/2") == [
            (UNIT + "country-offices", "Country Offices"),
            (UNIT + "role-gender-specialist", "Gender Specialist"),
        ]
        assert URIRef("https://w3id.org/wpsgraph/graph/local-register") in store.named_graphs()
        assert validate_store(store).conforms
        # A load without --register leaves the local register as it is: earlier links stay
        # valid.
        load_files([PAGES / "gate-70106.txt"], store)
        assert linked_label(store, EVAL + "70103/rec/1/action/3")[1][0] == UNIT + "esaro"
        assert validate_store(store).conforms


def test_local_labels_name_an_actor_the_register_has(local_register: Path) -> None:
    register = Register.load(extra=(local_register,))
    assert register.resolve("Representante Adjunta") == ("role-deputy-representative",)
    assert register.resolve("ESARO") == ("esaro",)
    assert register.actors["role-deputy-representative"].pref_label == "Deputy Representative"


BAD_REGISTERS = {
    "not Turtle": (
        '@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n\n<https://x.org/a> wps:slug "a"'
        '\n  wps:acronym "A" .\n',
        4,  # where the parser meets the statement that should have ended
        "not valid Turtle: expected '.' or '}' or ']' at end of statement",
    ),
    "no slug": (
        "@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "\n"
        '<https://w3id.org/wpsgraph/org/x> a wps:Partner ; skos:prefLabel "X"@en .\n',
        4,
        "<https://w3id.org/wpsgraph/org/x> needs exactly one wps:slug, has 0",
    ),
    "a slug no IRI can hold": (
        "@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix unit: <https://w3id.org/wpsgraph/org/unwomen/unit/> .\n"
        "\n"
        'unit:esaro a wps:Unit ; wps:slug "ESARO Office" ;\n'
        '    skos:prefLabel "East and Southern Africa Regional Office"@en .\n',
        5,
        "wps:slug must be an xsd:string of lower-case letters and digits",
    ),
    "a slug the shipped register has": (
        "@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/wpsgraph/org/other> a wps:Partner ; wps:slug "dppa" ;\n'
        '    skos:prefLabel "Other"@en .\n',
        3,
        "duplicate slug 'dppa' in the register",
    ),
    "labels for an actor nobody declares": (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/wpsgraph/org/nobody> skos:altLabel "Nobody"@en .\n',
        2,
        "<https://w3id.org/wpsgraph/org/nobody> is not an actor of the register",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_REGISTERS))
def test_a_bad_local_register_is_refused_naming_file_and_line(tmp_path: Path, case: str) -> None:
    text, line, message = BAD_REGISTERS[case]
    path = tmp_path / "mine.ttl"
    path.write_text(text, encoding="utf-8")
    with open_store(None) as store:
        with pytest.raises(SourceError) as caught:
            load_files([PAGES / "gate-70106.txt"], store, LoadOptions(register_files=(path,)))
        assert store.is_empty()
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert message in caught.value.message


def test_a_bad_register_file_through_the_cli_is_one_line_and_writes_nothing(
    tmp_path: Path,
) -> None:
    text, line, message = BAD_REGISTERS["not Turtle"]
    path = tmp_path / "mine.ttl"
    path.write_text(text, encoding="utf-8")
    store = tmp_path / "store"
    result = wpsgraph("load", str(PAGES), "--register", str(path), store=store)
    assert result.returncode == 2
    assert result.stderr == f"wpsgraph: error: {path}:{line}: {message}\n"
    assert result.stdout == ""
    missing = wpsgraph("load", str(PAGES), "--register", str(tmp_path / "no.ttl"), store=store)
    assert missing.returncode == 2
    assert "no.ttl: register file not found" in missing.stderr
    with open_store(store) as opened:
        assert opened.is_empty()


# --- wpsgraph load DIR over pages in GATE's exact layouts -----------------------------------------

SUMMARY_ROW = re.compile(r"^(?P<file>\S+)\s+(?P<outcome>ok with warnings|ok|rejected)\s+\d+\s+\d+$")


def test_load_a_folder_of_gate_layouts_rejects_none(tmp_path: Path, local_register: Path) -> None:
    result = wpsgraph("load", str(PAGES), "--jobs", "1", store=tmp_path / "store")
    assert result.returncode == 0, result.stderr
    table = [SUMMARY_ROW.match(line) for line in result.stdout.splitlines()[1:-1]]
    assert {Path(row["file"]).name: row["outcome"] for row in table if row} == {
        "gate-70101.txt": "ok with warnings",
        "gate-70102.txt": "ok with warnings",
        "gate-70103.txt": "ok with warnings",
        "gate-70104.html": "ok with warnings",
        "gate-70105.txt": "ok with warnings",
        "gate-70106.txt": "ok",
    }
    assert result.stdout.splitlines()[-1] == "1 ok, 5 ok with warnings, 0 rejected"
    # Warnings name the file and line.
    assert f"  warning: {PAGES / 'gate-70101.txt'}:44: cannot tell the responsible parties" in (
        result.stderr
    )
    assert "truncated" not in result.stderr
    assert "rejected:" not in result.stderr
    # The same folder with the local register: the names it gives link, and fewer warnings.
    again = wpsgraph(
        "load", str(PAGES), "--register", str(local_register), store=tmp_path / "store"
    )
    assert again.returncode == 0, again.stderr
    assert "'ESARO' is not in the register" in result.stderr
    assert "'ESARO' is not in the register" not in again.stderr


def test_evaluation_type_and_party_separation_are_emitted(pages_store: OxigraphStore) -> None:
    evaluation = URIRef(EVAL + "70102")
    result = pages_store.query(
        "PREFIX wps: <https://w3id.org/wpsgraph/ontology#> "
        f"SELECT ?type WHERE {{ <{evaluation}> wps:evaluationType ?type }}"
    )
    assert [r["type"] for r in result.rows] == [Literal("Projet")]
    separations = pages_store.query(
        "PREFIX wps: <https://w3id.org/wpsgraph/ontology#> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?label (COUNT(?action) AS ?n) WHERE { ?action wps:partySeparation ?c . "
        "?c skos:prefLabel ?label } GROUP BY ?label ORDER BY ?label"
    )
    assert [(str(r["label"]), int(r["n"])) for r in separations.rows] == [
        ("Not separated", 2),
        ("Register name", 3),
        ("Repeated on the page", 10),
        ("Shape of a name", 6),
        ("Table cell", 6),
    ]


def test_several_local_register_files_are_read_in_order(
    tmp_path: Path, local_register: Path
) -> None:
    second = tmp_path / "more.ttl"
    second.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f"<{UNIT}esaro> skos:altLabel \"Bureau régional pour l'Afrique de l'Est\"@fr .\n",
        encoding="utf-8",
    )
    files = (local_register, second)
    assert Register.load(extra=files).resolve("Bureau régional pour l'Afrique de l'Est") == (
        "esaro",
    )
    with open_store(None) as store:
        report = load_files([PAGES / "gate-70106.txt"], store, LoadOptions(register_files=files))
        assert not report.rejected
        labels = store.query(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { GRAPH "
            f"<https://w3id.org/wpsgraph/graph/local-register> {{ <{UNIT}esaro> skos:altLabel "
            "?label } }"
        )
        assert [str(r["label"]) for r in labels.rows] == ["Bureau régional pour l'Afrique de l'Est"]
