"""Helpers for the tests of wpsgraph serve: a server on a free port of 127.0.0.1 in a thread of
the test process (its query processes are real processes), and a plain HTTP client."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

from wpsgraph.serve.limits import Limits
from wpsgraph.serve.server import ServeOptions, Server

# Small limits so that the tests that meet them are quick.
TEST_LIMITS = Limits(timeout_s=10, workers=2, queue=4)


@contextmanager
def running_server(store: Path, limits: Limits = TEST_LIMITS, **options: Any) -> Iterator[Server]:
    server = Server(ServeOptions(store=store, port=0, limits=limits, **options))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.close()
        thread.join(timeout=10)


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def media_type(self) -> str:
        return self.headers.get("Content-Type", "").partition(";")[0]


def http(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Response:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def post_form(url: str, fields: dict[str, str], headers: dict[str, str] | None = None) -> Response:
    body = urllib.parse.urlencode(fields).encode()
    return http(url, method="POST", body=body, headers=headers)


def get(base: str, path: str, params: dict[str, str] | None = None, **kwargs: Any) -> Response:
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    return http(f"{base}{path}{query}", **kwargs)


def json_rows(document: dict[str, Any]) -> list[tuple[str, ...]]:
    """SPARQL JSON results as rows of values (unbound as ""), in the order of head.vars."""
    variables = document["head"]["vars"]
    return [
        tuple(b[v]["value"] if v in b else "" for v in variables)
        for b in document["results"]["bindings"]
    ]


def wait_until(condition: Callable[[], bool], timeout: float = 10) -> None:
    """Poll until condition holds: a test waits for a state, never for a guessed time."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout} s")
        time.sleep(0.02)
