"""Splitting the responsible parties off the end of a key action's text.

GATE prints "action text  responsible parties" with no separator between the two, and party
names contain commas and "and" ("PPID/Peace, Security and Resilience Unit"), so a comma split
cannot work. Instead known names are peeled off the end using the register, chained by
separators (";", ",", "and", "with", "in coordination with" ...), and the chain is preferred
that starts right after a sentence boundary of the action text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from wpsgraph.model import ParseWarning, PartyRef, Role
from wpsgraph.register import Register

# A separator between two parties, read backwards from the start of the later one. The article
# belongs to the connective ("in coordination with the GEAP Secretariat"), not to the name.
_SEPARATOR_BEFORE = re.compile(
    r"(?:\s*[;,&/]\s*(?:and\s+)?"
    r"|\s+(?:in\s+coordination\s+with|in\s+collaboration\s+with|with\s+support\s+from"
    r"|supported\s+by|with|and)\s+)"
    r"(?:the\s+)?\Z",
    re.IGNORECASE,
)
# Parties named after one of these support the ones named before it.
_SUPPORTING_CONNECTIVE = re.compile(r"\bwith\b|\bsupported\s+by\b", re.IGNORECASE)
_ARTICLE_BEFORE = re.compile(r"\bthe\s+\Z", re.IGNORECASE)
# What an action text may end with before its parties: a full stop, a closing parenthesis ...
_SENTENCE_END_CHARS = ".!?:)\"'”’"
# ... and, searching backwards for the last one, only when a space follows (so not "women’s").
_SENTENCE_BOUNDARY = re.compile(r"[.!?:)\"'”’](?=\s)")
_WORD_BEFORE = re.compile(r"(\S+)\s+\Z")
_MAX_PARTIES = 12  # a guard on the backwards search, far above any printed column


@dataclass(frozen=True)
class Split:
    """A key action line before its deadline, divided into text and responsible parties."""

    text: str
    responsible_text: str  # the parties as printed, without a closing full stop
    parties: list[PartyRef]
    warnings: list[ParseWarning]


@dataclass(frozen=True)
class _Chain:
    """Parties found at the end of the line, left to right, with the separators between them."""

    spans: tuple[tuple[int, int], ...]
    separators: tuple[str, ...]  # len(spans) - 1

    @property
    def start(self) -> int:
        return self.spans[0][0]


def split_parties(before_deadline: str, register: Register, line: int) -> Split:
    """Divide "text parties" (everything before the deadline) into the action text and parties."""
    body = before_deadline.strip()
    # A full stop after the last party closes the column; it is not part of a name.
    end = len(body) - 1 if body.endswith(".") else len(body)
    chains = list(_chains_ending_at(body, end, register, depth=0))

    after_sentence = [c for c in chains if _ends_sentence(_text_before(body, c.start))]
    if after_sentence:
        return _split(body, end, _longest(after_sentence), register, [])

    # No known chain follows a sentence end: look at what follows the last one instead.
    boundary = _last_sentence_boundary(body[:end])
    if boundary is not None and not chains:
        return _unknown_party(body, end, boundary, line)
    tail = [c for c in chains if boundary is not None and c.start >= boundary]
    if boundary is not None and tail:
        known = _longest(tail)
        separator = _SEPARATOR_BEFORE.search(body, boundary, known.start)
        if separator is not None:
            return _unknown_then_known(body, end, boundary, known, separator, register, line)
        if _continues_a_name(body, known.start):  # "Jordan CO": CO ends an unknown name
            return _unknown_party(body, end, boundary, line)
    if chains:
        # Known names close the line but the text before them does not end a sentence: the
        # full stop is probably missing; the names are a safer split than an earlier boundary.
        known = _longest(chains)
        warning = ParseWarning(
            line,
            "no sentence boundary before the responsible parties; split before the known "
            f"names '{body[known.start : end]}'",
        )
        return _split(body, end, known, register, [warning])
    warning = ParseWarning(
        line, "cannot tell the responsible parties from the action text; none recorded"
    )
    return Split(body, "", [], [warning])


def split_column(column: str, register: Register, line: int) -> Split:
    """The parties of a responsible column printed on its own (a table cell): known names
    chained from its start, else the whole column as one party the register does not know."""
    body = column.strip()
    end = len(body) - 1 if body.endswith(".") else len(body)
    whole = [
        c
        for c in _chains_ending_at(body, end, register, depth=0)
        if not _text_before(body, c.start)
    ]
    if whole:
        return _split(body, end, _longest(whole), register, [])
    if not body[:end].strip():
        return Split(
            "", "", [], [ParseWarning(line, "no responsible party printed; none recorded")]
        )
    return _unknown_party(body, end, 0, line)


def _chains_ending_at(text: str, end: int, register: Register, depth: int) -> Iterator[_Chain]:
    """Every chain of known names, joined by separators, that ends exactly at end."""
    if depth >= _MAX_PARTIES:
        return
    for match in register.matches_ending_at(text, end):
        yield _Chain(((match.start, match.end),), ())
        separator = _SEPARATOR_BEFORE.search(text, 0, match.start)
        if separator is None or separator.start() == 0:
            continue
        for chain in _chains_ending_at(text, separator.start(), register, depth + 1):
            yield _Chain(
                (*chain.spans, (match.start, match.end)), (*chain.separators, separator.group(0))
            )


def _longest(chains: list[_Chain]) -> _Chain:
    """The chain starting furthest left; on a tie, the one with fewer, longer names."""
    return min(chains, key=lambda c: (c.start, len(c.spans)))


def _text_before(body: str, start: int) -> str:
    """The action text in front of a chain, without an article that opens the first name."""
    head = body[:start]
    article = _ARTICLE_BEFORE.search(head)
    return (head[: article.start()] if article else head).rstrip()


def _continues_a_name(body: str, start: int) -> bool:
    """Whether the word just before start is capitalised, so the known name ends a longer one;
    a lower-case word before it is prose whose full stop is missing."""
    before = _WORD_BEFORE.search(body, 0, start)
    return before is not None and before.group(1)[0].isupper()


def _ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in _SENTENCE_END_CHARS


def _last_sentence_boundary(text: str) -> int | None:
    """Index just after the last sentence boundary in text, None when there is none."""
    last = None
    for match in _SENTENCE_BOUNDARY.finditer(text):
        last = match.end()
    return last


def _split(
    body: str, end: int, chain: _Chain, register: Register, warnings: list[ParseWarning]
) -> Split:
    text_end = len(_text_before(body, chain.start))
    printed = [body[s:e] for s, e in chain.spans]
    slugs = [register.resolve(p) for p in printed]
    return Split(
        text=body[:text_end].strip(),
        responsible_text=body[text_end:end].strip(),
        parties=_party_refs(printed, slugs, chain.separators),
        warnings=warnings,
    )


def _unknown_party(body: str, end: int, boundary: int, line: int) -> Split:
    """Everything after the last sentence boundary, kept whole as one party the register does
    not know (a later curation adds it)."""
    unknown = body[boundary:end].strip()
    return Split(
        text=body[:boundary].strip(),
        responsible_text=unknown,
        parties=[PartyRef(unknown, (), Role.LEAD)],
        warnings=[_unknown_warning(unknown, line)],
    )


def _unknown_then_known(
    body: str,
    end: int,
    boundary: int,
    known: _Chain,
    separator: re.Match[str],
    register: Register,
    line: int,
) -> Split:
    """After the last sentence boundary: one unknown party, a separator, then known names."""
    unknown = body[boundary : separator.start()].strip()
    printed = [unknown] + [body[s:e] for s, e in known.spans]
    slugs = [(), *(register.resolve(p) for p in printed[1:])]
    return Split(
        text=body[:boundary].strip(),
        responsible_text=body[boundary:end].strip(),
        parties=_party_refs(printed, slugs, (separator.group(0), *known.separators)),
        warnings=[_unknown_warning(unknown, line)],
    )


def _unknown_warning(name: str, line: int) -> ParseWarning:
    return ParseWarning(line, f"responsible party '{name}' is not in the register; kept as text")


def _party_refs(
    printed: list[str], slugs: list[tuple[str, ...]], separators: tuple[str, ...]
) -> list[PartyRef]:
    """Parties before the first "with" lead; those after it support."""
    refs = []
    role = Role.LEAD
    for i, (name, resolved) in enumerate(zip(printed, slugs, strict=True)):
        if i > 0 and _SUPPORTING_CONNECTIVE.search(separators[i - 1]):
            role = Role.SUPPORTING
        refs.append(PartyRef(name.strip(), resolved, role))
    return refs
