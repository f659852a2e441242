"""Files -> parse -> emit -> validate -> store: one evaluation graph per file, all or nothing."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache, partial
from pathlib import Path

from rdflib import Graph, URIRef

from wpsgraph.concepts import ConceptIndex
from wpsgraph.emit import VOCABULARY_GRAPHS, Emitted, emit_evaluation, gate_url
from wpsgraph.errors import SourceError, WpsGraphError
from wpsgraph.gate import parse_management_response
from wpsgraph.gate.source import read_bytes, source_text
from wpsgraph.local_register import load_register, local_register_graphs
from wpsgraph.model import ParseWarning, SourceInfo
from wpsgraph.resources import ontology_graph, register_graph, schemes_graph
from wpsgraph.store import Store, ntriples
from wpsgraph.validate import ValidationReport, ValidationResult, validate_graphs

SOURCE_SUFFIXES = (".txt", ".html", ".htm")
CHUNK_FILES = 50  # files per task: one validation run, one progress step
BATCH_FILES = 500  # files per write transaction
BULK_FILES = 4000  # files per bulk load into an empty store (each writes new on-disk files)
PARALLEL_FROM = 100  # fewer files are parsed in-process: a pool costs about a second to start
# gate-11818.txt, 11818.txt, ViewManagementResponse?evaluationId=11818.html
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
    triples: int = 0
    warnings: list[str] = field(default_factory=list)  # "file:line: message"
    error: str | None = None  # "file:line: why", when rejected


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
    register_files: tuple[Path, ...] = ()  # local register files, read with the shipped one


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
    match = _EVALUATION_ID_IN_NAME.match(path.stem)
    if not match:
        raise SourceError(
            path,
            None,
            "cannot tell the GATE evaluationId: name the file gate-<id>.txt "
            "or pass --evaluation-id",
        )
    return match.group(1)


def prepare(path: Path, options: LoadOptions) -> tuple[Emitted, ValidationReport]:
    """Read, parse, emit and validate one file; raises SourceError/WpsGraphError to reject it."""
    emitted = _emit(path, options)
    context = local_register_graphs(options.register_files)
    return emitted, validate_graphs({emitted.graph_iri: emitted.triples}, context)[
        emitted.graph_iri
    ]


def _emit(path: Path, options: LoadOptions) -> Emitted:
    text, digest = _read(path)
    register = load_register(options.register_files)
    parsed = parse_management_response(text, source=str(path), register=register)
    evaluation_id = evaluation_id_for(path, options.evaluation_id)
    info = SourceInfo(
        org_id=options.org_id,
        evaluation_id=evaluation_id,
        file_name=path.name,
        sha256=digest,
        url=options.source_url or gate_url(evaluation_id),
    )
    emitted = emit_evaluation(parsed.response, info, register, _concepts())
    emitted.warnings[:0] = parsed.warnings
    return emitted


def _read(path: Path) -> tuple[str, str]:
    """The page text and the SHA-256 of the file's bytes (the source version in provenance)."""
    data = read_bytes(path)
    return source_text(data, path), hashlib.sha256(data).hexdigest()


@dataclass
class _Prepared:
    """One file after parse, emit and validation: its report and, when accepted, its graph as
    N-Triples (bytes travel between processes far cheaper than rdflib graphs)."""

    report: FileReport
    graph_iri: URIRef | None = None
    ntriples: bytes | None = None


def load_files(
    paths: Iterable[Path],
    store: Store,
    options: LoadOptions = LoadOptions(),
    progress: Callable[[FileReport], None] | None = None,
) -> LoadReport:
    """Load each file as one evaluation graph. A rejected file writes nothing. Accepted files are
    written in batches, each batch in one transaction (so each evaluation graph is replaced
    whole); the vocabulary graphs are refreshed with the first batch. Into a store that was
    empty when the load began, batches are bulk-loaded instead, and any failure empties the
    store again, which is how it was."""
    files = expand_paths(paths)
    if len(files) != 1 and (options.evaluation_id or options.source_url):
        raise WpsGraphError("--evaluation-id and --source-url need exactly one file")
    # A bad local register file stops the load before anything is written.
    load_register(options.register_files)
    local = _serialized(local_register_graphs(options.register_files))
    writer = _Writer(store, bulk=store.is_empty(), vocabulary={**vocabulary_ntriples(), **local})
    reports: list[FileReport] = []
    seen: dict[URIRef, Path] = {}
    try:
        for chunk in _prepared(files, options):
            for item in chunk:
                report = _deduplicated(item, seen)
                if report.outcome is not Outcome.REJECTED and item.graph_iri and item.ntriples:
                    seen[item.graph_iri] = report.path
                    writer.add(item.graph_iri, item.ntriples)
                reports.append(report)
                if progress:
                    progress(report)
            writer.flush(final=False)
        writer.flush(final=True)
    except BaseException:
        writer.abort()
        raise
    return LoadReport(reports)


def _deduplicated(item: _Prepared, seen: dict[URIRef, Path]) -> FileReport:
    report = item.report
    if item.graph_iri is None or item.graph_iri not in seen:
        return report
    return FileReport(
        report.path,
        Outcome.REJECTED,
        report.evaluation,
        warnings=report.warnings,
        error=f"{report.path}: evaluation {report.evaluation} is also in {seen[item.graph_iri]}",
    )


