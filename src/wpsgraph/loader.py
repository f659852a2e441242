"""Files -> parse -> emit -> validate -> store: one evaluation graph per file, all or nothing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef

from wpsgraph.concepts import ConceptIndex
from wpsgraph.emit import VOCABULARY_GRAPHS, Emitted, emit_evaluation, gate_url
from wpsgraph.errors import SourceError, WpsGraphError
from wpsgraph.gate import parse_management_response
from wpsgraph.gate.source import read_bytes, source_text
from wpsgraph.model import ParseWarning, SourceInfo
from wpsgraph.paths import REGISTER_DIR
from wpsgraph.register import Register
from wpsgraph.resources import ontology_graph, register_graph, schemes_graph
from wpsgraph.store import Store
from wpsgraph.validate import ValidationReport, validate_graph

SOURCE_SUFFIXES = (".txt", ".html", ".htm")
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


@lru_cache(maxsize=1)
def _register() -> Register:
    return Register.load(REGISTER_DIR)


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
    text, digest = _read(path)
    parsed = parse_management_response(text, source=str(path), register=_register())
    evaluation_id = evaluation_id_for(path, options.evaluation_id)
    info = SourceInfo(
        org_id=options.org_id,
        evaluation_id=evaluation_id,
        file_name=path.name,
        sha256=digest,
        url=options.source_url or gate_url(evaluation_id),
    )
    emitted = emit_evaluation(parsed.response, info, _register(), _concepts())
    emitted.warnings[:0] = parsed.warnings
    return emitted, validate_graph(emitted.graph)


def _read(path: Path) -> tuple[str, str]:
    """The page text and the SHA-256 of the file's bytes (the source version in provenance)."""
    data = read_bytes(path)
    return source_text(data, path), hashlib.sha256(data).hexdigest()


def load_files(
    paths: Iterable[Path],
    store: Store,
    options: LoadOptions = LoadOptions(),
    progress: Callable[[FileReport], None] | None = None,
) -> LoadReport:
    """Load each file as one evaluation graph. A rejected file writes nothing; the accepted ones
    are written in one transaction together with the current vocabulary graphs."""
    files = expand_paths(paths)
    if len(files) != 1 and (options.evaluation_id or options.source_url):
        raise WpsGraphError("--evaluation-id and --source-url need exactly one file")
    reports: list[FileReport] = []
    graphs: dict[URIRef, Graph] = {}
    seen: dict[URIRef, Path] = {}
    for path in files:
        report = _prepare_one(path, options, graphs, seen)
        reports.append(report)
        if progress:
            progress(report)
    if graphs:
        store.replace_graphs({**vocabulary_graphs(), **graphs})
    return LoadReport(reports)


def _prepare_one(
    path: Path, options: LoadOptions, graphs: dict[URIRef, Graph], seen: dict[URIRef, Path]
) -> FileReport:
    try:
        emitted, validation = prepare(path, options)
    except SourceError as exc:
        return FileReport(path, Outcome.REJECTED, error=str(exc))
    if emitted.graph_iri in seen:
        return FileReport(
            path,
            Outcome.REJECTED,
            error=f"{path}: evaluation {emitted.evaluation} is also in {seen[emitted.graph_iri]}",
        )
    warnings = [_located(path, w) for w in emitted.warnings]
    warnings += [f"{path}: {r.focus}: {r.message}" for r in validation.warnings]
    if not validation.conforms:
        first = validation.violations[0]
        return FileReport(
            path,
            Outcome.REJECTED,
            emitted.evaluation,
            warnings=warnings,
            error=f"{path}: does not conform to the shapes "
            f"({len(validation.violations)} violation(s)); first: "
            f"{first.focus}: {first.message}",
        )
    if options.strict and warnings:
        return FileReport(
            path,
            Outcome.REJECTED,
            emitted.evaluation,
            warnings=warnings,
            error=f"{path}: {len(warnings)} warning(s) and --strict",
        )
    seen[emitted.graph_iri] = path
    graphs[emitted.graph_iri] = emitted.graph
    outcome = Outcome.WARNINGS if warnings else Outcome.OK
    return FileReport(path, outcome, emitted.evaluation, len(emitted.graph), warnings)


def _located(path: Path, warning: ParseWarning) -> str:
    return f"{path}:{warning.line}: {warning.message}"


def vocabulary_graphs() -> dict[URIRef, Graph]:
    """The ontology, schemes and register, refreshed in the store on every load."""
    return {
        VOCABULARY_GRAPHS["ontology"]: ontology_graph(),
        VOCABULARY_GRAPHS["schemes"]: schemes_graph(),
        VOCABULARY_GRAPHS["register"]: register_graph(),
    }
