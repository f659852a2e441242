"""The command line: parse arguments, call the library, format output. Exit codes follow pySHACL:
0 success / conforms, 1 violations or rejected input, 2 error."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rdflib import Graph

from wpsgraph import __version__
from wpsgraph.errors import QueryError, WpsGraphError
from wpsgraph.formats import GRAPH_FORMATS, TABLE_FORMATS, render, render_select, results_format
from wpsgraph.paths import DATA_DIR, default_store_dir
from wpsgraph.queries import CannedQuery, canned_results, check_read_only, discover, run_canned
from wpsgraph.store import ENDPOINT_ENV, EXPORT_FORMATS, Store, open_store

# The loader, the parser and the validator (pySHACL) are imported by the commands that use them,
# so query, sparql and export start without them.
if TYPE_CHECKING:
    from wpsgraph.loader import FileReport, LoadReport
    from wpsgraph.validate import ValidationReport

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
# Sample values for the demo's run of queries whose parameters have no default.
DEMO_PARAMETERS = {"search": {"text": "Security Council"}}


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
    synth.set_defaults(run=cmd_synth)

    validate = sub.add_parser(
        "validate",
        help="validate RDF files, or the store, against the "
        "shapes (exit 0 conforms, 1 violations, 2 error)",
    )
    validate.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="RDF files (Turtle, N-Triples, TriG, JSON-LD ...); "
        "none: the store's evaluation graphs",
    )
    _location_options(validate)
    validate.add_argument("--format", choices=("text", "turtle", "json"), default="text")
    validate.set_defaults(run=cmd_validate)

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
    sparql.set_defaults(run=cmd_sparql)

    export = sub.add_parser("export", help="write the whole store as RDF")
    _location_options(export)
    export.add_argument("--format", choices=tuple(EXPORT_FORMATS), default="turtle")
    export.add_argument("-o", "--output", type=Path, help="a file (default: standard output)")
    export.set_defaults(run=cmd_export)

    demo = sub.add_parser("demo", help="load data/, validate, and print every canned query")
    _store_option(demo)
    demo.set_defaults(run=cmd_demo)
    return parser


def _store_option(parser: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"the store directory (default {default_store_dir()})",
    )


def _location_options(parser: argparse.ArgumentParser, *, writes: bool = False) -> None:
    """--store DIR, or --endpoint URL for a SPARQL server (credentials only from the
    environment: see the README)."""
    where = parser.add_mutually_exclusive_group()
    _store_option(where)
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
            "Virtuoso; without one, graphs are staged with SPARQL Update)",
        )


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got '{text}'")
    return int(text)


def _store_dir(args: argparse.Namespace) -> Path:
    return args.store or default_store_dir()


def _location(args: argparse.Namespace) -> Path | str:
    """--endpoint, --store, $WPSGRAPH_ENDPOINT, then the default store directory."""
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
    if report.error:
        lines.append(f"  rejected: {report.error}")
    return lines


def cmd_synth(args: argparse.Namespace) -> int:
    from wpsgraph.synth import write_corpus

    paths = write_corpus(args.count, args.output, seed=args.seed)
    print(f"wrote {len(paths)} management responses to {args.output}", file=sys.stderr)
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

    if args.files:
        report = validate_graph(_read_rdf_files(args.files))
    else:
        with _open(args) as store:
            report = validate_store(store)
    print(_render_validation(report, args.format), end="")
    return EXIT_OK if report.conforms else EXIT_FAILED


def _read_rdf_files(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        if not path.is_file():
            raise WpsGraphError(f"{path}: no such file")
        try:
            graph.parse(path)
        except Exception as exc:  # rdflib raises parser-specific types
            raise WpsGraphError(f"{path}: cannot parse as RDF: {exc}") from exc
    return graph


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
    params = dict(_split_param(p) for p in args.param)
    with _open(args) as store:
        data = canned_results(store, queries[args.name], params, results_format(args.format))
    sys.stdout.write(render_select(data, args.format))
    return EXIT_OK


def _split_param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise QueryError(f"--param '{text}': expected KEY=VALUE")
    return key, value


def _list_queries(queries: dict[str, CannedQuery]) -> str:
    lines = []
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
        form = check_read_only(text, store.named_graphs())
        fmt = args.format or ("table" if form in ("SELECT", "ASK") else "turtle")
        try:
            output = _sparql_output(store, text, form, fmt)
        except ValueError as exc:
            raise QueryError(f"--format {fmt}: {exc}") from None
    sys.stdout.write(output)
    return EXIT_OK


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
    print("\n== Validating the store against the shapes")
    with open_store(store_dir, read_only=True) as store:
        validation = validate_store(store)
        print(validation.as_text())
        _print_canned_answers(store)
    return EXIT_OK if validation.conforms else EXIT_FAILED


def _print_canned_answers(store: Store) -> None:
    for query in discover().values():
        print(f"\n== {query.name}: {query.title}\n   {query.question}")
        params = DEMO_PARAMETERS.get(query.name, {})
        if params:
            print(f"   (with {', '.join(f'{k}={v!r}' for k, v in params.items())})")
        print(render(run_canned(store, query, params), "table"), end="")
