"""Plain dataclasses for what a management response says. No RDF here: emit.py maps them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    """How a party takes part in a key action."""

    LEAD = "lead"  # named before any "with" / "in coordination with"
    SUPPORTING = "supporting"  # named after "with" / "in coordination with"


class Separation(StrEnum):
    """Which rule told a key action's responsible parties apart from its text: the notations of
    the party-separation scheme (ontology/schemes/party-separation.ttl), tried in this order."""

    TABLE_CELL = "table-cell"  # the page prints them in their own cell (HTML or pipe table)
    REGISTER = "register-name"  # names the register knows end the action line
    REPEATED = "repeated-on-page"  # the same words end several key actions of the page
    SHAPE = "name-shape"  # role and team words, acronyms, a capitalised run after prose
    NOT_SEPARATED = "not-separated"  # none of the above: the whole line is the action text


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser had to assume; kept as data on the result, never printed here."""

    line: int
    message: str


@dataclass(frozen=True)
class YearMonth:
    """A deadline as printed (YYYY/MM)."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class PartyRef:
    """A responsible party as printed, and the register entries it names (none when unknown)."""

    printed: str
    slugs: tuple[str, ...]  # two for "Regional and Country Offices"; () when not in the register
    role: Role


@dataclass
class KeyAction:
    number: int  # printed number, else position within its recommendation (1-based)
    label: str  # printed label such as "1)"; "" when none was printed
    text: str
    responsible_text: str  # the responsible column exactly as printed
    parties: list[PartyRef]
    separation: Separation  # the rule that separated every party of this action from its text
    deadline: YearMonth
    status: str  # printed status, e.g. "Not Initiated"
    comments: str
    resource_conditions: list[str]  # phrases as printed, e.g. "subject to availability of funds"
    mentions: list[str]  # register slugs of partners / products named in the text
    line: int


@dataclass
class Recommendation:
    number: int  # printed number, else position (1-based)
    label: str  # printed label such as "Recommendation 1"; "" when none
    text: str
    response_text: str
    description: str
    category: str  # printed, e.g. "Accepted"; "" when empty
    thematic_areas: list[str]
    operating_principles: list[str]
    organizational_priorities: list[str]
    uneg_criteria: list[str]
    actions: list[KeyAction]
    mentions: list[str]  # register slugs named in the recommendation text
    response_mentions: list[str]  # register slugs named in the management response text
    line: int
    # When category is empty and the response prose clearly says it ("Accepted.", "Agreed."),
    # the category read from the prose: an inference, kept apart from the stated category.
    inferred_category: str = ""
    # The page ends inside this recommendation: what was read is kept, nothing is made up.
    truncated: bool = False


@dataclass
class ManagementResponse:
    responding_unit: str  # as printed
    responding_unit_slug: str | None  # register slug, None when unknown
    office_type: str  # printed code, e.g. "HQ"; "" when absent
    period_start: int | None
    period_end: int | None
    title: str
    approval_status: str  # printed, e.g. "Approved"; "" when absent
    overall_response: str
    overall_mentions: list[str]
    recommendations: list[Recommendation]
    line: int  # line of the "Management Response" heading
    # "Evaluation Type:" of the older labelled layout (e.g. "Programme"); "" when not printed.
    evaluation_type: str = ""


@dataclass
class ParseResult:
    response: ManagementResponse
    warnings: list[ParseWarning] = field(default_factory=list)


class DateSource(StrEnum):
    """What the observed date of a source version comes from, most trusted first. The values are
    the notations of the observed-date-source scheme (ontology/schemes/)."""

    STATED = "stated"  # wpsgraph load --observed
    ARCHIVE_CAPTURE = "archive-capture"  # a web archive's capture time written in its copy
    SAVE_DATE = "save-date"  # the save time a save tool wrote into the page
    FILE_NAME = "file-name"  # gate-11818_2025-06-30.txt
    LOAD_TIME = "load-time"  # no evidence: when the page was loaded


@dataclass(frozen=True)
class Observed:
    """When a version of a source was observed: the day, the moment when the evidence gives one
    (timezone-aware), and what says so."""

    day: date
    moment: datetime | None
    source: DateSource

    def order(self) -> tuple[date, float]:
        """Versions sort by day, then by moment; a day-only observation counts as the day's
        start."""
        return (self.day, self.moment.timestamp() if self.moment else float("-inf"))


@dataclass(frozen=True)
class SourceInfo:
    """Where a management response came from; identifies the evaluation and the source version."""

    org_id: str  # register slug of the publishing organisation, e.g. "unwomen"
    evaluation_id: str  # the publisher's identifier, e.g. GATE evaluationId "11818"
    file_name: str
    sha256: str
    url: str | None = None
    observed: Observed | None = None  # None only when the caller emits no history
