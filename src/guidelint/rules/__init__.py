"""The rule registry: one explicit dict, so grep finds every rule and nothing is magic.

To add a rule, write a module beside this one (see `empty_section.py`) and list it below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from guidelint.options import Key, Record, Where, parse
from guidelint.rules import (
    adults_only_resource,
    duplicate_id,
    duplicate_url,
    empty_section,
    foreign_number,
    generic_link_text,
    id_matches_path,
    insecure_url,
    legal_claim_undated,
    locale_vocabulary,
    malformed_url,
    missing_owner,
    mixed_quotes,
    news_as_support,
    note_emergency_number,
    note_legal_disclaimer,
    placeholder,
    reading_level,
    resource_country,
    resource_jurisdiction,
    resource_name,
    review_overdue,
    sentence_length,
    shortened_url,
    slash_construction,
    spelling_locale,
    under_18_pathway,
    under_18_step,
    unknown_jurisdiction,
    unknown_resource,
    unlinked_organisation,
    unreferenced_resource,
    unused_suppression,
    variant_parity,
    wrong_emergency_number,
    yaml_file,
)
from guidelint.rules.base import Rule

# Sorted by code: `guidelint rules`, docs/rules.md and SARIF rule tables list rules in this
# order, whatever order the modules are written in below.
RULES: Final[dict[str, Rule]] = {
    rule.code: rule
    for rule in sorted(
        (
            *yaml_file.RULES,
            Rule.from_module(unused_suppression, stage="meta"),
            Rule.from_module(empty_section),
            Rule.from_module(id_matches_path),
            Rule.from_module(duplicate_id),
            Rule.from_module(wrong_emergency_number),
            Rule.from_module(note_emergency_number),
            Rule.from_module(note_legal_disclaimer),
            Rule.from_module(resource_jurisdiction),
            Rule.from_module(resource_country),
            Rule.from_module(under_18_pathway),
            Rule.from_module(under_18_step),
            Rule.from_module(adults_only_resource),
            Rule.from_module(foreign_number),
            Rule.from_module(unknown_jurisdiction),
            Rule.from_module(unlinked_organisation),
            Rule.from_module(unreferenced_resource),
            Rule.from_module(unknown_resource),
            Rule.from_module(insecure_url),
            Rule.from_module(malformed_url),
            Rule.from_module(shortened_url),
            Rule.from_module(duplicate_url),
            Rule.from_module(resource_name),
            Rule.from_module(news_as_support),
            Rule.from_module(placeholder),
            Rule.from_module(spelling_locale),
            Rule.from_module(locale_vocabulary),
            Rule.from_module(sentence_length),
            Rule.from_module(reading_level),
            Rule.from_module(slash_construction),
            Rule.from_module(generic_link_text),
            Rule.from_module(mixed_quotes),
            Rule.from_module(review_overdue),
            Rule.from_module(missing_owner),
            Rule.from_module(legal_claim_undated),
            Rule.from_module(variant_parity),
        ),
        key=lambda rule: rule.code,
    )
}

BY_NAME: Final[dict[str, Rule]] = {rule.name: rule for rule in RULES.values()}


def read_options(tables: Mapping[str, Mapping[str, Any]], where: Where) -> dict[str, Record]:
    """Each rule's options: its defaults, then `[rules.CODE]`, then `[rules.name]`.

    `tables` is the `rules` table of a config, keyed by rule code or name; a key that names
    no rule, or a bad option, is a ConfigError worded as `guidelint.options` words them.
    """
    found: dict[str, Record] = {code: rule.options for code, rule in RULES.items()}
    by_code: list[tuple[Rule, str, Mapping[str, Any]]] = []
    by_name: list[tuple[Rule, str, Mapping[str, Any]]] = []
    for key, table in tables.items():
        if key.upper() in RULES:
            by_code.append((RULES[key.upper()], key, table))
        elif key in BY_NAME:
            by_name.append((BY_NAME[key], key, table))
        else:
            Key(where=where, path="").child(key).error(
                "is not a rule code or name; run 'guidelint rules' to list them"
            )
    for rule, key, table in (*by_code, *by_name):
        found[rule.code] = parse(type(rule.options), table, where.sub(key), base=found[rule.code])
    return found


def resolve(selector: str) -> list[Rule]:
    """Rules named by a code (`GL101`), a code prefix (`GL1`, `GL`) or a name; [] if none."""
    if selector in BY_NAME:
        return [BY_NAME[selector]]
    upper = selector.upper()
    return (
        [rule for code, rule in RULES.items() if code.startswith(upper)]
        if upper.startswith("GL")
        else []
    )
