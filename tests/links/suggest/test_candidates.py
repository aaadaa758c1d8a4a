"""Which sitemap addresses are fetched: on the same site, ranked by path and title words."""

from __future__ import annotations

import pytest

from guidelint.links.suggest.candidates import path_similarity, rank, same_site, words

DEAD = "https://www.charity.example/get-help/report-online-abuse"
TITLE = "Report online abuse | Safe Online Charity"


@pytest.mark.parametrize(
    ("other", "same"),
    [
        ("https://www.charity.example/our-services/x", True),
        ("https://charity.example/x", True),  # www. aside
        ("http://www.charity.example/x", True),  # moved to https, or back
        ("https://WWW.Charity.Example./x", True),
        ("https://www.charity.example:443/x", True),
        ("https://www.charity.example:8443/x", False),
        ("https://evil.example/x", False),
        ("https://charity.example.evil.example/x", False),
        ("https://www.charity.example@evil.example/x", False),
        ("https://evil.example\\@www.charity.example/x", False),
        ("ftp://www.charity.example/x", False),
        ("https://10.0.0.1/x", False),
        ("https://www.chаrity.example/x", False),  # a Cyrillic а
        ("not a url", False),
        ("https://www.charity.example:99999/x", False),
    ],
)
def test_same_site(other: str, same: bool) -> None:
    assert same_site(DEAD, other) is same


def test_words_are_stems_without_filler() -> None:
    assert words("Reporting the Abuse of 2024 — a guide") == {"report", "abuse", "guide"}


def test_the_new_home_ranks_first_among_thousands() -> None:
    base = "https://www.charity.example"
    locs = [f"{base}/news/2024/post-{n}" for n in range(5000)]
    locs += [
        f"{base}/",
        f"{base}/en-gb/",
        DEAD,
        DEAD + "/",
        "https://evil.example/get-help/report-online-abuse",
        f"{base}/about-us/annual-report",
        f"{base}/our-services/reporting/report-online-abuse",
        f"{base}/our-services/reporting/report-online-abuse-scotland",
    ]
    picked = rank(DEAD, TITLE, locs, 3)
    assert [c.url for c in picked[:2]] == [
        f"{base}/our-services/reporting/report-online-abuse",
        f"{base}/our-services/reporting/report-online-abuse-scotland",
    ]
    assert all("/news/" not in c.url and c.url not in (DEAD, DEAD + "/") for c in picked)
    assert len(picked) == 3 and picked[2].url == f"{base}/about-us/annual-report"


def test_nothing_in_common_means_nothing_to_fetch() -> None:
    locs = [f"https://www.charity.example/news/{n}" for n in range(100)]
    assert rank(DEAD, TITLE, locs, 3) == []
    assert rank("https://u@evil.example/x", TITLE, locs, 3) == []


def test_path_similarity() -> None:
    assert path_similarity(DEAD, DEAD) == 1.0
    assert path_similarity(DEAD, "https://www.charity.example/") == 0.0
    assert 0 < path_similarity(DEAD, "https://www.charity.example/reporting/abuse") < 1


def test_ranking_runs_in_linear_time() -> None:
    import time

    def cpu(count: int) -> float:
        locs = [f"https://www.charity.example/section-{n}/report-{n}-abuse" for n in range(count)]
        best = float("inf")
        for _ in range(3):
            started = time.thread_time()
            rank(DEAD, TITLE, locs, 3)
            best = min(best, time.thread_time() - started)
        return best

    ratio = cpu(20_000) / max(cpu(5_000), 1e-6)
    assert ratio < 6, f"4n addresses cost {ratio:.1f}x n"
    long_text = "report " * 100_000
    started = time.thread_time()
    words(long_text * 4)
    at_4n = time.thread_time() - started
    started = time.thread_time()
    words(long_text)
    assert at_4n < 6 * max(time.thread_time() - started, 1e-3)
