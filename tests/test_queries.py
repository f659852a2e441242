"""Golden answers for every canned query on the seed, paging, and safe parameter binding.

GOLDEN holds each canned query's expected columns and rows (lexical values, in order) on the
seed; test_canned_query_answers_on_the_seed checks them on the store the query_store fixture
gives (conftest.py), so the same expectations hold on every backend."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from rdflib import URIRef
from SPARQLWrapper import SPARQLWrapper

from tests.conftest import SEED, SEED_EVALUATION, SEED_OBSERVED
from wpsgraph.errors import QueryError
from wpsgraph.loader import load_files
from wpsgraph.queries import (
    PAGING,
    canned_results,
    check_read_only,
    discover,
    load_query,
    page,
    run_canned,
)
from wpsgraph.store import OxigraphStore, SelectResult, Store, open_store

QUERIES = discover()
TODAY = date(2026, 11, 27)  # "today" for parameters that default to it

EV = SEED_EVALUATION
EV_ID = "11818"
TITLE = "Corporate Evaluation of UN Women's support to women's participation in peace processes"
ORG = "https://w3id.org/wpsgraph/org/"
UNIT = ORG + "unwomen/unit/"
PRODUCT = "https://w3id.org/wpsgraph/product/"
CONFLICT_OFFICES = UNIT + "country-offices-conflict-settings"
GEAP = ORG + "geap-secretariat"
WPS_NS = "https://w3id.org/wpsgraph/ontology#"
ACTION_3_3 = (
    "Strengthen the production, analysis and dissemination of data on women in peace processes, "
    "through the Women Count platform and the development of the Women in Peace Processes Monitor."
)

Row = tuple[str, ...]


def rec(n: int) -> str:
    return f"{EV}/rec/{n}"


def action(r: int, n: int) -> str:
    return f"{EV}/rec/{r}/action/{n}"


def answer(
    store: Store, name: str, params: Mapping[str, str] | None = None
) -> tuple[list[str], list[Row]]:
    """A canned query's columns and rows as lexical values ("" when unbound), through the
    store's SPARQL results: the same on every backend."""
    data = canned_results(store, QUERIES[name], params or {}, "json", today=TODAY)
    document = json.loads(data)
    columns = document["head"]["vars"]
    return columns, [
        tuple(b[c]["value"] if c in b else "" for c in columns)
        for b in document["results"]["bindings"]
    ]


def rows(store: Store, name: str, **params: str) -> list[Row]:
    return answer(store, name, params)[1]


AT_ACTION_COLUMNS = (
    "evaluation",
    "evaluation_id",
    "evaluation_title",
    "recommendation",
    "recommendation_label",
    "action",
    "action_label",
)


# Where the history queries' rows are: the action's numbers are those of the version observed,
# since a later version may have dropped the action.
AT_OBSERVED_ACTION_COLUMNS = (
    "evaluation",
    "evaluation_id",
    "evaluation_title",
    "action",
    "recommendation_number",
    "action_number",
)


def at_action(r: int, n: int) -> Row:
    """AT_ACTION_COLUMNS for action n of recommendation r: where a reader finds it."""
    return (EV, EV_ID, TITLE, rec(r), f"Recommendation {r}", action(r, n), f"{n})")


@dataclass(frozen=True)
class Golden:
    columns: tuple[str, ...]
    rows: list[Row]
    params: dict[str, str] = field(default_factory=dict)


def mention(partner: str, label: str, level: str, r: int = 0, n: int = 0) -> Row:
    """A partner-mentions row: at the evaluation (no r), a recommendation (r) or an action."""
    place = action(r, n) if n else rec(r) if r else EV
    return (
        partner,
        label,
        level,
        place,
        EV,
        EV_ID,
        TITLE,
        f"Recommendation {r}" if r else "",
        f"{n})" if n else "",
    )


def mentions_of(partner: str, label: str, *places: tuple[int, int]) -> list[Row]:
    """Rows for one partner in the query's order: actions, the evaluation, recommendations.
    (0, 0) is the evaluation, (r, 0) a recommendation, (r, n) an action."""
    level = {True: "action", False: "recommendation"}
    return [
        mention(partner, label, level[n > 0] if r else "evaluation", r, n)
        for r, n in sorted(places, key=lambda p: (p[1] == 0, p[0] > 0, p))
    ]


