"""Note detection, by a table of cases: what is a note number and what is not."""

from __future__ import annotations

import pytest

from conftest import ROOT
from edition.core.convert import Paths, convert
from edition.core.decisions import load_decisions
from edition.core.note_numbers import find_gap, find_notes
from edition.core.transcribe import TranscriptionError, transcribe

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


GAPS = [
    # (paragraph texts, (missing, the later number found, its paragraph) or None)
    (["first1 and third3"], (2, 3, 0)),
    (["first1", "second2", "fourth4 and fifth5"], (3, 4, 2)),
    (["one1", "nothing here", "after 19363 Trotsky"], (2, 3, 2)),  # a year with its note
    (["there is no first note", "but a second2"], (1, 2, 1)),
    (["first1 second2 third3"], None),
    (["first1", "then (p. 440) and 1922-3 and in the 1930s"], None),  # not notes
    (["first1 then far later14"], None),  # beyond the look-ahead: not taken for a note
]


@pytest.mark.parametrize(("texts", "expected"), GAPS)
def test_a_gap_in_the_note_sequence_is_found(texts: list[str], expected: tuple[int, int, int] | None) -> None:
    gap = find_gap(texts, find_notes(texts))
    assert (None if gap is None else (gap.missing, gap.found.number, gap.found.paragraph)) == expected


def test_the_witness_has_forty_notes_and_no_gap() -> None:
    assert [n.number for n in convert(Paths(ROOT)).transcription.notes] == list(range(1, 41))


def test_a_deleted_paragraph_that_held_a_note_stops_the_conversion_at_its_place() -> None:
    raw = Paths(ROOT).witness.read_text(encoding="utf-8")
    start = raw.index("'It is not surprising that some of Trotsky's comrades")
    end = raw.index("Between 1936 and 1940 Trotsky changed")
    with pytest.raises(TranscriptionError) as caught:
        transcribe(raw[:start] + raw[end:], load_decisions(Paths(ROOT).decisions))
    message = str(caught.value)
    assert "note 17 is missing, yet note 18 follows note 16" in message
    assert "in the paragraph beginning ‘Between 1936 and 1940 Trotsky changed his descript’" in message
    assert "(‘f the West'.18 In’, witness line 230)" in message
