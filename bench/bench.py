"""wpsgraph at scale: synth -> load -> query -> validate, with rdflib and pySHACL as baselines.

    .venv/bin/python bench/bench.py [--sizes 100,1000,10000] [--out bench/results/DATE.json]

Each size runs in fresh temporary directories. Timings of `wpsgraph` commands run it as a user
does (a new process, start-up included); peak RSS is the largest single process of a command (the
loader's workers are separate processes). The baselines run in this process: rdflib's in-memory
Dataset for every canned query (sizes up to --rdflib-max) and pySHACL on the whole data graph
(sizes up to --pyshacl-max); their rows and violations are compared with wpsgraph's. Every
engine runs the canned queries' shipped text unchanged.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rdflib import Dataset, URIRef

from wpsgraph.queries import bind_parameters, canned_results, discover, run_canned
from wpsgraph.store import open_store
from wpsgraph.synth import FIRST_ID, write_corpus
from wpsgraph.validate import validate_graph_pyshacl, validate_store

ROOT = Path(__file__).resolve().parents[1]
WPSGRAPH = [sys.executable, "-m", "wpsgraph"]
# What a reader asks: overdue as of a fixed day, a word, the first synthetic evaluation's history.
PARAMETERS = {
    "overdue-actions": {"as_of": "2025-06-30"},
    "search": {"text": "roster"},
    "stale-actions": {"months": "12"},
    "status-history": {"evaluation": str(FIRST_ID)},
}
# Runs a command and prints the peak RSS (KiB) of its largest process on the last stderr line.
_MEASURED = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(r.returncode)"
)


def measured(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MiB, stdout."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *command], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{command} failed: {done.stderr[-2000:]}")
    rss_kib = int(done.stderr.strip().splitlines()[-1])
    return elapsed, rss_kib // 1024, done.stdout


def du_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def canonical(rows: list[dict]) -> list[tuple]:
    """Rows as sorted tuples of lexical values: engines may order ties differently."""
    return sorted(tuple("" if v is None else str(v) for v in row.values()) for row in rows)


def bench_size(n: int, args: argparse.Namespace, work: Path) -> dict:
    out: dict = {"n": n}
    corpus, store = work / "corpus", work / "store"
    start = time.perf_counter()
    write_corpus(n, corpus, seed=0)
    out["synth_s"] = time.perf_counter() - start

    seconds, rss, summary = measured([*WPSGRAPH, "load", str(corpus), "--store", str(store), "-q"])
    out |= {"load_s": seconds, "load_docs_per_s": n / seconds, "load_peak_rss_mib": rss}
    out["load_summary"] = summary.strip().splitlines()[-1]
    out["store_mib"] = du_mib(store)
    with open_store(store, read_only=True) as opened:
        out["quads"] = len(opened)

    queries = discover()
    out["queries"] = {}
    for name in queries:
        params = [f"--param={k}={v}" for k, v in PARAMETERS.get(name, {}).items()]
        times = []
        for _ in range(args.repeat):
            command = [*WPSGRAPH, "query", name, "--store", str(store), "--format", "csv", *params]
            seconds, rss, _ = measured(command)
            times.append(seconds)
        out["queries"][name] = {"cli_median_s": statistics.median(times), "cli_peak_rss_mib": rss}
    with open_store(store, read_only=True) as opened:
        for name, query in queries.items():
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                canned_results(opened, query, PARAMETERS.get(name, {}), "csv")
                times.append(time.perf_counter() - start)
            out["queries"][name]["engine_median_s"] = statistics.median(times)

    seconds, rss, _ = measured([*WPSGRAPH, "validate", "--store", str(store), "--format", "json"])
    out |= {"validate_store_s": seconds, "validate_peak_rss_mib": rss}

    one = sorted(corpus.glob("*.txt"))[n // 2]
    one.write_text(one.read_text("utf-8").replace(" Initiated", " Completed", 1), "utf-8")
    seconds, rss, _ = measured([*WPSGRAPH, "load", str(one), "--store", str(store), "-q"])
    out |= {"reload_one_s": seconds, "reload_one_peak_rss_mib": rss}

    if n <= args.rdflib_max or n <= args.pyshacl_max:
        baselines(n, store, queries, args, out)
    return out


def baselines(n: int, store: Path, queries: dict, args: argparse.Namespace, out: dict) -> None:
    dump = store.parent / "all.nq"
    with open_store(store, read_only=True) as opened, dump.open("wb") as stream:
        opened.export(stream, "nquads")
        ours = {
            name: run_canned(opened, q, PARAMETERS.get(name, {})) for name, q in queries.items()
        }
        our_validation = validate_store(opened) if n <= args.pyshacl_max else None
    if n <= args.rdflib_max:
        start = time.perf_counter()
        dataset = Dataset(default_union=True)
        dataset.parse(dump, format="nquads")
        out["rdflib_load_s"] = time.perf_counter() - start
        for name, query in queries.items():
            bindings = bind_parameters(query, PARAMETERS.get(name, {}), today=date(2025, 6, 30))
            start = time.perf_counter()
            result = dataset.query(query.sparql, initBindings=bindings)
            rows = [
                {v: row[v] for v in result.vars if str(v) not in bindings}
                for row in result  # type: ignore[union-attr]
            ]
            seconds = time.perf_counter() - start
            entry = out["queries"][name]
            entry["rdflib_s"] = seconds
            entry["rows"] = len(ours[name].rows)
            entry["rdflib_rows"] = len(rows)
            entry["same_rows"] = canonical(rows) == canonical(ours[name].rows)
            entry["speedup_vs_rdflib"] = seconds / entry["engine_median_s"]
            entry["cli_speedup_vs_rdflib"] = seconds / entry["cli_median_s"]
        out["rdflib_peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    if our_validation is not None:
        data = Dataset()
        data.parse(dump, format="nquads")
        graph = data.graph(URIRef("urn:bench:union"))
        vocabulary = {str(u) for u in _vocabulary_graphs()}
        for context in data.graphs():
            if str(context.identifier) not in vocabulary:
                graph += context
        start = time.perf_counter()
        reference = validate_graph_pyshacl(graph)
        out["pyshacl_s"] = time.perf_counter() - start
        key = lambda r: (r.severity, r.focus, r.path, r.constraint)  # noqa: E731
        ours_set = {key(r) for r in our_validation.results if not _vocabulary_focus(r.focus)}
        theirs = {key(r) for r in reference.results}
        out["validation_results"] = len(ours_set)
        out["pyshacl_results"] = len(theirs)
        out["same_violations"] = ours_set == theirs


def _vocabulary_graphs() -> list[URIRef]:
    from wpsgraph.emit import VOCABULARY_GRAPHS

    return list(VOCABULARY_GRAPHS.values())


def _vocabulary_focus(focus: str) -> bool:
    # pySHACL is given the evaluation graphs (plus schemes and register, not as focus data):
    # compare results on evaluation nodes only.
    return not focus.startswith("https://w3id.org/wpsgraph/eval/")


def table(results: list[dict]) -> str:
    sizes = [r["n"] for r in results]
    lines = ["| | " + " | ".join(f"N={n:,}" for n in sizes) + " |", "|---" * (len(sizes) + 1) + "|"]

    def row(label: str, fmt: str, get) -> None:  # type: ignore[no-untyped-def]
        cells = []
        for r in results:
            try:
                value = get(r)
            except KeyError:
                value = None
            cells.append("-" if value is None else format(value, fmt))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("load (parse+emit+validate+store), s", ".1f", lambda r: r["load_s"])
    row("documents/s", ".0f", lambda r: r["load_docs_per_s"])
    row("quads in store", ",", lambda r: r["quads"])
    row("store on disk, MiB", ".0f", lambda r: r["store_mib"])
    row("load peak RSS, MiB", "d", lambda r: r["load_peak_rss_mib"])
    for name in results[0]["queries"]:
        row(f"`query {name}`, s", ".2f", lambda r, n=name: r["queries"][n]["cli_median_s"])
    for name in results[0]["queries"]:
        row(f"in-process {name}, s", ".3f", lambda r, n=name: r["queries"][n]["engine_median_s"])
    for name in results[0]["queries"]:
        row(f"rdflib {name}, s", ".2f", lambda r, n=name: r["queries"][n].get("rdflib_s"))
    row(
        "min speed-up vs rdflib (in-process)",
        ".0f",
        lambda r: min(q["speedup_vs_rdflib"] for q in r["queries"].values()),
    )
    row(
        "rows identical to rdflib",
        "",
        lambda r: str(all(q["same_rows"] for q in r["queries"].values())),
    )
    row("`validate --store`, s", ".1f", lambda r: r["validate_store_s"])
    row("validate peak RSS, MiB", "d", lambda r: r["validate_peak_rss_mib"])
    row("pySHACL whole graph, s", ".1f", lambda r: r.get("pyshacl_s"))
    row("same results as pySHACL", "", lambda r: str(r["same_violations"]))
    row("re-load one evaluation, s", ".2f", lambda r: r["reload_one_s"])
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--rdflib-max", type=int, default=1000)
    parser.add_argument("--pyshacl-max", type=int, default=100)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / f"{date.today()}.json"
    )
    run_sizes(parser.parse_args(), bench_size, table, "wpsgraph-bench")


def run_sizes(
    args: argparse.Namespace,
    measure: Callable[[int, argparse.Namespace, Path], dict],
    tabulate: Callable[[list[dict]], str],
    prefix: str,
) -> None:
    """Measure each of args.sizes in fresh temporary directories; write the figures to args.out
    as JSON and print them as a table."""
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        work = Path(tempfile.mkdtemp(prefix=f"{prefix}-{n}-"))
        try:
            results.append(measure(n, args, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"N={n:,} done", file=sys.stderr, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    machine = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "date": str(date.today())}
    args.out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    print(tabulate(results))
    print(f"\n(JSON: {args.out})")


if __name__ == "__main__":
    main()
