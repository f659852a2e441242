"""The command line: parse arguments, call the library, format output. Exit codes follow pySHACL:
0 success / conforms, 1 violations or rejected input, 2 error."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rdflib import Graph

from wpsgraph import __version__
from wpsgraph.errors import QueryError, StoreError, WpsGraphError
from wpsgraph.fetch import DEFAULT_LIMITS
from wpsgraph.formats import GRAPH_FORMATS, TABLE_FORMATS, render, render_select, results_format
from wpsgraph.paths import DATA_DIR, LINKED_DIR, default_store_dir
from wpsgraph.queries import (
    PAGING,
    CannedQuery,
    canned_results,
    check_read_only,
    discover,
    run_canned,
)
from wpsgraph.serve.limits import Limits, default_workers
from wpsgraph.store import ENDPOINT_ENV, EXPORT_FORMATS, Store, last_written, open_store

# The loader, the parser and the validator (pySHACL) are imported by the commands that use them,
# so query, sparql and export start without them.
if TYPE_CHECKING:
    from wpsgraph.link import LinkReport
    from wpsgraph.loader import FileReport, LoadReport
    from wpsgraph.rdfsource import RdfDocument
    from wpsgraph.validate import ValidationReport

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
RDF_FORMATS = "Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML"
FEDERATED_TIMEOUT = 60.0  # seconds for a query allowed to call remote endpoints
LOCAL_HOST = "127.0.0.1"
# Sample values for the demo's run of queries whose parameters have no default.
DEMO_PARAMETERS = {
    "search": {"text": "Security Council"},
    "status-history": {"evaluation": "11818"},
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except WpsGraphError as exc:
        print(f"wpsgraph: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wpsgraph",
        description="A knowledge graph of Women, Peace and Security commitments.",
        epilog=f"The default store is {default_store_dir()} (set WPSGRAPH_STORE to change it).",
    )
    parser.add_argument("--version", action="version", version=f"wpsgraph {__version__}")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    load = sub.add_parser("load", help="parse management responses and load them into the store")
    load.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="GATE management response pages (.txt/.html) or folders of them",
    )
    _location_options(load, writes=True)
    load.add_argument(
        "--evaluation-id",
        help="the GATE evaluationId (one file only); "
        "by default taken from a file name like gate-11818.txt",
    )
    load.add_argument(
        "--source-url",
        help="the page's URL (one file only); by default the GATE page of the evaluation id",
    )
    load.add_argument(
        "--observed",
        type=_day,
        metavar="DATE",
        help="the day the pages were saved or seen (YYYY-MM-DD); by default the save date a "
        "saved HTML page records, else a date ending the file name (gate-11818_2025-06-30.txt), "
        "else now",
    )
    load.add_argument(
        "--register",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a local register file in Turtle (the form of ontology/register/*.ttl), read with "
        "the shipped register and written to the store's local-register graph (repeatable)",
    )
    load.add_argument("--strict", action="store_true", help="reject files with warnings")
    load.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="processes that parse and validate (default: one per CPU)",
    )
    load.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress and no warnings on stderr (rejections are still reported)",
    )
    load.set_defaults(run=cmd_load)

    synth = sub.add_parser(
        "synth",
        help="write a synthetic corpus of GATE management responses (for benchmarks)",
    )
    synth.add_argument("count", type=_positive_int, metavar="N", help="how many pages to write")
    synth.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="the folder to write to"
    )
    synth.add_argument(
        "--seed", type=int, default=0, help="the same seed writes the same files (default 0)"
    )
    synth.add_argument(
        "--versions",
        type=_positive_int,
        default=1,
        metavar="K",
        help="dated versions per response, showing progress over time; with K > 1 files are "
        "named gate-<id>_<YYYY-MM-DD>.txt (default 1: gate-<id>.txt)",
    )
    synth.set_defaults(run=cmd_synth)

    validate = sub.add_parser(
        "validate",
        help="validate RDF files, URLs, a remote graph, or the store, against the "
        "shapes (exit 0 conforms, 1 violations, 2 error)",
    )
    validate.add_argument(
        "sources",
        nargs="*",
        metavar="FILE|URL",
        help=f"RDF files or http(s) URLs ({RDF_FORMATS}), validated together; none: the store",
    )
    _store_option(validate)
    _remote_graph_options(
        validate,
        "a SPARQL server's query URL: with --graph, that graph is read and validated; "
        f"alone, the server's whole store is validated in place (default ${ENDPOINT_ENV})",
    )
    validate.add_argument(
        "--format",
        choices=("text", "turtle", "json"),
        default="text",
        help="text for people (default); the sh:ValidationReport as Turtle or JSON(-LD)",
    )
    _timeout_option(validate)
    validate.set_defaults(run=cmd_validate)

    link = sub.add_parser(
        "link",
        help="import another publisher's graph: validate it, match its actors to the "
        "register, store it in its own named graph (exit 0 linked, 1 refused, 2 error)",
    )
    link.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help=f"RDF files or http(s) URLs ({RDF_FORMATS}); each becomes one linked graph",
    )
    _remote_graph_options(link)
    link.add_argument(
        "--name",
        help="the linked graph's name (one source only; default: from the source's name); "
        "linking under a name again replaces that graph",
    )
    link.add_argument(
        "--force", action="store_true", help="store a source that does not conform to the shapes"
    )
    _timeout_option(link)
    _store_option(link)
    link.set_defaults(run=cmd_link)

    query = sub.add_parser("query", help="run a canned query (see --list)")
    query.add_argument("name", nargs="?", help="the query's name")
    query.add_argument("--list", action="store_true", help="list the canned queries")
    _location_options(query)
    query.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a query parameter (repeatable)",
    )
    for param in PAGING:
        query.add_argument(f"--{param.name}", metavar="N", help=f"{param.description}")
    query.add_argument("--format", choices=TABLE_FORMATS, default="table")
    query.set_defaults(run=cmd_query)

    sparql = sub.add_parser(
        "sparql", help="run a read-only SPARQL query (SELECT/ASK/CONSTRUCT/DESCRIBE)"
    )
    source = sparql.add_mutually_exclusive_group(required=True)
    source.add_argument("query", nargs="?", help="the query text")
    source.add_argument("--file", type=Path, help="a file holding the query")
    _location_options(sparql)
    sparql.add_argument(
        "--format",
        choices=TABLE_FORMATS + GRAPH_FORMATS,
        help="table/csv/json for SELECT and ASK (default table); "
        "turtle/nt/jsonld for CONSTRUCT and DESCRIBE (default turtle)",
    )
    sparql.add_argument(
        "--federate",
        action="append",
        default=[],
        metavar="URL",
        help="allow SERVICE calls to this SPARQL endpoint (repeatable; exact IRI); "
        "every other SERVICE stays refused",
    )
    sparql.add_argument(
        "--timeout",
        type=_positive_float,
        default=FEDERATED_TIMEOUT,
        metavar="SECONDS",
        help=f"with --federate: time allowed for the whole query (default {FEDERATED_TIMEOUT:g})",
    )
    sparql.set_defaults(run=cmd_sparql)

    export = sub.add_parser("export", help="write the whole store as RDF")
    _location_options(export)
    export.add_argument("--format", choices=tuple(EXPORT_FORMATS), default="turtle")
    export.add_argument("-o", "--output", type=Path, help="a file (default: standard output)")
    export.set_defaults(run=cmd_export)

    describe = sub.add_parser(
        "describe", help="write a DCAT + VoID description of the dataset in the store"
    )
    _store_option(describe)
    describe.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="the public URL of the SPARQL endpoint that serves this store, if any",
    )
    describe.add_argument("--format", choices=GRAPH_FORMATS, default="turtle")
    describe.add_argument("-o", "--output", type=Path, help="a file (default: standard output)")
    describe.set_defaults(run=cmd_describe)

    docs = sub.add_parser(
        "docs", help="write HTML documentation of the ontology, concept schemes and shapes"
    )
    docs.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="the folder to write to"
    )
    docs.set_defaults(run=cmd_docs)

    w3id = sub.add_parser(
        "w3id", help="write the w3id.org redirect rules (.htaccess) for a server's base URL"
    )
    w3id.add_argument(
        "--target",
        required=True,
        metavar="URL",
        help="the base URL of the server that publishes the graph, e.g. https://data.example.org",
    )
    w3id.add_argument("-o", "--output", type=Path, help="a file (default: standard output)")
    w3id.set_defaults(run=cmd_w3id)

    _add_serve(sub)

    demo = sub.add_parser(
        "demo", help="load data/, link data/linked/, validate, and print every canned query"
    )
    _store_option(demo)
    demo.set_defaults(run=cmd_demo)
    return parser


def _add_serve(sub: argparse._SubParsersAction) -> None:
    defaults = Limits()
    serve = sub.add_parser(
        "serve",
        help="serve the store over HTTP: SPARQL endpoint, query page, canned queries, "
        "descriptions of its IRIs (read-only)",
    )
    _store_option(serve)
    serve.add_argument(
        "--host",
        default=LOCAL_HOST,
        help=f"the address to listen on (default {LOCAL_HOST}: this machine only)",
    )
    serve.add_argument("--port", type=_port, default=8000, help="default 8000")
    serve.add_argument(
        "--timeout-s",
        type=_positive_float,
        default=defaults.timeout_s,
        metavar="S",
        help="time limit of each query, after which it is stopped "
        f"(default {defaults.timeout_s:g})",
    )
    serve.add_argument(
        "--on-disk",
        action="store_true",
        help="serve the store in place instead of reading it into memory "
        "(for graphs bigger than memory; queries are slower)",
    )
    serve.add_argument(
        "--workers",
        type=_positive_int,
        default=default_workers(),
        metavar="N",
        help="queries that run at once, each in a process of its own "
        "(default: one per CPU, plus one)",
    )
    serve.add_argument(
        "--queue",
        type=_non_negative_int,
        default=defaults.queue,
        metavar="N",
        help=f"requests that may wait for a free worker; more get 503 (default {defaults.queue})",
    )
    serve.add_argument(
        "--ontology-docs",
        type=Path,
        metavar="DIR",
        help="serve this folder (written by 'wpsgraph docs -o DIR') as the ontology's "
        "documentation at /ontology/ (default: write it at start)",
    )
    serve.add_argument(
        "--federate",
        action="append",
        default=[],
        metavar="URL",
        help="allow SERVICE calls to this SPARQL endpoint (repeatable; exact IRI); every other "
        "SERVICE stays refused, and a federated query keeps the time limit",
    )
    serve.add_argument(
        "--max-result-mb",
        type=_positive_int,
        default=defaults.max_result_bytes // 2**20,
        metavar="MB",
        help="the largest answer handed out, in MiB; a larger one is an error, never cut short "
        f"(default {defaults.max_result_bytes // 2**20})",
    )
    serve.set_defaults(run=cmd_serve)


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"the store directory (default {default_store_dir()})",
    )


def _remote_graph_options(
    parser: argparse.ArgumentParser, endpoint_help: str = "a SPARQL endpoint (with --graph)"
) -> None:
    parser.add_argument("--endpoint", metavar="URL", help=endpoint_help)
    parser.add_argument("--graph", metavar="IRI", help="the named graph to read from --endpoint")


def _location_options(parser: argparse.ArgumentParser, *, writes: bool = False) -> None:
    """--store DIR, or --endpoint URL for a SPARQL server (credentials only from the
    environment: see the README)."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"the store directory (default {default_store_dir()})",
    )
    where.add_argument(
        "--endpoint",
        metavar="URL",
        help="a SPARQL server's query URL instead of a store directory, e.g. "
        f"http://127.0.0.1:7878/query (default ${ENDPOINT_ENV} when set)",
    )
    if writes:
        parser.add_argument(
            "--update-endpoint",
            metavar="URL",
            help="the server's SPARQL Update URL (derived for Oxigraph, Fuseki and Virtuoso)",
        )
        parser.add_argument(
            "--graph-store",
            metavar="URL",
            help="the server's Graph Store Protocol URL (derived for Oxigraph, Fuseki and "
            "Virtuoso; without one, graphs are written with SPARQL Update)",
        )


