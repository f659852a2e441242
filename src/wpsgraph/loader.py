"""Files -> parse -> emit -> validate -> store, all or nothing per file. Each file is one observed
version of an evaluation's page: every version is kept in the evaluation's history, and the
evaluation's graph holds the latest one (see versioning.py)."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache, partial
from pathlib import Path

from rdflib import Graph, URIRef

from wpsgraph.concepts import ConceptIndex
from wpsgraph.emit import (
    VOCABULARY_GRAPHS,
    Emitted,
    EmittedVersion,
    emit_evaluation,
    emit_version,
    evaluation_iri,
    gate_url,
)
from wpsgraph.errors import SourceError, WpsGraphError
from wpsgraph.gate import parse_management_response
from wpsgraph.gate.source import read_bytes, source_text
from wpsgraph.history import Version
from wpsgraph.local_register import load_register, local_register_graphs
from wpsgraph.model import ParseResult, ParseWarning, SourceInfo
from wpsgraph.observation import check_stated, dated_name, observed
from wpsgraph.register import NameMatch, Register
from wpsgraph.resources import ontology_graph, register_graph, schemes_graph
from wpsgraph.store import Store, ntriples, serialized_graphs
from wpsgraph.validate import ValidationReport, ValidationResult, validate_graphs
from wpsgraph.versioning import Recorder, history_graph

SOURCE_SUFFIXES = (".txt", ".html", ".htm")
CHUNK_FILES = 50  # files per task: one validation run, one progress step
BATCH_FILES = 500  # files per write transaction
BULK_FILES = 4000  # files per bulk load into an empty store (each writes new on-disk files)
PARALLEL_FROM = 100  # fewer files are parsed in-process: a pool costs about a second to start
# gate-11818.txt, 11818.txt, ViewManagementResponse?evaluationId=11818.html (a date after the id,
# as in gate-11818_2025-06-30.txt, is the observed date: observation.dated_name)
_EVALUATION_ID_IN_NAME = re.compile(r"^(?:gate-|.*evaluationId=)?(\d+)$")


class Outcome(StrEnum):
    OK = "ok"
    WARNINGS = "ok with warnings"
    REJECTED = "rejected"


@dataclass
class FileReport:
    path: Path
    outcome: Outcome
    evaluation: URIRef | None = None
    triples: int = 0  # written for the file: set when its history is placed (versioning)
    warnings: list[str] = field(default_factory=list)  # "file:line: message"
    error: str | None = None  # "file:line: why", when rejected
    history: str | None = None  # when the version was observed, what changed against the one before
    compared: bool = False  # whether history compares the version with one observed before it


@dataclass
class LoadReport:
    files: list[FileReport]

    @property
    def rejected(self) -> list[FileReport]:
        return [f for f in self.files if f.outcome is Outcome.REJECTED]


@dataclass(frozen=True)
class LoadOptions:
    org_id: str = "unwomen"
    evaluation_id: str | None = None  # only with a single file
    source_url: str | None = None  # only with a single file
    strict: bool = False  # warnings reject the file
    jobs: int | None = None  # worker processes for parsing; None: one per CPU
    observed: date | None = None  # the day every file was observed (--observed)
    register_files: tuple[Path, ...] = ()  # local register files, read with the shipped one


@lru_cache(maxsize=4)
def _register(files: tuple[Path, ...]) -> _Remembering:
    """The register (with the local files' names) the parser and the emitter use."""
    return _Remembering(load_register(files).actors)


@dataclass(frozen=True, eq=False)
class _Remembering(Register):
    """The register, answering the parser's costly lookups from memory for texts it has seen:
    the versions of a page are prepared together and repeat most of their lines (about half of
    parsing is these lookups). Forgets when the work that parsed them ends (_remembering)."""

    _seen: dict[tuple[str, object], tuple[object, ...]] = field(default_factory=dict, repr=False)

    def matches_ending_at(self, text: str, end: int) -> list[NameMatch]:
        key = (text, end)
        if key not in self._seen:
            self._seen[key] = tuple(super().matches_ending_at(text, end))
        return list(self._seen[key])  # type: ignore[arg-type]

    def find_mentions(self, text: str) -> list[str]:
        key = (text, None)
        if key not in self._seen:
            self._seen[key] = tuple(super().find_mentions(text))
        return list(self._seen[key])  # type: ignore[arg-type]

    def forget(self) -> None:
        self._seen.clear()


@contextmanager
def _remembering(options: LoadOptions) -> Iterator[None]:
    """Around parsing: the register remembers the lookups of the texts parsed within (one file,
    or the files of a chunk, which repeat each other) and forgets them after, so its memory stays
    bounded however many files a long-lived caller prepares."""
    try:
        yield
    finally:
        _register(options.register_files).forget()


@lru_cache(maxsize=1)
def _concepts() -> ConceptIndex:
    return ConceptIndex.from_graph(schemes_graph())


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories become their source files, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
                )
            )
        else:
            files.append(path)
    return files


