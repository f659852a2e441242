"""Query results as pandas DataFrames, from the embedded store and from a real Oxigraph server."""

from __future__ import annotations

import sys
from datetime import date

import pandas
import pytest
from rdflib import BNode, Literal, URIRef

from tests.servers import Running
from wpsgraph.errors import WpsGraphError
from wpsgraph.queries import discover, run_canned
from wpsgraph.store import OxigraphStore, SelectResult, open_store

QUERIES = discover()


def test_a_canned_answer_from_either_store_is_the_same_dataframe(
    seed_store: OxigraphStore, seed_oxigraph: Running
) -> None:
    embedded = run_canned(seed_store, QUERIES["deadlines-by-year"], {}).to_dataframe()
    with open_store(seed_oxigraph.query, read_only=True) as store:
        served = run_canned(store, QUERIES["deadlines-by-year"], {}).to_dataframe()
    pandas.testing.assert_frame_equal(embedded, served)
    assert list(embedded.columns) == ["year", "status", "actions"]
    assert embedded["actions"].dtype == "int64" and embedded["actions"].sum() == 13
    assert embedded.to_dict("records")[0] == {"year": 2026, "status": "Initiated", "actions": 1}


def test_terms_become_python_values() -> None:
    result = SelectResult(
        ["iri", "day", "text", "blank", "missing"],
        [
            {
                "iri": URIRef("urn:a"),
                "day": Literal(
                    "2027-01-15", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")
                ),
                "text": Literal("paz", lang="es"),
                "blank": BNode("b1"),
                "missing": None,
            }
        ],
    )
    assert result.to_dataframe().to_dict("records") == [
        {"iri": "urn:a", "day": date(2027, 1, 15), "text": "paz", "blank": "b1", "missing": None}
    ]


def test_without_pandas_the_message_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(WpsGraphError, match=r"pip install 'wpsgraph\[pandas\]'"):
        SelectResult(["x"], []).to_dataframe()
