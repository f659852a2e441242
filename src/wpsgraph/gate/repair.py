"""Repairs for damage older GATE records carry, each reported as a warning."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from wpsgraph.gate.lines import Line
from wpsgraph.model import ParseWarning


@dataclass(frozen=True)
class _Repair:
    """One kind of '?' an old re-encoding left for a character it could not write."""

    pattern: re.Pattern[str]  # matches the '?' alone
    character: str
    reading: str  # what the warning says the '?' was read as, and why


_REPAIRS = (
    # Curly quotes: "UN-Women?s". A '?' between two letters is never a real question mark.
    _Repair(
        re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])"),
        "'",
        "between letters read as an apostrophe (a curly quote lost to an old encoding)",
    ),
    # Dashes: "data work ? what is next", "2018?2021". A question mark is not spaced off both
    # from the word before it and from lower-case prose after it (French spaces it off, but a
    # capital starts the next sentence), nor printed between two digits.
    _Repair(
        re.compile(r"(?<=[\w)\"'’] )\?(?= [a-zà-ÿ0-9(])|(?<=\d)\?(?=\d)"),
        "–",
        "between spaces or digits read as a dash (a dash lost to an old encoding)",
    ),
)


def restore_lost_characters(lines: list[Line]) -> tuple[list[Line], list[ParseWarning]]:
    """Lines with each '?' that stands for a lost curly quote or dash read as what it was, and
    one warning per kind of repair that says so and where it was first made."""
    counts = [0] * len(_REPAIRS)
    firsts = [0] * len(_REPAIRS)
    repaired: list[Line] = []
    for line in lines:
        if "?" in line.text:
            line = _repaired_line(line, counts, firsts)
        repaired.append(line)
    return repaired, [
        ParseWarning(first, f"{count} '?' {repair.reading}, first at line {first}")
        for repair, count, first in zip(_REPAIRS, counts, firsts, strict=True)
        if count
    ]


def _repaired_line(line: Line, counts: list[int], firsts: list[int]) -> Line:
    text = line.text
    cells = line.cells
    for index, repair in enumerate(_REPAIRS):
        text, n = repair.pattern.subn(repair.character, text)
        if cells is not None:
            cells = tuple(repair.pattern.sub(repair.character, cell) for cell in cells)
        if n:
            counts[index] += n
            firsts[index] = firsts[index] or line.number
    return replace(line, text=text, cells=cells)
