"""The coverage report: what the apparatus covers, how sure it is, and what is missing.

The same figures are printed by ``build_edition.py report`` and shown on the About page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..annotation.checks import check_all
from ..annotation.grades import GRADED_KINDS, grades
from ..annotation.labels import KIND_NAMES
from ..annotation.markup import check_body
from ..annotation.model import Annotation, Problem
from ..annotation.names import Explained, NameList, explained
from ..annotation.targets import TextModel


@dataclass
class Coverage:
    notes_total: int
    notes_by_confidence: Counter[str]
    notes_missing: list[int]
    glosses_by_category: Counter[str]
    emendations: int
    variants: int
    crossrefs: int
    commentaries: int
    bib_entries: int
    bib_unused: list[str]
    unresolved: list[Problem] = field(default_factory=list)
    not_identified: list[int] = field(default_factory=list)
    by_grade: dict[str, Counter[str]] = field(default_factory=dict)  # kind -> grade -> count
    names: Explained | None = None  # the essay's names, if the project lists them

    def rows(self) -> list[tuple[str, str]]:
        """The report as (label, figure) rows, in reading order."""
        expanded = sum(self.notes_by_confidence.values())
        rows = [("Notes in the essay", str(self.notes_total)), ("Notes expanded", f"{expanded} of {self.notes_total}")]
        rows.append(("Notes without an expansion", ", ".join(map(str, self.notes_missing)) or "none"))
        rows.append((PLURALS["gloss"], str(sum(self.glosses_by_category.values()))))
        for category, count in sorted(self.glosses_by_category.items()):
            rows.append((f"… {category}", str(count)))
        rows += [
            (PLURALS["emendation"], str(self.emendations)),
            (PLURALS["variant"], str(self.variants)),
            (PLURALS["crossref"], str(self.crossrefs)),
            (PLURALS["commentary"], str(self.commentaries)),
            ("Bibliography entries", str(self.bib_entries)),
            ("Bibliography entries not used", ", ".join(self.bib_unused) or "none"),
            ("Targets that do not resolve", str(len(self.unresolved))),
        ]
        if self.names is not None:
            names = self.names
            rows += [
                ("Names in the essay", str(len(names.names))),
                ("… explained by a gloss", str(len(names.glossed))),
                ("… left without a gloss, with a reason", str(len(names.left))),
                ("… not yet explained", str(len(names.unexplained))),
            ]
        return rows

    def unexplained_rows(self) -> list[list[str]]:
        """Each name no gloss explains yet: the name, its category, its paragraphs, and any
        gloss that quotes its words (to list in ``glosses:`` if it explains the name)."""
        if self.names is None:
            return []
        return [
            [name.shown, name.category, ", ".join(where), ", ".join(quoting)]
            for name, where, quoting in self.names.unexplained
        ]

    def grade_table(self) -> tuple[list[str], list[list[str]]]:
        """How sure the apparatus is: each grade of confidence counted per kind (the kinds
        that require a grade always, any other kind where an annotation gives one)."""
        headers = ["Kind", *grades(), "all"]
        rows = []
        for kind, counts in self.by_grade.items():
            rows.append([PLURALS[kind], *(str(counts.get(g, 0)) for g in grades()), str(sum(counts.values()))])
        return headers, rows


PLURALS = {kind: plural for kind, (_, plural) in KIND_NAMES.items()}


def graded(annotations: list[Annotation]) -> dict[str, Counter[str]]:
    """Each kind's annotations counted by grade, in the report's order of kinds."""
    by_grade: dict[str, Counter[str]] = {kind: Counter() for kind in GRADED_KINDS}
    for ann in annotations:
        if "confidence" in ann.data:
            by_grade.setdefault(ann.kind, Counter())[str(ann.data["confidence"])] += 1
    return by_grade


def used_keys(annotations: list[Annotation]) -> set[str]:
    keys: set[str] = set()
    for ann in annotations:
        data = ann.data
        keys.update(data.get("sources", []))
        keys.update(item["key"] for item in data.get("citations", []))
        for name in ("body", "basis"):
            if name in data:
                keys.update(ref.target for ref in check_body(str(data[name]))[1] if ref.kind == "cite")
    return keys


_CITE_ROLE = re.compile(r"\{cite(?::[pt])?\}`([^`]+)`")


def keys_cited_in_pages(folder: Path) -> set[str]:
    """Bibliography keys cited by the editors' pages (the introduction, say)."""
    keys: set[str] = set()
    for page in sorted(folder.glob("*.md")):
        for group in _CITE_ROLE.findall(page.read_text(encoding="utf-8")):
            keys.update(k.strip() for k in group.split(","))
    return keys


def coverage(
    annotations: list[Annotation],
    text: TextModel,
    bib_keys: set[str],
    pages: set[str] | None = None,
    names: NameList | None = None,
) -> Coverage:
    by_kind = Counter(a.kind for a in annotations)
    notes = {a.note: a for a in annotations if a.kind == "note" and a.note is not None}
    confidence = Counter(str(a.data["confidence"]) for a in notes.values())
    glosses = Counter(str(a.data["category"]) for a in annotations if a.kind == "gloss")
    problems = [p for p in check_all(annotations, text, bib_keys) if p.type in ("anchor", "ref")]
    return Coverage(
        notes_total=len(text.notes),
        notes_by_confidence=confidence,
        notes_missing=sorted(n for n in text.notes if n not in notes),
        glosses_by_category=glosses,
        emendations=by_kind["emendation"],
        variants=by_kind["variant"],
        crossrefs=by_kind["crossref"],
        commentaries=by_kind["commentary"],
        bib_entries=len(bib_keys),
        bib_unused=sorted(bib_keys - used_keys(annotations) - (pages or set())),
        unresolved=sorted(problems),
        not_identified=sorted(n for n, a in notes.items() if a.data["confidence"] == "not-identified"),
        by_grade=graded(annotations),
        names=explained(names, text.paragraphs, annotations) if names else None,
    )
