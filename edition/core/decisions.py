"""Editorial decisions on the witness, kept as data in ``source_texts/``.

Each decision names the words it concerns (never a line number), so it survives a
re-extraction of the witness; the converter applies them and refuses to guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .misspelt import unknown_field
from .safeyaml import load_located_data, shown_path

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
    where: str = field(default="", compare=False)  # "file:line:column: " of the decision, for messages


Place = Callable[[tuple[str | int, ...]], tuple[int, int]]


def parse_decisions(data: Any, origin: str = "decisions", place: Place | None = None) -> list[Decision]:
    """Validate the loaded YAML mapping and return the decisions in file order.

    With ``place`` (the position of a value, by its path in the data), every message
    begins with ``origin:line:column``."""

    def at(*path: str | int) -> str:
        return f"{origin}:{':'.join(map(str, place(path)))}" if place else origin

    if not isinstance(data, dict) or not isinstance(data.get("decisions"), list):
        raise DecisionError(f"{at()}: expected a mapping with a 'decisions' list")
    seen: set[str] = set()
    out: list[Decision] = []
    for index, item in enumerate(data["decisions"], start=1):
        path = ("decisions", index - 1)
        where = f"{at(*path)}: decision {index}"
        if not isinstance(item, dict):
            raise DecisionError(f"{where}: expected a mapping")
        kind = item.get("kind")
        if kind not in KINDS:
            raise DecisionError(
                f"{at(*path, 'kind')}: decision {index}: kind must be one of {', '.join(sorted(KINDS))}"
            )
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            raise DecisionError(f"{where}: every decision needs an 'id'")
        if ident in seen:
            raise DecisionError(f"{at(*path, 'id')}: decision {index}: id {ident!r} is used twice")
        seen.add(ident)
        missing = [name for name in (*KINDS[kind], "reason") if item.get(name) in (None, "")]
        known = set(KINDS[kind]) | {"id", "kind", "reason", "space"}
        unknown = sorted(set(item) - known)
        if unknown:  # first: a misspelt field is also a missing one, and the misspelling is what to fix
            told = unknown_field(unknown[0], known, missing)
            raise DecisionError(f"{at(*path, unknown[0])}: decision {index} ({ident}): {told}")
        if missing:
            raise DecisionError(f"{where} ({ident}): a {kind} decision needs '{missing[0]}'")
        for name in (*KINDS[kind], "reason"):
            wanted = int if name == "page" else str
            if not isinstance(item[name], wanted) or isinstance(item[name], bool) or item[name] == 0:
                what = "a page number (1, 2, …)" if wanted is int else "text"
                raise DecisionError(f"{at(*path, name)}: decision {index} ({ident}): '{name}' must be {what}")
        if kind == "hyphen" and item["hyphen"] not in ("keep", "drop"):
            raise DecisionError(f"{at(*path, 'hyphen')}: decision {index} ({ident}): 'hyphen' is 'keep' or 'drop'")
        if not isinstance(item.get("space", True), bool):
            raise DecisionError(f"{at(*path, 'space')}: decision {index} ({ident}): 'space' is true or false")
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
                where=f"{at(*path)}: " if place else "",
            )
        )
    return out


def load_decisions(path: Path) -> list[Decision]:
    located = load_located_data(path)
    return parse_decisions(located.data, origin=shown_path(path), place=located.where)
