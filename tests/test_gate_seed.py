"""The seed (GATE evaluationId 11818) parsed into the exact model a careful reader sees in it."""

from __future__ import annotations

from collections import Counter

import pytest

from wpsgraph.gate import parse_management_response, read_source
from wpsgraph.model import KeyAction, ParseResult, Role, YearMonth
from wpsgraph.paths import DATA_DIR
from wpsgraph.register import Register

LEAD, SUPPORTING = Role.LEAD, Role.SUPPORTING
PSRU = "PPID/Peace, Security and Resilience Unit"
PSRU_SPACED = "PPID/ Peace, Security and Resilience Unit"
CO_CONFLICT = "Country Offices in conflict settings"


@pytest.fixture(scope="module")
def parsed() -> ParseResult:
    text = read_source(DATA_DIR / "gate-11818.txt")
    return parse_management_response(text, source="gate-11818.txt", register=Register.load())


@pytest.fixture(scope="module")
def actions(parsed: ParseResult) -> dict[str, KeyAction]:
    """Every key action by "rec.action", e.g. "2.1"."""
    return {
        f"{rec.number}.{action.number}": action
        for rec in parsed.response.recommendations
        for action in rec.actions
    }


def test_the_seed_parses_without_warnings(parsed: ParseResult) -> None:
    assert parsed.warnings == []


def test_header(parsed: ParseResult) -> None:
    mr = parsed.response
    assert mr.line == 1
    assert mr.responding_unit == "Policy, Programme and Intergovernmental Division"
    assert mr.responding_unit_slug == "ppid"
    assert mr.office_type == "HQ"
    assert (mr.period_start, mr.period_end) == (2024, 2025)
    assert mr.title == (
        "Corporate Evaluation of UN Women's support to women's participation in peace processes"
    )
    assert mr.approval_status == "Approved"


def test_overall_response(parsed: ParseResult) -> None:
    overall = parsed.response.overall_response
    assert overall.startswith("UN-Women expresses its appreciation for the Corporate Evaluation")
    assert overall.endswith("further noting the current challenging funding environment.")
    assert "\n" not in overall  # one paragraph on line 13
    assert parsed.response.overall_mentions == [
        "civil-society",
        "un-security-council",
        "security-council-ieg-wps",
        "dppa",
        "women-in-peace-processes-monitor",
    ]


def test_recommendation_numbers_labels_and_lines(parsed: ParseResult) -> None:
    recs = parsed.response.recommendations
    assert [(r.number, r.label, r.line) for r in recs] == [
        (1, "Recommendation 1", 16),
        (2, "Recommendation 2", 30),
        (3, "Recommendation 3", 42),
        (4, "Recommendation 4", 55),
        (5, "Recommendation 5", 66),
    ]


def test_recommendation_texts(parsed: ParseResult) -> None:
    expected = [
        (
            "UN-Women should maintain and strengthen its support for women’s capacity",
            "in close coordination with other relevant UN entities.",
        ),
        (
            "UN-Women should ensure it has strong political and diplomatic capacities",
            "engage in effective partnerships.",
        ),
        (
            "UN-Women should continue to build on its WPS leadership role",
            "strong evidence base on women’s participation in peace processes.",
        ),
        (
            "UN-Women should continue to operationalize the leave no one behind principle",
            "increase the diversity of the women’s voices it supports.",
        ),
        (
            "UN-Women in close coordination with other UN entities should also document",
            "the UN Gender Equality Acceleration Plan.",
        ),
    ]
    recs = parsed.response.recommendations
    assert [
        (r.text[: len(start)], r.text[-len(end) :])
        for r, (start, end) in zip(recs, expected, strict=True)
    ] == expected
    assert all(not r.text.startswith("Recommendation") for r in recs)


def test_management_responses(parsed: ParseResult) -> None:
    recs = parsed.response.recommendations
    assert [r.response_text[:40] for r in recs] == [
        "UN-Women accepts this recommendation. Un",
        "UN-Women accepts this recommendation. UN",
        "UN-Women accepts this recommendation. UN",
        "UN-Women’s commitment to the principle o",
        "UN-Women accepts this recommendation. UN",
    ]
    assert recs[0].response_text.endswith("to support advocacy efforts and inform peace actors.")
    assert recs[4].response_text.endswith("take action to address it at different levels.")
    assert [r.description for r in recs] == [""] * 5
    assert [r.category for r in recs] == ["Accepted"] * 5


