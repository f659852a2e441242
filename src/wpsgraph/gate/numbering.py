"""Numbers for recommendations and key actions: the printed one when every item has a distinct
one, else the position. Numbers end up in IRIs, so two items must never share one."""

from __future__ import annotations

from wpsgraph.model import ParseWarning

# A printed number: "1)", "1.", "1.1", "1.1." (a bare "1" is too often the start of the text).
PRINTED_NUMBER = r"\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)]"


def numbers_or_positions(
    printed: list[int | None], line: int, what: str
) -> tuple[list[int], list[ParseWarning]]:
    positions = list(range(1, len(printed) + 1))
    if not printed or all(n is None for n in printed):
        return positions, []
    known = [n for n in printed if n is not None]
    if len(known) == len(printed) and len(set(known)) == len(known) and min(known) >= 1:
        return known, []
    warning = ParseWarning(
        line,
        f"{what} numbers are missing or repeated ({_shown(printed)}); numbered by position",
    )
    return positions, [warning]


def _shown(printed: list[int | None]) -> str:
    return ", ".join("-" if n is None else str(n) for n in printed)