def _timeout_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_LIMITS.timeout,
        metavar="SECONDS",
        help=f"time allowed to read each URL or remote graph (default {DEFAULT_LIMITS.timeout:g}"
        f"; answers over {DEFAULT_LIMITS.max_bytes // 2**20} MiB are refused)",
    )


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got '{text}'")
    return int(text)


def _day(text: str) -> date:
    """A past day (checked here, so that a bad date opens no store)."""
    from wpsgraph.observation import check_stated

    try:
        day = date.fromisoformat(text)
        check_stated(day, datetime.now(UTC))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got '{text}'") from None
    except WpsGraphError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return day


def _non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'")
    return int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got '{text}'")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number (0-65535), got '{text}'")
    return int(text)


def _store_dir(args: argparse.Namespace) -> Path:
    return args.store or default_store_dir()


def _location(args: argparse.Namespace) -> Path | str:
    """--endpoint, --store, $WPSGRAPH_ENDPOINT, then the default store directory."""
    if args.endpoint and args.store:
        raise WpsGraphError("--store DIR or --endpoint URL: one store at a time")
    if args.endpoint:
        return args.endpoint
    if args.store is None and (endpoint := os.environ.get(ENDPOINT_ENV)):
        return endpoint
    return _store_dir(args)


def _open(args: argparse.Namespace, *, read_only: bool = True) -> AbstractContextManager[Store]:
    return open_store(
        _location(args),
        read_only=read_only,
        update_endpoint=getattr(args, "update_endpoint", None),
        graph_store=getattr(args, "graph_store", None),
    )


