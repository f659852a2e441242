"""Recommendation blocks: "Recommendation: ...", labelled fields, then the "Key Actions" table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wpsgraph.gate.actions import parse_actions
from wpsgraph.gate.lines import Line, join_text
from wpsgraph.gate.numbering import numbers_or_positions
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
_BARE_LABEL = r"(?P<bare>\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)])"
_RECOMMENDATION_LABEL = re.compile(
    rf"^(?P<label>{_WORDED_LABEL}|{_BARE_LABEL})(?:\s*:)?(?:\s+|$)", re.IGNORECASE
)


@dataclass
class _Block:
    """One recommendation's lines, sorted into labelled fields and key action lines."""

    line: int
    fields: dict[str, list[str]] = field(default_factory=dict)
    action_lines: list[Line] = field(default_factory=list)

    def text(self, label: str) -> str:
        return join_text(self.fields.get(label, []))

    def values(self, label: str) -> list[str]:
        """A comma list ("Capacity development, Advocacy"), trimmed; "Not applicable" is kept."""
        joined = self.text(label).replace("\n", ",")
        return [v.strip() for v in joined.split(",") if v.strip()]


def parse_recommendations(
    blocks: list[list[Line]], register: Register, source: str
) -> tuple[list[Recommendation], list[ParseWarning]]:
    sorted_blocks = [_sort_lines(block) for block in blocks]
    labelled = [_split_label(b.text(RECOMMENDATION)) for b in sorted_blocks]
    numbers, warnings = numbers_or_positions(
        [number for _, number, _ in labelled], sorted_blocks[0].line, "recommendation"
    )
    recommendations = []
    for block, (label, _, text), number in zip(sorted_blocks, labelled, numbers, strict=True):
        actions, action_warnings = parse_actions(block.action_lines, register, source)
        warnings += action_warnings
        response_text = block.text(RESPONSE)
        recommendations.append(
            Recommendation(
                number=number,
                label=label,
                text=text,
                response_text=response_text,
                description=block.text(DESCRIPTION),
                category=block.text(CATEGORY),
                thematic_areas=block.values(THEMATIC_AREA),
                operating_principles=block.values(OPERATING_PRINCIPLES),
                organizational_priorities=block.values(ORGANIZATIONAL_PRIORITIES),
                uneg_criteria=block.values(UNEG_CRITERIA),
                actions=actions,
                mentions=register.find_mentions(text),
                response_mentions=register.find_mentions(response_text),
                line=block.line,
            )
        )
    return recommendations, warnings


def _sort_lines(lines: list[Line]) -> _Block:
    """Fields until "Key Actions", action lines after. A line that is not a known label continues
    the field before it (GATE wraps long values over several lines)."""
    block = _Block(lines[0].number)
    current: list[str] | None = None
    in_actions = False
    for line in lines:
        if in_actions:
            block.action_lines.append(line)
        elif _ACTIONS_START.match(line.text):
            in_actions = True
            if not _ACTIONS_HEADING.match(line.text):
                block.action_lines.append(line)
        elif match := _FIELD.match(line.text):
            current = block.fields.setdefault(match["label"], [])
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