def test_recommendation_fields(parsed: ParseResult) -> None:
    recs = parsed.response.recommendations
    assert [r.thematic_areas for r in recs] == [["Not applicable"]] * 5
    assert [r.uneg_criteria for r in recs] == [["Not applicable"]] * 5
    assert [r.operating_principles for r in recs] == [
        ["Capacity development", "Advocacy"],
        ["Internal coordination and communication"],
        ["Internal coordination and communication"],
        ["Alignment with strategy"],
        ["Internal coordination and communication"],
    ]
    assert [r.organizational_priorities for r in recs] == [
        ["UN Coordination"],
        ["Operational activities", "UN Coordination"],
        ["Normative Support"],
        ["UN Coordination"],
        ["UN Coordination"],
    ]


def test_recommendation_mentions(parsed: ParseResult) -> None:
    recs = parsed.response.recommendations
    assert [r.mentions for r in recs] == [[], [], [], [], []]
    assert [r.response_mentions for r in recs] == [
        ["un-security-council", "security-council-ieg-wps", "dppa", "dpo"],
        [],
        [
            "un-security-council",
            "security-council-ieg-wps",
            "civil-society",
            "women-in-peace-processes-monitor",
        ],
        ["wphf", "wphf-rrw", "women-in-peace-processes-monitor", "civil-society"],
        ["civil-society", "women-human-rights-defenders", "un-security-council", "ohchr", "wphf"],
    ]


def test_action_counts_labels_and_lines(parsed: ParseResult) -> None:
    recs = parsed.response.recommendations
    assert [len(r.actions) for r in recs] == [4, 2, 3, 1, 3]
    assert [[(a.number, a.label, a.line) for a in r.actions] for r in recs] == [
        [(1, "1)", 26), (2, "2)", 27), (3, "3)", 28), (4, "4)", 29)],
        [(1, "1)", 40), (2, "2)", 41)],
        [(1, "1)", 52), (2, "2)", 53), (3, "3)", 54)],
        [(1, "1)", 65)],
        [(1, "1)", 76), (2, "2)", 77), (3, "3)", 78)],
    ]


def test_deadlines_and_statuses(actions: dict[str, KeyAction]) -> None:
    assert {key: (str(a.deadline), a.status) for key, a in actions.items()} == {
        "1.1": ("2029-12", "Initiated"),
        "1.2": ("2029-12", "Initiated"),
        "1.3": ("2029-12", "Initiated"),
        "1.4": ("2029-12", "Initiated"),
        "2.1": ("2029-12", "Not Initiated"),
        "2.2": ("2027-12", "Initiated"),
        "3.1": ("2029-12", "Initiated"),
        "3.2": ("2027-12", "Initiated"),
        "3.3": ("2026-12", "Initiated"),
        "4.1": ("2029-12", "Initiated"),
        "5.1": ("2029-12", "Initiated"),
        "5.2": ("2029-12", "Not Initiated"),
        "5.3": ("2029-12", "Initiated"),
    }
    assert Counter(a.deadline for a in actions.values()) == {
        YearMonth(2029, 12): 10,
        YearMonth(2027, 12): 2,
        YearMonth(2026, 12): 1,
    }
    assert Counter(a.status for a in actions.values()) == {"Initiated": 11, "Not Initiated": 2}
    assert all(a.comments == "" for a in actions.values())


