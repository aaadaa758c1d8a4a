"""The lint engine: files in, diagnostics out. No printing, no exit codes."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from guidelint import library_index, loader, suppressions
from guidelint.config import Config, ConfigError
from guidelint.diagnostics import Diagnostic, Position, Severity, Summary
from guidelint.files import Trees, discover, load_guide_file
from guidelint.guide import Guide
from guidelint.rules import RULES, read_options, resolve
from guidelint.rules.base import Finding, Rule
from guidelint.rules.insecure_url import CODE as INSECURE_URL
from guidelint.rules.malformed_url import CODE as MALFORMED_URL
from guidelint.rules.unused_suppression import CODE as UNUSED_SUPPRESSION
from guidelint.schema import SCHEMA_CODE, SchemaProblem, validate
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
    #: The configured guide folders: linting part of the library still compares it with
    #: the rest for the library-wide rules (see `library_index`).
    library: tuple[Path, ...] = ()

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
    library = tuple(config.root / path for path in config.paths)
    return Selection(frozenset(enabled), severity, rule_options, per_file, config.root, library)


def lint_paths(paths: Sequence[str | Path], selection: Selection) -> LintResult:
    files = discover(paths)
    return lint_files(files, selection, trees=Trees(paths))


def lint_files(
    files: Sequence[Path],
    selection: Selection,
    jobs: int | None = None,
    trees: Trees | None = None,
) -> LintResult:
    """Lint `files`; `jobs` processes share the per-file work (None: as many as pay off).

    `trees`: the folders the files were found in (`files.Trees`); a file that links out of
    its tree is refused unread. None: every file is judged against the current folder.
    """
    trees = trees or Trees()
    per_file: dict[str, list[Diagnostic]] = {}
    comments: dict[str, list[suppressions.Suppression]] = {}
    guides: list[Guide] = []
    hidden: dict[str, frozenset[Position]] = {}
    for checked in _check_files(files, selection, jobs, trees):
        per_file.setdefault(checked.path, []).extend(checked.diagnostics)
        comments[checked.path] = checked.suppressions
        if checked.document is not None and checked.valid:
            guides.append(Guide(checked.document))
        if checked.hidden:
            hidden[checked.path] = checked.hidden
    linted = {guide.path for guide in guides}
    library = [*_rest_of_library(guides, selection), *sorted(guides, key=lambda g: g.path)]
    for rule in RULES.values():
        if rule.check_library is not None and rule.code in selection.enabled:
            for finding in rule.check_library(library, selection.options[rule.code]):
                owner = finding.path or ""
                if owner not in linted or finding.position in hidden.get(owner, ()):
                    continue  # the rest of the library is context, not being linted
                per_file.setdefault(owner, []).extend(
                    _from_findings(rule, owner, [finding], selection)
                )
    everything: list[Diagnostic] = []
    for shown, diagnostics in per_file.items():
        everything.extend(_finish_file(shown, diagnostics, comments.get(shown, []), selection))
    everything.sort(key=lambda diagnostic: diagnostic.sort_key)
    return LintResult(len(files), everything)


def _rest_of_library(guides: Sequence[Guide], selection: Selection) -> list[Guide]:
    """The library's guides that share an id or situation id with a linted guide, when the
    linted files are part of the configured library but not all of it (a pre-commit run):
    library rules see them before the linted guides, as the library those join."""
    library_rules = any(
        rule.check_library is not None and code in selection.enabled for code, rule in RULES.items()
    )
    paths = [guide.path for guide in guides]
    if not (library_rules and selection.library and library_index.inside(paths, selection.library)):
        return []
    entries = library_index.scan(selection.library, selection.root / library_index.CACHE_NAME)
    ids = {guide.data.get("id") for guide in guides}
    situations = {guide.data.get("situation_id") for guide in guides}
    related = library_index.related(
        entries,
        paths,
        {i for i in ids if isinstance(i, str)},
        {s for s in situations if isinstance(s, str)},
    )
    trees = Trees(selection.library)
    return [guide for guide in (_library_guide(path, trees) for path in related) if guide]


def _library_guide(path: str, trees: Trees) -> Guide | None:
    """A guide of the rest of the library as the library rules see a linted one."""
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive
        shown = os.pardir
    loaded = load_guide_file(Path(path), path if shown.startswith(os.pardir) else shown, trees)
    if loaded.document is None or any(p.code in loader.FATAL_CODES for p in loaded.problems):
        return None
    problems = validate(loaded.document)
    if not problems:
        return Guide(loaded.document)
    from guidelint.salvage import salvage

    salvaged = salvage(loaded.document, problems)
    return Guide(salvaged.document) if salvaged else None


class _Checked(NamedTuple):
    """One file after its own checks: what library rules and suppressions still need."""

    path: str
    diagnostics: list[Diagnostic]
    document: loader.Document | None  # compacted unless linted alone: a library is held
    valid: bool  # checked by the rules, so library rules see it as a Guide
    suppressions: list[suppressions.Suppression]
    #: Where a schema problem already speaks (see `salvage`): rule findings there are dropped.
    hidden: frozenset[Position] = frozenset()


def _left_to_rules(
    problem: SchemaProblem, document: loader.Document, enabled: frozenset[str]
) -> bool:
    """Whether a resource URL's pattern problem is left to the URL rule that explains it
    better (the https form of the same address, the missing scheme, the space): only while
    that rule runs on this file."""
    pointer = problem.pointer
    if problem.keyword != "pattern" or len(pointer) != 3 or pointer[::2] != ("resources", "url"):
        return False
    value = document.data["resources"][pointer[1]]["url"]
    scheme, separator, _rest = str(value).partition("://")
    explains = INSECURE_URL if separator and scheme.lower() != "https" else MALFORMED_URL
    return explains in enabled


def _check_file(path: Path, selection: Selection, trees: Trees, compact: bool = True) -> _Checked:
    shown = str(path)
    result = load_guide_file(path, shown, trees)
    diagnostics = [
        _diagnostic(shown, problem.code, problem.line, problem.column, problem.message, selection)
        for problem in result.problems
    ]
    if result.document is None:
        return _Checked(shown, diagnostics, None, False, [])
    enabled = selection.enabled - selection.ignored_for(shown)
    schema_problems = [
        p for p in validate(result.document) if not _left_to_rules(p, result.document, enabled)
    ]
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
    document: loader.Document | None = result.document
    hidden: frozenset[Position] = frozenset()
    if schema_problems:
        from guidelint.salvage import salvage  # a guide that fails the schema is rare

        salvaged = salvage(result.document, schema_problems)
        document, hidden = (salvaged.document, salvaged.hidden) if salvaged else (None, hidden)
    if document is not None:
        diagnostics.extend(_run_rules(Guide(document), shown, selection, hidden))
    if document is not None and compact:
        document = document.compact()
    return _Checked(
        shown,
        diagnostics,
        document,
        document is not None,
        suppressions.parse(result.document),
        hidden,
    )


def _run_rules(
    guide: Guide, shown: str, selection: Selection, hidden: frozenset[Position]
) -> list[Diagnostic]:
    """Every enabled per-guide rule's findings; on a salvaged guide (`hidden` positions), a
    rule that stumbles over a value the schema rejected is skipped for this guide only."""
    found: list[Diagnostic] = []
    for rule in RULES.values():
        if rule.check is None or rule.code not in selection.enabled:
            continue
        options = selection.options[rule.code]
        if not hidden:
            found.extend(_from_findings(rule, shown, rule.check(guide, options), selection))
            continue
        try:
            findings = [f for f in rule.check(guide, options) if f.position not in hidden]
        except (KeyError, IndexError, TypeError, AttributeError, ValueError):
            continue  # it read a value the schema problem is about
        found.extend(_from_findings(rule, shown, findings, selection))
    return found


def _check_batch(paths: Sequence[Path], selection: Selection, trees: Trees) -> list[_Checked]:
    return [_check_file(path, selection, trees) for path in paths]


#: Below this many files a pool costs more (start-up, moving results) than it saves.
POOL_MIN_FILES: Final = 200
_BATCH: Final = 32


def _default_jobs(count: int) -> int:
    if count < POOL_MIN_FILES:
        return 1
    return max(1, min(usable_cpus(), count // _BATCH))


def _check_files(
    files: Sequence[Path], selection: Selection, jobs: int | None, trees: Trees
) -> Iterator[_Checked]:
    workers = _default_jobs(len(files)) if jobs is None else max(1, jobs)
    if workers == 1:
        # Compacting pays for a library held in memory; a lone file would only pay for it.
        compact = len(files) > 1
        for path in files:
            yield _check_file(path, selection, trees, compact)
        return
    # On Linux, forked workers start in milliseconds with everything already imported (the
    # CLI holds no threads); elsewhere fork_map lints the files here, one after the other.
    batches = [files[start : start + _BATCH] for start in range(0, len(files), _BATCH)]
    for batch in fork_map(
        "linting the guides", lambda paths: _check_batch(paths, selection, trees), batches, workers
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
