"""HTML documentation of the vocabulary, in one folder that a web server can serve at the
ontology's own path (/ontology): index.html documents the ontology (pyLODE's OntPub profile),
schemes/NAME.html each concept scheme and shapes.html the SHACL shapes (Jinja2 templates), each
beside its Turtle source. Every page works offline: no script, style or font is fetched.

Why two generators: pyLODE 3.3.4 is the last release that installs on Python 3.11 (3.4.2 and
later need 3.12; 3.4.1 cannot be imported from a wheel, RDFLib/pyLODE#260) and its documentation
of an OWL ontology is good, but its VocPub profile lists no concepts and its SHACL-aware
Supermodel profile fetches owl:imports over HTTP. pyLODE 2.x needs rdflib < 7.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from wpsgraph.errors import WpsGraphError
from wpsgraph.jsonld import compactor
from wpsgraph.paths import ONTOLOGY_FILE, SCHEMES_DIR, SHAPES_DIR
from wpsgraph.resources import ontology_graph, parse_turtle_files
from wpsgraph.vocab import WPS_NS

STYLESHEET = "style.css"
# pyLODE's page body starts here; the navigation goes right after it.
PYLODE_CONTENT = '<div id="content">'
PYLODE_SECTION = '<div class="property entity" id="{}">'


@dataclass(frozen=True)
class Page:
    """A page of the documentation: where it goes, what the navigation calls it."""

    path: str
    title: str


@dataclass
class Concept:
    iri: URIRef
    anchor: str
    label: str
    notation: str
    alt_labels: list[str]
    definition: str
    matches: list[tuple[str, URIRef]]  # (the SKOS mapping property, the matched IRI)


@dataclass
class Scheme:
    slug: str
    iri: URIRef
    label: str
    definition: str
    source: Path
    concepts: list[Concept] = field(default_factory=list)

    @property
    def page(self) -> Page:
        return Page(f"schemes/{self.slug}.html", self.label)


@dataclass
class Constraint:
    """One shape (node shape or property shape) laid out for a reader."""

    iri: URIRef | BNode
    anchor: str
    label: str
    path: Markup
    count: str
    values: list[Markup]
    severity: str
    message: str
    targets: list[Markup] = field(default_factory=list)
    sparql: list[tuple[str, str]] = field(default_factory=list)  # (message, SELECT)
    properties: list[Constraint] = field(default_factory=list)


@dataclass
class ShapesFile:
    name: str
    node_shapes: list[Constraint]


def write_docs(directory: Path) -> list[Path]:
    """Write the documentation into directory (created if needed; files of the same names are
    replaced, others left alone). Everything is generated before anything is written."""
    files = documentation()
    written = []
    for relative, content in files.items():
        target = directory / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        except OSError as exc:
            raise WpsGraphError(f"{target}: cannot write: {exc.strerror}") from None
        written.append(target)
    return written


def documentation() -> dict[str, bytes]:
    """The documentation's files by path relative to its folder."""
    schemes = load_schemes()
    shapes_files = sorted(SHAPES_DIR.glob("*.ttl"))
    pages = [
        Page("index.html", "Ontology"),
        *(s.page for s in schemes),
        Page("shapes.html", "Shapes"),
    ]
    ontology_html, anchors = ontology_page()
    links = Links(anchors, {c.iri: (s, c) for s in schemes for c in s.concepts})
    env = _environment(links)
    files: dict[str, bytes] = {
        STYLESHEET: env.get_template("style.css").render().encode(),
        "index.html": _with_navigation(ontology_html, env, pages).encode(),
        ONTOLOGY_FILE.name: ONTOLOGY_FILE.read_bytes(),
        "shapes.html": env.get_template("shapes.html")
        .render(root="", pages=pages, current="shapes.html", files=load_shapes(shapes_files, links))
        .encode(),
    }
    for scheme in schemes:
        files[scheme.page.path] = (
            env.get_template("scheme.html")
            .render(root="../", pages=pages, current=scheme.page.path, scheme=scheme)
            .encode()
        )
        files[f"schemes/{scheme.source.name}"] = scheme.source.read_bytes()
    for path in shapes_files:
        files[f"shapes/{path.name}"] = path.read_bytes()
    return files


# --- the ontology: pyLODE ---------------------------------------------------------------------


