"""Key action lines: "N) text  responsible parties  YYYY/MM  Status  [comments]"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wpsgraph.errors import SourceError
from wpsgraph.gate.conditions import resource_conditions
from wpsgraph.gate.lines import Line
from wpsgraph.gate.numbering import numbers_or_positions
from wpsgraph.gate.parties import split_parties
from wpsgraph.model import KeyAction, ParseWarning, YearMonth
from wpsgraph.register import Register

ACTION_STATUSES = (
    "Completed",
    "Initiated",
    "Not Initiated",
    "No Longer Applicable",
    "Ongoing",
    "Over due",
    "Overdue",
    "Overdue-Initiated",
)


def _status_alternatives() -> str:
    # Longest first: "Not Initiated" must win over "Initiated", "Overdue-Initiated" over "Overdue".
    ordered = sorted(ACTION_STATUSES, key=len, reverse=True)
    return "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in ordered)


_DEADLINE_STATUS = re.compile(
    rf"(?<![\d/])(?P<year>\d{{4}})/(?P<month>0?[1-9]|1[0-2])\s+(?P<status>{_status_alternatives()})"
    r"(?![\w-])",
    re.IGNORECASE,
)
# "1)", "1.", "1.1", "1.1." (a bare "1" is too often the start of the text itself).
_ACTION_LABEL = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)])\s*")
_TABLE_HEADER = re.compile(r"^Responsible\s+Deadline\s+Status(?:\s+Comments)?$", re.IGNORECASE)
_NO_ACTIONS = re.compile(r"^Key\s+Actions?\s+not\s+added\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class _RawAction:
    line: int
    label: str  # printed numbering, "" when none
    body: str  # the whole action (its lines joined) without its numbering
    deadline: re.Match[str]  # the deadline and status in body


def parse_actions(
    lines: list[Line], register: Register, source: str
) -> tuple[list[KeyAction], list[ParseWarning]]:
    """The key actions of one recommendation, from the lines after its "Key Actions" heading."""
    raw = _raw_actions(lines, source)
    numbers, warnings = numbers_or_positions(
        [_label_number(r.label) for r in raw], raw[0].line if raw else 0, "key action"
    )
    actions = []
    for item, number in zip(raw, numbers, strict=True):
        action, action_warnings = _key_action(item, number, register)
        actions.append(action)
        warnings += action_warnings
    return actions, warnings


def _raw_actions(lines: list[Line], source: str) -> list[_RawAction]:
    """One item per action. An action ends at its deadline and status; a line without them
    continues the action, unless a numbered line starts the next one first."""
    items: list[_RawAction] = []
    pending: list[Line] = []
    for line in lines:
        text = line.stripped
        if not text or _TABLE_HEADER.match(text) or _NO_ACTIONS.match(text):
            continue
        if pending and _ACTION_LABEL.match(text):
            raise _no_deadline(source, pending[0].number, len(items) + 1)
        pending.append(line)
        item = _raw_action(pending)
        if item is not None:
            items.append(item)
            pending = []
    if pending:
        raise _no_deadline(source, pending[0].number, len(items) + 1)
    return items


def _no_deadline(source: str, line: int, position: int) -> SourceError:
    return SourceError(
        source,
        line,
        f"key action {position}: expected '... responsible units YYYY/MM Status' "
        f"(a deadline followed by one of: {', '.join(ACTION_STATUSES)})",
    )


def _last_deadline(text: str) -> re.Match[str] | None:
    """The rightmost YYYY/MM followed by a status: the text before may hold other dates."""
    last = None
    for match in _DEADLINE_STATUS.finditer(text):
        last = match
    return last


def _raw_action(lines: list[Line]) -> _RawAction | None:
    """The action these lines hold, None while its deadline and status are still to come."""
    text = " ".join(line.stripped for line in lines)
    label_match = _ACTION_LABEL.match(text)
    body = text[label_match.end() :] if label_match else text
    deadline = _last_deadline(body)
    if deadline is None:
        return None
    return _RawAction(lines[0].number, label_match["label"] if label_match else "", body, deadline)


def _label_number(label: str) -> int | None:
    """The action's own number: the last component of "2.1", "1)" or "1."."""
    digits = re.findall(r"\d+", label)
    return int(digits[-1]) if digits else None


def _key_action(
    item: _RawAction, number: int, register: Register
) -> tuple[KeyAction, list[ParseWarning]]:
    body, deadline = item.body, item.deadline
    split = split_parties(body[: deadline.start()], register, item.line)
    action = KeyAction(
        number=number,
        label=item.label,
        text=split.text,
        responsible_text=split.responsible_text,
        parties=split.parties,
        deadline=YearMonth(int(deadline["year"]), int(deadline["month"])),
        status=re.sub(r"\s+", " ", deadline["status"]),
        comments=body[deadline.end() :].strip(),
        resource_conditions=resource_conditions(split.text),
        mentions=register.find_mentions(split.text),
        line=item.line,
    )
    return action, split.warnings
