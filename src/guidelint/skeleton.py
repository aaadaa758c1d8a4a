"""A new guide to fill in: every section present, metadata set, prose left as TODOs.

The skeleton passes the schema, so an editor's YAML language server is quiet about its shape,
while lint's placeholder rule flags each TODO until the author has written the text. What
guidelint already knows is filled in for real: the title, and in the important note the
jurisdiction's emergency number next to the not-legal-advice disclaimer.
"""

from __future__ import annotations

import datetime
from typing import Any, Final

from guidelint import jurisdictions
from guidelint.importer import OWNER_PLACEHOLDER, check_id, check_jurisdiction, check_language

TITLE: Final = "What to do if…"
RESOURCE_ID: Final = "todo-resource"


def _important_note(jurisdiction: str) -> str:
    facts = jurisdictions.lookup(jurisdiction)
    number = facts.primary_emergency if facts else "TODO: emergency number"
    return (
        "TODO: check this note. This guide is general information, not legal advice. "
        f"If you are in immediate danger, call {number}."
    )


def new_guide(
    situation_id: str,
    jurisdiction: str,
    *,
    today: datetime.date,
    language: str | None = None,
    guide_id: str | None = None,
) -> dict[str, Any]:
    """The skeleton guide's data, in published order."""
    check_id(situation_id, "situation id")
    code = check_jurisdiction(jurisdiction)
    tag = check_language(language, code)
    guide_id = check_id(guide_id or f"{situation_id}-{code.lower()}", "guide id")
    return {
        "id": guide_id,
        "situation_id": situation_id,
        "jurisdiction": code,
        "language": tag,
        "last_reviewed": today.isoformat(),
        "owner": OWNER_PLACEHOLDER,
        "title": TITLE,
        "situation": "TODO: the situation as the reader would say it, completing the title",
        "short_answer": "TODO: two or three sentences a reader in shock can act on.",
        "do_not": ["TODO: an action that makes things worse."],
        "steps": [
            {
                "text": "TODO: the first thing to do, starting with a verb.",
                "slot": "todo-first-step",
                "resources": [RESOURCE_ID],
                "substeps": [{"text": "TODO: a detail of the step, or remove the sub-steps."}],
            }
        ],
        "can_wait": ["TODO: a decision the reader does not need to make today."],
        "reassurance": "TODO: a short paragraph that says the reaction is normal.",
        "scope_note": "TODO: what this guide covers and what comes later.",
        "important_note": _important_note(code),
        "resources": [
            {
                "id": RESOURCE_ID,
                "name": "TODO: the organisation or page name",
                "url": "https://example.org/TODO",
                "kind": "helpline",
                "jurisdictions": [code],
            }
        ],
    }
