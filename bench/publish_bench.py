"""Publishing at scale: wpsgraph describe and the JSON-LD export (figures, not a test).

    .venv/bin/python bench/publish_bench.py [--sizes 100,1000] [--store DIR]

For each size N, in a fresh temporary directory: `wpsgraph synth N` (seed 0) and `wpsgraph load`,
then, each as a user runs it (a new process, start-up included, best of --repeat runs):
`wpsgraph describe`, `wpsgraph export --format jsonld` (compacted with the shipped context) and
`--format nquads` (the engine's own writer, for scale). The baseline, in this process: rdflib's
JSON-LD serializer given the same context, graph by graph, on the first --rdflib-graphs graphs,
extrapolated to the whole store. --store DIR measures an existing store instead (N from it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wpsgraph.jsonld import context_document
from wpsgraph.store import open_store
from wpsgraph.synth import write_corpus

WPSGRAPH = [sys.executable, "-m", "wpsgraph"]


def timed(command: list[str], repeat: int) -> float:
    """Best wall time of repeat runs of a command (its output goes to a file, not a pipe)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def rdflib_per_graph(store_dir: Path, graphs: int) -> tuple[float, int]:
    """Seconds rdflib's serializer takes on the first graphs, and how many graphs there are."""
    context = context_document()["@context"]
    with open_store(store_dir, read_only=True) as store:
        names = store.named_graphs()
        start = time.perf_counter()
        for name in names[:graphs]:
            store.graph(name).serialize(format="json-ld", context=context, auto_compact=True)
        return time.perf_counter() - start, len(names)


def bench_store(store_dir: Path, work: Path, args: argparse.Namespace) -> dict[str, float]:
    store = ["--store", str(store_dir)]
    figures = {
        "describe_s": timed([*WPSGRAPH, "describe", *store, "-o", str(work / "void.ttl")], 3),
        "export_jsonld_s": timed(
            [*WPSGRAPH, "export", *store, "--format", "jsonld", "-o", str(work / "all.jsonld")],
            args.repeat,
        ),
        "export_nquads_s": timed(
            [*WPSGRAPH, "export", *store, "--format", "nquads", "-o", str(work / "all.nq")],
            args.repeat,
        ),
    }
    figures["jsonld_mib"] = (work / "all.jsonld").stat().st_size / 2**20
    figures["nquads_mib"] = (work / "all.nq").stat().st_size / 2**20
    sample, graphs = rdflib_per_graph(store_dir, args.rdflib_graphs)
    figures["rdflib_jsonld_s_estimated"] = sample / min(args.rdflib_graphs, graphs) * graphs
    figures["graphs"] = graphs
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--store", type=Path, help="measure this store instead of new ones")
    parser.add_argument("--repeat", type=int, default=2, help="runs per export (best)")
    parser.add_argument("--rdflib-graphs", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wpsgraph-publish-") as tmp:
        work = Path(tmp)
        if args.store:
            results = {"store": bench_store(args.store, work, args)}
        else:
            results = {}
            for n in (int(s) for s in args.sizes.split(",")):
                corpus, store_dir = work / f"corpus-{n}", work / f"store-{n}"
                write_corpus(n, corpus, seed=0)
                subprocess.run(
                    [*WPSGRAPH, "load", str(corpus), "--store", str(store_dir), "--quiet"],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                results[f"N={n}"] = bench_store(store_dir, work, args)
    keys = next(iter(results.values())).keys()
    print("| figure | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for key in keys:
        print(f"| {key} | " + " | ".join(f"{r[key]:.2f}" for r in results.values()) + " |")


if __name__ == "__main__":
    main()
