"""What one request may take from the server. Every limit answers with its own status and a
message that says which limit it met: nothing is cut short silently."""

from __future__ import annotations

import os
from dataclasses import dataclass


def default_workers() -> int:
    """One query process per core, and one more, so that a query running into the time limit
    leaves every core to the others."""
    return (os.cpu_count() or 1) + 1


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 30.0  # per query, then 504 and the query process is killed
    workers: int = 2  # queries that run at once
    queue: int = 16  # requests that may wait for a worker; beyond them, 503 with Retry-After
    max_query_bytes: int = 100_000  # then 413
    max_result_bytes: int = 128 * 2**20  # then 422

    @property
    def max_body_bytes(self) -> int:
        """The request body read at most: percent-encoding can triple a query's length in a form."""
        return 3 * self.max_query_bytes + 1024
