"""The reviewed baseline file: format, errors, accepting, applying, surviving kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from guidelint.links import baseline as bl
from guidelint.links.baseline import Baseline, BaselineError, LinkContext
from guidelint.links.content import extract, main_text
from guidelint.links.model import LinkResult, Page, Verdict

PAGES = Path(__file__).parent.parent / "fixtures" / "links_health" / "pages"
NOW = datetime(2026, 11, 22, 2, 25, 7, tzinfo=UTC)
A = "https://help.example.org/get-help"
B = "https://report.example.org/report"
C = "https://gone.example.org/"


def _page(name: str) -> Page:
    extracted = extract((PAGES / name).read_text(encoding="utf-8"))
    return Page(extracted.title, extracted.text)


def _first_run() -> list[LinkResult]:
    return [
        LinkResult(A, Verdict.OK, status=200, page=_page("phone-digit.1.html")),
        LinkResult(
            B,
            Verdict.REDIRECTED,
            status=200,
            final_url=B + "?lang=en",
            page=_page("changed-advice.1.html"),
        ),
        LinkResult(C, Verdict.BROKEN, status=404),
    ]


CONTEXTS = {A: LinkContext("GB", ("Image Abuse Helpline",)), B: LinkContext("GB", ())}


def _accepted() -> Baseline:
    return bl.accept(_first_run(), Baseline(), now=NOW, contexts=CONTEXTS).baseline


def test_accept_keeps_alive_pages_only() -> None:
    outcome = bl.accept(_first_run(), Baseline(), now=NOW, contexts=CONTEXTS)
    assert outcome.accepted == (A, B)
    assert outcome.refused == {}
    entry = outcome.baseline.entries[B]
    assert entry.final_url == B + "?lang=en"
    assert entry.accepted_at == "2026-11-22T02:25:07Z"
    assert outcome.baseline.entries[A].snapshot.facts == (
        "email help@imageabuse.org.uk",
        "name Image Abuse Helpline",
        "phone +44 808 800 5000 (0808 800 5000)",
    )
    assert C not in outcome.baseline.entries


def test_accept_chosen_urls_reports_what_it_refused() -> None:
    earlier = bl.accept(_first_run()[:1], Baseline(), now=NOW, contexts=CONTEXTS).baseline
    later = datetime(2026, 12, 1, tzinfo=UTC)
    outcome = bl.accept(_first_run(), earlier, now=later, urls=[B, C, "https://unknown.example/"])
    assert outcome.accepted == (B,)
    assert outcome.refused == {
        C: "not accepted: the check gave 'broken'",
        "https://unknown.example/": "not checked in this run (is it used by a guide?)",
    }
    assert outcome.baseline.entries[A] == earlier.entries[A]  # untouched
    assert outcome.baseline.entries[B].accepted_at == "2026-12-01T00:00:00Z"


def test_prune_drops_urls_no_guide_uses() -> None:
    baseline = _accepted()
    only_a = _first_run()[:1]
    kept = bl.accept(only_a, baseline, now=NOW)
    assert sorted(kept.baseline.entries) == [A, B]
    pruned = bl.accept(only_a, baseline, now=NOW, prune=True)
    assert sorted(pruned.baseline.entries) == [A]


def test_file_is_sorted_indented_and_round_trips(tmp_path: Path) -> None:
    baseline = _accepted()
    path = tmp_path / "guides" / "links-baseline.json"
    bl.save(baseline, path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert list(json.loads(text)["links"]) == sorted([A, B])
    assert bl.load(path) == baseline
    bl.save(bl.load(path), path)
    assert path.read_text(encoding="utf-8") == text  # stable: no churn in diffs
    assert [p.name for p in path.parent.iterdir()] == ["links-baseline.json"]  # no temp left


def test_save_keeps_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "links-baseline.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o640)
    bl.save(_accepted(), path)
    assert path.stat().st_mode & 0o777 == 0o640


def test_missing_file_is_an_empty_baseline(tmp_path: Path) -> None:
    assert bl.load(tmp_path / "nope.json") == Baseline()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{\n  "version": 1,\n  "links": {,}\n}\n', "baseline.json:3:13: invalid JSON"),
        ("[]", "must be a JSON object"),
        ('{"version": 3, "links": {}}', "unsupported baseline version 3"),
        ('{"version": 1, "links": [], "x": 1}', "unknown key 'x'"),
        ('{"version": 1, "links": []}', "'links' must be an object"),
        (
            '{"version": 1, "links": {"https://a/": {"final_url": "x", "accepted_at": "t"}}}',
            "entry for https://a/: missing 'fingerprint'",
        ),
        (
            '{"version": 1, "links": {"https://a/": {"final_url": "x", "accepted_at": "t",'
            ' "fingerprint": [1]}}}',
            "entry for https://a/: 'fingerprint' must be a list of strings",
        ),
    ],
)
def test_malformed_file_is_a_located_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError) as error:
        bl.load(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_apply_marks_changed_pages_and_new_urls() -> None:
    baseline = _accepted()
    second = [
        LinkResult(A, Verdict.OK, status=200, page=_page("phone-digit.2.html")),
        LinkResult(
            B, Verdict.REDIRECTED, final_url=B + "?lang=en", page=_page("changed-advice.1.html")
        ),
        LinkResult(C, Verdict.BROKEN, status=404),
        LinkResult("https://new.example.org/", Verdict.OK, page=Page("New", "Hello there.")),
    ]
    a, b, c, new = bl.apply(second, baseline)
    assert a.verdict is Verdict.CHANGED
    assert a.change is not None
    assert a.change.facts_added == ("phone +44 808 800 5001 (0808 800 5001)",)
    assert b.verdict is Verdict.REDIRECTED and b.change is None
    assert c == second[2]
    assert new.verdict is Verdict.OK
    assert new.new
    assert new.notes == ()


def test_apply_flags_a_page_that_lands_elsewhere() -> None:
    baseline = _accepted()
    elsewhere = LinkResult(
        B,
        Verdict.REDIRECTED,
        final_url="https://parked.example.net/",
        page=_page("changed-advice.1.html"),
    )
    (result,) = bl.apply([elsewhere], baseline)
    assert result.verdict is Verdict.CHANGED
    assert result.notes == (f"now lands on https://parked.example.net/ (accepted: {B}?lang=en)",)


def test_apply_ignores_query_noise_in_the_landing_url() -> None:
    baseline = _accepted()
    session = LinkResult(
        B,
        Verdict.REDIRECTED,
        final_url=B.replace("https://", "https://www.") + "/?lang=en&sid=93f8a2c1",
        page=_page("changed-advice.1.html"),
    )
    (result,) = bl.apply([session], baseline)
    assert result.verdict is Verdict.REDIRECTED
    assert result.notes == ()


def test_apply_keeps_moved_verdict_but_fills_the_change() -> None:
    baseline = _accepted()
    moved = LinkResult(A, Verdict.MOVED, final_url=A + "/new", page=_page("changed-advice.2.html"))
    (result,) = bl.apply([moved], baseline)
    assert result.verdict is Verdict.MOVED
    assert result.change is not None
    assert "name Image Abuse Helpline" in result.change.facts_removed


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from guidelint.links import baseline as bl
    from guidelint.links.change import Snapshot

    path = Path(sys.argv[1])
    print("ready", flush=True)
    for generation in range(100000):
        entries = {
            f"https://example.org/{i}": bl.Entry(
                Snapshot(f"title {generation}", tuple(f"{i:016x}:{generation}" for i in range(50)), ()),
                f"https://example.org/{i}",
                "2026-11-22T00:00:00Z",
            )
            for i in range(200)
        }
        bl.save(bl.Baseline(entries), path)
    """
)


