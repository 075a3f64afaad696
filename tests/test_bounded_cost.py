"""The faster algorithms give the same answers as the plain ones they replace (speed itself is
measured by benchmarks/run.py, never here): the bit-parallel quote search against Sellers' dynamic
programme cell by cell, and marking a paragraph's quotes in one pass against a walk per quote; and
an acknowledged orphan is looked for exactly, never with the fuzzy search."""

from __future__ import annotations

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import examples
from edition.annotation.checks import check_target
from edition.annotation.model import Annotation
from edition.annotation.targets import TextModel
from edition.core.anchoring import Match, _distance, edit_scores, fuzzy_find
from edition.core.safeyaml import Located
from edition.sphinxext.marking import (
    MAX_NESTED_MARKS,
    _mark,
    _mark_depth,
    _Words,
    annotation_mark,
    annotation_ref,
    child_index,
)
from edition.sphinxext.rendering import KIND_LABELS


def sellers(text: str, pattern: str, limit: int) -> list[Match]:
    """The reference: the dynamic programme cell by cell, keeping for each cell the latest start
    among its cheapest alignments (what fuzzy_find did before it worked a column at a time)."""

    def rank(start: int, end: int) -> tuple[bool, int]:
        return end < len(text) and text[end].isalnum(), abs(end - start - len(pattern))

    m = len(pattern)
    if not m or not text:
        return []
    previous, starts = list(range(m + 1)), [0] * (m + 1)
    best: list[Match] = []
    best_errors = limit + 1
    for j, char in enumerate(text, start=1):
        current, current_starts = [0] * (m + 1), [j] * (m + 1)
        for i in range(1, m + 1):
            choices = (
                (previous[i - 1] + (pattern[i - 1] != char), starts[i - 1]),
                (previous[i] + 1, starts[i]),
                (current[i - 1] + 1, current_starts[i - 1]),
            )
            current[i], current_starts[i] = min(choices, key=lambda c: (c[0], -c[1]))
        errors, start = current[m], current_starts[m]
        if errors < best_errors:
            best_errors, best = errors, [Match(start, j, errors)]
        elif errors == best_errors and best and start >= best[-1].end:
            best.append(Match(start, j, errors))
        elif errors == best_errors and best and start == best[-1].start and rank(start, j) < rank(start, best[-1].end):
            best[-1] = Match(start, j, errors)
        previous, starts = current, current_starts
    return best if best_errors <= limit else []


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        previous = current
    return previous[-1]


texts = st.text(alphabet="ab c", max_size=40)


@settings(max_examples=examples(1500), deadline=None)
@given(text=texts, pattern=st.text(alphabet="ab c", min_size=1, max_size=12), limit=st.integers(1, 4))
def test_the_column_at_a_time_search_finds_what_the_cell_by_cell_one_finds(text: str, pattern: str, limit: int) -> None:
    assert fuzzy_find(text, pattern, limit) == sellers(text, pattern, limit)


