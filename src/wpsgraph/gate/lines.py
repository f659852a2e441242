"""A numbered line of the source, the unit every GATE parsing step works on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as an editor shows it
    text: str  # without the line end
    # The cells of an HTML table row, as the page holds them (text is the same cells joined by
    # spaces, what a browser's text rendering shows); None for any other line.
    cells: tuple[str, ...] | None = None

    @property
    def stripped(self) -> str:
        return self.text.strip()


def numbered_lines(text: str) -> list[Line]:
    return [Line(i, t) for i, t in enumerate(text.split("\n"), start=1)]


def join_text(parts: list[str]) -> str:
    """A multi-line value: its non-empty lines, trimmed, one per line."""
    return "\n".join(p.strip() for p in parts if p.strip())
