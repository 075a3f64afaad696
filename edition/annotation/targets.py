"""What annotations may point at: the paragraphs of the edition's text by id, its notes, and
what the anchor ledger says of ids no longer active (aliases and where they lead, retired ids,
split paragraphs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.convert import Paths, convert
from ..core.ledger import Ledger


@dataclass
class TextModel:
    """What annotations may point at: paragraph texts by id, note numbers, other ids."""

    paragraphs: dict[str, str]
    notes: set[int] = field(default_factory=set)
    superseded: dict[str, str] = field(default_factory=dict)  # id -> "alias"/"retired"
    redirects: dict[str, str] = field(default_factory=dict)  # alias id -> the active id it resolves to
    parts: dict[str, list[str]] = field(default_factory=dict)  # split paragraph -> its other parts

    def resolve(self, paragraph: str) -> str | None:
        """The paragraph an annotation's target now stands in (an alias leads to its survivor)."""
        return paragraph if paragraph in self.paragraphs else self.redirects.get(paragraph)


def edition_text(root: Path) -> TextModel:
    """The edition's text as ``convert`` makes it from the witness, with its ledger's ids."""
    result = convert(Paths(root))
    paragraphs = {ident: para.text for ident, para in zip(result.ids, result.transcription.paragraphs, strict=True)}
    notes = {n.number for n in result.transcription.notes}
    return TextModel(paragraphs, notes, *ledger_maps(result.ledger), parts=result.ledger.parts())


def ledger_maps(ledger: Ledger) -> tuple[dict[str, str], dict[str, str]]:
    """Statuses of superseded ids, and where each alias now leads."""
    superseded = {e.id: e.status for e in ledger.entries if e.status != "active"}
    redirects = {e.id: target for e in ledger.entries if e.status == "alias" and (target := ledger.resolve(e.id))}
    return superseded, redirects
