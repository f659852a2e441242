"""A GATE page saved from a browser as HTML -> the same lines as its text rendering.

Block elements and table rows start a new line. A table row keeps its cells apart (Line.cells), so
the key actions table is read cell by cell, never joined and split again; its text is the cells
joined by a space, what a browser's text rendering shows. Scripts, styles, the document head,
navigation and footer are dropped (site chrome, not content). Each line keeps the number of the
HTML source line its text starts on, so warnings and errors point into the file the user has.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from wpsgraph.gate.lines import Line, join_text

_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html\b)", re.I | re.S
)
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "label",
        "li",
        "main",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_CELL = frozenset({"td", "th"})
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th"})
_SKIPPED = frozenset({"script", "style", "head", "noscript", "template", "nav", "footer"})
_SPACES = re.compile(r"[^\S\n]+")
_WHITESPACE = re.compile(r"\s+")


def looks_like_html(text: str) -> bool:
    """Whether text is an HTML document (a doctype or <html> first) rather than page text."""
    return _HTML_START.match(text) is not None


def html_lines(text: str) -> list[Line]:
    """The visible text of an HTML page, one Line per block or table row, numbered by its HTML
    source line; a table row's Line keeps its cells."""
    parser = _TextCollector()
    parser.feed(text)
    parser.close()
    return parser.finished_lines()


def _clean(text: str) -> str:
    """Single spaces; the line breaks a cell's own blocks made are kept, blank ones dropped."""
    return join_text([_SPACES.sub(" ", part) for part in text.split("\n")])


class _TextCollector(HTMLParser):
    """Blocks become lines. A table row becomes one line whose cells are kept apart: a cell's
    own blocks (<br>, <p> ...) break lines inside the cell, never the row; a table nested in a
    cell is read as that cell's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[Line] = []
        self._current: list[str] = []
        self._current_line = 0
        self._skipping: list[str] = []
        self._row: list[str] | None = None  # finished cells of the open table row
        self._cell: list[str] | None = None  # text of the open cell
        self._row_line = 0
        self._nested = 0  # tables open inside the current cell

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping.append(tag)
        elif self._cell is not None and (self._nested or tag == "table" or tag not in _TABLE_PARTS):
            self._nested += tag == "table"
            if tag in _BLOCK or tag in _CELL:
                self._cell.append("\n")
        elif tag == "tr":
            self._end_row()
            self._break()
            self._row = []
        elif tag in _CELL:
            self._end_cell()
            if self._row is None:  # a cell outside any row: a row of its own
                self._break()
                self._row = []
            self._cell = []
        elif tag in _BLOCK:
            self._end_row()
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            if tag in self._skipping:
                del self._skipping[self._skipping.index(tag) :]
        elif self._cell is not None and (self._nested or tag not in _TABLE_PARTS):
            self._nested -= self._nested > 0 and tag == "table"
            if tag in _BLOCK or tag in _CELL:
                self._cell.append("\n")
        elif tag in _CELL:
            self._end_cell()
        elif tag in _TABLE_PARTS:
            self._end_row()
        elif tag in _BLOCK:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._cell is not None:
            if tag in _BLOCK:
                self._cell.append("\n")
        elif tag in _BLOCK:
            self._end_row()
            self._break()

    def handle_data(self, data: str) -> None:
        if self._skipping or not data:
            return
        if self._row is not None:
            if self._cell is None:
                if not data.strip():
                    return  # the layout between a row's cells
                self._cell = []
            if data.strip() and not self._row_line:
                self._row_line = self.getpos()[0]
            self._cell.append(data)
            return
        if not "".join(self._current).strip():
            self._current_line = self.getpos()[0]
        self._current.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append(_clean("".join(self._cell)))
        self._cell = None
        self._nested = 0

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None and any(self._row):
            cells = tuple(self._row)
            text = " ".join(c.replace("\n", " ") for c in cells if c)
            self._lines.append(Line(self._row_line, text, cells))
        self._row = None
        self._row_line = 0

    def _break(self) -> None:
        text = _WHITESPACE.sub(" ", "".join(self._current)).strip()  # a block is one line
        if text:
            self._lines.append(Line(self._current_line, text))
        self._current = []

    def finished_lines(self) -> list[Line]:
        self._end_row()
        self._break()
        return self._lines
