"""`guidelint links` (guidelint.cli.links): flags and config into one request, then a run."""

from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path

import cmarkgfm
import pytest
import trustme
from cmarkgfm.cmark import Options

from guidelint.cli import UsageError, build_parser, main
from guidelint.cli.links import links_request
from guidelint.config import Config
from guidelint.links.pipeline import Request
from guidelint.links.settings import LinkSettings
from guidelint.options import Where, parse
from linkzoo import Zoo
from support import die_like_oom


def write_guide(directory: Path, urls: list[str], name: str = "guide.yaml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    resources = "".join(
        f"- id: r{index}\n  name: Resource {index}\n  url: {url}\n"
        for index, url in enumerate(urls)
    )
    path = directory / name
    path.write_text(f"id: g\ntitle: What to do if…\nresources:\n{resources}", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["links", "--no-progress", "--no-state", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_dead_link_exits_1_with_a_located_json_finding(zoo: Zoo, tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{zoo.port}"
    guide = write_guide(tmp_path / "guides", [f"{base}/ok", f"{base}/gone", "mailto:x@example.org"])
    code, out, _ = run(str(guide), "--allow", "127.0.0.1", "--format", "json", "--timeout", "2")
    assert code == 1
    data = json.loads(out)
    by_url = {link["url"]: link for link in data["links"]}
    assert by_url[f"{base}/gone"]["verdict"] == "broken"
    assert by_url[f"{base}/gone"]["references"] == [
        {"path": str(guide), "line": 9, "column": 8, "pointer": "/resources/1/url"}
    ]
    assert by_url[f"{base}/ok"]["verdict"] == "ok"
    assert by_url["mailto:x@example.org"]["verdict"] == "skipped"
    assert data["links"][0]["url"] == f"{base}/gone"  # action first


def test_all_alive_exits_0(zoo: Zoo, tmp_path: Path) -> None:
    guide = write_guide(tmp_path, [f"http://127.0.0.1:{zoo.port}/ok"])
    code, out, _ = run(str(guide), "--allow", "127.0.0.0/8")
    assert code == 0
    # Alive, but nobody has reviewed the page: the report does not pretend otherwise.
    assert "All links work." not in out
    assert "1 page is not reviewed yet: look, then accept it with --update-baseline" in out
    baseline = tmp_path / "baseline.json"
    assert (
        run(str(guide), "--allow", "127.0.0.0/8", "--baseline", str(baseline), "--update-baseline")[
            0
        ]
        == 0
    )
    code, out, _ = run(str(guide), "--allow", "127.0.0.0/8", "--baseline", str(baseline))
    assert code == 0
    assert out.endswith("All links work.\n")


def test_a_first_run_with_dead_links_never_says_all_links_work(zoo: Zoo, tmp_path: Path) -> None:
    guide = write_guide(tmp_path, [f"http://127.0.0.1:{zoo.port}/gone"])
    for fmt in ("text", "markdown", "html"):
        _, out, _ = run(str(guide), "--allow", "127.0.0.0/8", "--format", fmt)
        assert "All links work" not in out, fmt


def test_loopback_is_refused_without_allow(zoo: Zoo, tmp_path: Path) -> None:
    guide = write_guide(tmp_path, [f"http://127.0.0.1:{zoo.port}/ok"])
    code, out, _ = run(str(guide))
    assert code == 1
    assert "UNSAFE" in out
    assert f"{guide}:6:8" in out


def test_offline_run_exits_2_instead_of_reporting_dead_links(zoo: Zoo, tmp_path: Path) -> None:
    urls = [f"http://127.0.0.{n}:{zoo.closed_port}/" for n in (2, 3, 4, 5)]
    guide = write_guide(tmp_path, urls)
    code, out, err = run(str(guide), "--allow", "127.0.0.0/8", "--timeout", "1")
    assert code == 2
    assert out == ""
    assert "offline" in err


def test_markdown_and_html_go_to_output_file(zoo: Zoo, tmp_path: Path) -> None:
    guide = write_guide(tmp_path / "g", [f"http://127.0.0.1:{zoo.port}/hostile-title"])
    for fmt in ("markdown", "html"):
        target = tmp_path / f"report.{fmt}"
        code, out, _ = run(str(guide), "--allow", "127.0.0.1", "--format", fmt, "-o", str(target))
        assert code == 1
        assert out == ""
        text = target.read_text(encoding="utf-8")
        assert "soft-404" in text
        if fmt == "markdown":  # as the tracking issue shows it
            text = cmarkgfm.github_flavored_markdown_to_html(text, Options.CMARK_OPT_UNSAFE)
        assert "<script>" not in text
        assert 'href="javascript' not in text
        assert "&lt;script&gt;alert" in text  # the hostile title is shown, inert


def test_unknown_config_key_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "guidelint.toml"
    config.write_text("[links]\ntimeout = 3\nconcurency = 2\n", encoding="utf-8")
    guide = write_guide(tmp_path, ["https://example.org/"])
    code, _, err = run(str(guide), "--config", str(config))
    assert code == 2
    assert "unknown key 'concurency'" in err


def test_missing_ca_file_and_bad_allow_are_usage_errors(tmp_path: Path) -> None:
    guide = write_guide(tmp_path, ["https://example.org/"])
    code, _, err = run(str(guide), "--ca-file", str(tmp_path / "none.pem"))
    assert code == 2 and "no such file" in err
    code, _, err = run(str(guide), "--allow", "not a host")
    assert code == 2 and "allow" in err
    code, _, err = run(str(guide), "--timeout", "-1")
    assert code == 2


def test_unreadable_guide_is_skipped_with_a_note(zoo: Zoo, tmp_path: Path) -> None:
    write_guide(tmp_path, [f"http://127.0.0.1:{zoo.port}/ok"])
    (tmp_path / "broken.yaml").write_text("a: [unclosed\n", encoding="utf-8")
    code, out, err = run(str(tmp_path), "--allow", "127.0.0.1")
    assert code == 0
    assert "broken.yaml" in err
    assert "broken.yaml was not checked" in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_goes_to_a_terminal_stderr_only(zoo: Zoo, tmp_path: Path) -> None:
    guide = write_guide(tmp_path, [f"http://127.0.0.1:{zoo.port}/ok", "mailto:a@example.org"])
    out, err = io.StringIO(), _Terminal()
    code = main(["links", "--no-state", str(guide), "--allow", "127.0.0.1"], stdout=out, stderr=err)
    assert code == 0
    assert "checking links [" in err.getvalue() and "2/2" in err.getvalue()
    assert "checking links" not in out.getvalue()
    quiet = _Terminal()
    main(
        ["links", "--no-progress", "--no-state", str(guide), "--allow", "127.0.0.1"],
        stdout=io.StringIO(),
        stderr=quiet,
    )
    assert quiet.getvalue() == ""


def test_jobs_split_the_run_over_processes_with_the_same_findings(zoo: Zoo, tmp_path: Path) -> None:
    # Two sites (an address literal and a name from /etc/hosts), so two processes can share them.
    urls = [
        f"http://127.0.0.1:{zoo.port}/ok",
        f"http://localhost:{zoo.port}/gone",
        f"http://localhost:{zoo.port}/ok",
    ]
    guide = write_guide(tmp_path, urls)
    out, err = io.StringIO(), _Terminal()
    allow = ["--allow", "127.0.0.1", "--allow", "localhost"]
    code = main(
        ["links", "--no-state", "--jobs", "2", "--format", "json", str(guide), *allow],
        stdout=out,
        stderr=err,
    )
    assert code == 1
    verdicts = {link["url"]: link["verdict"] for link in json.loads(out.getvalue())["links"]}
    assert verdicts == {urls[0]: "ok", urls[1]: "broken", urls[2]: "ok"}
    # The last draw says 3/3, then the rate and time left once there is one to show.
    assert re.search(r"3/3(  [\d.]+/s, \d+:\d\d left)?\x1b\[K\n$", err.getvalue())
    code, _, err_text = run(str(guide), "--jobs", "0")
    assert code == 2 and "--jobs" in err_text


@pytest.mark.parametrize("jobs", ["1", "2"])  # two processes wait for every guide first
def test_guides_loading_in_workers_are_checked_as_they_arrive(
    zoo: Zoo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    from guidelint.links import collect

    monkeypatch.setattr(collect, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(collect, "_BATCH", 1)  # one guide per batch: the check runs meanwhile
    base = f"http://127.0.0.1:{zoo.port}"
    first = write_guide(tmp_path, [f"{base}/ok"], "a.yaml")
    write_guide(tmp_path, [f"{base}/gone"], "b.yaml")
    (tmp_path / "c.yaml").write_text("a: [unclosed\n", encoding="utf-8")
    last = write_guide(tmp_path, [f"{base}/ok?again", f"{base}/ok"], "d.yaml")
    code, out, _ = run(str(tmp_path), "--allow", "127.0.0.1", "--format", "json", "--jobs", jobs)
    assert code == 1
    data = json.loads(out)
    by_url = {link["url"]: link for link in data["links"]}
    assert set(by_url) == {f"{base}/ok", f"{base}/gone", f"{base}/ok?again"}
    assert by_url[f"{base}/gone"]["verdict"] == "broken"
    uses = [(ref["path"], ref["line"]) for ref in by_url[f"{base}/ok"]["references"]]
    assert uses == [(str(first), 6), (str(last), 9)]


def _one_error_line(err: str, task: str) -> None:
    """What a dead worker leaves: one line that names the work, no traceback."""
    assert err.startswith(f"guidelint: error: a process {task} stopped unexpectedly;"), err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_loading_worker_that_dies_stops_the_run_with_a_clear_error(
    zoo: Zoo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidelint.links import collect

    monkeypatch.setattr(collect, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(collect, "_batch_urls", die_like_oom)
    write_guide(tmp_path, [f"http://127.0.0.1:{zoo.port}/ok"])
    code, out, err = run(str(tmp_path), "--allow", "127.0.0.1", "--format", "json")
    assert code == 2
    assert out == ""
    _one_error_line(err, "loading the guides")


def test_a_checking_process_that_dies_stops_the_run_with_a_clear_error(
    zoo: Zoo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidelint.links.check import shard

    monkeypatch.setattr(shard, "check_in_loop", die_like_oom)
    # Two sites, so that two processes check them.
    urls = [f"http://127.0.0.1:{zoo.port}/ok", f"http://localhost:{zoo.port}/ok"]
    write_guide(tmp_path, urls)
    allow = ["--allow", "127.0.0.1", "--allow", "localhost"]
    code, out, err = run(str(tmp_path), *allow, "--jobs", "2", "--format", "json")
    assert code == 2
    assert out == ""
    _one_error_line(err, "checking links")


def test_a_baseline_worker_that_dies_stops_the_run_with_a_clear_error(
    zoo: Zoo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidelint.links import baseline, change

    monkeypatch.setattr(baseline, "POOL_MIN_PAGES", 0)
    monkeypatch.setattr(baseline, "usable_cpus", lambda: 2)
    monkeypatch.setattr(change, "snapshot", lambda *_, **__: die_like_oom())
    write_guide(tmp_path / "guides", [f"http://127.0.0.1:{zoo.port}/ok"])
    saved = tmp_path / "links-baseline.json"
    code, out, err = run(
        str(tmp_path / "guides"),
        "--allow",
        "127.0.0.1",
        "--update-baseline",
        "--baseline",
        str(saved),
    )
    assert code == 2
    assert out == ""
    _one_error_line(err, "reading linked pages for the baseline")
    assert not saved.exists()


def _args(*flags: str) -> argparse.Namespace:
    return build_parser().parse_args(["links", *flags])


def _links(table: dict[str, object]) -> LinkSettings:
    return parse(LinkSettings, table, Where(source="guidelint.toml", table="links"))


def _request(*flags: str, config: Config | None = None) -> Request:
    return links_request(_args(*flags), config or Config(root=Path.cwd()))


def test_flags_win_over_the_config_and_config_paths_are_relative_to_it(in_tmp: Path) -> None:
    config = Config(
        root=in_tmp / "site",
        source=in_tmp / "site" / "guidelint.toml",
        paths=("content",),
        links=_links(
            {"timeout": 3, "concurrency": 7, "baseline": "reviewed.json", "state": "h.sqlite"}
        ),
    )
    request = links_request(_args("--timeout", "5", "--allow", "10.0.0.0/8"), config)
    assert (request.options.timeout, request.options.concurrency) == (5, 7)
    assert request.paths == [str(Path("site") / "content")]
    assert request.baseline_path == Path("site") / "reviewed.json"
    assert request.state_path == Path("site") / "h.sqlite"
    flagged = links_request(_args("g.yaml", "--baseline", "b.json", "--state", "s.db"), config)
    assert flagged.paths == ["g.yaml"]
    assert (flagged.baseline_path, flagged.state_path) == (Path("b.json"), Path("s.db"))
    assert links_request(_args("--no-state"), config).state_path is None


def test_defaults_without_a_config_file(in_tmp: Path) -> None:
    request = _request()
    assert request.paths == ["guides"]
    assert request.baseline_path == Path("guides/links-baseline.json")
    assert request.state_path == Path(".guidelint/links-history.sqlite")
    assert request.reports == (("text", None),)
    assert not (request.update_baseline or request.prune or request.fix_moved)
    assert request.progress is None


def test_accepting_and_fixing_flags_reach_the_request(in_tmp: Path) -> None:
    everything = _request("--update-baseline", "--fix-moved", "--fix-cross-domain")
    assert everything.update_baseline and everything.prune  # the whole library: prune
    assert everything.fix_moved and everything.fix_cross_domain
    assert not _request("g.yaml", "--accept-all").prune  # some guides only: keep the rest
    chosen = _request("--accept", "https://a.example/", "https://b.example/")
    assert chosen.accept == ("https://a.example/", "https://b.example/")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--state", "h.sqlite", "--no-state"), "--state and --no-state contradict each other"),
        (("--update-baseline", "--accept", "https://a.example/"), "drop --accept"),
        (("--fix-cross-domain",), "--fix-cross-domain only makes sense with --fix-moved"),
        (("--ca-file", "missing.pem"), "--ca-file missing.pem: no such file"),
        (("--report", "json"), "--report 'json': expected FORMAT=FILE, e.g. json=links.json"),
        (("--report", "json="), "--report 'json=': expected FORMAT=FILE"),
        (("--report", "xml=a.xml"), "--report 'xml=a.xml': unknown format 'xml' (text, markdown"),
    ],
)
def test_contradictions_and_bad_values_are_usage_errors(
    in_tmp: Path, flags: tuple[str, ...], message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        _request(*flags)
    assert message in str(caught.value)


def test_a_ca_file_must_hold_a_certificate(in_tmp: Path) -> None:
    (in_tmp / "empty.pem").write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"cannot use the CA file empty\.pem"):
        _request("--ca-file", "empty.pem")
    trustme.CA().cert_pem.write_to_path(str(in_tmp / "ca.pem"))
    assert _request("--ca-file", "ca.pem").options.ca_file == "ca.pem"


def test_the_run_time_comes_from_guidelint_now(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUIDELINT_NOW", "2026-11-22T05:17:00Z")
    assert _request().now.isoformat() == "2026-11-22T05:17:00+00:00"
    monkeypatch.setenv("GUIDELINT_NOW", "2026-11-22T05:17:00")
    with pytest.raises(UsageError, match="needs a time zone"):
        _request()


def test_reports_and_what_they_read_from_the_history(in_tmp: Path) -> None:
    plain = _request("--format", "json", "-o", "a.json", "--report", "text=a.txt")
    assert plain.reports == (("json", "a.json"), ("text", "a.txt"))
    assert not (plain.run_totals or plain.timelines)  # nothing to read
    summary = _request("--report", "markdown=summary.md")
    assert summary.run_totals and not summary.timelines
    page = _request("--format", "html")
    assert page.run_totals and page.timelines


def test_a_new_report_format_needs_only_an_entry_in_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidelint.links import report

    def render_csv(outcome: object, trend: object = None) -> str:
        results = outcome.results  # type: ignore[attr-defined]
        return "url,verdict\n" + "".join(f"{r.url},{r.verdict.value}\n" for r in results)

    monkeypatch.setitem(report.FORMATS, "csv", report.ReportFormat(render_csv, timelines=True))
    assert _request("--format", "csv").timelines
    guide = write_guide(tmp_path, ["mailto:help@example.org"])
    target = tmp_path / "links.csv"
    code, out, err = run(str(guide), "--format", "csv", "--report", f"csv={target}")
    assert (code, err) == (0, "")
    assert (
        out
        == target.read_text(encoding="utf-8")
        == ("url,verdict\nmailto:help@example.org,skipped\n")
    )
    assert build_parser().parse_args(["links", "--format", "csv"]).format == "csv"


@pytest.mark.parametrize(
    ("flag", "seconds"), [("250ms", 0.25), ("1.5s", 1.5), ("0", 0.0), ("40", 0.04)]
)
def test_min_interval_flag_wins_over_config(in_tmp: Path, flag: str, seconds: float) -> None:
    config = Config(root=in_tmp, links=_links({"min-interval-ms": 500}))
    assert _request(config=config).options.min_interval == 0.5
    assert _request("--min-interval", flag, config=config).options.min_interval == seconds


@pytest.mark.parametrize("flag", ["fast", "-1s", "2h"])
def test_min_interval_must_be_a_duration(in_tmp: Path, flag: str) -> None:
    with pytest.raises(UsageError, match="--min-interval"):
        _request("--min-interval", flag)
