"""The guide's last review is too long ago, or in the future.

Helplines close, numbers change and laws move; a guide nobody has checked for a year may
send a reader in crisis to a service that no longer exists. `last_reviewed` older than
`warn_after_days` (default 180) is a warning; older than `error_after_days` (default 365) an
error. A date in the future (beyond one day, for time zones) is an error too: it claims a
review that has not happened. A `last_reviewed` that is not a real calendar date is
reported here as well.

The `today` option (an ISO date, empty for the real date in UTC) exists for tests and for
reproducing a past run; leave it unset in normal use.

Failing (today 2026-11-22):

    last_reviewed: '2025-09-01'

Passing:

    last_reviewed: '2026-11-01'
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from guidelint.config import ConfigError
from guidelint.diagnostics import Severity
from guidelint.guide import Guide
from guidelint.rules.base import Finding, Options

CODE = "GL501"
NAME = "review-overdue"
SEVERITY = Severity.WARNING
SUMMARY = "last_reviewed is older than the review thresholds (180 days warns, 365 fails) or in the future."
OPTIONS = {"warn_after_days": 180, "error_after_days": 365, "today": ""}


def today(options: Options) -> datetime.date:
    """The date to judge against: the `today` option when set, else the current UTC date."""
    value = str(options.get("today", "") or "")
    if not value:
        return datetime.datetime.now(datetime.UTC).date()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"rules.{CODE}.today must be a date as YYYY-MM-DD, not {value!r}"
        ) from None


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
    warn_after = int(options.get("warn_after_days", 180))
    error_after = int(options.get("error_after_days", 365))
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
