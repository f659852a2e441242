"""wpsgraph serve as a user starts it: what it says on start, one-line errors, a clean stop."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from tests.serving import TEST_LIMITS, get, wait_until
from wpsgraph.serve.server import ServeOptions, Server

START_TIMEOUT_S = 60


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "wpsgraph", "serve", *args]


def run_failing(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        serve_command(*args), capture_output=True, text=True, timeout=START_TIMEOUT_S, check=False
    )


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in cmdline:
                found.append(int(entry.name))
    return found


def test_serve_starts_answers_and_stops_cleanly(seed_store_dir: Path, tmp_path: Path) -> None:
    # A store of its own, so that the processes serving it can be told apart.
    store = tmp_path / "served-store"
    subprocess.run(["cp", "-r", str(seed_store_dir), str(store)], check=True)
    process = subprocess.Popen(
        serve_command("--store", str(store), "--port", "0", "--workers", "2"),
        stderr=subprocess.PIPE,
        text=True,
    )
    killer = threading.Timer(START_TIMEOUT_S, process.kill)
    killer.start()
    try:
        lines = []
        assert process.stderr is not None
        while not any("Ctrl-C stops" in line for line in lines):
            line = process.stderr.readline()
            assert line, "".join(lines)
            lines.append(line)
        said = "".join(lines)
        assert "reading" in said and "into memory" in said and "100%" in said
        assert "warning" not in said
        url = re.search(r"query page\s+(http://127\.0\.0\.1:\d+)/", said)
        assert url is not None, said
        assert get(url.group(1), "/queries/actions-by-status").status == 200
        assert len(processes_mentioning(str(store))) >= 3  # the zygote and two workers
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        killer.cancel()
        if process.poll() is None:
            process.kill()
    assert processes_mentioning(str(store)) == []


def test_a_missing_store_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_failing("--store", str(tmp_path / "nowhere"), "--port", "0")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"wpsgraph: error: {tmp_path / 'nowhere'}: no store here; run 'wpsgraph load' first"
    ]


def test_a_port_in_use_is_a_one_line_error(seed_store_dir: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run_failing("--store", str(seed_store_dir), "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"wpsgraph: error: 127.0.0.1:{port} is in use (another server?): choose another --port"
    ]


def test_listening_beyond_this_machine_is_said_on_start(seed_store_dir: Path) -> None:
    # 192.0.2.1 is a documentation address no interface here has: the bind fails after the
    # warning, so nothing is ever exposed by this test.
    result = run_failing("--store", str(seed_store_dir), "--host", "192.0.2.1", "--port", "0")
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(
        "wpsgraph: warning: listening on 192.0.2.1, not only on this machine"
    )
    assert lines[1].startswith("wpsgraph: error: cannot listen on 192.0.2.1:0")
    assert len(lines) == 2
    assert result.returncode == 2


def test_bad_options_are_refused_by_the_parser(seed_store_dir: Path) -> None:
    for args in (("--port", "70000"), ("--timeout-s", "0"), ("--workers", "0")):
        result = run_failing("--store", str(seed_store_dir), *args)
        assert result.returncode == 2
        assert "expected" in result.stderr


def test_close_holds_when_the_loop_runs_its_request_before_the_trigger_is_written(
    seed_store_dir: Path,
) -> None:
    """The loop can be woken by an earlier pull and run close's request while pull_trigger has
    yet to write its byte: that write must still find the trigger open."""
    server = Server(ServeOptions(store=seed_store_dir, port=0, limits=TEST_LIMITS))
    loop = threading.Thread(target=server.serve_forever, daemon=True)
    loop.start()
    trigger = server._server.trigger
    write_byte = trigger._physical_pull

    def loop_first() -> None:
        write_byte()  # wakes the loop, which runs the queued request at once
        wait_until(lambda: not trigger.thunks)
        write_byte()  # pull_trigger's own write comes only now

    trigger._physical_pull = loop_first
    server.close()
    loop.join(timeout=10)
    assert not loop.is_alive()