def cmd_load(args: argparse.Namespace) -> int:
    from wpsgraph.loader import LoadOptions, load_files

    options = LoadOptions(
        evaluation_id=args.evaluation_id,
        source_url=args.source_url,
        strict=args.strict,
        jobs=args.jobs,
        observed=args.observed,
        register_files=tuple(args.register),
    )
    with _open(args, read_only=False) as store, _load_progress(args.quiet) as progress:
        report = load_files(args.paths, store, options, progress=progress)
    print(summary_table(report))
    return EXIT_FAILED if report.rejected or not report.files else EXIT_OK


@contextmanager
def _load_progress(quiet: bool) -> Iterator[Callable[[FileReport], None]]:
    """A progress bar on a terminal; one line per file when stderr is a file or a pipe (logs);
    with --quiet only rejections."""
    if quiet or not sys.stderr.isatty():
        yield lambda report: _print_progress(report, per_file=not quiet, warnings=not quiet)
        return
    from tqdm import tqdm

    with tqdm(unit=" files", file=sys.stderr, dynamic_ncols=True) as bar:

        def step(report: FileReport) -> None:
            for line in _progress_lines(report, per_file=False, warnings=True):
                bar.write(line, file=sys.stderr)
            bar.update(1)

        yield step


def _print_progress(report: FileReport, *, per_file: bool = True, warnings: bool = True) -> None:
    for line in _progress_lines(report, per_file=per_file, warnings=warnings):
        print(line, file=sys.stderr)


