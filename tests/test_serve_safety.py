"""wpsgraph serve is safe by default: read-only, local, time-limited, bounded, capped loudly,
clear about bad queries, and never shows a traceback. Each property proven here."""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.serving import Response, get, http, json_rows, post_form, running_server, wait_until
from wpsgraph.serve.app import Application
from wpsgraph.serve.limits import Limits
from wpsgraph.serve.reply import HttpError
from wpsgraph.serve.server import LOCAL_HOST, ServeOptions, Server, exposure_warning

# Every triple with every triple with every triple: never ends on its own.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def query(server: Server, text: str, **params: str) -> Response:
    return post_form(f"{server.url}/sparql", {"query": text, **params})


def count_triples(server: Server) -> int:
    return int(json_rows(query(server, COUNT).json())[0][0])


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates"),
        ("DELETE WHERE { ?s ?p ?o }", "updates"),
        ("LOAD <https://example.org/data.ttl>", "updates"),
        ("CLEAR ALL", "updates"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", "SERVICE"),
        (
            "SELECT * FROM <https://example.org/g> WHERE { ?s ?p ?o }",
            "FROM <https://example.org/g>",
        ),
        ("SELECT * FROM NAMED <https://example.org/g> WHERE { ?s ?p ?o }", "holds no such graph"),
    ],
)
def test_what_is_not_a_local_read_is_refused_with_the_reason(
    text: str, why: str, seed_server: Server
) -> None:
    before = count_triples(seed_server)
    response = query(seed_server, text)
    assert response.status == 400
    assert why in response.text
    assert "refused" in response.text
    assert count_triples(seed_server) == before


