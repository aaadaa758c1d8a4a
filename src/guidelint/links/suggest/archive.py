"""What a dead page said: its copy in the Internet Archive, for the reviewer, never for readers.

`--archive-lookup` asks the Wayback Machine's availability API
(https://archive.org/help/wayback_api.php) for each dead link:

    GET {endpoint}?url=<the dead URL>&timestamp=<YYYYMMDDhhmmss>

and reads its documented answer::

    {"archived_snapshots": {"closest": {"available": true, "status": "200",
      "url": "http://web.archive.org/web/20130919044612/http://example.com/",
      "timestamp": "20130919044612"}}}

or `{"archived_snapshots": {}}` when there is none. The timestamp asked for is when the
page was reviewed (its baseline entry), else when it started failing: the copy closest to
it is the one that shows what the guide relied on. Only a copy captured with a 2xx status
is shown (a capture of the error page tells nothing), and only a plain http(s) address.
The answer is read within `MAX_ANSWER_BYTES`; the endpoint is configurable
(`archive-endpoint`) and goes through the same address guard and politeness as any request.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote

from guidelint.links import clock
from guidelint.links.model import ArchivedCopy

MAX_ANSWER_BYTES: Final = 64 * 1024
_STAMP: Final = re.compile(r"\d{14}")
_URL: Final = re.compile(r"https?://[!-~]{1,2040}")


def query_url(endpoint: str, url: str, when: datetime | None) -> str:
    """The availability API's address for `url`, asking for the copy closest to `when`."""
    query = f"url={quote(url, safe='')}"
    if when is not None:
        query += f"&timestamp={when.astimezone(UTC):%Y%m%d%H%M%S}"
    return f"{endpoint}?{query}"


def parse_answer(body: bytes) -> ArchivedCopy | None:
    """The archived copy the API's answer names, if it is a usable one."""
    if len(body) > MAX_ANSWER_BYTES:
        return None
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):
        return None
    closest = _field(_field(data, "archived_snapshots"), "closest")
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    url, stamp, status = closest.get("url"), closest.get("timestamp"), closest.get("status")
    if not (isinstance(url, str) and _URL.fullmatch(url)):
        return None
    if not (isinstance(stamp, str) and _STAMP.fullmatch(stamp)):
        return None
    if not (isinstance(status, str) and status.startswith("2")):
        return None
    try:
        moment = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    return ArchivedCopy(url=url, captured_at=clock.utc_stamp(moment))


def _field(data: Any, key: str) -> Any:
    return data.get(key) if isinstance(data, dict) else None


def parse_stamp(stamp: str | None) -> datetime | None:
    """An ISO 8601 time from the baseline or history (`2026-11-02T05:17:00Z`), if valid."""
    if not stamp:
        return None
    try:
        moment = clock.parse_stamp(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