def _progress_lines(report: FileReport, *, per_file: bool, warnings: bool) -> list[str]:
    lines = [f"{report.outcome.value}: {report.path}"] if per_file or report.error else []
    if warnings:
        lines += [f"  warning: {w}" for w in report.warnings]
    # When the version was observed and what changed against the version before, in one line;
    # under a progress bar only when there was a version before.
    if report.history and warnings and (per_file or report.compared):
        lines.append(f"  history: {report.path}: {report.history}")
    if report.error:
        lines.append(f"  rejected: {report.error}")
    return lines


def cmd_synth(args: argparse.Namespace) -> int:
    from wpsgraph.synth import write_corpus

    paths = write_corpus(args.count, args.output, seed=args.seed, versions=args.versions)
    print(
        f"wrote {len(paths)} pages ({args.count} management responses, "
        f"{args.versions} version(s) each) to {args.output}",
        file=sys.stderr,
    )
    return EXIT_OK


def summary_table(report: LoadReport) -> str:
    if not report.files:
        return "no source files found (expected .txt or .html files)"
    name_width = max(len(str(f.path)) for f in report.files)
    lines = [f"{'file'.ljust(name_width)}  {'outcome':<16}  {'triples':>7}  warnings"]
    for f in report.files:
        lines.append(
            f"{str(f.path).ljust(name_width)}  {f.outcome.value:<16}  "
            f"{f.triples:>7}  {len(f.warnings)}"
        )
    from wpsgraph.loader import Outcome

    counts = {o: sum(f.outcome is o for f in report.files) for o in Outcome}
    lines.append(", ".join(f"{n} {o.value}" for o, n in counts.items()))
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    from wpsgraph.validate import validate_graph, validate_store

    if args.sources or args.graph:
        data = Graph()
        for document in _read_documents(args):
            data += document.graph
        report = validate_graph(data)
    else:
        with _open(args) as store:
            report = validate_store(store)
    print(_render_validation(report, args.format), end="")
    return EXIT_OK if report.conforms else EXIT_FAILED


