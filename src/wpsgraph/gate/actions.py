"""Key action lines: "N) text  responsible parties  YYYY/MM  Status  [comments]", or the same
columns as a pipe table (one row per line, or one cell per line)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wpsgraph.gate.conditions import resource_conditions
from wpsgraph.gate.lines import Line
from wpsgraph.gate.numbering import PRINTED_NUMBER, numbers_or_positions
from wpsgraph.gate.parties import Split, split_column, split_parties
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
_ACTION_LABEL = re.compile(rf"^(?P<label>{PRINTED_NUMBER})\s*")
_TABLE_HEADER = re.compile(
    r"^(?:Key\s+Actions?\s+)?Responsible\s+Deadline\s+Status(?:\s+Comments)?$", re.IGNORECASE
)
_NO_ACTIONS = re.compile(r"^Key\s+Actions?\s+not\s+added\.?$", re.IGNORECASE)
_PIPE_SEPARATOR = re.compile(r"^:?-{2,}:?$")
_COLUMNS = ("key action", "responsible", "deadline", "status", "comments")
_COLUMN_NAMES = {"key actions": "key action", "action": "key action", "comment": "comments"}


@dataclass(frozen=True)
class _RawAction:
    line: int
    label: str  # printed numbering, "" when none
    before_deadline: str  # text and parties (or, from a table, the text cell alone)
    deadline: YearMonth
    status: str
    comments: str
    responsible: str | None = None  # the responsible cell of a table row


@dataclass(frozen=True)
class ActionSection:
    """What one recommendation's "Key Actions" lines hold."""

    actions: list[KeyAction]
    warnings: list[ParseWarning]
    no_actions_marker: bool  # "Key Action not added." was printed
    cut_at_end: bool  # lines at the end never reached a deadline and status


def parse_actions(
    lines: list[Line], register: Register, *, at_end_of_page: bool, recommendation: int
) -> ActionSection:
    """The key actions of one recommendation, from the lines after its "Key Actions" heading.

    A line that never reaches its deadline and status is not an action anyone can read: it is
    left out with a warning naming it, never completed by guesswork.
    """
    marker = any(_NO_ACTIONS.match(line.stripped) for line in lines)
    if any(line.stripped.startswith("|") for line in lines):
        raw, warnings, leftover = _table_actions(lines, recommendation)
    else:
        raw, warnings, leftover = _text_actions(lines, recommendation)
    if leftover is not None:
        warnings.append(_incomplete(leftover, len(raw) + 1, at_end_of_page, recommendation))
    numbers, number_warnings = numbers_or_positions(
        [_label_number(r.label) for r in raw], raw[0].line if raw else 0, "key action"
    )
    actions = []
    for item, number in zip(raw, numbers, strict=True):
        action, action_warnings = _key_action(item, number, register)
        actions.append(action)
        warnings += action_warnings
    return ActionSection(actions, number_warnings + warnings, marker, leftover is not None)


def _incomplete(line: Line, position: int, at_end: bool, recommendation: int) -> ParseWarning:
    shown = line.stripped if len(line.stripped) <= 60 else line.stripped[:57] + "..."
    if at_end:
        return ParseWarning(
            line.number,
            f"recommendation {recommendation} is truncated at line {line.number}: key action "
            f"{position} ends before its deadline and status ('{shown}'); not recorded",
        )
    return ParseWarning(
        line.number,
        f"key action {position} of recommendation {recommendation} has no 'YYYY/MM Status' "
        f"('{shown}'); not recorded",
    )


# --- the text layout --------------------------------------------------------------------------


def _text_actions(
    lines: list[Line], recommendation: int
) -> tuple[list[_RawAction], list[ParseWarning], Line | None]:
    """One item per action. An action ends at its deadline and status; a line without them
    continues the action, unless a numbered line starts the next one first (then the earlier
    one is dropped with a warning)."""
    items: list[_RawAction] = []
    warnings: list[ParseWarning] = []
    pending: list[Line] = []
    for line in lines:
        text = line.stripped
        if not text or _TABLE_HEADER.match(text) or _NO_ACTIONS.match(text):
            continue
        if pending and _ACTION_LABEL.match(text):
            warnings.append(_incomplete(pending[0], len(items) + 1, False, recommendation))
            pending = []
        pending.append(line)
        item = _text_action(pending)
        if item is not None:
            items.append(item)
            pending = []
    return items, warnings, pending[0] if pending else None


