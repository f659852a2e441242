"""Emitting what the multilingual, damaged pages hold: a language tag per text, inferred
categories apart from stated ones, truncation flagged; and `wpsgraph load` on a folder mixing
good, damaged and non-GATE files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from wpsgraph.cli import main
from wpsgraph.concepts import ConceptIndex
from wpsgraph.emit import emit_evaluation
from wpsgraph.gate import parse_management_response, read_source
from wpsgraph.gate.language import detect_language
from wpsgraph.model import SourceInfo
from wpsgraph.paths import DATA_DIR
from wpsgraph.register import Register
from wpsgraph.resources import schemes_graph
from wpsgraph.store import open_store
from wpsgraph.vocab import WPS

FIXTURES = Path(__file__).parent / "fixtures" / "gate"
BASE = "https://w3id.org/wpsgraph/eval/unwomen/gate-1/"
CATEGORY = "https://w3id.org/wpsgraph/scheme/response-category/"


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


def emitted(name: str, register: Register):  # type: ignore[no-untyped-def]
    parsed = parse_management_response(read_source(FIXTURES / name), source=name, register=register)
    info = SourceInfo("unwomen", "1", name, "0" * 64)
    return emit_evaluation(
        parsed.response, info, register, ConceptIndex.from_graph(schemes_graph())
    ).graph


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("UN-Women accepts this recommendation.", "en"),
        ("La oficina de país acepta la recomendación y fortalecerá el apoyo.", "es"),
        ("Le bureau accepte la recommandation et renforcera l'appui aux femmes.", "fr"),
        ("Aceptada.", "es"),
        ("Acceptée.", "fr"),
        ("OK", "en"),  # nothing to go on: English, the language GATE is written in
        ("2025", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_each_text_carries_its_own_language(register: Register) -> None:
    graph = emitted("es-country-office.txt", register)
    rec1 = URIRef(BASE + "rec/1")
    (text,) = graph.objects(rec1, WPS.text)
    assert isinstance(text, Literal) and text.language == "es"
    (comment,) = graph.objects(URIRef(BASE + "rec/1/action/1"), WPS.comments)
    assert comment == Literal("Informe enviado por la oficina.", lang="es")
    # Names and printed values are not content and stay untagged.
    (status,) = graph.objects(URIRef(BASE + "rec/1/action/1"), WPS.printedStatus)
    assert status == Literal("Completed")


def test_french_and_english_texts_on_one_page(register: Register) -> None:
    graph = emitted("fr-labelled-layout.txt", register)
    languages = {o.language for o in graph.objects(None, WPS.text) if isinstance(o, Literal)}
    assert languages == {"fr"}
    (title,) = graph.objects(URIRef(BASE.rstrip("/")), URIRef("http://purl.org/dc/terms/title"))
    assert title.language == "fr"


def test_seed_texts_are_english(register: Register) -> None:
    parsed = parse_management_response(
        read_source(DATA_DIR / "gate-11818.txt"), source="seed", register=register
    )
    info = SourceInfo("unwomen", "1", "seed", "0" * 64)
    graph = emit_evaluation(
        parsed.response, info, register, ConceptIndex.from_graph(schemes_graph())
    ).graph
    assert {o.language for o in graph.objects(None, WPS.text)} == {"en"}


def test_inferred_category_is_kept_apart_from_a_stated_one(register: Register) -> None:
    graph = emitted("fr-labelled-layout.txt", register)
    inferred = URIRef(BASE + "rec/1/response")
    assert list(graph.objects(inferred, WPS.responseCategory)) == []
    assert list(graph.objects(inferred, WPS.inferredResponseCategory)) == [
        URIRef(CATEGORY + "partially-accepted")
    ]
    stated = URIRef(BASE + "rec/2/response")
    assert list(graph.objects(stated, WPS.responseCategory)) == [URIRef(CATEGORY + "accepted")]
    assert list(graph.objects(stated, WPS.inferredResponseCategory)) == []


def test_truncated_recommendation_is_flagged(register: Register) -> None:
    graph = emitted("truncated-mid-recommendation.txt", register)
    assert list(graph.objects(URIRef(BASE + "rec/2"), WPS.truncated)) == [Literal(True)]
    assert list(graph.objects(URIRef(BASE + "rec/1"), WPS.truncated)) == []


def test_load_a_folder_of_good_damaged_and_non_gate_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    files = {
        "gate-101.txt": "pipe-table.txt",  # good
        "gate-102.txt": "es-country-office.txt",  # good, with warnings
        "gate-103.txt": "truncated-mid-recommendation.txt",  # damaged: cut mid-word
        "gate-104.txt": "cp1252-crlf.txt",  # damaged: cp1252, CRLF, '?' quotes
        "gate-105.html": "html-page.html",  # saved as HTML
        "gate-106.txt": "chrome-only.txt",  # not GATE content
        "gate-107.txt": "not-a-response.txt",  # not a management response
        "gate-108.txt": "no-recommendations.txt",  # no recommendations
        "gate-109.txt": "empty.txt",  # empty
    }
    for target, source in files.items():
        shutil.copy(FIXTURES / source, folder / target)
    store_dir = tmp_path / "store"

    status = main(["load", str(folder), "--store", str(store_dir)])

    assert status == 1
    out = capsys.readouterr().out
    outcomes = {name: next(line for line in out.splitlines() if name in line) for name in files}
    assert "ok with warnings" in outcomes["gate-101.txt"]  # an unknown responsible party
    for name in ("gate-102.txt", "gate-103.txt", "gate-104.txt", "gate-105.html"):
        assert "ok with warnings" in outcomes[name], outcomes[name]
    for name in ("gate-106.txt", "gate-107.txt", "gate-108.txt", "gate-109.txt"):
        assert "rejected" in outcomes[name], outcomes[name]
    with open_store(store_dir) as store:
        graphs = {str(g) for g in store.named_graphs()}
    base = "https://w3id.org/wpsgraph/eval/unwomen/gate-"
    for loaded in ("101", "102", "103", "104", "105"):
        assert f"{base}{loaded}/graph" in graphs
    for rejected in ("106", "107", "108", "109"):
        assert not any(g.startswith(f"{base}{rejected}/") for g in graphs)
