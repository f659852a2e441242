"""The HTML shell of the server's pages (descriptions, the canned-query listing) and the one way
values enter them: escaped, with links only to our own paths or to http(s) IRIs."""

from __future__ import annotations

from html import escape

from wpsgraph.vocab import BASE

STYLESHEET = "/static/page.css"
_NAVIGATION = (
    ("/", "Query"),
    ("/queries", "Canned queries"),
    ("/ontology", "Ontology"),
    ("/sparql", "Service description"),
)


def page(title: str, body: str, head: str = "") -> str:
    """A whole page: title and body as given (body is already HTML), our stylesheet and menu."""
    menu = " ".join(f'<a href="{href}">{escape(label)}</a>' for href, label in _NAVIGATION)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · wpsgraph</title>"
        # No icon to fetch: an empty one.
        f'<link rel="icon" href="data:,"><link rel="stylesheet" href="{STYLESHEET}">{head}</head>'
        f'<body><header class="site"><a class="home" href="/">wpsgraph</a> '
        f"<nav>{menu}</nav></header>"
        f"<main>{body}</main></body></html>\n"
    )


def local_path(iri: str) -> str | None:
    """The path at which this server describes an IRI of ours, or None."""
    return "/" + iri[len(BASE) :] if iri.startswith(BASE) else None


def link(iri: str, text: str) -> str:
    """A link to an IRI: our own as a local path, others only when http(s) (never javascript:)."""
    href = local_path(iri) or (iri if iri.startswith(("http://", "https://")) else None)
    if href is None:
        return escape(text)
    return f'<a href="{escape(href, quote=True)}">{escape(text)}</a>'
