"""`--fix-moved` rewrites only the URL's characters and keeps every other byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidelint.links.fixmoved import Edit, fix_moved
from guidelint.links.model import LinkResult, Reference, Verdict
from guidelint.loader import load_path

GUIDES = Path(__file__).parent.parent / "fixtures" / "links_health" / "guides"
OLD = "https://old.example.org/help"
NEW = "https://www.example.org/help-centre/"
FORMS = "https://old.example.org/forms#report"


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    path = tmp_path / "moved.yaml"
    shutil.copyfile(GUIDES / "moved.yaml", path)
    return path


def _refs(path: Path, *pointers: str) -> tuple[Reference, ...]:
    document = load_path(path).document
    assert document is not None
    refs = []
    for pointer in pointers:
        parts = tuple(int(p) if p.isdigit() else p for p in pointer.strip("/").split("/"))
        position = document.position(parts)
        refs.append(Reference(str(path), position.line, position.column, pointer))
    return tuple(refs)


def _moved(
    url: str, final: str, refs: tuple[Reference, ...], *, cross_domain: bool = False
) -> LinkResult:
    return LinkResult(
        url,
        Verdict.MOVED,
        status=301,
        final_url=final,
        references=refs,
        cross_domain=cross_domain,
    )


def test_only_the_url_characters_change(guide: Path) -> None:
    original = guide.read_bytes()
    help_refs = _refs(
        guide,
        "/short_answer",
        "/steps/0/text",
        "/resources/0/url",
        "/resources/2/url",
        "/resources/3/url",
        "/situation",
    )
    forms_refs = _refs(guide, "/resources/1/url")
    results = [
        _moved(OLD, NEW, help_refs),
        _moved(FORMS, "https://www.example.org/forms", forms_refs),
        LinkResult("https://ok.example.org/", Verdict.OK, references=forms_refs),
    ]
    outcome = fix_moved(results)
    assert [(e.line, e.column, e.new) for e in outcome.edits] == [
        (11, 21, NEW),
        (13, 29, NEW),
        (18, 12, NEW),
        (22, 40, NEW),
        (21, 11, "https://www.example.org/forms#report"),
    ]
    assert sorted((s.line, s.reason) for s in outcome.skipped) == [
        (8, "the URL is in a block scalar; edit it by hand"),
        (25, "the URL is in a block scalar; edit it by hand"),
    ]
    # Every byte other than the five URLs is as it was: comments, spacing, quoting, order.
    expected = original.decode("utf-8")
    lines = expected.split("\n")
    for edit in outcome.edits:
        line = lines[edit.line - 1]
        start = edit.column - 1
        assert line[start : start + len(edit.old)] == edit.old
        lines[edit.line - 1] = line[:start] + edit.new + line[start + len(edit.old) :]
    assert guide.read_text(encoding="utf-8") == "\n".join(lines)
    document = load_path(guide).document
    assert document is not None
    assert document.data["steps"][0]["text"] == f"Call us, or read {NEW} (it's free)."
    assert document.data["resources"][2]["url"] == NEW


def test_crlf_and_trailing_comment_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "crlf.yaml"
    shutil.copyfile(GUIDES / "crlf.yaml", path)
    outcome = fix_moved([_moved(OLD, NEW, _refs(path, "/resources/0/url"))])
    assert outcome.edits == (Edit(str(path), 3, 8, OLD, NEW),)
    assert path.read_bytes() == (GUIDES / "crlf.yaml").read_bytes().replace(
        OLD.encode(), NEW.encode()
    )


def test_plain_url_that_needs_quotes_gets_them(tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(f"resources: [{{url: {OLD}, name: x}}]  # keep\n", encoding="utf-8")
    new = "https://www.example.org/a,b"
    outcome = fix_moved([_moved(OLD, new, _refs(path, "/resources/0/url"))])
    assert len(outcome.edits) == 1
    assert path.read_text(encoding="utf-8") == f'resources: [{{url: "{new}", name: x}}]  # keep\n'


@pytest.mark.parametrize(
    ("final", "cross_domain", "reason"),
    [
        ("https://parked.example.net/", True, "moved to another site"),
        ("http://old.example.org/help/", False, "drops https"),
        ("javascript:alert(1)", False, "is not an http(s) URL"),
        ("https://admin:hunter2@old.example.org/new", False, "user name or password"),
        ("https://www.gov.uk@old.example.org/new", False, "hides the real host"),
        ("https://old.example.org\\@evil.example/", False, "hides the real host"),
        ("https://gоv.uk/new", False, "non-ASCII host"),  # a Cyrillic о
    ],
)
def test_risky_moves_are_left_for_a_person(
    guide: Path, final: str, cross_domain: bool, reason: str
) -> None:
    original = guide.read_bytes()
    refs = _refs(guide, "/resources/0/url")
    outcome = fix_moved([_moved(OLD, final, refs, cross_domain=cross_domain)])
    assert outcome.edits == ()
    assert len(outcome.skipped) == 1
    assert reason in outcome.skipped[0].reason
    assert guide.read_bytes() == original


def test_cross_domain_can_be_allowed(guide: Path) -> None:
    final = "https://new-home.example.net/help"
    outcome = fix_moved(
        [_moved(OLD, final, _refs(guide, "/resources/0/url"), cross_domain=True)],
        allow_cross_domain=True,
    )
    assert [edit.new for edit in outcome.edits] == [final]


def test_stale_pointer_and_dry_run(guide: Path) -> None:
    original = guide.read_bytes()
    stale = (Reference(str(guide), 1, 1, "/resources/9/url"),)
    outcome = fix_moved([_moved(OLD, NEW, stale)])
    assert outcome.skipped[0].reason == "pointer /resources/9/url no longer matches the guide"
    planned = fix_moved([_moved(OLD, NEW, _refs(guide, "/resources/0/url"))], write=False)
    assert len(planned.edits) == 1
    assert guide.read_bytes() == original


def test_guides_and_baseline_change_together_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Several guides to rewrite and a baseline that cannot be written: nothing changes.
    from guidelint import atomic

    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for path in (first, second):
        path.write_text(f"resources: [{{url: {OLD}, name: x}}]\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text("{}\n", encoding="utf-8")
    baseline.chmod(0o444)
    before = {path: path.read_bytes() for path in (first, second, baseline)}
    refs = (*_refs(first, "/resources/0/url"), *_refs(second, "/resources/0/url"))
    plan = fix_moved([_moved(OLD, NEW, refs)], write=False)
    assert set(plan.texts) == {str(first), str(second)}
    with pytest.raises(atomic.WriteError, match="read-only"):
        atomic.write_all({**plan.texts, str(baseline): "{}\n"})
    assert {path: path.read_bytes() for path in before} == before
    assert not list(tmp_path.glob(f"*{atomic.SUFFIX}"))
    atomic.write_all(plan.texts)
    assert NEW in first.read_text(encoding="utf-8") and NEW in second.read_text(encoding="utf-8")
