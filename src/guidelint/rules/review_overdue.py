"""The guide's last review is too long ago, or in the future.

Helplines close, numbers change and laws move; a guide nobody has checked for a year may
send a reader in crisis to a service that no longer exists. `last_reviewed` older than
`warn_after_days` (default 180) is a warning; older than `error_after_days` (default 365) an
error. A date in the future (beyond one day, for time zones) is an error too: it claims a
review that has not happened. A `last_reviewed` that is not a real calendar date is
reported here as well.

The `today` option (a date; unset means the real date in UTC) exists for tests and for
reproducing a past run; leave it unset in normal use.

Failing (today 2026-11-22):

    last_reviewed: '2025-09-01'

Passing:

    last_reviewed: '2026-11-01'
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Annotated, Any

from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.options import Key, Option, Record
from guidelint.rules.base import Finding

CODE = "GL501"
NAME = "review-overdue"
SEVERITY = Severity.WARNING
SUMMARY = "last_reviewed is older than the review thresholds (180 days warns, 365 fails) or in the future."


_DATE = "a date such as 2026-11-22"


def _date(value: Any, at: Key) -> datetime.date | None:
    """A TOML date, or the same written as a string; "" (the old default) means unset."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if value == "":
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        at.fail(_DATE, value)


class Options(Record):
    warn_after_days: Annotated[
        int, Option(minimum=0, doc="A review older than this many days is a warning.")
    ] = 180
    error_after_days: Annotated[
        int, Option(minimum=0, doc="A review older than this many days is an error.")
    ] = 365
    today: Annotated[
        datetime.date | None,
        Option(parse=_date, kind=_DATE, doc="The date to judge against (unset: today in UTC)."),
    ] = None


def today(options: Options) -> datetime.date:
    """The date to judge against: the `today` option when set, else the current UTC date."""
    return options.today or datetime.datetime.now(datetime.UTC).date()


def check(guide: Guide, options: Options) -> Iterator[Finding]:
    raw = guide.data.get("last_reviewed")
    if not isinstance(raw, str):
        return
    position = guide.document.position(("last_reviewed",))
    try:
        reviewed = datetime.date.fromisoformat(raw)
    except ValueError:
        yield Finding(
            position,
            f"last_reviewed '{raw}' is not a real date; write the review date as YYYY-MM-DD",
            severity=Severity.ERROR,
        )
        return
    now = today(options)
    age = (now - reviewed).days
    warn_after = options.warn_after_days
    error_after = options.error_after_days
    if age < -1:
        yield Finding(
            position,
            f"last_reviewed {raw} is in the future (today is {now}); write the date of the review",
            severity=Severity.ERROR,
        )
    elif age > error_after:
        yield Finding(
            position,
            f"last reviewed {age} days ago ({raw}), more than {error_after}; "
            "review every fact and link, then update last_reviewed",
            severity=Severity.ERROR,
        )
    elif age > warn_after:
        yield Finding(
            position,
            f"last reviewed {age} days ago ({raw}), more than {warn_after}; schedule a review",
        )
