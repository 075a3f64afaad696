"""Anchors that survive revision: each kind of change to the text, and every id decision it causes."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, examples
from edition.core.convert import Paths, convert
from edition.core.ledger import EDIT_RATIO, Ledger, assign_ids

BASE = [p.text for p in convert(Paths(ROOT)).transcription.paragraphs]


@pytest.fixture(scope="module")
def published() -> Ledger:
    """The ledger of version 1.0, as first published."""
    _, ledger, _ = assign_ids(BASE, Ledger(), "1.0")
    return ledger


def revise(ledger: Ledger, texts: list[str]) -> tuple[list[str], Ledger, dict[str, tuple[str, str]]]:
    ids, after, report = assign_ids(texts, ledger, "1.1")
    return ids, after, {r.id: (r.action, r.detail) for r in report}


def test_an_unchanged_text_keeps_every_id(published: Ledger) -> None:
    ids, after, decisions = revise(published, BASE)
    assert ids == [f"p{n}" for n in range(1, 39)]
    assert {a for a, _ in decisions.values()} == {"kept"}
    assert after.next == 39


def test_typo_fixes_throughout_keep_every_id(published: Ledger) -> None:
    fixed = [
        t.replace("been been", "been")
        .replace("might well might", "might well")
        .replace("not an zig-zag", "not a zig-zag")
        .replace("revolution in 1936", "revolution in 1917")
        .replace("telescopes", "telescope")
        for t in BASE
    ]
    ids, _, decisions = revise(published, fixed)
    assert ids == [f"p{n}" for n in range(1, 39)]
    changed = {i for i, (a, _) in decisions.items() if a == "edited"}
    assert changed == {"p8", "p12", "p23", "p28", "p30"}


def test_every_kind_of_change_at_once(published: Ledger) -> None:
    texts = list(BASE)
    p12 = texts[11]
    cut = p12.index("The Bolsheviks who retained")
    new_paragraph = "An editor's new paragraph, inserted in a later version, about something else entirely."
    revised = (
        texts[0:1]  # p1
        + [texts[1] + " " + texts[2]]  # p2 + p3 merged
        + [texts[3].replace("buck-passing", "passing the buck")]  # p4 lightly edited
        + texts[4:11]  # p5..p11
        + [p12[:cut].strip(), p12[cut:]]  # p12 split
        + [new_paragraph]  # inserted
        + texts[12:19]  # p13..p19
        # p20 deleted
        + texts[20:24]  # p21..p24
        + texts[25:30]  # p26..p30
        + [texts[24]]  # p25 moved after p30
        + texts[30:]  # p31..p38
    )
    ids, after, decisions = revise(published, revised)
    assert ids[:3] == ["p1", "p3", "p4"]
    assert decisions["p3"][0] == "merged"
    assert after.get("p2").status == "alias" and after.get("p2").target == "p3"  # type: ignore[union-attr]
    assert decisions["p4"][0] == "edited"
    # The split: the part with most of the text keeps p12, the other part is new.
    i = ids.index("p12")
    assert len(revised[i]) > len(revised[i + 1]) and ids[i + 1] == "p39"
    assert decisions["p39"] == ("split", "split from p12")
    assert ids[i + 2] == "p40" and decisions["p40"][0] == "new"
    # The deletion: retired, never reused, pointing at its nearest surviving neighbour.
    assert "p20" not in ids
    assert after.get("p20").status == "retired" and after.get("p20").target == "p19"  # type: ignore[union-attr]
    assert decisions["p20"][0] == "retired"
    # The move keeps its id and says so.
    assert ids[ids.index("p30") + 1] == "p25" and decisions["p25"][0] == "moved"
    assert after.next == 41
    # Every old id still resolves.
    for n in range(1, 39):
        assert after.resolve(f"p{n}") in ids


def test_a_second_revision_never_reuses_a_retired_or_alias_id(published: Ledger) -> None:
    _, after, _ = revise(published, BASE[:-1])  # p38 deleted
    ids, again, _ = assign_ids(BASE[:-1] + ["A wholly new last paragraph about nothing the essay says."], after, "1.2")
    assert ids[-1] == "p39"
    assert again.get("p38").status == "retired"  # type: ignore[union-attr]


# Hypothesis: random small edits below the threshold keep ids; no id is ever reused.

words = st.sampled_from(["the", "bureaucracy", "state", "workers", "Trotsky", "class", "theory", "of", "and", "USSR"])


def mutate(text: str, draws: list[tuple[int, str]]) -> str:
    out = text.split(" ")
    for position, word in draws:
        out[position % len(out)] = word
    return " ".join(out)


@settings(max_examples=examples(60), deadline=None)
@given(
    which=st.integers(min_value=0, max_value=37),
    draws=st.lists(st.tuples(st.integers(min_value=0, max_value=400), words), min_size=1, max_size=3),
)
def test_small_edits_keep_the_id(published: Ledger, which: int, draws: list[tuple[int, str]]) -> None:
    texts = list(BASE)
    texts[which] = mutate(texts[which], draws)
    ids, _, _ = assign_ids(texts, published, "1.1")
    assert ids == [f"p{n}" for n in range(1, 39)]


@settings(max_examples=examples(40), deadline=None)
@given(
    keep=st.lists(st.booleans(), min_size=38, max_size=38),
    extra=st.lists(st.text(alphabet="abcdefghij ", min_size=30, max_size=80), max_size=3),
)
def test_no_id_is_ever_reused(published: Ledger, keep: list[bool], extra: list[str]) -> None:
    texts = [t for t, k in zip(BASE, keep, strict=True) if k] + [f"New: {e}" for e in extra]
    ids, after, _ = assign_ids(texts, published, "1.1")
    assert len(ids) == len(set(ids))
    counts = Counter(e.id for e in after.entries)
    assert max(counts.values()) == 1
    retired = {e.id for e in after.entries if e.status != "active"}
    assert not retired & set(ids)
    assert all(int(i[1:]) >= 39 for i in ids if i not in {e.id for e in published.entries})


def test_the_threshold_is_documented() -> None:
    assert 0.5 <= EDIT_RATIO <= 0.8