GOLDEN: dict[str, Golden] = {
    "actions-by-status": Golden(
        ("status", "actions"),
        [("Initiated", "11"), ("Not Initiated", "2")],
    ),
    "deadlines-by-year": Golden(
        ("year", "status", "actions"),
        [
            ("2026", "Initiated", "1"),
            ("2027", "Initiated", "2"),
            ("2029", "Initiated", "8"),
            ("2029", "Not Initiated", "2"),
        ],
    ),
    "key-action-violation": Golden(
        ("action", "missing", "evaluation_id", "recommendation_label", "action_label"),
        [],
    ),
    "open-actions-by-unit": Golden(
        ("unit", "unit_label", "lead_actions", "supporting_actions", "open_actions"),
        [
            (UNIT + "ppid-psru", "Peace, Security and Resilience Unit", "11", "0", "11"),
            (UNIT + "regional-offices", "Regional Offices", "4", "1", "5"),
            (CONFLICT_OFFICES, "Country Offices in conflict settings", "3", "1", "4"),
            (UNIT + "civil-society-division", "Civil Society Division", "2", "0", "2"),
            (UNIT + "civil-society-section", "Civil Society Section", "1", "0", "1"),
            (UNIT + "coordination-section", "Coordination Section", "1", "0", "1"),
            (UNIT + "country-offices", "Country Offices", "1", "0", "1"),
            (GEAP, "Gender Equality Acceleration Plan Secretariat", "0", "1", "1"),
            (UNIT + "wphf-secretariat", "WPHF Secretariat", "1", "0", "1"),
        ],
    ),
    "overdue-actions": Golden(
        (*AT_ACTION_COLUMNS, "deadline", "status", "text"),
        [(*at_action(3, 3), "2026-12", "Initiated", ACTION_3_3)],
        {"as_of": "2027-01-15"},
    ),
    "partner-mentions": Golden(
        (
            "partner",
            "partner_label",
            "level",
            "place",
            "evaluation",
            "evaluation_id",
            "evaluation_title",
            "recommendation_label",
            "action_label",
        ),
        [
            *mentions_of(ORG + "dpo", "Department of Peace Operations", (1, 0), (1, 2)),
            *mentions_of(
                ORG + "dppa",
                "Department of Political and Peacebuilding Affairs",
                (0, 0),
                (1, 0),
                (1, 2),
                (3, 1),
            ),
            *mentions_of(
                ORG + "security-council-ieg-wps",
                "Informal Expert Group on Women, Peace and Security",
                (0, 0),
                (1, 0),
                (3, 0),
                (3, 1),
            ),
            *mentions_of(
                ORG + "ohchr",
                "Office of the United Nations High Commissioner for Human Rights",
                (5, 0),
            ),
            *mentions_of(
                ORG + "un-security-council",
                "United Nations Security Council",
                (0, 0),
                (1, 0),
                (3, 0),
                (5, 0),
                (3, 1),
            ),
            *mentions_of(ORG + "wphf-rrw", "WPHF Rapid Response Window", (4, 0)),
            *mentions_of(PRODUCT + "women-count", "Women Count", (3, 3)),
            *mentions_of(
                PRODUCT + "women-in-peace-processes-monitor",
                "Women in Peace Processes Monitor",
                (0, 0),
                (3, 0),
                (4, 0),
                (3, 3),
            ),
            *mentions_of(
                ORG + "wphf", "Women's Peace and Humanitarian Fund", (4, 0), (5, 0), (4, 1)
            ),
            *mentions_of(
                ORG + "civil-society",
                "civil society",
                (0, 0),
                (3, 0),
                (4, 0),
                (5, 0),
                (1, 1),
                (1, 3),
            ),
            *mentions_of(
                ORG + "women-human-rights-defenders",
                "women human rights defenders",
                (5, 0),
                (5, 2),
                (5, 3),
            ),
        ],
    ),
    "recommendations-not-started": Golden(
        (
            "evaluation",
            "evaluation_id",
            "evaluation_title",
            "recommendation",
            "number",
            "recommendation_label",
            "actions",
        ),
        [],
    ),
    "resource-conditional-actions": Golden(
        (*AT_ACTION_COLUMNS, "condition", "deadline", "status"),
        [
            (*at_action(2, 1), "subject to availability of resources", "2029-12", "Not Initiated"),
            (*at_action(5, 2), "subject to availability of funds", "2029-12", "Not Initiated"),
            (*at_action(5, 3), "depending on available resources", "2029-12", "Initiated"),
        ],
    ),
    "response-categories": Golden(
        ("evaluation", "evaluation_id", "evaluation_title", "category", "recommendations"),
        [(EV, EV_ID, TITLE, "Accepted", "5")],
    ),
    # One organisation's evaluations share nothing; the rows with a second organisation's
    # graph linked are test_link.py's.
    "shared-partners": Golden(
        (
            "actor",
            "actor_name",
            "organisation",
            "organisation_name",
            "evaluation",
            "evaluation_id",
            "evaluation_title",
            "named_in",
            "recommendation",
            "action",
            "role",
            "place",
        ),
        [],
    ),
    # Every party of the seed is in the register: the rows of the two curation queries are in
    # test_curation.py, on pages whose parties the register lacks.
    "unresolved-parties": Golden(
        (
            "name",
            "actions_in_all",
            "evaluations",
            "evaluation",
            "evaluation_id",
            "evaluation_title",
            "actions_on_page",
        ),
        [],
    ),
    "unseparated-parties": Golden(
        (
            "evaluation",
            "evaluation_id",
            "evaluation_title",
            "recommendation",
            "recommendation_label",
            "action",
            "action_label",
            "text",
            "deadline",
        ),
        [],
    ),
    "search": Golden(
        (
            "kind",
            "node",
            "evaluation",
            "evaluation_id",
            "evaluation_title",
            "recommendation_label",
            "action_label",
            "content",
        ),
        [("action", action(3, 3), EV, EV_ID, TITLE, "Recommendation 3", "3)", ACTION_3_3)],
        {"text": "WOMEN COUNT PLATFORM"},  # case-insensitive
    ),
    # The seed is one version (observed on the day SEED_OBSERVED): nothing has slipped, been
    # completed or gone stale yet. On several versions: tests/test_history_queries.py.
    "deadline-slippage": Golden(
        (
            *AT_OBSERVED_ACTION_COLUMNS,
            "from_deadline",
            "to_deadline",
            "months",
            "previously_seen",
            "seen",
        ),
        [],
    ),
    "status-history": Golden(
        (
            "evaluation_id",
            "evaluation_title",
            "key_action",
            "recommendation_number",
            "action_number",
            "observed",
            "status",
            "deadline",
            "comments",
            "source_file",
            "date_source",
        ),
        [
            (
                EV_ID,
                TITLE,
                action(3, 3),
                "3",
                "3",
                SEED_OBSERVED.isoformat(),
                "Initiated",
                "2026-12",
                "",
                "gate-11818.txt",
                "stated",
            ),
        ],
        {"evaluation": EV_ID, "action": "3.3"},
    ),
    "time-to-completion": Golden(
        (
            "grouping",
            "category",
            "completed_actions",
            "average_months",
            "shortest_months",
            "longest_months",
        ),
        [],
    ),
    "stale-actions": Golden(
        (
            *AT_OBSERVED_ACTION_COLUMNS,
            "status",
            "deadline",
            "status_since",
            "last_observed",
            "months_unchanged",
        ),
        [],
        {"months": "0"},
    ),
}


