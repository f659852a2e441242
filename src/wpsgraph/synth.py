"""A synthetic corpus of GATE management-response pages, for benchmarks and scale tests.

Deterministic: the same seed and count give byte-identical files. Every page uses a layout the
parser reads today (the seed's, page chrome with unnumbered recommendations, the compact header
without empty ':' lines), with the variety the loader meets in real pages: 5±3 recommendations,
1-5 key actions each, registered and unknown parties joined in the ways GATE prints them, every
status and response category, deadlines in the past and the future, resource conditions, partner
mentions, empty categories stated in the prose, comments after the status, and some Spanish and
French content. Nothing here is parsed back: the loader is what checks the pages.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from wpsgraph.register import UNIT, Register
from wpsgraph.resources import schemes_graph
from wpsgraph.vocab import WPS

FIRST_ID = 900000  # far from real GATE ids, so synthetic graphs never replace real ones

# Weights are the design: tests check the generated corpus roughly follows them.
STATUS_WEIGHTS = {
    "Initiated": 34,
    "Completed": 20,
    "Not Initiated": 16,
    "Ongoing": 12,
    "Over due": 6,
    "Overdue-Initiated": 6,
    "No Longer Applicable": 6,
}
CATEGORY_WEIGHTS = {
    "Accepted": 68,
    "Partially Accepted": 14,
    "Rejected": 5,
    "Not applicable": 3,
    "": 10,  # empty category, stated in the prose instead
}
# Prose that states the category when the field is empty.
IMPLIED_CATEGORY = ("Accepted.", "Agreed.", "Accepted partially.", "UN-Women accepts this.")
OFFICE_TYPES = ("HQ", "RO", "MCO", "CO", "EO", "PP")
RESOURCE_CONDITIONS = (
    ", subject to availability of funds",
    " (subject to availability of resources)",
    ", depending on available resources",
    ", within available resources",
)
RESOURCE_CONDITION_SHARE = 0.15
PAST_DEADLINE_SHARE = 0.35
TITLE_KINDS = ("Evaluation", "Mid-term review", "Final evaluation", "Thematic review")
LAYOUTS = ("seed", "chrome", "compact")
LAYOUT_WEIGHTS = (60, 25, 15)

COUNTRIES = (
    "Afghanistan", "Colombia", "Iraq", "Jordan", "Kenya", "Liberia", "Mali", "Myanmar",
    "Nigeria", "Palestine", "Philippines", "Sudan", "Syria", "Uganda", "Ukraine", "Yemen",
)  # fmt: skip
# Parties the register does not know: the loader keeps them as printed names (with a warning).
UNKNOWN_PARTIES = (
    "Deputy Representative",
    "Head of Programme",
    "Programme Management Specialist",
    "Operations Manager",
    "Communications Analyst",
    "Ministry of Gender",
)
VERBS = (
    "Strengthen", "Develop", "Provide", "Establish", "Support", "Expand", "Document",
    "Review", "Update", "Train", "Map", "Convene", "Publish", "Integrate",
)  # fmt: skip
OBJECTS = (
    "guidance on gender-sensitive conflict analysis",
    "the roster of women mediators",
    "partnerships with women's organizations",
    "the monitoring framework for the national action plan",
    "training for personnel in conflict settings",
    "a knowledge product on women's participation",
    "the results framework of the programme",
    "coordination with peace process actors",
    "data collection on women in peace processes",
    "regional exchanges on good practices",
)
PURPOSES = (
    "to increase women's meaningful participation in peace processes",
    "so that country offices can engage with political actors",
    "to address resistance to gender equality",
    "to reach the most marginalized groups",
    "in line with the Strategic Plan",
    "to build a stronger evidence base",
)
PARTNER_PHRASES = (
    "with DPPA and DPO",
    "through the Women Count platform",
    "with the Security Council's Informal Expert Group on Women, Peace and Security",
    "together with OHCHR",
    "with civil society organisations",
    "through the Women in Peace Processes Monitor",
    "with WPHF and its Rapid Response Window",
)
FOREIGN_ACTIONS = (
    "Fortalecer la coordinación con las organizaciones de mujeres en {country}",
    "Apoyar la participación de las mujeres en los procesos de paz en {country}",
    "Renforcer les capacités des organisations de femmes au {country}",
    "Élaborer une stratégie de plaidoyer pour la participation des femmes au {country}",
)
FOREIGN_SHARE = 0.08
COMMENTS = (
    "Revised framework shared with donors.",
    "Delayed by the security situation.",
    "Funding secured for the first phase.",
    "See the annual report.",
)
COMMENT_SHARE = 0.2


@dataclass(frozen=True)
class Vocabulary:
    """The printed values the generator draws from: scheme labels and register names."""

    thematic_areas: tuple[str, ...]
    operating_principles: tuple[str, ...]
    organizational_priorities: tuple[str, ...]
    uneg_criteria: tuple[str, ...]
    unit_names: tuple[str, ...]  # how registered units are printed (names and acronyms)
    responding_units: tuple[str, ...]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    graph = schemes_graph()

    def labels(scheme_class: object) -> tuple[str, ...]:
        found = {
            str(label)
            for concept in graph.subjects(RDF.type, scheme_class)
            for label in graph.objects(concept, SKOS.prefLabel)
            if isinstance(label, Literal) and label.language in (None, "en")
        }
        # Commas separate values in GATE's list fields: a label holding one cannot be printed.
        return tuple(sorted(v for v in found if "," not in v))

    register = Register.load()
    units = [a for a in register.actors.values() if a.kind == UNIT]
    unit_names = sorted({n for a in units for n in (*a.names, *a.acronyms)})
    return Vocabulary(
        thematic_areas=labels(WPS.ThematicArea),
        operating_principles=labels(WPS.OperatingPrinciple),
        organizational_priorities=labels(WPS.OrganizationalPriority),
        uneg_criteria=labels(WPS.UNEGCriterion),
        unit_names=tuple(unit_names),
        responding_units=tuple(sorted(a.pref_label for a in units)),
    )


def write_corpus(count: int, directory: Path, seed: int = 0) -> list[Path]:
    """Write count pages named gate-<id>.txt into directory; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary()
    paths = []
    for index in range(count):
        evaluation_id = FIRST_ID + index
        path = directory / f"gate-{evaluation_id}.txt"
        path.write_text(page(evaluation_id, seed, vocab), encoding="utf-8")
        paths.append(path)
    return paths


