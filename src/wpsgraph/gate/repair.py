"""Repairs for damage older GATE records carry, each reported as a warning."""

from __future__ import annotations

import re

from wpsgraph.gate.lines import Line
from wpsgraph.model import ParseWarning

# Older records lost their curly quotes to '?' in a bad re-encoding: "UN-Women?s". A '?' between
# two letters is never a real question mark, so it is read as the apostrophe it was.
_QUOTE_LOST = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")


def restore_apostrophes(lines: list[Line]) -> tuple[list[Line], list[ParseWarning]]:
    """Lines with each '?' between letters read as an apostrophe, and one warning that says so."""
    repaired: list[Line] = []
    count = 0
    first = 0
    for line in lines:
        if "?" not in line.text:
            repaired.append(line)
            continue
        text, n = _QUOTE_LOST.subn("'", line.text)
        if n:
            count += n
            first = first or line.number
            line = Line(line.number, text)
        repaired.append(line)
    if not count:
        return repaired, []
    return repaired, [
        ParseWarning(
            first,
            f"{count} '?' between letters read as an apostrophe (a curly quote lost to an old "
            f"encoding), first at line {first}",
        )
    ]
