"""The header under the "Management Response" heading: a run of ': value' lines.

GATE prints the values without their labels, so each is recognised by position and shape:
responding unit, "YYYY - YYYY , unit (CODE)", title, empty ':' lines, the unit again on a line
of its own, the overall response, and an approval status just before the first recommendation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wpsgraph.gate.lines import Line, join_text

APPROVAL_STATUSES = ("Approved", "Draft", "Submitted")

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
    return value if value.lower() in {s.lower() for s in APPROVAL_STATUSES} else ""


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
