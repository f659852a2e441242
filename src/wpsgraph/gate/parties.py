"""Telling a key action's responsible parties apart from its text, and naming each party.

GATE prints "action text  responsible parties" with no separator between the two; party names
contain commas and "and" ("PPID/Peace, Security and Resilience Unit"), and most responsible
columns name a role or team no register will ever hold ("Gender Specialist", "Oficial de
seguimiento", "Gestion du projet ONU Femmes"). The column is found with evidence from the page
itself, by the first of these rules that applies (model.Separation, recorded on the action):

1. table-cell: the page prints the column in its own cell (split_column).
2. register-name: names the register knows end the line, after a sentence end or after
   lower-case prose.
3. repeated-on-page: the same words end several key actions of the page (an office names the
   same team on every line), where the actions differ before them (PageNames).
4. name-shape: the line ends with words shaped like names: capitalised words and acronyms after
   lower-case prose or a full stop, role and team words (Officer, Especialista, Chargée, team,
   gestion ...) with what completes them, joined by separators.
5. not-separated: none applies; the whole line stays the action text and no party is guessed.

Within the column, names the register knows are read whole; the rest is divided at separators
(";", ",", "and", "y", "et", "with", "en coordinación con" ...) where a complete name ends and
another begins. Parties named after "with" (and its es/fr forms) support the ones before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from itertools import combinations
from typing import NamedTuple

from wpsgraph.model import ParseWarning, PartyRef, Role, Separation
from wpsgraph.register import Register

# --- words ----------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Connectives: parties named after one of these support the ones named before it.
_CONNECTIVES = (
    "in coordination with",
    "in collaboration with",
    "in partnership with",
    "with support from",
    "with the support of",
    "supported by",
    "with",
    "en coordinación con",
    "en colaboración con",
    "con el apoyo de",
    "con apoyo de",
    "apoyado por",
    "apoyada por",
    "con",
    "en coordination avec",
    "en collaboration avec",
    "avec l'appui de",
    "avec le soutien de",
    "appuyé par",
    "appuyée par",
    "avec",
)
_LIST_WORDS = ("and", "y", "et", "&")
# An article after a separator belongs to it ("in coordination with the GEAP Secretariat").
_ARTICLES = ("the", "la", "el", "los", "las", "le", "les")
# Role and team words: a name holding one is a party, and may go on in lower case after it
# ("Programme team and operations", "Oficial de seguimiento", "Gestion du projet ONU Femmes").
_ROLE_WORDS = _words("""
    officer officers specialist specialists representative representatives coordinator
    coordinators adviser advisers advisor advisors analyst analysts associate associates
    assistant assistants manager managers director directors head heads chief focal
    consultant consultants expert experts secretariat unit units section sections team teams
    office offices division divisions department departments branch desk cluster personnel
    staff management
    oficial oficiales especialista especialistas representante representantes coordinador
    coordinadora coordinadores coordinación asesor asesora asesores analista analistas asociado
    asociada asistente asistentes gerente gerencia directora jefe jefa consultor consultora
    experto experta secretaría unidad unidades sección equipo equipos oficina oficinas división
    departamento personal gestión dirección área
    chargé chargée chargés chargées spécialiste spécialistes représentant représentante
    coordonnateur coordonnatrice coordinateur coordinatrice conseiller conseillère analyste
    associé associée assistante gestionnaire directeur directrice chef responsable consultante
    experte secrétariat unité unités équipe équipes bureau bureaux département gestion direction
    cellule service
    """)
# Role words that start a name in Spanish and French (and "Head of ..."): such a name may follow
# a capitalised word of the text ("... del Equipo de Programa Oficial de seguimiento").
_ROLE_HEADS = _words("""
    head chief oficial oficiales especialista especialistas coordinador coordinadora asesor
    asesora representante jefe jefa unidad equipo oficina sección dirección gestión área
    chargé chargée chargés chargées spécialiste coordonnateur coordonnatrice coordinateur
    coordinatrice conseiller conseillère représentant représentante chef responsable unité
    équipe bureau direction gestion cellule secrétariat secretaría
    """)
# Small words that may stand inside a name ("Head of Programme", "Gestion du projet").
_CONNECTORS = _words(
    "of the and for & de del la las el los y du des d' l' le les et pour para à au aux en in on"
)
# Words after which a capitalised run is the object of the prose, not a party ("with DPPA",
# "to the Security Council", "en la Oficina").
_LINK_WORDS = _words("""
    the a an of with and or to by for in on at from through including among between via into
    towards under as
    el la los las un una de del con y o al en para por entre sobre hacia como incluyendo
    le les l' une du des d' avec et ou à au aux pour par dans sur vers comme
    """)
# Small words a shared ending of the page may start with before its name (_trimmed_tail).
_SMALL_WORDS = _LINK_WORDS | _CONNECTORS
_SENTENCE_END_CHARS = ".!?:)\"'”’"
_MAX_NAME_WORDS = 8  # a name longer than this is prose
_MAX_COLUMN_TOKENS = 32  # the name-shape rule looks no further back than this (words and , ; /)
_MAX_LOWER_AFTER_ROLE = 2  # "Oficial de monitoreo y evaluación": lower-case words after a role
_MAX_PARTIES = 12  # a guard on the backwards search, far above any printed column
_SEPARATOR_REACH = 64  # characters: the longest separator ("with the support of the") and spaces

_TOKEN = re.compile(r"[,;/]|[^\s,;/]+")
_EDGE_PUNCTUATION = "()[]\"'“”‘’«»"


def _phrase_pattern(phrases: Sequence[str]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


# A separator between two parties, read backwards from the start of the later one.
_SEPARATOR_BEFORE = re.compile(
    rf"(?:\s*[;,&/]\s*(?:(?:{_phrase_pattern(_LIST_WORDS)})\s+)?"
    rf"|\s+(?:{_phrase_pattern(_CONNECTIVES + _LIST_WORDS)})\s+)"
    rf"(?:(?:{_phrase_pattern(_ARTICLES)})\s+)?\Z",
    re.IGNORECASE,
)
_SUPPORTING_CONNECTIVE = re.compile(
    rf"(?<!\w)(?:{_phrase_pattern(_CONNECTIVES)})(?!\w)", re.IGNORECASE
)
_ARTICLE_BEFORE = re.compile(rf"(?<!\w)(?:{_phrase_pattern(_ARTICLES)})\s+\Z", re.IGNORECASE)


def _by_first_word(phrases: Sequence[str]) -> dict[str, list[tuple[str, ...]]]:
    """Each phrase as words, longest first, under its first word."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        index.setdefault(phrase.split()[0], []).append(tuple(phrase.split()))
    return index


