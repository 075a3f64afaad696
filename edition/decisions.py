"""Editorial decisions on the witness, kept as data in ``source_texts/``.

Each decision names the words it concerns (never a line number), so it survives a
re-extraction of the witness; the converter applies them and refuses to guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .safeyaml import load_trusted

KINDS = {
    "page": ("page", "start"),
    "furniture": ("text", "end"),
    "join": ("end", "start"),
    "break": ("end", "start"),
    "split": ("end", "start"),
    "continue": ("end", "start"),
    "hyphen": ("word", "hyphen"),
}
"""Decision kinds and their required fields (besides ``id``, ``kind`` and ``reason``)."""


class DecisionError(ValueError):
    """A decisions file that cannot be applied; the message says what to fix."""


@dataclass(frozen=True)
class Decision:
    id: str
    kind: str
    reason: str
    page: int = 0
    start: str = ""
    end: str = ""
    text: str = ""
    word: str = ""
    hyphen: str = ""
    space: bool = True


def parse_decisions(data: Any, origin: str = "decisions") -> list[Decision]:
    """Validate the loaded YAML mapping and return the decisions in file order."""
    if not isinstance(data, dict) or not isinstance(data.get("decisions"), list):
        raise DecisionError(f"{origin}: expected a mapping with a 'decisions' list")
    seen: set[str] = set()
    out: list[Decision] = []
    for index, item in enumerate(data["decisions"], start=1):
        where = f"{origin}: decision {index}"
        if not isinstance(item, dict):
            raise DecisionError(f"{where}: expected a mapping")
        kind = item.get("kind")
        if kind not in KINDS:
            raise DecisionError(f"{where}: kind must be one of {', '.join(sorted(KINDS))}")
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            raise DecisionError(f"{where}: every decision needs an 'id'")
        if ident in seen:
            raise DecisionError(f"{where}: id {ident!r} is used twice")
        seen.add(ident)
        for field in (*KINDS[kind], "reason"):
            if item.get(field) in (None, ""):
                raise DecisionError(f"{where} ({ident}): a {kind} decision needs '{field}'")
        if kind == "hyphen" and item["hyphen"] not in ("keep", "drop"):
            raise DecisionError(f"{where} ({ident}): 'hyphen' is 'keep' or 'drop'")
        known = set(KINDS[kind]) | {"id", "kind", "reason", "space"}
        unknown = sorted(set(item) - known)
        if unknown:
            raise DecisionError(f"{where} ({ident}): unknown field(s) {', '.join(unknown)}")
        out.append(
            Decision(
                id=ident,
                kind=kind,
                reason=str(item["reason"]),
                page=int(item.get("page", 0)),
                start=str(item.get("start", "")),
                end=str(item.get("end", "")),
                text=str(item.get("text", "")),
                word=str(item.get("word", "")),
                hyphen=str(item.get("hyphen", "")),
                space=bool(item.get("space", True)),
            )
        )
    return out


def load_decisions(path: Path) -> list[Decision]:
    with path.open(encoding="utf-8") as handle:
        return parse_decisions(load_trusted(handle.read()), origin=str(path.name))