def evaluation_id_for(path: Path, given: str | None) -> str:
    if given is not None:
        if not given.isdigit():
            raise SourceError(path, None, f"evaluation id '{given}' must be digits (a GATE id)")
        return given
    match = _EVALUATION_ID_IN_NAME.match(dated_name(path)[0])
    if not match:
        raise SourceError(
            path,
            None,
            "cannot tell the GATE evaluationId: name the file gate-<id>.txt "
            "or pass --evaluation-id",
        )
    return match.group(1)


def prepare(path: Path, options: LoadOptions) -> tuple[Emitted, ValidationReport]:
    """Read, parse, emit and validate one file's graph; raises SourceError/WpsGraphError to
    reject it. No history: the source has no observed date here."""
    with _remembering(options):
        source = _read_source(path, options, None)
    return _validated(source, options)


@dataclass
class _Source:
    """One file read and parsed, with where it came from and when it was observed."""

    path: Path
    parsed: ParseResult
    info: SourceInfo


def _read_source(path: Path, options: LoadOptions, loaded_at: datetime | None) -> _Source:
    """loaded_at None: no observation (prepare, which emits no history)."""
    text, digest = _read(path)
    register = _register(options.register_files)
    parsed = parse_management_response(text, source=str(path), register=register)
    evaluation_id = evaluation_id_for(path, options.evaluation_id)
    when = None if loaded_at is None else observed(path, text, options.observed, loaded_at)
    info = SourceInfo(
        org_id=options.org_id,
        evaluation_id=evaluation_id,
        file_name=path.name,
        sha256=digest,
        url=options.source_url or gate_url(evaluation_id),
        observed=when,
    )
    return _Source(path, parsed, info)


def _emit(source: _Source, options: LoadOptions) -> Emitted:
    register = _register(options.register_files)
    emitted = emit_evaluation(source.parsed.response, source.info, register, _concepts())
    emitted.warnings[:0] = source.parsed.warnings
    return emitted


def _validated(source: _Source, options: LoadOptions) -> tuple[Emitted, ValidationReport]:
    """The source's full graph, validated on its own (with the local register's actors)."""
    emitted = _emit(source, options)
    context = local_register_graphs(options.register_files)
    return emitted, validate_graphs({emitted.graph_iri: emitted.triples}, context)[
        emitted.graph_iri
    ]


def _emit_version(source: _Source, options: LoadOptions) -> EmittedVersion:
    register = _register(options.register_files)
    return emit_version(source.parsed.response, source.info, _concepts(), register)


def _read(path: Path) -> tuple[str, str]:
    """The page text and the SHA-256 of the file's bytes (the source version in provenance)."""
    data = read_bytes(path)
    return source_text(data, path), hashlib.sha256(data).hexdigest()


@dataclass
class Prepared:
    """One file after parse, emit and validation: its report and, when accepted, its version for
    the history and, for the latest version of its evaluation among the files of its chunk, its
    full graph. Graphs travel as N-Triples (bytes cost far less between processes than rdflib
    graphs)."""

    report: FileReport
    version: Version | None = None
    version_graph: tuple[URIRef, bytes] | None = None
    current: tuple[URIRef, bytes] | None = None  # the evaluation's graph, were it the latest
    version_triples: int = 0
    current_triples: int = 0
    # With the last version of its evaluation in a chunk prepared whole: the versions' IRIs in
    # order, and the history graph they make.
    history: tuple[tuple[URIRef, ...], tuple[URIRef, bytes]] | None = None


