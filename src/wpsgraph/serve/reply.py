"""What a request gets back, and the errors that carry their HTTP status."""

from __future__ import annotations

from dataclasses import dataclass, field

from wpsgraph.errors import WpsGraphError

TEXT = "text/plain; charset=utf-8"


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes | bytearray
    headers: dict[str, str] = field(default_factory=dict)


class HttpError(WpsGraphError):
    """A request the server answers with an error status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def reply(self) -> Reply:
        return text_reply(self.status, self.message, self.headers)


def text_reply(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, TEXT, (message.rstrip("\n") + "\n").encode(), dict(headers or {}))