def test_updates_by_the_protocol_are_refused(seed_server: Server) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    by_body = http(
        f"{seed_server.url}/sparql",
        method="POST",
        body=update.encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    by_form = post_form(f"{seed_server.url}/sparql", {"update": update})
    for response in (by_body, by_form):
        assert response.status == 400
        assert "updates are refused" in response.text


def test_dataset_parameters_naming_graphs_the_store_does_not_hold_are_refused(
    seed_server: Server,
) -> None:
    response = query(seed_server, COUNT, **{"named-graph-uri": "https://example.org/g"})
    assert response.status == 400
    assert "named-graph-uri <https://example.org/g> is refused" in response.text


def test_malformed_queries_get_the_line_and_column(seed_server: Server) -> None:
    response = query(seed_server, "SELECT ?s WHERE {\n  ?s ?p \n}")
    assert response.status == 400
    assert "line 2, column 3" in response.text  # where the unfinished triple pattern starts
    response = query(seed_server, "this is not SPARQL")
    assert response.status == 400
    assert "SPARQL syntax error at line 1, column 1" in response.text


def test_it_listens_on_this_machine_only_unless_told(seed_store_dir: Path) -> None:
    assert ServeOptions(store=seed_store_dir).host == LOCAL_HOST
    assert exposure_warning(LOCAL_HOST) is None
    assert exposure_warning("::1") is None
    assert "anyone who can reach it" in str(exposure_warning("0.0.0.0"))
    assert "anyone who can reach it" in str(exposure_warning("192.0.2.7"))


def test_the_default_server_socket_is_bound_to_loopback(seed_server: Server) -> None:
    listening = seed_server._server.socket.getsockname()
    assert listening[0] == LOCAL_HOST


def test_a_runaway_query_is_stopped_at_the_time_limit_while_others_are_answered(
    seed_store_dir: Path,
) -> None:
    limits = Limits(timeout_s=2, workers=2, queue=2)
    with running_server(seed_store_dir, limits) as server:
        workers_before = server.pool.worker_pids()
        outcome: dict[str, object] = {}

        def run_away() -> None:
            started = time.monotonic()
            outcome["response"] = query(server, RUNAWAY)
            outcome["seconds"] = time.monotonic() - started

        runaway = threading.Thread(target=run_away)
        runaway.start()
        wait_until(lambda: server.pool.running() == 1)
        answered = []
        while runaway.is_alive():
            started = time.monotonic()
            response = get(server.url, "/queries/actions-by-status")
            answered.append((response.status, time.monotonic() - started))
            time.sleep(0.1)
        runaway.join()
        response = outcome["response"]
        assert isinstance(response, Response)
        assert response.status == 504
        assert "time limit of 2 s" in response.text
        assert 2 <= float(outcome["seconds"]) < 4  # type: ignore[arg-type]
        assert len(answered) >= 5
        assert all(status == 200 and seconds < 1.5 for status, seconds in answered)
        # The process that ran it is gone (not left burning a core), and a fresh one took its place.
        killed = set(workers_before) - set(server.pool.worker_pids())
        assert len(killed) == 1
        assert not any(_alive(pid) for pid in killed)
        assert len(server.pool.worker_pids()) == limits.workers
        assert query(server, COUNT).status == 200
        processes = [server.pool._zygote.pid, *server.pool.worker_pids()]
    # Closing the server ends its query processes.
    assert not any(_alive(pid) for pid in processes)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_beyond_the_running_and_waiting_queries_the_answer_is_503_with_retry_after(
    seed_store_dir: Path,
) -> None:
    with running_server(seed_store_dir, Limits(timeout_s=3, workers=1, queue=0)) as server:
        runaway = threading.Thread(target=query, args=(server, RUNAWAY))
        runaway.start()
        wait_until(lambda: server.pool.running() == 1)  # the one worker holds the runaway
        response = get(server.url, "/queries/actions-by-status")
        runaway.join()
        assert response.status == 503
        assert response.headers["Retry-After"].isdigit()
        assert "busy" in response.text
        assert get(server.url, "/queries/actions-by-status").status == 200


def test_a_query_longer_than_the_cap_is_refused(seed_store_dir: Path) -> None:
    with running_server(seed_store_dir, Limits(max_query_bytes=200)) as server:
        long_query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 300
        for response in (
            query(server, long_query),
            http(f"{server.url}/sparql?{urllib.parse.urlencode({'query': long_query})}"),
        ):
            assert response.status == 413
            assert "at most 200 bytes" in response.text
        assert query(server, COUNT).status == 200


def test_an_answer_larger_than_the_result_cap_is_an_error_never_a_truncated_answer(
    seed_store_dir: Path,
) -> None:
    with running_server(seed_store_dir, Limits(max_result_bytes=4096)) as server:
        response = query(server, "SELECT * WHERE { ?s ?p ?o }", format="csv")
        assert response.status == 422
        assert "result cap of 0.00390625 MiB" in response.text
        assert "LIMIT" in response.text
        big_canned = get(server.url, "/queries/partner-mentions")
        assert big_canned.status == 422
        assert query(server, COUNT).status == 200


def test_cors_allows_queries_from_any_page_without_credentials(seed_server: Server) -> None:
    preflight = http(
        f"{seed_server.url}/sparql",
        method="OPTIONS",
        headers={
            "Origin": "https://notebook.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    response = query(seed_server, COUNT)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(
    ("method", "path", "body", "headers"),
    [
        ("GET", "/static/../app.py", None, {}),
        ("GET", "/static/%2e%2e/app.py", None, {}),
        ("GET", "/eval/%00%ff", None, {}),
        ("POST", "/sparql", b"\xff\xfe", {"Content-Type": "application/sparql-query"}),
        ("POST", "/sparql", b"query=x", {"Content-Type": "text/plain"}),
        ("POST", "/sparql", b"", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("GET", "/sparql?query=SELECT&query=ASK", None, {}),
        ("GET", "/queries/search?text=a&text=b", None, {}),
        ("GET", "/queries/no-such-query", None, {}),
        ("GET", "/queries/overdue-actions?as_of=yesterday", None, {}),
        ("DELETE", "/queries", None, {}),
    ],
)
def test_bad_requests_get_a_clear_error_and_no_traceback(
    method: str, path: str, body: bytes | None, headers: dict[str, str], seed_server: Server
) -> None:
    response = http(seed_server.url + path, method=method, body=body, headers=headers)
    assert 400 <= response.status < 500, response.text
    assert response.media_type == "text/plain"
    assert len(response.text.strip().splitlines()) == 1
    assert "Traceback" not in response.text


def test_a_failure_inside_the_server_is_a_500_without_a_traceback() -> None:
    class FailingPool:
        def run(self, request: object) -> None:
            raise RuntimeError("a bug")

    app = Application(FailingPool(), {}, Limits())  # type: ignore[arg-type]
    seen: list[str] = []
    body = b"".join(
        app(
            {"REQUEST_METHOD": "GET", "PATH_INFO": "/eval/x", "QUERY_STRING": ""},
            lambda status, headers: seen.append(status),
        )
    )
    assert seen == ["500 Internal Server Error"]
    assert b"Traceback" not in body
    assert b"a bug" not in body


def test_a_parameter_of_the_wrong_type_says_what_was_expected(seed_server: Server) -> None:
    response = get(seed_server.url, "/queries/overdue-actions", {"as_of": "15/01/2027"})
    assert response.status == 400
    assert "expects a date YYYY-MM-DD, got '15/01/2027'" in response.text


def test_http_errors_carry_their_status() -> None:
    assert HttpError(418, "short and stout").reply().status == 418


def has_ended(pid: int) -> bool:
    """Whether the process is gone or a zombie (the zygote reaps its workers only when asked)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def test_a_query_process_that_dies_is_replaced(seed_store_dir: Path) -> None:
    with running_server(seed_store_dir, Limits(workers=1, queue=2)) as server:
        (worker,) = server.pool.worker_pids()
        os.kill(worker, signal.SIGKILL)
        wait_until(lambda: has_ended(worker))
        response = get(server.url, "/queries/actions-by-status")
        assert response.status == 500
        assert "the query process ended before it answered" in response.text
        assert get(server.url, "/queries/actions-by-status").status == 200
        assert server.pool.worker_pids() != [worker]