def page(evaluation_id: int, seed: int = 0, vocab: Vocabulary | None = None) -> str:
    """One management response page. Each page has its own random stream, so page i does not
    depend on how many pages come before it."""
    rng = random.Random(f"{seed}:{evaluation_id}")
    return _Page(rng, vocab or vocabulary()).render()


class _Page:
    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self.rng = rng
        self.vocab = vocab
        self.country = rng.choice(COUNTRIES)

    def render(self) -> str:
        rng = self.rng
        layout = rng.choices(LAYOUTS, LAYOUT_WEIGHTS)[0]
        n_recs = max(1, min(9, round(rng.gauss(5, 1.6))))
        recs = [self.recommendation(n, layout) for n in range(1, n_recs + 1)]
        return "\n".join([*self.header(layout), *(line for rec in recs for line in rec)]) + "\n"

    # --- header --------------------------------------------------------------------------------

    def header(self, layout: str) -> list[str]:
        rng = self.rng
        unit = rng.choice(self.vocab.responding_units)
        office = rng.choice(OFFICE_TYPES)
        start = rng.randint(2016, 2026)
        period = f"{start} - {start + rng.randint(1, 3)}"
        title = (
            f"{rng.choice(TITLE_KINDS)} of the {self.country} women, peace and security programme"
        )
        overall = (
            f"UN-Women welcomes the {title.split(' of ')[0].lower()} and accepts its findings. "
            + (
                f"The office will work {rng.choice(PARTNER_PHRASES)}. "
                if rng.random() < 0.5
                else ""
            )
            + "Implementation will be monitored through the annual work plan."
        )
        approval = rng.choices(("Approved", "Draft", "Submitted", None), (70, 12, 10, 8))[0]
        approval_lines = [f": {approval}"] if approval else []
        if layout == "chrome":
            return [
                "Home  Evaluations  Management Responses  Reports",
                f"Management Response  Units  {unit}  Country Office {self.country}",
                "",
                "Management Response",
                f": {unit}",
                f": {period} , {unit} ({office})",
                f": {title}",
                unit,
                ":",
                overall,
                *approval_lines,
            ]
        if layout == "compact":
            return [
                "Management Response",
                f": {unit}",
                f": {period} , {unit} ({office})",
                f": {title}",
                *approval_lines,
            ]
        return [
            "Management Response",
            "",
            f": {unit}",
            f": {period} , {unit} ({office})",
            f": {title}",
            ":",
            ":",
            "",
            unit,
            "",
            ":",
            "",
            overall,
            "",
            *approval_lines,
        ]

    # --- recommendations -----------------------------------------------------------------------

    def recommendation(self, number: int, layout: str) -> list[str]:
        rng = self.rng
        label = {
            "seed": f"Recommendation {number}: ",
            "compact": f"{number}. ",
            "chrome": "",
        }[layout]
        category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
        text = (
            f"UN-Women should {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)} "
            f"{rng.choice(PURPOSES)}"
            + (f", working {rng.choice(PARTNER_PHRASES)}" if rng.random() < 0.3 else "")
            + "."
        )
        prose = rng.choice(IMPLIED_CATEGORY) if not category else "UN-Women accepts this."
        prose += f" The office will {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)}."
        lines = [
            f"Recommendation: {label}{text}",
            f"Management Response: {prose}",
            "Description:",
            f"Management Response Category: {category}".rstrip(),
            f"Thematic Area: {rng.choice(self.vocab.thematic_areas)}",
            f"Operating Principles: {self.some(self.vocab.operating_principles, 3)}",
            f"Organizational Priorities: {self.some(self.vocab.organizational_priorities, 2)}",
            f"UNEG Criteria: {self.some(self.vocab.uneg_criteria, 2)}",
        ]
        if category in ("Rejected", "Not applicable") and rng.random() < 0.7:
            return [*lines, "Key Action not added."]
        n_actions = rng.choices((1, 2, 3, 4, 5), (20, 30, 25, 15, 10))[0]
        style = rng.choice(("n)", "n.", "r.n", ""))
        lines += ["Key Actions", "Responsible Deadline Status Comments"]
        lines += [self.action(number, m, style) for m in range(1, n_actions + 1)]
        return lines

    def some(self, values: Sequence[str], most: int) -> str:
        return ", ".join(self.rng.sample(values, self.rng.randint(1, most)))

    # --- key actions ---------------------------------------------------------------------------

    def action(self, rec: int, number: int, style: str) -> str:
        rng = self.rng
        label = {"n)": f"{number}) ", "n.": f"{number}. ", "r.n": f"{rec}.{number} ", "": ""}[style]
        if rng.random() < FOREIGN_SHARE:
            text = rng.choice(FOREIGN_ACTIONS).format(country=self.country)
        else:
            text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PURPOSES)}"
            if rng.random() < 0.25:
                text += f" {rng.choice(PARTNER_PHRASES)}"
        if rng.random() < RESOURCE_CONDITION_SHARE:
            text += rng.choice(RESOURCE_CONDITIONS)
        text += "."
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        year = (
            rng.randint(2018, 2023)
            if rng.random() < PAST_DEADLINE_SHARE
            else rng.randint(2026, 2031)
        )
        deadline = f"{year}/{rng.randint(1, 12):02d}"
        comment = f" {rng.choice(COMMENTS)}" if rng.random() < COMMENT_SHARE else ""
        return f"{label}{text} {self.parties()} {deadline} {status}{comment}"

    def parties(self) -> str:
        rng = self.rng
        count = rng.choices((1, 2, 3), (55, 35, 10))[0]
        names = []
        for _ in range(count):
            if rng.random() < 0.12:
                names.append(rng.choice(UNKNOWN_PARTIES))
            else:
                names.append(rng.choice(self.vocab.unit_names))
        joined = names[0]
        for name in names[1:]:
            joined += rng.choice(("; ", ", ", " and ", " with ", " in coordination with ")) + name
        return joined
