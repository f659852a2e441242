"""The query page at /: Yasgui (installed from npm into static/vendor/, never from a CDN) with one
tab per canned query, its question above the editor."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from html import escape
from pathlib import Path

from wpsgraph.errors import QueryError
from wpsgraph.queries import CannedQuery, Parameter, bind_parameters
from wpsgraph.serve.html import page

STATIC_DIR = Path(__file__).resolve().parent / "static"
YASGUI_DIR = STATIC_DIR / "vendor" / "yasgui"
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
# The first "{" after the query form opens the outer WHERE group.
# What a required parameter shows until the reader fills it in.
_PLACEHOLDERS = {"xsd:string": "", "xsd:integer": "0", "xsd:date": "today"}
_OUTER_GROUP = re.compile(r"^\s*(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b[^{]*\{", re.IGNORECASE | re.M)


def yasgui_installed() -> bool:
    return all((YASGUI_DIR / name).is_file() for name in YASGUI_FILES)


def query_page(queries: dict[str, CannedQuery], today: date | None = None) -> str:
    """The page; without Yasgui's files it says how to install them instead of showing nothing."""
    if not yasgui_installed():
        return page(
            "Query",
            "<h1>The query editor is not installed</h1><p>Yasgui's files are missing from "
            f"<code>{escape(str(YASGUI_DIR))}</code>. In a clone of wpsgraph, "
            "<code>python3 dev.py test</code> (or <code>npm ci</code> and a rebuild) installs "
            'them. <a href="/queries">The canned queries</a> and <a href="/sparql">the SPARQL '
            "endpoint</a> work without it.</p>",
        )
    tabs = [
        {"name": q.name, "title": q.title, "question": q.question, "query": tab_text(q, today)}
        for q in queries.values()
    ]
    # "<" escaped so that no value can close the script element.
    config = json.dumps(tabs, ensure_ascii=False).replace("<", "\\u003c")
    head = (
        '<link rel="stylesheet" href="/static/vendor/yasgui/yasgui.min.css">'
        '<script src="/static/vendor/yasgui/yasgui.min.js" defer></script>'
        '<script src="/static/page.js" defer></script>'
    )
    body = (
        '<p class="question" id="question"></p><div id="yasgui"></div>'
        f'<script type="application/json" id="wpsgraph-tabs">{config}</script>'
    )
    return page("Query", body, head)


def tab_text(
    query: CannedQuery, today: date | None = None, given: Mapping[str, str] | None = None
) -> str:
    """The canned query as a researcher can run it anywhere: each parameter bound by a VALUES
    line at the top of the outer group (the value given, else its default, else a placeholder
    to fill in), typed as the command line types it."""
    if not query.parameters:
        return query.sparql
    match = _OUTER_GROUP.search(query.sparql)
    if match is None:
        raise QueryError(f"{query.path}: no WHERE group to bind the parameters in")
    required = {p.name: _PLACEHOLDERS[p.type] for p in query.parameters if p.default is None}
    bound = bind_parameters(query, {**required, **(given or {})}, today)
    lines = "".join(
        f"\n  VALUES ?{p.name} {{ {bound[p.name].n3()} }}  # {_note(p, given or {})}"
        for p in query.parameters
    )
    return query.sparql[: match.end()] + lines + query.sparql[match.end() :]


def _note(param: Parameter, given: Mapping[str, str]) -> str:
    placeholder = param.default is None and param.name not in given
    return param.description + (" (required: fill it in)" if placeholder else "")
