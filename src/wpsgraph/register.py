"""The actor register (ontology/register/*.ttl) as a plain in-memory object, and matching text
against it: which units and partners a printed name denotes, and which are mentioned in prose.

rdflib is imported only inside Register.load, so the GATE parser can take a Register without
pulling RDF into the parsing layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from wpsgraph.errors import WpsGraphError
from wpsgraph.paths import REGISTER_DIR

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
    def load(cls, directory: Path = REGISTER_DIR) -> Register:
        """Read every *.ttl file in directory."""
        files = sorted(directory.glob("*.ttl")) if directory.is_dir() else []
        if not files:
            raise WpsGraphError(f"{directory}: no register files (*.ttl) found")
        actors: dict[str, Actor] = {}
        for path in files:
            for actor in _actors_in_file(path):
                if actor.slug in actors:
                    raise WpsGraphError(
                        f"{path}: duplicate slug '{actor.slug}' in the register "
                        f"(<{actors[actor.slug].iri}> and <{actor.iri}>)"
                    )
                actors[actor.slug] = actor
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


def _actors_in_file(path: Path) -> list[Actor]:
    """The actors one register file declares (every subject with a wps:slug or an actor type)."""
    from rdflib import Graph, Literal, URIRef  # only the loader needs RDF
    from rdflib.namespace import RDF, SKOS

    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as err:  # rdflib raises many parser-specific types
        raise WpsGraphError(f"{path}: cannot be read as Turtle: {err}") from err

    wps_slug = URIRef(_WPS + "slug")
    wps_acronym = URIRef(_WPS + "acronym")
    kinds_by_type = {
        URIRef(_WPS + "Unit"): UNIT,
        URIRef(_WPS + "KnowledgeProduct"): PRODUCT,
        URIRef(_WPS + "Partner"): PARTNER,
        URIRef(_WPS + "Actor"): ORGANIZATION,
        URIRef(_ORG + "FormalOrganization"): ORGANIZATION,
    }
    subjects = set(graph.subjects(wps_slug, None))
    subjects |= {s for t in kinds_by_type for s in graph.subjects(RDF.type, t)}

    def english(values: list[Literal]) -> list[str]:
        return sorted(str(v) for v in values if v.language in (None, "en"))

    actors = []
    for subject in sorted(subjects, key=str):
        slugs = [str(s) for s in graph.objects(subject, wps_slug)]
        if len(slugs) != 1:
            raise WpsGraphError(f"{path}: <{subject}> needs exactly one wps:slug, has {len(slugs)}")
        prefs = english(list(graph.objects(subject, SKOS.prefLabel)))  # type: ignore[arg-type]
        if len(prefs) != 1:
            raise WpsGraphError(
                f"{path}: <{subject}> needs exactly one English skos:prefLabel, has {len(prefs)}"
            )
        types = set(graph.objects(subject, RDF.type))
        kind = next((k for t, k in kinds_by_type.items() if t in types), None)
        if kind is None:
            raise WpsGraphError(
                f"{path}: <{subject}> has no actor type (wps:Unit, wps:Partner ...)"
            )
        alts = english(list(graph.objects(subject, SKOS.altLabel)))  # type: ignore[arg-type]
        actors.append(
            Actor(
                slug=slugs[0],
                iri=str(subject),
                kind=kind,
                pref_label=prefs[0],
                names=(prefs[0], *[a for a in alts if a != prefs[0]]),
                acronyms=tuple(sorted(str(a) for a in graph.objects(subject, wps_acronym))),
            )
        )
    return actors
