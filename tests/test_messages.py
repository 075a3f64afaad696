"""What a contributor is told, as tables: YAML advice, misspelt fields, raw HTML at its tag,
a file in another kind's folder, and which of two duplicates is the newcomer."""

from __future__ import annotations

import pytest

from edition.annotation.checks import established_first, find_words
from edition.annotation.loading import wrong_folder
from edition.annotation.markup import check_body
from edition.annotation.model import Annotation
from edition.core.misspelt import closest, unknown_field
from edition.core.safeyaml import Located, YamlProblem, load
from edition.core.yamladvice import tab_column

QUOTE_HOW = 'put the whole value in quotes, as in  quote: "…"'


@pytest.mark.parametrize(
    ("text", "line", "column", "advice"),
    [
        ("a: 1\n\tb: 2\n", 2, 1, "a tab was found here: indent with spaces only"),
        ("target:\n\tparagraph: p1\n", 2, 1, "a tab was found here"),  # "cannot start any token"
        ("target:\n  \tparagraph: p1\n", 2, 3, "a tab was found here"),  # at the tab, after the spaces
        ("body: |\n  x\n\ty\n", 3, 1, "a tab was found here"),
        ("target:\n  paragraph: p1\n    quote: x\n", 3, 10, "this line is indented more than the line before it"),
        ("quote: the words: here\n", 1, 17, f"this value holds ': ', which YAML reads as a new field: {QUOTE_HOW}"),
        ('a: "abc\nb: 2\n', 1, 4, "a quotation mark opens here and is never closed"),  # where it opens
        ("a: 1\nb\nc: 2\n", 2, 1, "this line is not 'field: value'"),  # the line without a colon
        ('a: "abc" def\nb: 1\n', 1, 10, "text follows a closing quotation mark"),
        ("author:\n    name: x\n  orcid: 1\n", 3, 3, "a line is indented otherwise than the fields beside it"),
        ("a: - 1\n", 1, 4, "a list cannot begin on its field's line"),
        ("a:\n  - 1\n - 2\n", 3, 2, "a line is indented otherwise"),
        ('a: "C:\\path"\n', 1, 7, "a backslash inside double quotes starts an escape"),
        ("a: @x\n", 1, 4, f"a value cannot begin with '@': {QUOTE_HOW}"),
        ("a: `x`\n", 1, 4, "a value cannot begin with '`'"),
        ("a: *x\n", 1, 4, "a value that begins with '*' is read as an alias"),
        ("a: {x\n", 2, 1, "a value that begins with '{' is read as a mapping"),
        ("a: [x\n", 2, 1, "a value that begins with '[' is read as a list"),
        ("body: |x\n", 1, 8, "nothing may follow '|' or '>' on its line"),
        ("- a\nb: 1\n", 2, 1, "the items of a list must line up"),
    ],
)
def test_yaml_errors_say_what_to_fix(text: str, line: int, column: int, advice: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        load(text.encode())
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.message.startswith("not valid YAML: ") and advice in caught.value.message
    assert "(the parser: " in caught.value.message  # its own words stay, to be looked up


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [("\tb: 2", 1, 1), ("  \tb", 3, 3), ("  b: x\ty", 1, 7), ("  b", 2, 2)],
)
def test_tab_column(line: str, column: int, expected: int) -> None:
    assert tab_column(line, column) == expected


@pytest.mark.parametrize(
    ("word", "missing", "expected"),
    [
        (
            "catgory",
            ["category"],
            "unknown field 'catgory': did you mean 'category'? ('category' is required and missing)",
        ),
        ("catgory", [], "unknown field 'catgory': did you mean 'category'?"),
        ("confidense", [], "unknown field 'confidense': did you mean 'confidence'?"),
        ("colour", [], "unknown field 'colour'; allowed: body, category, confidence, headword"),
    ],
)
def test_unknown_fields(word: str, missing: list[str], expected: str) -> None:
    assert unknown_field(word, ["headword", "category", "confidence", "body"], missing) == expected


@pytest.mark.parametrize(
    ("word", "expected"), [("qoute", "quote"), ("bdy", "body"), ("authr", "author"), ("notes", None), ("x", None)]
)
def test_closest(word: str, expected: str | None) -> None:
    assert closest(word, ["quote", "body", "author", "date", "kind", "note_id"]) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [  # (body line, snippet) of each problem: one per element, at its tag
        ("Text <script>alert(1)</script> more", [(0, "<script>")]),
        ('See <a href="javascript:x">here</a>.', [(0, '<a href="javascript:x">')]),
        ("<script>\nalert(1)\n</script>\n", [(0, "<script>")]),
        ("a\nb <b>x</b> <b>y</b>", [(1, "<b>"), (1, "<b>")]),
        ("x <!-- c --> y", [(0, "<!--")]),
        ("<div>\n<p>x</p>\n</div>", [(0, "<div>"), (1, "<p>")]),
        ("a stray </i> here", [(0, "</i>")]),
        ("Some <b onmouseover=alert(1)>bold</b> text", [(0, "<b onmouseover=alert(1)>")]),
    ],
)
def test_raw_html_is_told_once_per_tag(body: str, expected: list[tuple[int, str]]) -> None:
    assert [(p.line, p.snippet) for p in check_body(body)[0]] == expected


