"""Property tests: GATE-like pages, truncated, with lines dropped or repeated, re-encoded and
sprinkled with noise, never crash the parser; every outcome is a model (warnings located on a
line) or a SourceError naming a line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wpsgraph.errors import SourceError
from wpsgraph.gate import parse_management_response
from wpsgraph.gate.source import source_text
from wpsgraph.loader import LoadOptions, prepare
from wpsgraph.paths import DATA_DIR
from wpsgraph.register import Register

FIXTURES = Path(__file__).parent / "fixtures" / "gate"
# The seed and the fixtures that load with key actions.
PAGE_FILES = [
    DATA_DIR / "gate-11818.txt",
    *(
        FIXTURES / name
        for name in (
            "es-country-office.txt",
            "fr-labelled-layout.txt",
            "pipe-table.txt",
            "numbering-styles.txt",
            "action-variants.txt",
            "unnumbered-recommendations.txt",
            "html-page.html",
        )
    ),
]
PAGES = [path.read_text(encoding="utf-8") for path in PAGE_FILES]
REGISTER = Register.load()
NOISE = st.sampled_from(
    [
        "Recommendation:",
        "Key Actions",
        ": ",
        "|",
        "| --- |",
        "1) 2025/13 Completed",
        "Management Response",
        "Home  Evaluations  Reports",
        "2024/06 Ongoing",
        "<div>",
        "\u00a0\t",
        "Management Response Category: Agreed",
        "?¿¡",
    ]
)


@st.composite
def mutated_pages(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(PAGES)).split("\n")
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["drop", "duplicate", "noise", "swap"]))
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        if kind == "drop" and lines:
            del lines[at]
        elif kind == "duplicate" and lines:
            lines.insert(at, lines[at])
        elif kind == "noise":
            lines.insert(at, draw(NOISE))
        elif kind == "swap" and len(lines) > at + 1:
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
    text = "\n".join(lines)
    text = text[: draw(st.integers(0, len(text)))] if draw(st.booleans()) else text
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]))
    return text.replace("\n", newline).encode(encoding, errors="replace")


def outcome(data: bytes) -> str:
    """ "ok", "warnings" or "rejected", after checking that each is located."""
    try:
        text = source_text(data, "page.txt")
        result = parse_management_response(text, source="page.txt", register=REGISTER)
    except SourceError as err:
        assert err.line is not None and err.line >= 1, err
        assert err.message
        return "rejected"
    line_count = max(1, len(text.split("\n")))
    for warning in result.warnings:
        assert 1 <= warning.line <= line_count, warning
        assert warning.message
    assert result.response.recommendations
    return "warnings" if result.warnings else "ok"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(mutated_pages())
def test_damaged_pages_never_crash_the_parser(data: bytes) -> None:
    assert outcome(data) in {"ok", "warnings", "rejected"}


@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.sampled_from(PAGES), st.data())
def test_a_page_cut_anywhere_is_read_or_rejected_with_a_line(
    page: str, data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(page)))
    assert outcome(page[:cut].encode("utf-8")) in {"ok", "warnings", "rejected"}


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes_the_parser(text: str) -> None:
    assert outcome(text.encode("utf-8", errors="replace")) in {"ok", "warnings", "rejected"}


@settings(max_examples=25, deadline=None, derandomize=True)
@given(mutated_pages())
def test_damaged_pages_through_the_loader_are_located(data: bytes) -> None:
    """The whole per-file pipeline (read, parse, emit, validate) on damaged input."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gate-4242.txt"
        path.write_bytes(data)
        try:
            emitted, validation = prepare(path, LoadOptions())
        except SourceError as err:
            assert err.line is not None, err
            return
        assert all(w.line >= 1 for w in emitted.warnings)
        assert validation.conforms, [v.message for v in validation.violations]
