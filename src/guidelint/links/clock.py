"""Timestamps as every links state file stores them: ISO 8601, UTC, to the second, with a Z."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_stamp(now: datetime) -> str:
    if now.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
