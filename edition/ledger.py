"""The anchor ledger: every paragraph id ever published, and what became of it.

Contract: an id ``p<number>`` (later ``p<number><letter>``) is given once and never
reused or renumbered. Active ids name a paragraph of the current text; an alias
resolves to the paragraph that absorbed it; a retired id resolves to a notice that
links to its nearest surviving neighbour. Fresh numbers continue from ``next``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .textnorm import fingerprint, opening_words

ID_SHAPE = re.compile(r"^p[1-9][0-9]*[a-z]?$")
STATUSES = ("active", "alias", "retired")
LEDGER_VERSION = 1


class LedgerError(ValueError):
    """A ledger that breaks the anchor contract."""


@dataclass
class Entry:
    id: str
    status: str
    fingerprint: str = ""
    opening: str = ""
    target: str = ""  # alias: the paragraph it resolves to; retired: nearest survivor
    since: str = ""  # edition version in which the status was set

    def as_dict(self) -> dict[str, str]:
        data = {"id": self.id, "status": self.status}
        for key in ("fingerprint", "opening", "target", "since"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


@dataclass
class Ledger:
    entries: list[Entry] = field(default_factory=list)
    next: int = 1

    def get(self, ident: str) -> Entry | None:
        return next((e for e in self.entries if e.id == ident), None)

    def active(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "active"]

    def resolve(self, ident: str) -> str | None:
        """The active id an anchor leads to, following aliases and retirements."""
        seen: set[str] = set()
        entry = self.get(ident)
        while entry is not None and entry.status != "active":
            if entry.id in seen or not entry.target:
                return None
            seen.add(entry.id)
            entry = self.get(entry.target)
        return entry.id if entry else None


def parse_ledger(data: Any) -> Ledger:
    if data is None:
        return Ledger()
    if not isinstance(data, dict) or not isinstance(data.get("paragraphs", []), list):
        raise LedgerError("anchors.yaml: expected a mapping with a 'paragraphs' list")
    entries: list[Entry] = []
    seen: set[str] = set()
    highest = 0
    for item in data.get("paragraphs") or []:
        ident = str(item.get("id", ""))
        if not ID_SHAPE.match(ident):
            raise LedgerError(f"anchors.yaml: {ident!r} is not an id of the form p<number>")
        if ident in seen:
            raise LedgerError(f"anchors.yaml: {ident} appears twice")
        if item.get("status") not in STATUSES:
            raise LedgerError(f"anchors.yaml: {ident}: status must be one of {', '.join(STATUSES)}")
        seen.add(ident)
        highest = max(highest, int(re.sub(r"\D", "", ident)))
        entries.append(
            Entry(
                id=ident,
                status=item["status"],
                fingerprint=str(item.get("fingerprint", "")),
                opening=str(item.get("opening", "")),
                target=str(item.get("target", "")),
                since=str(item.get("since", "")),
            )
        )
    next_number = int(data.get("next", highest + 1))
    if next_number <= highest:
        raise LedgerError(f"anchors.yaml: 'next' is {next_number} but p{highest} is already given")
    return Ledger(entries, next_number)


def dump_ledger(ledger: Ledger) -> str:
    header = (
        "# The anchor ledger: every paragraph id ever published. Written by\n"
        "# `python build_edition.py convert`; ids are never renumbered or reused.\n"
        "# See ARCHITECTURE.md, 'The anchor contract'.\n"
    )
    body = {
        "version": LEDGER_VERSION,
        "next": ledger.next,
        "paragraphs": [e.as_dict() for e in ledger.entries],
    }
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


@dataclass(frozen=True)
class IdDecision:
    id: str
    action: str  # kept | new
    opening: str
    score: float = 1.0


def assign_ids(texts: list[str], ledger: Ledger, version: str = "") -> tuple[list[str], Ledger, list[IdDecision]]:
    """Give every paragraph its id: the ledger's where the words match, else a fresh one."""
    by_print = {e.fingerprint: e for e in ledger.active()}
    entries = [Entry(**vars(e)) for e in ledger.entries]
    index = {e.id: e for e in entries}
    next_number = ledger.next
    ids: list[str] = []
    report: list[IdDecision] = []
    for text in texts:
        print_ = fingerprint(text)
        known = by_print.pop(print_, None)
        if known is not None:
            ids.append(known.id)
            report.append(IdDecision(known.id, "kept", opening_words(text)))
            continue
        ident = f"p{next_number}"
        next_number += 1
        entry = Entry(ident, "active", print_, opening_words(text), since=version)
        entries.append(entry)
        index[ident] = entry
        ids.append(ident)
        report.append(IdDecision(ident, "new", opening_words(text), 0.0))
    return ids, Ledger(entries, next_number), report
