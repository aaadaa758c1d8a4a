"""Findings the loader makes while reading a file.

These are raised by `guidelint.loader`, not by a check function: reading the file is what
finds them. They are listed here so that `guidelint rules`, SARIF and the docs describe them
like any other rule.
"""

from __future__ import annotations

from guidelint import loader, schema
from guidelint.diagnostics import Severity
from guidelint.rules.base import Rule

SYNTAX = Rule(
    code=loader.SYNTAX,
    name="yaml-syntax",
    severity=Severity.ERROR,
    summary="The file is not valid YAML.",
    rationale="""A guide that cannot be parsed cannot be checked or published. The message gives
the parser's reason at the first position it could not read.

Failing:

    steps:
    \t- text: Call 911.   # a tab character before the dash

Passing:

    steps:
      - text: Call 911.""",
    stage="loader",
)
ENCODING = Rule(
    code=loader.ENCODING,
    name="file-encoding",
    severity=Severity.ERROR,
    summary="The file is not readable UTF-8 text (bad bytes, NUL bytes, control characters).",
    rationale="""Guides are UTF-8 text. Files saved as UTF-16 or Latin-1, or with control
characters pasted in from other tools, break YAML readers in different ways; the finding
names the first offending byte so it can be removed or the file re-saved as UTF-8.""",
    stage="loader",
)
LIMITS = Rule(
    code=loader.LIMITS,
    name="file-limits",
    severity=Severity.ERROR,
    summary=f"The file is over {loader.MAX_BYTES // 1024} KiB or nested over {loader.MAX_DEPTH} levels.",
    rationale="""A guide is a few kilobytes with at most a few levels of nesting. Bounds on size
and depth keep a hostile or corrupted file from making the linter use unbounded time or
memory; reading stops at the limit.""",
    stage="loader",
)
DUPLICATE_KEY = Rule(
    code=loader.DUPLICATE_KEY,
    name="duplicate-key",
    severity=Severity.ERROR,
    summary="A mapping sets the same key twice.",
    rationale="""PyYAML silently keeps the last value of a repeated key, other tools the first or
an error: the published text would depend on the tool. Keep one.

Failing:

    title: What to do if…
    title: What to do now

Passing:

    title: What to do if…""",
    stage="loader",
)
UNSUPPORTED = Rule(
    code=loader.UNSUPPORTED,
    name="unsupported-yaml",
    severity=Severity.ERROR,
    summary="Anchors, aliases, tags or several documents in one file.",
    rationale="""Guides hold only text, lists and mappings, one guide per file. Aliases are how
"billion laughs" files explode memory, tags are how YAML constructs arbitrary objects, and a
second document would be silently ignored by most readers: all are refused.

Failing:

    owner: &team Safety team
    reviewers: [*team]

Passing:

    owner: Safety team
    reviewers: [Safety team]""",
    stage="loader",
)
AMBIGUOUS = Rule(
    code=loader.AMBIGUOUS,
    name="ambiguous-scalar",
    severity=Severity.ERROR,
    summary="An unquoted value that YAML 1.1 tools read as a boolean or number.",
    rationale="""Editors speak YAML 1.2, where `no`, `on` or `1:20` are text; PyYAML and other
YAML 1.1 tools read them as false, true and 80. Quote the value to mean text, or write
`true`/`false` to mean a boolean.

Failing:

    situation: no

Passing:

    situation: "no\"""",
    stage="loader",
)
UNQUOTED_DATE = Rule(
    code=loader.UNQUOTED_DATE,
    name="unquoted-date",
    severity=Severity.WARNING,
    summary="An unquoted date, which YAML 1.1 tools turn into a date object (or crash on).",
    rationale="""guidelint keeps dates as text, as YAML 1.2 does, but PyYAML-based tools turn an
unquoted `2026-11-01` into a date object (so the file fails a plain JSON Schema check) and
raise an exception on an impossible one such as `2025-13-45`. Quote dates.

Failing:

    last_reviewed: 2026-11-01

Passing:

    last_reviewed: "2026-11-01\"""",
    stage="loader",
)
SCHEMA = Rule(
    code=schema.SCHEMA_CODE,
    name="schema",
    severity=Severity.ERROR,
    summary="The guide does not match schema/guide.schema.json.",
    rationale="""The schema is the single source of truth for a guide's shape: required keys,
allowed keys, value forms (jurisdiction codes, language tags, dates, https URLs). Each
finding names the key or value at fault and what is expected; content rules run only once
the guide matches the schema.

Failing:

    jurisdiction: USA

Passing:

    jurisdiction: US""",
    stage="schema",
)

OUTSIDE = Rule(
    code=loader.OUTSIDE,
    name="file-outside-tree",
    severity=Severity.ERROR,
    summary="A guide that is a symbolic link to a file outside the folder being checked.",
    rationale="""guidelint reads only the folders it is asked to check. A symbolic link that leads
elsewhere (to a file in another repository, a home folder, /etc) would have that file's
content read and quoted into reports, CI annotations and the published pages: the link is
refused without reading a byte of what it points to. A link to another file inside the
checked folder is fine; a file named on the command line may link anywhere inside the
current folder.

Failing:

    guides/gb/helpline.yaml -> /home/editor/drafts/helpline.yaml

Passing:

    guides/gb/helpline.yaml -> ../shared/helpline.yaml   # inside guides/""",
    stage="loader",
)

RULES = (
    SYNTAX,
    ENCODING,
    LIMITS,
    DUPLICATE_KEY,
    UNSUPPORTED,
    AMBIGUOUS,
    UNQUOTED_DATE,
    OUTSIDE,
    SCHEMA,
)
