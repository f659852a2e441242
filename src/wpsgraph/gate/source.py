"""Reading a GATE page's text from disk: bytes -> str with LF line ends."""

from __future__ import annotations

from pathlib import Path

from wpsgraph.errors import SourceError

EMPTY_MESSAGE = "empty file: expected a GATE management response page"


def read_source(path: Path) -> str:
    """The text of a saved GATE page: UTF-8 with or without BOM, else cp1252; LF line ends."""
    return source_text(read_bytes(path), path)


def source_text(data: bytes, path: str | Path) -> str:
    """The page text of bytes read from path (named in errors)."""
    text = normalize_line_ends(decode(data))
    require_content(text, path)
    return text


def read_bytes(path: Path) -> bytes:
    path = Path(path)
    if path.is_dir():
        raise SourceError(path, None, "is a directory")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(path, None, "file not found") from None
    except IsADirectoryError:
        raise SourceError(path, None, "is a directory") from None
    except OSError as err:
        raise SourceError(path, None, f"cannot be read: {err.strerror or err}") from None


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped); pages saved by older Windows tools are cp1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; replacing them beats refusing the whole page.
        return data.decode("cp1252", errors="replace")


def normalize_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def require_content(text: str, source: str | Path) -> None:
    """Refuse empty and whitespace-only input, which is never a page."""
    if not text.strip():
        raise SourceError(source, 1, EMPTY_MESSAGE)