@pytest.mark.parametrize(
    ("lines", "words", "line", "after", "expected"),
    [
        (["body: |", "  <b>x</b> <b>y</b>"], "<b>", 2, None, (2, 3)),
        (["body: |", "  <b>x</b> <b>y</b>"], "<b>", 2, (2, 3), (2, 12)),
        (["body: |", "  a", "  <i>"], "<i>", 2, None, (3, 3)),
        (['body: "x <i>"'], "<i>", 1, None, (1, 10)),
        (["body: >", "  folded away"], "<i>", 2, None, None),
    ],
)
def test_find_words(
    lines: list[str], words: str, line: int, after: tuple[int, int] | None, expected: tuple[int, int] | None
) -> None:
    assert find_words(lines, words, line, after) == expected


@pytest.mark.parametrize(
    ("kind", "parts", "sorted_by_kind", "expected"),
    [
        ("gloss", ("glosses", "gloss-x.yaml"), True, ""),
        ("gloss", ("glosses", "people", "gloss-x.yaml"), True, ""),
        ("gloss", ("notes", "gloss-x.yaml"), True,
         "this file is a gloss (kind: gloss), which belongs in annotations/glosses/, not annotations/notes/"),
        ("note", ("glosses", "note-1.yaml"), True,
         "a note expansion (kind: note), which belongs in annotations/notes/, not annotations/glosses/"),
        ("crossref", ("commentary", "c.yaml"), True, "belongs in annotations/crossrefs/, not annotations/commentary/"),
        ("emendation", ("variants", "e.yaml"), True, "belongs in annotations/emendations/, not annotations/variants/"),
        ("variant", ("emendations", "v.yaml"), True, "belongs in annotations/variants/, not annotations/emendations/"),
        ("commentary", ("crossrefs", "c.yaml"), True, "belongs in annotations/commentary/, not annotations/crossrefs/"),
        ("gloss", ("misc", "gloss-x.yaml"), True, "belongs in annotations/glosses/, not annotations/misc/"),
        ("gloss", ("gloss-x.yaml",), True, "belongs in annotations/glosses/, not annotations/"),
        ("gloss", ("gloss-x.yaml",), False, ""),  # a folder not sorted by kind, as the test roots
        ("gloss", ("sub", "gloss-x.yaml"), False, ""),
    ],
)  # fmt: skip
def test_wrong_folder(kind: str, parts: tuple[str, ...], sorted_by_kind: bool, expected: str) -> None:
    told = wrong_folder(kind, "annotations", parts, sorted_by_kind)
    assert (expected in told and told.endswith(": move it there")) if expected else told == ""


def _ann(path: str) -> Annotation:
    ident = path.rsplit("/", 1)[-1].removesuffix(".yaml")
    return Annotation(path, Located({"id": ident, "kind": "gloss", "target": {}}, {}))


@pytest.mark.parametrize(
    ("paths", "published", "expected"),
    [  # the first named is the established one
        (["g/gloss-mises-b.yaml", "g/gloss-mises.yaml"], None, ["gloss-mises", "gloss-mises-b"]),  # not as names sort
        (["g/gloss-mises.yaml", "g/gloss-zz-mises.yaml"], None, ["gloss-mises", "gloss-zz-mises"]),
        (["g/gloss-a-mises.yaml", "g/gloss-mises.yaml"], None, ["gloss-a-mises", "gloss-mises"]),
        (["g/gloss-a-mises.yaml", "g/gloss-mises.yaml"], {"g/gloss-mises.yaml"}, ["gloss-mises", "gloss-a-mises"]),
        (["g/gloss-mises-b.yaml", "g/gloss-mises.yaml"], {"g/gloss-mises-b.yaml"}, ["gloss-mises-b", "gloss-mises"]),
        (["g/gloss-b.yaml", "g/gloss-a.yaml"], {"g/gloss-a.yaml", "g/gloss-b.yaml"}, ["gloss-a", "gloss-b"]),
    ],
)
def test_established_first(paths: list[str], published: set[str] | None, expected: list[str]) -> None:
    assert [ann.id for ann in established_first([_ann(p) for p in paths], published)] == expected
