"""Golden answers for every canned query on the seed, and safe parameter binding."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import URIRef

from tests.conftest import SEED, SEED_EVALUATION
from wpsgraph.errors import QueryError
from wpsgraph.loader import load_files
from wpsgraph.queries import check_read_only, discover, load_query, run_canned
from wpsgraph.store import OxigraphStore, SelectResult, open_store

QUERIES = discover()
EV = SEED_EVALUATION


def rows(store: OxigraphStore, name: str, **params: str) -> list[tuple[str, ...]]:
    result = run_canned(store, QUERIES[name], params, today=date(2026, 11, 27))
    return [tuple("" if r[v] is None else str(r[v]) for v in result.variables) for r in result.rows]


def columns(store: OxigraphStore, name: str, **params: str) -> list[str]:
    return run_canned(store, QUERIES[name], params, today=date(2026, 11, 27)).variables


def action(rec: int, n: int) -> str:
    return f"{EV}/rec/{rec}/action/{n}"


def test_every_canned_query_has_a_golden_test() -> None:
    tested = {
        "actions-by-status",
        "overdue-actions",
        "open-actions-by-unit",
        "partner-mentions",
        "resource-conditional-actions",
        "deadlines-by-year",
        "response-categories",
        "recommendations-not-started",
        "search",
        "key-action-violation",
        # golden tests in test_curation.py, on pages whose parties the register lacks
        "unresolved-parties",
        "unseparated-parties",
        "shared-partners",  # golden rows in test_link.py: it needs a second organisation's graph
    }
    assert set(QUERIES) == tested


def test_actions_by_status(seed_store: OxigraphStore) -> None:
    assert columns(seed_store, "actions-by-status") == ["status", "actions"]
    assert rows(seed_store, "actions-by-status") == [("Initiated", "11"), ("Not Initiated", "2")]


def test_deadlines_by_year(seed_store: OxigraphStore) -> None:
    assert columns(seed_store, "deadlines-by-year") == ["year", "status", "actions"]
    assert rows(seed_store, "deadlines-by-year") == [
        ("2026", "Initiated", "1"),
        ("2027", "Initiated", "2"),
        ("2029", "Initiated", "8"),
        ("2029", "Not Initiated", "2"),
    ]


def test_overdue_actions_as_of_2027_01_15(seed_store: OxigraphStore) -> None:
    result = rows(seed_store, "overdue-actions", as_of="2027-01-15")
    assert [(r[0], r[2], r[3], r[4]) for r in result] == [
        (EV, action(3, 3), "2026-12", "Initiated")
    ]
    assert columns(seed_store, "overdue-actions", as_of="2027-01-15") == [
        "evaluation",
        "recommendation",
        "action",
        "deadline",
        "status",
        "text",
    ]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-12-31", 0),  # the deadline month has not ended yet
        ("2027-01-01", 1),
        ("2027-12-31", 1),
        ("2028-01-01", 3),
        ("2030-01-01", 13),
    ],
)
def test_overdue_actions_boundaries(seed_store: OxigraphStore, as_of: str, expected: int) -> None:
    assert len(rows(seed_store, "overdue-actions", as_of=as_of)) == expected


def test_overdue_actions_default_is_today(seed_store: OxigraphStore) -> None:
    # The test's "today" (2026-11-27) is before every deadline month has ended.
    assert rows(seed_store, "overdue-actions") == []


def test_resource_conditional_actions(seed_store: OxigraphStore) -> None:
    assert [(r[2], r[3], r[4], r[5]) for r in rows(seed_store, "resource-conditional-actions")] == [
        (action(2, 1), "subject to availability of resources", "2029-12", "Not Initiated"),
        (action(5, 2), "subject to availability of funds", "2029-12", "Not Initiated"),
        (action(5, 3), "depending on available resources", "2029-12", "Initiated"),
    ]


def test_response_categories(seed_store: OxigraphStore) -> None:
    assert rows(seed_store, "response-categories") == [(EV, "11818", "Accepted", "5")]


def test_open_actions_by_unit(seed_store: OxigraphStore) -> None:
    unit = "https://w3id.org/wpsgraph/org/unwomen/unit/"
    assert rows(seed_store, "open-actions-by-unit") == [
        (unit + "ppid-psru", "Peace, Security and Resilience Unit", "11", "0", "11"),
        (unit + "regional-offices", "Regional Offices", "4", "1", "5"),
        (
            unit + "country-offices-conflict-settings",
            "Country Offices in conflict settings",
            "3",
            "1",
            "4",
        ),
        (unit + "civil-society-division", "Civil Society Division", "2", "0", "2"),
        (unit + "civil-society-section", "Civil Society Section", "1", "0", "1"),
        (unit + "coordination-section", "Coordination Section", "1", "0", "1"),
        (unit + "country-offices", "Country Offices", "1", "0", "1"),
        (
            "https://w3id.org/wpsgraph/org/geap-secretariat",
            "Gender Equality Acceleration Plan Secretariat",
            "0",
            "1",
            "1",
        ),
        (unit + "wphf-secretariat", "WPHF Secretariat", "1", "0", "1"),
    ]


def test_partner_mentions(seed_store: OxigraphStore) -> None:
    assert columns(seed_store, "partner-mentions") == [
        "partner",
        "partner_label",
        "level",
        "place",
        "evaluation",
    ]
    org, product = "https://w3id.org/wpsgraph/org/", "https://w3id.org/wpsgraph/product/"
    found = {
        (r[0].removeprefix(org).removeprefix(product), r[2], r[3].removeprefix(EV))
        for r in rows(seed_store, "partner-mentions")
    }
    expected = {
        ("dppa", "evaluation", ""),
        ("dppa", "recommendation", "/rec/1"),
        ("dppa", "action", "/rec/1/action/2"),
        ("dppa", "action", "/rec/3/action/1"),
        ("dpo", "recommendation", "/rec/1"),
        ("dpo", "action", "/rec/1/action/2"),
        ("un-security-council", "evaluation", ""),
        ("un-security-council", "recommendation", "/rec/1"),
        ("un-security-council", "recommendation", "/rec/3"),
        ("un-security-council", "recommendation", "/rec/5"),
        ("un-security-council", "action", "/rec/3/action/1"),
        ("security-council-ieg-wps", "evaluation", ""),
        ("security-council-ieg-wps", "recommendation", "/rec/1"),
        ("security-council-ieg-wps", "recommendation", "/rec/3"),
        ("security-council-ieg-wps", "action", "/rec/3/action/1"),
        ("wphf", "recommendation", "/rec/4"),
        ("wphf", "recommendation", "/rec/5"),
        ("wphf", "action", "/rec/4/action/1"),
        ("wphf-rrw", "recommendation", "/rec/4"),
        ("ohchr", "recommendation", "/rec/5"),
        ("civil-society", "evaluation", ""),
        ("civil-society", "recommendation", "/rec/3"),
        ("civil-society", "recommendation", "/rec/4"),
        ("civil-society", "recommendation", "/rec/5"),
        ("civil-society", "action", "/rec/1/action/1"),
        ("civil-society", "action", "/rec/1/action/3"),
        ("women-human-rights-defenders", "recommendation", "/rec/5"),
        ("women-human-rights-defenders", "action", "/rec/5/action/2"),
        ("women-human-rights-defenders", "action", "/rec/5/action/3"),
        ("women-in-peace-processes-monitor", "evaluation", ""),
        ("women-in-peace-processes-monitor", "recommendation", "/rec/3"),
        ("women-in-peace-processes-monitor", "recommendation", "/rec/4"),
        ("women-in-peace-processes-monitor", "action", "/rec/3/action/3"),
        ("women-count", "action", "/rec/3/action/3"),
    }
    assert found == expected
    assert len(rows(seed_store, "partner-mentions")) == len(expected)


def test_recommendations_not_started_is_empty_on_the_seed(seed_store: OxigraphStore) -> None:
    assert rows(seed_store, "recommendations-not-started") == []


def test_recommendations_not_started_finds_a_recommendation_with_no_started_action(
    tmp_path: Path,
) -> None:
    # Recommendation 2 has actions 2029/12 Not Initiated and 2027/12 Initiated: stop the second.
    text = SEED.read_text(encoding="utf-8")
    marker = "can be adapted and leveraged. PPID/ Peace, Security and Resilience Unit 2027/12 "
    assert text.count(marker + "Initiated") == 1
    variant = tmp_path / "gate-90001.txt"
    variant.write_text(text.replace(marker + "Initiated", marker + "Not Initiated"), "utf-8")
    with open_store(None) as store:
        assert not load_files([variant], store).rejected
        assert rows(store, "recommendations-not-started") == [
            (
                "https://w3id.org/wpsgraph/eval/unwomen/gate-90001",
                "https://w3id.org/wpsgraph/eval/unwomen/gate-90001/rec/2",
                "2",
                "2",
            )
        ]


def test_search_is_case_insensitive_and_returns_each_kind(seed_store: OxigraphStore) -> None:
    found = rows(seed_store, "search", text="WOMEN COUNT PLATFORM")
    assert [(r[0], r[1]) for r in found] == [("action", action(3, 3))]
    kinds = {r[0] for r in rows(seed_store, "search", text="SECURITY COUNCIL")}
    assert kinds == {"action", "response"}


@pytest.mark.parametrize("text", ['x"y', "x\\y", "x>y", "x'y", '"} } DROP ALL #', "\\u0022"])
def test_search_binds_hostile_text_safely(seed_store: OxigraphStore, text: str) -> None:
    assert rows(seed_store, "search", text=text) == []


def test_search_finds_text_with_a_quote_character(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "updates to the Monitor webpage.", 'updates to the "Monitor" webpage > \\ page.'
    )
    variant = tmp_path / "gate-90002.txt"
    variant.write_text(text, "utf-8")
    with open_store(None) as store:
        assert not load_files([variant], store).rejected
        for needle in ['"Monitor"', "> \\", "webpage >"]:
            assert len(rows(store, "search", text=needle)) == 1, needle


def test_search_requires_its_parameter(seed_store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="'text' is required"):
        rows(seed_store, "search")


def test_unknown_and_malformed_parameters_are_refused(seed_store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match="unknown parameter"):
        rows(seed_store, "actions-by-status", year="2029")
    with pytest.raises(QueryError, match="expects a date YYYY-MM-DD"):
        rows(seed_store, "overdue-actions", as_of="2027-01-15'} #")


@pytest.mark.parametrize("name", sorted(n for n in QUERIES if "violation" in n))
def test_violation_queries_return_no_rows_on_valid_data(
    seed_store: OxigraphStore, name: str
) -> None:
    assert rows(seed_store, name) == []


def test_key_action_violation_finds_an_action_without_status(
    seed_store: OxigraphStore,
) -> None:
    with open_store(None) as store:
        broken = {
            URIRef(f"{EV}/graph"): seed_store.graph(URIRef(f"{EV}/graph")),
        }
        graph = broken[URIRef(f"{EV}/graph")]
        graph.remove((URIRef(action(4, 1)), None, None))
        graph.add(
            (
                URIRef(action(4, 1)),
                URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                URIRef("https://w3id.org/wpsgraph/ontology#KeyAction"),
            )
        )
        store.replace_graphs(broken)
        assert rows(store, "key-action-violation") == [
            (action(4, 1), "deadline"),
            (action(4, 1), "recommendation"),
            (action(4, 1), "responsible party"),
            (action(4, 1), "status"),
        ]


def test_every_query_header_has_title_and_question() -> None:
    for query in QUERIES.values():
        assert query.title and query.question.endswith("?"), query.name


def test_a_query_without_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bare.rq"
    path.write_text("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match=r"bare\.rq:1"):
        load_query(path)


@pytest.mark.parametrize(
    ("sparql", "message"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates"),
        ("DELETE WHERE { ?s ?p ?o }", "updates"),
        ("LOAD <http://example.org/data.ttl>", "updates"),
        ("DROP ALL", "updates"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://example.org/remote> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <http://example.org/remote> WHERE { ?s ?p ?o }", "FROM"),
        ("SELEKT * WHERE { ?s ?p ?o }", "syntax error"),
    ],
)
def test_read_only_check_refuses(sparql: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        check_read_only(sparql, [])


@pytest.mark.parametrize(
    ("sparql", "form"),
    [
        ("PREFIX ex: <https://example.org/> SELECT * WHERE { ?s ex:p ?o }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <https://example.org/a>", "DESCRIBE"),
    ],
)
def test_read_only_check_names_the_query_form(sparql: str, form: str) -> None:
    assert check_read_only(sparql, []) == form


def test_read_only_check_allows_from_a_held_graph(seed_store: OxigraphStore) -> None:
    graph = f"{EV}/graph"
    check_read_only(f"SELECT * FROM <{graph}> WHERE {{ ?s ?p ?o }}", seed_store.named_graphs())
    result = seed_store.query(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s a ?t }}")
    assert isinstance(result, SelectResult) and int(result.rows[0]["n"]) > 0


def test_response_categories_counts_recommendations_with_no_stated_category(
    tmp_path: Path,
) -> None:
    # The Spanish page states no category for either recommendation (one is only inferred).
    page = tmp_path / "gate-90003.txt"
    page.write_bytes((Path(__file__).parent / "fixtures/gate/es-country-office.txt").read_bytes())
    with open_store(None) as store:
        assert not load_files([page], store).rejected
        assert rows(store, "response-categories") == [
            ("https://w3id.org/wpsgraph/eval/unwomen/gate-90003", "90003", "(none stated)", "2")
        ]
