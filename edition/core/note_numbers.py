"""Find the essay's note references in the reading text.

The extraction glued each note number to the word, quotation mark, ellipsis or year
before it (``state4``, ``'.2``, ``19368`` = 1936 + note 8). Notes run 1, 2, 3 … in
reading order, so each number is looked for only after the previous one: that is what
tells a note from a year, a page reference (``p. 440``) or a range (``1922-3``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = re.compile(r"\d+")
_CLOSERS = "'\"’”.…,;:)]!?"


@dataclass(frozen=True)
class NoteRef:
    number: int
    paragraph: int
    start: int  # offset of the removed span in the paragraph text
    end: int
    witness: str  # the witness characters around the number, for the record
    glue: str  # word | punctuation | year | spaced


def _is_year(prefix: str) -> bool:
    return len(prefix) == 4 and 1800 <= int(prefix) <= 2099


def classify(text: str, match: re.Match[str], number: int) -> tuple[int, str] | None:
    """If ``match`` can be note ``number``, return (start of the span to remove, glue)."""
    digits = match.group()
    wanted = str(number)
    if not digits.endswith(wanted):
        return None
    prefix = digits[: -len(wanted)]
    start = match.start() + len(prefix)
    after = text[match.end() : match.end() + 1]
    if after.isalnum() or after == "-":
        return None  # 1930s, 1922-3's first half, a longer number
    if prefix:
        return (start, "year") if _is_year(prefix) else None
    before = text[: match.start()]
    if not before:
        return None
    last = before[-1]
    if last.isalpha():
        return start, "word"
    if last in _CLOSERS:
        if before.endswith(("p.", "pp.")):
            return None
        return start, "punctuation"
    if last == " " and len(before) >= 2 and before[-2] in _CLOSERS and not before.endswith(("p. ", "pp. ")):
        return start - 1, "spaced"
    return None


def find_notes(paragraphs: list[str]) -> list[NoteRef]:
    """Every note reference, numbered from 1 without gaps, in reading order."""
    refs: list[NoteRef] = []
    number = 1
    for index, text in enumerate(paragraphs):
        position = 0
        while True:
            found = None
            for match in _DIGITS.finditer(text, position):
                hit = classify(text, match, number)
                if hit is not None:
                    found = (match, hit)
                    break
            if found is None:
                break
            match, (start, glue) = found
            context = text[max(0, match.start() - 12) : match.end() + 3]
            refs.append(NoteRef(number, index, start, match.end(), context, glue))
            position = match.end()
            number += 1
    return refs


LOOKAHEAD = 10
"""How far past the last note found a later number is looked for: a deleted paragraph rarely
held more notes than this."""


@dataclass(frozen=True)
class NoteGap:
    missing: int  # the first number not found
    found: NoteRef  # a later note reference that stands after the last one found


def find_gap(paragraphs: list[str], refs: list[NoteRef], lookahead: int = LOOKAHEAD) -> NoteGap | None:
    """A note reference numbered past a missing one, after the last note found: the sequence
    has a gap (the note numbers after it would otherwise be read as text)."""
    missing = refs[-1].number + 1 if refs else 1
    start_paragraph, position = (refs[-1].paragraph, refs[-1].end) if refs else (0, 0)
    for index in range(start_paragraph, len(paragraphs)):
        text = paragraphs[index]
        for match in _DIGITS.finditer(text, position if index == start_paragraph else 0):
            for number in range(missing + 1, missing + 1 + lookahead):
                hit = classify(text, match, number)
                if hit is not None:
                    context = text[max(0, match.start() - 12) : match.end() + 3]
                    return NoteGap(missing, NoteRef(number, index, hit[0], match.end(), context, hit[1]))
    return None
