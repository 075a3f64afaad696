"""An annotation as loaded: its data with the place of every value, and the located problems
every check reports (file, line, column, what to fix, and the warning's subtype)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.anchoring import Quote
from ..core.safeyaml import Located
from .markup import BodyProblem, BodyRef, check_body

# Problems that leave the annotation in the edition: a version 1 file is read, and warned about.
NOT_BLOCKING = ("outdated",)
KINDS = ("gloss", "note", "crossref", "emendation", "variant", "commentary")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    type: str  # the warning subtype: schema, anchor, ref, duplicate, unsafe, orphan, fuzzy, outdated, ...

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message} [edition.{self.type}]"


@dataclass
class Annotation:
    path: str  # as shown in messages, relative to the project
    located: Located
    # check_body of each field, kept with the annotation: an incremental build keeps the
    # annotations of unchanged files (in the environment) and need not parse them again
    checked: dict[str, tuple[tuple[BodyProblem, ...], tuple[BodyRef, ...]]] = field(default_factory=dict, repr=False)

    def check_field(self, name: str) -> tuple[tuple[BodyProblem, ...], tuple[BodyRef, ...]]:
        """What :func:`check_body` finds in the body or basis ``name`` (empty if the field is absent)."""
        if name not in self.checked:
            self.checked[name] = check_body(str(self.data.get(name, "")))
        return self.checked[name]

    @property
    def data(self) -> dict[str, Any]:
        """The loaded mapping (shared, not copied: read it, do not change it)."""
        return self.located.data

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def target(self) -> dict[str, Any]:
        return self.data["target"]

    @property
    def paragraph(self) -> str | None:
        value = self.target.get("paragraph")
        return str(value) if value else None

    @property
    def note(self) -> int | None:
        value = self.target.get("note")
        return int(value) if value is not None else None

    @property
    def quote(self) -> Quote:
        target = self.target
        return Quote(str(target.get("quote", "")), str(target.get("prefix", "")), str(target.get("suffix", "")))

    def problem(self, where: tuple[str | int, ...], message: str, kind: str) -> Problem:
        line, column = self.located.where(where)
        return Problem(self.path, line, column, message, kind)
