"""Key action lines: "N) text  responsible parties  YYYY/MM  Status  [comments]", or the same
columns as a table: an HTML table read cell by cell, or a pipe table (whole rows on a line, or
cells on lines of their own, a cell running over several lines).

Reading happens in two steps, so that separating the responsible parties from the text can use
the whole page: read_actions finds each action's parts, build_actions makes the model from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wpsgraph.gate.conditions import resource_conditions
from wpsgraph.gate.footer import without_site_footer
from wpsgraph.gate.lines import Line, join_text
from wpsgraph.gate.numbering import PRINTED_NUMBER, numbers_or_positions
from wpsgraph.gate.parties import PageNames, Split, split_column, split_parties
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
class RawAction:
    """One key action's parts as printed, before its parties are told apart from its text."""

    line: int
    label: str  # printed numbering, "" when none
    before_deadline: str  # text and parties (or, from a table, the text cell alone)
    deadline: YearMonth
    status: str
    comments: str
    responsible: str | None = None  # the responsible cell of a table row


@dataclass(frozen=True)
class RawSection:
    """What one recommendation's "Key Actions" lines hold, read but not yet made into actions."""

    actions: list[RawAction]
    warnings: list[ParseWarning]
    no_actions_marker: bool  # "Key Action not added." was printed
    cut_at_end: bool  # lines at the end never reached a deadline and status

    @property
    def flattened(self) -> list[str]:
        """The text-and-parties of its actions printed as flat lines (not in a table)."""
        return [a.before_deadline for a in self.actions if a.responsible is None]


@dataclass(frozen=True)
class ActionSection:
    """What one recommendation's "Key Actions" lines hold."""

    actions: list[KeyAction]
    warnings: list[ParseWarning]
    no_actions_marker: bool
    cut_at_end: bool


def read_actions(lines: list[Line], *, at_end_of_page: bool, recommendation: int) -> RawSection:
    """The key actions of one recommendation, from the lines after its "Key Actions" heading.

    A line that never reaches its deadline and status is not an action anyone can read: it is
    left out with a warning naming it, never completed by guesswork. The site's footer after
    the last action is not part of it.
    """
    marker = any(_NO_ACTIONS.match(line.stripped) for line in lines)
    if any(line.cells for line in lines):
        raw, warnings, leftover = _table_actions(*_html_rows(lines), recommendation)
    elif any(line.stripped.startswith("|") for line in lines):
        raw, warnings, leftover = _table_actions(*_pipe_rows(lines), recommendation)
    else:
        raw, warnings, leftover = _text_actions(lines, recommendation)
    if leftover is not None:
        warnings.append(_incomplete(leftover, len(raw) + 1, at_end_of_page, recommendation))
    return RawSection(raw, warnings, marker, at_end_of_page and leftover is not None)


def build_actions(section: RawSection, register: Register, page: PageNames) -> ActionSection:
    """The model of a section's actions; page holds the names repeated across the page."""
    raw = section.actions
    numbers, warnings = numbers_or_positions(
        [_label_number(r.label) for r in raw], raw[0].line if raw else 0, "key action"
    )
    warnings += section.warnings
    actions = []
    for item, number in zip(raw, numbers, strict=True):
        action, action_warnings = _key_action(item, number, register, page)
        actions.append(action)
        warnings += action_warnings
    return ActionSection(actions, warnings, section.no_actions_marker, section.cut_at_end)


def _incomplete(line: Line, position: int, at_end: bool, recommendation: int) -> ParseWarning:
    shown = _shown(line)
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


def _shown(line: Line) -> str:
    return line.stripped if len(line.stripped) <= 60 else line.stripped[:57] + "..."


def _trailing(lines: list[Line], what: str) -> list[ParseWarning]:
    """Lines after the last key action, the site's footer already dropped: any text left gets
    a warning (it is not an action, and the page was not cut in it)."""
    kept = [line for line in lines if line.stripped]
    if not kept:
        return []
    return [
        ParseWarning(
            kept[0].number,
            f"text after the last key action is not {what} ('{_shown(kept[0])}'); not recorded",
        )
    ]


# --- the text layout --------------------------------------------------------------------------


def _text_actions(
    lines: list[Line], recommendation: int
) -> tuple[list[RawAction], list[ParseWarning], Line | None]:
    """One item per action. An action ends at its deadline and status; a line without them
    continues the action, unless a numbered line starts the next one first (then the earlier
    one is dropped with a warning). What never ends is returned as the leftover, unless it is
    the site's footer, or unnumbered text after actions that all print a number."""
    items: list[RawAction] = []
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
    leftover = without_site_footer(pending)
    numbered = bool(items) and all(item.label for item in items)
    if leftover and numbered and not _ACTION_LABEL.match(leftover[0].stripped):
        return items, warnings + _trailing(leftover, "a numbered key action"), None
    return items, warnings, leftover[0] if leftover else None


def _last_deadline(text: str) -> re.Match[str] | None:
    """The rightmost YYYY/MM followed by a status: the text before may hold other dates."""
    last = None
    for match in _DEADLINE_STATUS.finditer(text):
        last = match
    return last


def _text_action(lines: list[Line]) -> RawAction | None:
    """The action these lines hold, None while its deadline and status are still to come."""
    text = " ".join(line.stripped for line in lines)
    label_match = _ACTION_LABEL.match(text)
    body = text[label_match.end() :] if label_match else text
    deadline = _last_deadline(body)
    if deadline is None:
        return None
    return RawAction(
        line=lines[0].number,
        label=label_match["label"] if label_match else "",
        before_deadline=body[: deadline.start()],
        deadline=YearMonth(int(deadline["year"]), int(deadline["month"])),
        status=re.sub(r"\s+", " ", deadline["status"]),
        comments=body[deadline.end() :].strip(),
    )


