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
from dataclasses import dataclass, replace
from datetime import date
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

# Versions (synth --versions): how a page changes between two observations.
VERSION_MONTHS = 6  # between two versions of a page
LAST_VERSION_DAY = date(2025, 6, 30)  # the last versions are observed in the year before
# The statuses an action passed through before the one its last version shows, in order.
EARLIER_STATUSES = {
    "Not Initiated": (),
    "Initiated": ("Not Initiated",),
    "Ongoing": ("Not Initiated", "Initiated"),
    "Completed": ("Not Initiated", "Initiated"),
    "Over due": ("Not Initiated", "Initiated"),
    "Overdue-Initiated": ("Not Initiated", "Initiated"),
    "No Longer Applicable": ("Not Initiated", "Initiated"),
}
STATUS_STEP_SHARE = 0.5  # an action moves one status on between two versions
SLIP_SHARE = 0.2  # an action's deadline is moved later once
SLIP_MONTHS = (3, 6, 12, 18)
LATE_COMMENT_SHARE = 0.5  # a comment appears in a later version only
ADDED_SHARE = 0.05  # a recommendation's last action is added in a later version
DROPPED_SHARE = 0.04  # a recommendation had one more action, dropped in a later version


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


def write_corpus(count: int, directory: Path, seed: int = 0, versions: int = 1) -> list[Path]:
    """Write count responses into directory, each as one page named gate-<id>.txt, or as
    versions dated pages named gate-<id>_<YYYY-MM-DD>.txt (the last is the one-version page);
    returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary()
    paths = []
    for index in range(count):
        evaluation_id = FIRST_ID + index
        if versions == 1:
            dated = [(None, page(evaluation_id, seed, vocab))]
        else:
            dated = [
                (day, text) for day, text in page_versions(evaluation_id, versions, seed, vocab)
            ]
        for day, text in dated:
            path = directory / (f"gate-{evaluation_id}" + (f"_{day}" if day else "") + ".txt")
            path.write_text(text, encoding="utf-8")
            paths.append(path)
    return paths


def page(evaluation_id: int, seed: int = 0, vocab: Vocabulary | None = None) -> str:
    """One management response page. Each page has its own random stream, so page i does not
    depend on how many pages come before it."""
    return _Page(_page_rng(evaluation_id, seed), vocab or vocabulary()).render()


def page_versions(
    evaluation_id: int, count: int, seed: int = 0, vocab: Vocabulary | None = None
) -> list[tuple[date, str]]:
    """count dated versions of one page, oldest first, the last being page(evaluation_id, seed):
    statuses advance (Not Initiated -> Initiated -> Completed, or No Longer Applicable), some
    deadlines slip, comments appear, now and then an action is added or dropped. The progress has
    a random stream of its own, so the last version does not depend on count."""
    page_ = _Page(_page_rng(evaluation_id, seed), vocab or vocabulary())
    parts = page_.parts()
    rng = random.Random(f"{seed}:{evaluation_id}:versions")
    histories = _Progress(rng, page_, count).histories(parts)
    days = _version_days(rng, count)
    return [
        (
            days[k],
            "\n".join(line for part in parts for line in _rendered(part, histories, k)) + "\n",
        )
        for k in range(count)
    ]


def _page_rng(evaluation_id: int, seed: int) -> random.Random:
    return random.Random(f"{seed}:{evaluation_id}")


def _rendered(part: str | _Action, histories: dict[int, list[list[_Action]]], k: int) -> list[str]:
    """A page part as version k prints it: a line, or the actions printed in an action's place
    (none before it was added; a neighbour dropped later after it)."""
    if isinstance(part, str):
        return [part]
    return [str(action) for action in histories[id(part)][k]]


def _version_days(rng: random.Random, count: int) -> list[date]:
    """Observed days VERSION_MONTHS apart, the last one in the year before LAST_VERSION_DAY."""
    last = LAST_VERSION_DAY.year * 12 + LAST_VERSION_DAY.month - 1 - rng.randint(0, 11)
    months = [last - VERSION_MONTHS * (count - 1 - k) for k in range(count)]
    return [date(m // 12, m % 12 + 1, rng.randint(1, 28)) for m in months]


class _Page:
    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self.rng = rng
        self.vocab = vocab
        self.country = rng.choice(COUNTRIES)

    def render(self) -> str:
        return "\n".join(str(part) for part in self.parts()) + "\n"

    def parts(self) -> list[str | _Action]:
        """The page's lines, each key action as an _Action (its line is str(action))."""
        rng = self.rng
        layout = rng.choices(LAYOUTS, LAYOUT_WEIGHTS)[0]
        n_recs = max(1, min(9, round(rng.gauss(5, 1.6))))
        recs = [self.recommendation(n, layout) for n in range(1, n_recs + 1)]
        return [*self.header(layout), *(part for rec in recs for part in rec)]

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

    def recommendation(self, number: int, layout: str) -> list[str | _Action]:
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
        lines: list[str | _Action] = [
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

    def action(self, rec: int, number: int, style: str) -> _Action:
        rng = self.rng
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
        month = rng.randint(1, 12)
        comment = rng.choice(COMMENTS) if rng.random() < COMMENT_SHARE else ""
        return _Action(
            rec, number, style, text, self.parties(), year * 12 + month - 1, status, comment
        )

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


@dataclass(frozen=True)
class _Action:
    """One key action line of a page."""

    rec: int
    number: int
    style: str  # the numbering: "n)", "n.", "r.n" or ""
    text: str
    parties: str
    deadline: int  # months: year * 12 + month - 1
    status: str
    comment: str

    def __str__(self) -> str:
        label = {
            "n)": f"{self.number}) ",
            "n.": f"{self.number}. ",
            "r.n": f"{self.rec}.{self.number} ",
            "": "",
        }[self.style]
        year, month = divmod(self.deadline, 12)
        comment = f" {self.comment}" if self.comment else ""
        return f"{label}{self.text} {self.parties} {year}/{month + 1:02d} {self.status}{comment}"


class _Progress:
    """How each action of a page stood in each of count versions (the last as the page has it)."""

    def __init__(self, rng: random.Random, page: _Page, count: int) -> None:
        self.rng = rng
        self.page = page
        self.count = count

    def histories(self, parts: list[str | _Action]) -> dict[int, list[list[_Action]]]:
        """Key: id() of each action of parts; value: per version, the actions printed in its
        place (none before it was added; a dropped neighbour after it)."""
        actions = [part for part in parts if isinstance(part, _Action)]
        out = {id(a): [[state] for state in self.states(a)] for a in actions}
        last_of: dict[int, _Action] = {a.rec: a for a in actions}
        for rec, last in last_of.items():
            if self.count < 2 or sum(a.rec == rec for a in actions) < 2:
                continue
            change = self.rng.randint(1, self.count - 1)  # the first version with the change
            roll = self.rng.random()
            if roll < ADDED_SHARE:
                for k in range(change):
                    out[id(last)][k] = []
            elif roll < ADDED_SHARE + DROPPED_SHARE:
                dropped = self.page.action(rec, last.number + 1, last.style)
                states = self.states(replace(dropped, status="Initiated", comment=""))
                for k in range(change):
                    out[id(last)][k].append(states[k])
        return out

    def states(self, action: _Action) -> list[_Action]:
        """The action in each version, oldest first: statuses advance towards the last one, the
        deadline may have been moved later once, a comment may appear late."""
        rng, last = self.rng, self.count - 1
        ladder = (*EARLIER_STATUSES.get(action.status, ()), action.status)
        steps = [len(ladder) - 1] * self.count
        for k in range(last - 1, -1, -1):
            steps[k] = max(0, steps[k + 1] - (rng.random() < STATUS_STEP_SHARE))
        slipped_at = rng.randint(1, last) if last and rng.random() < SLIP_SHARE else 0
        slip = rng.choice(SLIP_MONTHS)
        commented_from = (
            rng.randint(1, last)
            if last and action.comment and rng.random() < LATE_COMMENT_SHARE
            else 0
        )
        return [
            replace(
                action,
                status=ladder[steps[k]],
                deadline=action.deadline - (slip if k < slipped_at else 0),
                comment=action.comment if k >= commented_from else "",
            )
            for k in range(self.count)
        ]
