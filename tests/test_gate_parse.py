"""The GATE parser on small hand-written pages: layout variations, action lines, and errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpsgraph.errors import SourceError
from wpsgraph.gate import parse_management_response, read_source
from wpsgraph.model import (
    KeyAction,
    ParseResult,
    ParseWarning,
    PartyRef,
    Role,
    Separation,
    YearMonth,
)
from wpsgraph.register import Register

FIXTURES = Path(__file__).parent / "fixtures" / "gate"


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


def parse_fixture(name: str, register: Register) -> ParseResult:
    return parse_management_response(read_source(FIXTURES / name), source=name, register=register)


def parse_text(text: str, register: Register) -> ParseResult:
    return parse_management_response(text, source="page.txt", register=register)


# --- unnumbered recommendations, "1." actions, no approval line, chrome, multi-line values ------


@pytest.fixture(scope="module")
def unnumbered(register: Register) -> ParseResult:
    return parse_fixture("unnumbered-recommendations.txt", register)


def test_page_chrome_before_the_heading_is_skipped(unnumbered: ParseResult) -> None:
    mr = unnumbered.response
    assert mr.line == 4
    assert mr.responding_unit == "Peace, Security and Resilience Unit"
    assert mr.responding_unit_slug == "ppid-psru"
    assert (mr.period_start, mr.period_end, mr.office_type) == (2023, 2026, "HQ")


def test_title_may_hold_colons_and_quotes(unnumbered: ParseResult) -> None:
    assert unnumbered.response.title == (
        'Thematic review of "women\'s leadership in local mediation": lessons from three regions'
    )


def test_overall_response_over_two_lines(unnumbered: ParseResult) -> None:
    assert unnumbered.response.overall_response == (
        "The unit welcomes the review and will act on both recommendations together with DPPA.\n"
        "Work will start in the second half of the year."
    )
    assert unnumbered.response.overall_mentions == ["dppa"]


def test_absent_approval_line_is_empty(unnumbered: ParseResult) -> None:
    assert unnumbered.response.approval_status == ""


def test_unnumbered_recommendations_are_numbered_by_order(unnumbered: ParseResult) -> None:
    recs = unnumbered.response.recommendations
    assert [(r.number, r.label, r.line) for r in recs] == [(1, "", 12), (2, "", 26)]
    assert recs[0].text == (
        "Strengthen the mediation rosters with women mediators from local networks."
    )
    assert recs[1].mentions == ["women-count"]
    assert unnumbered.warnings == []


def test_a_line_that_is_not_a_label_continues_the_field(unnumbered: ParseResult) -> None:
    first, second = unnumbered.response.recommendations
    assert first.response_text == (
        "Agreed. The unit will expand its roster,\n"
        "building on the networks already supported by the Women's Peace and Humanitarian Fund."
    )
    assert first.response_mentions == ["wphf"]
    assert first.operating_principles == [
        "Capacity development",
        "Promoting inclusiveness/Leaving no one behind",
        "Advocacy",
    ]
    assert first.uneg_criteria == ["Relevance", "Effectiveness"]
    assert first.description == ""
    assert second.category == "Partially Accepted"
    assert second.thematic_areas == ["Not applicable"]


def test_dot_numbered_actions(unnumbered: ParseResult) -> None:
    first, second = unnumbered.response.recommendations
    assert [(a.number, a.label, a.text, a.status) for a in first.actions] == [
        (1, "1.", "Update the roster of women mediators with civil society partners.", "Completed"),
        (2, "2.", "Hold two regional exchanges for roster members.", "Ongoing"),
    ]
    assert first.actions[0].parties == [
        PartyRef("Peace, Security and Resilience Unit", ("ppid-psru",), Role.LEAD)
    ]
    assert first.actions[0].mentions == ["civil-society"]
    assert second.actions[0].parties == [PartyRef("PPID", ("ppid",), Role.LEAD)]
    assert second.actions[0].deadline == YearMonth(2025, 12)


# --- action line variants -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def variants(register: Register) -> ParseResult:
    return parse_fixture("action-variants.txt", register)


def test_variant_header(variants: ParseResult) -> None:
    mr = variants.response
    assert mr.responding_unit == "Country Office Testland"
    assert mr.responding_unit_slug is None
    assert mr.office_type == "CO"  # the last parenthesised group, not "(Testland)"
    assert mr.title == "Mid-term review of the Testland women, peace and security programme"
    assert mr.overall_response == "The office accepts the findings of the review."
    assert mr.approval_status == "Draft"


def test_dot_numbered_recommendations(variants: ParseResult) -> None:
    recs = variants.response.recommendations
    assert [(r.number, r.label) for r in recs] == [(1, "1."), (2, "2.")]
    assert recs[0].text == "Clarify the programme's results framework."
    assert recs[0].description == "Covers all outcome areas."
    assert recs[0].thematic_areas == ["Peace and security (SPs before 2018)"]


def test_a_date_in_the_text_is_not_the_deadline(variants: ParseResult) -> None:
    action = variants.response.recommendations[0].actions[0]
    assert action.label == "1.1"
    assert action.text == (
        "Revise the results framework agreed by 2025/06 with the national steering committee."
    )
    assert action.deadline == YearMonth(2026, 12)
    assert action.status == "Completed"
    assert action.parties == [PartyRef("PPID", ("ppid",), Role.LEAD)]


def test_comments_after_the_status(variants: ParseResult) -> None:
    action = variants.response.recommendations[0].actions[0]
    assert action.comments == "Revised framework shared with donors in December."


def test_unknown_party_is_kept_unresolved_with_a_warning(variants: ParseResult) -> None:
    action = variants.response.recommendations[0].actions[1]
    assert action.text == "Train partner staff on the revised indicators."
    assert action.responsible_text == "Gender Statistics Team"
    assert action.parties == [PartyRef("Gender Statistics Team", (), Role.LEAD)]
    assert action.status == "Over due"
    assert (
        ParseWarning(
            26, "responsible party 'Gender Statistics Team' is not in the register; kept as text"
        )
        in variants.warnings
    )


def test_unknown_party_before_a_known_one(variants: ParseResult) -> None:
    action = variants.response.recommendations[0].actions[2]
    assert action.text == "Review the indicators with women human rights defenders."
    assert action.parties == [
        PartyRef("Gender Statistics Team", (), Role.LEAD),
        PartyRef("Regional Offices", ("regional-offices",), Role.LEAD),
    ]
    assert action.mentions == ["women-human-rights-defenders"]


def test_unnumbered_action_among_numbered_ones_is_numbered_by_position(
    variants: ParseResult,
) -> None:
    actions = variants.response.recommendations[0].actions
    assert [(a.number, a.label) for a in actions] == [(1, "1.1"), (2, "1.2"), (3, "1.3"), (4, "")]
    assert ParseWarning(
        25, "key action numbers are missing or repeated (1, 2, 3, -); numbered by position"
    ) in (variants.warnings)


def test_with_makes_the_later_parties_supporting(variants: ParseResult) -> None:
    action = variants.response.recommendations[0].actions[3]
    assert action.parties == [
        PartyRef("Regional Offices", ("regional-offices",), Role.LEAD),
        PartyRef("Civil Society Section", ("civil-society-section",), Role.SUPPORTING),
    ]
    assert action.resource_conditions == ["within available resources"]


def test_key_action_not_added_means_no_actions(variants: ParseResult) -> None:
    rec = variants.response.recommendations[1]
    assert rec.category == "Rejected"
    assert rec.actions == []


def test_warnings_are_in_line_order(variants: ParseResult) -> None:
    lines = [w.line for w in variants.warnings]
    assert lines == sorted(lines)
    assert len(variants.warnings) == 3


# --- single action lines ------------------------------------------------------------------------

PAGE = """Management Response
: Policy, Programme and Intergovernmental Division
: 2024 - 2025 , Policy, Programme and Intergovernmental Division (HQ)
: A title
: Approved
Recommendation: Recommendation 1: Do better.
Management Response: Accepted.
Management Response Category: Accepted
Key Actions
Responsible Deadline Status Comments
{action}
"""


def only_action(action_line: str, register: Register) -> tuple[KeyAction, list[ParseWarning]]:
    result = parse_text(PAGE.format(action=action_line), register)
    (rec,) = result.response.recommendations
    (action,) = rec.actions
    return action, result.warnings


def test_status_words_inside_the_text_do_not_end_it(register: Register) -> None:
    action, _ = only_action(
        "1) Report Completed work from 2024/01 Completed phases. PPID 2025/12 Overdue-Initiated",
        register,
    )
    assert action.text == "Report Completed work from 2024/01 Completed phases."
    assert (action.deadline, action.status) == (YearMonth(2025, 12), "Overdue-Initiated")


def test_label_without_a_space(register: Register) -> None:
    action, _ = only_action("1)Hold a workshop. Civil Society Division 2025/01 Ongoing", register)
    assert (action.label, action.text) == ("1)", "Hold a workshop.")


def test_status_is_matched_case_insensitively_and_kept_as_printed(register: Register) -> None:
    action, _ = only_action("1) Act. PPID 2025/01 not initiated", register)
    assert action.status == "not initiated"


def test_parties_without_a_sentence_boundary_are_split_at_known_names(
    register: Register,
) -> None:
    action, warnings = only_action("1) Hold a workshop DPPA and PPID 2025/01 Ongoing", register)
    assert action.text == "Hold a workshop"
    assert [p.slugs for p in action.parties] == [("dppa",), ("ppid",)]
    assert [w.line for w in warnings] == [11]


def test_leading_article_and_curly_apostrophe_in_party_names(register: Register) -> None:
    action, warnings = only_action(
        "1) Fund ten groups. The Women’s Peace and Humanitarian Fund Secretariat 2026/06 Initiated",
        register,
    )
    assert action.text == "Fund ten groups."
    assert action.parties == [
        PartyRef(
            "Women’s Peace and Humanitarian Fund Secretariat", ("wphf-secretariat",), Role.LEAD
        )
    ]
    assert warnings == []


def test_no_parties_at_all_is_a_warning(register: Register) -> None:
    action, warnings = only_action("1) Hold a workshop 2025/01 Ongoing", register)
    assert (action.text, action.parties, action.responsible_text) == ("Hold a workshop", [], "")
    assert len(warnings) == 1


def test_crlf_and_bom_are_accepted(register: Register, tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    page = PAGE.format(action="1) Act. PPID 2025/01 Completed")
    path.write_bytes(b"\xef\xbb\xbf" + page.replace("\n", "\r\n").encode("utf-8"))
    text = read_source(path)
    assert text.startswith("Management Response\n")
    assert "\r" not in text
    assert parse_text(text, register).response.recommendations[0].actions[0].text == "Act."


def test_cp1252_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Management Response\n: UN Women’s office\n".encode("cp1252"))
    assert "UN Women’s office" in read_source(path)


def test_the_parser_does_not_import_rdflib() -> None:
    code = "import sys, wpsgraph.gate; assert 'rdflib' not in sys.modules, 'rdflib imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- errors -------------------------------------------------------------------------------------


def source_error(name: str, register: Register) -> SourceError:
    with pytest.raises(SourceError) as caught:
        parse_fixture(name, register)
    assert name in str(caught.value)
    return caught.value


def test_empty_file(register: Register) -> None:
    err = source_error("empty.txt", register)
    assert (err.line, err.message) == (1, "empty file: expected a GATE management response page")


def test_whitespace_only_file(register: Register) -> None:
    err = source_error("whitespace-only.txt", register)
    assert err.line == 1
    assert err.message.startswith("empty file")


def test_empty_text_given_directly(register: Register) -> None:
    with pytest.raises(SourceError, match=r"^page\.txt:1: empty file"):
        parse_text(" \n", register)


def test_not_a_management_response(register: Register) -> None:
    err = source_error("not-a-response.txt", register)
    assert err.line == 8  # the line under the bare heading, where ': ' lines were expected
    assert err.message == (
        "not a GATE management response: expected a 'Management Response' heading "
        "followed by ': ' header lines"
    )
    assert str(err).startswith("not-a-response.txt:8: not a GATE management response")


def test_no_recommendations(register: Register) -> None:
    err = source_error("no-recommendations.txt", register)
    assert err.line == 6
    assert err.message == (
        "no recommendations found: expected lines starting with 'Recommendation:'"
    )


def test_action_without_deadline_at_the_end_is_dropped_as_truncated(register: Register) -> None:
    result = parse_fixture("action-without-deadline.txt", register)
    (rec,) = result.response.recommendations
    assert [a.text for a in rec.actions] == ["Publish a one-page template."]
    assert rec.truncated
    assert result.warnings == [
        ParseWarning(
            12,
            "recommendation 1 is truncated at line 12: key action 2 ends before its deadline "
            "and status ('2) Pilot the template with ten grantees. Civil Society Di...'); "
            "not recorded",
        )
    ]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gate-404.txt"
    with pytest.raises(SourceError) as caught:
        read_source(path)
    assert (caught.value.line, caught.value.message) == (None, "file not found")
    assert "gate-404.txt" in str(caught.value)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        read_source(tmp_path)
    assert (caught.value.line, caught.value.message) == (None, "is a directory")
    assert str(tmp_path) in str(caught.value)


def test_recommendations_without_a_heading_are_read_with_a_warning(register: Register) -> None:
    page = PAGE.format(action="1) Act. PPID 2025/01 Completed").split("\n", 5)[5]
    result = parse_text(page, register)
    assert result.response.responding_unit == ""
    assert result.response.recommendations[0].actions[0].deadline == YearMonth(2025, 1)
    assert [w.line for w in result.warnings] == [1]


def test_known_names_after_text_without_full_stop_are_not_swallowed_by_an_earlier_boundary(
    register: Register,
) -> None:
    action, warnings = only_action(
        "1) Hold a workshop (in 2025) for partners PPID 2025/01 Ongoing", register
    )
    assert action.text == "Hold a workshop (in 2025) for partners"
    assert action.parties == [PartyRef("PPID", ("ppid",), Role.LEAD)]
    assert [w.message.startswith("no sentence boundary") for w in warnings] == [True]


def test_unknown_parties_after_the_text_are_divided_at_a_semicolon(register: Register) -> None:
    action, warnings = only_action(
        "1) Hold a workshop. Gender Unit; Jordan CO 2025/01 Ongoing", register
    )
    assert action.text == "Hold a workshop."
    assert action.responsible_text == "Gender Unit; Jordan CO"
    # "CO" is known, but "Jordan CO" is a longer name the register does not hold.
    assert action.parties == [
        PartyRef("Gender Unit", (), Role.LEAD),
        PartyRef("Jordan CO", (), Role.LEAD),
    ]
    assert action.separation is Separation.SHAPE
    assert len(warnings) == 2


KNOWN_PARTIES = [
    "PPID/Peace, Security and Resilience Unit",
    "PPID/ Peace, Security and Resilience Unit",
    "Regional Offices",
    "Country Offices in conflict settings",
    "Regional and Country Offices",
    "Civil Society Division",
    "Coordination Section",
    "WPHF Secretariat",
    "DPPA",
    "Office of the United Nations High Commissioner for Human Rights",
]
party_lists = st.lists(st.sampled_from(KNOWN_PARTIES), min_size=1, max_size=3, unique=True)


@settings(max_examples=150, deadline=None)
@given(
    leads=party_lists,
    supporting=st.one_of(st.just([]), party_lists),
    joiner=st.sampled_from([", ", "; ", " and ", ", and "]),
    connective=st.sampled_from([" with ", " in coordination with ", " in coordination with the "]),
    full_stop=st.booleans(),
)
def test_chains_of_known_parties_split_back_exactly(
    register: Register,
    leads: list[str],
    supporting: list[str],
    joiner: str,
    connective: str,
    full_stop: bool,
) -> None:
    column = joiner.join(leads) + (connective + joiner.join(supporting) if supporting else "")
    line = (
        f"1) Convene partners (twice a year). {column}{'.' if full_stop else ''} 2026/12 Initiated"
    )
    action, warnings = only_action(line, register)
    assert warnings == []
    assert action.text == "Convene partners (twice a year)."
    assert action.responsible_text == column
    assert [(p.printed, p.role) for p in action.parties] == [
        *((name, Role.LEAD) for name in leads),
        *((name, Role.SUPPORTING) for name in supporting),
    ]
    assert all(p.slugs for p in action.parties)
