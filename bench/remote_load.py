"""`wpsgraph load --endpoint` into a real Oxigraph server against the embedded load (issue 11:
within 3x), on the synthetic corpus. Prints figures; asserts nothing.

    .venv/bin/python bench/remote_load.py [--sizes 100,1000,10000] [--out FILE.json]

For each size, in fresh temporary directories: `wpsgraph synth N`, then the same corpus loaded
(a new process each, as a user runs it) into a new on-disk embedded store and into a new
on-disk `oxigraph serve` on 127.0.0.1 (the server's own RSS is reported beside the client's).
Both must end with the same number of quads in named graphs. Then one changed evaluation is
re-loaded into each full store, and then the whole corpus (into the server, every graph is then
staged, counted and moved over the one it holds).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # tests.servers starts Oxigraph server as the tests do

from bench import WPSGRAPH, du_mib, measured  # noqa: E402

from tests.servers import oxigraph_server  # noqa: E402
from wpsgraph.store import open_store  # noqa: E402
from wpsgraph.synth import write_corpus  # noqa: E402

SERVER_TIMEOUT_S = 600


def bench_size(n: int, work: Path) -> dict:
    corpus = work / "corpus"
    write_corpus(n, corpus, seed=0)
    out: dict = {"n": n}
    store = work / "store"
    seconds, rss, _ = measured([*WPSGRAPH, "load", str(corpus), "--store", str(store), "-q"])
    out |= {"embedded_load_s": seconds, "embedded_peak_rss_mib": rss}
    with open_store(store, read_only=True) as opened:
        out["embedded_quads"] = len(opened)

    with oxigraph_server(SERVER_TIMEOUT_S, location=work / "oxigraph") as server:
        load = [*WPSGRAPH, "load", str(corpus), "--endpoint", server.query, "-q"]
        seconds, rss, _ = measured(load)
        out |= {"remote_load_s": seconds, "remote_client_peak_rss_mib": rss}
        out["server_rss_mib"] = _server_rss_mib(server.base)
        with open_store(server.query, read_only=True) as opened:
            out["remote_quads"] = len(opened)
        out["server_disk_mib"] = du_mib(work / "oxigraph")

        one = sorted(corpus.glob("*.txt"))[n // 2]
        one.write_text(one.read_text("utf-8").replace(" Initiated", " Completed", 1), "utf-8")
        seconds, _, _ = measured([*WPSGRAPH, "load", str(one), "--endpoint", server.query, "-q"])
        out["remote_reload_one_s"] = seconds
        # Every graph held: each is staged, counted and moved over the old one.
        out["remote_reload_all_s"] = measured(load)[0]
    seconds, _, _ = measured([*WPSGRAPH, "load", str(one), "--store", str(store), "-q"])
    out["embedded_reload_one_s"] = seconds
    reload_all = [*WPSGRAPH, "load", str(corpus), "--store", str(store), "-q"]
    out["embedded_reload_all_s"] = measured(reload_all)[0]
    out["ratio"] = out["remote_load_s"] / out["embedded_load_s"]
    out["same_quads"] = out["remote_quads"] == out["embedded_quads"]
    return out


def _server_rss_mib(base: str) -> int | None:
    """The resident memory of the server listening at base (Linux /proc), at this moment."""
    port = base.rsplit(":", 1)[1]
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = status.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in command and f"127.0.0.1:{port}".encode() in command:
            for line in (status.parent / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    return None


def table(results: list[dict]) -> str:
    rows = [
        ("`wpsgraph load --store` (embedded), s", "embedded_load_s", ".1f"),
        ("`wpsgraph load --endpoint` (Oxigraph server), s", "remote_load_s", ".1f"),
        ("ratio remote / embedded (target <= 3)", "ratio", ".2f"),
        ("quads (same in both: yes/no)", "remote_quads", ",d"),
        ("client peak RSS, MiB", "remote_client_peak_rss_mib", "d"),
        ("server RSS after the load, MiB", "server_rss_mib", "d"),
        ("server on disk, MiB", "server_disk_mib", ".0f"),
        ("re-load one evaluation, embedded / remote, s", "reload_one", ".2f"),
        ("re-load the whole corpus, embedded / remote, s", "reload_all", ".1f"),
    ]
    lines = [
        "| | " + " | ".join(f"N={r['n']:,}" for r in results) + " |",
        "|---" * (len(results) + 1) + "|",
    ]
    for label, key, fmt in rows:
        if key.startswith("reload"):
            cells = [
                f"{r[f'embedded_{key}_s']:{fmt}} / {r[f'remote_{key}_s']:{fmt}}" for r in results
            ]
        else:
            cells = ["-" if r.get(key) is None else format(r[key], fmt) for r in results]
        if key == "remote_quads":
            cells = [
                f"{c} ({'yes' if r['same_quads'] else 'NO'})"
                for c, r in zip(cells, results, strict=True)
            ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"wpsgraph-remote-{n}-") as work:
            result = bench_size(n, Path(work))
        print(json.dumps(result), file=sys.stderr)
        results.append(result)
    print(table(results))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
