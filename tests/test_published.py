"""The ledger is append-only: each way a new ledger or text can break what was published, by a table,
and by Hypothesis: legitimate revisions never break it, a dropped entry always does."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from edition.core.append_only import Breach, Record, breaches, first_difference, successor
from edition.core.ledger import Entry, Ledger, assign_ids
from edition.core.textnorm import fingerprint

TEXTS = [
    "Alpha: Trotsky's thinking on the bureaucracy was a continual process of reconsideration.",
    "Beta: bureaucracy was not a question adequately dealt with in previous Marxist theory.",
    "Gamma: the tensions within Trotsky's analyses were mounting in the late nineteen-thirties.",
]


def publish(texts: list[str], ledger: Ledger, version: str) -> tuple[Ledger, dict[str, str]]:
    ids, after, _ = assign_ids(texts, ledger, version)
    return after, dict(zip(ids, texts, strict=True))


PUBLISHED, SNAPSHOT = publish(TEXTS, Ledger(), "1.0")
RECORD = Record(PUBLISHED, {"1.0": SNAPSHOT}, "main at 0123456789")


def without(ledger: Ledger, ident: str) -> Ledger:
    return Ledger([e for e in ledger.entries if e.id != ident], ledger.next)


def changed(ledger: Ledger, ident: str, **fields: str) -> Ledger:
    return Ledger([replace(e, **fields) if e.id == ident else e for e in ledger.entries], ledger.next)


def case(texts: list[str], ledger: Ledger, version: str) -> tuple[Ledger, str, dict[str, str]]:
    after, snapshot = publish(texts, ledger, version)
    return after, version, snapshot


CASES = {
    "unchanged": (RECORD, *case(TEXTS, PUBLISHED, "1.0"), []),
    "a paragraph removed in a new version": (RECORD, *case([TEXTS[0], TEXTS[2]], PUBLISHED, "1.1"), []),
    "a typo fixed in a new version": (
        RECORD,
        *case([TEXTS[0].replace("continual", "continuous"), *TEXTS[1:]], PUBLISHED, "1.1"),
        [],
    ),
    "a paragraph removed without a new version": (
        RECORD,
        *case([TEXTS[0], TEXTS[2]], PUBLISHED, "1.0"),
        [
            "the text of version 1.0, which is published, would change (without p2)",
            "p2 would be retired in version 1.0, but version 1.0 is published with it: raise `version`",
        ],
    ),
    "an entry dropped from the ledger": (
        RECORD,
        *case(TEXTS, without(PUBLISHED, "p2"), "1.0"),
        [
            "the text of version 1.0, which is published, would change (without p2; with new p4)",
            "p2 was published and is missing from the ledger; its paragraph is now p4",
        ],
    ),
    "an entry dropped, in a new version": (
        RECORD,
        *case(TEXTS, without(PUBLISHED, "p2"), "1.1"),
        ["p2 was published and is missing from the ledger; its paragraph is now p4"],
    ),
    "a retired id used again": (
        Record(changed(PUBLISHED, "p2", status="retired", target="p1"), {"1.0": SNAPSHOT}, "main"),
        PUBLISHED,
        "1.1",
        SNAPSHOT,
        ["p2 was published as retired: a superseded id is never used again"],
    ),
    "a published alias that leads elsewhere": (
        Record(changed(PUBLISHED, "p2", status="alias", target="p1", since="1.0"), {}, "main"),
        changed(PUBLISHED, "p2", status="alias", target="p3", since="1.0"),
        "1.1",
        SNAPSHOT,
        ["p2 was published as alias (alias in 1.0, leading to p1); its entry may not change"],
    ),
    "two paragraphs' ids swapped": (
        RECORD,
        changed(
            changed(PUBLISHED, "p1", text=TEXTS[1], fingerprint=fingerprint(TEXTS[1])),
            "p2",
            text=TEXTS[0],
            fingerprint=fingerprint(TEXTS[0]),
        ),
        "1.1",
        {"p1": TEXTS[1], "p2": TEXTS[0], "p3": TEXTS[2]},
        [
            "p1 now names other words (‘Beta: bureaucracy was not a question adequately dealt …’)",
            "p2 now names other words (‘Alpha: Trotsky's thinking on the bureaucracy was a …’)",
        ],
    ),
    "'next' lowered": (
        RECORD,
        Ledger(PUBLISHED.entries, 3),
        "1.0",
        SNAPSHOT,
        ["'next' is 3, below the published 4: no number is given twice"],
    ),
    "a new id with a number given before": (
        RECORD,
        Ledger([*PUBLISHED.entries, Entry("p2a", "active", fingerprint("X."), text="X.")], 4),
        "1.1",
        {**SNAPSHOT, "p2a": "X."},
        ["p2a is new, but its number was given before: fresh ids take numbers above 3"],
    ),
    "a version older than the published one": (
        RECORD,
        *case(TEXTS, PUBLISHED, "0.9"),
        ["the edition's version 0.9 is older than 1.0, which is published"],
    ),
    "a removal dated to an unmade version": (
        RECORD,
        changed(PUBLISHED, "p3", status="retired", target="p2", since="2.0"),
        "1.1",
        SNAPSHOT | {},
        ["p3 is retired in version 2.0; a change made now belongs to the version made now, 1.1"],
    ),
}
# Without git: the snapshots are the record. p2 was retired in 1.1, published; 1.2 is being made.
_V11_LEDGER, _V11 = publish([TEXTS[0], TEXTS[2]], PUBLISHED, "1.1")
NO_GIT = Record(None, {"1.0": SNAPSHOT, "1.1": _V11}, "the snapshots")
CASES["without git, an old removal"] = (NO_GIT, *case([TEXTS[0], TEXTS[2]], _V11_LEDGER, "1.2"), [])
CASES["without git, a removal dated to a published version"] = (
    NO_GIT,
    changed(_V11_LEDGER, "p2", since="1.0"),
    "1.2",
    _V11,
    ["p2 would be retired in version 1.0, but version 1.0 is published with it"],
)
CASES["without git, a dropped id"] = (
    NO_GIT,
    without(_V11_LEDGER, "p2"),
    "1.2",
    _V11,
    ["p2 was published and is missing from the ledger"],
)


@pytest.mark.parametrize("name", CASES)
def test_what_breaks_the_record(name: str) -> None:
    record, ledger, version, snapshot, expected = CASES[name]
    messages = [b.message for b in breaches(record, ledger, version, snapshot)]
    assert len(messages) == len(expected), messages
    for wanted, got in zip(expected, messages, strict=True):
        assert wanted in got


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (TEXTS[0], TEXTS[0], True),
        (TEXTS[0], TEXTS[0].replace("continual", "continuous"), True),  # edited
        (TEXTS[0], TEXTS[0][:60], True),  # the main part of a split
        (TEXTS[0], TEXTS[0] + " " + TEXTS[2], True),  # the main part of a merge
        (TEXTS[0], TEXTS[1], False),  # another paragraph
        (TEXTS[0], "", False),
    ],
)
def test_what_counts_as_the_same_paragraph(old: str, new: str, expected: bool) -> None:
    assert successor(old, new) is expected


# Hypothesis: any revision made by convert in a new version keeps every promise; dropping any
# published entry from the ledger is always caught, by name.

WORDS = ["the", "bureaucracy", "state", "workers", "Trotsky", "class", "theory", "of", "and", "USSR", "party"]
BASE = [f"{i}: " + " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(25)) + f" paragraph {i}." for i in range(12)]
BASE_LEDGER, BASE_SNAPSHOT = publish(BASE, Ledger(), "1.0")
BASE_RECORD = Record(BASE_LEDGER, {"1.0": BASE_SNAPSHOT}, "main")


@st.composite
def revisions(draw: st.DrawFn) -> list[str]:
    texts = [t for t in BASE if draw(st.booleans()) or t == BASE[0]]
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, len(texts) - 1))
        word = draw(st.sampled_from(WORDS))
        action = draw(st.sampled_from(["edit", "insert", "merge", "split"]))
        if action == "edit":
            parts = texts[where].split(" ")
            parts[draw(st.integers(0, len(parts) - 1))] = word
            texts[where] = " ".join(parts)
        elif action == "insert":
            texts.insert(where, f"New: {word} " + " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=5))))
        elif action == "merge" and where + 1 < len(texts):
            texts[where : where + 2] = [texts[where] + " " + texts[where + 1]]
        elif action == "split":
            half = len(texts[where]) // 2
            texts[where : where + 1] = [texts[where][:half].strip(), texts[where][half:].strip()]
    return [t for t in texts if t]


@settings(max_examples=examples(40), deadline=None)
@given(texts=revisions())
def test_a_revision_in_a_new_version_keeps_every_promise(texts: list[str]) -> None:
    ledger, snapshot = publish(texts, BASE_LEDGER, "1.1")
    assert breaches(BASE_RECORD, ledger, "1.1", snapshot) == []


@settings(max_examples=examples(40), deadline=None)
@given(texts=revisions(), dropped=st.integers(1, len(BASE)), version=st.sampled_from(["1.0", "1.1"]))
def test_a_dropped_entry_is_always_caught(texts: list[str], dropped: int, version: str) -> None:
    ledger, snapshot = publish(texts, without(BASE_LEDGER, f"p{dropped}"), version)
    found = breaches(BASE_RECORD, ledger, version, snapshot)
    assert Breach in {type(b) for b in found}
    assert any(b.id == f"p{dropped}" and "missing from the ledger" in b.message for b in found)


@pytest.mark.parametrize(
    ("before", "after", "first"),
    [
        ({"p1": "A", "p2": "B"}, {"p1": "A", "p2": "B"}, ""),
        ({"p1": "A", "p2": "B", "p3": "C"}, {"p1": "A", "p3": "C"}, "p2"),  # removed
        ({"p1": "A", "p2": "B"}, {"p1": "A", "p2": "b"}, "p2"),  # other words
        ({"p1": "A", "p2": "B", "p3": "C"}, {"p1": "A", "p3": "C", "p2": "B"}, "p2"),  # moved
        ({"p1": "A", "p2": "B"}, {"p1": "A", "p2": "B", "p4": "D"}, ""),  # only added: nothing to point at
        ({"p1": "A"}, {}, "p1"),
    ],
)
def test_a_change_to_a_published_text_is_placed_at_its_first_changed_paragraph(
    before: dict[str, str], after: dict[str, str], first: str
) -> None:
    assert first_difference(before, after) == first
