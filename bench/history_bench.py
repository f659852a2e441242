"""History at scale: loading K dated versions per response against loading the latest versions
alone, the current-state canned queries with and without history, and the history queries.

    .venv/bin/python bench/history_bench.py [--sizes 100,1000] [--versions 3] [--repeat 3]

For each N, in fresh temporary directories: `wpsgraph synth N --versions K` (seed 0), and the
latest version of each response copied to a folder of its own. Then, each a new `wpsgraph load`
into an empty on-disk store (a new process, start-up included, as a user runs it):
- the latest versions alone (store "latest");
- all versions at once (store "all"): the issue's target is at most 2x the latest alone;
- the versions one load at a time, oldest first (store "stepwise": the path that reads what the
  store recorded back); it must hold the same quads as "all".
"Without history" is a copy of the "latest" store with its version and history graphs removed:
the current-state queries must be no slower on "all" than on it. Queries are timed through
`wpsgraph query NAME --format csv` (new process) and in-process (the engine's CSV), medians of
--repeat runs; the history queries also through `wpsgraph serve` (GET /queries/NAME, CSV), where
the issue sets their target: < 1 s each.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from bench import PARAMETERS, WPSGRAPH, du_mib, measured, run_sizes
from serve_bench import canned_csv, serving

from wpsgraph.queries import canned_results, discover
from wpsgraph.store import open_store
from wpsgraph.synth import FIRST_ID, write_corpus

ROOT = Path(__file__).resolve().parents[1]
HISTORY_QUERIES = ("deadline-slippage", "status-history", "time-to-completion", "stale-actions")
SERVE_TIMEOUT_S = 60.0


def parameters(name: str, n: int) -> dict[str, str]:
    """bench's parameters, but the history of an evaluation in the middle of the corpus."""
    if name == "status-history":
        return {"evaluation": str(FIRST_ID + n // 2)}
    return PARAMETERS.get(name, {})


def cli_seconds(store: Path, name: str, params: dict[str, str]) -> float:
    args = [f"--param={k}={v}" for k, v in params.items()]
    return measured([*WPSGRAPH, "query", name, "--store", str(store), "--format", "csv", *args])[0]


def engine_seconds(store: Path, name: str, params: dict[str, str]) -> float:
    with open_store(store, read_only=True) as opened:
        start = time.perf_counter()
        canned_results(opened, discover()[name], params, "csv")
        return time.perf_counter() - start


# How a query is timed on a store: a new `wpsgraph query` process, and the engine in-process.
# Through `wpsgraph serve` (the target for the history queries: < 1 s) see serve_seconds.
RUNNERS: dict[str, Callable[[Path, str, dict[str, str]], float]] = {
    "cli": cli_seconds,
    "engine": engine_seconds,
}


def serve_seconds(store: Path, names: list[str], n: int, runs: int) -> dict[str, float]:
    """Each query through `wpsgraph serve` on the store (started once, as a user starts it):
    the median time of a GET of /queries/NAME as CSV."""
    with serving(store, SERVE_TIMEOUT_S) as (_process, started):

        def timed(name: str) -> float:
            start = time.perf_counter()
            canned_csv(started["url"], name, parameters(name, n))
            return time.perf_counter() - start

        return {name: median(runs, partial(timed, name)) for name in names}


def median(runs: int, run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(runs))


def latest_versions(corpus: Path, into: Path) -> int:
    """Copy the last version of each response (names sort by date) into a folder."""
    into.mkdir()
    latest: dict[str, Path] = {}
    for path in sorted(corpus.glob("*.txt")):
        latest[path.name.split("_")[0]] = path
    for path in latest.values():
        shutil.copy(path, into / path.name)
    return len(latest)


def versions_by_age(corpus: Path, into: Path, k: int) -> list[Path]:
    """Folders holding the first, second ... version of every response."""
    folders = [into / f"version-{i + 1}" for i in range(k)]
    for folder in folders:
        folder.mkdir(parents=True)
    groups: dict[str, list[Path]] = {}
    for path in sorted(corpus.glob("*.txt")):
        groups.setdefault(path.name.split("_")[0], []).append(path)
    for paths in groups.values():
        for folder, path in zip(folders, paths, strict=True):
            shutil.copy(path, folder / path.name)
    return folders


def without_history(store: Path, copy: Path) -> None:
    """A copy of the store with only the evaluation and vocabulary graphs."""
    shutil.copytree(store, copy)
    opened = ox.Store(str(copy))
    for graph in list(opened.named_graphs()):
        name = str(graph.value)
        if "/version/" in name or name.endswith("/history"):
            opened.remove_graph(graph)
    opened.optimize()
    del opened


def load(corpus: Path | list[Path], store: Path) -> tuple[float, int]:
    paths = [str(p) for p in corpus] if isinstance(corpus, list) else [str(corpus)]
    seconds, rss, _ = measured([*WPSGRAPH, "load", *paths, "--store", str(store), "-q"])
    return seconds, rss


def quads(store: Path) -> int:
    with open_store(store, read_only=True) as opened:
        return len(opened)


def bench_size(n: int, args: argparse.Namespace, work: Path) -> dict:
    out: dict = {"n": n, "versions": args.versions}
    corpus = work / "corpus"
    write_corpus(n, corpus, seed=0, versions=args.versions)
    latest_versions(corpus, work / "latest")
    stores = {name: work / f"store-{name}" for name in ("latest", "all", "stepwise", "plain")}

    out["load_latest_s"], out["load_latest_rss_mib"] = load(work / "latest", stores["latest"])
    out["load_all_s"], out["load_all_rss_mib"] = load(corpus, stores["all"])
    out["all_over_latest"] = out["load_all_s"] / out["load_latest_s"]
    steps = [load(folder, stores["stepwise"])[0] for folder in
             versions_by_age(corpus, work / "by-age", args.versions)]  # fmt: skip
    out["load_stepwise_s"] = steps
    for name in ("latest", "all", "stepwise"):
        out[f"quads_{name}"] = quads(stores[name])
        out[f"store_{name}_mib"] = du_mib(stores[name])
    out["stepwise_same_quads"] = out["quads_stepwise"] == out["quads_all"]
    without_history(stores["latest"], stores["plain"])
    out["quads_plain"] = quads(stores["plain"])

    out["queries"] = {}
    for name in discover():
        params = parameters(name, n)
        on = ("all",) if name in HISTORY_QUERIES else ("plain", "all")
        entry = out["queries"][name] = {}
        for store in on:
            for runner, run in RUNNERS.items():
                entry[f"{runner}_{store}_s"] = median(
                    args.repeat, partial(run, stores[store], name, params)
                )
        if "cli_plain_s" in entry:
            entry["cli_all_over_plain"] = entry["cli_all_s"] / entry["cli_plain_s"]
            entry["engine_all_over_plain"] = entry["engine_all_s"] / entry["engine_plain_s"]
    served = serve_seconds(stores["all"], list(HISTORY_QUERIES), n, args.repeat)
    for name, seconds in served.items():
        out["queries"][name]["serve_all_s"] = seconds
    return out


def table(results: list[dict]) -> str:
    lines = [
        "| | " + " | ".join(f"N={r['n']:,} x {r['versions']}" for r in results) + " |",
        "|---" * (len(results) + 1) + "|",
    ]

    def row(label: str, get: Callable[[dict], object]) -> None:
        lines.append(f"| {label} | " + " | ".join(str(get(r)) for r in results) + " |")

    row("load latest versions alone, s", lambda r: f"{r['load_latest_s']:.1f}")
    row("load all versions, s", lambda r: f"{r['load_all_s']:.1f}")
    row("all / latest (target <= 2)", lambda r: f"{r['all_over_latest']:.2f}")
    row(
        "load one version at a time, s",
        lambda r: " + ".join(f"{s:.1f}" for s in r["load_stepwise_s"]),
    )
    row("same quads stepwise and at once", lambda r: r["stepwise_same_quads"])
    row("quads: without history / latest / all", lambda r: f"{r['quads_plain']:,} / "
        f"{r['quads_latest']:,} / {r['quads_all']:,}")  # fmt: skip
    row("load peak RSS latest / all, MiB", lambda r: f"{r['load_latest_rss_mib']} / "
        f"{r['load_all_rss_mib']}")  # fmt: skip
    for name in results[0]["queries"]:
        if name in HISTORY_QUERIES:
            continue
        row(
            f"`{name}` without / with history, s (CLI)",
            lambda r, q=name: (
                f"{r['queries'][q]['cli_plain_s']:.2f} / {r['queries'][q]['cli_all_s']:.2f}"
            ),
        )
        row(
            f"`{name}` without / with history, s (engine)",
            lambda r, q=name: (
                f"{r['queries'][q]['engine_plain_s']:.3f} / {r['queries'][q]['engine_all_s']:.3f}"
            ),
        )
    for name in HISTORY_QUERIES:
        row(
            f"`{name}`, s (serve / CLI / engine; target < 1)",
            lambda r, q=name: (
                f"{r['queries'][q]['serve_all_s']:.3f} / {r['queries'][q]['cli_all_s']:.2f} / "
                f"{r['queries'][q]['engine_all_s']:.3f}"
            ),
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (median)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / f"history-{date.today()}.json"
    )
    run_sizes(parser.parse_args(), bench_size, table, "wpsgraph-history")


if __name__ == "__main__":
    main()
