"""What every published form says about a guide besides its sections: its full title, the
name of its jurisdiction, its review date in words, and its place in the index."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from guidelint import jurisdictions

Entry = tuple[str, Mapping[str, Any]]
"""(relative link to the rendered guide, guide data)."""

# Not `calendar.month_name`: that follows the process locale.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def heading_text(data: Mapping[str, Any]) -> str:
    """The full title: "What to do if…" completed by the situation."""
    title = " ".join(data["title"].split())
    situation = " ".join(data["situation"].split())
    return f"{title} {situation}"


def jurisdiction_name(code: str) -> str:
    """ "United Kingdom" for `GB`; "United Kingdom (GB-SCT)" for a subdivision, whose name
    the data file does not hold; the code itself for a jurisdiction it does not know."""
    table = jurisdictions.table()
    if code in table:
        return table[code].name
    country = table.get(jurisdictions.country(code))
    return f"{country.name} ({code})" if country else code


def long_date(iso: str, language: str) -> str:
    """`2026-11-01` as "1 November 2026" ("November 1, 2026" in American English). The schema
    checks the shape only, so an impossible date is shown as written."""
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return iso
    month = _MONTHS[day.month - 1]
    if language.lower().startswith("en-us"):
        return f"{month} {day.day}, {day.year}"
    return f"{day.day} {month} {day.year}"


def by_jurisdiction(entries: Sequence[Entry]) -> list[tuple[str, list[Entry]]]:
    """Entries grouped under their jurisdiction's name (groups in name order), each group
    sorted by title, then language."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(jurisdiction_name(entry[1]["jurisdiction"]), []).append(entry)
    return [
        (name, sorted(items, key=lambda item: (heading_text(item[1]), item[1]["language"])))
        for name, items in sorted(groups.items())
    ]