def _read_documents(args: argparse.Namespace) -> list[RdfDocument]:
    """Every SOURCE (file or URL) and the --endpoint/--graph pair, read safely; the first that
    cannot be read stops everything before anything is written."""
    from wpsgraph.rdfsource import read_remote_graph, read_source

    if bool(args.endpoint) != bool(args.graph):
        raise WpsGraphError("--endpoint URL and --graph IRI go together: the graph to read")
    limits = replace(DEFAULT_LIMITS, timeout=args.timeout)
    documents = [read_source(source, limits) for source in args.sources]
    if args.endpoint:
        documents.append(read_remote_graph(args.endpoint, args.graph, limits))
    return documents


def cmd_link(args: argparse.Namespace) -> int:
    from wpsgraph.link import LinkOptions, link_document

    documents = _read_documents(args)
    if not documents:
        raise WpsGraphError("name a SOURCE (a file or URL), or --endpoint URL --graph IRI")
    if args.name and len(documents) != 1:
        raise WpsGraphError("--name needs exactly one source")
    options = LinkOptions(name=args.name, force=args.force)
    refused = False
    with open_store(_store_dir(args)) as store:
        for document in documents:
            report = link_document(store, document, options)
            print(link_summary(report))
            refused |= not report.written
    return EXIT_FAILED if refused else EXIT_OK


def link_summary(report: LinkReport) -> str:
    """What was stored where, the actors matched, and what to fix: the validation report when
    the shapes were not met."""
    if not report.written:
        lines = [f"refused: {report.source}: {report.refusal}; nothing was written."]
        if report.validation is not None and report.validation.results:
            lines += ["What to fix:", report.validation.as_text()]
        return "\n".join(lines)
    replaced = ", replacing the previous version" if report.replaced else ""
    lines = [f"linked: {report.source} -> <{report.graph}> ({report.triples} triples{replaced})"]
    validation = report.validation
    if validation is not None and validation.results:
        forced = " (stored anyway: --force)" if not validation.conforms else ""
        lines += [f"Validation{forced}:", validation.as_text()]
    if report.reconciliation is not None:
        lines += _reconciliation_lines(report)
    return "\n".join(lines)


def _reconciliation_lines(report: LinkReport) -> list[str]:
    r = report.reconciliation
    assert r is not None
    links = r.links
    lines = [
        f"actors: {len(r.matches)} in the register ({len(links)} linked in <{report.linkset}>, "
        f"{len(r.matches) - len(links)} named by our IRIs), {len(r.ambiguous)} ambiguous, "
        f"{len(r.unmatched)} not in the register"
    ]
    lines += [f"  linked: <{m.node}> = <{m.actor}> (by {m.evidence})" for m in links]
    lines += [
        f"  ambiguous, not linked: <{a.node}> could be {a.evidence}; "
        "state skos:exactMatch to the one meant"
        for a in r.ambiguous
    ]
    lines += [
        f"  not in the register: {_node(u.node)}"
        + (f" '{u.name}'" if u.name else "")
        + (f": {u.note}" if u.note else "")
        for u in r.unmatched
    ]
    return lines


def _node(node: object) -> str:
    return f"<{node}>" if "://" in str(node) else f"_:{node}"


def _render_validation(report: ValidationReport, fmt: str) -> str:
    if fmt == "json":
        return report.as_json() + "\n"
    if fmt == "turtle":
        return report.as_turtle()
    return report.as_text() + "\n"


def cmd_query(args: argparse.Namespace) -> int:
    queries = discover()
    if args.list:
        print(_list_queries(queries))
        return EXIT_OK
    if not args.name:
        raise QueryError("name a query, or use --list to see them")
    if args.name not in queries:
        raise QueryError(f"no canned query '{args.name}'; known: {', '.join(queries)}")
    params = _query_parameters(args)
    with _open(args) as store:
        data = canned_results(store, queries[args.name], params, results_format(args.format))
    sys.stdout.write(render_select(data, args.format))
    return EXIT_OK