def load_files(
    paths: Iterable[Path],
    store: Store,
    options: LoadOptions = LoadOptions(),
    progress: Callable[[FileReport], None] | None = None,
) -> LoadReport:
    """Load each file as one observed version of its evaluation. A rejected file writes nothing.
    Accepted files are written in batches, each batch in one transaction (so each graph is
    replaced whole); the vocabulary graphs are refreshed with the first batch. Into a store that
    was empty when the load began, batches are bulk-loaded instead, and any failure empties the
    store again, which is how it was."""
    files = expand_paths(paths)
    if len(files) != 1 and (options.evaluation_id or options.source_url):
        raise WpsGraphError("--evaluation-id and --source-url need exactly one file")
    loaded_at = datetime.now(UTC).replace(microsecond=0)  # the precision stores keep
    check_stated(options.observed, loaded_at)
    # A bad local register file stops the load before anything is written.
    load_register(options.register_files)
    local = serialized_graphs(local_register_graphs(options.register_files))
    writer = _Writer(store, bulk=store.is_empty(), vocabulary={**vocabulary_ntriples(), **local})
    # Into a store that was empty, nothing is recorded but what this load writes, and a chunk
    # holds every file of its evaluations: there is nothing to read back.
    recorder = Recorder(None if writer.bulk else store, partial(_current, options, loaded_at))
    reports: list[FileReport] = []
    try:
        chunks = _prepared(_chunks(files, options), options, loaded_at, whole=writer.bulk)
        for chunk in chunks:
            for name, body in recorder.record(chunk):
                writer.add(name, body)
            for item in chunk:
                reports.append(item.report)
                if progress:
                    progress(item.report)
            writer.files += len(chunk)
            writer.flush(final=False)
        writer.flush(final=True)
    except BaseException:
        writer.abort()
        raise
    return LoadReport(reports)


def _chunks(files: list[Path], options: LoadOptions) -> list[list[Path]]:
    """Files in chunks of about CHUNK_FILES that never split an evaluation: the versions of one
    evaluation are placed in its history together. Evaluations keep the order of their first
    file; a name that names no evaluation is a group of its own (and is rejected later)."""
    groups: dict[object, list[Path]] = {}
    for path in files:
        try:
            key: object = evaluation_id_for(path, options.evaluation_id)
        except SourceError:
            key = path
        groups.setdefault(key, []).append(path)
    chunks: list[list[Path]] = [[]]
    for group in groups.values():
        if chunks[-1] and len(chunks[-1]) + len(group) > CHUNK_FILES:
            chunks.append([])
        chunks[-1].extend(group)
    return [chunk for chunk in chunks if chunk]


def _current(options: LoadOptions, loaded_at: datetime, item: Prepared) -> Prepared:
    """An accepted version's full graph, prepared here: for a version that turns out to be the
    latest only once the store's history is known (rare: a chunk prepares the full graph of the
    latest version among its own files)."""
    try:
        with _remembering(options):
            source = _read_source(item.report.path, options, loaded_at)
    except SourceError as exc:
        return Prepared(FileReport(item.report.path, Outcome.REJECTED, error=str(exc)))
    if item.version is None or source.info.sha256 != item.version.sha256:
        error = f"{source.path}: the file changed while it was being loaded"
        return Prepared(FileReport(source.path, Outcome.REJECTED, error=error))
    emitted, validation = _validated(source, options)
    report = _judged(source.path, emitted, validation, options)
    if report.outcome is Outcome.REJECTED:
        return Prepared(report)
    return Prepared(
        report,
        item.version,
        item.version_graph,
        (emitted.graph_iri, ntriples(emitted.triples)),
        item.version_triples,
        len(emitted.triples),
    )


