"""Bad input and safety: what 'wpsgraph link' and 'wpsgraph validate' refuse to read, each with a
one-line error, exit 2, within limits of time and size, and with nothing written. URLs are
served from 127.0.0.1; nothing here reaches the internet."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.conftest import SEED
from tests.servers import (
    Server,
    declared_size,
    document,
    endless,
    redirect,
    serve,
    silent,
)
from wpsgraph.cli import main
from wpsgraph.errors import SourceError
from wpsgraph.fetch import FetchError, Limits, fetch
from wpsgraph.rdfsource import FORMAT_NAMES, read_file, read_url
from wpsgraph.store import open_store

TURTLE = """@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/pub/partner/a> a wps:Partner ; skos:prefLabel "A partner"@en ;
    wps:acronym "AP" .
<https://example.org/pub/partner/b> a wps:Partner ; skos:prefLabel "B"@en, "Bé"@fr .
""".encode()
SUFFIXES = {
    ox.RdfFormat.TURTLE: ".ttl",
    ox.RdfFormat.N_TRIPLES: ".nt",
    ox.RdfFormat.N_QUADS: ".nq",
    ox.RdfFormat.TRIG: ".trig",
    ox.RdfFormat.JSON_LD: ".jsonld",
    ox.RdfFormat.RDF_XML: ".rdf",
}
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <rdf:Description rdf:about="https://example.org/pub/partner/a">
    <skos:prefLabel>&secret;</skos:prefLabel>
  </rdf:Description>
</rdf:RDF>
"""


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("safe") / "store"
    assert main(["load", str(SEED), "--store", str(store), "--quiet"]) == 0
    return store


def store_state(store: Path) -> tuple[int, list[str]]:
    with open_store(store, read_only=True) as opened:
        return len(opened), [str(g) for g in opened.named_graphs()]


