"""python -m wpsgraph.serve.reader DIR: the store on disk as N-Quads on standard output, after a
first comment line '# quads: N'. It runs in a process of its own so that the process that holds
the graph in memory never opens RocksDB, whose threads would make forking it unsafe."""

from __future__ import annotations

import sys
from pathlib import Path

from wpsgraph.errors import WpsGraphError
from wpsgraph.store import open_store

QUADS_HEADER = b"# quads: "


def main() -> int:
    try:
        with open_store(Path(sys.argv[1]), read_only=True) as store:
            out = sys.stdout.buffer
            out.write(QUADS_HEADER + str(len(store)).encode() + b"\n")
            store.export(out, "nquads")
            out.flush()
    except WpsGraphError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