def ontology_page() -> tuple[str, dict[URIRef, str]]:
    """pyLODE's page for the ontology, where each term's section can also be reached by the
    term's own local name (so https://w3id.org/wpsgraph/ontology#KeyAction lands on it), and
    each documented term's fragment id."""
    pub = _ontpub_class()(Graph() + ontology_graph(), sort_subjects=True)
    html = pub.make_html()
    anchors: dict[URIRef, str] = {}
    ids = set(re.findall(r' id="([^"]+)"', html))
    for iri, fid in pub.fids.items():
        term = URIRef(iri)
        local = iri[len(WPS_NS) :] if iri.startswith(WPS_NS) else None
        anchors[term] = fid
        if local and local != fid and local not in ids:
            section = PYLODE_SECTION.format(fid)
            html = html.replace(section, f'{section}<span id="{local}"></span>', 1)
            ids.add(local)
            anchors[term] = local
    return html, anchors


def _ontpub_class() -> type:
    """pyLODE's OntPub. Importing pyLODE configures the root logger at DEBUG level (its
    Supermodel profile calls logging.basicConfig): undone here, so no library's debug output
    reaches our users."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return OntPub


def _with_navigation(html: str, env: Environment, pages: list[Page]) -> str:
    if PYLODE_CONTENT not in html:
        raise WpsGraphError("pyLODE's page has no content element: is pyLODE 3.3.4 installed?")
    nav = env.get_template("nav.html").render(root="", pages=pages, current="index.html")
    style = f'<link rel="stylesheet" href="{STYLESHEET}">'
    html = html.replace("</head>", f"{style}\n</head>", 1)
    return html.replace(PYLODE_CONTENT, PYLODE_CONTENT + nav, 1)


# --- links between the pages ------------------------------------------------------------------


class Links:
    """Where a term is documented: a section of these pages, else the term's own IRI."""

    def __init__(self, anchors: dict[URIRef, str], concepts: dict[URIRef, tuple[Scheme, Concept]]):
        self.anchors = anchors
        self.concepts = concepts

    def href(self, iri: URIRef, root: str) -> str:
        if iri in self.anchors:
            return f"{root}index.html#{self.anchors[iri]}"
        if iri in self.concepts:
            scheme, concept = self.concepts[iri]
            return f"{root}{scheme.page.path}#{concept.anchor}"
        return str(iri)

    @staticmethod
    def name(term: Node) -> str:
        """A term as a reader writes it: wps:KeyAction, xsd:string, a literal's text."""
        return compactor().iri(str(term)) if isinstance(term, URIRef) else str(term)

    def link(self, term: Node, root: str = "") -> Markup:
        if not isinstance(term, URIRef):
            return escape(self.name(term))
        return Markup('<a href="{}">{}</a>').format(self.href(term, root), self.name(term))


