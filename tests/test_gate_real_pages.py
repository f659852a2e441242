"""Pages in the exact layouts GATE publishes, whose responsible parties are mostly names no register
holds (roles, teams, office acronyms, mixtures): every key action is kept, each party is separated
as well as the page allows, and the model says which rule separated it (issue 8).

One fixture per class, under tests/fixtures/real-pages/ (named by made-up GATE ids so a folder
load reads them); docs/gate-variations.md maps each to its test."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_gate_parse import PAGE
from tests.test_gate_properties import FIXTURES as GATE_FIXTURES
from tests.test_gate_properties import PAGE_FILES
from tests.test_gate_variations import NA, action, rec
from wpsgraph.gate import parse_management_response, read_source
from wpsgraph.gate.conditions import resource_conditions
from wpsgraph.gate.html import html_lines
from wpsgraph.gate.lines import Line
from wpsgraph.gate.parties import split_column, split_parties
from wpsgraph.loader import LoadOptions, prepare
from wpsgraph.model import (
    ManagementResponse,
    ParseResult,
    ParseWarning,
    PartyRef,
    Role,
    Separation,
    YearMonth,
)
from wpsgraph.register import Register

PAGES = Path(__file__).parent / "fixtures" / "real-pages"
LEAD, SUPPORTING = Role.LEAD, Role.SUPPORTING
CELL, REGISTER = Separation.TABLE_CELL, Separation.REGISTER
REPEATED, SHAPE, NONE = Separation.REPEATED, Separation.SHAPE, Separation.NOT_SEPARATED


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


def parse(name: str, register: Register) -> ParseResult:
    return parse_management_response(read_source(PAGES / name), source=name, register=register)


def unknown(name: str, role: Role = LEAD) -> PartyRef:
    return PartyRef(name, (), role)


def not_in_register(line: int, name: str) -> ParseWarning:
    return ParseWarning(line, f"responsible party '{name}' is not in the register; kept as text")


NOT_SEPARATED_MESSAGE = (
    "cannot tell the responsible parties from the action text; the whole line is kept as the "
    "action text and the party marked not separated"
)


# --- Spanish, flattened: the same team on every line, roles in Spanish, one line with no party ---


def test_spanish_page_with_roles_and_teams_no_register_knows(register: Register) -> None:
    result = parse("gate-70101.txt", register)
    team = "Equipo de programa y operaciones"
    assert result.response == ManagementResponse(
        responding_unit="Oficina de País Testlandia",
        responding_unit_slug=None,
        office_type="CO",
        period_start=2021,
        period_end=2023,
        title="Evaluación final del programa de mujeres mediadoras comunitarias",
        approval_status="Approved",
        overall_response=(
            "La oficina acepta las recomendaciones y las incorpora en su plan de trabajo anual."
        ),
        overall_mentions=[],
        line=4,
        recommendations=[
            rec(
                1,
                "RECOMMENDATION 1",
                "Ampliar la formación de mediadoras comunitarias en las regiones del sur.",
                "Aceptada. La oficina ampliará la formación con las organizaciones de mujeres.",
                category="Accepted",
                thematic_areas=["Peace and security"],
                operating_principles=["Capacity development"],
                organizational_priorities=["Operational activities"],
                uneg_criteria=["Effectiveness"],
                line=19,
                actions=[
                    # "Oficial de seguimiento" also ends action 2: repeated on the page.
                    action(
                        1,
                        "1)",
                        "Diseñar un módulo de formación sobre mediación comunitaria",
                        [unknown("Oficial de seguimiento")],
                        REPEATED,
                        responsible_text="Oficial de seguimiento",
                        deadline=YearMonth(2022, 6),
                        status="Completed",
                        line=29,
                    ),
                    # Here it follows "y": the column starts earlier, found by the shape of
                    # two role names (a role word, then the words completing it).
                    action(
                        2,
                        "2)",
                        "Formar a 120 mediadoras en las regiones del sur, sujeto a la "
                        "disponibilidad de fondos",
                        [unknown("Especialista de género"), unknown("Oficial de seguimiento")],
                        SHAPE,
                        responsible_text="Especialista de género y Oficial de seguimiento",
                        deadline=YearMonth(2023, 3),
                        status="Ongoing",
                        resource_conditions=["sujeto a la disponibilidad de fondos"],
                        line=30,
                    ),
                    action(
                        3,
                        "3)",
                        "Publicar una guía de buenas prácticas de mediación con enfoque de género",
                        [unknown(team)],
                        REPEATED,
                        responsible_text=team,
                        deadline=YearMonth(2023, 12),
                        status="Not Initiated",
                        line=31,
                    ),
                ],
            ),
            rec(
                2,
                "RECOMMENDATION 2",
                "Fortalecer el sistema de monitoreo del programa.",
                "Aceptada. El sistema se revisará con las contrapartes.",
                category="Accepted",
                line=32,
                actions=[
                    action(
                        1,
                        "1)",
                        "Revisar los indicadores del marco de resultados con las contrapartes "
                        "nacionales",
                        [unknown(team)],
                        REPEATED,
                        responsible_text=team,
                        deadline=YearMonth(2022, 9),
                        status="Completed",
                        line=42,
                    ),
                    action(
                        2,
                        "2)",
                        "Capacitar al personal en el registro de datos desagregados por sexo",
                        [unknown(team)],
                        REPEATED,
                        responsible_text=team,
                        deadline=YearMonth(2023, 6),
                        status="Initiated",
                        line=43,
                    ),
                    # Nothing tells a party apart: the whole line is the text, none is guessed.
                    action(
                        3,
                        "3)",
                        "Actualizar la base de datos de beneficiarias",
                        [],
                        NONE,
                        deadline=YearMonth(2023, 12),
                        status="Ongoing",
                        line=44,
                    ),
                ],
            ),
        ],
    )
    assert result.warnings == [
        not_in_register(29, "Oficial de seguimiento"),
        not_in_register(30, "Especialista de género"),
        not_in_register(30, "Oficial de seguimiento"),
        not_in_register(31, team),
        not_in_register(42, team),
        not_in_register(43, team),
        ParseWarning(44, NOT_SEPARATED_MESSAGE),
    ]


# --- French, labelled layout: Evaluation Type, a team repeated, a known and an unknown name ----


def test_french_labelled_page_keeps_its_evaluation_type_and_mixed_column(
    register: Register,
) -> None:
    result = parse("gate-70102.txt", register)
    project = "Gestion du projet ONU Femmes"
    officer = "Chargée de suivi-évaluation"
    assert result.response == ManagementResponse(
        responding_unit="Bureau Multi-Pays Testîles",
        responding_unit_slug=None,
        office_type="MCO",
        period_start=2019,
        period_end=2022,
        title="Évaluation à mi-parcours du projet « Femmes et consolidation de la paix »",
        approval_status="Approved",
        overall_response="Le bureau accepte les recommandations de l'évaluation.",
        overall_mentions=[],
        line=2,
        evaluation_type="Projet",
        recommendations=[
            rec(
                1,
                "Evaluation Recommendation 1",
                "Renforcer le suivi des comités locaux de paix.",
                "Acceptée. Le suivi sera confié à l'équipe du projet.",
                category="Accepted",
                thematic_areas=["Peace and security"],
                operating_principles=["Capacity development"],
                organizational_priorities=["Operational activities"],
                uneg_criteria=["Effectiveness", "Sustainability"],
                line=10,
                actions=[
                    action(
                        1,
                        "1.1.",
                        "Mettre en place un tableau de bord trimestriel des comités",
                        [unknown(project)],
                        REPEATED,
                        responsible_text=project,
                        deadline=YearMonth(2020, 12),
                        status="Completed",
                        line=20,
                    ),
                    action(
                        2,
                        "1.2.",
                        "Former les points focaux des comités à la collecte des données, sous "
                        "réserve des ressources disponibles",
                        [unknown(project)],
                        REPEATED,
                        responsible_text=project,
                        deadline=YearMonth(2021, 6),
                        status="Overdue-Initiated",
                        resource_conditions=["sous réserve des ressources disponibles"],
                        line=21,
                    ),
                    # A known office, a French connective, an unknown role: split, the role
                    # supporting.
                    action(
                        3,
                        "1.3.",
                        "Organiser une revue annuelle avec les partenaires nationaux",
                        [
                            PartyRef("MCO", ("multi-country-offices",), LEAD),
                            unknown(officer, SUPPORTING),
                        ],
                        SHAPE,
                        responsible_text=f"MCO en coordination avec {officer}",
                        deadline=YearMonth(2021, 12),
                        status="Ongoing",
                        line=22,
                    ),
                ],
            ),
            rec(
                2,
                "Evaluation Recommendation 2",
                "Documenter les leçons apprises du projet.",
                "Acceptée partiellement : la publication dépend des fonds.",
                inferred_category="Partially Accepted",
                line=23,
                actions=[
                    action(
                        1,
                        "2.1.",
                        "Rédiger une note de capitalisation selon la disponibilité des fonds.",
                        [unknown(officer)],
                        REPEATED,
                        responsible_text=officer,
                        deadline=YearMonth(2022, 3),
                        status="Not Initiated",
                        resource_conditions=["selon la disponibilité des fonds"],
                        line=33,
                    )
                ],
            ),
        ],
    )
    assert result.warnings == [
        not_in_register(20, project),
        not_in_register(21, project),
        not_in_register(22, officer),
        ParseWarning(
            26,
            "recommendation 2: Management Response Category is empty; 'Partially Accepted' "
            "inferred from the response text, recorded as an inference",
        ),
        not_in_register(33, officer),
    ]


# --- English, flattened: roles, acronyms, mixed columns, a team repeated, the site footer ------


def test_english_page_with_roles_acronyms_mixed_columns_and_a_footer(register: Register) -> None:
    result = parse("gate-70103.txt", register)
    team = "Programme team and operations"
    actions = [a for r in result.response.recommendations for a in r.actions]
    assert actions == [
        action(
            1,
            "1)",
            "Train 50 programme staff on gender and conflict analysis",
            [unknown("Gender Specialist")],
            REPEATED,  # also ends action 2.2
            responsible_text="Gender Specialist",
            deadline=YearMonth(2023, 6),
            status="Completed",
            line=29,
        ),
        action(
            2,
            "2)",
            "Roll out the monitoring toolkit to the peace committees",
            [unknown("M&E Officer")],
            SHAPE,
            responsible_text="M&E Officer",
            deadline=YearMonth(2023, 12),
            status="Ongoing",
            line=30,
        ),
        action(
            3,
            "3)",
            "Share the analysis with the peace committees in both provinces",
            [unknown("ESARO"), PartyRef("COs", ("country-offices",), LEAD)],
            SHAPE,
            responsible_text="ESARO and COs",
            deadline=YearMonth(2024, 3),
            status="Initiated",
            line=31,
        ),
        # The mixed segment: both names are in the register, read after prose.
        action(
            1,
            "1)",
            "Prepare a joint resource mobilisation plan with the committees",
            [
                PartyRef("CO", ("country-offices",), LEAD),
                PartyRef("Deputy Representative", ("role-deputy-representative",), SUPPORTING),
            ],
            REGISTER,
            responsible_text="CO in coordination with Deputy Representative",
            deadline=YearMonth(2023, 9),
            status="Completed",
            line=42,
        ),
        # The same segment with a role the register does not know: split into both.
        action(
            2,
            "2)",
            "Brief donors on the committees' results twice a year",
            [PartyRef("CO", ("country-offices",), LEAD), unknown("Gender Specialist", SUPPORTING)],
            SHAPE,
            responsible_text="CO in coordination with Gender Specialist",
            deadline=YearMonth(2024, 6),
            status="Not Initiated",
            line=43,
        ),
        action(
            3,
            "3)",
            "Map funding windows for women-led committees",
            [unknown("JCO")],
            SHAPE,
            responsible_text="JCO",
            deadline=YearMonth(2024, 6),
            status="Initiated",
            line=44,
        ),
        action(
            1,
            "1)",
            "Publish two stories from the committees each year",
            [unknown(team)],
            REPEATED,
            responsible_text=team,
            deadline=YearMonth(2024, 12),
            status="Ongoing",
            line=55,
        ),
        action(
            2,
            "2)",
            "Update the committees' page on the regional website",
            [unknown(team)],
            REPEATED,
            responsible_text=team,
            deadline=YearMonth(2025, 6),
            status="Not Initiated",
            line=56,
        ),
    ]
    # The site's footer after the last action is not a cut action: nothing is truncated.
    assert not any(r.truncated for r in result.response.recommendations)
    assert result.warnings == [
        not_in_register(29, "Gender Specialist"),
        not_in_register(30, "M&E Officer"),
        not_in_register(31, "ESARO"),
        ParseWarning(
            42,
            "no sentence boundary before the responsible parties; split before the known names "
            "'CO in coordination with Deputy Representative'",
        ),
        not_in_register(43, "Gender Specialist"),
        not_in_register(44, "JCO"),
        not_in_register(55, team),
        not_in_register(56, team),
    ]


# --- HTML: the responsible party is its own cell ---------------------------------------------


def test_html_page_reads_each_cell_as_a_cell(register: Register) -> None:
    result = parse("gate-70104.html", register)
    first, second = result.response.recommendations
    assert result.response.title == (
        "Final evaluation of the women's leadership in local governance programme"
    )
    assert first.actions == [
        action(
            1,
            "1.",
            "Run a coaching cycle for 40 newly elected councillors",
            [unknown("Governance Programme Specialist")],
            CELL,
            responsible_text="Governance Programme Specialist",
            deadline=YearMonth(2021, 6),
            status="Completed",
            # A date and a status in a comment are the comment's, never the deadline.
            comments="First cycle closed 2021/03 Completed.\nSecond cycle planned.",
            line=34,
        ),
        action(
            2,
            "2.",
            "Publish a coaching manual in the two national languages",
            [PartyRef("CO", ("country-offices",), LEAD), unknown("M&E Officer", SUPPORTING)],
            CELL,
            responsible_text="CO in coordination with M&E Officer",
            deadline=YearMonth(2022, 6),
            status="Ongoing",
            line=41,
        ),
        # An empty responsible cell: the action is kept, its party marked not separated.
        action(
            3,
            "3.",
            "Set up a peer network of women councillors",
            [],
            NONE,
            deadline=YearMonth(2022, 12),
            status="Not Initiated",
            comments="Waiting for the 2022/09 Initiated budget revision.",
            line=48,
        ),
    ]
    assert second.actions == [
        action(
            1,
            "1.",
            "Review the programme's results framework against the national gender policy",
            [
                PartyRef("Deputy Representative", ("role-deputy-representative",), LEAD),
                PartyRef("Head of Programme", ("role-head-of-programme",), LEAD),
            ],
            CELL,
            responsible_text="Deputy Representative/Head of Programme",
            deadline=YearMonth(2021, 12),
            status="Completed",
            line=70,
        )
    ]
    assert not second.truncated  # the footer <div> after the table is the site's, not an action
    assert result.warnings == [
        not_in_register(34, "Governance Programme Specialist"),
        not_in_register(41, "M&E Officer"),
        ParseWarning(48, "no responsible party printed; none recorded"),
    ]


# --- pipe table as GATE renders it: header and cells over lines, comments with dates --------------


def test_pipe_table_with_split_header_and_multi_line_comments(register: Register) -> None:
    result = parse("gate-70105.txt", register)
    first, second = result.response.recommendations
    specialist = "Cash Programming Specialist"
    assert first.actions == [
        action(
            1,
            "1.",
            "Shorten the guidance to a ten-page note",
            [unknown(specialist)],
            CELL,
            responsible_text=specialist,
            deadline=YearMonth(2021, 9),
            status="Completed",
            comments=(
                "Draft shared 2021/05 Completed by the working group.\n"
                "Final note issued in September."
            ),
            line=19,
        ),
        action(
            2,
            "2.",
            "Translate the note into French and Arabic",
            [unknown(specialist), PartyRef("Regional Offices", ("regional-offices",), LEAD)],
            CELL,
            responsible_text=f"{specialist}; Regional Offices",
            deadline=YearMonth(2022, 3),
            status="Ongoing",
            comments="French done.\nArabic expected 2022/02 Ongoing.",
            line=25,
        ),
    ]
    assert second.actions == [
        action(
            1,
            "1.",
            "Add a sex-disaggregated field to the distribution reports",
            [
                unknown("Information Management Officer"),
                PartyRef("Civil Society Section", ("civil-society-section",), SUPPORTING),
            ],
            CELL,
            responsible_text=(
                "Information Management Officer in coordination with Civil Society Section"
            ),
            deadline=YearMonth(2022, 6),
            status="Initiated",
            line=45,
        ),
    ]
    assert (first.thematic_areas, second.thematic_areas) == (
        ["Humanitarian action and disaster risk reduction"],
        NA,
    )
    assert result.warnings == [
        not_in_register(19, specialist),
        not_in_register(25, specialist),
        not_in_register(45, "Information Management Officer"),
    ]


def test_a_page_whose_parties_are_all_known_reads_without_warnings(register: Register) -> None:
    result = parse("gate-70106.txt", register)
    (only,) = result.response.recommendations
    assert [(a.separation, [p.slugs for p in a.parties]) for a in only.actions] == [
        (REGISTER, [("civil-society-division",)]),
        (REGISTER, [("civil-society-division",), ("regional-offices",)]),
    ]
    assert result.warnings == []


# --- the rules one at a time ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "parties"),
    [
        (
            "CO in coordination with Deputy Representative",
            [
                PartyRef("CO", ("country-offices",), LEAD),
                PartyRef("Deputy Representative", ("role-deputy-representative",), SUPPORTING),
            ],
        ),
        (
            "JCO in coordination with Deputy Representative",
            [
                unknown("JCO"),
                PartyRef("Deputy Representative", ("role-deputy-representative",), SUPPORTING),
            ],
        ),
        (
            "CO en coordinación con la Representante Adjunta",
            [
                PartyRef("CO", ("country-offices",), LEAD),
                unknown("Representante Adjunta", SUPPORTING),
            ],
        ),
        (
            "Gender Specialist and M&E Officer",
            [unknown("Gender Specialist"), unknown("M&E Officer")],
        ),
        # "and" inside a name the register does not know does not divide it.
        ("Peace, Security and Recovery Team", [unknown("Peace, Security and Recovery Team")]),
        ("Programme team and operations", [unknown("Programme team and operations")]),
        # Whatever a cell holds is its party, even when it reads as no list of names.
        ("see comments", [unknown("see comments")]),
    ],
)
def test_a_responsible_cell_is_split_into_its_known_and_unknown_names(
    register: Register, column: str, parties: list[PartyRef]
) -> None:
    split = split_column(column, register, 7)
    assert (split.parties, split.separation, split.responsible_text) == (parties, CELL, column)
    assert split.warnings == [not_in_register(7, p.printed) for p in parties if not p.slugs]


@pytest.mark.parametrize(
    ("line", "text", "parties", "separation"),
    [
        # A known chain after a full stop, as in the seed.
        (
            "Convene partners. CO in coordination with Deputy Representative",
            "Convene partners.",
            [("CO", LEAD), ("Deputy Representative", SUPPORTING)],
            REGISTER,
        ),
        # The mixed segment after prose with no full stop.
        (
            "Convene the partners CO in coordination with Gender Specialist",
            "Convene the partners",
            [("CO", LEAD), ("Gender Specialist", SUPPORTING)],
            SHAPE,
        ),
        # "Jordan CO" ends with a known acronym but is a longer name.
        ("Hold a workshop Jordan CO", "Hold a workshop", [("Jordan CO", LEAD)], SHAPE),
        # A Spanish role starts with its role word, even after a capitalised word.
        (
            "Reforzar las capacidades del Equipo de Programa Oficial de seguimiento",
            "Reforzar las capacidades del Equipo de Programa",
            [("Oficial de seguimiento", LEAD)],
            SHAPE,
        ),
        # Names after "with", "to the" ... are the object of the prose, not a party.
        ("Coordinate the response with DPPA and DPO", None, [], NONE),
        ("Brief the Security Council", None, [], NONE),
        # Lower-case prose after a role word is not a name ("will lead the work ...").
        ("Train staff. Gender Specialist will lead the work with the partners", None, [], NONE),
    ],
)
def test_flattened_lines_rule_by_rule(
    register: Register,
    line: str,
    text: str | None,
    parties: list[tuple[str, Role]],
    separation: Separation,
) -> None:
    split = split_parties(line, register, 3)
    assert split.text == (line if text is None else text)
    assert [(p.printed, p.role) for p in split.parties] == parties
    assert split.separation is separation


@pytest.mark.parametrize(
    "phrase",
    [
        "sujeto a la disponibilidad de fondos",
        "sujeta a la disponibilidad de recursos",
        "según los recursos disponibles",
        "si los fondos lo permiten",
        "sous réserve des ressources disponibles",
        "sous réserve de la disponibilité des fonds",
        "dans la limite des ressources disponibles",
        "subject to availability of funds",
    ],
)
def test_resource_conditions_in_spanish_french_and_english(phrase: str) -> None:
    assert resource_conditions(f"Publicar la guía ({phrase}).") == [phrase]


@pytest.mark.parametrize(
    "text", ["Movilizar fondos para los comités", "Mobiliser des ressources pour les comités"]
)
def test_money_named_without_a_condition_is_no_condition(text: str) -> None:
    assert resource_conditions(text) == []


FIRST_ACTION = "1) Publish a template. PPID 2025/06 Completed"


def test_a_cut_action_before_the_footer_is_still_reported_as_cut(register: Register) -> None:
    page = PAGE.format(
        action=f"{FIRST_ACTION}\n2) Pilot the template with ten gr\nPrivacy notice  Terms of use"
    )
    result = parse_management_response(page, source="p.txt", register=register)
    assert result.response.recommendations[0].truncated
    assert [w.line for w in result.warnings] == [12]
    assert result.warnings[0].message.startswith("recommendation 1 is truncated at line 12")


def test_unnumbered_text_after_numbered_actions_is_not_a_truncation(register: Register) -> None:
    page = PAGE.format(action=f"{FIRST_ACTION}\nLast updated by the evaluation focal point")
    result = parse_management_response(page, source="p.txt", register=register)
    assert not result.response.recommendations[0].truncated
    assert result.warnings == [
        ParseWarning(
            12,
            "text after the last key action is not a numbered key action ('Last updated by the "
            "evaluation focal point'); not recorded",
        )
    ]


# --- the property: no page is lost over a name the register does not know ----------------------

# Pages that load today and print key actions, and one in Windows-1252 with '?' damage.
LOADING_PAGES = [*PAGE_FILES, GATE_FIXTURES / "cp1252-crlf.txt"]
SHIPPED = Register.load()
_ROLE_NAMES = st.one_of(
    st.builds(
        "{} {}".format,
        st.sampled_from(["Gender", "Programme", "M&E", "Peacebuilding", "Cash Transfer"]),
        st.sampled_from(["Specialist", "Officer", "Team", "Adviser", "Coordinator", "Analyst"]),
    ),
    st.builds(
        "{} de {}".format,
        st.sampled_from(["Oficial", "Especialista", "Equipo", "Coordinadora"]),
        st.sampled_from(["seguimiento", "género", "programa", "operaciones"]),
    ),
    st.builds(
        "{} {}".format,
        st.sampled_from(["Chargée", "Équipe", "Gestion", "Responsable"]),
        st.sampled_from(["de suivi-évaluation", "du projet", "des opérations"]),
    ),
    st.sampled_from(["Programme team and operations", "Gestion du projet ONU Femmes"]),
    st.from_regex(r"[A-Z]{3,5}", fullmatch=True),
)
INVENTED = _ROLE_NAMES.filter(lambda name: not SHIPPED.resolve(name))


def _parsed(text: str) -> ParseResult:
    return parse_management_response(text, source="page", register=SHIPPED)


def _with_parties_renamed(
    text: str, result: ParseResult, names: dict[str, str], drop_full_stops: bool
) -> str:
    """The page with every party the register knows printed under its invented name (in each
    action, the last occurrence before the action's deadline); with drop_full_stops, the
    action text no longer ends with a full stop before its parties, as on many GATE pages."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    actions = [a for r in result.response.recommendations for a in r.actions]
    for item in sorted(actions, key=lambda a: a.line, reverse=True):
        begin = starts[item.line - 1]
        limit = text.index(f"{item.deadline.year}/{item.deadline.month:02d}", begin)
        column = text.rindex(item.responsible_text, begin, limit) if item.parties else limit
        for party in reversed([p for p in item.parties if p.slugs]):
            at = text.rindex(party.printed, begin, limit)
            text = text[:at] + names[party.printed] + text[at + len(party.printed) :]
            limit = at
        head = text[:column].rstrip()
        if drop_full_stops and head.endswith(".") and column > begin:
            text = head[:-1] + text[len(head) : column] + text[column:]
    return text


def _known_parties(result: ParseResult) -> list[str]:
    return sorted(
        {
            party.printed
            for rec_ in result.response.recommendations
            for item in rec_.actions
            for party in item.parties
            if party.slugs
        }
    )


def _deadlines_and_statuses(result: ParseResult) -> list[list[tuple[YearMonth, str]]]:
    return [[(a.deadline, a.status) for a in r.actions] for r in result.response.recommendations]


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.sampled_from(LOADING_PAGES), st.booleans(), st.data())
def test_known_parties_renamed_to_unknown_names_lose_nothing(
    page: Path, drop_full_stops: bool, data: st.DataObject
) -> None:
    """Take a page that loads today, print every party the register knows under a name it does
    not know (and, half the time, without the full stop before the parties): the page still
    loads, with the same recommendations and actions, deadlines and statuses."""
    text = read_source(page)
    before = _parsed(text)
    names = {name: data.draw(INVENTED, label=name) for name in _known_parties(before)}
    renamed = _with_parties_renamed(text, before, names, drop_full_stops)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"gate-4242{page.suffix}"
        path.write_text(renamed, encoding="utf-8")
        emitted, validation = prepare(path, LoadOptions())
    assert validation.conforms, [v.message for v in validation.violations]
    assert emitted.evaluation.endswith("/gate-4242")
    after = _parsed(renamed)
    assert _deadlines_and_statuses(after) == _deadlines_and_statuses(before)
    for item in (a for r in after.response.recommendations for a in r.actions):
        assert item.parties or item.separation is Separation.NOT_SEPARATED


