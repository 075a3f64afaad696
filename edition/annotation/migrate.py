"""Annotation files of format version 1: how they are still read, and their rewrite as version 2.

A version 1 file is read as version 2 (every value it may hold means the same there) with an
``outdated`` warning that says how to migrate it; the values new in version 2 are refused in it.
:func:`migrate_text` is the rewrite ``build_edition.py migrate`` makes: it replaces only the
values that change, where the YAML parser found them, so comments, key order, quoting and
line breaks stay as they were, and it checks that the result loads as the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..core.safeyaml import Located, Path_, load

CURRENT_VERSION = 2
# Version 1's grades in version 2: each keeps its name. Version 2's finer grades
# (verified-in-translation, secondary) need a reader of each basis; no rewrite can give them.
V1_CONFIDENCE = {"verified": "verified", "inferred": "inferred", "not-identified": "not-identified"}
NEW_IN_2: dict[str, set[str]] = {"kind": {"variant"}, "confidence": {"verified-in-translation", "secondary"}}
NEW_FIELDS_IN_2 = ("locator",)
REGRADE = (
    "the confidence grades were kept as they were; version 2's grades say what was seen, so each "
    "'verified' must be checked by hand: seen in the cited work itself (verified), in a translation "
    "(verified-in-translation), or only as quoted by another work (secondary); see docs/annotating.md"
)


def is_version(data: dict[str, Any], version: int) -> bool:
    """True if the file says ``schema: <version>`` (an integer: not ``1.0`` or ``true``)."""
    value = data.get("schema")
    return type(value) is int and value == version


def outdated(shown: str) -> str:
    """The warning on a version 1 file: what to run."""
    return f"format version 1: run `python build_edition.py migrate {shown}` to rewrite it as version {CURRENT_VERSION}"


def v2_only(data: dict[str, Any]) -> list[tuple[Path_, str]]:
    """Values of a version 1 file that only version 2 has, with where they are and what to do."""
    found: list[tuple[Path_, str]] = []
    for name, values in NEW_IN_2.items():
        if data.get(name) in values:
            found.append(((name,), f"{name} '{data[name]}' is new in format version 2: set 'schema: 2'"))
    for name in NEW_FIELDS_IN_2:
        if name in data:
            found.append(((name,), f"the field '{name}' is new in format version 2: set 'schema: 2'"))
    return found


@dataclass(frozen=True)
class Change:
    line: int
    column: int
    field: str
    old: str
    new: str

    def describe(self) -> str:
        if self.old == self.new:
            return f"{self.field}: '{self.old}' kept"
        return f"{self.field}: {self.old} -> {self.new}"


@dataclass
class Migration:
    text: str
    version: int  # the version the file had
    changes: list[Change] = field(default_factory=list)  # what was rewritten, or kept for review


class MigrationError(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _scalar(value: str, style: str | None) -> str:
    """``value`` written in the quoting style of the scalar it replaces."""
    if style in ("'", '"'):
        return f"{style}{value}{style}"
    return value


def migrate_text(text: str, confidence: dict[str, str] | None = None) -> Migration:
    """The file rewritten as the current version; unchanged if it is current already.

    Raises :class:`MigrationError` (or :class:`~edition.core.safeyaml.YamlProblem`) with a line and column when the
    file cannot be read or is of no version this knows."""
    mapping = V1_CONFIDENCE if confidence is None else confidence
    located: Located = load(text.encode("utf-8"))  # what check refuses (aliases, tags...) is refused here
    data = located.data
    if not isinstance(data, dict):
        raise MigrationError(1, 1, "an annotation file holds one mapping (id: …, kind: …)")
    version = data.get("schema")
    if is_version(data, CURRENT_VERSION):
        return Migration(text, CURRENT_VERSION)
    if not is_version(data, 1):
        line, column = located.where(("schema",))
        raise MigrationError(line, column, f"schema: {version!r} is not format version 1 or 2")
    # The parser's own marks say exactly where each value stands (PyYAML's Python loader, whose
    # marks count characters of the text as given).
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(root, yaml.MappingNode)  # the data is a mapping
    values = {key.value: value for key, value in root.value}
    edits: list[tuple[yaml.Node, str]] = [(values["schema"], str(CURRENT_VERSION))]
    changes = [Change(*located.where(("schema",)), "schema", "1", str(CURRENT_VERSION))]
    grade = data.get("confidence")
    if isinstance(grade, str) and "confidence" in values:
        node = values["confidence"]
        if grade not in mapping:
            line, column = located.where(("confidence",))
            raise MigrationError(line, column, f"confidence '{grade}' is not a grade of format version 1")
        if node.style in ("|", ">"):
            line, column = located.where(("confidence",))
            raise MigrationError(line, column, "write the confidence on the line of its key, then migrate")
        changes.append(Change(*located.where(("confidence",)), "confidence", grade, mapping[grade]))
        if mapping[grade] != grade:
            edits.append((node, _scalar(mapping[grade], node.style)))
    out = text
    for node, new in sorted(edits, key=lambda edit: -edit[0].start_mark.index):
        out = out[: node.start_mark.index] + new + out[node.end_mark.index :]
    expected = {**data, "schema": CURRENT_VERSION}
    if "confidence" in data and isinstance(grade, str):
        expected["confidence"] = mapping[grade]
    if load(out.encode("utf-8")).data != expected:  # nothing but the intended values may change
        raise MigrationError(1, 1, "the file could not be rewritten safely; change 'schema: 1' to 'schema: 2' by hand")
    return Migration(out, 1, changes)
