"""The header under the "Management Response" heading: a run of ': value' lines.

GATE prints the values without their labels, so each is recognised by position and shape:
responding unit, "YYYY - YYYY , unit (CODE)", title, empty ':' lines, the unit again on a line
of its own, the overall response, and an approval status just before the first recommendation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wpsgraph.gate.layout import LABELLED_HEADER
from wpsgraph.gate.lines import Line, join_text

APPROVAL_STATUSES = ("Approved", "Draft", "Submitted")
_APPROVALS = {s.lower() for s in APPROVAL_STATUSES}

_PERIOD = re.compile(r"^(?P<start>\d{4})(?:\s*-\s*(?P<end>\d{4}))?\s*(?:,\s*(?P<rest>.*))?$")
_PARENTHESISED = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class Header:
    responding_unit: str = ""
    office_type: str = ""
    period_start: int | None = None
    period_end: int | None = None
    title: str = ""
    approval_status: str = ""
    overall_response: str = ""
    evaluation_type: str = ""  # only the older labelled layout prints it


@dataclass
class _Field:
    """One ': value' line and the non-colon lines that follow it."""

    line: int
    own: str
    continuation: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_text([self.own, *self.continuation])


@dataclass(frozen=True)
class _Period:
    start: int
    end: int
    unit: str
    office_type: str


def parse_header(lines: list[Line]) -> Header:
    fields = _colon_fields(lines)
    approval = _approval(fields)
    if approval:
        fields = fields[:-1]
    if not fields:
        return Header(approval_status=approval)

    period_at, period = _find_period(fields)
    unit = _responding_unit(fields, period_at, period)
    rest = fields[(period_at if period_at is not None else 0) + 1 :]
    title, overall = _title_and_overall(rest, unit)
    return Header(
        responding_unit=unit,
        office_type=period.office_type if period else "",
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        title=title,
        approval_status=approval,
        overall_response=overall,
    )


def _colon_fields(lines: list[Line]) -> list[_Field]:
    fields: list[_Field] = []
    for line in lines:
        text = line.stripped
        if text.startswith(":"):
            fields.append(_Field(line.number, text[1:].strip()))
        elif text and fields:
            fields[-1].continuation.append(text)
    return fields


def _approval(fields: list[_Field]) -> str:
    """The last ': X' line when X is an approval status (GATE prints it right before the
    recommendations); "" when there is none."""
    if not fields or fields[-1].continuation:
        return ""
    value = fields[-1].own
    return value if value.lower() in _APPROVALS else ""


def _find_period(fields: list[_Field]) -> tuple[int | None, _Period | None]:
    for i, f in enumerate(fields):
        if match := _PERIOD.match(f.own):
            return i, _period(match)
    return None, None


def _period(match: re.Match[str]) -> _Period:
    """ "2024 - 2025 , Unit name (HQ)": split on the first ' , '; the office type is the last
    parenthesised group, because unit names carry their own parentheses."""
    start = int(match["start"])
    end = int(match["end"]) if match["end"] else start
    rest = (match["rest"] or "").strip()
    groups = list(_PARENTHESISED.finditer(rest))
    if not groups:
        return _Period(start, end, rest, "")
    last = groups[-1]
    unit = (rest[: last.start()] + rest[last.end() :]).strip()
    return _Period(start, end, unit, last.group(1).strip())


def _responding_unit(fields: list[_Field], period_at: int | None, period: _Period | None) -> str:
    """The first ': unit' line, else the unit printed on the period line."""
    if period_at != 0 and fields[0].own:
        return fields[0].own
    return period.unit if period else ""


def _title_and_overall(rest: list[_Field], unit: str) -> tuple[str, str]:
    """Title and overall response from the fields after the period line.

    The unit repeated on a line of its own separates the two; without it, the first non-empty
    ': value' is the title and everything after it the overall response.
    """
    marker = _repeated_unit(rest, unit)
    if marker is not None:
        at, index = marker
        title = next((f.own for f in rest[: at + 1] if f.own), "")
        after = rest[at].continuation[index + 1 :]
        overall = join_text([*after, *(f.text for f in rest[at + 1 :])])
        return title, overall
    titled = next((i for i, f in enumerate(rest) if f.own), None)
    if titled is None:
        return "", join_text([f.text for f in rest])
    overall_parts = [*rest[titled].continuation, *(f.text for f in rest[titled + 1 :])]
    return rest[titled].own, join_text(overall_parts)


def _repeated_unit(rest: list[_Field], unit: str) -> tuple[int, int] | None:
    if not unit:
        return None
    for at, f in enumerate(rest):
        for index, text in enumerate(f.continuation):
            if text.lower() == unit.lower():
                return at, index
    return None


# --- the older labelled layout ----------------------------------------------------------------

_COMMISSIONING = "Commissioning Unit"
_PLAN = "Evaluation Plan"
_TITLE = "Evaluation Title"
_TYPE = "Evaluation Type"
_RESPONSIBLE = "Unit Responsible for Providing Management Response"
_OVERALL = "Overall Management Response"
OFFICE_TYPES = ("HQ", "EO", "RO", "MCO", "CO", "PP")


def parse_labelled_header(lines: list[Line]) -> Header:
    """The older header: "Commissioning Unit: ...", "Evaluation Plan: 2018 - 2021", "Evaluation
    Title: ...", "Evaluation Type: ...", "Unit Responsible for Providing Management Response: ...",
    "Overall Management Response: ..." (continued on the lines after it), and ': Approved'."""
    values: dict[str, list[str]] = {}
    approval = ""
    current: list[str] | None = None
    for line in lines:
        text = line.stripped
        if match := LABELLED_HEADER.match(line.text):
            current = values.setdefault(match["label"], [])
            current.append(match["value"])
        elif text.startswith(":") and text[1:].strip().lower() in _APPROVALS:
            approval = text[1:].strip()
            current = None
        elif current is not None:
            current.append(text)
    value = {label: join_text(parts) for label, parts in values.items()}
    plan = _PERIOD.match(value.get(_PLAN, "").replace("\n", " "))
    period = _period(plan) if plan else None
    unit, office_type = _unit_and_office_type(
        value.get(_RESPONSIBLE) or value.get(_COMMISSIONING, "")
    )
    return Header(
        responding_unit=unit or (period.unit if period else ""),
        office_type=(period.office_type if period and period.office_type else office_type),
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        title=value.get(_TITLE, "").replace("\n", " "),
        approval_status=approval,
        overall_response=value.get(_OVERALL, ""),
        evaluation_type=value.get(_TYPE, "").replace("\n", " "),
    )


def _unit_and_office_type(printed: str) -> tuple[str, str]:
    """ "Jordan Country Office (CO)" -> ("Jordan Country Office", "CO"); a last parenthesised
    group that is not an office code belongs to the name."""
    printed = printed.replace("\n", " ").strip()
    groups = list(_PARENTHESISED.finditer(printed))
    if groups and groups[-1].group(1).strip() in OFFICE_TYPES:
        last = groups[-1]
        return (printed[: last.start()] + printed[last.end() :]).strip(), last.group(1).strip()
    return printed, ""
