"""When a page was observed: --observed, then what a saved page records, then the file name, then
the load time; the text save tools really write."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from wpsgraph.errors import SourceError, WpsGraphError
from wpsgraph.loader import evaluation_id_for
from wpsgraph.model import DateSource, Observed
from wpsgraph.observation import check_stated, dated_name, observed, page_evidence

LOADED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
PAGE = "<!DOCTYPE html>\n<html><body><h2>Management Response</h2></body></html>\n"
SINGLEFILE = (
    '<!DOCTYPE html> <html lang="en"><!--\n'
    " Page saved with SingleFile \n"
    " url: https://gate.unwomen.org/ManagementResponse/ViewManagementResponse?evaluationId=4242 \n"
    " saved date: Sat Jul 20 2024 10:15:00 GMT+0200 (Central European Summer Time)\n"
    "--><head><title>GATE</title></head><body>Management Response</body></html>\n"
)
SAVE_PAGE_WE = (
    "<!DOCTYPE html>\n<html><head><title>GATE</title>\n"
    '<meta name="savepage-url" content="https://gate.unwomen.org/">\n'
    '<meta name="savepage-date" content="Thu Mar 14 2024 01:03:06 GMT-0500 (Eastern Time)">\n'
    "</head><body>Management Response</body></html>\n"
)
WAYBACK = (
    "<!DOCTYPE html>\n<html><body>Management Response</body></html>\n"
    "<!--\n     FILE ARCHIVED ON 14:47:19 Mar 04, 2021 AND RETRIEVED FROM THE\n"
    "     INTERNET ARCHIVE ON 14:48:16 Jul 13, 2025.\n-->\n"
)
SAVED_FROM_URL = (
    "<!DOCTYPE html>\n<!-- saved from url=(0083)https://gate.unwomen.org/ManagementResponse/"
    "ViewManagementResponse?evaluationId=4242 -->\n<html><body>Management Response</body></html>\n"
)


@pytest.mark.parametrize(
    ("name", "stem", "day"),
    [
        ("gate-11818_2025-06-30.txt", "gate-11818", date(2025, 6, 30)),
        ("gate-11818.2025-06-30.html", "gate-11818", date(2025, 6, 30)),
        ("ViewManagementResponse?evaluationId=42_2024-01-31.html", "ViewManagementResponse?"
         "evaluationId=42", date(2024, 1, 31)),
        ("gate-11818.txt", "gate-11818", None),
        ("gate-11818-2025-06-30.txt", "gate-11818-2025-06-30", None),
    ],
)  # fmt: skip
def test_a_date_ends_the_file_name(name: str, stem: str, day: date | None) -> None:
    assert dated_name(Path(name)) == (stem, day)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gate-11818_2025-06-30.txt", "11818"),
        ("gate-11818.2025-06-30.html", "11818"),
        ("11818_2025-06-30.txt", "11818"),
        ("ViewManagementResponse?evaluationId=42.2024-01-31.html", "42"),
    ],
)
def test_the_evaluation_id_rule_reads_dated_names(name: str, expected: str) -> None:
    assert evaluation_id_for(Path(name), None) == expected


def test_a_name_date_that_is_no_calendar_day_is_an_error() -> None:
    with pytest.raises(SourceError, match="2025-02-30 in the file name is not a calendar day"):
        dated_name(Path("gate-1_2025-02-30.txt"))


def test_singlefile_save_date_is_the_savers_day_and_moment() -> None:
    found = page_evidence(SINGLEFILE)
    plus_two = timezone(timedelta(hours=2))
    assert found == Observed(
        date(2024, 7, 20), datetime(2024, 7, 20, 10, 15, tzinfo=plus_two), DateSource.SAVE_DATE
    )


def test_save_page_we_meta_date() -> None:
    found = page_evidence(SAVE_PAGE_WE)
    minus_five = timezone(timedelta(hours=-5))
    assert found == Observed(
        date(2024, 3, 14), datetime(2024, 3, 14, 1, 3, 6, tzinfo=minus_five), DateSource.SAVE_DATE
    )


def test_wayback_capture_time_is_utc() -> None:
    found = page_evidence(WAYBACK)
    assert found == Observed(
        date(2021, 3, 4), datetime(2021, 3, 4, 14, 47, 19, tzinfo=UTC), DateSource.ARCHIVE_CAPTURE
    )


def test_an_archive_capture_beats_a_save_date() -> None:
    # A web archive's copy saved again with SingleFile: the content is from the capture.
    both = SINGLEFILE.replace("</html>", "</html>" + WAYBACK.split("</html>")[1])
    assert page_evidence(both).source is DateSource.ARCHIVE_CAPTURE  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        PAGE,
        SAVED_FROM_URL,  # the browser's own mark names the address, never a date
        SINGLEFILE.replace("Sat Jul 20 2024", "Sat Jul 32 2024"),  # not a date
        SINGLEFILE.removeprefix('<!DOCTYPE html> <html lang="en">'),  # not an HTML page
        "Management Response\nsaved date: Sat Jul 20 2024 10:15:00 GMT+0200\n",  # page text
    ],
    ids=["plain page", "saved from url", "bad date", "not html", "page text"],
)
def test_no_evidence_in_the_page(text: str) -> None:
    assert page_evidence(text) is None


def test_precedence_stated_then_page_then_name_then_load_time() -> None:
    dated = Path("gate-4242_2023-01-15.html")
    stated = observed(dated, SINGLEFILE, date(2022, 5, 1), LOADED)
    assert stated == Observed(date(2022, 5, 1), None, DateSource.STATED)
    assert observed(dated, SINGLEFILE, None, LOADED).source is DateSource.SAVE_DATE
    assert observed(dated, PAGE, None, LOADED) == Observed(
        date(2023, 1, 15), None, DateSource.FILE_NAME
    )
    assert observed(Path("gate-4242.html"), PAGE, None, LOADED) == Observed(
        LOADED.date(), LOADED, DateSource.LOAD_TIME
    )


def test_a_day_after_the_load_is_refused() -> None:
    with pytest.raises(SourceError, match=r"gate-1_2026-11-29\.txt: observed on 2026-11-29"):
        observed(Path("gate-1_2026-11-29.txt"), PAGE, None, LOADED)
    # A saver east of Greenwich may already be in tomorrow.
    assert observed(Path("gate-1_2026-11-28.txt"), PAGE, None, LOADED).day == date(2026, 11, 28)
    with pytest.raises(WpsGraphError, match="--observed 2027-01-01 is in the future"):
        check_stated(date(2027, 1, 1), LOADED)


def test_versions_sort_by_day_then_moment() -> None:
    day = date(2024, 7, 20)
    day_only = Observed(day, None, DateSource.FILE_NAME)
    morning = Observed(day, datetime(2024, 7, 20, 8, tzinfo=UTC), DateSource.SAVE_DATE)
    evening = Observed(day, datetime(2024, 7, 20, 20, tzinfo=UTC), DateSource.LOAD_TIME)
    earlier = Observed(date(2024, 7, 19), datetime(2024, 7, 19, 23, tzinfo=UTC), DateSource.STATED)
    ordered = sorted([evening, day_only, morning, earlier], key=Observed.order)
    assert ordered == [earlier, day_only, morning, evening]