def _query_parameters(args: argparse.Namespace) -> dict[str, str]:
    """--param KEY=VALUE pairs, with --limit and --offset as the parameters they stand for."""
    params = dict(_split_param(p) for p in args.param)
    for param in PAGING:
        value = getattr(args, param.name)
        if value is None:
            continue
        if param.name in params:
            raise QueryError(f"--{param.name} and --param {param.name}=...: give it once")
        params[param.name] = value
    return params


def _split_param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise QueryError(f"--param '{text}': expected KEY=VALUE")
    return key, value


def _list_queries(queries: dict[str, CannedQuery]) -> str:
    lines = [
        "Every query takes a page of its rows (in its ORDER BY), as --NAME N or --param NAME=N:"
    ]
    lines += [f"    --{p.name + ' N':<9} {p.description}" for p in PAGING]
    lines.append("")
    for q in queries.values():
        lines.append(f"{q.name}\n    {q.title}: {q.question}")
        if q.note:
            lines.append(f"    Note: {q.note}")
        lines += [
            f"    --param {p.name}=<{p.type}>"
            + (f" (default {p.default})" if p.default else " (required)")
            + (f" {p.description}" if p.description else "")
            for p in q.parameters
        ]
    return "\n".join(lines)


def cmd_sparql(args: argparse.Namespace) -> int:
    text = _read_query_file(args.file) if args.file else args.query
    with _open(args) as store:
        form = check_read_only(text, store.named_graphs(), services=args.federate)
        fmt = args.format or ("table" if form in ("SELECT", "ASK") else "turtle")
        try:
            if args.federate:
                output = _federated(lambda: _sparql_output(store, text, form, fmt), args.timeout)
            else:
                output = _sparql_output(store, text, form, fmt)
        except ValueError as exc:
            raise QueryError(f"--format {fmt}: {exc}") from None
    sys.stdout.write(output)
    return EXIT_OK


def _federated(run: Callable[[], str], seconds: float) -> str:
    """Run a query that may call remote endpoints, within a deadline: the engine sets no
    timeout on SERVICE calls and cannot be cancelled, so a silent endpoint would hang the
    command. The query runs in a daemon thread, abandoned (and ended with the process) when
    the deadline passes. The engine's objects may only be dropped by the thread that made them,
    so errors cross over as new exceptions holding only their message."""
    outcome: dict[str, str | WpsGraphError | ValueError] = {}

    def target() -> None:
        try:
            outcome["output"] = run()
        except StoreError as exc:  # a failed SERVICE call surfaces as an engine I/O error
            outcome["error"] = QueryError(f"the federated query failed: {exc.__cause__ or exc}")
        except WpsGraphError as exc:
            outcome["error"] = QueryError(str(exc))
        except ValueError as exc:  # an output format that does not fit the result
            outcome["error"] = ValueError(str(exc))

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QueryError(
            f"no answer within {seconds:g} s: an allowed SERVICE endpoint is slow or silent"
        )
    error = outcome.get("error")
    if isinstance(error, Exception):
        raise error
    return str(outcome["output"])


def _sparql_output(store: Store, text: str, form: str, fmt: str) -> str:
    """SELECT rows are serialized by the engine; ASK, CONSTRUCT and DESCRIBE go through rdflib."""
    if form == "SELECT":
        return render_select(store.select_results(text, results_format(fmt)), fmt)
    return render(store.query(text), fmt)


def _read_query_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the query: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path}: the query is not UTF-8 text") from None


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args) as store:
        if args.output:
            _write_whole(args.output, lambda out: store.export(out, args.format))
        else:
            store.export(sys.stdout.buffer, args.format)
    return EXIT_OK


