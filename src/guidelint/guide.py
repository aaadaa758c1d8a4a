"""A typed view of a loaded, schema-valid guide, shared by rules, renderers and the link checker."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final, NamedTuple

from guidelint.loader import Document, Pointer

#: Content sections in published order: (key, published heading).
SECTIONS: Final = (
    ("title", "Title"),
    ("situation", "Situation"),
    ("short_answer", "Short answer"),
    ("do_not", "Do not do these things"),
    ("steps", "What to do now"),
    ("can_wait", "What can wait"),
    ("reassurance", "Important reassurance"),
    ("scope_note", "Scope note"),
    ("important_note", "Important note"),
    ("resources", "Additional Resources"),
)


class Text(NamedTuple):
    """One piece of prose and where it lives."""

    pointer: Pointer
    text: str
    section: str


class Guide(NamedTuple):
    """A schema-valid guide. Rules may index `data` freely: the schema vouches for its shape."""

    document: Document

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.document.data
        return data

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def jurisdiction(self) -> str:
        return str(self.data["jurisdiction"])

    @property
    def language(self) -> str:
        return str(self.data["language"])

    @property
    def steps(self) -> list[dict[str, Any]]:
        steps: list[dict[str, Any]] = self.data["steps"]
        return steps

    @property
    def resources(self) -> list[dict[str, Any]]:
        resources: list[dict[str, Any]] = self.data["resources"]
        return resources

    def step_texts(self) -> Iterator[Text]:
        """Every step and sub-step text, in reading order."""
        for index, step in enumerate(self.steps):
            yield Text(("steps", index, "text"), step["text"], "steps")
            for sub_index, substep in enumerate(step.get("substeps", ())):
                yield Text(
                    ("steps", index, "substeps", sub_index, "text"), substep["text"], "steps"
                )

    def texts(self) -> Iterator[Text]:
        """Every piece of published prose, in reading order (resource names included)."""
        for key, _heading in SECTIONS:
            value = self.data.get(key)
            if key == "steps":
                yield from self.step_texts()
            elif key == "resources":
                for index, resource in enumerate(self.resources):
                    if "name" in resource:
                        yield Text(("resources", index, "name"), resource["name"], key)
            elif isinstance(value, str):
                yield Text((key,), value, key)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    yield Text((key, index), item, key)