# --- the table layouts ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    line: Line  # where the cell's text starts
    text: str  # its lines joined by "\n"


def _table_actions(
    rows: list[list[_Cell]], after: list[Line], recommendation: int
) -> tuple[list[RawAction], list[ParseWarning], Line | None]:
    """Rows of "text | responsible | deadline | status | comments" (HTML or pipe table, and the
    lines after it); a header row names the columns (the text column's header may be missing or
    empty), else they are taken in that order. Only the deadline and status cells give the
    deadline: a date in a comment never does.
    """
    columns, rows = _columns(rows)
    items: list[RawAction] = []
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
    trailing = _trailing(without_site_footer(after), "a row of the key actions table")
    return items, warnings + trailing, leftover


def _html_rows(lines: list[Line]) -> tuple[list[list[_Cell]], list[Line]]:
    """The rows of an HTML table, as the page holds them; and the lines after the table."""
    rows = [[_Cell(line, cell) for cell in line.cells] for line in lines if line.cells]
    last = max(i for i, line in enumerate(lines) if line.cells)
    return rows, lines[last + 1 :]


def _pipe_rows(lines: list[Line]) -> tuple[list[list[_Cell]], list[Line]]:
    """The rows of a pipe table, from the first line holding a '|' to the last; and the lines
    after it.

    Every '|' ends a cell and starts the next; a line without one continues the open cell. A
    row ends where a line ending in '|' is followed by one starting with '|' (the form
    "| a | b |"); where no line does (one cell per line, "| a"), the row width comes from the
    header (_columns).
    """
    piped = [i for i, line in enumerate(lines) if "|" in line.stripped]
    table = lines[piped[0] : piped[-1] + 1]
    rows: list[list[_Cell]] = []
    row: list[_Cell] = []
    cell: list[tuple[Line, str]] | None = None
    for index, line in enumerate(table):
        text = line.stripped
        if not text:
            continue
        for position, segment in enumerate(text.split("|")):
            if position:  # a '|' before this segment ends the open cell and opens the next
                if cell is not None:
                    row.append(_joined(cell, line))
                cell = []
            if segment.strip():
                cell = [] if cell is None else cell
                cell.append((line, segment.strip()))
        following = table[index + 1].stripped if index + 1 < len(table) else ""
        if text.endswith("|") and following.startswith("|"):
            rows.append(row)
            row, cell = [], None  # the '|' closed the row; the next opens a new one
    if cell:
        row.append(_joined(cell, table[-1]))
    rows.append(row)
    # The "| --- | --- |" under a header, on one line or a cell a line, is no cell.
    rows = [[c for c in row if not _PIPE_SEPARATOR.match(c.text)] for row in rows]
    return [row for row in rows if any(c.text for c in row)], lines[piped[-1] + 1 :]


def _joined(parts: list[tuple[Line, str]], at: Line) -> _Cell:
    return _Cell(parts[0][0] if parts else at, join_text([text for _, text in parts]))


def _column_name(text: str) -> str:
    lowered = " ".join(text.split()).lower()
    return _COLUMN_NAMES.get(lowered, lowered)


def _columns(rows: list[list[_Cell]]) -> tuple[list[str], list[list[_Cell]]]:
    """The column names and the data rows. The header is the leading cells that name columns
    (a whole row, or the first cells of one long row of one-per-line cells); GATE leaves the
    text column's header empty or out. A row longer than the header is several rows."""
    header: list[str] = []
    data: list[list[_Cell]] = []
    for cells in rows:
        if not data:
            names = [_column_name(c.text) for c in cells]
            count = next((i for i, n in enumerate(names) if n and n not in _COLUMNS), len(names))
            if any(names[:count]):
                header += names[:count]
                cells = cells[count:]
        if cells:
            data.append(cells)
    columns = header or list(_COLUMNS)
    if "key action" not in columns:
        if columns[0]:
            columns.insert(0, "key action")
        else:
            columns[0] = "key action"  # "| | Responsible | Deadline ..."
    width = len(columns)
    split = [cells[i : i + width] for cells in data for i in range(0, len(cells), width)]
    return columns, split


def _table_action(cells: list[_Cell], columns: list[str]) -> RawAction | None:
    """The action a table row holds; None when its deadline and status cells do not read."""
    value = {name: cells[i].text for i, name in enumerate(columns) if i < len(cells)}
    deadline = _DEADLINE_STATUS.fullmatch(f"{value.get('deadline', '')} {value.get('status', '')}")
    if deadline is None:
        return None
    text = value.get("key action", "").replace("\n", " ")
    label_match = _ACTION_LABEL.match(text)
    return RawAction(
        line=cells[0].line.number,
        label=label_match["label"] if label_match else "",
        before_deadline=text[label_match.end() :] if label_match else text,
        deadline=YearMonth(int(deadline["year"]), int(deadline["month"])),
        status=re.sub(r"\s+", " ", deadline["status"]),
        comments=value.get("comments", ""),
        responsible=value.get("responsible", "").replace("\n", " "),
    )


# --- from a raw action to the model -----------------------------------------------------------


def _label_number(label: str) -> int | None:
    """The action's own number: the last component of "2.1", "1)" or "1."."""
    digits = re.findall(r"\d+", label)
    return int(digits[-1]) if digits else None


def _key_action(
    item: RawAction, number: int, register: Register, page: PageNames
) -> tuple[KeyAction, list[ParseWarning]]:
    split: Split
    if item.responsible is None:
        split = split_parties(item.before_deadline, register, item.line, page)
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
        separation=split.separation,
        deadline=item.deadline,
        status=item.status,
        comments=item.comments,
        resource_conditions=resource_conditions(text),
        mentions=register.find_mentions(text),
        line=item.line,
    )
    return action, split.warnings
