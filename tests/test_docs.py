"""wpsgraph docs: every term of the ontology, every concept and every shape is documented,
and the pages work offline, linked to each other."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from markupsafe import escape
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SH, SKOS

from wpsgraph.cli import main
from wpsgraph.paths import SCHEMES_DIR, SHAPES_DIR
from wpsgraph.resources import ontology_graph
from wpsgraph.vocab import WPS_NS

ID = re.compile(r' id="([^"]+)"')
HREF = re.compile(r' href="([^"]+)"')


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("docs")
    assert main(["docs", "-o", str(directory)]) == 0
    return directory


def _ontology_terms() -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    ontology = ontology_graph()
    return sorted(
        {s for k in kinds for s in ontology.subjects(RDF.type, k) if isinstance(s, URIRef)}
    )


def test_every_class_and_property_is_documented_at_its_own_fragment(docs: Path) -> None:
    html = (docs / "index.html").read_text(encoding="utf-8")
    ids = set(ID.findall(html))
    terms = _ontology_terms()
    assert len(terms) > 50
    for term in terms:
        assert str(term) in html, term
        # https://w3id.org/wpsgraph/ontology#KeyAction resolves to /ontology/#KeyAction
        assert str(term)[len(WPS_NS) :] in ids, term


@pytest.mark.parametrize("path", sorted(SCHEMES_DIR.glob("*.ttl")), ids=lambda p: p.stem)
def test_every_concept_is_on_its_scheme_page(docs: Path, path: Path) -> None:
    scheme = Graph().parse(path)
    html = (docs / "schemes" / f"{path.stem}.html").read_text(encoding="utf-8")
    ids = set(ID.findall(html))
    concepts = set(scheme.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for concept in concepts:
        assert str(concept) in html
        assert str(concept).rsplit("/", 1)[-1] in ids
        assert escape(str(scheme.value(concept, SKOS.prefLabel))) in html
    assert (docs / "schemes" / path.name).read_bytes() == path.read_bytes()


def test_every_shape_is_on_the_shapes_page(docs: Path) -> None:
    html = (docs / "shapes.html").read_text(encoding="utf-8")
    shapes = Graph()
    for path in SHAPES_DIR.glob("*.ttl"):
        shapes.parse(path)
        assert (docs / "shapes" / path.name).is_file()
    named = [
        s
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    ]
    assert len(named) > 50
    for shape in named:
        assert str(shape) in html, shape
    for message in shapes.objects(None, SH.message):
        assert escape(str(message)) in html, message


def test_pages_fetch_nothing_and_their_links_resolve(docs: Path) -> None:
    pages = sorted(docs.rglob("*.html"))
    assert {p.relative_to(docs).as_posix() for p in pages} >= {"index.html", "shapes.html"}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|img|iframe)[^>]* src="(https?:)?//', html), page
        assert not re.search(r'<link[^>]* href="(https?:)?//', html), page
        for href in HREF.findall(html):
            if href.startswith(("http:", "https:", "data:", "mailto:")):
                continue
            target, fragment = urldefrag(href)
            file = (page.parent / target).resolve() if target else page
            assert file.is_file(), (page, href)
            if fragment and file.suffix == ".html":
                assert f' id="{fragment}"' in file.read_text(encoding="utf-8"), (page, href)


def test_docs_into_a_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    assert main(["docs", "-o", str(blocker)]) == 2
    assert "cannot write" in capsys.readouterr().err
