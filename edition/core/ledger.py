"""The anchor ledger: every paragraph id ever published, and what became of it.

Contract: an id ``p<number>`` (later ``p<number><letter>``) is given once and never
reused or renumbered. Active ids name a paragraph of the current text; an alias
resolves to the paragraph that absorbed it; a retired id resolves to a notice that
links to its nearest surviving neighbour. Fresh numbers continue from ``next``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import yaml

from .datafiles import Checker, SourceError
from .safeyaml import Located
from .textnorm import fingerprint, normalise, opening_words

ID_SHAPE = re.compile(r"^p[1-9][0-9]{0,6}[a-z]?\Z")
VERSION_SHAPE = re.compile(r"^[0-9]+\.[0-9]+\Z")
FINGERPRINT_SHAPE = re.compile(r"^sha256:[0-9a-f]{16}\Z")
STATUSES = ("active", "alias", "retired")
LEDGER_VERSION = 1
MAX_NUMBER = 1_000_000
"""Ids are numbered one by one; a ``next`` beyond this is a typing slip, not a ledger."""


def paragraph_label(ident: str) -> str:
    """How a page shows a paragraph's id: ``p32`` as "¶ 32", with a no-break space (never
    "¶" at the end of one line and "32" at the start of the next)."""
    return f"¶\u00a0{ident[1:]}"


class LedgerError(SourceError):
    """A ledger that breaks the anchor contract, or that cannot be read, with its place."""


@dataclass
class Entry:
    id: str
    status: str
    fingerprint: str = ""
    opening: str = ""
    target: str = ""  # alias: the paragraph it resolves to; retired: nearest survivor
    since: str = ""  # edition version in which the status was set
    text: str = ""  # the normalised words, for matching a revised text and for the Changes page
    origin: str = ""  # for a part split from another paragraph: that paragraph's id

    def as_dict(self) -> dict[str, str]:
        data = {"id": self.id, "status": self.status}
        for key in ("fingerprint", "opening", "target", "since", "origin", "text"):
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

    def parts(self) -> dict[str, list[str]]:
        """For each paragraph that was split, the ids of the parts that took fresh numbers."""
        out: dict[str, list[str]] = {}
        for entry in self.entries:
            if entry.origin:
                out.setdefault(entry.origin, []).append(entry.id)
        return out

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


_LEDGER_KEYS = {"version", "next", "paragraphs"}
_ENTRY_KEYS = {"id", "status", "fingerprint", "opening", "target", "since", "text", "origin"}


def parse_ledger(source: Located | Any, shown: str = "anchors.yaml") -> Ledger:
    """Validate the loaded ledger (with its marks, when ``source`` is :class:`Located`).

    Every value is checked for its shape before anything is made from it: ids, targets and
    versions are written into ``essay.md``, so none may carry a line break or markup."""
    located = source if isinstance(source, Located) else Located(source, {})
    check = Checker(located, shown, LedgerError)
    data = located.data
    if data is None:
        return Ledger()
    check.mapping(
        data, (), "a mapping with 'version', 'next' and a 'paragraphs' list", {"version", "next", "paragraphs"}
    )
    if data.get("version", LEDGER_VERSION) != LEDGER_VERSION:
        raise check.fail(("version",), f"the ledger format is version {LEDGER_VERSION}, not {data['version']!r}")
    items = data.get("paragraphs") or []
    if not isinstance(items, list):
        raise check.fail(("paragraphs",), "'paragraphs' must be a list of entries")
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    highest = 0
    for index, item in enumerate(items):
        at: tuple[str | int, ...] = ("paragraphs", index)
        check.mapping(item, at, "an entry with 'id' and 'status'", _ENTRY_KEYS)
        values = {key: check.text(item.get(key), (*at, key), key) for key in _ENTRY_KEYS}
        ident = values["id"]
        if not ID_SHAPE.match(ident):
            raise check.fail((*at, "id"), f"{ident!r} is not an id of the form p<number>")
        if ident in seen:
            raise check.fail((*at, "id"), f"{ident} appears twice (first as entry {seen[ident] + 1})")
        if values["status"] not in STATUSES:
            raise check.fail((*at, "status"), f"{ident}: status must be one of {', '.join(STATUSES)}")
        for key, shape, what in (
            ("target", ID_SHAPE, "an id"),
            ("origin", ID_SHAPE, "an id"),
            ("since", VERSION_SHAPE, "a version such as 1.0"),
            ("fingerprint", FINGERPRINT_SHAPE, "sha256: and 16 hex digits"),
        ):
            if values[key] and not shape.match(values[key]):
                raise check.fail((*at, key), f"{ident}: '{key}' must be {what}, not {values[key]!r}")
        if values["status"] == "active" and not (values["fingerprint"] and values["text"]):
            raise check.fail(at, f"{ident}: an active paragraph needs its 'fingerprint' and 'text'")
        if values["text"] and values["fingerprint"] and fingerprint(values["text"]) != values["fingerprint"]:
            raise check.fail((*at, "fingerprint"), f"{ident}: the fingerprint is not that of its text")
        if values["status"] == "alias" and not values["target"]:
            raise check.fail(at, f"{ident}: an alias needs the 'target' it leads to")
        seen[ident] = index
        highest = max(highest, _number(ident)[0])
        entries.append(Entry(**values))
    for index, entry in enumerate(entries):
        for key in ("target", "origin"):
            value = getattr(entry, key)
            if value and value not in seen:
                raise check.fail(("paragraphs", index, key), f"{entry.id} leads to {value}, which is not in the ledger")
    ledger = Ledger(entries, highest + 1)
    for index, entry in enumerate(entries):
        if entry.status == "alias" and _loops(ledger, entry.id):
            raise check.fail(("paragraphs", index, "target"), f"{entry.id}: its targets lead round in a circle")
    next_number = data.get("next", highest + 1)
    if isinstance(next_number, bool) or not isinstance(next_number, int):
        raise check.fail(("next",), f"'next' must be a whole number, not {next_number!r}")
    if next_number <= highest:
        raise check.fail(("next",), f"'next' is {next_number} but p{highest} is already given")
    if next_number > MAX_NUMBER:
        raise check.fail(("next",), f"'next' may be at most {MAX_NUMBER:,}")
    ledger.next = next_number
    return ledger


def _loops(ledger: Ledger, ident: str) -> bool:
    seen: set[str] = set()
    entry = ledger.get(ident)
    while entry is not None and entry.status != "active" and entry.target:
        if entry.id in seen:
            return True
        seen.add(entry.id)
        entry = ledger.get(entry.target)
    return False


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


EDIT_RATIO = 0.6
"""Similarity (difflib ratio, 2·matched / total length) at which a new paragraph inherits an old id."""
PART_COVERAGE = 0.8
"""Share of a part that must come from the whole for a split (or of an old paragraph, for a merge)."""
MIN_RUN = 4
"""Matched runs shorter than this many characters are coincidence, not shared text."""


@dataclass(frozen=True)
class IdDecision:
    id: str
    action: str  # kept | edited | moved | split | merged | new | retired
    opening: str
    score: float = 1.0
    detail: str = ""

    def line(self) -> str:
        extra = f"  ({self.detail})" if self.detail else ""
        return f"{self.id:>6}  {self.action:<8} {self.score:4.2f}  {self.opening}{extra}"


def _shared(a: str, b: str) -> int:
    """Characters of ``a`` and ``b`` in common runs of at least ``MIN_RUN``."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks() if block.size >= MIN_RUN)


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes (into ``values``) of one longest strictly increasing subsequence."""
    tails: list[int] = []
    links: list[int] = [-1] * len(values)
    ends: list[int] = []
    for index, value in enumerate(values):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < value:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(tails):
            tails.append(value)
            ends.append(index)
        else:
            tails[lo] = value
            ends[lo] = index
        links[index] = ends[lo - 1] if lo else -1
    keep: set[int] = set()
    cursor = ends[-1] if ends else -1
    while cursor != -1:
        keep.add(cursor)
        cursor = links[cursor]
    return keep


def assign_ids(texts: list[str], ledger: Ledger, version: str = "") -> tuple[list[str], Ledger, list[IdDecision]]:
    """Give every paragraph of ``texts`` an id, keeping the ledger's promise.

    In order: an unchanged paragraph (same fingerprint) keeps its id; a lightly edited one
    (ratio >= EDIT_RATIO, best pairs first, ties to the earlier old paragraph) keeps its id;
    a paragraph split in parts keeps its id on the part that carries most of its text, the
    other parts get fresh numbers; paragraphs merged into one give it the id of the one
    that carries most text, and the others become aliases of it; an old paragraph with no
    successor is retired, pointing at its nearest surviving neighbour; what is left is new.
    """
    texts = [normalise(t) for t in texts]
    old = ledger.active()
    entries = {e.id: Entry(**vars(e)) for e in ledger.entries}
    owner: list[int | None] = [None] * len(texts)  # new index -> old index
    taken: dict[int, int] = {}  # old index -> new index
    action: dict[int, tuple[str, float, str]] = {}
    fresh: list[int] = []
    split_from: dict[int, str] = {}

    by_print: dict[str, list[int]] = {}
    for o, entry in enumerate(old):
        by_print.setdefault(entry.fingerprint, []).append(o)
    for n, text in enumerate(texts):
        candidates = [o for o in by_print.get(fingerprint(text), []) if o not in taken]
        if candidates:
            owner[n], taken[candidates[0]] = candidates[0], n
            action[n] = ("kept", 1.0, "")

    left_old = [o for o in range(len(old)) if o not in taken]
    left_new = [n for n in range(len(texts)) if owner[n] is None]
    shared: dict[tuple[int, int], int] = {}
    for o in left_old:
        for n in left_new:
            a, b = old[o].text, texts[n]
            if a and b and SequenceMatcher(None, a, b, autojunk=False).real_quick_ratio() >= 0.2:
                shared[o, n] = _shared(a, b)

    def ratio(o: int, n: int) -> float:
        total = len(old[o].text) + len(texts[n])
        return 2 * shared.get((o, n), 0) / total if total else 0.0

    pairs = sorted(((ratio(o, n), o, n) for o, n in shared), key=lambda p: (-p[0], p[1], p[2]))
    for score, o, n in pairs:
        if score >= EDIT_RATIO and o not in taken and owner[n] is None:
            owner[n], taken[o] = o, n
            action[n] = ("edited", score, "")

    for o in left_old:  # splits: unmatched parts wholly drawn from one old paragraph
        whole = len(old[o].text) or 1
        parts = [n for n in left_new if owner[n] is None and shared.get((o, n), 0) >= PART_COVERAGE * len(texts[n])]
        if o not in taken:
            if len(parts) < 2 or sum(shared[o, n] for n in parts) < PART_COVERAGE * whole:
                continue
            main = max(parts, key=lambda n: (shared[o, n], -n))
            owner[main], taken[o] = o, main
            action[main] = ("split", shared[o, main] / whole, f"keeps the id of the split {old[o].id}")
            parts.remove(main)
        for n in parts:
            fresh.append(n)
            split_from[n] = old[o].id
            action[n] = ("split", shared[o, n] / whole, f"split from {old[o].id}")

    aliases: dict[int, int] = {}  # old index -> new index it merged into
    for n in left_new:  # merges: unmatched old paragraphs wholly contained in one new paragraph
        if n in fresh:
            continue
        whole = len(texts[n]) or 1
        parts = [o for o in left_old if o not in taken and shared.get((o, n), 0) >= PART_COVERAGE * len(old[o].text)]
        if owner[n] is None:
            if len(parts) < 2 or sum(shared[o, n] for o in parts) < PART_COVERAGE * whole:
                continue
            main = max(parts, key=lambda o: (shared[o, n], -o))
            owner[n], taken[main] = main, n
            action[n] = ("merged", shared[main, n] / whole, "")
            parts.remove(main)
        for o in parts:
            aliases[o] = n
            taken[o] = n
        if parts:
            absorbed = ", ".join(old[o].id for o in parts)
            action[n] = ("merged", action[n][1], f"absorbs {absorbed}")

    order = [owner[n] for n in range(len(texts)) if owner[n] is not None]
    in_place = _longest_increasing([o for o in order if o is not None])
    matched_new = [n for n in range(len(texts)) if owner[n] is not None]
    for position, n in enumerate(matched_new):
        if position not in in_place and action[n][0] in ("kept", "edited"):
            kind, score, detail = action[n]
            action[n] = ("moved", score, f"{kind}, moved")

    next_number = ledger.next
    ids: list[str] = []
    report: list[IdDecision] = []
    for n, text in enumerate(texts):
        source = owner[n]
        if source is None:
            ident = f"p{next_number}"
            next_number += 1
            entries[ident] = Entry(ident, "active", since=version, origin=split_from.get(n, ""))
            kind, score, detail = action.get(n, ("new", 0.0, ""))
        else:
            ident = old[source].id
            kind, score, detail = action[n]
        entry = entries[ident]
        entry.fingerprint, entry.opening, entry.text = fingerprint(text), opening_words(text), text
        ids.append(ident)
        report.append(IdDecision(ident, kind, opening_words(text), score, detail))

    survivors = {o: ids[n] for o, n in taken.items()}
    for o, n in sorted(aliases.items()):
        entry = entries[old[o].id]
        entry.status, entry.target, entry.since = "alias", ids[n], version
        report.append(IdDecision(entry.id, "merged", entry.opening, 1.0, f"now an alias of {ids[n]}"))
    for o, entry in enumerate(old):
        if o in taken:
            continue
        before = [survivors[k] for k in range(o - 1, -1, -1) if k in survivors]
        after = [survivors[k] for k in range(o + 1, len(old)) if k in survivors]
        target = (before or after or [""])[0]
        retired = entries[entry.id]
        retired.status, retired.target, retired.since, retired.text = "retired", target, version, entry.text
        report.append(IdDecision(entry.id, "retired", entry.opening, 0.0, f"nearest surviving: {target}"))

    active = [entries[i] for i in ids]
    rest = sorted((e for e in entries.values() if e.status != "active"), key=lambda e: _number(e.id))
    return ids, Ledger(active + rest, next_number), report


def _number(ident: str) -> tuple[int, str]:
    return int(re.sub(r"\D", "", ident)), ident
