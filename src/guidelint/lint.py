"""The lint engine: files in, diagnostics out. No printing, no exit codes."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from guidelint import loader, suppressions
from guidelint.config import Config, ConfigError
from guidelint.diagnostics import Diagnostic, Severity, Summary
from guidelint.files import discover
from guidelint.guide import Guide
from guidelint.rules import RULES, read_options, resolve
from guidelint.rules.base import Finding, Rule
from guidelint.rules.unused_suppression import CODE as UNUSED_SUPPRESSION
from guidelint.schema import SCHEMA_CODE, validate
from guidelint.workers import fork_map, usable_cpus


class LintResult(NamedTuple):
    files: int
    diagnostics: list[Diagnostic]

    @property
    def summary(self) -> Summary:
        return Summary.of(self.files, self.diagnostics)

    def failed(self, strict: bool = False) -> bool:
        if strict:
            return bool(self.diagnostics)
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


class Selection(NamedTuple):
    """Which rules run, at what severity, with which options."""

    enabled: frozenset[str]
    severity: Mapping[str, Severity]
    options: Mapping[str, Any]  # code -> the rule's Options instance
    per_file_ignores: Mapping[str, frozenset[str]]
    root: Path

    def ignored_for(self, path: str) -> frozenset[str]:
        if not self.per_file_ignores:
            return frozenset()  # resolving the path is costly and would find nothing
        relative = _relative_posix(path, self.root)
        codes: set[str] = set()
        for pattern, ignored in self.per_file_ignores.items():
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(path).name, pattern):
                codes |= ignored
        return frozenset(codes)


def _relative_posix(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _codes(selectors: Iterable[str], where: str) -> set[str]:
    codes: set[str] = set()
    for selector in selectors:
        rules = resolve(selector)
        if not rules:
            raise ConfigError(
                f"{where}: unknown rule '{selector}'; run 'guidelint rules' to list them"
            )
        codes.update(rule.code for rule in rules)
    return codes


def build_selection(
    config: Config,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> Selection:
    """Combine config and command-line choices; unknown codes and options are errors."""
    chosen = select if select is not None else config.select
    enabled = _codes(chosen, "select") if chosen is not None else set(RULES)
    enabled |= _codes((*config.extend_select, *extend_select), "extend-select")
    enabled -= _codes((*config.ignore, *ignore), "ignore")
    # A file that cannot be read cannot be checked: those findings are never switched off.
    enabled |= loader.FATAL_CODES
    severity = {}
    for selector, level in config.severity.items():
        for code in _codes([selector], "severity"):
            severity[code] = level
    rule_options = read_options(config.rule_options, config.where.sub("rules"))
    per_file = {
        pattern: frozenset(_codes(codes, f"per-file-ignores '{pattern}'"))
        for pattern, codes in config.per_file_ignores.items()
    }
    return Selection(frozenset(enabled), severity, rule_options, per_file, config.root)


def lint_paths(paths: Sequence[str | Path], selection: Selection) -> LintResult:
    files = discover(paths)
    return lint_files(files, selection)


def lint_files(files: Sequence[Path], selection: Selection, jobs: int | None = None) -> LintResult:
    """Lint `files`; `jobs` processes share the per-file work (None: as many as pay off)."""
    per_file: dict[str, list[Diagnostic]] = {}
    comments: dict[str, list[suppressions.Suppression]] = {}
    guides: list[Guide] = []
    for checked in _check_files(files, selection, jobs):
        per_file.setdefault(checked.path, []).extend(checked.diagnostics)
        comments[checked.path] = checked.suppressions
        if checked.document is not None and checked.valid:
            guides.append(Guide(checked.document))
    for rule in RULES.values():
        if rule.check_library is not None and rule.code in selection.enabled:
            for finding in rule.check_library(guides, selection.options[rule.code]):
                owner = finding.path or ""
                per_file.setdefault(owner, []).extend(
                    _from_findings(rule, owner, [finding], selection)
                )
    everything: list[Diagnostic] = []
    for shown, diagnostics in per_file.items():
        everything.extend(_finish_file(shown, diagnostics, comments.get(shown, []), selection))
    everything.sort(key=lambda diagnostic: diagnostic.sort_key)
    return LintResult(len(files), everything)


class _Checked(NamedTuple):
    """One file after its own checks: what library rules and suppressions still need."""

    path: str
    diagnostics: list[Diagnostic]
    document: loader.Document | None  # compacted unless linted alone: a library is held
    valid: bool  # schema-valid, so library rules see it as a Guide
    suppressions: list[suppressions.Suppression]


def _check_file(path: Path, selection: Selection, compact: bool = True) -> _Checked:
    shown = str(path)
    result = loader.load_path(path, shown)
    diagnostics = [
        _diagnostic(shown, problem.code, problem.line, problem.column, problem.message, selection)
        for problem in result.problems
    ]
    if result.document is None:
        return _Checked(shown, diagnostics, None, False, [])
    schema_problems = validate(result.document)
    for schema_problem in schema_problems:
        position = schema_problem.position
        diagnostics.append(
            _diagnostic(
                shown,
                SCHEMA_CODE,
                position.line,
                position.column,
                schema_problem.message,
                selection,
            )
        )
    if not schema_problems:
        guide = Guide(result.document)
        for rule in RULES.values():
            if rule.check is not None and rule.code in selection.enabled:
                diagnostics.extend(
                    _from_findings(
                        rule, shown, rule.check(guide, selection.options[rule.code]), selection
                    )
                )
    # Only library rules need the document back, and they see schema-valid guides only.
    document = None if schema_problems else result.document
    if document is not None and compact:
        document = document.compact()
    return _Checked(
        shown, diagnostics, document, not schema_problems, suppressions.parse(result.document)
    )


def _check_batch(paths: Sequence[Path], selection: Selection) -> list[_Checked]:
    return [_check_file(path, selection) for path in paths]


#: Below this many files a pool costs more (start-up, moving results) than it saves.
POOL_MIN_FILES: Final = 200
_BATCH: Final = 32


def _default_jobs(count: int) -> int:
    if count < POOL_MIN_FILES:
        return 1
    return max(1, min(usable_cpus(), count // _BATCH))


def _check_files(
    files: Sequence[Path], selection: Selection, jobs: int | None
) -> Iterator[_Checked]:
    workers = _default_jobs(len(files)) if jobs is None else max(1, jobs)
    if workers == 1:
        # Compacting pays for a library held in memory; a lone file would only pay for it.
        compact = len(files) > 1
        for path in files:
            yield _check_file(path, selection, compact)
        return
    # On Linux, forked workers start in milliseconds with everything already imported (the
    # CLI holds no threads); elsewhere fork_map lints the files here, one after the other.
    batches = [files[start : start + _BATCH] for start in range(0, len(files), _BATCH)]
    for batch in fork_map(
        "linting the guides", lambda paths: _check_batch(paths, selection), batches, workers
    ):
        yield from batch


def _finish_file(
    path: str,
    diagnostics: list[Diagnostic],
    comments: list[suppressions.Suppression],
    selection: Selection,
) -> list[Diagnostic]:
    ignored = selection.ignored_for(path) - loader.FATAL_CODES
    kept = [d for d in diagnostics if d.code in selection.enabled and d.code not in ignored]
    if not comments:
        return kept
    kept = suppressions.apply(
        kept, comments, lambda selector: [rule.code for rule in resolve(selector)]
    )
    if UNUSED_SUPPRESSION not in selection.enabled or UNUSED_SUPPRESSION in ignored:
        return kept
    for comment in comments:
        for selector in comment.selectors:
            codes = {rule.code for rule in resolve(selector)}
            if not codes:
                message = f"suppression names unknown rule '{selector}'; run 'guidelint rules' to list them"
            elif codes & comment.used or not codes & selection.enabled:
                continue
            else:
                message = f"suppression of {selector} matches no finding; remove it"
            kept.append(
                _diagnostic(
                    path, UNUSED_SUPPRESSION, comment.line, comment.column, message, selection
                )
            )
    return kept


def _from_findings(
    rule: Rule, path: str, findings: Iterable[Finding], selection: Selection
) -> list[Diagnostic]:
    return [
        _diagnostic(
            path,
            rule.code,
            f.position.line,
            f.position.column,
            f.message,
            selection,
            f.severity,
        )
        for f in findings
    ]


def _diagnostic(
    path: str,
    code: str,
    line: int,
    column: int,
    message: str,
    selection: Selection,
    graded: Severity | None = None,
) -> Diagnostic:
    rule = RULES[code]
    severity = selection.severity.get(code, graded or rule.severity)
    return Diagnostic(path, line, column, code, rule.name, severity, message)
