"""The ledger is append-only: what was published, and the rules a new ledger and text keep towards it.

The record of what was published (see :mod:`edition.core.committed` for where it comes from) is the
published ledger, when there is one, and the text of every published version. Against it a new
ledger may add ids with fresh numbers, let a paragraph's words change within the bounds that
keep its id (:mod:`edition.core.ledger`), and mark an id merged or retired in the version being made.
It may never drop an id, bring a merged or retired one back, give an id to other words, take a
number that was given before, or change the text of a published version. Pure: no files, no git.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ledger import EDIT_RATIO, PART_COVERAGE, Entry, Ledger, _number, _shared
from .textnorm import opening_words
from .versions import version_key


@dataclass
class Record:
    """What was published, and where that was read (for messages)."""

    ledger: Ledger | None  # None when there is no published ledger to compare with (no git)
    snapshots: dict[str, dict[str, str]]  # published version -> paragraph id -> words
    source: str

    def versions(self) -> list[str]:
        return sorted(self.snapshots, key=version_key)


@dataclass(frozen=True)
class Breach:
    """One broken promise; ``id`` is the paragraph concerned, empty for the text as a whole."""

    id: str
    message: str
    about: str = "ledger"  # the file to fix: ledger | snapshot | info


RAISE = "raise `version` in source_texts/edition.yaml (and add it to `history`), then convert again"


def successor(old: str, new: str) -> bool:
    """Could ``new`` be ``old`` after a revision that keeps its id (edited, or the main part of a
    split or merge), as :func:`edition.core.ledger.assign_ids` judges?"""
    if old == new:
        return True
    shared = _shared(old, new)
    total = len(old) + len(new)
    return (
        bool(total)
        and 2 * shared / total >= EDIT_RATIO
        or shared >= PART_COVERAGE * len(new) > 0
        or shared >= PART_COVERAGE * len(old) > 0
    )


def _described(before: dict[str, str], after: dict[str, str]) -> str:
    gone = [i for i in before if i not in after]
    new = [i for i in after if i not in before]
    edited = [i for i in after if i in before and before[i] != after[i]]
    parts = []
    for label, ids in (("without", gone), ("with new", new), ("with other words in", edited)):
        if ids:
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            parts.append(f"{label} {shown}")
    return "; ".join(parts) or "in the order of its paragraphs"


def first_difference(before: dict[str, str], after: dict[str, str]) -> str:
    """The first paragraph of ``before``, in its order, that ``after`` lacks, words otherwise or
    moves, where a message about the change can point; empty when ``after`` only adds paragraphs."""
    common = [i for i in after if i in before]
    shared = iter(common)
    for ident in before:
        if ident not in after or before[ident] != after[ident] or ident != next(shared):
            return ident
    return ""


def breaches(record: Record, ledger: Ledger, version: str, snapshot: dict[str, str]) -> list[Breach]:
    """Every way ``ledger`` and the text of ``version`` (``snapshot``) break the record."""
    out: list[Breach] = []
    published = record.versions()
    if published and version_key(version) < version_key(published[-1]):
        message = f"the edition's version {version} is older than {published[-1]}, which is published"
        out.append(Breach("", message, "info"))
    if version in record.snapshots and snapshot != record.snapshots[version]:
        change = _described(record.snapshots[version], snapshot)
        message = f"the text of version {version}, which is published, would change ({change}): {RAISE}"
        # at the first paragraph that would change in the file, which still holds the published text
        out.append(Breach(first_difference(record.snapshots[version], snapshot), message, "snapshot"))

    was: dict[str, Entry] = {}  # what each published id was, the published ledger having the last word
    last_holding: dict[str, str] = {}  # the newest published version whose text holds the id
    for number in published:
        for ident, text in record.snapshots[number].items():
            was[ident] = Entry(ident, "active", text=text, since=number)
            last_holding[ident] = number
    if record.ledger is not None:
        was.update({entry.id: entry for entry in record.ledger.entries})
    current = {entry.id: entry for entry in ledger.entries}
    in_ledger = {entry.id for entry in record.ledger.entries} if record.ledger is not None else set()
    for ident in sorted(was, key=_number):
        now = current.get(ident)
        out += _keeps(ident, was[ident], now, ledger, version, record.snapshots, last_holding, ident in in_ledger)

    given = max((_number(i)[0] for i in was), default=0)
    if record.ledger is not None:
        given = max(given, record.ledger.next - 1)
        if ledger.next < record.ledger.next:
            message = f"'next' is {ledger.next}, below the published {record.ledger.next}: no number is given twice"
            out.append(Breach("", message))
    for entry in ledger.entries:
        if entry.id not in was and _number(entry.id)[0] <= given:
            message = f"{entry.id} is new, but its number was given before: fresh ids take numbers above {given}"
            out.append(Breach(entry.id, message))
    return out


def _keeps(
    ident: str,
    was: Entry,
    now: Entry | None,
    ledger: Ledger,
    version: str,
    published: dict[str, dict[str, str]],
    last_holding: dict[str, str],
    from_ledger: bool,
) -> list[Breach]:
    """How the current entry of one published id breaks its promise, if it does."""
    if now is None:
        moved = next((e.id for e in ledger.active() if was.text and e.text == was.text), "")
        where = f"; its paragraph is now {moved}" if moved else ""
        message = f"{ident} was published and is missing from the ledger{where}: a published id is never dropped"
        return [Breach(ident, message)]
    version_published = version in published
    if was.status != "active":
        if now.status == "active":
            return [Breach(ident, f"{ident} was published as {was.status}: a superseded id is never used again")]
        if (now.status, now.target, now.since, now.text) != (was.status, was.target, was.since, was.text):
            return [Breach(ident, f"{ident} was published as {was.status} ({_how(was)}); its entry may not change")]
        return []
    if now.status == "active":
        if was.text and now.text != was.text and not successor(was.text, now.text):
            message = (
                f"{ident} now names other words (‘{opening_words(now.text)} …’) than it was published with "
                f"(‘{opening_words(was.text)} …’): an id never passes to another paragraph"
            )
            return [Breach(ident, message)]
        return []
    what = "merged" if now.status == "alias" else "retired"
    since, last = now.since, last_holding.get(ident, "")
    if not since or (last and version_key(since) <= version_key(last)) or (from_ledger and version_published):
        holding = last or version
        message = f"{ident} would be {what} in version {since or version}, but version {holding} is published with it"
        message += f": {RAISE}"
        return [Breach(ident, message)]
    if since != version and (from_ledger or since not in published):
        message = f"{ident} is {what} in version {since}; a change made now belongs to the version made now, {version}"
        return [Breach(ident, message)]
    return []


def _how(entry: Entry) -> str:
    since = f" in {entry.since}" if entry.since else ""
    leads = f", leading to {entry.target}" if entry.target else ""
    return f"{entry.status}{since}{leads}"
