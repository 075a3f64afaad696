"""edition.exports.bitap gives diff-match-patch's answers: those of its Python port (on texts
hypothesis makes up) and of the JavaScript library that dom-anchor-text-quote itself calls."""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import pytest
from diff_match_patch import diff_match_patch
from hypothesis import given, settings
from hypothesis import strategies as st

from browser_support import NODE_MODULES, require_browser
from conftest import examples
from edition.exports.bitap import match_main

ALPHABET = "ab c"  # few letters: many near matches, which is where the search is subtle


def library(text: str, pattern: str, loc: int, distance: int) -> int:
    dmp = diff_match_patch()
    dmp.Match_Distance = distance
    return int(dmp.match_main(text, pattern, loc))


@st.composite
def searches(draw: st.DrawFn) -> tuple[str, str, int, int]:
    text = draw(st.text(ALPHABET, max_size=300))
    if text and draw(st.booleans()):  # a piece of the text, perhaps with a few slips
        i = draw(st.integers(0, len(text) - 1))
        pattern = list(text[i : i + draw(st.integers(1, 32))])
        for _ in range(draw(st.integers(0, 4))):
            pattern[draw(st.integers(0, len(pattern) - 1))] = draw(st.sampled_from(ALPHABET + "x"))
        pattern_text = "".join(pattern)
    else:
        pattern_text = draw(st.text(ALPHABET + "x", min_size=1, max_size=32))
    loc = draw(st.integers(-3, len(text) + 3))
    distance = draw(st.sampled_from([0, 1, 10, 64, 1000, 2 * len(text)]))
    return text, pattern_text, loc, distance


@settings(max_examples=examples(1500), deadline=None)
@given(searches())
def test_the_same_answer_as_the_python_library(search: tuple[str, str, int, int]) -> None:
    assert match_main(*search) == library(*search)


@pytest.mark.parametrize(
    ("text", "pattern", "loc", "distance", "expected"),
    [
        ("abc12345678901234567890abbc", "abc", 26, 1000, 0),  # the library's own example: exact and far
        ("abc12345678901234567890abbc", "abc", 26, 10, 25),  # ... or, nearby, "bbc" with one slip
        ("", "abc", 0, 1000, -1),
        ("abc", "abc", 2, 1000, 0),
        ("abcdef", "cd", 2, 1000, 2),  # where it was expected
        ("abcdef", "xyz", 3, 1000, -1),
    ],
)
def test_known_answers(text: str, pattern: str, loc: int, distance: int, expected: int) -> None:
    assert match_main(text, pattern, loc, distance) == expected == library(text, pattern, loc, distance)


def test_the_same_answer_as_the_javascript_library() -> None:
    """The npm diff-match-patch that dom-anchor-text-quote calls, run by Node on 3,000 searches."""
    require_browser()
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed for the browser tests"
    rng = random.Random(20261126)
    cases = []
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 400)))
        if text and rng.random() < 0.6:
            i = rng.randrange(len(text))
            piece = list(text[i : i + rng.randrange(1, 33)])
            for _ in range(rng.randrange(0, 5)):
                piece[rng.randrange(len(piece))] = rng.choice(ALPHABET + "x")
            pattern = "".join(piece)
        else:
            pattern = "".join(rng.choice(ALPHABET + "x") for _ in range(rng.randrange(1, 33)))
        loc = rng.randrange(-3, len(text) + 4)
        distance = rng.choice([0, 1, 10, 64, 1000, 2 * len(text)])
        cases.append([text, pattern, loc, distance])
    script = (
        f"const DMP = require({json.dumps(str(NODE_MODULES / 'diff-match-patch'))});"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(([text, pattern, loc, distance]) => {"
        "  const dmp = new DMP(); dmp.Match_Distance = distance; return dmp.match_main(text, pattern, loc); })));"
    )
    result = subprocess.run([node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True)
    javascript = json.loads(result.stdout)
    ours = [match_main(*case) for case in cases]
    different = [(case, js, py) for case, js, py in zip(cases, javascript, ours, strict=True) if js != py]
    assert different == []