class _Writer:
    """Collects accepted graphs and writes them: transactionally, BATCH_FILES at a time, or, into
    a store that was empty, by bulk loads of BULK_FILES (fewer, larger on-disk files)."""

    def __init__(self, store: Store, *, bulk: bool, vocabulary: dict[URIRef, bytes]) -> None:
        self.store = store
        self.bulk = bulk
        self.vocabulary = vocabulary
        self.pending: dict[URIRef, bytes] = {}
        self.files = 0  # files whose graphs are pending
        self.wrote = False

    def add(self, name: URIRef, ntriples: bytes) -> None:
        self.pending[name] = ntriples

    def flush(self, *, final: bool) -> None:
        limit = BULK_FILES if self.bulk else BATCH_FILES
        if not self.pending or (not final and self.files < limit):
            return
        batch = self.pending if self.wrote else {**self.vocabulary, **self.pending}
        self.wrote = True  # before the write: a bulk load that fails half-way has written
        if self.bulk:
            self.store.bulk_add(batch)
        else:
            self.store.replace_serialized(batch)
        self.pending = {}
        self.files = 0
        if final and self.bulk:
            self.store.optimize()

    def abort(self) -> None:
        if self.bulk and self.wrote:
            self.store.clear()


def _prepared(
    chunks: list[list[Path]], options: LoadOptions, loaded_at: datetime, *, whole: bool
) -> Iterator[list[Prepared]]:
    """Prepared chunks in their order; in a pool of processes when there are enough files to
    repay starting it."""
    jobs = min(options.jobs or os.cpu_count() or 1, os.cpu_count() or 1)
    work = partial(prepare_chunk, options=options, loaded_at=loaded_at, whole=whole)
    if jobs < 2 or sum(map(len, chunks)) < PARALLEL_FROM:
        yield from map(work, chunks)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["wpsgraph.loader"])
    with context.Pool(jobs) as pool:
        yield from pool.imap(work, chunks)


def prepare_chunk(
    paths: list[Path], options: LoadOptions, loaded_at: datetime, *, whole: bool = False
) -> list[Prepared]:
    """Parse every file, emit each version's history record, and the full graph of the latest
    version of each evaluation (older versions only add history, so their graphs are never
    built); then validate everything in one engine run. whole: the chunk holds every version
    its evaluations will have (a load into an empty store), so it builds their history graphs."""
    items = [Prepared(FileReport(path, Outcome.OK)) for path in paths]
    sources: dict[int, _Source] = {}
    with _remembering(options):
        for index, path in enumerate(paths):
            try:
                sources[index] = _read_source(path, options, loaded_at)
            except SourceError as exc:
                items[index] = Prepared(FileReport(path, Outcome.REJECTED, error=str(exc)))
    versions: dict[int, EmittedVersion] = {}
    latest: dict[int, Emitted] = {}
    groups = _by_evaluation(sources, items)
    for group in groups:
        for index in group:
            versions[index] = _emit_version(sources[index], options)
        latest[group[-1]] = _emit(sources[group[-1]], options)
    reports = validate_graphs(
        {v.graph_iri: v.triples for v in versions.values()}
        | {e.graph_iri: e.triples for e in latest.values()},
        local_register_graphs(options.register_files),
    )
    for index, version in versions.items():
        items[index] = _version_prepared(
            sources[index], version, latest.get(index), reports, options
        )
    if whole:
        for group in groups:
            _attach_history(items, group)
    return items


def _attach_history(items: list[Prepared], group: list[int]) -> None:
    """The history graph of an evaluation whose versions are all in this chunk, on the item of
    its last accepted version: built here, in the pool, rather than in the process that writes."""
    accepted = [i for i in group if items[i].version is not None]
    if accepted:
        timeline = [v for i in accepted if (v := items[i].version) is not None]
        items[accepted[-1]].history = (tuple(v.iri for v in timeline), history_graph(timeline))


def _by_evaluation(sources: dict[int, _Source], items: list[Prepared]) -> list[list[int]]:
    """The files of each evaluation, oldest observation first. Of two files observed at the same
    time the later one is rejected, and a file with the same bytes as another adds nothing: each
    leaves its report in items and is left out."""
    groups: dict[str, list[int]] = {}
    for index, source in sources.items():
        groups.setdefault(source.info.evaluation_id, []).append(index)
    kept_groups = []
    for group in groups.values():
        kept: list[int] = []
        for index in sorted(group, key=lambda i: sources[i].info.observed.order()):  # type: ignore[union-attr]
            clash = next((k for k in kept if _clashes(sources[k], sources[index])), None)
            if clash is None:
                kept.append(index)
            else:
                items[index] = _clash_report(sources[clash], sources[index])
        kept_groups.append(kept)
    return kept_groups


