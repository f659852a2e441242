"""SPARQL query text, read token by token: its form, and its variables bound to RDF terms.

Binding is for engines that take no parameters (a SPARQL server accepts only query text): each
bound variable is replaced by its term in N-Triples form, serialized and escaped by Oxigraph (an
IRI it refuses, or a blank node, is never written). The answers are the embedded engine's with its
substitution (SEP-0007), where a projected parameter keeps its column. Strings, IRIs and comments
of the query are never touched."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode
from rdflib.term import Identifier

from wpsgraph.errors import QueryError
from wpsgraph.store import to_oxigraph

# One SPARQL token at a time, in the order the grammar's tokenizer would match them: long strings
# before short ones, and an IRIREF wherever '<' starts one (as in the grammar, "?a<?b>" holds one).
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        | '''(?:[^'\\]|\\.|'(?!''))*'''
        | "(?:[^"\\\n]|\\.)*"
        | '(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7]+)
    | (?P<word>[A-Za-z_][\w-]*(?::[\w.-]*)?|:[\w.-]*)
    | (?P<open>[({])
    | (?P<close>[)}])
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_WORDS = {
    *("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
}
# Clauses where a bare variable cannot become a bare term.
_PROJECTION_END = {"WHERE", "FROM"}
_MODIFIER_END = {"LIMIT", "OFFSET", "HAVING", "VALUES"}


def substitute(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """The query with each bound variable replaced by its term: in a SELECT's projection as
    `(TERM AS ?name)`, so the column stays; in GROUP BY / ORDER BY as `(TERM)`; elsewhere as the
    term itself. A bound variable that the query assigns (`AS ?name`) is refused."""
    if not bindings:
        return sparql
    terms = {name: _serialized(name, term) for name, term in bindings.items()}
    return "".join(_substituted_tokens(sparql, terms))


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue. An update, or
    text that is no query, is refused."""
    for match in _TOKEN.finditer(sparql):
        word = match.group().upper() if match.lastgroup == "word" else ""
        if word in QUERY_FORMS:
            return word
        if word in _UPDATE_WORDS:
            raise QueryError(f"{word} is an update: only read-only queries are sent to a store")
    raise QueryError(f"not a SPARQL query: expected one of {', '.join(QUERY_FORMS)}")


def graph_query(name: str) -> str:
    """A CONSTRUCT of every triple of one named graph; ValueError when name is not an IRI."""
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {sparql_iri(name)} {{ ?s ?p ?o }} }}"


def sparql_iri(name: str) -> str:
    """<name>, validated and escaped by the engine: never raw text (ValueError if not an IRI)."""
    return str(ox.NamedNode(str(name)))


def _serialized(name: str, term: Identifier) -> str:
    if isinstance(term, BNode):
        raise QueryError(f"parameter '{name}': a blank node cannot be bound in query text")
    try:
        return str(to_oxigraph(term))
    except (TypeError, ValueError) as exc:
        raise QueryError(f"parameter '{name}': not a valid RDF term: {exc}") from None


def _substituted_tokens(sparql: str, terms: Mapping[str, str]) -> Iterator[str]:
    clause = None  # "projection" (SELECT ... WHERE) or "modifier" (GROUP BY / ORDER BY ...)
    depth = 0  # parentheses and braces opened since the clause began
    previous = ""  # the last keyword or punctuation seen, upper-cased
    for match in _TOKEN.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "var" and text[1:] in terms:
            if previous == "AS":
                raise QueryError(f"parameter '{text[1:]}' is assigned by the query ({text})")
            yield _placed(terms[text[1:]], text, clause if depth == 0 else None)
        else:
            yield text
        if kind in ("space", "comment"):
            continue
        word = text.upper() if kind in ("word", "open", "close") else ""
        if word == "SELECT":
            clause, depth = "projection", 0
        elif word == "BY" and previous in ("GROUP", "ORDER"):
            clause, depth = "modifier", 0
        elif kind == "open":
            if clause == "projection" and text == "{":
                clause = None
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth < 0:
                clause, depth = None, 0
        elif (word in _PROJECTION_END and clause == "projection") or word in _MODIFIER_END:
            clause = None
        previous = word


def _placed(term: str, variable: str, clause: str | None) -> str:
    if clause == "projection":
        return f"({term} AS {variable})"
    if clause == "modifier":
        return f"({term})"
    return term
