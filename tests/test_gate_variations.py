"""Every layout variation of real GATE pages (design notes, section 2), one hand-written fixture
each, parsed into the exact model a careful reader sees. docs/gate-variations.md maps each
variation to its fixture and test."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from wpsgraph.errors import SourceError
from wpsgraph.gate import parse_management_response, read_source
from wpsgraph.model import (
    KeyAction,
    ManagementResponse,
    ParseResult,
    ParseWarning,
    PartyRef,
    Recommendation,
    Role,
    Separation,
    YearMonth,
)
from wpsgraph.register import Register

FIXTURES = Path(__file__).parent / "fixtures" / "gate"
LEAD, SUPPORTING = Role.LEAD, Role.SUPPORTING
CELL, REGISTER, SHAPE = Separation.TABLE_CELL, Separation.REGISTER, Separation.SHAPE
NA = ["Not applicable"]


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


def parse(name: str, register: Register) -> ParseResult:
    return parse_management_response(read_source(FIXTURES / name), source=name, register=register)


def action(
    number: int,
    label: str,
    text: str,
    parties: list[PartyRef],
    separation: Separation,
    **kw: Any,
) -> KeyAction:
    values: dict[str, Any] = {
        "responsible_text": "",
        "comments": "",
        "resource_conditions": [],
        "mentions": [],
    }
    values.update(kw)
    return KeyAction(
        number=number, label=label, text=text, parties=parties, separation=separation, **values
    )


def rec(number: int, label: str, text: str, response: str, **kw: Any) -> Recommendation:
    values: dict[str, Any] = {
        "description": "",
        "category": "",
        "thematic_areas": NA,
        "operating_principles": NA,
        "organizational_priorities": NA,
        "uneg_criteria": NA,
        "actions": [],
        "mentions": [],
        "response_mentions": [],
    }
    values.update(kw)
    return Recommendation(number=number, label=label, text=text, response_text=response, **values)


# --- Spanish country office: chrome, empty ':' lines, no title, RECOMMENDATION N, roles ---------


def test_spanish_country_office_page(register: Register) -> None:
    result = parse("es-country-office.txt", register)
    assert result.response == ManagementResponse(
        responding_unit="Country Office Testland",
        responding_unit_slug=None,
        office_type="CO",
        period_start=2019,
        period_end=2022,
        title="",
        approval_status="Submitted",
        overall_response=(
            "La oficina de país acepta las conclusiones de la evaluación y agradece el apoyo "
            "de las organizaciones de mujeres."
        ),
        overall_mentions=[],
        line=4,
        recommendations=[
            rec(
                1,
                "RECOMMENDATION 1",
                "Fortalecer la participación de las mujeres en los comités locales de paz.",
                "Aceptada. La oficina ampliará el programa con las organizaciones de la "
                "sociedad civil.",
                thematic_areas=["Peace and security"],
                operating_principles=[
                    "Promoting inclusiveness/Leaving no one behind",
                    "Not applicable",
                ],
                uneg_criteria=["Relevance"],
                inferred_category="Accepted",
                line=18,
                actions=[
                    action(
                        1,
                        "1)",
                        "Capacitar a 200 mujeres mediadoras en 2020/03 y 2020/09 Completed "
                        "para los comités.",
                        [
                            PartyRef(
                                "Deputy Representative", ("role-deputy-representative",), LEAD
                            ),
                            PartyRef("Head of Programme", ("role-head-of-programme",), LEAD),
                        ],
                        REGISTER,
                        responsible_text="Deputy Representative/Head of Programme",
                        deadline=YearMonth(2021, 6),
                        status="Completed",
                        comments="Informe enviado por la oficina.",
                        line=27,
                    ),
                    action(
                        2,
                        "2)",
                        "Elaborar una guía de mediación comunitaria.",
                        [PartyRef("JCO", (), LEAD)],
                        SHAPE,
                        responsible_text="JCO",
                        deadline=YearMonth(2022, 12),
                        status="Over due",
                        line=28,
                    ),
                ],
            ),
            rec(
                2,
                "RECOMMENDATION 2",
                "Revisar el sistema de monitoreo del programa.",
                "La oficina revisará el sistema cuando termine el ciclo.",
                line=29,
            ),
        ],
    )
    assert result.warnings == [
        ParseWarning(
            20,
            "recommendation 1: Management Response Category is empty; 'Accepted' inferred from "
            "the response text, recorded as an inference",
        ),
        ParseWarning(28, "responsible party 'JCO' is not in the register; kept as text"),
        ParseWarning(
            31,
            "recommendation 2: Management Response Category is empty and the response does not "
            "say plainly whether it is accepted; no category recorded",
        ),
    ]


# --- French, older labelled layout, 1.1. actions, statuses, MCO, roles ---------------------------


def test_french_labelled_layout_page(register: Register) -> None:
    result = parse("fr-labelled-layout.txt", register)
    assert result.response == ManagementResponse(
        responding_unit="Multi-Country Office Islas",
        responding_unit_slug=None,
        office_type="MCO",
        period_start=2016,
        period_end=2018,
        title="Évaluation du programme « Femmes, paix et sécurité » : leçons apprises",
        approval_status="Approved",
        overall_response=(
            "Le bureau accepte l'ensemble des recommandations.\n"
            "Il mettra en œuvre les actions avec les bureaux de pays."
        ),
        overall_mentions=[],
        line=1,
        evaluation_type="Programme",
        recommendations=[
            rec(
                1,
                "Evaluation Recommendation 1",
                "Renforcer la coordination avec les partenaires nationaux.",
                "Acceptée partiellement : le bureau renforcera la coordination dans la limite "
                "des fonds.",
                thematic_areas=["Peace and security (SPs before 2018)"],
                operating_principles=["Partnerships", "National ownership"],
                organizational_priorities=["UN Coordination"],
                uneg_criteria=["Coherence", "Sustainability"],
                inferred_category="Partially Accepted",
                line=10,
                actions=[
                    action(
                        1,
                        "1.1.",
                        "Organiser une réunion trimestrielle des partenaires.",
                        [PartyRef("MCO", ("multi-country-offices",), LEAD)],
                        REGISTER,
                        responsible_text="MCO",
                        deadline=YearMonth(2017, 6),
                        status="No Longer Applicable",
                        comments="Remplacée par le groupe thématique.",
                        line=20,
                    ),
                    action(
                        2,
                        "1.2.",
                        "Publier un bulletin sur les résultats du programme.",
                        [PartyRef("Representative", ("role-representative",), LEAD)],
                        REGISTER,
                        responsible_text="Representative",
                        deadline=YearMonth(2018, 12),
                        status="Overdue-Initiated",
                        line=21,
                    ),
                ],
            ),
            rec(
                2,
                "Evaluation Recommendation 2",
                "Documenter les bonnes pratiques du programme.",
                "Le bureau accepte la recommandation.",
                category="Accepted",
                operating_principles=["Knowledge management"],
                line=22,
                actions=[
                    action(
                        1,
                        "",
                        "Rédiger trois études de cas avec les bureaux de pays.",
                        [PartyRef("Country Offices", ("country-offices",), LEAD)],
                        REGISTER,
                        responsible_text="Country Offices",
                        deadline=YearMonth(2018, 6),
                        status="Not Initiated",
                        line=31,
                    )
                ],
            ),
        ],
    )
    assert result.warnings == [
        ParseWarning(
            13,
            "recommendation 1: Management Response Category is empty; 'Partially Accepted' "
            "inferred from the response text, recorded as an inference",
        )
    ]


# --- pipe tables: one row per line, then one cell per line ----------------------------------------

PIPE_TABLE = ManagementResponse(
    responding_unit="Peace, Security and Resilience Unit",
    responding_unit_slug="ppid-psru",
    office_type="HQ",
    period_start=2021,
    period_end=2023,
    title='Review of "rapid response" grants: what worked',
    approval_status="",
    overall_response="The unit accepts both recommendations.",
    overall_mentions=[],
    line=1,
    recommendations=[
        rec(
            1,
            "Recommendation 1",
            "Shorten the grant approval cycle.",
            "Accepted.",
            category="Accepted",
            thematic_areas=["Peace and security"],
            operating_principles=["Partnerships"],
            uneg_criteria=["Efficiency"],
            line=8,
            actions=[
                action(
                    1,
                    "1.",
                    "Publish a two-week approval standard.",
                    [
                        PartyRef("PPID/Peace, Security and Resilience Unit", ("ppid-psru",), LEAD),
                        PartyRef("WPHF Secretariat", ("wphf-secretariat",), LEAD),
                    ],
                    CELL,
                    responsible_text="PPID/Peace, Security and Resilience Unit; WPHF Secretariat",
                    deadline=YearMonth(2022, 6),
                    status="Completed",
                    comments="Standard in use since May.",
                    line=18,
                ),
                action(
                    2,
                    "2.",
                    "Automate the eligibility check.",
                    [PartyRef("Grants Systems Team", (), LEAD)],
                    CELL,
                    responsible_text="Grants Systems Team",
                    deadline=YearMonth(2023, 6),
                    status="Ongoing",
                    line=19,
                ),
            ],
        ),
        rec(
            2,
            "Recommendation 2",
            "Report grant results to donors twice a year.",
            "Partially accepted: once a year is feasible.",
            category="Partially Accepted",
            line=20,
            actions=[
                action(
                    1,
                    "1.",
                    "Issue an annual results report.",
                    [
                        PartyRef("Regional Offices", ("regional-offices",), LEAD),
                        PartyRef("Coordination Section", ("coordination-section",), SUPPORTING),
                    ],
                    CELL,
                    responsible_text="Regional Offices with Coordination Section",
                    deadline=YearMonth(2023, 12),
                    status="Initiated",
                    line=33,
                )
            ],
        ),
    ],
)


def test_pipe_table_page(register: Register) -> None:
    result = parse("pipe-table.txt", register)
    assert result.response == PIPE_TABLE
    assert result.warnings == [
        ParseWarning(
            19, "responsible party 'Grants Systems Team' is not in the register; kept as text"
        )
    ]


def without_lines(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return without_lines(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value


def test_html_page_reads_as_its_text_with_html_line_numbers(register: Register) -> None:
    result = parse("html-page.html", register)
    assert without_lines(result.response) == without_lines(PIPE_TABLE)
    assert result.response.line == 10  # the <h2> heading; <nav> and <script> text is skipped
    assert [r.line for r in result.response.recommendations] == [18, 31]
    assert result.warnings == [
        ParseWarning(
            29, "responsible party 'Grants Systems Team' is not in the register; kept as text"
        )
    ]


def test_html_given_as_text_directly(register: Register) -> None:
    html = "<html><body><h2>Management Response</h2><p>: Unit</p></body></html>"
    with pytest.raises(SourceError, match="no recommendations found"):
        parse_management_response(html, source="page.html", register=register)


# --- numbering styles, topic prefix, Not applicable category, "Don't agree" ----------------------


def test_numbering_styles_page(register: Register) -> None:
    result = parse("numbering-styles.txt", register)
    assert result.response == ManagementResponse(
        responding_unit="Regional Office Testregion",
        responding_unit_slug=None,
        office_type="RO",  # the last parenthesised group, written without a space before it
        period_start=2020,
        period_end=2021,
        title='Regional evaluation: "women\'s voices" in local peace committees',
        approval_status="Draft",
        overall_response="",
        overall_mentions=[],
        line=1,
        recommendations=[
            rec(
                1,
                "1.1",
                "Legislative Reform: support the drafting of the national action plan.",
                "Don't agree: the drafting is led by the ministry.",
                thematic_areas=["Peace and security"],
                operating_principles=[
                    "Human rights-based approach",
                    "Promoting inclusiveness/Leaving no one behind",
                    "Not applicable",
                ],
                organizational_priorities=["Normative Support"],
                uneg_criteria=["Relevance", "Gender equality"],
                inferred_category="Rejected",
                line=6,
            ),
            rec(
                2,
                "RECOMMENDATION: 2.",
                "Fund local peace committees led by women.",
                "The office will seek funds.",
                description="Depends on the 2021 budget.",
                category="Not applicable",
                line=14,
                actions=[
                    action(
                        1,
                        "2.1",
                        "Map the committees.",
                        [PartyRef("Regional Offices", ("regional-offices",), LEAD)],
                        REGISTER,
                        responsible_text="Regional Offices",
                        deadline=YearMonth(2021, 3),
                        status="Completed",
                        line=24,
                    ),
                    action(
                        2,
                        "2.2",
                        "Launch a small grants call.",
                        [PartyRef("RO", ("regional-offices",), LEAD)],
                        REGISTER,
                        responsible_text="RO",
                        deadline=YearMonth(2021, 9),
                        status="Not Initiated",
                        line=25,
                    ),
                ],
            ),
        ],
    )
    assert result.warnings == [
        ParseWarning(
            6, "recommendation numbers are missing or repeated (-, 2); numbered by position"
        ),
        ParseWarning(
            8,
            "recommendation 1: Management Response Category is empty; 'Rejected' inferred from "
            "the response text, recorded as an inference",
        ),
    ]


# --- damage: truncation, encodings, '?' apostrophes, chrome only -------------------------------


def test_page_cut_mid_word_keeps_what_is_complete(register: Register) -> None:
    result = parse("truncated-mid-recommendation.txt", register)
    first, second = result.response.recommendations
    assert not first.truncated
    assert [a.text for a in first.actions] == ["Publish a one-page report template."]
    assert second == rec(
        2,
        "Recommendation 2",
        "Extend the protection fund to rural defenders.",
        "Accepted. The division will work with regional partn",
        thematic_areas=[],
        operating_principles=[],
        organizational_priorities=[],
        uneg_criteria=[],
        inferred_category="Accepted",
        truncated=True,
        line=12,
    )
    assert result.warnings[0] == ParseWarning(
        13,
        "recommendation 2 is truncated at line 13: the page ends before its Key Actions; "
        "the fields read so far are kept",
    )


def test_page_cut_after_the_key_actions_heading(register: Register) -> None:
    text = (FIXTURES / "pipe-table.txt").read_text(encoding="utf-8").split("| Key Action\n")[0]
    result = parse_management_response(text, source="cut.txt", register=register)
    assert result.response.recommendations[-1].truncated
    assert result.response.recommendations[-1].actions == []
    assert result.warnings[-1] == ParseWarning(
        27,
        "recommendation 2 is truncated at line 27: the page ends after its Key Actions heading, "
        "before any action",
    )


def test_an_action_without_deadline_in_the_middle_is_dropped_with_a_warning(
    register: Register,
) -> None:
    text = (FIXTURES / "numbering-styles.txt").read_text(encoding="utf-8")
    text = text.replace("2.1 Map the committees. Regional Offices 2021/03 Completed", "2.1 Map the")
    result = parse_management_response(text, source="gap.txt", register=register)
    actions = result.response.recommendations[1].actions
    assert [(a.number, a.label) for a in actions] == [(2, "2.2")]
    assert not result.response.recommendations[1].truncated
    assert (
        ParseWarning(
            24,
            "key action 1 of recommendation 2 has no 'YYYY/MM Status' ('2.1 Map the'); "
            "not recorded",
        )
        in result.warnings
    )


def test_cp1252_crlf_page_with_question_marks_for_quotes_and_dashes(register: Register) -> None:
    data = (FIXTURES / "cp1252-crlf.txt").read_bytes()
    assert b"\r\n" in data and "É".encode("cp1252") in data
    result = parse("cp1252-crlf.txt", register)
    mr = result.response
    assert mr.title == "Évaluation of UN-Women's data work – what is next?"
    (only,) = mr.recommendations
    assert only.text == "Publish the country's data."
    assert only.response_text == "Accepted. Is it feasible? Yes."  # real question marks stay
    assert only.actions[0].mentions == ["women-count"]
    assert result.warnings == [
        ParseWarning(
            4,
            "2 '?' between letters read as an apostrophe (a curly quote lost to an old "
            "encoding), first at line 4",
        ),
        ParseWarning(
            4,
            "1 '?' between spaces or digits read as a dash (a dash lost to an old encoding), "
            "first at line 4",
        ),
    ]


@pytest.mark.parametrize(
    ("encoding", "prefix", "newline"),
    [
        ("utf-8", b"", "\n"),
        ("utf-8", b"\xef\xbb\xbf", "\r\n"),
        ("cp1252", b"", "\r\n"),
        ("latin-1", b"", "\r"),
    ],
)
def test_encodings_and_line_ends_give_the_same_model(
    register: Register, tmp_path: Path, encoding: str, prefix: bytes, newline: str
) -> None:
    original = (FIXTURES / "fr-labelled-layout.txt").read_text(encoding="utf-8")
    # Latin-1 has no "œ"; the rest of the page is the same in every encoding.
    original = original.replace("œ", "oe")
    path = tmp_path / "page.txt"
    path.write_bytes(prefix + original.replace("\n", newline).encode(encoding))
    from_bytes = parse_management_response(read_source(path), source="p", register=register)
    expected = parse_management_response(original, source="p", register=register)
    assert from_bytes.response == expected.response
    assert from_bytes.response.title.startswith("Évaluation")


def test_a_page_of_chrome_only_is_not_a_management_response(register: Register) -> None:
    with pytest.raises(SourceError) as caught:
        parse("chrome-only.txt", register)
    assert caught.value.line == 4
    assert caught.value.message.startswith("not a GATE management response")
