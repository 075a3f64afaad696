"""Paragraph reconstruction, by a table of small witnesses and their decisions."""

from __future__ import annotations

import pytest

from edition.core.decisions import DecisionError, parse_decisions
from edition.core.transcribe import TranscriptionError, transcribe


def run(raw: str, *decisions: dict) -> list[str]:
    parsed = parse_decisions({"decisions": list(decisions)})
    return [p.text for p in transcribe(raw, parsed).paragraphs]


PAGE1 = {"id": "p1", "kind": "page", "page": 1, "start": "One", "reason": "r"}

CASES = [
    ("plain blank-line paragraphs", " One two.\n\nThree four.\n", [PAGE1], ["One two.", "Three four."]),
    ("lines within a paragraph become spaces", " One\ntwo.\n", [PAGE1], ["One two."]),
    ("runs of spaces fold", " One  two.\n", [PAGE1], ["One two."]),
    (
        "a page number between halves of a sentence is furniture, and the halves join",
        " One two\n\n7\n\n\nthree.\n",
        [
            PAGE1,
            {"id": "f", "kind": "furniture", "text": "7", "end": "One two", "reason": "r"},
            {"id": "j", "kind": "join", "end": "One two", "start": "three.", "reason": "r"},
        ],
        ["One two three."],
    ),
    (
        "a join without a space",
        " One it1\n\n. Two.\n",
        [PAGE1, {"id": "j", "kind": "join", "end": "it1", "start": ". Two.", "space": False, "reason": "r"}],
        ["One it. Two."],
    ),
    (
        "a hidden paragraph break at a page start",
        " One.\n Two.\n",
        [
            PAGE1,
            {"id": "p2", "kind": "page", "page": 2, "start": "Two.", "reason": "r"},
            {"id": "s", "kind": "split", "end": "One.", "start": "Two.", "reason": "r"},
        ],
        ["One.", "Two."],
    ),
    (
        "a kept line-end hyphen",
        " One counter-\nrevolution.\n",
        [PAGE1, {"id": "h", "kind": "hyphen", "word": "counter-revolution", "hyphen": "keep", "reason": "r"}],
        ["One counter-revolution."],
    ),
    (
        "a dropped line-end hyphen",
        " One bureau-\ncracy.\n",
        [PAGE1, {"id": "h", "kind": "hyphen", "word": "bureau-cracy", "hyphen": "drop", "reason": "r"}],
        ["One bureaucracy."],
    ),
    (
        "note numbers leave the reading text",
        " One word1 and two'.2\n",
        [PAGE1],
        ["One word and two'."],
    ),
]


@pytest.mark.parametrize(("name", "raw", "decisions", "expected"), CASES, ids=[c[0] for c in CASES])
def test_reconstruction(name: str, raw: str, decisions: list[dict], expected: list[str]) -> None:
    assert run(raw, *decisions) == expected


ERRORS = [
    ("undecided hyphen", " One counter-\nrevolution.\n", [PAGE1], "line-end hyphen in 'counter-revolution'"),
    ("lone number", " One two.\n\n7\n\nThree.\n", [PAGE1], "the number '7' stands alone"),
    ("doubtful blank line", " One two\n\nthree.\n", [PAGE1], "a blank line may not end a paragraph"),
    ("undecided page start", " One.\n Two.\n", [PAGE1], "a page seems to begin at 'Two.'"),
    (
        "page start after a full sentence",
        " One.\n Two.\n",
        [PAGE1, {"id": "p2", "kind": "page", "page": 2, "start": "Two.", "reason": "r"}],
        "a paragraph may begin with the page",
    ),
    (
        "words not found",
        " One.\n",
        [PAGE1, {"id": "x", "kind": "split", "end": "a", "start": "Nowhere", "reason": "r"}],
        "the words 'Nowhere' are not in the witness",
    ),
    (
        "ambiguous words",
        " One.\n\nTwo.\n\nTwo.\n",
        [PAGE1, {"id": "x", "kind": "break", "end": "One.", "start": "Two.", "reason": "r"}],
        "occur 2 times; quote more",
    ),
    (
        "a decision that matches nothing",
        " One.\n",
        [PAGE1, {"id": "h", "kind": "hyphen", "word": "co-op", "hyphen": "keep", "reason": "r"}],
        "match nothing in the witness: h",
    ),
    (
        "pages out of order",
        " One two\n and three.\n",
        [
            {"id": "a", "kind": "page", "page": 2, "start": "One", "reason": "r"},
            {"id": "b", "kind": "page", "page": 1, "start": "and three.", "reason": "r"},
        ],
        "page decisions are out of order",
    ),
]


@pytest.mark.parametrize(("name", "raw", "decisions", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_reconstruction_refuses_to_guess(name: str, raw: str, decisions: list[dict], message: str) -> None:
    with pytest.raises(TranscriptionError, match=message.replace("(", r"\(").replace("?", r"\?")):
        run(raw, *decisions)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "expected a mapping with a 'decisions' list"),
        ({"decisions": [{"id": "a", "kind": "nope", "reason": "r"}]}, "kind must be one of"),
        ({"decisions": [{"id": "a", "kind": "page", "page": 1, "reason": "r"}]}, "needs 'start'"),
        (
            {"decisions": [{"id": "a", "kind": "hyphen", "word": "a-b", "hyphen": "maybe", "reason": "r"}]},
            "keep",
        ),
        ({"decisions": [PAGE1, PAGE1]}, "used twice"),
        ({"decisions": [{**PAGE1, "line": 3}]}, "unknown field"),
    ],
)
def test_decision_file_errors(data: dict, message: str) -> None:
    with pytest.raises(DecisionError, match=message):
        parse_decisions(data)
