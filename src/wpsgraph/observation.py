"""When a version of a source page was observed, and what says so.

The first of these that gives a date wins: the date the user states (wpsgraph load --observed);
evidence written into a saved HTML page (a web archive's capture time, then a save tool's save
time); a date at the end of the file name (gate-11818_2025-06-30.txt, gate-11818.2025-06-30.html);
else the time of the load. What browsers and save tools really write (checked against their
output): SingleFile opens the page with a comment holding "saved date: <JavaScript date>"; Save
Page WE writes <meta name="savepage-date" content="<JavaScript date>">; the Wayback Machine ends
its copies with "FILE ARCHIVED ON 14:47:19 Mar 04, 2021 AND RETRIEVED FROM THE INTERNET ARCHIVE
ON ...", in UTC. A browser's own "Save page as" writes no date: Chrome's and Internet Explorer's
"<!-- saved from url=(0071)... -->" mark names the address only, so it is not evidence of a date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from wpsgraph.errors import SourceError, WpsGraphError
from wpsgraph.gate.html import looks_like_html
from wpsgraph.model import DateSource, Observed

# gate-11818_2025-06-30 / gate-11818.2025-06-30: the date ends the name, after "_" or ".".
_DATED_NAME = re.compile(r"^(?P<base>.+)[._](?P<date>\d{4}-\d{2}-\d{2})$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "(?P<month>" + "|".join(_MONTHS) + ")"
# JavaScript's Date.prototype.toString(), which both save tools write: the saver's local time.
_JS_DATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) " + _MONTH + r" (?P<day>\d{2}) (?P<year>\d{4}) "
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2}) "
    r"GMT(?P<sign>[+-])(?P<hh>\d{2})(?P<mm>\d{2})"
)
_SINGLEFILE = re.compile(r"<!--(?:(?!-->).)*?Page saved with SingleFile(?:(?!-->).)*?-->", re.S)
_SAVED_DATE = re.compile(r"saved date:\s*(?P<value>[^\n]*)")
_SAVEPAGE_META = re.compile(r"<meta\b[^>]*\bname\s*=\s*[\"']savepage-date[\"'][^>]*>", re.I)
_CONTENT = re.compile(r"\bcontent\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)')", re.I)
_WAYBACK = re.compile(
    r"FILE ARCHIVED ON (?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2}) "
    + _MONTH
    + r" (?P<day>\d{1,2}), (?P<year>\d{4}) AND RETRIEVED FROM THE"
)
# A save tool's comment comes first in the page; read no further for it.
_HEAD_CHARS = 16_384
# Evidence may be a few hours ahead of the load's UTC clock (a saver east of Greenwich).
_CLOCK_SLACK = timedelta(days=1)


def dated_name(path: Path) -> tuple[str, date | None]:
    """The file name's stem without a trailing date, and that date (None when there is none)."""
    match = _DATED_NAME.match(path.stem)
    if not match:
        return path.stem, None
    try:
        return match.group("base"), date.fromisoformat(match.group("date"))
    except ValueError:
        raise SourceError(
            path, None, f"the date {match.group('date')} in the file name is not a calendar day"
        ) from None


def observed(path: Path, text: str, stated: date | None, loaded_at: datetime) -> Observed:
    """When this copy of a page was observed (see the module's docstring for the order)."""
    if stated is not None:
        found = Observed(stated, None, DateSource.STATED)
    else:
        found = page_evidence(text) or _from_name(path) or _loaded(loaded_at)
    if found.day > loaded_at.date() + _CLOCK_SLACK:
        raise SourceError(
            path,
            None,
            f"observed on {found.day} ({found.source}), after the load: a page cannot be seen "
            "in the future; fix the date or pass --observed",
        )
    return found


def check_stated(stated: date | None, loaded_at: datetime) -> None:
    """--observed names a day that has begun somewhere on Earth."""
    if stated is not None and stated > loaded_at.date() + _CLOCK_SLACK:
        raise WpsGraphError(f"--observed {stated} is in the future")


def page_evidence(text: str) -> Observed | None:
    """The observation a saved HTML page records: a web archive's capture time, else a save
    tool's save time; None for page text, and for pages that record neither."""
    if not looks_like_html(text):
        return None
    return _wayback(text) or _singlefile(text[:_HEAD_CHARS]) or _savepage_meta(text)


def _from_name(path: Path) -> Observed | None:
    day = dated_name(path)[1]
    return None if day is None else Observed(day, None, DateSource.FILE_NAME)


def _loaded(loaded_at: datetime) -> Observed:
    return Observed(loaded_at.date(), loaded_at, DateSource.LOAD_TIME)


def _wayback(text: str) -> Observed | None:
    match = _WAYBACK.search(text)
    if not match:
        return None
    moment = _moment(match, UTC)
    return None if moment is None else Observed(moment.date(), moment, DateSource.ARCHIVE_CAPTURE)


def _singlefile(head: str) -> Observed | None:
    comment = _SINGLEFILE.search(head)
    saved = _SAVED_DATE.search(comment.group(0)) if comment else None
    return _save_date(saved.group("value")) if saved else None


def _savepage_meta(text: str) -> Observed | None:
    meta = _SAVEPAGE_META.search(text)
    content = _CONTENT.search(meta.group(0)) if meta else None
    return _save_date(content.group("dq") or content.group("sq") or "") if content else None


def _save_date(value: str) -> Observed | None:
    """A JavaScript date string as the saver's local time (its day is the saver's day)."""
    match = _JS_DATE.match(value.strip())
    if not match:
        return None
    offset = timedelta(hours=int(match.group("hh")), minutes=int(match.group("mm")))
    zone = timezone(-offset if match.group("sign") == "-" else offset)
    moment = _moment(match, zone)
    return None if moment is None else Observed(moment.date(), moment, DateSource.SAVE_DATE)


def _moment(match: re.Match[str], zone: timezone) -> datetime | None:
    try:
        return datetime(
            int(match.group("year")),
            _MONTHS.index(match.group("month")) + 1,
            int(match.group("day")),
            int(match.group("hour")),
            int(match.group("minute")),
            int(match.group("second")),
            tzinfo=zone,
        )
    except ValueError:  # a day or hour out of range: not a date
        return None
