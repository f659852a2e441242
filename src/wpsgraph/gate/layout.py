"""Where things are on a GATE page: the "Management Response" heading, the header lines under it,
and one block of lines per "Recommendation:". Page chrome before the heading is ignored."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wpsgraph.errors import SourceError
from wpsgraph.gate.lines import Line
from wpsgraph.model import ParseWarning

NOT_A_RESPONSE = (
    "not a GATE management response: expected a 'Management Response' heading "
    "followed by ': ' header lines"
)
NO_RECOMMENDATIONS = "no recommendations found: expected lines starting with 'Recommendation:'"

_HEADING = "management response"
_RECOMMENDATION_START = re.compile(r"^\s*Recommendation\s*:")


# The older layout labels its header fields instead of printing bare ': value' lines.
LABELLED_HEADER = re.compile(
    r"^\s*(?P<label>Commissioning Unit|Evaluation Plan|Evaluation Title|Evaluation Type"
    r"|Unit Responsible for Providing Management Response|Overall Management Response)\s*:"
    r"\s?(?P<value>.*)$"
)


@dataclass(frozen=True)
class Layout:
    heading_line: int  # the heading, or the first recommendation when the heading is missing
    header: list[Line]  # between the heading and the first recommendation
    recommendations: list[list[Line]]  # each block starts with its "Recommendation:" line
    labelled: bool = False  # the header is the older "Label: value" layout


def find_layout(lines: list[Line], source: str) -> tuple[Layout, list[ParseWarning]]:
    """Split a page into header and recommendation blocks, or say why it is not a response."""
    heading = _heading_index(lines)
    if heading is None:
        labelled = _first_labelled_header(lines)
        if labelled is not None:
            return _labelled_layout(lines, labelled, source)
    elif _is_labelled(lines, heading + 1):
        return _labelled_layout(lines, heading, source)
    body_start = heading + 1 if heading is not None else 0
    starts = _recommendation_starts(lines, body_start)
    if heading is None and not starts:
        raise SourceError(source, _where_heading_was_expected(lines), NOT_A_RESPONSE)
    if not starts:
        raise SourceError(source, _after_last_content(lines), NO_RECOMMENDATIONS)

    blocks = _blocks(lines, starts)
    if heading is None:
        warning = ParseWarning(
            lines[starts[0]].number,
            "no 'Management Response' heading followed by ': ' header lines; "
            "the header fields are left empty",
        )
        return Layout(lines[starts[0]].number, [], blocks), [warning]
    return Layout(lines[heading].number, lines[heading + 1 : starts[0]], blocks), []


def _heading_index(lines: list[Line]) -> int | None:
    """The first "Management Response" line whose next non-blank line is a header line
    (': value', or a labelled field of the older layout).

    Navigation menus print the same words; the header lines after it tell the heading apart.
    """
    for i, line in enumerate(lines):
        if line.stripped.lower() == _HEADING:
            following = _next_non_blank(lines, i + 1)
            if following is not None and (
                lines[following].stripped.startswith(":")
                or LABELLED_HEADER.match(lines[following].text)
            ):
                return i
    return None


def _is_labelled(lines: list[Line], start: int) -> bool:
    following = _next_non_blank(lines, start)
    return following is not None and LABELLED_HEADER.match(lines[following].text) is not None


def _first_labelled_header(lines: list[Line]) -> int | None:
    """Where an older-layout header starts when no heading precedes it."""
    for i, line in enumerate(lines):
        if _is_recommendation_start(line):
            return None
        if LABELLED_HEADER.match(line.text):
            return i
    return None


def _labelled_layout(
    lines: list[Line], start: int, source: str
) -> tuple[Layout, list[ParseWarning]]:
    """The older layout: labelled header fields from start, then the recommendations."""
    starts = _recommendation_starts(lines, start)
    if not starts:
        raise SourceError(source, _after_last_content(lines), NO_RECOMMENDATIONS)
    blocks = _blocks(lines, starts)
    return Layout(lines[start].number, lines[start : starts[0]], blocks, labelled=True), []


def _is_recommendation_start(line: Line) -> bool:
    return _RECOMMENDATION_START.match(line.text) is not None


def _recommendation_starts(lines: list[Line], start: int) -> list[int]:
    """Indexes of the "Recommendation:" lines from start on."""
    return [i for i in range(start, len(lines)) if _is_recommendation_start(lines[i])]


def _blocks(lines: list[Line], starts: list[int]) -> list[list[Line]]:
    """One block per start, each running to the next start (the last to the end of the page)."""
    return [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def _next_non_blank(lines: list[Line], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if lines[i].stripped), None)


def _where_heading_was_expected(lines: list[Line]) -> int:
    """The line after a bare "Management Response" heading, else the first line with text."""
    for i, line in enumerate(lines):
        if line.stripped.lower() == _HEADING:
            following = _next_non_blank(lines, i + 1)
            return lines[following].number if following is not None else line.number + 1
    first = _next_non_blank(lines, 0)
    return lines[first].number if first is not None else 1


def _after_last_content(lines: list[Line]) -> int:
    """Where the first recommendation was expected: just after the last line with text."""
    last = max((line.number for line in lines if line.stripped), default=0)
    return last + 1
