"""SELECT results as a pandas DataFrame, the shape notebooks expect: one row per solution, one
column per variable, literals as Python values (numbers, dates, booleans, strings), IRIs and blank
nodes as strings, unbound values as None. pandas is an optional extra:
pip install wpsgraph[pandas]."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal

from wpsgraph.errors import WpsGraphError
from wpsgraph.store import SelectResult, Term

if TYPE_CHECKING:
    import pandas


def to_dataframe(result: SelectResult) -> pandas.DataFrame:
    try:
        import pandas
    except ImportError:
        raise WpsGraphError(
            "results as a DataFrame need pandas: pip install 'wpsgraph[pandas]'"
        ) from None
    rows = [[python_value(row[v]) for v in result.variables] for row in result.rows]
    return pandas.DataFrame(rows, columns=result.variables)


def python_value(term: Term | None) -> object:
    """A literal's Python value where rdflib knows its datatype (xsd:integer -> int, xsd:date ->
    date ...), else its lexical form; IRIs and blank nodes as strings."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)
