"""Versions of a management response over time: where new versions go among those the store has
recorded, which one is the latest (its graph is the evaluation's current state), and what changed
against the version before. Reads the store through the Store protocol; mints no IRI (emit.py
does)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from rdflib import URIRef

from wpsgraph.errors import WpsGraphError
from wpsgraph.model import DateSource, Observed
from wpsgraph.store import SelectResult, Store, Term
from wpsgraph.vocab import PREFIXES

_PREFIXES = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("wps", "prov", "skos"))
# The versions recorded for some evaluations, with the chain that orders them.
_VERSIONS = (
    _PREFIXES
    + """SELECT ?evaluation ?version ?sha ?file ?day ?moment ?source ?previous
WHERE {
  VALUES ?evaluation { %s }
  ?response wps:respondsTo ?evaluation .
  ?version wps:versionOf ?response ;
           wps:sourceSha256 ?sha ;
           wps:sourceFile ?file ;
           wps:observedDate ?day ;
           prov:generatedAtTime ?moment ;
           wps:observedDateSource/skos:notation ?source .
  OPTIONAL { ?version prov:wasRevisionOf ?previous }
}"""
)
# The key actions some versions showed.
_ACTIONS = (
    _PREFIXES
    + """SELECT ?version ?recommendation ?action ?status ?label ?deadline ?comments
WHERE {
  VALUES ?version { %s }
  ?observation wps:observedIn ?version ;
               wps:recommendationNumber ?recommendation ;
               wps:actionNumber ?action ;
               wps:observedDeadline ?deadline .
  OPTIONAL {
    ?observation wps:observedStatus ?status .
    ?status skos:prefLabel ?pref .
    FILTER(LANG(?pref) = "en")
  }
  OPTIONAL { ?observation wps:unlistedValue ?unlisted }
  OPTIONAL { ?observation wps:observedComments ?comments }
  BIND(COALESCE(STR(?pref), STRAFTER(STR(?unlisted), "Status: ")) AS ?label)
}"""
)


@dataclass(frozen=True)
class ActionState:
    """A key action as one version showed it."""

    recommendation: int
    action: int
    status: str  # the status concept's IRI; "" when the scheme lacks the printed status
    status_label: str  # the concept's label, else the status as printed
    deadline: str  # YYYY-MM
    comments: str

    @property
    def number(self) -> str:
        """How the action is named in change reports: recommendation.action."""
        return f"{self.recommendation}.{self.action}"


@dataclass(frozen=True)
class Version:
    """One version of an evaluation's page: its bytes' digest, when it was observed, and (when
    read) the key actions it showed."""

    evaluation: URIRef
    iri: URIRef
    sha256: str
    observed: Observed
    file_name: str
    actions: tuple[ActionState, ...] | None = None  # None: not read from the store


@dataclass
class Placement:
    """New versions placed among the recorded ones."""

    timeline: list[Version]  # every version, in observed order (ties: the later load last)
    added: list[Version]  # the new versions that are new bytes, in timeline order
    same_bytes: dict[str, Version] = field(default_factory=dict)  # sha -> the version recorded

    @property
    def latest(self) -> Version | None:
        return self.timeline[-1] if self.timeline else None

    def before(self, version: Version) -> Version | None:
        index = [v.iri for v in self.timeline].index(version.iri)
        return self.timeline[index - 1] if index else None

    def resolved(self, read: Mapping[URIRef, Version]) -> Placement:
        """The same placement with recorded versions replaced by their copies in read (versions
        read again with their key actions)."""
        timeline = [read.get(v.iri, v) for v in self.timeline]
        return Placement(timeline, self.added, self.same_bytes)


def place(recorded: Sequence[Version], new: Iterable[Version]) -> Placement:
    """Reloading the same bytes adds nothing, whatever date it comes with: a version keeps the
    date it was first recorded with. recorded is in its recorded order; new versions observed at
    the same time as a recorded one go after it (the later load is the later version)."""
    known = {v.sha256: v for v in recorded}
    named = {v.iri: v for v in recorded}
    added: list[Version] = []
    same_bytes: dict[str, Version] = {}
    for version in new:
        if version.sha256 in known:
            same_bytes[version.sha256] = known[version.sha256]
            continue
        if version.iri in named:  # other bytes whose digest begins alike (emit.VERSION_DIGITS)
            other = named[version.iri].file_name
            raise WpsGraphError(
                f"{version.file_name}: its SHA-256 begins like that of {other}; the versions "
                "cannot be told apart by their IRIs"
            )
        known[version.sha256] = named[version.iri] = version
        added.append(version)
    # A stable sort: recorded versions first, so ties keep the recorded order, then the new.
    timeline = sorted([*recorded, *added], key=lambda v: v.observed.order())
    return Placement(timeline, [v for v in timeline if v in added], same_bytes)


@dataclass(frozen=True)
class ObservationFacts:
    """What the versions kept say about one action observation beyond the observation itself."""

    version: Version
    action: ActionState
    previous: Version | None  # the version of the same action's previous observation
    first_observed: date  # the day the action was first observed
    status_since: date  # the first day of the unbroken run of its status that ends here
    deadline_moved_from: str  # the previous observation's deadline when it differs; else ""


def observation_facts(timeline: Sequence[Version]) -> Iterator[ObservationFacts]:
    """The facts of every action observation of a timeline (oldest version first, each with its
    actions): an action's observations follow each other across the versions that list it."""
    last: dict[tuple[int, int], ObservationFacts] = {}
    for version in timeline:
        day = version.observed.day
        for state in version.actions or ():
            key = (state.recommendation, state.action)
            before = last.get(key)
            if before is None:
                facts = ObservationFacts(version, state, None, day, day, "")
            else:
                unchanged = _status(before.action) == _status(state)
                moved = before.action.deadline if before.action.deadline != state.deadline else ""
                since = before.status_since if unchanged else day
                facts = ObservationFacts(
                    version, state, before.version, before.first_observed, since, moved
                )
            last[key] = facts
            yield facts


