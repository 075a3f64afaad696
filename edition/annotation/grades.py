"""Confidence grades: what each says was seen. Their names and meanings are read from the
annotation schema, their one definition; the labels are what a reader sees on the page."""

from __future__ import annotations

import json
from functools import cache

from . import SCHEMA_DIR

SCHEMA_PATH = SCHEMA_DIR / "annotation.schema.json"
LABELS = {
    "verified": "Verified in the work",
    "verified-in-translation": "Verified in a translation",
    "secondary": "Seen at second hand",
    "inferred": "Inferred",
    "not-identified": "Not identified",
}
# The kinds that carry a grade, in the order the report lists them.
GRADED_KINDS = ("note", "gloss", "variant")


@cache
def meanings() -> dict[str, str]:
    """Each grade, in the schema's order, with the sentence that says what it means."""
    confidence = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["properties"]["confidence"]
    return dict(zip(confidence["enum"], confidence["enumDescriptions"], strict=True))


def grades() -> tuple[str, ...]:
    return tuple(meanings())


def label(grade: str) -> str:
    return LABELS[grade]


def meaning(grade: str) -> str:
    return meanings()[grade]
