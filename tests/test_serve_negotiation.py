"""Content negotiation: the format= parameter, then the Accept header's preferences."""

from __future__ import annotations

import pytest

from wpsgraph.serve.negotiation import (
    CSV,
    DESCRIPTIONS,
    GRAPHS,
    HTML,
    JSON,
    JSONLD,
    RESULTS,
    TSV,
    TURTLE,
    XML,
    NotAcceptable,
    choose,
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("text/csv", CSV),
        ("text/*", CSV),
        ("application/json", JSON),
        ("text/xml", XML),
        ("application/sparql-results+xml;q=0.5, text/tab-separated-values", TSV),
        ("text/csv;q=0.1, application/sparql-results+json;q=0.9", JSON),
        ("text/csv;q=0, */*;q=0.1", JSON),
        ("text/csv, text/tab-separated-values", CSV),
        ("TEXT/CSV", CSV),
        ("text/csv;q=oops, text/tab-separated-values", TSV),
    ],
)
def test_results_by_accept(accept: str | None, expected: object) -> None:
    assert choose(RESULTS, accept, None) is expected


def test_browsers_get_pages_and_programs_get_turtle() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert choose(DESCRIPTIONS, browser, None) is HTML
    assert choose(DESCRIPTIONS, "*/*", None) is TURTLE
    assert choose(DESCRIPTIONS, None, None) is TURTLE
    assert choose(GRAPHS, "application/ld+json", None) is JSONLD


@pytest.mark.parametrize(("value", "expected"), [("csv", CSV), ("TSV", TSV), ("text/csv", CSV)])
def test_the_format_parameter_wins(value: str, expected: object) -> None:
    assert choose(RESULTS, "application/sparql-results+json", value) is expected


def test_what_cannot_be_written_is_refused() -> None:
    with pytest.raises(NotAcceptable, match="format=turtle is not offered here"):
        choose(RESULTS, None, "turtle")
    with pytest.raises(NotAcceptable, match="offered: application/sparql-results"):
        choose(RESULTS, "image/png", None)
    with pytest.raises(NotAcceptable):
        choose(RESULTS, "text/csv;q=0", None)
