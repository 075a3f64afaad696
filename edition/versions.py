"""Edition versions: the current version, a snapshot of the text per version, and what changed.

``source_texts/edition.yaml`` names the current version and its history; ``convert`` writes
the snapshot ``source_texts/versions/<version>.yaml`` (paragraph id → words). Comparing two
snapshots, with the ledger, gives the Changes page: per version, every paragraph added,
edited (with the words changed), split, merged or retired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml

from .ledger import Ledger
from .safeyaml import load_data

VERSION = re.compile(r"^\d+\.\d+$")


class VersionError(ValueError):
    pass


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    summary: str


@dataclass
class EditionInfo:
    version: str
    history: list[Release] = field(default_factory=list)
    title: str = ""
    publisher: str = ""
    essay: dict[str, Any] = field(default_factory=dict)

    @property
    def released(self) -> str:
        """The date of the current version (YYYY-MM-DD), or empty."""
        return next((r.date for r in self.history if r.version == self.version), "")


def load_info(path: Path) -> EditionInfo:
    if not path.exists():
        return EditionInfo("1.0", [])
    data: Any = load_data(path) or {}
    version = str(data.get("version", ""))
    if not VERSION.match(version):
        raise VersionError(f"{path.name}: version must look like 1.0, not {version!r}")
    history = [
        Release(str(r["version"]), str(r.get("date", "")), str(r.get("summary", ""))) for r in data.get("history", [])
    ]
    if version not in [r.version for r in history]:
        raise VersionError(f"{path.name}: the current version {version} has no entry in 'history'")
    return EditionInfo(
        version, history, str(data.get("title", "")), str(data.get("publisher", "")), dict(data.get("essay") or {})
    )


def snapshot_text(ids: list[str], texts: list[str]) -> str:
    header = "# The text of this version, paragraph by paragraph. Written by `build_edition.py convert`.\n"
    return header + yaml.safe_dump(dict(zip(ids, texts, strict=True)), sort_keys=False, allow_unicode=True, width=100)


def read_snapshot(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return {str(k): str(v) for k, v in (load_data(path) or {}).items()}


@dataclass(frozen=True)
class WordChange:
    kind: str  # same | del | ins
    text: str


@dataclass(frozen=True)
class ParagraphChange:
    id: str
    kind: str  # new | edited | merged | retired
    words: list[WordChange] = field(default_factory=list)
    note: str = ""


def word_diff(old: str, new: str) -> list[WordChange]:
    a, b = old.split(" "), new.split(" ")
    out: list[WordChange] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(WordChange("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(WordChange("del", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(WordChange("ins", " ".join(b[j1:j2])))
    return out


def changes(before: dict[str, str], after: dict[str, str], ledger: Ledger, version: str) -> list[ParagraphChange]:
    """What changed in the text from one snapshot to the next, in the new reading order."""
    out: list[ParagraphChange] = []
    for ident, text in after.items():
        if ident not in before:
            out.append(ParagraphChange(ident, "new", [WordChange("ins", text)]))
        elif before[ident] != text:
            out.append(ParagraphChange(ident, "edited", word_diff(before[ident], text)))
    for entry in ledger.entries:
        if entry.since != version or entry.id not in before:
            continue
        if entry.status == "alias":
            out.append(ParagraphChange(entry.id, "merged", note=f"now part of {ledger.resolve(entry.id)}"))
        elif entry.status == "retired":
            out.append(ParagraphChange(entry.id, "retired", [WordChange("del", before[entry.id])], entry.target))
    return out
