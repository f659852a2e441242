"""The one error hierarchy: the CLI turns these into one-line messages and exit codes."""

from __future__ import annotations

from pathlib import Path


class WpsGraphError(Exception):
    """A user-facing failure: bad input, a broken store, a bad query. Never a bug."""


class SourceError(WpsGraphError):
    """A source document cannot be read as a management response."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class StoreError(WpsGraphError):
    """The store cannot be opened, read or written."""


class QueryError(WpsGraphError):
    """A query is unknown, malformed, refused or given bad parameters."""
