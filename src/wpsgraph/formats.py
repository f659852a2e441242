"""Query results as text: an aligned table for people, CSV and SPARQL JSON for machines."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Graph, Literal, URIRef

from wpsgraph.jsonld import write_document
from wpsgraph.store import QueryResult, ResultsDocument, SelectResult, Term, expanded_jsonld
from wpsgraph.vocab import PREFIXES, bind_prefixes

TABLE_FORMATS = ("table", "csv", "json")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
_RDFLIB_GRAPH_FORMAT = {"turtle": "turtle", "nt": "nt"}
_ROWS_ONLY = f"rows are written as {', '.join(TABLE_FORMATS)}"
_MAX_CELL = 80
# The longest matching namespace wins, so wps: beats wpsid: for ontology terms.
_NAMESPACES = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda pn: -len(pn[1]))


def render(result: QueryResult, fmt: str) -> str:
    if isinstance(result, bool):
        return _render_boolean(result, fmt)
    if isinstance(result, Graph):
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"a graph result is written as {', '.join(GRAPH_FORMATS)}")
        if fmt == "jsonld":
            return compact_jsonld(result)
        return bind_prefixes(result).serialize(format=_RDFLIB_GRAPH_FORMAT[fmt])
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result)
    if fmt == "table":
        return to_table(result)
    raise ValueError(_ROWS_ONLY)


def compact_jsonld(graph: Graph) -> str:
    """A graph as JSON-LD compacted with the vocabulary's context (jsonld.py)."""
    out = io.BytesIO()
    write_document(out, [expanded_jsonld(graph)])
    return out.getvalue().decode("utf-8")


def results_format(fmt: str) -> str:
    """What Store.select_results serializes for a rows format: the table is made from JSON."""
    if fmt not in TABLE_FORMATS:
        raise ValueError(_ROWS_ONLY)
    return "csv" if fmt == "csv" else "json"


def render_select(data: bytes, fmt: str) -> str:
    """Store.select_results' bytes (in results_format(fmt)) as text, laid out as render lays out
    the same rows: CSV as it is, JSON indented, the table made from the JSON."""
    if fmt == "csv":
        return data.decode("utf-8")
    document = json.loads(data)
    if fmt == "json":
        return _dump_json(document)
    variables = document["head"]["vars"]
    bindings = document["results"]["bindings"]
    return _table(variables, [[_json_cell(b.get(v)) for v in variables] for b in bindings])


def _render_boolean(value: bool, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    return ("true" if value else "false") + "\n"


def to_csv(result: SelectResult) -> str:
    """SPARQL 1.1 CSV: a header row, IRIs and lexical forms as they are, blank nodes as _:label,
    unbound as empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_field(row[v]) for v in result.variables])
    return out.getvalue()


def _csv_field(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def to_json(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {v: _json_term(t) for v in result.variables if (t := row[v]) is not None}
        for row in result.rows
    ]
    return _dump_json({"head": {"vars": result.variables}, "results": {"bindings": bindings}})


def _dump_json(document: ResultsDocument) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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
    return _table(
        result.variables, [[_cell(row[v]) for v in result.variables] for row in result.rows]
    )


def _table(variables: list[str], cells: list[list[str]]) -> str:
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _cell(term: Term | None) -> str:
    if term is None:
        return ""
    return _fit(compact_iri(str(term)) if isinstance(term, URIRef) else " ".join(str(term).split()))


def _json_cell(term: dict[str, str] | None) -> str:
    """_cell for a SPARQL JSON term (a blank node shows its bare label, as BNode does)."""
    if term is None:
        return ""
    value = term["value"]
    return _fit(compact_iri(value) if term["type"] == "uri" else " ".join(value.split()))


def _fit(text: str) -> str:
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def compact_iri(iri: str) -> str:
    """An IRI as a prefixed name (wps:KeyAction) when one of our prefixes covers it."""
    for prefix, ns in _NAMESPACES:
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