def _clashes(first: _Source, second: _Source) -> bool:
    """Same bytes, or two versions that cannot be told apart in time."""
    assert first.info.observed and second.info.observed  # a load observes every file
    same_time = first.info.observed.order() == second.info.observed.order()
    return same_time or first.info.sha256 == second.info.sha256


def _clash_report(first: _Source, second: _Source) -> Prepared:
    evaluation = evaluation_iri(second.info.org_id, second.info.evaluation_id)
    assert first.info.observed and second.info.observed  # a load observes every file
    if first.info.observed.order() == second.info.observed.order():
        return Prepared(
            FileReport(
                second.path,
                Outcome.REJECTED,
                evaluation,
                error=f"{second.path}: evaluation {evaluation} is also in {first.path}, "
                f"observed at the same time ({second.info.observed.day}, "
                f"{second.info.observed.source}); give each version its own date",
            )
        )
    return Prepared(
        FileReport(
            second.path,
            Outcome.OK,
            evaluation,
            history=f"same bytes as {first.path}: no new version",
            compared=True,
        )
    )


def _version_prepared(
    source: _Source,
    version: EmittedVersion,
    emitted: Emitted | None,
    reports: dict[URIRef, ValidationReport],
    options: LoadOptions,
) -> Prepared:
    """An accepted version, and its full graph when it was built; or the file's rejection."""
    history = reports[version.graph_iri]
    if emitted is None:
        version.warnings[:0] = source.parsed.warnings
        report = _judged(source.path, version, history, options)
        current = None
    else:
        # The full graph's warnings already say what the history record would repeat.
        report = _judged(source.path, emitted, reports[emitted.graph_iri], options, history)
        current = (emitted.graph_iri, ntriples(emitted.triples))
    if report.outcome is Outcome.REJECTED:
        return Prepared(report)
    return Prepared(
        report,
        version.version,
        (version.graph_iri, ntriples(version.triples)),
        current,
        len(version.triples),
        0 if emitted is None else len(emitted.triples),
    )


def _judged(
    path: Path,
    emitted: Emitted | EmittedVersion,
    validation: ValidationReport,
    options: LoadOptions,
    also: ValidationReport | None = None,
) -> FileReport:
    """The file's outcome from what emitting assumed and what validation found (also: the
    violations of a second graph made from the same file)."""
    evaluation = emitted.evaluation
    warnings = [_located(path, w) for w in emitted.warnings]
    warnings += [_shape_result(path, emitted, r) for r in validation.warnings]
    violations = validation.violations + (also.violations if also else [])
    if violations:
        return FileReport(
            path,
            Outcome.REJECTED,
            evaluation,
            warnings=warnings,
            error=_shape_result(
                path, emitted, violations[0], f"{len(violations)} shape violation(s); first: "
            ),
        )
    if options.strict and warnings:
        return FileReport(
            path,
            Outcome.REJECTED,
            evaluation,
            warnings=warnings,
            error=f"{path}: {len(warnings)} warning(s) and --strict",
        )
    outcome = Outcome.WARNINGS if warnings else Outcome.OK
    return FileReport(path, outcome, evaluation, warnings=warnings)


def _located(path: Path, warning: ParseWarning) -> str:
    return f"{path}:{warning.line}: {warning.message}"


def _shape_result(
    path: Path, emitted: Emitted | EmittedVersion, result: ValidationResult, lead: str = ""
) -> str:
    """A validation result located at the source line of its focus node, when it has one."""
    line = emitted.lines.get(URIRef(result.focus))
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: {lead}{result.message} ({result.focus})"


@lru_cache(maxsize=1)
def vocabulary_ntriples() -> dict[URIRef, bytes]:
    return serialized_graphs(vocabulary_graphs())


def vocabulary_graphs() -> dict[URIRef, Graph]:
    """The ontology, schemes and register, refreshed in the store on every load."""
    return {
        VOCABULARY_GRAPHS["ontology"]: ontology_graph(),
        VOCABULARY_GRAPHS["schemes"]: schemes_graph(),
        VOCABULARY_GRAPHS["register"]: register_graph(),
    }
