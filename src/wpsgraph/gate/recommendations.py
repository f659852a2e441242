"""Recommendation blocks: "Recommendation: ...", labelled fields, then the "Key Actions" table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wpsgraph.gate.actions import ActionSection, build_actions, read_actions
from wpsgraph.gate.category import inferred_category
from wpsgraph.gate.lines import Line, join_text
from wpsgraph.gate.numbering import PRINTED_NUMBER, numbers_or_positions
from wpsgraph.gate.parties import PageNames
from wpsgraph.model import ParseWarning, Recommendation
from wpsgraph.register import Register

RECOMMENDATION = "Recommendation"
RESPONSE = "Management Response"
DESCRIPTION = "Description"
CATEGORY = "Management Response Category"
THEMATIC_AREA = "Thematic Area"
OPERATING_PRINCIPLES = "Operating Principles"
ORGANIZATIONAL_PRIORITIES = "Organizational Priorities"
UNEG_CRITERIA = "UNEG Criteria"
FIELD_LABELS = (
    RECOMMENDATION,
    RESPONSE,
    DESCRIPTION,
    CATEGORY,
    THEMATIC_AREA,
    OPERATING_PRINCIPLES,
    ORGANIZATIONAL_PRIORITIES,
    UNEG_CRITERIA,
)

# Longest label first: "Management Response Category:" must not be read as "Management Response:".
_FIELD = re.compile(
    r"^\s*(?P<label>"
    + "|".join(re.escape(label) for label in sorted(FIELD_LABELS, key=len, reverse=True))
    + r")\s*:\s?(?P<value>.*)$"
)
# "Key Actions" heads the table; "Key Action not added." stands in for an empty one.
_ACTIONS_START = re.compile(r"^\s*Key\s+Actions?\b", re.IGNORECASE)
_ACTIONS_HEADING = re.compile(r"^\s*Key\s+Actions\s*:?\s*$", re.IGNORECASE)

_WORDED_LABEL = r"(?:evaluation\s+)?recommendation\s*:?\s*(?P<worded>\d{1,3}(?:\.\d{1,3})*)\.?"
_BARE_LABEL = rf"(?P<bare>{PRINTED_NUMBER})"
_RECOMMENDATION_LABEL = re.compile(
    rf"^(?P<label>{_WORDED_LABEL}|{_BARE_LABEL})(?:\s*:)?(?:\s+|$)", re.IGNORECASE
)


@dataclass
class _Block:
    """One recommendation's lines, sorted into labelled fields and key action lines."""

    line: int
    last_line: int  # the last line with text
    fields: dict[str, list[str]] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    action_lines: list[Line] = field(default_factory=list)
    has_actions_section: bool = False

    def text(self, label: str) -> str:
        return join_text(self.fields.get(label, []))

    def values(self, label: str) -> list[str]:
        """A comma list ("Capacity development, Advocacy"), trimmed; "Not applicable" is kept."""
        joined = self.text(label).replace("\n", ",")
        return [v.strip() for v in joined.split(",") if v.strip()]


def parse_recommendations(
    blocks: list[list[Line]], register: Register
) -> tuple[list[Recommendation], list[ParseWarning]]:
    sorted_blocks = [_sort_lines(block) for block in blocks]
    labelled = [_split_label(b.text(RECOMMENDATION)) for b in sorted_blocks]
    numbers, warnings = numbers_or_positions(
        [number for _, number, _ in labelled], sorted_blocks[0].line, "recommendation"
    )
    raw_sections = [
        read_actions(
            block.action_lines, at_end_of_page=i == len(sorted_blocks) - 1, recommendation=number
        )
        for i, (block, number) in enumerate(zip(sorted_blocks, numbers, strict=True))
    ]
    # Names repeated at the end of several actions are evidence from the whole page.
    page = PageNames(tuple(body for raw in raw_sections for body in raw.flattened))
    recommendations = []
    for i, (block, (label, _, text), number, raw) in enumerate(
        zip(sorted_blocks, labelled, numbers, raw_sections, strict=True)
    ):
        is_last = i == len(sorted_blocks) - 1
        section = build_actions(raw, register, page)
        warnings += section.warnings
        response_text = block.text(RESPONSE)
        category = block.text(CATEGORY)
        truncated, truncation_warnings = _truncation(block, section, number, is_last)
        warnings += truncation_warnings
        if not text:
            warnings.append(
                ParseWarning(block.line, f"recommendation {number} has no text; recorded without")
            )
        if not response_text and not truncated:
            warnings.append(
                ParseWarning(
                    block.line,
                    f"recommendation {number} has no 'Management Response:' text; "
                    "recorded without one",
                )
            )
        inferred, category_warnings = _inference(block, category, response_text, number, truncated)
        warnings += category_warnings
        recommendations.append(
            Recommendation(
                number=number,
                label=label,
                text=text,
                response_text=response_text,
                description=block.text(DESCRIPTION),
                category=category,
                thematic_areas=block.values(THEMATIC_AREA),
                operating_principles=block.values(OPERATING_PRINCIPLES),
                organizational_priorities=block.values(ORGANIZATIONAL_PRIORITIES),
                uneg_criteria=block.values(UNEG_CRITERIA),
                actions=section.actions,
                mentions=register.find_mentions(text),
                response_mentions=register.find_mentions(response_text),
                line=block.line,
                inferred_category=inferred,
                truncated=truncated,
            )
        )
    return recommendations, warnings


