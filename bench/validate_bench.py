"""Validation timings: the SPARQL-compiled validator against pySHACL (figures, not a test).

python bench/validate_bench.py [--store-evaluations 10000] [--keep DIR]

Copies of the seed evaluation under distinct evaluation ids (IRIs rewritten), validated one at a
time, in batches, and as a whole on-disk store (bulk-loaded from rewritten N-Quads, then validated
in a child process so its peak RSS is the validator's own)."""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from wpsgraph.loader import LoadOptions, prepare, vocabulary_graphs
from wpsgraph.paths import DATA_DIR
from wpsgraph.store import OxigraphStore
from wpsgraph.validate import (
    validate_graph,
    validate_graph_pyshacl,
    validate_graphs,
    validate_store,
)

SEED_ID = "gate-11818"
GRAPH = "https://w3id.org/wpsgraph/eval/unwomen/{id}/graph"


def seed() -> Graph:
    emitted, _report = prepare(DATA_DIR / f"{SEED_ID}.txt", LoadOptions())
    return emitted.graph


def copy_with_id(graph: Graph, new_id: str) -> Graph:
    out = Graph()
    for s, p, o in graph:
        out.add((_renamed(s, new_id), p, _renamed(o, new_id)))
    return out


def _renamed(term, new_id: str):
    return URIRef(str(term).replace(SEED_ID, new_id)) if isinstance(term, URIRef) else term


def peak_rss_mib() -> float:
    """This process's peak RSS. On Linux VmHWM, the high-water mark of this process image alone:
    ru_maxrss of an exec'd child starts from its parent's peak at fork time (the bulk load, the
    batches), which is what the child once reported as the validator's own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, func, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        func()
    seconds = (time.perf_counter() - start) / repeat
    print(f"{label}: {seconds * 1000:.1f} ms", flush=True)
    return seconds


def build_store(directory: Path, evaluations: int, graph: Graph) -> None:
    """An on-disk store of `evaluations` seed copies plus the vocabulary, by bulk load."""
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    dump = directory.parent / "copies.nq"
    with dump.open("w", encoding="utf-8") as out:
        for name, vocabulary in vocabulary_graphs().items():
            for line in vocabulary.serialize(format="nt").splitlines():
                if line.strip():
                    out.write(f"{line[:-1].rstrip()} <{name}> .\n")
        for i in range(evaluations):
            new_id = f"gate-{1_000_000 + i}"
            name = GRAPH.format(id=new_id)
            for line in lines:
                if line.strip():
                    out.write(f"{line.replace(SEED_ID, new_id)[:-1].rstrip()} <{name}> .\n")
    store = ox.Store(str(directory))
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    print(f"store: {evaluations} evaluations, {len(store)} quads", flush=True)
    del store
    dump.unlink()


def validate_store_child(directory: Path) -> None:
    store = OxigraphStore(ox.Store.read_only(str(directory)))
    start = time.perf_counter()
    report = validate_store(store)
    seconds = time.perf_counter() - start
    print(
        f"whole store: {seconds:.1f} s, {len(report.violations)} violation(s), "
        f"{len(report.warnings)} warning(s), peak RSS {peak_rss_mib():.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store-evaluations", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the store here")
    parser.add_argument("--validate-store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.validate_store:
        validate_store_child(args.validate_store)
        return

    graph = seed()
    print(f"seed: {len(graph)} triples")
    validate_graph(graph)  # compile the shapes and convert the vocabulary once
    timed("per evaluation, fast (mean of 20)", lambda: validate_graph(graph), repeat=20)
    timed("per evaluation, pySHACL (mean of 3)", lambda: validate_graph_pyshacl(graph), repeat=3)
    for size in (100, 1000):
        batch = {
            URIRef(GRAPH.format(id=f"gate-{1_000_000 + i}")): copy_with_id(
                graph, f"gate-{1_000_000 + i}"
            )
            for i in range(size)
        }
        seconds = timed(f"batch of {size}, fast", lambda b=batch: validate_graphs(b))
        print(
            f"  = {seconds / size * 1000:.2f} ms per evaluation; peak RSS {peak_rss_mib():.0f} MiB"
        )

    with tempfile.TemporaryDirectory() as tmp:
        directory = args.keep or Path(tmp) / "store"
        if not (directory / "CURRENT").exists():
            directory.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            build_store(directory, args.store_evaluations, graph)
            print(f"built in {time.perf_counter() - start:.1f} s", flush=True)
        subprocess.run([sys.executable, __file__, "--validate-store", str(directory)], check=True)


if __name__ == "__main__":
    main()
