"""A new guide to fill in: every section present, metadata set, prose left as TODOs.

The skeleton passes the schema, so an editor's YAML language server is quiet about its shape,
while lint's placeholder rule flags each TODO until the author has written the text. What
guidelint already knows is filled in for real: the title, and in the important note the
jurisdiction's emergency number next to the not-legal-advice disclaimer.

Every new guide declares `needs_under_18_pathway: true` and carries a step for readers under
18 (`audience: under-18`): most situations a crisis guide covers can involve children, so
the route is there to write unless the author decides, and says, that the topic cannot.
"""

from __future__ import annotations

import datetime
from typing import Any, Final

from guidelint import jurisdictions
from guidelint.importer import guide_metadata

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
    metadata = guide_metadata(situation_id, jurisdiction, language, guide_id, today)
    code = metadata["jurisdiction"]
    return {
        **metadata,
        "needs_under_18_pathway": True,
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
            },
            {
                "text": "TODO: what a reader under 18 should do, and who helps young people. If "
                "the topic cannot involve children, remove this step and set "
                "needs_under_18_pathway to false.",
                "slot": "under-18",
                "audience": "under-18",
                "resources": [RESOURCE_ID],
            },
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