def test_every_canned_query_has_a_golden_test() -> None:
    assert set(QUERIES) == set(GOLDEN)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_canned_query_answers_on_the_seed(query_store: Store, name: str) -> None:
    golden = GOLDEN[name]
    assert answer(query_store, name, golden.params) == (list(golden.columns), golden.rows)


@pytest.mark.parametrize("name", sorted(GOLDEN))
@pytest.mark.parametrize(
    "paging",
    [{"limit": "2"}, {"limit": "2", "offset": "1"}, {"offset": "3"}, {"limit": "0"}],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
def test_canned_query_pages(query_store: Store, name: str, paging: dict[str, str]) -> None:
    params = GOLDEN[name].params
    columns, every_row = answer(query_store, name, params)
    offset = int(paging.get("offset", "0"))
    limit = int(paging.get("limit", str(len(every_row))))
    assert answer(query_store, name, {**params, **paging}) == (
        columns,
        every_row[offset : offset + limit],
    )


@pytest.mark.parametrize(
    ("paging", "expected"),
    [
        ({}, "ORDER BY ?year ?status\n"),
        ({"limit": "10"}, "ORDER BY ?year ?status\nLIMIT 10\n"),
        ({"limit": 10, "offset": 20}, "ORDER BY ?year ?status\nLIMIT 10 OFFSET 20\n"),
        ({"offset": "007"}, "ORDER BY ?year ?status\nOFFSET 7\n"),
    ],
)
def test_paging_appends_limit_and_offset_to_the_text(
    paging: dict[str, str | int], expected: str
) -> None:
    assert page(QUERIES["deadlines-by-year"], paging).endswith(expected)


@pytest.mark.parametrize("value", ["-1", "1.5", "ten", "1 ; DROP ALL", "", "1" * 19, "+1"])
@pytest.mark.parametrize("name", [p.name for p in PAGING])
def test_paging_refuses_what_is_not_a_non_negative_integer(
    seed_store: OxigraphStore, name: str, value: str
) -> None:
    with pytest.raises(QueryError, match=f"'{name}' expects a non-negative integer"):
        rows(seed_store, "actions-by-status", **{name: value})


def test_paging_from_python_takes_integers(seed_store: OxigraphStore) -> None:
    result = run_canned(seed_store, QUERIES["deadlines-by-year"], {"limit": 1, "offset": 1})
    assert [(str(r["year"]), str(r["actions"])) for r in result.rows] == [("2027", "2")]


def test_paging_names_are_reserved_in_query_headers(tmp_path: Path) -> None:
    path = tmp_path / "paged.rq"
    path.write_text("# title: t\n# question: q?\n# param: limit xsd:integer - rows\nSELECT * {}")
    with pytest.raises(QueryError, match="'# param: limit' is reserved"):
        load_query(path)


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
def test_overdue_actions_boundaries(query_store: Store, as_of: str, expected: int) -> None:
    assert len(rows(query_store, "overdue-actions", as_of=as_of)) == expected


def test_overdue_actions_default_is_today(seed_store: OxigraphStore) -> None:
    # The test's "today" (2026-11-27) is before every deadline month has ended.
    assert rows(seed_store, "overdue-actions") == []


@pytest.mark.parametrize(
    ("status", "overdue"),
    [("Completed", 0), ("No Longer Applicable", 0), ("Ongoing", 1), ("Not Initiated", 1)],
)
def test_overdue_actions_leaves_out_completed_and_no_longer_applicable(
    tmp_path: Path, status: str, overdue: int
) -> None:
    # Action 3.3, due 2026/12, is the seed's only action overdue on 2027-01-15.
    text = SEED.read_text(encoding="utf-8")
    due = "Monitor. PPID/ Peace, Security and Resilience Unit 2026/12 "
    assert text.count(due + "Initiated") == 1
    variant = tmp_path / "gate-90004.txt"
    variant.write_text(text.replace(due + "Initiated", due + status), "utf-8")
    with open_store(None) as store:
        assert not load_files([variant], store).rejected
        assert len(rows(store, "overdue-actions", as_of="2027-01-15")) == overdue


def test_recommendations_not_started_is_empty_on_the_seed(query_store: Store) -> None:
    assert rows(query_store, "recommendations-not-started") == []


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
        evaluation = "https://w3id.org/wpsgraph/eval/unwomen/gate-90001"
        assert rows(store, "recommendations-not-started") == [
            (evaluation, "90001", TITLE, f"{evaluation}/rec/2", "2", "Recommendation 2", "2")
        ]


def test_search_returns_each_kind_with_its_recommendation(query_store: Store) -> None:
    found = rows(query_store, "search", text="SECURITY COUNCIL")
    assert [(r[0], r[1], r[5], r[6]) for r in found] == [
        ("response", f"{rec(1)}/response", "Recommendation 1", ""),
        ("response", f"{rec(3)}/response", "Recommendation 3", ""),
        ("action", action(3, 1), "Recommendation 3", "1)"),
        ("response", f"{rec(5)}/response", "Recommendation 5", ""),
    ]
    recommendations = rows(query_store, "search", text="Leave No One Behind principle")
    assert [(r[0], r[1], r[5], r[6]) for r in recommendations] == [
        ("recommendation", rec(4), "Recommendation 4", "")
    ]


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
def test_violation_queries_return_no_rows_on_valid_data(query_store: Store, name: str) -> None:
    assert rows(query_store, name) == []


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
        # Nothing says where the action belongs any more: the labels are empty too.
        assert rows(store, "key-action-violation") == [
            (action(4, 1), "deadline", "", "", ""),
            (action(4, 1), "recommendation", "", "", ""),
            (action(4, 1), "responsible party", "", "", ""),
            (action(4, 1), "status", "", "", ""),
        ]


def test_key_action_violation_names_the_action_it_reports(seed_store: OxigraphStore) -> None:
    with open_store(None) as store:
        graph = seed_store.graph(URIRef(f"{EV}/graph"))
        graph.remove((URIRef(action(4, 1)), URIRef(f"{WPS_NS}status"), None))
        store.replace_graphs({URIRef(f"{EV}/graph"): graph})
        assert rows(store, "key-action-violation") == [
            (action(4, 1), "status", EV_ID, "Recommendation 4", "1)")
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
        # The page prints no title either: the title column is empty.
        assert rows(store, "response-categories") == [
            ("https://w3id.org/wpsgraph/eval/unwomen/gate-90003", "90003", "", "(none stated)", "2")
        ]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_sparqlwrapper_sends_every_canned_query_as_a_query(name: str) -> None:
    """SPARQLWrapper, the client notebooks use, guesses the form from the text, header comments
    included (it strips only every other comment line): a word such as 'load' or 'moved' in a
    header would make it send the query to the update endpoint. Regression: four did."""
    client = SPARQLWrapper("http://127.0.0.1:9/sparql")
    client.setQuery(QUERIES[name].sparql)
    assert client.queryType == "SELECT"
    assert not client.isSparqlUpdateRequest()
