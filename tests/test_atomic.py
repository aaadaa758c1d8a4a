"""guidelint.atomic: every file guidelint writes is replaced whole, or not at all."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from guidelint import atomic
from guidelint.atomic import SUFFIX, WriteError, write_chunks, write_text


def _temporaries(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.endswith(SUFFIX))


def _dead_pid() -> int:
    """The PID of a process that has ended (and been reaped)."""
    code = "import os; print(os.getpid())"
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(done.stdout)


def test_a_new_file_gets_the_usual_mode_and_nothing_else_is_left(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_text(target, "{}\n")
    assert target.read_text(encoding="utf-8") == "{}\n"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "guide.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_newlines_and_text_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "crlf.yaml"
    write_text(target, "a: 1\r\nb: “two”\n")
    assert target.read_bytes() == "a: 1\r\nb: “two”\n".encode()


def test_a_read_only_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "links.md"
    target.write_text("reviewed\n", encoding="utf-8")
    target.chmod(0o444)
    with pytest.raises(WriteError) as caught:
        write_text(target, "replaced\n")
    assert str(caught.value) == (
        f"cannot write {target}: the file is read-only; make it writable to have it replaced"
    )
    assert target.read_text(encoding="utf-8") == "reviewed\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert [path.name for path in tmp_path.iterdir()] == ["links.md"]


def test_a_folder_or_a_missing_folder_is_a_write_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=f"cannot write {tmp_path}: it is a folder"):
        write_text(tmp_path, "x")
    missing = tmp_path / "no" / "such" / "report.md"
    with pytest.raises(WriteError, match=f"cannot write {missing}: No such file or directory"):
        write_text(missing, "x")
    write_text(missing, "x", parents=True)
    assert missing.read_text(encoding="utf-8") == "x"


def test_text_that_utf8_cannot_hold_is_refused_unless_escaped(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(WriteError, match=r"'\\ud800' cannot be written as UTF-8"):
        write_text(target, "a \ud800 b")
    assert target.read_text(encoding="utf-8") == "old"
    assert _temporaries(tmp_path) == []
    write_text(target, "a \ud800 b", errors="backslashreplace")
    assert target.read_text(encoding="utf-8") == "a \\ud800 b"


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)
    write_text(link, "new\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"


def test_a_pipe_is_written_in_place(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    write_chunks(pipe, ["one ", "two\n"])
    reader.join(timeout=10)
    assert received == [b"one two\n"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)  # still a pipe, not replaced by a file
    assert _temporaries(tmp_path) == []


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
def test_standard_output_named_by_its_device_is_written_in_place() -> None:
    code = "from guidelint import atomic; atomic.write_chunks('/dev/stdout', ['to the ', 'pipe'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (done.stdout, done.stderr) == ("to the pipe", "")


def test_chunks_that_fail_midway_leave_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "links.md"
    target.write_text("last week's report\n", encoding="utf-8")

    def chunks() -> Iterator[str]:
        yield "x" * 100_000
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError, match="renderer failed"):
        write_chunks(target, chunks())
    assert target.read_text(encoding="utf-8") == "last week's report\n"
    assert _temporaries(tmp_path) == []


def test_chunks_are_written_as_they_come(tmp_path: Path) -> None:
    # A report streamed in pieces is on disk while the next piece is made: never held whole.
    target = tmp_path / "big.json"
    megabyte = "x" * (1 << 20)
    on_disk: list[int] = []

    def chunks() -> Iterator[str]:
        for _ in range(4):
            yield megabyte
            on_disk.append(sum(tmp_path.joinpath(n).stat().st_size for n in _temporaries(tmp_path)))

    write_chunks(target, chunks())
    assert target.stat().st_size == 4 << 20
    assert [size >= ((index + 1) << 20) - 65536 for index, size in enumerate(on_disk)] == [True] * 4


FILL_UP = """
import resource, signal, sys
from guidelint import atomic
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
try:
    atomic.write_chunks(sys.argv[1], ("x" * 50_000 for _ in range(10)))