@settings(max_examples=examples(300), deadline=None)
@given(text=st.text(alphabet="abcdefgh ", min_size=10, max_size=60), data=st.data())
def test_a_quote_copied_with_slips_is_found_as_before(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 5))
    quote = list(text[start : start + data.draw(st.integers(4, 20))])
    for _ in range(data.draw(st.integers(0, 3))):
        quote[data.draw(st.integers(0, len(quote) - 1))] = data.draw(st.sampled_from("abcdefgh "))
    pattern = "".join(quote)
    assert fuzzy_find(text, pattern, max(1, len(pattern) // 5)) == sellers(text, pattern, max(1, len(pattern) // 5))


@settings(max_examples=examples(300), deadline=None)
@given(a=texts, b=texts)
def test_edit_distance(a: str, b: str) -> None:
    assert _distance(a, b) == levenshtein(a, b)
    if b:
        assert edit_scores(b, a, anchored=True) == [levenshtein(b, a[:j]) for j in range(len(a) + 1)]


# Marking: one pass per paragraph makes the same tree as a walk of the paragraph per quote.


def walk_and_mark(para: nodes.paragraph, ann: Annotation, start: int, end: int) -> None:
    """The reference: find the words by walking the paragraph, wrap them, climb to place the control."""
    texts: list[nodes.Text] = []

    def walk(node: nodes.Node) -> None:
        for child in node.children:
            if isinstance(child, nodes.Text):
                texts.append(child)
            elif not isinstance(child, annotation_ref):
                walk(child)

    walk(para)
    offset, last = 0, None
    for text in texts:
        content = str(text)
        lo, hi = max(start, offset), min(end, offset + len(content))
        if lo < hi and _mark_depth(text) >= MAX_NESTED_MARKS:
            last = text  # marked enough already: the control goes after these words
        elif lo < hi:
            pieces: list[nodes.Node] = [nodes.Text(content[: lo - offset])] if lo > offset else []
            mark = annotation_mark("", content[lo - offset : hi - offset], annotation=ann.id, kind=ann.kind)
            pieces.append(mark)
            if hi < offset + len(content):
                pieces.append(nodes.Text(content[hi - offset :]))
            index = child_index(text.parent, text)
            text.parent[index : index + 1] = pieces
            last = mark
        offset += len(content)
    if last is None:
        return
    label = f"{KIND_LABELS[ann.kind]} on ‘{ann.quote.exact}’"
    anchor: nodes.Node = last
    while isinstance(anchor.parent, annotation_mark) and anchor.parent.children[-1] is anchor:
        anchor = anchor.parent
    anchor.parent.insert(
        child_index(anchor.parent, anchor) + 1, annotation_ref(annotation=ann.id, kind=ann.kind, label=label)
    )


WORDS = "Between 1936 and 1940 Trotsky changed his description of the bureaucracy."


def paragraph() -> nodes.paragraph:
    document = new_document("test", get_default_settings(Parser))
    para = nodes.paragraph("", "")
    para += nodes.Text(WORDS[:20])
    para += nodes.emphasis("", WORDS[20:40])
    para += nodes.Text(WORDS[40:])
    document += para
    return para


def gloss(index: int) -> Annotation:
    data = {"id": f"gloss-{index}", "kind": "gloss", "target": {"paragraph": "p1", "quote": "words"}}
    return Annotation(f"g{index}.yaml", Located(data, {}))


def marks_at(para: nodes.paragraph) -> list[list[str]]:
    """For each character of the paragraph, the annotations whose marks hold it."""
    places: list[list[str]] = []
    for text in para.findall(nodes.Text):
        around, node = [], text.parent
        while node is not para:
            if isinstance(node, annotation_mark):
                around.append(node["annotation"])
            node = node.parent
        places.extend([around] * len(text))
    return places


@settings(max_examples=examples(300), deadline=None)
@example(spans=[(23, 30), (31, 30), (54, 6), (54, 7)])  # two " " in one mark: the second is not the first
@example(spans=[(0, 1)] * 9)  # the ninth on the same words is not marked
@given(spans=st.lists(st.tuples(st.integers(0, len(WORDS)), st.integers(1, 30)), max_size=12))
def test_marking_in_one_pass_makes_the_same_tree(spans: list[tuple[int, int]]) -> None:
    one_pass, reference = paragraph(), paragraph()
    words = _Words(one_pass)
    marked: dict[str, set[int]] = {}
    for index, (start, length) in enumerate(spans):
        end = min(len(WORDS), start + length)
        if start >= end:
            continue
        _mark(words, gloss(index), [Match(start, end, 0)])
        walk_and_mark(reference, gloss(index), start, end)
        marked[f"gloss-{index}"] = set(range(start, end))
    assert one_pass.pformat() == reference.pformat()
    # Both against the words themselves: each annotation marks the places of its own span, all
    # but those already marked MAX_NESTED_MARKS deep by earlier ones.
    assert one_pass.astext() == WORDS
    held = marks_at(one_pass)
    for ann, span in marked.items():
        full = {place for place in span if len(held[place]) >= MAX_NESTED_MARKS and ann not in held[place]}
        assert {place for place in span if ann in held[place]} == span - full, ann


def test_two_hundred_marks_on_the_same_words_make_the_same_tree() -> None:
    one_pass, reference = paragraph(), paragraph()
    words = _Words(one_pass)
    for index in range(200):
        _mark(words, gloss(index), [Match(22, 37, 0)])
        walk_and_mark(reference, gloss(index), 22, 37)
    assert one_pass.pformat() == reference.pformat()


@pytest.mark.parametrize(
    ("quote", "orphan", "expected"),
    [
        ("Trotsky changed his description", "The words were cut.", ["is marked as an orphan but attaches"]),
        ("Trotsky changd his descripton", "The words were cut.", []),  # near, but an orphan is never attached
        ("Trotsky changd his descripton", None, ["attached to the nearest words"]),
    ],
)
def test_an_acknowledged_orphan_is_looked_for_exactly(quote: str, orphan: str | None, expected: list[str]) -> None:
    data: dict[str, object] = {"id": "gloss-x", "kind": "gloss", "target": {"paragraph": "p1", "quote": quote}}
    if orphan:
        data["orphan"] = orphan
    problems = check_target(Annotation("g.yaml", Located(data, {})), TextModel({"p1": WORDS}))
    assert len(problems) == len(expected)
    assert all(wanted in problem.message for wanted, problem in zip(expected, problems, strict=True))
