"""Reading from the network with limits: http and https only, a deadline for the whole exchange,
a size cap, a bounded number of redirects (each checked like the first URL). One graph of a
SPARQL endpoint is read through SPARQLWrapper with the same limits.

Nothing here interprets what it reads; wpsgraph.rdfsource parses it. The HTTP client modules
are imported when a URL is read, so commands that read none start without them."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    import http.client
    import urllib.request
    from email.message import Message

from wpsgraph import __version__
from wpsgraph.errors import WpsGraphError

USER_AGENT = f"wpsgraph/{__version__} (+https://w3id.org/wpsgraph)"
ALLOWED_SCHEMES = ("http", "https")
_CHUNK = 1 << 16
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(WpsGraphError):
    """A URL or endpoint could not be read within the limits, or answered with an error."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # seconds for the whole exchange (connect, redirects, body)
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Fetched:
    url: str  # the URL asked for
    final_url: str  # after redirects
    media_type: str | None  # Content-Type without parameters, lower case
    data: bytes
    # Virtuoso's X-SPARQL-MaxRows: the endpoint cut its answer at this many results.
    row_cap: int | None = None


@lru_cache(maxsize=1)
def _opener() -> urllib.request.OpenerDirector:
    """An opener that hands every redirect back as an HTTPError, so fetch follows it itself,
    checked and counted."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            return None

    return urllib.request.build_opener(NoRedirect)


def check_url(url: str) -> None:
    """Refuse anything but an absolute http(s) URL: no file:, ftp:, data: ..."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.netloc:
        shown = f"'{parts.scheme}:' URLs" if parts.scheme else "relative URLs"
        raise FetchError(f"{url}: only http and https URLs are read, not {shown}")


def fetch(url: str, accept: str, limits: Limits = DEFAULT_LIMITS) -> Fetched:
    """GET url, following at most limits.max_redirects redirects, all within limits.timeout
    seconds and limits.max_bytes bytes; raises FetchError with a one-line reason."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + limits.timeout
    current = url
    for _hop in range(limits.max_redirects + 1):
        check_url(current)
        request = urllib.request.Request(
            current, headers={"Accept": accept, "User-Agent": USER_AGENT}
        )
        with _network_errors(url, limits):
            try:
                response = _opener().open(request, timeout=_remaining(deadline, url, limits))
            except urllib.error.HTTPError as exc:
                location = exc.headers.get("Location") if exc.code in _REDIRECTS else None
                exc.close()
                if location is None:
                    raise FetchError(
                        f"{url}: the server answered HTTP {exc.code} {exc.reason}"
                    ) from None
                current = urljoin(current, location)
                continue
            with response:
                data = read_capped(response, url, limits, deadline)
                return Fetched(url, current, _media_type(response.headers), data)
    raise FetchError(f"{url}: more than {limits.max_redirects} redirects; give the final URL")


def fetch_remote_graph(endpoint: str, graph: str, limits: Limits = DEFAULT_LIMITS) -> Fetched:
    """Every triple of one named graph of a SPARQL endpoint, as the endpoint serializes a
    CONSTRUCT (Turtle asked for), through SPARQLWrapper with a timeout always set."""
    import urllib.error

    from SPARQLWrapper import POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    from wpsgraph.sparql_text import graph_query

    check_url(endpoint)
    try:
        query = graph_query(graph)
    except ValueError:
        raise FetchError(f"--graph {graph}: not an absolute IRI") from None
    wrapper = SPARQLWrapper(endpoint, agent=USER_AGENT)
    # SPARQLWrapper takes whole seconds and treats 0 as "no timeout".
    wrapper.setTimeout(max(1, math.ceil(limits.timeout)))
    wrapper.setMethod(POST)
    wrapper.setReturnFormat(TURTLE)
    wrapper.setQuery(query)
    deadline = time.monotonic() + limits.timeout
    where = f"{endpoint} (graph <{graph}>)"
    with _network_errors(where, limits):
        try:
            response = wrapper.query().response
        except SPARQLWrapperException as exc:
            raise FetchError(f"{where}: the endpoint refused the query: {exc.msg}") from None
        except urllib.error.HTTPError as exc:
            raise FetchError(
                f"{where}: the endpoint answered HTTP {exc.code} {exc.reason}"
            ) from None
        with response:
            data = read_capped(response, where, limits, deadline)
            cap = response.headers.get("X-SPARQL-MaxRows")
            return Fetched(
                endpoint,
                response.geturl(),
                _media_type(response.headers),
                data,
                int(cap) if cap and cap.isdigit() else None,
            )


def read_capped(
    response: http.client.HTTPResponse, where: str, limits: Limits, deadline: float
) -> bytes:
    """The whole body, refused as soon as it passes the size cap or the deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(
            f"{where}: the answer is {_size(int(declared))}, over the {_size_limit(limits)}"
        )
    parts: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"{where}: the answer is larger than the {_size_limit(limits)}")
        _remaining(deadline, where, limits)
        parts.append(chunk)
    return b"".join(parts)


def _remaining(deadline: float, where: str, limits: Limits) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"{where}: no complete answer within {limits.timeout:g} s")
    return left


@contextmanager
def _network_errors(where: str, limits: Limits) -> Iterator[None]:
    """Network failures as one-line FetchErrors naming what was read."""
    import http.client
    import urllib.error

    silent = f"{where}: no answer within {limits.timeout:g} s"
    try:
        yield
    except TimeoutError:  # socket.timeout is TimeoutError
        raise FetchError(silent) from None
    except urllib.error.URLError as exc:  # after HTTPError, its subclass, was handled
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(silent) from None
        raise FetchError(f"{where}: cannot connect: {exc.reason}") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise FetchError(f"{where}: the connection broke: {exc or type(exc).__name__}") from None


def _media_type(headers: Message) -> str | None:
    """The Content-Type without parameters, lower case; None when the server sent none."""
    return headers.get_content_type() if headers.get("Content-Type") else None


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MiB" if count >= 1024 * 1024 else f"{count} bytes"


def _size_limit(limits: Limits) -> str:
    return f"limit of {_size(limits.max_bytes)}"