except atomic.WriteError as error:
    print(error)
"""


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    # The file-size limit stands in for a full disk (which left a 0-byte links.md once).
    target = tmp_path / "links.md"
    target.write_text("last week's report\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", FILL_UP, str(target)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout == f"cannot write {target}: File too large\n"
    assert target.read_text(encoding="utf-8") == "last week's report\n"
    assert _temporaries(tmp_path) == []


def test_stale_temporaries_of_the_same_name_are_removed_and_nothing_else(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getppid()
    stale = [f".links.md.{dead}.abcd1234{SUFFIX}", f".links.md.{dead}.x_9y8z7w{SUFFIX}"]
    old_but_alive = f".links.md.{alive}.oldoldol{SUFFIX}"  # a day untouched: no writer left
    kept = [
        f".links.md.{alive}.inflight{SUFFIX}",  # another process is writing it now
        f".links.md.{os.getpid()}.ownwrite{SUFFIX}",
        f".other.md.{dead}.abcd1234{SUFFIX}",  # another target's
        f".links.md.{dead}.abcd1234.tmp",  # not our suffix
        f".links.md.notapid.abcd1234{SUFFIX}",
        ".links.md.tmp",
        "links.md.bak",
    ]
    for name in [*stale, old_but_alive, *kept]:
        (tmp_path / name).write_text("leftover", encoding="utf-8")
    long_ago = time.time() - atomic.STALE_AFTER_S - 60
    os.utime(tmp_path / old_but_alive, (long_ago, long_ago))
    (tmp_path / f".links.md.{dead}.symlink1{SUFFIX}").symlink_to("links.md.bak")
    (tmp_path / f".links.md.{dead}.folder12{SUFFIX}").mkdir()
    write_text(tmp_path / "links.md", "report\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [
            *kept,
            f".links.md.{dead}.folder12{SUFFIX}",
            f".links.md.{dead}.symlink1{SUFFIX}",
            "links.md",
        ]
    )


def test_a_long_file_name_gets_a_temporary_name_the_file_system_accepts(tmp_path: Path) -> None:
    name = "é" * 120 + ".md"  # 243 bytes: with a PID and a suffix it would pass 255
    target = tmp_path / name
    dead = _dead_pid()
    leftover = tmp_path / f".{atomic._short(name)}.{dead}.abcd1234{SUFFIX}"
    leftover.write_text("leftover", encoding="utf-8")
    write_text(target, "long\n")
    assert target.read_text(encoding="utf-8") == "long\n"
    assert not leftover.exists()


WRITER = """
import sys, time
from guidelint import atomic
for generation in range(1, 1000):
    def chunks(mark=str(generation % 10)):
        for _ in range(64):
            time.sleep(0.002)
            yield (mark * 99 + "\\n") * 320  # 32,000 bytes: 2 MB a report
    atomic.write_chunks(sys.argv[1], chunks())
    print(generation % 10, flush=True)
"""


def test_kill_9_mid_write_leaves_the_old_or_the_new_report(tmp_path: Path) -> None:
    target = tmp_path / "links.md"
    deadline = time.monotonic() + 30
    interrupted = []
    for _ in range(5):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        try:
            assert process.stdout is not None
            written = process.stdout.readline().decode().strip()  # one report is complete
            time.sleep(random.uniform(0, 0.15))  # the next one is being written
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=5)
        text = target.read_text(encoding="utf-8")
        assert len(text) == 2_048_000, "a torn report"
        mark = text[0]
        assert mark in (written, str((int(written) + 1) % 10))
        assert text == (mark * 99 + "\n") * 64 * 320
        interrupted.append(bool(_temporaries(tmp_path)))
        assert time.monotonic() < deadline
    assert any(interrupted)  # killed mid-write, not between writes
    write_text(target, "final\n")  # the killed writers' temporaries go with the next write
    assert [path.name for path in tmp_path.iterdir()] == ["links.md"]
