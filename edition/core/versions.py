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

from .datafiles import Checker, SourceError, display, read_yaml
from .ledger import ID_SHAPE, VERSION_SHAPE, Ledger
from .safeyaml import Located

VERSION = VERSION_SHAPE
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class VersionError(SourceError):
    """``edition.yaml`` or a snapshot that cannot be used, with its place."""


def version_key(version: str) -> tuple[int, int]:
    """``1.10`` after ``1.9``: versions compare by their numbers."""
    major, minor = version.split(".")
    return int(major), int(minor)


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


_INFO_KEYS = {"version", "history", "title", "publisher", "essay"}


def load_info(path: Path, root: Path | None = None) -> EditionInfo:
    """The edition's facts, validated; errors name the place in the file."""
    if not path.exists():
        return EditionInfo("1.0", [])
    shown = display(path, root)
    located = read_yaml(path, shown)
    check = Checker(located, shown, VersionError)
    data = located.data if located.data is not None else {}
    check.mapping(data, (), "a mapping with 'version' and 'history'", _INFO_KEYS)
    version = check.text(data.get("version"), ("version",), "version")
    if not VERSION.match(version):
        raise check.fail(("version",), f'version must look like "1.0" (in quotes), not {data.get("version")!r}')
    history_data = data.get("history") or []
    if not isinstance(history_data, list):
        raise check.fail(("history",), "'history' must be a list of releases")
    history: list[Release] = []
    for index, item in enumerate(history_data):
        at: tuple[str | int, ...] = ("history", index)
        check.mapping(item, at, "a release with 'version', 'date' and 'summary'", {"version", "date", "summary"})
        release = Release(*(check.text(item.get(key), (*at, key), key) for key in ("version", "date", "summary")))
        if not VERSION.match(release.version):
            raise check.fail((*at, "version"), f'version must look like "1.0" (in quotes), not {item.get("version")!r}')
        if release.date and not _is_date(release.date):
            raise check.fail((*at, "date"), f"date must be a day written YYYY-MM-DD, not {release.date!r}")
        if history and version_key(release.version) <= version_key(history[-1].version):
            raise check.fail((*at, "version"), f"{release.version} must be newer than {history[-1].version} before it")
        history.append(release)
    if not history or history[-1].version != version:
        raise check.fail(("version",), f"the current version {version} must be the last entry of 'history'")
    essay = data.get("essay") or {}
    if not isinstance(essay, dict):
        raise check.fail(("essay",), "'essay' must be a mapping of the essay's bibliographic facts")
    for where, value in _leaves(essay, ("essay",)):
        if isinstance(value, str):
            check.text(value, where, str(where[-1]))
    title = check.text(data.get("title"), ("title",), "title")
    publisher = check.text(data.get("publisher"), ("publisher",), "publisher")
    return EditionInfo(version, history, title, publisher, dict(essay))


def _leaves(value: Any, where: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*where, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*where, index))]
    return [(where, value)]


def _is_date(value: str) -> bool:
    import datetime

    if not DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def snapshot_text(ids: list[str], texts: list[str]) -> str:
    header = "# The text of this version, paragraph by paragraph. Written by `build_edition.py convert`.\n"
    return header + yaml.safe_dump(dict(zip(ids, texts, strict=True)), sort_keys=False, allow_unicode=True, width=100)


def read_snapshot(path: Path, root: Path | None = None) -> dict[str, str]:
    """A version's text, paragraph id -> words; errors name the place in the file."""
    if not path.exists():
        return {}
    shown = display(path, root)
    located = read_yaml(path, shown)
    return parse_snapshot(located, shown)


def parse_snapshot(located: Located, shown: str) -> dict[str, str]:
    check = Checker(located, shown, VersionError)
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        raise check.fail((), "expected a mapping of paragraph ids to their text")
    out: dict[str, str] = {}
    for ident, text in data.items():
        if not ID_SHAPE.match(ident):
            raise check.fail((ident,), f"{ident!r} is not a paragraph id of the form p<number>")
        out[ident] = check.text(text, (ident,), ident)
    return out


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