def _write_whole(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write into a temporary file beside path, renamed over it only when the write ended: a
    failure leaves no file, or the old one."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as out:
            write(out)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise WpsGraphError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def cmd_describe(args: argparse.Namespace) -> int:
    from wpsgraph.describe import describe_dataset

    store_dir = _store_dir(args)
    with open_store(store_dir, read_only=True) as store:
        description = describe_dataset(
            store, endpoint_url=args.endpoint_url, written_at=last_written(store_dir)
        )
    _write_text(render(description, args.format), args.output)
    return EXIT_OK


def _write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise WpsGraphError(f"{output}: cannot write: {exc.strerror}") from None


def cmd_docs(args: argparse.Namespace) -> int:
    from wpsgraph.docs import write_docs

    written = write_docs(args.output)
    print(f"wrote {len(written)} files to {args.output}; open {args.output / 'index.html'}")
    return EXIT_OK


def cmd_w3id(args: argparse.Namespace) -> int:
    from wpsgraph.w3id import htaccess

    _write_text(htaccess(args.target), args.output)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from wpsgraph.serve.server import ServeOptions, Server, exposure_warning

    options = ServeOptions(
        store=_store_dir(args),
        host=args.host,
        port=args.port,
        on_disk=args.on_disk,
        ontology_docs=args.ontology_docs,
        write_docs=args.ontology_docs is None,
        federate=tuple(args.federate),
        limits=Limits(
            timeout_s=args.timeout_s,
            workers=args.workers,
            queue=args.queue,
            max_result_bytes=args.max_result_mb * 2**20,
        ),
    )
    warning = exposure_warning(args.host)
    if warning:
        print(f"wpsgraph: warning: {warning}", file=sys.stderr)
    started = time.monotonic()
    server = Server(options, progress=None if args.on_disk else _ReadProgress(options.store))
    # A service manager stops the server with SIGTERM: close it as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(EXIT_OK))
    try:
        summary = server.pool.summary
        held = (
            f"{summary['quads']:,} quads in {summary['graphs']:,} graphs, read into memory in "
            f"{time.monotonic() - started:.1f} s"
            if not args.on_disk
            else "served in place (--on-disk)"
        )
        print(
            f"wpsgraph: serving {options.store} ({held})\n"
            f"  query page  {server.url}/\n"
            f"  SPARQL      {server.url}/sparql\n"
            f"  queries     {server.url}/queries\n"
            "Ctrl-C stops.",
            file=sys.stderr,
        )
        server.serve_forever()
    finally:
        server.close()
    return EXIT_OK


class _ReadProgress:
    """One line that grows on a terminal; a line per step in a log."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        percent = f"{100 * done // total}%" if total else ""
        line = f"wpsgraph: reading {self.store} into memory: {done:,} of {total:,} quads {percent}"
        if self.tty:
            end = "\n" if done >= total else ""
            print(f"\r{line}", end=end, file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from wpsgraph.loader import load_files
    from wpsgraph.validate import validate_store

    store_dir = _store_dir(args)
    print(f"== Loading {DATA_DIR} into {store_dir}", file=sys.stderr)
    with open_store(store_dir) as store:
        report = load_files([DATA_DIR], store, progress=_print_progress)
    print(summary_table(report))
    if report.rejected:
        return EXIT_FAILED
    if not _link_examples(store_dir):
        return EXIT_FAILED
    print("\n== Validating the store against the shapes")
    with open_store(store_dir, read_only=True) as store:
        validation = validate_store(store)
        print(validation.as_text())
        _print_canned_answers(store)
    return EXIT_OK if validation.conforms else EXIT_FAILED


def _link_examples(store_dir: Path) -> bool:
    """Link the other publishers' graphs shipped in data/linked/; False if one is refused."""
    from wpsgraph.link import link_document
    from wpsgraph.rdfsource import FORMAT_BY_EXTENSION, read_file

    paths = sorted(p for p in LINKED_DIR.glob("*") if p.suffix.lower() in FORMAT_BY_EXTENSION)
    print(f"\n== Linking {len(paths)} graph(s) of other publishers from {LINKED_DIR}")
    written = True
    with open_store(store_dir) as store:
        for path in paths:
            report = link_document(store, read_file(path))
            print(link_summary(report))
            written &= report.written
    return written


def _print_canned_answers(store: Store) -> None:
    for query in discover().values():
        print(f"\n== {query.name}: {query.title}\n   {query.question}")
        params = DEMO_PARAMETERS.get(query.name, {})
        if params:
            print(f"   (with {', '.join(f'{k}={v!r}' for k, v in params.items())})")
        print(render(run_canned(store, query, params), "table"), end="")
