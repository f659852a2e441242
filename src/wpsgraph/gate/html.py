"""A GATE page saved from a browser as HTML -> the same lines as its text rendering.

Block elements and table rows start a new line, table cells are separated by a space; scripts,
styles, the document head, navigation and footer are dropped (site chrome, not content). Each
line keeps the number of the HTML source line its text starts on, so warnings and errors point
into the file the user has.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from wpsgraph.gate.lines import Line

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
_SKIPPED = frozenset({"script", "style", "head", "noscript", "template", "nav", "footer"})
_SPACES = re.compile(r"\s+")


def looks_like_html(text: str) -> bool:
    """Whether text is an HTML document (a doctype or <html> first) rather than page text."""
    return _HTML_START.match(text) is not None


def html_lines(text: str) -> list[Line]:
    """The visible text of an HTML page, one Line per block, numbered by its HTML source line."""
    parser = _TextCollector()
    parser.feed(text)
    parser.close()
    return parser.finished_lines()


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[tuple[int, list[str]]] = []
        self._current: list[str] = []
        self._current_line = 0
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping.append(tag)
        elif tag in _BLOCK:
            self._break()
        elif tag in _CELL:
            self._current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            if tag in self._skipping:
                del self._skipping[self._skipping.index(tag) :]
        elif tag in _BLOCK:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._break()

    def handle_data(self, data: str) -> None:
        if self._skipping or not data:
            return
        if not "".join(self._current).strip():
            self._current_line = self.getpos()[0]
        self._current.append(data)

    def _break(self) -> None:
        text = _SPACES.sub(" ", "".join(self._current)).strip()
        if text:
            self._lines.append((self._current_line, [text]))
        self._current = []

    def finished_lines(self) -> list[Line]:
        self._break()
        return [Line(number, text) for number, (text,) in self._lines]
