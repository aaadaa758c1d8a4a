"""The Wayback Machine availability API's documented answer, read with suspicion."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from guidelint.links.suggest.archive import MAX_ANSWER_BYTES, parse_answer, parse_stamp, query_url

DOCUMENTED = {
    "archived_snapshots": {
        "closest": {
            "available": True,
            "url": "http://web.archive.org/web/20130919044612/http://example.com/",
            "timestamp": "20130919044612",
            "status": "200",
        }
    }
}


def test_the_documented_answer() -> None:
    copy = parse_answer(json.dumps(DOCUMENTED).encode())
    assert copy is not None
    assert copy.url == "http://web.archive.org/web/20130919044612/http://example.com/"
    assert copy.captured_at == "2013-09-19T04:46:12Z"


def _with(**closest: Any) -> bytes:
    return json.dumps(
        {
            "archived_snapshots": {
                "closest": {**DOCUMENTED["archived_snapshots"]["closest"], **closest}
            }
        }
    ).encode()


@pytest.mark.parametrize(
    "body",
    [
        b'{"archived_snapshots":{}}',
        b"[]",
        b"not json",
        b"[" * 100_000,
        b" " * (MAX_ANSWER_BYTES + 1) + b"{}",
        _with(available=False),
        _with(status="404"),
        _with(url="javascript:alert(1)"),
        _with(url="http://web.archive.org/web/x y"),
        _with(url="http://web.archive.org/\x1b[31m"),
        _with(timestamp="2013"),
        _with(timestamp="20131399999999"),
    ],
)
def test_anything_else_is_no_copy(body: bytes) -> None:
    assert parse_answer(body) is None


def test_the_query_asks_for_the_copy_closest_to_the_review() -> None:
    when = datetime(2026, 11, 2, 5, 17, tzinfo=UTC)
    assert query_url(
        "https://archive.org/wayback/available", "https://x.example/a?b=1&c", when
    ) == (
        "https://archive.org/wayback/available?url=https%3A%2F%2Fx.example%2Fa%3Fb%3D1%26c"
        "&timestamp=20261102051700"
    )
    assert query_url("https://a.example/api", "https://x.example/", None).endswith(
        "?url=https%3A%2F%2Fx.example%2F"
    )
    assert parse_stamp("2026-11-02T05:17:00Z") == when
    assert parse_stamp("yesterday") is None and parse_stamp(None) is None