def test_html_rows_keep_their_cells_and_a_cell_keeps_its_own_lines() -> None:
    page = (
        "<html><body><p>Key Actions</p>\n<table><tr><th></th><th>Responsible</th></tr>\n"
        "<tr><td>1. Hold a review<br>with partners</td>\n"
        "<td>Gender Unit <table><tr><td>and M&amp;E</td></tr></table></td><td></td></tr>\n"
        "</table><div>after</div></body></html>"
    )
    assert html_lines(page) == [
        Line(1, "Key Actions"),
        Line(2, "Responsible", ("", "Responsible")),
        Line(3, "1. Hold a review with partners Gender Unit and M&E", (
            "1. Hold a review\nwith partners",
            "Gender Unit\nand M&E",
            "",
        )),
        Line(5, "after"),
    ]  # fmt: skip


def test_a_separator_row_split_over_lines_is_no_row(register: Register) -> None:
    text = read_source(PAGES / "gate-70105.txt")
    separator = "|\n" + "--- |\n" * 5
    split = text.replace("Comments |\n| 1. Shorten", f"Comments |\n{separator}| 1. Shorten")
    assert split != text

    def actions(page: str) -> list[tuple[str, str, list[PartyRef], YearMonth, str]]:
        result = parse_management_response(page, source="p.txt", register=register)
        return [
            (a.label, a.text, a.parties, a.deadline, a.comments)
            for r in result.response.recommendations
            for a in r.actions
        ]

    assert actions(split) == actions(text)
