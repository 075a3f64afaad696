"""Everything the exports need, gathered once from the sources (no Sphinx)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pybtex.database import Entry

from ..annotation.model import Annotation
from ..checks.preflight import bibliography
from ..commands.check import run_check
from ..core.convert import Paths, convert
from ..core.ledger import Ledger
from ..core.transcribe import Paragraph
from ..core.versions import EditionInfo, load_info


@dataclass
class EditionData:
    info: EditionInfo
    ids: list[str]
    paragraphs: list[Paragraph]
    ledger: Ledger
    annotations: list[Annotation]
    bibliography: dict[str, Entry]
    witness_sha256: str = ""
    decisions: list[Any] = field(default_factory=list)

    def by_paragraph(self) -> dict[str, list[Annotation]]:
        out: dict[str, list[Annotation]] = {}
        for ann in self.annotations:
            if ann.paragraph and not ann.data.get("orphan"):
                out.setdefault(self.ledger.resolve(ann.paragraph) or ann.paragraph, []).append(ann)
        return out

    def notes(self) -> dict[int, Annotation]:
        return {a.note: a for a in self.annotations if a.note is not None}

    def labels(self) -> dict[str, str]:
        """What a reference to each annotation says: its headword, else its quoted words, else its note."""
        return {a.id: str(a.data.get("headword") or a.quote.exact or f"note {a.note}") for a in self.annotations}


def load_edition(root: Path) -> EditionData:
    import hashlib

    paths = Paths(root)
    result = convert(paths)
    checked = run_check(root)
    entries = bibliography(root)[0].entries  # checked: a bad file is reported by check and build
    return EditionData(
        info=load_info(paths.info),
        ids=result.ids,
        paragraphs=result.transcription.paragraphs,
        ledger=result.ledger,
        annotations=checked.annotations,
        bibliography=entries,
        witness_sha256=hashlib.sha256(paths.witness.read_bytes()).hexdigest(),
        decisions=result.transcription.applied,
    )