def test_parties(actions: dict[str, KeyAction]) -> None:
    parties = {key: [(p.printed, p.slugs, p.role) for p in a.parties] for key, a in actions.items()}
    assert parties == {
        "1.1": [
            (PSRU, ("ppid-psru",), LEAD),
            ("Regional Offices", ("regional-offices",), SUPPORTING),
            (CO_CONFLICT, ("country-offices-conflict-settings",), SUPPORTING),
        ],
        "1.2": [
            (PSRU, ("ppid-psru",), LEAD),
            (CO_CONFLICT, ("country-offices-conflict-settings",), LEAD),
        ],
        "1.3": [(CO_CONFLICT, ("country-offices-conflict-settings",), LEAD)],
        "1.4": [
            (PSRU, ("ppid-psru",), LEAD),
            ("Regional Offices", ("regional-offices",), LEAD),
            (CO_CONFLICT, ("country-offices-conflict-settings",), LEAD),
        ],
        "2.1": [(PSRU_SPACED, ("ppid-psru",), LEAD)],
        "2.2": [(PSRU_SPACED, ("ppid-psru",), LEAD)],
        "3.1": [(PSRU_SPACED, ("ppid-psru",), LEAD)],
        "3.2": [
            (PSRU_SPACED, ("ppid-psru",), LEAD),
            ("Regional Offices", ("regional-offices",), LEAD),
        ],
        "3.3": [(PSRU_SPACED, ("ppid-psru",), LEAD)],
        "4.1": [
            ("Regional and Country Offices", ("regional-offices", "country-offices"), LEAD),
            ("WPHF Secretariat", ("wphf-secretariat",), LEAD),
        ],
        "5.1": [
            (PSRU, ("ppid-psru",), LEAD),
            ("Civil Society Division", ("civil-society-division",), LEAD),
            ("Regional Offices", ("regional-offices",), LEAD),
        ],
        "5.2": [
            (PSRU, ("ppid-psru",), LEAD),
            ("Coordination Section", ("coordination-section",), LEAD),
            ("Civil Society Section", ("civil-society-section",), LEAD),
            ("GEAP Secretariat", ("geap-secretariat",), SUPPORTING),
        ],
        "5.3": [
            (PSRU, ("ppid-psru",), LEAD),
            ("Civil Society Division", ("civil-society-division",), LEAD),
        ],
    }


def test_responsible_text_is_the_printed_column_without_its_full_stop(
    actions: dict[str, KeyAction],
) -> None:
    assert actions["1.1"].responsible_text == (
        f"{PSRU} with Regional Offices and Country Offices in conflict settings"
    )
    assert actions["3.2"].responsible_text == f"{PSRU_SPACED}, Regional Offices"
    assert actions["4.1"].responsible_text == "Regional and Country Offices, WPHF Secretariat"
    assert actions["5.2"].responsible_text == (
        f"{PSRU}, Coordination Section, Civil Society Section in coordination with the GEAP "
        "Secretariat"
    )


def test_action_texts(actions: dict[str, KeyAction]) -> None:
    starts_and_ends = {
        "1.1": ("Provide support to women’s civil society", "to influence outcomes."),
        "1.2": ("Strengthen collaboration with DPPA", "fostering trust among parties."),
        "1.3": ("Establish and strengthen relationships", "partners to political processes."),
        "1.4": ("Leverage the UN’s advocacy", "for women’s participation and rights."),
        "2.1": (
            "Support UN Women country-level leadership",
            "(subject to availability of resources)",
        ),
        "2.2": ("Ensure UN Women offices have access", "can be adapted and leveraged."),
        "3.1": ("Maintain regular and systematic", "updates to the Monitor webpage."),
        "3.2": ("Provide thought leadership", "through the WPS Community of Practice."),
        "3.3": ("Strengthen the production, analysis", "the Women in Peace Processes Monitor."),
        "4.1": ("Continue to leverage territorial presence", "across regions and countries."),
        "5.1": ("Provide technical assistance", "rights in peace negotiation contexts."),
        "5.2": ("Map and explore partnerships", "subject to availability of funds."),
        "5.3": ("Disseminate research findings", "depending on available resources."),
    }
    assert {
        key: (a.text[: len(start)], a.text[-len(end) :])
        for (key, a), (start, end) in zip(actions.items(), starts_and_ends.values(), strict=True)
    } == starts_and_ends
    # Action 2.2 keeps the stray space GATE printed before its first full stop.
    assert "conflict analysis . This will include" in actions["2.2"].text


def test_resource_conditions(actions: dict[str, KeyAction]) -> None:
    conditions = {key: a.resource_conditions for key, a in actions.items() if a.resource_conditions}
    assert conditions == {
        "2.1": ["subject to availability of resources"],
        "5.2": ["subject to availability of funds"],
        "5.3": ["depending on available resources"],
    }


def test_action_mentions(actions: dict[str, KeyAction]) -> None:
    mentions = {key: a.mentions for key, a in actions.items() if a.mentions}
    assert mentions == {
        "1.1": ["civil-society"],
        "1.2": ["dppa", "dpo"],
        "1.3": ["civil-society"],
        "3.1": ["dppa", "un-security-council", "security-council-ieg-wps"],
        "3.3": ["women-count", "women-in-peace-processes-monitor"],
        "4.1": ["wphf"],
        "5.2": ["women-human-rights-defenders"],
        "5.3": ["women-human-rights-defenders"],
    }
