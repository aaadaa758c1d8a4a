"""Reporter output is compared exactly: it is a contract with CI systems and people."""

from __future__ import annotations

import json
import re

import cmarkgfm
from cmarkgfm.cmark import Options

from guidelint.diagnostics import Diagnostic, Severity
from guidelint.lint import LintResult
from guidelint.report import FORMATTERS, ReportOptions, chunks
from guidelint.report.json_report import as_dict
from guidelint.report.markdown import render as render_markdown

RESULT = LintResult(
    files=2,
    diagnostics=[
        Diagnostic(
            "guides/a.yaml", 3, 5, "GL102", "id-matches-path", Severity.ERROR, "id 'x' differs"
        ),
        Diagnostic(
            "guides/b,c.yaml",
            7,
            1,
            "GL007",
            "unquoted-date",
            Severity.WARNING,
            "quote it: 100%\nnow",
        ),
    ],
)


def test_text() -> None:
    assert FORMATTERS["text"](RESULT, ReportOptions()) == (
        "guides/a.yaml:3:5: GL102 [error] id 'x' differs\n"
        "guides/b,c.yaml:7:1: GL007 [warning] quote it: 100%\u240anow\n"
        "2 files checked: 1 error, 1 warning, 0 infos.\n"
    )


def test_text_shows_control_characters_in_names_instead_of_sending_them() -> None:
    name = "bad\x1b[2J\n::error::x.yaml"
    result = LintResult(1, [Diagnostic(name, 1, 1, "GL001", "yaml-syntax", Severity.ERROR, "m")])
    out = FORMATTERS["text"](result, ReportOptions())
    assert "\x1b" not in out
    assert not any(line.startswith("::") for line in out.splitlines())
    assert "bad\u241b[2J\u240a::error::x.yaml:1:1:" in out


def test_github_annotations_cannot_be_ended_by_a_name() -> None:
    name = "bad\n::error::x.yaml"
    result = LintResult(1, [Diagnostic(name, 1, 1, "GL001", "yaml-syntax", Severity.ERROR, "m")])
    out = FORMATTERS["github"](result, ReportOptions())
    assert out.count("\n") == 1
    assert "file=bad%0A%3A%3Aerror%3A%3Ax.yaml" in out


def test_text_colour() -> None:
    out = FORMATTERS["text"](LintResult(1, RESULT.diagnostics[:1]), ReportOptions(color=True))
    assert out.splitlines()[0] == (
        "\x1b[1mguides/a.yaml:3:5:\x1b[0m \x1b[31mGL102\x1b[0m [error] id 'x' differs"
    )


def test_json_contract() -> None:
    assert json.loads(FORMATTERS["json"](RESULT, ReportOptions())) == {
        "version": 1,
        "diagnostics": [
            {
                "path": "guides/a.yaml",
                "line": 3,
                "column": 5,
                "code": "GL102",
                "name": "id-matches-path",
                "severity": "error",
                "message": "id 'x' differs",
            },
            {
                "path": "guides/b,c.yaml",
                "line": 7,
                "column": 1,
                "code": "GL007",
                "name": "unquoted-date",
                "severity": "warning",
                "message": "quote it: 100%\nnow",
            },
        ],
        "summary": {"files": 2, "errors": 1, "warnings": 1, "infos": 0},
    }


def test_github_workflow_commands_are_escaped() -> None:
    assert FORMATTERS["github"](RESULT, ReportOptions()) == (
        "::error file=guides/a.yaml,line=3,col=5,title=GL102 id-matches-path::id 'x' differs\n"
        "::warning file=guides/b%2Cc.yaml,line=7,col=1,title=GL007 unquoted-date::"
        "quote it: 100%25%0Anow\n"
    )


def test_sarif_2_1_0() -> None:
    sarif = json.loads(FORMATTERS["sarif"](RESULT, ReportOptions()))
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all(
        {"id", "name", "shortDescription", "fullDescription", "help"} <= set(r) for r in rules
    )
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "GL102"
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "guides/a.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 5},
    }
    assert run["results"][1]["level"] == "warning"


def test_markdown_escapes_and_truncates() -> None:
    hostile = Diagnostic("a.yaml", 1, 1, "GL101", "empty-section", Severity.ERROR, "<b>|x|</b> *y*")
    many = LintResult(1, [hostile] * 5000)
    out = render_markdown(many, max_bytes=4096)
    assert len(out.encode()) <= 4096
    assert "_Truncated:" in out
    assert "| `<b>\\|x\\|</b> *y*` |" in out  # code: GitHub renders none of it
    html = cmarkgfm.github_flavored_markdown_to_html(out, Options.CMARK_OPT_UNSAFE)
    assert "<b>" not in html.replace("&lt;b&gt;", "")
    rows = html.count("<tr>") - 1  # the header's
    assert rows > 0 and html.count("<td>") == 4 * rows  # no cell split by a |


def test_markdown_names_and_messages_become_no_mention_or_link() -> None:
    hostile = Diagnostic(
        "guides/@everyone.yaml",
        1,
        1,
        "GL304",
        "insecure-url",
        Severity.ERROR,
        "http://www.evil.example/ is not https (cc @org/team, see #12)",
    )
    out = render_markdown(LintResult(1, [hostile]))
    html = cmarkgfm.github_flavored_markdown_to_html(out, Options.CMARK_OPT_UNSAFE)
    assert "<a " not in html
    outside_code = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    assert "@" not in outside_code and "#12" not in outside_code


def test_sarif_uris_are_uri_references() -> None:
    result = LintResult(
        2,
        [
            Diagnostic("guides/my guide.yaml", 1, 1, "GL101", "empty-section", Severity.ERROR, "m"),
            Diagnostic("/srv/guides/a.yaml", 1, 1, "GL101", "empty-section", Severity.ERROR, "m"),
        ],
    )
    results = json.loads(FORMATTERS["sarif"](result, ReportOptions()))["runs"][0]["results"]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    assert locations == [
        {"uri": "guides/my%20guide.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": "file:///srv/guides/a.yaml"},
    ]


ODD = Diagnostic(
    'guides/"qu\\oted"\t.yaml',
    12,
    40,
    "GL301",
    "unlinked-organisation",
    Severity.INFO,
    '‘Women’s Aid’ 😀 \u2028 line\nbreak \x00 \\ "x"',
)


def test_json_is_written_exactly_as_json_dumps_indents_it() -> None:
    # Reports are streamed in pieces; the text must stay what json.dumps(indent=2) wrote.
    many = [*RESULT.diagnostics, ODD] * 700  # several chunks
    for result in (RESULT, LintResult(0, []), LintResult(5, many)):
        expected = json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
        assert FORMATTERS["json"](result, ReportOptions()) == expected
        assert "".join(chunks("json", result, ReportOptions())) == expected


def test_streamed_reports_match_the_whole_ones() -> None:
    result = LintResult(5, [*RESULT.diagnostics, ODD] * 1500)
    for name in FORMATTERS:
        for color in (False, True):
            options = ReportOptions(color=color)
            whole = FORMATTERS[name](result, options)
            assert "".join(chunks(name, result, options)) == whole, name
    lines = FORMATTERS["text"](result, ReportOptions()).split("\n")
    assert lines[-2] == "5 files checked: 1500 errors, 1500 warnings, 1500 infos."
