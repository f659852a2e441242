"""parse_management_response: a GATE management response page's text -> the model."""

from __future__ import annotations

from wpsgraph.gate.header import parse_header, parse_labelled_header
from wpsgraph.gate.html import html_lines, looks_like_html
from wpsgraph.gate.layout import find_layout
from wpsgraph.gate.lines import Line, numbered_lines
from wpsgraph.gate.recommendations import parse_recommendations
from wpsgraph.gate.repair import restore_lost_characters
from wpsgraph.gate.source import normalize_line_ends, require_content
from wpsgraph.model import ManagementResponse, ParseResult
from wpsgraph.register import Register


def parse_management_response(text: str, *, source: str, register: Register) -> ParseResult:
    """Read one page (its text, or the HTML a browser saved). source names the input in errors;
    register resolves parties and mentions.

    Raises SourceError when the text is not a management response; anything the parser had to
    assume is returned as warnings on the result.
    """
    text = normalize_line_ends(text.removeprefix("\ufeff"))
    require_content(text, source)
    lines, warnings = restore_lost_characters(page_lines(text))
    layout, layout_warnings = find_layout(lines, source)
    header = (
        parse_labelled_header(layout.header) if layout.labelled else parse_header(layout.header)
    )
    recommendations, rec_warnings = parse_recommendations(layout.recommendations, register)
    unit_slugs = register.resolve(header.responding_unit) if header.responding_unit else ()
    response = ManagementResponse(
        responding_unit=header.responding_unit,
        responding_unit_slug=unit_slugs[0] if len(unit_slugs) == 1 else None,
        office_type=header.office_type,
        period_start=header.period_start,
        period_end=header.period_end,
        title=header.title,
        approval_status=header.approval_status,
        overall_response=header.overall_response,
        overall_mentions=register.find_mentions(header.overall_response),
        recommendations=recommendations,
        line=layout.heading_line,
        evaluation_type=header.evaluation_type,
    )
    all_warnings = sorted([*warnings, *layout_warnings, *rec_warnings], key=lambda w: w.line)
    return ParseResult(response, all_warnings)


def page_lines(text: str) -> list[Line]:
    """The numbered lines of a page; an HTML page's visible text, numbered by its source lines."""
    return html_lines(text) if looks_like_html(text) else numbered_lines(text)