def _environment(links: Links) -> Environment:
    env = Environment(
        loader=PackageLoader("wpsgraph", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["term"] = links.link
    env.filters["href"] = links.href
    return env


# --- concept schemes --------------------------------------------------------------------------


def load_schemes() -> list[Scheme]:
    schemes = []
    for path in sorted(SCHEMES_DIR.glob("*.ttl")):
        graph = parse_turtle_files([path])
        iri = graph.value(None, RDF.type, SKOS.ConceptScheme)
        if not isinstance(iri, URIRef):
            raise WpsGraphError(f"{path}: no skos:ConceptScheme")
        scheme = Scheme(
            slug=path.stem,
            iri=iri,
            label=_text(graph, iri, SKOS.prefLabel),
            definition=_text(graph, iri, SKOS.definition),
            source=path,
        )
        concepts = [c for c in graph.subjects(SKOS.inScheme, iri) if isinstance(c, URIRef)]
        scheme.concepts = sorted((_concept(graph, c) for c in concepts), key=lambda c: c.label)
        schemes.append(scheme)
    return schemes


def _concept(graph: Graph, iri: URIRef) -> Concept:
    matches = [
        (f"skos:{prop.fragment}", target)
        for prop in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
        for target in sorted(graph.objects(iri, prop))
        if isinstance(target, URIRef)
    ]
    return Concept(
        iri=iri,
        anchor=str(iri).rsplit("/", 1)[-1],
        label=_text(graph, iri, SKOS.prefLabel),
        notation=_text(graph, iri, SKOS.notation),
        alt_labels=sorted(str(v) for v in graph.objects(iri, SKOS.altLabel)),
        definition=_text(graph, iri, SKOS.definition),
        matches=matches,
    )


def _text(graph: Graph, subject: Node, prop: URIRef) -> str:
    value = graph.value(subject, prop)
    return "" if value is None else str(value)


# --- shapes -----------------------------------------------------------------------------------


def load_shapes(paths: Iterable[Path], links: Links) -> list[ShapesFile]:
    files = []
    for path in paths:
        graph = parse_turtle_files([path])
        reader = _ShapeReader(graph, links)
        nodes = sorted(
            (s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)),
            key=str,
        )
        files.append(ShapesFile(path.name, [reader.node_shape(n) for n in nodes]))
    return files


class _ShapeReader:
    """Reads the constraints of the SHACL Core (and SPARQL-based) shapes we write."""

    def __init__(self, graph: Graph, links: Links) -> None:
        self.graph = graph
        self.links = links
        self.term = links.link

    def node_shape(self, shape: URIRef) -> Constraint:
        g = self.graph
        constraint = self._constraint(shape)
        constraint.targets = [self.term(t) for t in sorted(g.objects(shape, SH.targetClass))]
        properties = [self._constraint(p) for p in g.objects(shape, SH.property)]
        constraint.properties = sorted(properties, key=lambda c: (str(c.path), c.anchor))
        return constraint

    def _constraint(self, shape: URIRef | BNode) -> Constraint:
        g = self.graph
        anchor = _local_name(shape) if isinstance(shape, URIRef) else ""
        path = g.value(shape, SH.path)
        return Constraint(
            iri=shape,
            anchor=anchor,
            label=_text(g, shape, RDFS.label) or anchor,
            path=self.term(path) if path is not None else Markup(""),
            count=_count(g.value(shape, SH.minCount), g.value(shape, SH.maxCount)),
            values=self.values(shape),
            severity="warning" if g.value(shape, SH.severity) == SH.Warning else "violation",
            message=_text(g, shape, SH.message),
            sparql=[
                (_text(g, s, SH.message), _dedented(_text(g, s, SH.select)))
                for s in g.objects(shape, SH.sparql)
            ],
        )

    def values(self, shape: Node) -> list[Markup]:
        """What the shape requires of the values, one phrase per constraint."""
        g = self.graph
        phrases: list[Markup] = []
        for prop, phrase in _VALUE_PHRASES.items():
            for value in sorted(g.objects(shape, prop)):
                phrases.append(phrase(self, value))
        for prop, word in _LOGICAL.items():
            for members in g.objects(shape, prop):
                alternatives = [
                    Markup("(") + Markup("; ").join(self.member(m)) + Markup(")")
                    for m in Collection(g, members)
                ]
                phrases.append(Markup(word) + Markup(" ") + Markup(" or ").join(alternatives))
        return phrases

    def member(self, shape: Node) -> list[Markup]:
        """The phrases of a shape inside sh:or / sh:and / sh:xone: its path and count too."""
        g = self.graph
        phrases = []
        path = g.value(shape, SH.path)
        if path is not None:
            count = _count(g.value(shape, SH.minCount), g.value(shape, SH.maxCount))
            phrases.append(self.term(path) + Markup(f" {escape(count)}"))
        return phrases + self.values(shape)

    def listed(self, values: Node) -> Markup:
        return Markup(", ").join(self.term(v) for v in Collection(self.graph, values))


def _plain(label: str) -> Callable[[_ShapeReader, Node], Markup]:
    return lambda reader, value: Markup(f"{escape(label)} <code>{escape(str(value))}</code>")


def _linked(label: str) -> Callable[[_ShapeReader, Node], Markup]:
    return lambda reader, value: Markup(f"{escape(label)} ") + reader.term(value)


_VALUE_PHRASES: dict[URIRef, Callable[[_ShapeReader, Node], Markup]] = {
    SH.datatype: _linked("datatype"),
    SH["class"]: _linked("an instance of"),
    SH.nodeKind: _linked("node kind"),
    SH.hasValue: _linked("the value"),
    SH["in"]: lambda reader, value: Markup("one of ") + reader.listed(value),
    SH.pattern: _plain("matching"),
    SH.minLength: _plain("length at least"),
    SH.maxLength: _plain("length at most"),
    SH.minInclusive: _plain("at least"),
    SH.maxInclusive: _plain("at most"),
    SH.minExclusive: _plain("more than"),
    SH.maxExclusive: _plain("less than"),
    SH.uniqueLang: lambda reader, value: Markup("one value per language" if value else ""),
    SH.node: _linked("conforming to"),
}
_LOGICAL = {SH["or"]: "either", SH["and"]: "all of", SH.xone: "exactly one of"}


def _count(minimum: Node | None, maximum: Node | None) -> str:
    low = int(minimum) if isinstance(minimum, Literal) else 0
    if isinstance(maximum, Literal):
        high = int(maximum)
        return str(high) if low == high else f"{low}..{high}"
    return f"{low}..*"


def _local_name(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _dedented(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    indent = min((len(line) - len(line.lstrip()) for line in lines), default=0)
    return "\n".join(line[indent:] for line in lines)
