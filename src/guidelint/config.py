"""Configuration from `[tool.guidelint]` in pyproject.toml, or from guidelint.toml.

Unknown keys are errors that name the key: a typo in a config file must never silently turn
a check off.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from guidelint.diagnostics import Severity

CONFIG_FILES: Final = ("guidelint.toml", "pyproject.toml")

_LINT_KEYS: Final = {
    "paths",
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "severity",
    "rules",
    "links",
    "render",
}


class ConfigError(Exception):
    """A configuration or usage problem (exit code 2)."""


class Config(NamedTuple):
    """Settings; a named tuple, so the `{}` defaults below are shared (typed read-only)."""

    root: Path
    source: Path | None = None
    paths: tuple[str, ...] = ("guides",)
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = {}
    severity: Mapping[str, Severity] = {}
    rule_options: Mapping[str, Mapping[str, Any]] = {}
    #: Raw tables owned by other commands; each validates its own keys.
    links: Mapping[str, Any] = {}
    render: Mapping[str, Any] = {}


def find_config(start: Path) -> Path | None:
    """The nearest guidelint.toml, or pyproject.toml with a [tool.guidelint] table."""
    found = _find(start)
    return found[0] if found else None


def _find(start: Path) -> tuple[Path, dict[str, Any] | None] | None:
    """`find_config`, with the file's table when reading it was needed to decide."""
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate, None
            try:
                table = _read_toml(candidate)
            except ConfigError:
                return candidate, None  # let load_config report the broken file
            if "guidelint" in table.get("tool", {}):
                return candidate, table  # read once: TOML parsing is a start-up cost
    return None


#: A config file is a few dozen lines; anything this big is not one.
MAX_CONFIG_BYTES: Final = 1024 * 1024


def _read_toml(path: Path) -> dict[str, Any]:
    from guidelint.bounded import FileRefused, read_bytes

    try:
        raw = read_bytes(path, MAX_CONFIG_BYTES, "config file")
    except FileRefused as error:
        raise ConfigError(str(error)) from None
    if raw is None:
        raise ConfigError(f"{path}: config file not found")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error


def load_config(path: Path | None, cwd: Path) -> Config:
    """Read `path` (or search from `cwd` when None); no file means the defaults."""
    table: dict[str, Any] | None = None
    if path is None:
        found = _find(cwd)
        if found is None:
            return Config(root=cwd)
        path, table = found
    elif not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    if table is None:
        table = _read_toml(path)
    if path.name == "pyproject.toml" or ("tool" in table and "guidelint" in table["tool"]):
        table = table.get("tool", {}).get("guidelint", {})
    return parse_config(table, root=path.parent.resolve(), source=path)


def parse_config(table: Mapping[str, Any], root: Path, source: Path | None = None) -> Config:
    where = str(source) if source else "config"
    unknown = sorted(set(table) - _LINT_KEYS)
    if unknown:
        allowed = ", ".join(sorted(_LINT_KEYS))
        raise ConfigError(
            f"{where}: unknown key '{unknown[0]}' in [tool.guidelint]; allowed: {allowed}"
        )
    severity: dict[str, Severity] = {}
    for code, level in _table(table, "severity", where).items():
        try:
            severity[code] = Severity(level)
        except ValueError:
            raise ConfigError(
                f"{where}: severity of '{code}' must be error, warning or info, not {level!r}"
            ) from None
    per_file = {
        pattern: _strings(codes, f"per-file-ignores.{pattern}", where)
        for pattern, codes in _table(table, "per-file-ignores", where).items()
    }
    rule_options: dict[str, dict[str, Any]] = {}
    for code, options_table in _table(table, "rules", where).items():
        if not isinstance(options_table, Mapping):
            raise ConfigError(f"{where}: rules.{code} must be a table of options")
        rule_options[code] = dict(options_table)
    select = table.get("select")
    return Config(
        root=root,
        source=source,
        paths=_strings(table.get("paths", ["guides"]), "paths", where),
        select=None if select is None else _strings(select, "select", where),
        extend_select=_strings(table.get("extend-select", []), "extend-select", where),
        ignore=_strings(table.get("ignore", []), "ignore", where),
        per_file_ignores=per_file,
        severity=severity,
        rule_options=rule_options,
        links=_table(table, "links", where),
        render=_table(table, "render", where),
    )


def _table(table: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = table.get(key, {}) if key else table
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: '{key}' must be a table")
    return value


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)