def _status(state: ActionState) -> tuple[str, str]:
    return (state.status, state.status_label)


def describe(version: Version, placement: Placement) -> str:
    """One line: when the version was observed and what changed against the version before."""
    seen = f"observed {version.observed.day} ({version.observed.source})"
    before = placement.before(version)
    if before is None:
        line = f"{seen}, first version"
    else:
        line = f"{seen}; against {before.observed.day}: {_differences(before, version)}"
    latest = placement.latest
    if latest is not None and latest.iri != version.iri:
        line += f"; history only: the current state is the version observed {latest.observed.day}"
    return line


def describe_same_bytes(recorded: Version) -> str:
    return (
        f"same bytes as the version observed {recorded.observed.day} "
        f"({recorded.file_name}): no new version"
    )


def _differences(before: Version, after: Version) -> str:
    old = {(a.recommendation, a.action): a for a in before.actions or ()}
    new = {(a.recommendation, a.action): a for a in after.actions or ()}
    both = sorted(old.keys() & new.keys())
    parts = [
        _listed(
            "status",
            [
                f"{new[k].number} {old[k].status_label} -> {new[k].status_label}"
                for k in both
                if _status(old[k]) != _status(new[k])
            ],
        ),
        _listed(
            "deadline",
            [
                f"{new[k].number} {old[k].deadline} -> {new[k].deadline} "
                f"({months_between(old[k].deadline, new[k].deadline):+d} months)"
                for k in both
                if old[k].deadline != new[k].deadline
            ],
        ),
        _listed("comments", [new[k].number for k in both if old[k].comments != new[k].comments]),
        _listed("added", [new[k].number for k in sorted(new.keys() - old.keys())]),
        _listed("removed", [old[k].number for k in sorted(old.keys() - new.keys())]),
    ]
    return (
        "; ".join(p for p in parts if p) or "no change in statuses, deadlines, comments or actions"
    )


def _listed(what: str, items: list[str]) -> str:
    return f"{what} {', '.join(items)}" if items else ""


def months_between(earlier: str, later: str) -> int:
    """Months from one YYYY-MM to another."""
    (y1, m1), (y2, m2) = (map(int, earlier.split("-")), map(int, later.split("-")))
    return (y2 - y1) * 12 + (m2 - m1)


def read_versions(store: Store, evaluations: Iterable[URIRef]) -> dict[URIRef, list[Version]]:
    """The versions the store records for each evaluation, in recorded order (no actions)."""
    names = sorted(set(evaluations))
    if not names:
        return {}
    rows = _select(store, _VERSIONS % " ".join(n.n3() for n in names))
    versions: dict[URIRef, list[Version]] = {}
    previous: dict[URIRef, URIRef] = {}
    for row in rows:
        version = _version(row)
        versions.setdefault(version.evaluation, []).append(version)
        if row["previous"] is not None:
            previous[version.iri] = URIRef(str(row["previous"]))
    return {e: _in_recorded_order(vs, previous) for e, vs in versions.items()}


def with_actions(store: Store, versions: Iterable[Version]) -> dict[URIRef, Version]:
    """The given versions (key: IRI) with the key actions they showed, read in one query."""
    wanted = {v.iri: v for v in versions}
    if not wanted:
        return {}
    rows = _select(store, _ACTIONS % " ".join(iri.n3() for iri in sorted(wanted)))
    states: dict[URIRef, list[ActionState]] = {iri: [] for iri in wanted}
    for row in rows:
        states[URIRef(str(row["version"]))].append(
            ActionState(
                recommendation=int(str(row["recommendation"])),
                action=int(str(row["action"])),
                status=_text(row["status"]),
                status_label=_text(row["label"]),
                deadline=str(row["deadline"]),
                comments=_text(row["comments"]),
            )
        )
    return {
        iri: Version(v.evaluation, v.iri, v.sha256, v.observed, v.file_name, tuple(states[iri]))
        for iri, v in wanted.items()
    }


def _select(store: Store, sparql: str) -> list[dict[str, Term | None]]:
    result = store.query(sparql)
    assert isinstance(result, SelectResult)  # both queries are SELECTs
    return result.rows


def _text(term: Term | None) -> str:
    return "" if term is None else str(term)


def _version(row: Mapping[str, Term | None]) -> Version:
    source = DateSource(str(row["source"]))
    moment = None if _day_only(source) else datetime.fromisoformat(str(row["moment"]))
    return Version(
        evaluation=URIRef(str(row["evaluation"])),
        iri=URIRef(str(row["version"])),
        sha256=str(row["sha"]),
        observed=Observed(date.fromisoformat(str(row["day"])), moment, source),
        file_name=str(row["file"]),
    )


def _day_only(source: DateSource) -> bool:
    """Whether a source gives the day only (prov:generatedAtTime is then the day's start)."""
    return source in (DateSource.STATED, DateSource.FILE_NAME)


def _in_recorded_order(versions: list[Version], previous: Mapping[URIRef, URIRef]) -> list[Version]:
    """Versions by observed time; versions observed at the same time in the order of the chain
    of prov:wasRevisionOf the store records."""

    def depth(version: Version) -> int:
        steps, iri = 0, version.iri
        while iri in previous and steps <= len(versions):
            iri, steps = previous[iri], steps + 1
        return steps

    return sorted(versions, key=lambda v: (v.observed.order(), depth(v)))
