"""Query results as text: an aligned table for people, CSV and SPARQL JSON for machines."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Graph, Literal, URIRef

from wpsgraph.store import QueryResult, SelectResult, Term
from wpsgraph.vocab import PREFIXES, bind_prefixes

TABLE_FORMATS = ("table", "csv", "json")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
_RDFLIB_GRAPH_FORMAT = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}
_MAX_CELL = 80


def render(result: QueryResult, fmt: str) -> str:
    if isinstance(result, bool):
        return _render_boolean(result, fmt)
    if isinstance(result, Graph):
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"a graph result is written as {', '.join(GRAPH_FORMATS)}")
        return bind_prefixes(result).serialize(format=_RDFLIB_GRAPH_FORMAT[fmt])
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result)
    if fmt == "table":
        return to_table(result)
    raise ValueError(f"rows are written as {', '.join(TABLE_FORMATS)}")


def _render_boolean(value: bool, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    return ("true" if value else "false") + "\n"


def to_csv(result: SelectResult) -> str:
    """SPARQL 1.1 CSV: a header row, IRIs and lexical forms as they are, unbound as empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if row[v] is None else str(row[v]) for v in result.variables])
    return out.getvalue()


def to_json(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {v: _json_term(t) for v in result.variables if (t := row[v]) is not None}
        for row in result.rows
    ]
    doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def to_table(result: SelectResult) -> str:
    cells = [[_cell(row[v]) for v in result.variables] for row in result.rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(result.variables)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _cell(term: Term | None) -> str:
    if term is None:
        return ""
    text = _compact(term) if isinstance(term, URIRef) else " ".join(str(term).split())
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def _compact(iri: URIRef) -> str:
    # The longest matching namespace wins, so wps: beats wpsid: for ontology terms.
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if str(iri).startswith(str(ns)):
            return f"{prefix}:{str(iri)[len(str(ns)) :]}"
    return str(iri)