_CONNECTIVE_WORDS = _by_first_word(_CONNECTIVES)


@dataclass(frozen=True)
class Split:
    """A key action line before its deadline, divided into text and responsible parties."""

    text: str
    responsible_text: str  # the parties as printed, without a closing full stop
    parties: list[PartyRef]
    separation: Separation
    warnings: list[ParseWarning]


# --- tokens ---------------------------------------------------------------------------------


class _Token(NamedTuple):  # a tuple, its tests worked out once: lines are cut into many
    text: str
    start: int
    end: int
    core: str  # the word without the brackets and quotes around it
    lower: str  # core in lower case
    is_name_start: bool  # a capitalised word or an acronym ("Gender", "M&E", "ONU", "COs")
    is_role: bool  # a role or team word

    @property
    def is_punctuation(self) -> bool:
        return self.text in (",", ";", "/")

    @property
    def is_number(self) -> bool:
        """A number inside a name ("Team 2"); a name never starts with one."""
        return self.core[:1].isdigit()

    @property
    def is_acronym(self) -> bool:
        letters = [ch for ch in self.core.removesuffix("s") if ch.isalpha()]
        return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _ends_sentence(text: str) -> bool:
    """Whether text (a word, or the text before a column) ends where a sentence may."""
    return bool(text) and text[-1] in _SENTENCE_END_CHARS


