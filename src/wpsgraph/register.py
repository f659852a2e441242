"""The actor register (ontology/register/*.ttl) as a plain in-memory object, and matching text
against it: which units and partners a printed name denotes, and which are mentioned in prose.

rdflib is imported only inside Register.load, so the GATE parser can take a Register without
pulling RDF into the parsing layer.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from wpsgraph.errors import SourceError, WpsGraphError
from wpsgraph.paths import REGISTER_DIR

if TYPE_CHECKING:
    from rdflib import Graph

ORGANIZATION = "organization"
UNIT = "unit"
PARTNER = "partner"
PRODUCT = "product"

# Kinds that find_mentions reports: the responding entity and its own units are not "mentions".
MENTIONABLE_KINDS = frozenset({PARTNER, PRODUCT})

_WPS = "https://w3id.org/wpsgraph/ontology#"
_ORG = "http://www.w3.org/ns/org#"

# Typographic variants GATE pages print for the same name.
_CHARACTER_VARIANTS = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‛": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "\u00a0": " ",
    }
)
_WHITESPACE = re.compile(r"\s+")
_SPACE_AFTER_SLASH = re.compile(r"/ +")
_LAST_WORD = re.compile(r"(\w+)\W*\Z")
_WORD = re.compile(r"\w+")
# Only the tail of a line is scanned for its last word; a longer word is searched for in full.
_LONGEST_WORD = 200
_LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


def normalize_name(text: str) -> str:
    """A printed name in the form labels are compared in: straight quotes, single spaces, "/x"."""
    text = text.translate(_CHARACTER_VARIANTS)
    text = _WHITESPACE.sub(" ", text).strip()
    return _SPACE_AFTER_SLASH.sub("/", text)


@dataclass(frozen=True)
class Actor:
    """One register entry."""

    slug: str
    iri: str
    kind: str  # ORGANIZATION | UNIT | PARTNER | PRODUCT
    pref_label: str
    names: tuple[str, ...]  # prefLabel + altLabels (not acronyms)
    acronyms: tuple[str, ...]


@dataclass(frozen=True)
class NameMatch:
    """A register name found in a text: text[start:end] names the actors in slugs."""

    start: int
    end: int
    slugs: tuple[str, ...]


@dataclass(frozen=True)
class _Label:
    """One printed form (name or acronym) and the slugs it denotes, with its matching pattern."""

    form: str  # normalised
    slugs: tuple[str, ...]
    case_sensitive: bool

    @property
    def pattern(self) -> str:
        body = "".join(_tolerant(ch) for ch in self.form)
        return body if self.case_sensitive else f"(?i:{body})"


def _tolerant(ch: str) -> str:
    """Regex for one character of a normalised label that accepts its printed variants."""
    if ch == " ":
        return r"\s+"
    if ch == "/":
        return r"/\s*"
    if ch == "'":
        return "['‘’‛`]"
    if ch == '"':
        return '["“”]'
    return re.escape(ch)


@dataclass(frozen=True)
class Register:
    """The curated actors, by slug. Load it once and pass it to the parser."""

    actors: Mapping[str, Actor]

    @classmethod
    def load(cls, directory: Path = REGISTER_DIR, extra: Sequence[Path] = ()) -> Register:
        """Read every *.ttl file in directory, then the extra files (a user's local register):
        their actors join the register, and labels they give an actor already in it (by its
        IRI) are further names for it. Raises SourceError naming the file and line."""
        return cls.from_files(map(RegisterFile.read, extra), directory)

    @classmethod
    def from_files(cls, extra: Iterable[RegisterFile], directory: Path = REGISTER_DIR) -> Register:
        """As load, with the extra files already read (the loader reads a local register file
        once for both the register and the store's graph)."""
        files = sorted(directory.glob("*.ttl")) if directory.is_dir() else []
        if not files:
            raise WpsGraphError(f"{directory}: no register files (*.ttl) found")
        actors: dict[str, Actor] = {}
        slugs_by_iri: dict[str, str] = {}
        for entries in chain(map(RegisterFile.read, files), extra):
            for actor in entries.actors:
                _add(actors, slugs_by_iri, actor, entries)
            for iri, names, acronyms in entries.added_names(slugs_by_iri):
                slug = slugs_by_iri[iri]
                actors[slug] = _with_names(actors[slug], names, acronyms)
        return cls(MappingProxyType(dict(sorted(actors.items()))))

    # --- lookups ------------------------------------------------------------------------------

    def resolve(self, name: str) -> tuple[str, ...]:
        """Slugs a printed party name denotes; () when the register does not know it."""
        for candidate in _name_candidates(name):
            slugs = self._by_acronym.get(candidate) or self._by_name.get(candidate.lower())
            if slugs:
                return slugs
        return ()

    def find_mentions(self, text: str) -> list[str]:
        """Slugs of partners and knowledge products named in text, in order of first appearance.

        Every register name is matched (longest first, without overlap) so that a unit's name
        hides the partner names inside it ("Civil Society Division" is not "civil society");
        only partners and products are reported.
        """
        found: dict[str, None] = {}
        for slugs in self._names_in(text):
            for slug in slugs:
                if self.actors[slug].kind in MENTIONABLE_KINDS:
                    found.setdefault(slug)
        return list(found)

    def _names_in(self, text: str) -> Iterator[tuple[str, ...]]:
        """The slugs of each register name in text, left to right, without overlap.

        Only labels whose first word is the word at hand are tried there (a dictionary lookup),
        which is what a single alternation of every label would match, at a fraction of the cost.
        """
        end = 0
        for word in _WORD.finditer(text):
            if word.start() < end:
                continue
            for label, pattern in self._labels_by_first_word.get(word.group().lower(), ()):
                match = pattern.match(text, word.start())
                if match is not None:
                    end = match.end()
                    yield label.slugs
                    break

    def matches_starting_at(self, text: str, start: int) -> list[NameMatch]:
        """Every register name (any kind) that starts at text[start], on word boundaries; longer
        names first. The primitive for reading a responsible column from its start."""
        word = _WORD.match(text, start)
        if word is None:
            return []
        matches = []
        for label, pattern in self._labels_by_first_word.get(word.group().lower(), ()):
            match = pattern.match(text, start)
            if match is not None:
                matches.append(NameMatch(start, match.end(), label.slugs))
        return sorted(matches, key=lambda m: (-m.end, m.slugs))

    def matches_ending_at(self, text: str, end: int) -> list[NameMatch]:
        """Every register name (any kind) that text[:end] ends with, starting at a word boundary.

        The primitive the action splitter uses to peel responsible parties off the end of an
        action line; longer names come first.
        """
        head = text[:end]
        tail = max(0, end - _LONGEST_WORD)
        last = _LAST_WORD.search(head, tail)
        if last is None or (tail and last.start() == tail):
            last = _LAST_WORD.search(head)  # the tail cut a long word or held none
            if last is None:
                return []
        candidates = self._labels_by_last_word.get(last.group(1).lower(), ())
        if not candidates:
            return []
        starts = _visible_starts(head, max(size for _, _, size in candidates))
        matches = []
        for label, pattern, size in candidates:
            # A label matches exactly as many non-space characters as it has, so its only
            # possible start is known: no need to search the whole line.
            if size <= len(starts) and pattern.match(head, starts[size - 1]) is not None:
                matches.append(NameMatch(starts[size - 1], end, label.slugs))
        return sorted(matches, key=lambda m: (m.start, m.slugs))

    # --- indexes, built on first use ----------------------------------------------------------

    @cached_property
    def _labels(self) -> tuple[_Label, ...]:
        names: dict[str, list[str]] = {}
        acronyms: dict[str, list[str]] = {}
        for actor in self.actors.values():
            for name in actor.names:
                names.setdefault(normalize_name(name).lower(), []).append(actor.slug)
            for acronym in actor.acronyms:
                acronyms.setdefault(normalize_name(acronym), []).append(actor.slug)
        labels = [
            _Label(form, _printed_order(form, slugs, self.actors), case_sensitive=False)
            for form, slugs in names.items()
        ]
        labels += [
            _Label(form, tuple(sorted(set(slugs))), case_sensitive=True)
            for form, slugs in acronyms.items()
        ]
        # Longest first, so an alternation prefers "UN Security Council" to "Security Council".
        return tuple(sorted(labels, key=lambda lab: (-len(lab.form), lab.form)))

    @cached_property
    def _by_name(self) -> dict[str, tuple[str, ...]]:
        return {lab.form: lab.slugs for lab in self._labels if not lab.case_sensitive}

    @cached_property
    def _by_acronym(self) -> dict[str, tuple[str, ...]]:
        return {lab.form: lab.slugs for lab in self._labels if lab.case_sensitive}

    @cached_property
    def _labels_by_first_word(self) -> dict[str, list[tuple[_Label, re.Pattern[str]]]]:
        index: dict[str, list[tuple[_Label, re.Pattern[str]]]] = {}
        for lab in self._labels:  # longest first, as a single alternation would try them
            first = _WORD.match(lab.form)
            if first is None:
                raise WpsGraphError(f"register label '{lab.form}' does not start with a word")
            pattern = re.compile(rf"(?<!\w){lab.pattern}(?!\w)")
            index.setdefault(first.group().lower(), []).append((lab, pattern))
        return index

    @cached_property
    def _labels_by_last_word(self) -> dict[str, list[tuple[_Label, re.Pattern[str], int]]]:
        index: dict[str, list[tuple[_Label, re.Pattern[str], int]]] = {}
        for lab in self._labels:
            last = _LAST_WORD.search(lab.form)
            if last is not None:
                pattern = re.compile(rf"(?<!\w){lab.pattern}\Z")
                size = sum(1 for ch in lab.form if not ch.isspace())
                index.setdefault(last.group(1).lower(), []).append((lab, pattern, size))
        return index


def _visible_starts(text: str, count: int) -> list[int]:
    """Indexes of the last count non-space characters of text, from the end backwards."""
    starts: list[int] = []
    i = len(text) - 1
    while i >= 0 and len(starts) < count:
        if not text[i].isspace():
            starts.append(i)
        i -= 1
    return starts


def _name_candidates(name: str) -> Iterator[str]:
    """The printed name, then without a leading "the " and a trailing full stop."""
    normalized = normalize_name(name)
    yield normalized
    bare = _LEADING_ARTICLE.sub("", normalized).removesuffix(".").strip()
    if bare != normalized:
        yield bare


def _printed_order(form: str, slugs: list[str], actors: Mapping[str, Actor]) -> tuple[str, ...]:
    """Slugs sharing one label, in the order the label names them.

    "Regional and Country Offices" names regional-offices, then country-offices: each actor is
    placed where the first word of its own prefLabel appears in the shared label.
    """
    unique = sorted(set(slugs))
    if len(unique) == 1:
        return tuple(unique)

    def position(slug: str) -> tuple[int, str]:
        first_word = normalize_name(actors[slug].pref_label).split(" ")[0].lower()
        found = form.find(first_word)
        return (found if found >= 0 else len(form), slug)

    return tuple(sorted(unique, key=position))


def _add(
    actors: dict[str, Actor], slugs_by_iri: dict[str, str], actor: Actor, entries: RegisterFile
) -> None:
    """Register actor, refusing a slug or an IRI the register has (slugs_by_iri: of actors)."""
    clashes = {actor.slug, slugs_by_iri.get(actor.iri, actor.slug)} & actors.keys()
    if clashes:
        other = next(a for a in actors.values() if a.slug in clashes)  # the first registered
        what = f"slug '{actor.slug}'" if other.slug == actor.slug else f"IRI <{actor.iri}>"
        raise entries.error(
            actor.iri,
            f"duplicate {what} in the register (<{other.iri}> and <{actor.iri}>); "
            "to add names to an actor the register has, give only labels to its IRI",
        )
    actors[actor.slug] = actor
    slugs_by_iri[actor.iri] = actor.slug


def _with_names(actor: Actor, names: list[str], acronyms: list[str]) -> Actor:
    return replace(
        actor,
        names=tuple(dict.fromkeys([*actor.names, *names])),
        acronyms=tuple(sorted({*actor.acronyms, *acronyms})),
    )


_BAD_SYNTAX_REASON = re.compile(r"Bad syntax \((?P<why>.*)\) at \^")
_KINDS_BY_TYPE = {
    _WPS + "Unit": UNIT,
    _WPS + "KnowledgeProduct": PRODUCT,
    _WPS + "Partner": PARTNER,
    _WPS + "Actor": ORGANIZATION,
    _ORG + "FormalOrganization": ORGANIZATION,
}


@dataclass(frozen=True)
class RegisterFile:
    """One register file in Turtle, parsed, with its text to find the line of an entry."""

    path: Path
    text: str
    graph: Graph

    @classmethod
    def read(cls, path: Path) -> RegisterFile:
        """Parse a register file; a file that is missing or not Turtle is a SourceError naming
        its line."""
        from rdflib import Graph  # only the loader needs RDF

        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SourceError(path, None, "register file not found") from None
        except (OSError, UnicodeDecodeError) as err:
            raise SourceError(path, None, f"cannot be read as a UTF-8 text file: {err}") from None
        graph = Graph()
        try:
            graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
        except Exception as err:  # rdflib raises many parser-specific types
            line = getattr(err, "lines", None)
            reason = _BAD_SYNTAX_REASON.search(str(err))
            why = reason["why"] if reason else str(err).strip().splitlines()[0]
            where = line + 1 if isinstance(line, int) else None
            raise SourceError(path, where, f"not valid Turtle: {why}") from None
        return cls(path, text, graph)

    def error(self, subject: str, message: str) -> SourceError:
        return SourceError(self.path, self.line_of(subject), message)

    def line_of(self, subject: str) -> int | None:
        """The first line that names subject, as <IRI> or prefix:name; None when not found."""
        forms = [f"<{subject}>"]
        forms += [
            f"{prefix}:{subject[len(str(ns)) :]}"
            for prefix, ns in self.graph.namespaces()
            if prefix and subject.startswith(str(ns))
        ]
        for number, line in enumerate(self.text.splitlines(), start=1):
            for form in forms:
                at = line.find(form)
                after = line[at + len(form) : at + len(form) + 1]
                if at >= 0 and not (after.isalnum() or after in "-_"):
                    return number
        return None

    @cached_property
    def actors(self) -> list[Actor]:
        """The actors the file declares (every subject with a wps:slug or an actor type)."""
        from rdflib import URIRef
        from rdflib.namespace import RDF

        graph = self.graph
        subjects = set(graph.subjects(URIRef(_WPS + "slug"), None))
        for actor_type in _KINDS_BY_TYPE:
            subjects |= set(graph.subjects(RDF.type, URIRef(actor_type)))
        return [self._actor(str(subject)) for subject in sorted(subjects, key=str)]

    def _actor(self, subject: str) -> Actor:
        from rdflib import URIRef
        from rdflib.namespace import RDF, SKOS

        node = URIRef(subject)
        slugs = [str(s) for s in self.graph.objects(node, URIRef(_WPS + "slug"))]
        if len(slugs) != 1:
            raise self.error(subject, f"<{subject}> needs exactly one wps:slug, has {len(slugs)}")
        prefs = sorted(
            str(v)
            for v in self.graph.objects(node, SKOS.prefLabel)
            if getattr(v, "language", "") in (None, "en")
        )
        if len(prefs) != 1:
            raise self.error(
                subject, f"<{subject}> needs exactly one English skos:prefLabel, has {len(prefs)}"
            )
        types = {str(t) for t in self.graph.objects(node, RDF.type)}
        kind = next((k for t, k in _KINDS_BY_TYPE.items() if t in types), None)
        if kind is None:
            raise self.error(subject, f"<{subject}> has no actor type (wps:Unit, wps:Partner ...)")
        names, acronyms = self._labels(node)
        return Actor(
            slug=slugs[0],
            iri=subject,
            kind=kind,
            pref_label=prefs[0],
            names=(prefs[0], *[n for n in names if n != prefs[0]]),
            acronyms=tuple(acronyms),
        )

    def _labels(self, node: object) -> tuple[list[str], list[str]]:
        """A subject's altLabels (in any language: names are matched as printed) and acronyms."""
        from rdflib import URIRef
        from rdflib.namespace import SKOS

        names = sorted({str(v) for v in self.graph.objects(node, SKOS.altLabel)})  # type: ignore[arg-type]
        acronyms = sorted({str(v) for v in self.graph.objects(node, URIRef(_WPS + "acronym"))})  # type: ignore[arg-type]
        return names, acronyms

    def added_names(self, known: Container[str]) -> list[tuple[str, list[str], list[str]]]:
        """(IRI, names, acronyms) that the file gives actors it does not declare: labels only,
        on the IRI of an actor already in the register (known: their IRIs). Labels on any other
        IRI are an error."""
        from rdflib import URIRef
        from rdflib.namespace import SKOS

        declared = {a.iri for a in self.actors}
        labelled = set(self.graph.subjects(SKOS.altLabel, None))
        labelled |= set(self.graph.subjects(URIRef(_WPS + "acronym"), None))
        added = []
        for node in sorted(labelled, key=str):
            subject = str(node)
            if subject in declared:
                continue
            if subject not in known:
                raise self.error(
                    subject,
                    f"<{subject}> is not an actor of the register: declare it (a wps:slug, a "
                    "type such as wps:Unit or wps:Partner, an English skos:prefLabel) or give "
                    "the labels to the IRI of an actor the register has",
                )
            names, acronyms = self._labels(node)
            added.append((subject, names, acronyms))
        return added