def test_many_pages_are_read_in_forked_workers_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = sorted(path.name for path in PAGES.glob("*.html"))
    first = [
        LinkResult(f"https://s{i}.example/", Verdict.OK, page=_page(names[i % len(names)]))
        for i in range(60)
    ]
    # The next week every page reads as its neighbour did: changes of every kind.
    second = [
        LinkResult(result.url, Verdict.OK, page=_page(names[(i + 1) % len(names)]))
        for i, result in enumerate(first)
    ]
    contexts = {result.url: LinkContext("GB", ("Image Abuse Helpline",)) for result in first}
    serial = bl.accept(first, Baseline(), now=NOW, contexts=contexts)
    serial_changes = bl.compare_pages(second, serial.baseline)
    assert sum(change is not None for change in serial_changes.values()) > 30

    monkeypatch.setattr(bl, "POOL_MIN_PAGES", 0)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    if sys.platform != "linux":
        pytest.skip("pages are read in forked workers on Linux only")
    pids = bl._map_pages(lambda item: (item, os.getpid()), list(range(100)))
    assert [item for item, _ in pids] == list(range(100))
    assert os.getpid() not in {pid for _, pid in pids}  # really in other processes
    pooled = bl.accept(first, Baseline(), now=NOW, contexts=contexts)
    assert pooled == serial
    assert bl.compare_pages(second, pooled.baseline) == serial_changes


