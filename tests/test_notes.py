"""Note detection, by a table of cases: what is a note number and what is not."""

from __future__ import annotations

import pytest

from edition.notes import find_notes

CASES = [
    # (paragraph texts, [(number, witness span removed, glue)])
    (['a bureau..." 1 Today'], [(1, " 1", "spaced")]),
    (["desperation'.1 Twiss"], [(1, "1", "punctuation")]),
    (["a workers' state1. Orthodox"], [(1, "1", "word")]),
    (["after 19361. The"], [(1, "1", "year")]),
    (["From December 19361 Trotsky"], [(1, "1", "year")]),
    (["for power'…1 In"], [(1, "1", "punctuation")]),
    (["developed it1"], [(1, "1", "word")]),
    # Not notes: page references, ranges, decades, plain numbers, years without a note.
    (["(p. 1) and (p. 440)"], []),
    (["Up until 1922-3, and 1933-6"], []),
    (["in the 1930s"], []),
    (["around 1 year"], []),
    (["in 1944."], []),
    # Sequence: note 2 is looked for only after note 1; '1936' is not note 6.
    (["text1 then 1936 and word2"], [(1, "1", "word"), (2, "2", "word")]),
    (["first1", "second2 and third3"], [(1, "1", "word"), (2, "2", "word"), (3, "3", "word")]),
    # A missing number stops the sequence: nothing after it is taken for a note.
    (["first1 and third3"], [(1, "1", "word")]),
]


@pytest.mark.parametrize(("texts", "expected"), CASES)
def test_note_detection(texts: list[str], expected: list[tuple[int, str, str]]) -> None:
    refs = find_notes(texts)
    got = [(r.number, texts[r.paragraph][r.start : r.end], r.glue) for r in refs]
    assert got == expected