def _truncation(
    block: _Block, section: ActionSection, number: int, is_last: bool
) -> tuple[bool, list[ParseWarning]]:
    """Whether the page ends inside this recommendation, and the warning that says so.

    Every complete recommendation reaches its "Key Actions" table (or "Key Action not added.");
    the last one stopping short of it, or of its first action, was cut off when the page was
    saved. What it holds is kept as read; its actions cut before their deadline were dropped.
    """
    if not is_last:
        if block.has_actions_section:
            return False, []
        return False, [
            ParseWarning(
                block.line,
                f"recommendation {number} has no 'Key Actions' section; no actions recorded",
            )
        ]
    if section.cut_at_end:
        return True, []  # read_actions has said which action was cut
    if not block.has_actions_section:
        why = "the page ends before its Key Actions; the fields read so far are kept"
    elif not section.actions and not section.no_actions_marker:
        why = "the page ends after its Key Actions heading, before any action"
    else:
        return False, []
    return True, [
        ParseWarning(
            block.last_line,
            f"recommendation {number} is truncated at line {block.last_line}: {why}",
        )
    ]


def _inference(
    block: _Block, category: str, response_text: str, number: int, truncated: bool
) -> tuple[str, list[ParseWarning]]:
    """The category read from the prose when none is printed, with the warning that says so."""
    if category:
        return "", []
    line = block.field_lines.get(CATEGORY, block.field_lines.get(RESPONSE, block.line))
    inferred = inferred_category(response_text)
    if inferred:
        return inferred, [
            ParseWarning(
                line,
                f"recommendation {number}: Management Response Category is empty; "
                f"'{inferred}' inferred from the response text, recorded as an inference",
            )
        ]
    if truncated and CATEGORY not in block.fields:
        return "", []  # the truncation warning already explains the missing field
    return "", [
        ParseWarning(
            line,
            f"recommendation {number}: Management Response Category is empty and the response "
            "does not say plainly whether it is accepted; no category recorded",
        )
    ]


def _sort_lines(lines: list[Line]) -> _Block:
    """Fields until "Key Actions", action lines after. A line that is not a known label continues
    the field before it (GATE wraps long values over several lines)."""
    last = max((line.number for line in lines if line.stripped), default=lines[0].number)
    block = _Block(lines[0].number, last)
    current: list[str] | None = None
    for line in lines:
        if block.has_actions_section:
            block.action_lines.append(line)
        elif _ACTIONS_START.match(line.text):
            block.has_actions_section = True
            if not _ACTIONS_HEADING.match(line.text):
                block.action_lines.append(line)
        elif match := _FIELD.match(line.text):
            current = block.fields.setdefault(match["label"], [])
            block.field_lines.setdefault(match["label"], line.number)
            current.append(match["value"])
        elif current is not None:
            current.append(line.text)
    return block


def _split_label(text: str) -> tuple[str, int | None, str]:
    """("Recommendation 1", 1, text) from "Recommendation 1: text"; ("", None, text) when no
    numbering is printed. A number such as "1.1" is kept in the label but not used."""
    match = _RECOMMENDATION_LABEL.match(text)
    if match is None:
        return "", None, text
    digits = match["worded"] or match["bare"]
    parts = re.findall(r"\d+", digits)
    number = int(parts[0]) if len(parts) == 1 else None
    return match["label"].strip(), number, text[match.end() :].strip()