def _token(text: str, start: int = 0, end: int = 0) -> _Token:
    core = text.strip(_EDGE_PUNCTUATION)
    lower = core.lower()
    first_letter = next((ch for ch in core if ch.isalpha()), "")
    return _Token(text, start, end, core, lower, first_letter.isupper(), lower in _ROLE_WORDS)


def _tokens(text: str) -> list[_Token]:
    return [_token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class _Separator:
    size: int  # tokens
    supporting: bool  # "with", "en coordinación con" ...
    strong: bool  # ";" or a connective: a new party follows whenever a name starts after it


def _separator_at(tokens: list[_Token], k: int, n: int) -> _Separator | None:
    """The separator that starts at token k (of the first n), with an article after it."""
    size, supporting, strong = 0, False, False
    if tokens[k].is_punctuation:
        size, strong = 1, tokens[k].text == ";"
        if k + 1 < n and tokens[k + 1].lower in _LIST_WORDS:
            size = 2
    elif tokens[k].lower in _LIST_WORDS:
        size = 1
    else:
        for words in _CONNECTIVE_WORDS.get(tokens[k].lower, ()):
            if k + len(words) <= n and tuple(t.lower for t in tokens[k : k + len(words)]) == words:
                size, supporting, strong = len(words), True, True
                break
    if not size:
        return None
    if k + size < n and tokens[k + size].lower in _ARTICLES:
        size += 1
    return _Separator(size, supporting, strong)


# --- reading a responsible column -----------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    start: int  # character offsets in the text
    end: int


@dataclass
class _Column:
    """A responsible column read as names and the separators between them."""

    names: list[_Name] = field(default_factory=list)
    separators: list[_Separator] = field(default_factory=list)


class _Reader:
    """Reads names from a list of tokens of one text; known names come from the register."""

    def __init__(self, text: str, tokens: list[_Token], register: Register) -> None:
        self.text = text
        self.tokens = tokens
        self.register = register
        self._ends = {t.end: i for i, t in enumerate(tokens)}

    def column(self, i: int, n: int) -> _Column | None:
        """tokens[i:n] read as names joined by separators; None when they are not shaped so."""
        column = _Column()
        while i < n:
            name, i = self._name(i, n)
            if name is None:
                return None
            column.names.append(name)
            if i == n:
                return column
            separator = _separator_at(self.tokens, i, n)
            if separator is None or i + separator.size >= n:
                return None
            column.separators.append(separator)
            i += separator.size
        return None

    def _name(self, i: int, n: int) -> tuple[_Name | None, int]:
        known = self._known(i, n)
        if known is None and self.tokens[i].lower in _ARTICLES and i + 1 < n:
            known = self._known(i + 1, n)  # "the GEAP Secretariat": the article is not the name
        if known is not None:
            return known
        end = self._unknown_end(i, n)
        if end is None:
            return None, i
        return _Name(self.tokens[i].start, self.tokens[end - 1].end), end

    def _known(self, i: int, n: int) -> tuple[_Name, int] | None:
        """The longest register name starting at token i that ends where a separator or the
        column does."""
        for match in self.register.matches_starting_at(self.text, self.tokens[i].start):
            j = self._ends.get(match.end)
            if j is None or j >= n:
                continue
            if j + 1 == n or _separator_at(self.tokens, j + 1, n) is not None:
                return _Name(match.start, match.end), j + 1
        return None

    def _unknown_end(self, i: int, n: int) -> int | None:
        """Where a name the register does not know, starting at token i, ends: at a separator
        followed by another name, or at the end. None when the words are not a name's."""
        tokens = self.tokens
        if not tokens[i].is_name_start:
            return None
        role_seen = tokens[i].is_role
        words, lower_after_role, k = 1, 0, i + 1
        while k < n:
            separator = _separator_at(tokens, k, n)
            if separator is not None:
                after = k + separator.size
                if after < n and self._starts_party(i, k, after, n, separator):
                    return k
                k = after  # "Peace, Security and Resilience Team": part of the name
                continue
            token = tokens[k]
            if token.is_role:
                role_seen = True
            elif not (token.is_name_start or token.is_number or token.lower in _CONNECTORS):
                if not role_seen or lower_after_role == _MAX_LOWER_AFTER_ROLE:
                    return None
                lower_after_role += 1
            words += 1
            if words > _MAX_NAME_WORDS:
                return None
            k += 1
        last = tokens[n - 1]
        if last.is_punctuation or last.lower in _CONNECTORS:
            return None
        return n

    def _starts_party(self, i: int, k: int, after: int, n: int, separator: _Separator) -> bool:
        """Whether the separator at token k ends the name begun at i: a known name follows it,
        or a name starts after a connective or ';', or after a list separator once the name
        so far is complete (an acronym, or a name holding a role word)."""
        if self._known(after, n) is not None:
            return True
        if not self.tokens[after].is_name_start:
            return False
        if separator.strong:
            return True
        so_far = [t for t in self.tokens[i:k] if not t.is_punctuation]
        return (len(so_far) == 1 and so_far[0].is_acronym) or any(t.is_role for t in so_far)


def _parties(
    text: str, column: _Column, register: Register, line: int
) -> tuple[list[PartyRef], list[ParseWarning]]:
    """The parties a column names, leads before the first connective, supporters after it."""
    parties, warnings = [], []
    role = Role.LEAD
    for index, name in enumerate(column.names):
        if index and column.separators[index - 1].supporting:
            role = Role.SUPPORTING
        printed = text[name.start : name.end].strip()
        slugs = register.resolve(printed)
        if not slugs:
            warnings.append(_unknown_warning(printed, line))
        parties.append(PartyRef(printed, slugs, role))
    return parties, warnings


def _unknown_warning(name: str, line: int) -> ParseWarning:
    return ParseWarning(line, f"responsible party '{name}' is not in the register; kept as text")


def _whole(start: int, end: int) -> _Column:
    """A column kept whole as one name: a cell or a repeated tail that reads as no list."""
    return _Column([_Name(start, end)], [])


# --- rule 1: a table cell ---------------------------------------------------------------------


def split_column(column: str, register: Register, line: int) -> Split:
    """The parties of a responsible column printed in its own table cell: names read as in any
    column, or the whole cell as one party the register does not know."""
    body = column.strip()
    end = len(_without_full_stop(body))
    if not body[:end].strip():
        return Split(
            "",
            "",
            [],
            Separation.NOT_SEPARATED,
            [ParseWarning(line, "no responsible party printed; none recorded")],
        )
    tokens = _tokens(body[:end])
    read = _Reader(body, tokens, register).column(0, len(tokens)) or _whole(0, end)
    parties, warnings = _parties(body, read, register, line)
    return Split("", body[:end].strip(), parties, Separation.TABLE_CELL, warnings)


# --- rules 2 to 5: a flattened line ---------------------------------------------------------


@dataclass(frozen=True)
class _Tail:
    words: tuple[str, ...]
    support: int  # how many key actions of the page end with these words
    after_prose: bool  # at least one of them follows lower-case prose or a full stop


@dataclass(frozen=True)
class PageNames:
    """Words that end several key actions of one page: the page's own evidence of a name.
    Worked out on first use, since most pages never need it."""

    bodies: tuple[str, ...] = ()  # each action's text before its deadline

    @cached_property
    def tails(self) -> tuple[_Tail, ...]:
        lines = [tuple(_TOKEN.findall(_without_full_stop(b))) for b in self.bodies]
        shared = {
            common
            for first, second in combinations(lines, 2)
            if 0 < len(common := _common_suffix(first, second)) < min(len(first), len(second))
        }
        tails = []
        for words in sorted(tail for tail in map(_trimmed_tail, shared) if tail):
            size = len(words)
            before = [_token(line[-size - 1]) for line in lines if _ends_with(line, words)]
            after_prose = any(_context_after(word) is _Context.PROSE for word in before)
            tails.append(_Tail(words, len(before), after_prose))
        return tuple(tails)

    def start(self, tokens: list[_Token]) -> int | None:
        """Token index where a repeated tail begins the column of this line, None when none
        does: the best supported (then the longest) tail the line ends with, if what precedes
        it here is prose, or a capitalised word where the tail follows prose elsewhere."""
        line = tuple(t.text for t in tokens)
        best: tuple[int, int] | None = None
        for tail in self.tails:
            size = len(tail.words)
            if not _ends_with(line, tail.words):
                continue
            context = _context_before(tokens, len(tokens) - size)
            if context is _Context.PROSE or (context is _Context.NAME and tail.after_prose):
                key = (tail.support, size)
                if best is None or key > best:
                    best = key
        return None if best is None else len(tokens) - best[1]


NO_PAGE_NAMES = PageNames()


def _ends_with(line: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether the line ends with words and holds something before them."""
    return len(line) > len(words) and line[-len(words) :] == words


def _without_full_stop(body: str) -> str:
    body = body.strip()
    return body[:-1] if body.endswith(".") else body


def _common_suffix(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    size = 0
    while size < min(len(first), len(second)) and first[-size - 1] == second[-size - 1]:
        size += 1
    return first[len(first) - size :]


def _trimmed_tail(common: tuple[str, ...]) -> tuple[str, ...]:
    """The part of a shared ending that can be a responsible column: after its last sentence
    end, without leading separators and small words; () when it holds no name."""
    words = list(common)
    for i in range(len(words) - 1, -1, -1):
        if _ends_sentence(words[i]):
            words = words[i + 1 :]
            break
    tokens = _tokens(" ".join(words))
    while tokens and (tokens[0].is_punctuation or tokens[0].lower in _SMALL_WORDS):
        tokens = tokens[1:]
    if not tokens or sum(not t.is_punctuation for t in tokens) > _MAX_NAME_WORDS:
        return ()
    if not (tokens[0].is_name_start or any(t.is_role for t in tokens)):
        return ()
    return tuple(t.text for t in tokens)


class _Context(Enum):
    """What precedes a possible column start."""

    PROSE = "lower-case prose, or a sentence end"
    NAME = "a capitalised word: the column may start earlier"
    BOUND = "a separator, a small word or a number: what follows belongs to the prose"


def _context_before(tokens: list[_Token], i: int) -> _Context:
    return _context_after(tokens[i - 1])


def _context_after(previous: _Token) -> _Context:
    """What a word says about a name that would start right after it."""
    if _ends_sentence(previous.text):
        return _Context.PROSE
    if previous.is_punctuation or previous.lower in _LINK_WORDS:
        return _Context.BOUND
    if previous.is_name_start:
        return _Context.NAME
    if previous.core[:1].islower():
        return _Context.PROSE
    return _Context.BOUND  # a number, a date: not where a name is printed


def split_parties(
    before_deadline: str, register: Register, line: int, page: PageNames = NO_PAGE_NAMES
) -> Split:
    """Divide "text parties" (everything before the deadline) into the action text and parties,
    by the first rule that applies (see the module docstring)."""
    body = before_deadline.strip()
    # A full stop after the last party closes the column; it is not part of a name.
    end = len(_without_full_stop(body))
    chains = list(_chains_ending_at(body, end, register, depth=0))

    after_sentence = [c for c in chains if _ends_sentence(_text_before(body, c.start))]
    if after_sentence:
        return _register_split(body, end, _longest(after_sentence), register, line, [])
    tokens = _tokens(body[:end])
    starts = {t.start: i for i, t in enumerate(tokens)}
    after_prose = [
        c
        for c in chains
        if starts.get(c.start, 0) > 0 and _context_before(tokens, starts[c.start]) is _Context.PROSE
    ]
    if after_prose:
        known = _longest(after_prose)
        warning = ParseWarning(
            line,
            "no sentence boundary before the responsible parties; split before the known "
            f"names '{body[known.start : end]}'",
        )
        return _register_split(body, end, known, register, line, [warning])

    reader = _Reader(body, tokens, register)
    repeated = page.start(tokens)
    if repeated is not None:
        column = reader.column(repeated, len(tokens)) or _whole(tokens[repeated].start, end)
        return _column_split(body, end, column, register, Separation.REPEATED, line)
    shaped = _shaped_column(reader, tokens)
    if shaped is not None:
        return _column_split(body, end, shaped, register, Separation.SHAPE, line)
    warning = ParseWarning(
        line,
        "cannot tell the responsible parties from the action text; the whole line is kept as "
        "the action text and the party marked not separated",
    )
    return Split(body, "", [], Separation.NOT_SEPARATED, [warning])


def _shaped_column(reader: _Reader, tokens: list[_Token]) -> _Column | None:
    """The longest tail of the line shaped like a responsible column, after prose (or, for a
    name that starts with its role word, after a capitalised word of the text)."""
    for i in range(max(1, len(tokens) - _MAX_COLUMN_TOKENS), len(tokens)):
        if tokens[i].is_punctuation:
            continue
        context = _context_before(tokens, i)
        head = tokens[i].lower in _ROLE_HEADS
        if context is _Context.PROSE or (context is _Context.NAME and head):
            column = reader.column(i, len(tokens))
            if column is not None:
                return column
    return None


def _column_split(
    body: str, end: int, column: _Column, register: Register, separation: Separation, line: int
) -> Split:
    start = column.names[0].start
    parties, warnings = _parties(body, column, register, line)
    return Split(
        text=body[:start].strip(),
        responsible_text=body[start:end].strip(),
        parties=parties,
        separation=separation,
        warnings=warnings,
    )


# --- rule 2: chains of names the register knows -------------------------------------------------


@dataclass(frozen=True)
class _Chain:
    """Known names at the end of the line, left to right, with the separators between them."""

    spans: tuple[tuple[int, int], ...]
    separators: tuple[str, ...]  # len(spans) - 1

    @property
    def start(self) -> int:
        return self.spans[0][0]


def _chains_ending_at(text: str, end: int, register: Register, depth: int) -> Iterator[_Chain]:
    """Every chain of known names, joined by separators, that ends exactly at end."""
    if depth >= _MAX_PARTIES:
        return
    for match in register.matches_ending_at(text, end):
        yield _Chain(((match.start, match.end),), ())
        # Only the end of the text before the name can hold its separator: search no further.
        reach = max(0, match.start - _SEPARATOR_REACH)
        separator = _SEPARATOR_BEFORE.search(text, reach, match.start)
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
    article = _ARTICLE_BEFORE.search(head, max(0, start - _SEPARATOR_REACH))
    return (head[: article.start()] if article else head).rstrip()


def _register_split(
    body: str, end: int, chain: _Chain, register: Register, line: int, warnings: list[ParseWarning]
) -> Split:
    text_end = len(_text_before(body, chain.start))
    parties, unknown = _parties(body, _chain_column(chain), register, line)
    return Split(
        text=body[:text_end].strip(),
        responsible_text=body[text_end:end].strip(),
        parties=parties,
        separation=Separation.REGISTER,
        warnings=warnings + unknown,  # unknown stays empty: every name of a chain is known
    )


def _chain_column(chain: _Chain) -> _Column:
    """The chain read as a column, so that _parties gives its names their roles."""
    return _Column(
        [_Name(start, stop) for start, stop in chain.spans],
        [_chain_separator(printed) for printed in chain.separators],
    )


def _chain_separator(printed: str) -> _Separator:
    """A separator as printed (", and the "), read as _separator_at reads it from tokens."""
    supporting = bool(_SUPPORTING_CONNECTIVE.search(printed))
    return _Separator(len(_TOKEN.findall(printed)), supporting, supporting or ";" in printed)