def test_baseline_survives_kill_9_while_saving(tmp_path: Path) -> None:
    path = tmp_path / "links-baseline.json"
    deadline = time.monotonic() + 8
    generations = set()
    for _ in range(5):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        try:
            assert process.stdout is not None
            assert process.stdout.readline() == b"ready\n"
            time.sleep(random.uniform(0.05, 0.4))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=5)
        if path.exists():
            loaded = bl.load(path)  # old or new, never torn
            assert len(loaded.entries) == 200
            generations.add(next(iter(loaded.entries.values())).snapshot.title)
        assert time.monotonic() < deadline
    assert generations  # at least one save completed before a kill


def _read(name: str) -> Page:
    markup = (PAGES / name).read_text(encoding="utf-8")
    extracted = extract(markup)
    return Page(extracted.title, extracted.text, main=main_text(markup))


def test_a_version_1_file_is_compared_as_it_was_made_until_accepted_again() -> None:
    # A file written before main content was compared: no fingerprint_version, sentences of
    # the whole visible text (menus, banners, sidebars and footer included).
    before, after = _read("boilerplate-moved.1.html"), _read("boilerplate-moved.2.html")
    old = bl.accept(
        [LinkResult(A, Verdict.OK, status=200, page=Page(before.title, before.text))],
        Baseline(),
        now=NOW,
    ).baseline
    document = json.loads(bl.dumps(old))
    document["version"] = 1
    del document["links"][A]["fingerprint_version"]
    loaded = bl.loads(json.dumps(document))
    assert loaded.entries[A].snapshot.fingerprint_version == 1

    # The page as it was reviewed, now read with its main content: no change, and a note.
    (same,) = bl.apply([LinkResult(A, Verdict.OK, status=200, page=before)], loaded)
    assert same.verdict is Verdict.OK and same.change is None
    assert same.notes == (bl.OLD_FINGERPRINT_NOTE,)

    # Accepted again: main-content sentences, version 2 in the file, and boilerplate changes
    # (moved paragraphs, a cookie banner, another sidebar) no longer count.
    renewed = bl.accept([LinkResult(A, Verdict.OK, status=200, page=before)], loaded, now=NOW)
    text = bl.dumps(renewed.baseline)
    assert '"version": 2' in text and '"fingerprint_version": 2' in text
    (moved,) = bl.apply([LinkResult(A, Verdict.OK, status=200, page=after)], bl.loads(text))
    assert moved.verdict is Verdict.OK and moved.notes == ()
    # The old entry saw those boilerplate changes as a change: why it asks to be renewed.
    (flagged,) = bl.apply([LinkResult(A, Verdict.OK, status=200, page=after)], loaded)
    assert flagged.verdict is Verdict.CHANGED


@pytest.mark.parametrize("version", ["0", "3", "true", '"2"'])
def test_fingerprint_version_is_checked(version: str) -> None:
    text = (
        '{"version": 2, "links": {"https://a/": {"final_url": "x", "accepted_at": "t", '
        f'"fingerprint": [], "fingerprint_version": {version}}}}}}}'
    )
    with pytest.raises(BaselineError, match="'fingerprint_version' must be 1 to 2"):
        bl.loads(text)
