"""wpsgraph serve at scale: start-up and memory, canned queries through HTTP, concurrent clients
with and without a runaway query.

    .venv/bin/python bench/serve_bench.py [--sizes 100,1000,10000] [--store DIR]
        [--duration 30] [--clients 8] [--timeout-s 10] [--repeat 3] [--out FILE.json]

For each size N (in a fresh temporary directory: `wpsgraph synth N`, then `wpsgraph load`; or the
store given with --store) one run measures:
- `wpsgraph serve` as a user starts it: seconds until it says it serves, and the peak RSS of each
  of its processes (the zygote holds the graph; the reader streams it out of RocksDB);
- every canned query through HTTP with SPARQLWrapper (CSV, POST to /sparql, the query's text with
  its parameters bound by VALUES as the query page shows it): median of --repeat runs, rows,
  rows/s; the canned endpoint /queries/NAME (CSV) beside it; and for a listing (more than
  FIRST_PAGE rows) its first page, LIMIT FIRST_PAGE, through SPARQLWrapper;
- --clients threads sending a mix of the canned queries for --duration seconds: requests, errors,
  p50 and p95 latency; then the same with one more client sending a query that runs into the time
  limit (--timeout-s, the server's default unless given) again and again, and the others' p95
  against their p95 alone;
- memory after that load, per process: RSS, and how much of it is shared with the zygote.
Figures are printed and written as JSON; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench import PARAMETERS
from SPARQLWrapper import CSV, POST, SPARQLWrapper

from wpsgraph.queries import CannedQuery, discover
from wpsgraph.serve.limits import Limits
from wpsgraph.serve.page import tab_text

WPSGRAPH = [sys.executable, "-m", "wpsgraph"]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CLIENT_TIMEOUT_S = 120
TODAY = date(2026, 11, 30)
FIRST_PAGE = 1000  # the first page of a listing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--store", type=Path, help="serve this store instead of a synthetic one")
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--timeout-s", type=float, default=Limits().timeout_s)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = []
    if args.store:
        results.append(bench_store(args.store, "given", args))
    else:
        for n in (int(s) for s in args.sizes.split(",")):
            with tempfile.TemporaryDirectory(prefix=f"wpsgraph-serve-{n}-") as work:
                store = prepare_store(n, Path(work))
                results.append(bench_store(store, str(n), args))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2))


def prepare_store(n: int, work: Path) -> Path:
    corpus, store = work / "corpus", work / "store"
    subprocess.run([*WPSGRAPH, "synth", str(n), "-o", str(corpus)], check=True)
    subprocess.run(
        [*WPSGRAPH, "load", str(corpus), "--store", str(store), "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return store


def bench_store(store: Path, label: str, args: argparse.Namespace) -> dict:
    print(f"\n== N={label}: {store}", flush=True)
    with serving(store, args.timeout_s) as (server, start):
        out: dict = {"size": label, "start": start}
        print_start(start)
        url = start["url"]
        out["queries"] = time_queries(url, args.repeat)
        mix = [canned_text(q) for q in discover().values()]
        out["mix"] = concurrent(url, mix, args.clients, args.duration, runaway=False)
        out["mix_with_runaway"] = concurrent(url, mix, args.clients, args.duration, runaway=True)
        print_mix(out["mix"], out["mix_with_runaway"])
        out["memory"] = memory_by_process(server.pid)
        print_memory(out["memory"])
    return out


@contextmanager
def serving(store: Path, timeout_s: float) -> Iterator[tuple[subprocess.Popen[str], dict]]:
    """wpsgraph serve on a free port, started as a user starts it; its start-up figures."""
    command = [*WPSGRAPH, "serve", "--store", str(store), "--port", "0", "--timeout-s"]
    with tempfile.TemporaryDirectory() as work:
        log_path = Path(work) / "serve.log"
        with log_path.open("w") as log:
            started = time.perf_counter()
            process = subprocess.Popen([*command, str(timeout_s)], stderr=log, text=True)
            try:
                yield process, _started(process, log_path, started)
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)


def _started(process: subprocess.Popen[str], log_path: Path, started: float) -> dict:
    peaks: dict[int, tuple[str, int]] = {}
    starting = threading.Event()
    starting.set()
    watcher = threading.Thread(target=_watch_peaks, args=(process.pid, peaks, starting))
    watcher.start()
    said = ""
    try:
        while "Ctrl-C stops" not in said:
            if process.poll() is not None:
                raise RuntimeError(f"wpsgraph serve stopped: {log_path.read_text()}")
            time.sleep(0.05)
            said = log_path.read_text()
    finally:
        starting.clear()
        watcher.join()
    found = re.search(r"query page\s+(http://\S+)/\n", said)
    assert found is not None, said
    return {
        "url": found.group(1),
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mib": {f"{role} {pid}": mib for pid, (role, mib) in sorted(peaks.items())},
    }


def _watch_peaks(root: int, peaks: dict[int, tuple[str, int]], starting: threading.Event) -> None:
    """VmHWM (peak RSS) of the server and every process under it, sampled until start-up ends
    (the reader exits before then)."""
    while starting.is_set():
        for pid in [root, *descendants(root)]:
            hwm = _status_kib(pid, "VmHWM")
            if hwm is not None:
                peaks[pid] = (_role(pid, root), max(hwm // 1024, peaks.get(pid, ("", 0))[1]))
        time.sleep(0.05)


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _status_kib(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _role(pid: int, root: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "gone"
    if pid == root:
        return "server"
    if "serve.reader" in cmdline:
        return "reader"
    if "serve.zygote" in cmdline:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])
        return "zygote" if parent == root else "worker"
    return "other"


def canned_text(query: CannedQuery) -> str:
    return tab_text(query, TODAY, PARAMETERS.get(query.name, {}))


def sparqlwrapper_csv(url: str, text: str) -> bytes:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setMethod(POST)
    client.setReturnFormat(CSV)
    client.setTimeout(CLIENT_TIMEOUT_S)
    client.setQuery(text)
    return client.query().convert()


def canned_csv(url: str, name: str, params: dict[str, str]) -> bytes:
    query = urllib.parse.urlencode({**params, "format": "csv"})
    with urllib.request.urlopen(f"{url}/queries/{name}?{query}", timeout=CLIENT_TIMEOUT_S) as r:
        return r.read()


def _rows(csv_bytes: bytes) -> int:
    return max(0, csv_bytes.count(b"\r\n") - 1)


def time_queries(url: str, repeat: int) -> list[dict]:
    print(
        f"\n{'query':<30} {'rows':>8} {'SPARQLWrapper s':>16} {'rows/s':>10} {'/queries s':>11}"
        f" {'first page s':>13}"
    )
    figures = []
    for name, query in discover().items():
        params = PARAMETERS.get(name, {})
        text = canned_text(query)
        wrapper = []
        for _ in range(repeat):
            started = time.perf_counter()
            data = sparqlwrapper_csv(url, text)
            wrapper.append(time.perf_counter() - started)
        endpoint = []
        for _ in range(repeat):
            started = time.perf_counter()
            canned_csv(url, name, params)
            endpoint.append(time.perf_counter() - started)
        seconds, rows = statistics.median(wrapper), _rows(data)
        figure = {
            "query": name,
            "rows": rows,
            "sparqlwrapper_s": round(seconds, 3),
            "rows_per_s": round(rows / seconds) if seconds else None,
            "canned_endpoint_s": round(statistics.median(endpoint), 3),
            "first_page_s": first_page_s(url, text, repeat) if rows > FIRST_PAGE else None,
        }
        figures.append(figure)
        first = f"{figure['first_page_s']:>13.3f}" if figure["first_page_s"] is not None else ""
        print(
            f"{name:<30} {rows:>8,} {seconds:>16.3f} {figure['rows_per_s'] or 0:>10,} "
            f"{figure['canned_endpoint_s']:>11.3f} {first}",
            flush=True,
        )
    return figures


def first_page_s(url: str, text: str, repeat: int) -> float:
    """Median seconds for the listing's first page, as a client pages it: a LIMIT on a line of
    its own (the text may end in a comment)."""
    paged = f"{text.rstrip()}\nLIMIT {FIRST_PAGE}\n"
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = _rows(sparqlwrapper_csv(url, paged))
        times.append(time.perf_counter() - started)
    assert rows == FIRST_PAGE, f"the first page has {rows} rows"
    return round(statistics.median(times), 3)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def concurrent(url: str, mix: list[str], clients: int, duration: float, *, runaway: bool) -> dict:
    tally = Tally()
    stop_at = time.monotonic() + duration
    runaway_outcomes: list[str] = []

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < stop_at:
            text = mix[i % len(mix)]
            i += 1
            started = time.perf_counter()
            try:
                sparqlwrapper_csv(url, text)
            except Exception as exc:  # every failure counts, whatever its kind
                with tally.lock:
                    tally.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                continue
            with tally.lock:
                tally.latencies.append(time.perf_counter() - started)

    def run_away() -> None:
        while time.monotonic() < stop_at:
            try:
                sparqlwrapper_csv(url, RUNAWAY)
                runaway_outcomes.append("answered")
            except Exception as exc:  # the expected end: 504 at the time limit
                runaway_outcomes.append(str(getattr(exc, "code", type(exc).__name__)))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    if runaway:
        threads.append(threading.Thread(target=run_away))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = sorted(tally.latencies)
    return {
        "clients": clients,
        "runaway": runaway,
        "requests": len(latencies) + len(tally.errors),
        "errors": len(tally.errors),
        "first_errors": tally.errors[:3],
        "p50_s": round(_percentile(latencies, 0.50), 3) if latencies else None,
        "p95_s": round(_percentile(latencies, 0.95), 3) if latencies else None,
        "runaway_outcomes": runaway_outcomes,
    }


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def memory_by_process(root: int) -> list[dict]:
    figures = []
    for pid in [root, *descendants(root)]:
        rollup = _smaps_rollup(pid)
        if rollup:
            figures.append({"pid": pid, "role": _role(pid, root), **rollup})
    return figures


def _smaps_rollup(pid: int) -> dict[str, int] | None:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return None
    kib = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            kib[parts[0].rstrip(":")] = int(parts[1])
    shared = kib.get("Shared_Clean", 0) + kib.get("Shared_Dirty", 0)
    private = kib.get("Private_Clean", 0) + kib.get("Private_Dirty", 0)
    return {
        "rss_mib": kib.get("Rss", 0) // 1024,
        "pss_mib": kib.get("Pss", 0) // 1024,
        "shared_mib": shared // 1024,
        "private_mib": private // 1024,
    }


def print_start(start: dict) -> None:
    peaks = ", ".join(f"{role} {mib} MiB" for role, mib in start["peak_rss_mib"].items())
    print(f"start: {start['seconds']} s; peak RSS: {peaks}", flush=True)


def print_mix(alone: dict, with_runaway: dict) -> None:
    for figures in (alone, with_runaway):
        label = "with a runaway query" if figures["runaway"] else "alone"
        print(
            f"\n{figures['clients']} clients, {label}: {figures['requests']} requests, "
            f"{figures['errors']} errors, p50 {figures['p50_s']} s, p95 {figures['p95_s']} s",
            flush=True,
        )
        if figures["first_errors"]:
            print("  errors: " + "; ".join(figures["first_errors"]))
    if alone["p95_s"] and with_runaway["p95_s"]:
        outcomes = sorted(set(with_runaway["runaway_outcomes"]))
        print(
            f"p95 with the runaway / alone: {with_runaway['p95_s'] / alone['p95_s']:.2f}x "
            f"(runaway answered with {', '.join(outcomes)})"
        )


def print_memory(memory: list[dict]) -> None:
    print("\nmemory after the load (MiB): role pid RSS PSS shared private")
    for m in memory:
        print(
            f"  {m['role']:<7} {m['pid']:>7} {m['rss_mib']:>6} {m['pss_mib']:>6} "
            f"{m['shared_mib']:>6} {m['private_mib']:>6}"
        )
    print(f"  all processes: PSS {sum(m['pss_mib'] for m in memory)} MiB")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
