"""The lint engine: files in, diagnostics out. No printing, no exit codes."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidelint import loader, suppressions
from guidelint.config import Config, ConfigError
from guidelint.diagnostics import Diagnostic, Severity, Summary
from guidelint.guide import Guide
from guidelint.rules import RULES, resolve
from guidelint.rules.base import Finding, Rule
from guidelint.rules.unused_suppression import CODE as UNUSED_SUPPRESSION
from guidelint.schema import SCHEMA_CODE, validate

GUIDE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LintResult:
    files: int
    diagnostics: list[Diagnostic]

    @property
    def summary(self) -> Summary:
        return Summary.of(self.files, self.diagnostics)

    def failed(self, strict: bool = False) -> bool:
        if strict:
            return bool(self.diagnostics)
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass(frozen=True)
class Selection:
    """Which rules run, at what severity, with which options."""

    enabled: frozenset[str]
    severity: Mapping[str, Severity]
    options: Mapping[str, Mapping[str, Any]]
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
    options = {code: _options(rule, config) for code, rule in RULES.items()}
    per_file = {
        pattern: frozenset(_codes(codes, f"per-file-ignores '{pattern}'"))
        for pattern, codes in config.per_file_ignores.items()
    }
    return Selection(frozenset(enabled), severity, options, per_file, config.root)


def _options(rule: Rule, config: Config) -> Mapping[str, Any]:
    merged = dict(rule.options)
    for key in (rule.code, rule.name):
        for name, value in config.rule_options.get(key, {}).items():
            if name not in rule.options:
                known = ", ".join(sorted(rule.options)) or "none"
                raise ConfigError(
                    f"rules.{key}: unknown option '{name}' for {rule.code} ({rule.name}); known: {known}"
                )
            default = rule.options[name]
            if not isinstance(value, type(default)) or isinstance(value, bool) != isinstance(
                default, bool
            ):
                raise ConfigError(
                    f"rules.{key}.{name} must be {type(default).__name__}, not {type(value).__name__}"
                )
            merged[name] = value
    for key in config.rule_options:
        if not resolve(key):
            raise ConfigError(f"rules.{key}: unknown rule; run 'guidelint rules' to list them")
    return merged


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """Guide files under `paths`; a named file is taken whatever its extension.

    Hidden folders are skipped and symlinked folders are not followed (no loops).
    """
    found: list[Path] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
                found.extend(
                    Path(folder, name)
                    for name in sorted(names)
                    if name.endswith(GUIDE_SUFFIXES) and not name.startswith(".")
                )
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            raise ConfigError(f"{entry}: no such file or directory")
    return list(dict.fromkeys(found))


def lint_paths(paths: Sequence[str | Path], selection: Selection) -> LintResult:
    files = discover(paths)
    return lint_files(files, selection)


def lint_files(files: Sequence[Path], selection: Selection) -> LintResult:
    per_file: dict[str, list[Diagnostic]] = {}
    documents: dict[str, loader.Document] = {}
    guides: list[Guide] = []
    for path in files:
        shown = str(path)
        result = loader.load_path(path, shown)
        diagnostics = per_file.setdefault(shown, [])
        for problem in result.problems:
            diagnostics.append(
                _diagnostic(
                    shown, problem.code, problem.line, problem.column, problem.message, selection
                )
            )
        if result.document is None:
            continue
        documents[shown] = result.document
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
        if schema_problems:
            continue
        guide = Guide(result.document)
        guides.append(guide)
        for rule in RULES.values():
            if rule.check is not None and rule.code in selection.enabled:
                diagnostics.extend(
                    _from_findings(
                        rule, shown, rule.check(guide, selection.options[rule.code]), selection
                    )
                )
    for rule in RULES.values():
        if rule.check_library is not None and rule.code in selection.enabled:
            for finding in rule.check_library(guides, selection.options[rule.code]):
                owner = finding.path or ""
                per_file.setdefault(owner, []).extend(
                    _from_findings(rule, owner, [finding], selection)
                )
    everything: list[Diagnostic] = []
    for shown, diagnostics in per_file.items():
        everything.extend(_finish_file(shown, diagnostics, documents.get(shown), selection))
    everything.sort(key=lambda diagnostic: diagnostic.sort_key)
    return LintResult(len(files), everything)


def _finish_file(
    path: str, diagnostics: list[Diagnostic], document: loader.Document | None, selection: Selection
) -> list[Diagnostic]:
    ignored = selection.ignored_for(path) - loader.FATAL_CODES
    kept = [d for d in diagnostics if d.code in selection.enabled and d.code not in ignored]
    if document is None:
        return kept
    comments = suppressions.parse(document)
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
        _diagnostic(path, rule.code, f.position.line, f.position.column, f.message, selection)
        for f in findings
    ]


def _diagnostic(
    path: str, code: str, line: int, column: int, message: str, selection: Selection
) -> Diagnostic:
    rule = RULES[code]
    severity = selection.severity.get(code, rule.severity)
    return Diagnostic(path, line, column, code, rule.name, severity, message)
