"""Content negotiation: which serialization answers a request, from its Accept header or its
format= parameter (a short name like csv, or a media type)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wpsgraph.serve.reply import HttpError


class NotAcceptable(HttpError):
    """Nothing the client accepts can be written for this answer (HTTP 406)."""

    def __init__(self, message: str) -> None:
        super().__init__(406, message)


@dataclass(frozen=True)
class Format:
    name: str  # the store's name for the serialization (store.py), or "html"
    media_type: str
    aliases: tuple[str, ...] = ()  # other media types and format= names meaning the same

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


JSON = Format("json", "application/sparql-results+json", ("application/json",))
XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"))
CSV = Format("csv", "text/csv")
TSV = Format("tsv", "text/tab-separated-values")
TURTLE = Format("turtle", "text/turtle", ("ttl", "application/x-turtle"))
NTRIPLES = Format("nt", "application/n-triples", ("ntriples",))
JSONLD = Format("jsonld", "application/ld+json", ("json-ld",))
RDFXML = Format("rdfxml", "application/rdf+xml", ("rdf",))
HTML = Format("html", "text/html", ("application/xhtml+xml",))

# The first of each list is the default, for a client that accepts anything.
RESULTS = (JSON, XML, CSV, TSV)
GRAPHS = (TURTLE, NTRIPLES, JSONLD, RDFXML)
DESCRIPTIONS = (TURTLE, HTML, NTRIPLES, JSONLD, RDFXML)
LISTING = (Format("json", "application/json"), HTML)


def choose(offered: Sequence[Format], accept: str | None, format_param: str | None) -> Format:
    """The format= parameter when given (it must name one of offered), else the offered format the
    Accept header prefers (highest q, then the client's order, then ours), else the default."""
    if format_param:
        wanted = format_param.strip().lower()
        for fmt in offered:
            if wanted in (fmt.name, fmt.media_type, *fmt.aliases):
                return fmt
        names = ", ".join(f.name for f in offered)
        raise NotAcceptable(f"format={format_param} is not offered here; use one of {names}")
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, int, Format] | None = None
    for position, (media_range, quality) in enumerate(_parse_accept(accept)):
        if quality <= 0:
            continue
        for rank, fmt in enumerate(offered):
            if _matches(media_range, fmt):
                key = (-quality, position, rank, fmt)
                if best is None or key[:3] < best[:3]:
                    best = key
    if best is None:
        types = ", ".join(f.media_type for f in offered)
        raise NotAcceptable(f"cannot answer in any type the request accepts; offered: {types}")
    return best[3]


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_range:
            ranges.append((media_range.lower(), quality))
    return ranges


def _matches(media_range: str, fmt: Format) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):  # by the format's own type only: text/* is CSV, not text/xml
        return fmt.media_type.startswith(media_range[:-1])
    return media_range in (fmt.media_type, *(a for a in fmt.aliases if "/" in a))