def _last_deadline(text: str) -> re.Match[str] | None:
    """The rightmost YYYY/MM followed by a status: the text before may hold other dates."""
    last = None
    for match in _DEADLINE_STATUS.finditer(text):
        last = match
    return last


def _text_action(lines: list[Line]) -> _RawAction | None:
    """The action these lines hold, None while its deadline and status are still to come."""
    text = " ".join(line.stripped for line in lines)
    label_match = _ACTION_LABEL.match(text)
    body = text[label_match.end() :] if label_match else text
    deadline = _last_deadline(body)
    if deadline is None:
        return None
    return _RawAction(
        line=lines[0].number,
        label=label_match["label"] if label_match else "",
        before_deadline=body[: deadline.start()],
        deadline=YearMonth(int(deadline["year"]), int(deadline["month"])),
        status=re.sub(r"\s+", " ", deadline["status"]),
        comments=body[deadline.end() :].strip(),
    )


# --- the pipe-table layout --------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    line: Line
    text: str


def _table_actions(
    lines: list[Line], recommendation: int
) -> tuple[list[_RawAction], list[ParseWarning], Line | None]:
    """Rows of "| text | responsible | deadline | status | comments |", whole rows on one line or
    one cell per line; a header row names the columns, else they are taken in that order."""
    rows, header = _table_rows(lines)
    columns = header or list(_COLUMNS)
    items: list[_RawAction] = []
    warnings: list[ParseWarning] = []
    leftover = None
    for cells in rows:
        item = _table_action(cells, columns)
        if item is not None:
            items.append(item)
        elif cells is rows[-1]:
            leftover = cells[0].line
        else:
            warnings.append(_incomplete(cells[0].line, len(items) + 1, False, recommendation))
    return items, warnings, leftover


def _table_rows(lines: list[Line]) -> tuple[list[list[_Cell]], list[str]]:
    header: list[str] = []
    rows: list[list[_Cell]] = []
    loose: list[_Cell] = []  # cells printed one per line, grouped once the width is known
    for line in lines:
        text = line.stripped
        if not text.startswith("|"):
            continue
        cells = [c.strip() for c in text.strip("|").split("|")]
        if all(_PIPE_SEPARATOR.match(c) for c in cells if c):
            continue
        names = [_COLUMN_NAMES.get(c.lower(), c.lower()) for c in cells]
        if all(n in _COLUMNS for n in names):
            header += names
            continue
        if len(cells) > 1:
            rows.append([_Cell(line, c) for c in cells])
        else:
            loose.append(_Cell(line, cells[0]))
    width = len(header) or len(_COLUMNS)
    rows += [loose[i : i + width] for i in range(0, len(loose), width)]
    rows.sort(key=lambda r: r[0].line.number)
    return rows, header


def _table_action(cells: list[_Cell], columns: list[str]) -> _RawAction | None:
    """The action a table row holds; None when its deadline and status cells do not read."""
    value = {name: cells[i].text for i, name in enumerate(columns) if i < len(cells)}
    deadline = _DEADLINE_STATUS.fullmatch(f"{value.get('deadline', '')} {value.get('status', '')}")
    if deadline is None:
        return None
    text = value.get("key action", "")
    label_match = _ACTION_LABEL.match(text)
    return _RawAction(
        line=cells[0].line.number,
        label=label_match["label"] if label_match else "",
        before_deadline=text[label_match.end() :] if label_match else text,
        deadline=YearMonth(int(deadline["year"]), int(deadline["month"])),
        status=re.sub(r"\s+", " ", deadline["status"]),
        comments=value.get("comments", ""),
        responsible=value.get("responsible", ""),
    )


# --- from a raw action to the model -----------------------------------------------------------


def _label_number(label: str) -> int | None:
    """The action's own number: the last component of "2.1", "1)" or "1."."""
    digits = re.findall(r"\d+", label)
    return int(digits[-1]) if digits else None


def _key_action(
    item: _RawAction, number: int, register: Register
) -> tuple[KeyAction, list[ParseWarning]]:
    split: Split
    if item.responsible is None:
        split = split_parties(item.before_deadline, register, item.line)
        text = split.text
    else:
        split = split_column(item.responsible, register, item.line)
        text = item.before_deadline.strip()
    action = KeyAction(
        number=number,
        label=item.label,
        text=text,
        responsible_text=split.responsible_text,
        parties=split.parties,
        deadline=item.deadline,
        status=item.status,
        comments=item.comments,
        resource_conditions=resource_conditions(text),
        mentions=register.find_mentions(text),
        line=item.line,
    )
    return action, split.warnings
