"""guidelint.cli.output, and every command writing its files through guidelint.atomic."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from guidelint.atomic import SUFFIX
from guidelint.cli.output import progress_bar, use_color, write_report
from linkzoo import Zoo
from support import FIXTURES, ROOT, run_cli

VALID = FIXTURES / "guides" / "valid" / "minimal-us.yaml"
INVALID = FIXTURES / "guides" / "invalid" / "missing-owner.yaml"
US_GUIDE = ROOT / "guides" / "us" / "intimate-images-saved-us.yaml"
US_SEED = FIXTURES / "seeds" / "000_8748ff0df8935c11.txt"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_report_goes_to_stdout_or_replaces_a_file(tmp_path: Path) -> None:
    for output in (None, "-"):
        stdout = io.StringIO()
        write_report(iter(["a", "b\n"]), output, stdout)
        assert stdout.getvalue() == "ab\n"
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    stdout = io.StringIO()
    write_report(iter(["new ", "report \ud800\n"]), str(target), stdout)
    assert stdout.getvalue() == ""
    assert target.read_text(encoding="utf-8") == "new report \\ud800\n"  # escaped, as on stdout


def test_a_report_that_fails_midway_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")

    def chunks() -> Iterator[str]:
        yield "half a report"
        raise RuntimeError("formatter bug")

    with pytest.raises(RuntimeError):
        write_report(chunks(), str(target), io.StringIO())
    assert [path.name for path in tmp_path.iterdir()] == ["report.txt"]
    assert target.read_text(encoding="utf-8") == "old"


def test_colour_follows_the_flag_then_no_color_then_the_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color("always", io.StringIO()) and not use_color("never", _Terminal())
    assert use_color("auto", _Terminal()) and not use_color("auto", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color("auto", _Terminal()) and use_color("always", _Terminal())


def test_the_progress_bar_is_drawn_on_a_terminal_only() -> None:
    assert progress_bar(io.StringIO(), "checking links") is None
    terminal = _Terminal()
    now = [100.0]
    draw = progress_bar(terminal, "checking links", width=10, clock=lambda: now[0])
    assert draw is not None
    draw(1, 4)  # no rate yet: too early to say
    now[0] += 2.0
    draw(3, 300)
    now[0] += 58.0
    draw(300, 300)
    assert terminal.getvalue() == (
        "\rchecking links [##........] 1/4\x1b[K"
        "\rchecking links [..........] 3/300  1.5/s, 3:18 left\x1b[K"
        "\rchecking links [##########] 300/300  5.0/s, 0:00 left\x1b[K\n"
    )


def _library(tmp_path: Path) -> Path:
    guides = tmp_path / "guides" / "us"
    guides.mkdir(parents=True)
    shutil.copy(US_GUIDE, guides)
    return tmp_path / "guides"


def _mailto_guide(tmp_path: Path) -> Path:
    guide = tmp_path / "g.yaml"
    guide.write_text(
        "id: g\nresources:\n- id: r\n  name: Help\n  url: mailto:help@example.org\n", "utf-8"
    )
    return guide


#: Each command that writes a file: (its arguments, given a folder to work in; the file).
WRITERS: dict[str, Callable[[Path], tuple[list[str], Path]]] = {
    "lint --output": lambda d: (["lint", str(VALID), "--output", str(d / "r.txt")], d / "r.txt"),
    "render -o FILE": lambda d: (["render", str(US_GUIDE), "-o", str(d / "g.txt")], d / "g.txt"),
    "render FOLDER -o DIR": lambda d: (
        ["render", str(_library(d)), "--format", "html", "-o", str(d / "site")],
        d / "site" / "index.html",
    ),
    "import -o": lambda d: (
        ["import", str(US_SEED), "--jurisdiction", "US", "--force", "-o", str(d / "g-us.yaml")],
        d / "g-us.yaml",
    ),
    "new -o": lambda d: (
        ["new", "--situation", "s", "--jurisdiction", "US", "--force", "-o", str(d / "s-us.yaml")],
        d / "s-us.yaml",
    ),
    "links --output": lambda d: (
        ["links", "--no-state", "--no-progress", str(_mailto_guide(d)), "-o", str(d / "l.md")],
        d / "l.md",
    ),
    "links --report": lambda d: (
        ["links", "--no-state", str(_mailto_guide(d)), "--report", f"json={d / 'l.json'}"],
        d / "l.json",
    ),
}


@pytest.mark.parametrize("command", list(WRITERS))
def test_every_command_refuses_to_replace_a_read_only_file(in_tmp: Path, command: str) -> None:
    args, target = WRITERS[command](in_tmp)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("protected\n", encoding="utf-8")
    target.chmod(0o444)
    run = run_cli(*args)
    assert run.code == 2
    assert run.stderr == (
        f"guidelint: error: cannot write {target}: "
        "the file is read-only; make it writable to have it replaced\n"
    )
    assert target.read_text(encoding="utf-8") == "protected\n"
    assert not list(in_tmp.rglob(f"*{SUFFIX}"))
    target.chmod(0o644)
    assert run_cli(*args).code == 0  # the same command writes once it may
    assert target.read_text(encoding="utf-8") != "protected\n"
    assert target.stat().st_mode & 0o777 == 0o644


def test_links_refuses_a_read_only_baseline_and_a_read_only_guide_to_fix(
    zoo: Zoo, in_tmp: Path
) -> None:
    base = f"http://127.0.0.1:{zoo.port}"
    guide = in_tmp / "g.yaml"
    guide.write_text(
        f"id: g\nresources:\n- id: r\n  name: Help\n  url: {base}/redirect/perm\n", "utf-8"
    )
    baseline = in_tmp / "baseline.json"
    baseline.write_text('{\n  "links": {},\n  "version": 1\n}\n', encoding="utf-8")
    baseline.chmod(0o444)
    flags = ["links", "--no-state", "--allow", "127.0.0.1", "--baseline", str(baseline)]
    accepted = run_cli(*flags, str(guide), "--update-baseline")
    assert accepted.code == 2
    assert f"{baseline}: cannot write the baseline: the file is read-only" in accepted.stderr
    assert baseline.read_text(encoding="utf-8") == '{\n  "links": {},\n  "version": 1\n}\n'
    before = guide.read_text(encoding="utf-8")
    guide.chmod(0o444)
    fixed = run_cli(*flags, str(guide), "--fix-moved")
    assert fixed.code == 2
    assert (
        f"--fix-moved changed nothing: cannot write {guide}: the file is read-only" in fixed.stderr
    )
    assert guide.read_text(encoding="utf-8") == before
    assert not list(in_tmp.rglob(f"*{SUFFIX}"))


FULL_DISK = """
import resource, signal, sys
from guidelint.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))
sys.exit(main(sys.argv[1:]))
"""


def test_a_report_that_does_not_fit_leaves_the_last_one(tmp_path: Path) -> None:
    # The file-size limit stands in for the full disk that once left a 0-byte links.md.
    target = tmp_path / "report.json"
    target.write_text("last run's report\n", encoding="utf-8")
    command = ["lint", "--format", "json", "-o", str(target), str(INVALID)]
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, *command],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr == f"guidelint: error: cannot write {target}: File too large\n"
    assert target.read_text(encoding="utf-8") == "last run's report\n"
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]