def one_line_error(
    args: list[str], store: Path, capsys: pytest.CaptureFixture[str], command: str = "link"
) -> str:
    """Run a command that must fail with exit 2, one line on stderr, the store unchanged."""
    capsys.readouterr()
    before = store_state(store)
    assert main([command, *args, "--store", str(store)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("wpsgraph: error: ") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    assert store_state(store) == before
    return captured.err


@pytest.fixture
def server() -> Iterator[Server]:
    routes = {
        "/silent.ttl": silent,
        "/loop": redirect("/loop"),
        "/huge.ttl": declared_size(5 * 1024**3),
        "/endless.nt": endless("application/n-triples"),
        "/page": document(b"<!DOCTYPE html><html><body>Data</body></html>", "text/html"),
        "/page.ttl": document(b"\n<!doctype HTML>\n<html><p>Not Turtle</p></html>", "text/plain"),
        "/to-file": redirect("file:///etc/passwd"),
        "/context.jsonld": document(b'{"@context": {}}', "application/ld+json"),
        "/gone.ttl": lambda handler, _server: handler.send_error(404),
    }  # fmt: skip
    with serve(routes) as running:
        yield running


# -- URLs -----------------------------------------------------------------------------------------


def test_a_url_that_does_not_answer_times_out(
    server: Server, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    url = server.url("/silent.ttl")
    error = one_line_error([url, "--timeout", "0.5"], store_dir, capsys)
    assert f"{url}: no answer within 0.5 s" in error
    assert time.monotonic() - started < 5


def test_a_url_that_redirects_forever_is_given_up(
    server: Server, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = one_line_error([server.url("/loop")], store_dir, capsys)
    assert "more than 5 redirects; give the final URL" in error
    assert server.requests == ["/loop"] * 6


def test_an_answer_announced_as_gigabytes_is_refused_before_reading(
    server: Server, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = one_line_error([server.url("/huge.ttl")], store_dir, capsys)
    assert "the answer is 5120.0 MiB, over the limit of 50.0 MiB" in error


def test_an_endless_answer_is_cut_at_the_size_cap(
    server: Server, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = one_line_error([server.url("/endless.nt")], store_dir, capsys)
    assert "the answer is larger than the limit of 50.0 MiB" in error


def test_the_size_cap_is_a_limit_of_the_fetch(server: Server) -> None:
    with pytest.raises(FetchError, match="larger than the limit of 1000 bytes"):
        fetch(server.url("/endless.nt"), "*/*", Limits(max_bytes=1000))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/page", "the server answered an HTML page (text/html), not RDF"),
        ("/page.ttl", "this is an HTML page, not Turtle; give the data itself"),
    ],
)
def test_an_html_answer_is_refused(
    server: Server,
    store_dir: Path,
    capsys: pytest.CaptureFixture[str],
    path: str,
    expected: str,
) -> None:
    assert expected in one_line_error([server.url(path)], store_dir, capsys)


@pytest.mark.parametrize("command", ["link", "validate"])
def test_a_file_scheme_url_is_refused(
    command: str, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = one_line_error(["file:///etc/passwd"], store_dir, capsys, command)
    assert "file:///etc/passwd: only http and https URLs are read, not 'file:' URLs" in error


def test_a_redirect_to_a_file_scheme_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match="not 'file:' URLs"):
        fetch(server.url("/to-file"), "*/*")


def test_an_http_error_is_one_line(
    server: Server, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = one_line_error([server.url("/gone.ttl")], store_dir, capsys)
    assert "the server answered HTTP 404 Not Found" in error


def test_a_closed_port_cannot_connect(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with serve({}) as stopped:
        url = stopped.url("/data.ttl")
    assert "cannot connect" in one_line_error([url], store_dir, capsys)


# -- documents that would make a parser read something else ---------------------------------------


def test_rdf_xml_with_external_entities_is_refused(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "partners.rdf"
    path.write_bytes(XXE)
    error = one_line_error([str(path)], store_dir, capsys)
    assert "RDF/XML with a DOCTYPE or ENTITY declaration is refused" in error


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_rdf_xml_entities_are_refused_in_utf16_too(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "partners.rdf"
    path.write_bytes(
        XXE.decode().replace('"1.0"', f'"1.0" encoding="{codec.upper()}"').encode(codec)
    )
    with pytest.raises(SourceError, match="DOCTYPE or ENTITY"):
        read_file(path)


@pytest.mark.parametrize(
    "context",
    [
        '"{url}"',
        '["{url}", {{"wps": "https://w3id.org/wpsgraph/ontology#"}}]',
        '{{"@import": "{url}"}}',
    ],
)
def test_json_ld_with_a_remote_context_is_refused_and_not_fetched(
    context: str,
    server: Server,
    tmp_path: Path,
    store_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = server.url("/context.jsonld")
    path = tmp_path / "data.jsonld"
    path.write_text(
        '{"@context": ' + context.format(url=url) + ', "@id": "https://example.org/a", '
        '"https://example.org/p": {"@context": {}, "@id": "https://example.org/b"}}'
    )
    error = one_line_error([str(path)], store_dir, capsys)
    assert f"JSON-LD with a remote @context ({url}) is refused" in error
    assert server.requests == []


def test_a_nested_remote_context_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonld"
    path.write_text(
        json.dumps({"@id": "https://example.org/a", "https://example.org/p": {
            "@context": "https://example.org/ctx", "@id": "https://example.org/b"}})
    )  # fmt: skip
    with pytest.raises(SourceError, match=r"remote @context \(https://example.org/ctx\)"):
        read_file(path)


# -- what is read: every format, by name or Content-Type ----------------------------------------


@pytest.mark.parametrize("rdf_format", list(FORMAT_NAMES), ids=lambda f: FORMAT_NAMES[f])
def test_every_format_reads_the_same_graph(rdf_format: ox.RdfFormat, tmp_path: Path) -> None:
    expected = Graph().parse(data=TURTLE, format="turtle")
    data = ox.serialize(ox.parse(TURTLE, format=ox.RdfFormat.TURTLE), format=rdf_format)
    path = tmp_path / f"data{SUFFIXES[rdf_format]}"
    path.write_bytes(data)
    assert isomorphic(read_file(path).graph, expected)
    routes = {
        "/typed": document(data, rdf_format.media_type),
        f"/named{SUFFIXES[rdf_format]}": document(data, "text/plain"),
    }
    with serve(routes) as running:
        assert isomorphic(read_url(running.url("/typed")).graph, expected)
        assert isomorphic(read_url(running.url(f"/named{SUFFIXES[rdf_format]}")).graph, expected)


def test_the_named_graphs_of_a_dataset_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "data.nq"
    a, b, c, p, g = (f"<https://example.org/{x}>" for x in "abcpg")
    path.write_text(f"{a} {p} {b} {g} .\n{b} {p} {c} .\n")
    assert len(read_file(path).graph) == 2


def test_an_unknown_file_extension_says_what_is_expected(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(TURTLE)
    with pytest.raises(
        SourceError, match=r"cannot tell the RDF format from the name: expected Turtle"
    ):
        read_file(path)


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("bad.ttl", "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c\nex:d ex:e ex:f .\n",
         "bad.ttl: line 3, column 1: not valid Turtle: a dot is expected at the end of statements"),
        ("bad.nt", "<https://example.org/a> <https://example.org/b> .\n",
         "bad.nt: line 1, column 49: not valid N-Triples: "),
        ("bad.jsonld", '{"@id": "https://example.org/a",\n "https://example.org/p": [1, }',
         "bad.jsonld: line 2, column 31: not valid JSON-LD: unexpected closing curly bracket"),
        ("bad.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a></b>',
         "bad.rdf: line 2, column 6: not valid RDF/XML: mismatched tag"),
    ],
)  # fmt: skip
def test_a_parse_error_names_line_and_column_in_plain_words(
    tmp_path: Path, name: str, body: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(body)
    with pytest.raises(SourceError) as failure:
        read_file(path)
    message = str(failure.value)
    assert message.startswith(str(tmp_path / expected.split(":", 1)[0]))
    assert expected.split(":", 1)[1].strip() in message
    assert "Parser error" not in message and "(line" not in message