class _Writer:
    """Collects accepted graphs and writes them: transactionally, BATCH_FILES at a time, or, into
    a store that was empty, by bulk loads of BULK_FILES (fewer, larger on-disk files)."""

    def __init__(self, store: Store, *, bulk: bool, vocabulary: dict[URIRef, bytes]) -> None:
        self.store = store
        self.bulk = bulk
        self.vocabulary = vocabulary
        self.pending: dict[URIRef, bytes] = {}
        self.wrote = False

    def add(self, name: URIRef, ntriples: bytes) -> None:
        self.pending[name] = ntriples

    def flush(self, *, final: bool) -> None:
        limit = BULK_FILES if self.bulk else BATCH_FILES
        if not self.pending or (not final and len(self.pending) < limit):
            return
        batch = self.pending if self.wrote else {**self.vocabulary, **self.pending}
        self.wrote = True  # before the write: a bulk load that fails half-way has written
        if self.bulk:
            self.store.bulk_add(batch)
        else:
            self.store.replace_serialized(batch)
        self.pending = {}
        if final and self.bulk:
            self.store.optimize()

    def abort(self) -> None:
        if self.bulk and self.wrote:
            self.store.clear()


def _prepared(files: list[Path], options: LoadOptions) -> Iterator[list[_Prepared]]:
    """Prepared files in their order, a chunk at a time; in a pool of processes when there are
    enough files to repay starting it."""
    jobs = min(options.jobs or os.cpu_count() or 1, os.cpu_count() or 1)
    chunks = [files[i : i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
    if jobs < 2 or len(files) < PARALLEL_FROM:
        yield from (prepare_chunk(chunk, options) for chunk in chunks)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["wpsgraph.loader"])
    with context.Pool(jobs) as pool:
        yield from pool.imap(partial(prepare_chunk, options=options), chunks)


def prepare_chunk(paths: list[Path], options: LoadOptions) -> list[_Prepared]:
    """Parse, emit and validate some files; validation runs once per round of distinct
    evaluations (a batch of graphs costs about what one does)."""
    items: list[_Prepared] = []
    emitted: dict[int, Emitted] = {}
    for path in paths:
        try:
            emitted[len(items)] = _emit(path, options)
            items.append(_Prepared(FileReport(path, Outcome.OK)))
        except SourceError as exc:
            items.append(_Prepared(FileReport(path, Outcome.REJECTED, error=str(exc))))
    context = local_register_graphs(options.register_files)
    for round_ in _rounds(emitted):
        reports = validate_graphs({e.graph_iri: e.triples for e in round_.values()}, context)
        for index, em in round_.items():
            path = items[index].report.path
            report = _judged(path, em, reports[em.graph_iri], options)
            accepted = report.outcome is not Outcome.REJECTED
            body = ntriples(em.triples) if accepted else None
            items[index] = _Prepared(report, em.graph_iri, body)
    return items


def _rounds(emitted: dict[int, Emitted]) -> list[dict[int, Emitted]]:
    """Split into groups with at most one file per evaluation (one batch, one graph each)."""
    rounds: list[dict[int, Emitted]] = []
    for index, em in emitted.items():
        target = next(
            (r for r in rounds if all(e.graph_iri != em.graph_iri for e in r.values())), None
        )
        if target is None:
            target = {}
            rounds.append(target)
        target[index] = em
    return rounds


def _judged(
    path: Path, emitted: Emitted, validation: ValidationReport, options: LoadOptions
) -> FileReport:
    warnings = [_located(path, w) for w in emitted.warnings]
    warnings += [_shape_result(path, emitted, r) for r in validation.warnings]
    if not validation.conforms:
        violations = validation.violations
        return FileReport(
            path,
            Outcome.REJECTED,
            emitted.evaluation,
            warnings=warnings,
            error=_shape_result(
                path, emitted, violations[0], f"{len(violations)} shape violation(s); first: "
            ),
        )
    if options.strict and warnings:
        return FileReport(
            path,
            Outcome.REJECTED,
            emitted.evaluation,
            warnings=warnings,
            error=f"{path}: {len(warnings)} warning(s) and --strict",
        )
    outcome = Outcome.WARNINGS if warnings else Outcome.OK
    return FileReport(path, outcome, emitted.evaluation, len(emitted.triples), warnings)


def _located(path: Path, warning: ParseWarning) -> str:
    return f"{path}:{warning.line}: {warning.message}"


def _shape_result(path: Path, emitted: Emitted, result: ValidationResult, lead: str = "") -> str:
    """A validation result located at the source line of its focus node, when it has one."""
    line = emitted.lines.get(URIRef(result.focus))
    where = f"{path}:{line}" if line else str(path)
    return f"{where}: {lead}{result.message} ({result.focus})"


@lru_cache(maxsize=1)
def vocabulary_ntriples() -> dict[URIRef, bytes]:
    return _serialized(vocabulary_graphs())


def _serialized(graphs: dict[URIRef, Graph]) -> dict[URIRef, bytes]:
    return {name: graph.serialize(format="nt", encoding="utf-8") for name, graph in graphs.items()}


def vocabulary_graphs() -> dict[URIRef, Graph]:
    """The ontology, schemes and register, refreshed in the store on every load."""
    return {
        VOCABULARY_GRAPHS["ontology"]: ontology_graph(),
        VOCABULARY_GRAPHS["schemes"]: schemes_graph(),
        VOCABULARY_GRAPHS["register"]: register_graph(),
    }
