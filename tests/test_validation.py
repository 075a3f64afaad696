"""Validation of annotation files: a table of inputs and the located message each must produce."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from edition.annotation.checks import check_all
from edition.annotation.loading import load_annotations
from edition.annotation.targets import TextModel

TEXT = TextModel(
    paragraphs={
        "p1": "The Soviet Thermidor came, said Trotsky, and Thermidor again.",
        "p2": "He had been been concerned about the bureaucracy.",
    },
    notes={1, 2},
    superseded={"p9": "retired", "p8": "alias"},
    redirects={"p8": "p1"},
)
BIB = {"trotsky1937revolution"}

GOOD = """\
schema: 2
id: {id}
kind: gloss
target:
  paragraph: p1
  quote: Trotsky
category: person
headword: Trotsky, Leon
body: A Russian revolutionary.
basis: A fixture.
confidence: verified
author:
  name: The editors
date: 2026-11-25
"""


def problems_for(tmp_path: Path, text: str | bytes, name: str = "case") -> list[str]:
    folder = tmp_path / "annotations"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    if isinstance(text, str):
        text = text.replace("{id}", name).encode("utf-8")
    path.write_bytes(text)
    annotations, problems = load_annotations(folder, tmp_path)
    problems += check_all(annotations, TEXT, BIB)
    return [str(p) for p in sorted(problems)]


VARIANT = """\
schema: 2
id: {id}
kind: variant
target:
  paragraph: p2
  quote: been been
reading: had been
sources: [trotsky1937revolution]
locator: chapter 5
body: The translation seen reads otherwise.
basis: Chapter 5 of the translation, seen.
confidence: verified-in-translation
author:
  name: The editors
date: 2026-11-25
"""
V1 = GOOD.replace("schema: 2", "schema: 1")
OUTDATED = (
    "annotations/case.yaml:1:9: format version 1: run `python build_edition.py migrate annotations/case.yaml` "
    "to rewrite it as version 2 [edition.outdated]"
)

CASES = [
    ("a valid gloss", GOOD, []),
    (
        "quote not found",
        GOOD.replace("quote: Trotsky", "quote: Bukharin"),
        ['annotations/case.yaml:6:10: quote "Bukharin" not found in ¶ p1 [edition.anchor]'],
    ),
    (
        "quote found approximately",
        GOOD.replace("quote: Trotsky", "quote: said Trotzky"),
        [
            'annotations/case.yaml:6:10: quote "said Trotzky" attached to the nearest words "said Trotsky" '
            "(1 edit(s)) in ¶ p1; update the quote [edition.fuzzy]"
        ],
    ),
    (
        "quote found approximately twice",
        GOOD.replace("quote: Trotsky", "quote: Thermidr"),
        [
            'annotations/case.yaml:6:10: quote "Thermidr" nearly matches 2 times in ¶ p1; '
            "add a prefix or suffix to choose one [edition.anchor]"
        ],
    ),
    (
        "a retired paragraph makes an orphan",
        GOOD.replace("paragraph: p1", "paragraph: p9"),
        [
            "annotations/case.yaml:5:14: annotation case is an orphan: paragraph p9 was retired; "
            "retarget it, or acknowledge it with 'orphan: <reason>' [edition.orphan]"
        ],
    ),
    (
        "an acknowledged orphan passes",
        GOOD.replace("paragraph: p1", "paragraph: p9").replace("date:", "orphan: The passage was cut in 1.1.\ndate:"),
        [],
    ),
    (
        "an alias leads to its survivor",
        GOOD.replace("paragraph: p1", "paragraph: p8"),
        [],
    ),
    (
        "an orphan mark on an annotation that attaches",
        GOOD.replace("date:", "orphan: Not really.\ndate:"),
        ["annotations/case.yaml:14:9: annotation case is marked as an orphan but attaches; remove 'orphan'"],
    ),
    (
        "quote found twice",
        GOOD.replace("quote: Trotsky", "quote: Thermidor"),
        [
            'annotations/case.yaml:6:10: quote "Thermidor" occurs 2 times in ¶ p1; '
            "add a prefix or suffix to choose one [edition.anchor]"
        ],
    ),
    ("quote disambiguated by a prefix", GOOD.replace("quote: Trotsky", "quote: Thermidor\n  prefix: Soviet"), []),
    (
        "paragraph missing",
        GOOD.replace("paragraph: p1", "paragraph: p7"),
        ["annotations/case.yaml:5:14: paragraph p7 does not exist [edition.anchor]"],
    ),
    (
        "missing field",
        GOOD.replace("headword: Trotsky, Leon\n", ""),
        ["annotations/case.yaml:1:1: the file: missing required field 'headword' [edition.schema]"],
    ),
    (
        "unknown field",
        GOOD.replace("date: 2026-11-25", "date: 2026-11-25\ncolour: red"),
        ["annotations/case.yaml:15:1: unknown field 'colour'; allowed: author, basis, body,"],
    ),
    (
        "misspelt field, at its place, told once",
        GOOD.replace("headword: Trotsky", "hedword: Trotsky"),
        [
            "annotations/case.yaml:8:1: unknown field 'hedword': did you mean 'headword'? "
            "('headword' is required and missing) [edition.schema]"
        ],
    ),
    (
        "wrong kind",
        GOOD.replace("kind: gloss", "kind: glos"),
        [
            "annotations/case.yaml:3:7: kind: 'glos' is not one of gloss, note, crossref, emendation, variant, "
            "commentary"
        ],
    ),
    (
        "wrong type",
        GOOD.replace("body: A Russian revolutionary.", "body: [a, list]"),
        ["annotations/case.yaml:9:7: body must be of type string, not list [edition.schema]"],
    ),
    (
        "bad date",
        GOOD.replace("date: 2026-11-25", "date: 25 Nov 2026"),
        ["annotations/case.yaml:14:7: date: '25 Nov 2026' is not of the expected form"],
    ),
    (
        "bad confidence",
        GOOD.replace("confidence: verified", "confidence: sure"),
        [
            "annotations/case.yaml:11:13: confidence: 'sure' is not one of verified, verified-in-translation, "
            "secondary, inferred, not-identified"
        ],
    ),
    ("each grade of version 2", GOOD.replace("confidence: verified", "confidence: verified-in-translation"), []),
    ("a secondary gloss", GOOD.replace("confidence: verified", "confidence: secondary"), []),
    ("a valid variant", VARIANT, []),
    ("a variant where the source lacks the words", VARIANT.replace("reading: had been", 'reading: ""'), []),
    (
        "a variant without its source",
        VARIANT.replace("sources: [trotsky1937revolution]\n", ""),
        ["annotations/case.yaml:1:1: the file: missing required field 'sources' [edition.schema]"],
    ),
    (
        "a variant with an empty list of sources",
        VARIANT.replace("sources: [trotsky1937revolution]", "sources: []"),
        ["annotations/case.yaml:8:10: sources: [] should be non-empty [edition.schema]"],
    ),
    (
        "a variant's source not in the bibliography",
        VARIANT.replace("sources: [trotsky1937revolution]", "sources: [nokey]"),
        ["annotations/case.yaml:8:11: bibliography key 'nokey' is not in bibliography.bib [edition.ref]"],
    ),
    (
        "a variant records a reading that was seen",
        VARIANT.replace("confidence: verified-in-translation", "confidence: inferred"),
        [
            "annotations/case.yaml:12:13: confidence: 'inferred' is not one of verified, verified-in-translation, "
            "secondary [edition.schema]"
        ],
    ),
    (
        "a variant targets words, not a note",
        VARIANT.replace("  paragraph: p2\n  quote: been been", "  note: 1"),
        ["annotations/case.yaml:5:3: target: missing required field 'paragraph' [edition.schema]"],
    ),
    (
        "a locator belongs to a variant",
        GOOD.replace("confidence: verified", "confidence: verified\nlocator: p. 5"),
        ["annotations/case.yaml:1:1: a gloss annotation may not have 'locator' [edition.schema]"],
    ),
    (
        "id differs from the file name",
        GOOD.replace("id: {id}", "id: other"),
        ["annotations/case.yaml:2:5: id 'other' must match the file name 'case' [edition.schema]"],
    ),
    (
        "category on a commentary",
        GOOD.replace("kind: gloss", "kind: commentary"),
        ["annotations/case.yaml:1:1: a commentary annotation may not have 'category', 'headword' [edition.schema]"],
    ),
    (
        "unknown bibliography key",
        GOOD.replace("confidence: verified", "confidence: verified\nsources: [nokey]"),
        ["annotations/case.yaml:12:11: bibliography key 'nokey' is not in bibliography.bib [edition.ref]"],
    ),
    (
        "unknown key in the body",
        GOOD.replace("body: A Russian revolutionary.", "body: |\n  Line one.\n  See {cite:p}`nokey`."),
        ["annotations/case.yaml:11:3: body: bibliography key 'nokey' does not exist [edition.ref]"],
    ),
    (
        "paragraph reference to nowhere",
        GOOD.replace("body: A Russian revolutionary.", "body: See {para}`p44`."),
        ["annotations/case.yaml:9:7: body: paragraph 'p44' does not exist [edition.ref]"],
    ),
    (
        "note that does not exist",
        """schema: 2\nid: {id}\nkind: note\ntarget:\n  note: 41\nbody: x\nbasis: y\nconfidence: inferred\n"""
        """author:\n  name: E\ndate: 2026-11-25\n""",
        ["annotations/case.yaml:5:9: note 41 does not exist in the text [edition.anchor]"],
    ),
    (
        "note without basis",
        """schema: 2\nid: {id}\nkind: note\ntarget:\n  note: 1\nbody: x\n"""
        """author:\n  name: E\ndate: 2026-11-25\n""",
        [
            "annotations/case.yaml:1:1: the file: missing required field 'basis' [edition.schema]",
            "annotations/case.yaml:1:1: the file: missing required field 'confidence' [edition.schema]",
        ],
    ),
    (
        "crossref to a missing paragraph",
        """schema: 2\nid: {id}\nkind: crossref\ntarget:\n  paragraph: p2\n  quote: the bureaucracy\n"""
        """refers_to:\n  paragraph: p8\nbody: x\nauthor:\n  name: E\ndate: 2026-11-25\n""",
        ["annotations/case.yaml:8:14: paragraph p8 does not exist [edition.ref]"],
    ),
    (
        "crossref to a missing annotation",
        """schema: 2\nid: {id}\nkind: crossref\ntarget:\n  paragraph: p2\n  quote: the bureaucracy\n"""
        """refers_to:\n  annotation: gloss-nobody\nbody: x\nauthor:\n  name: E\ndate: 2026-11-25\n""",
        ["annotations/case.yaml:8:15: annotation 'gloss-nobody' does not exist [edition.ref]"],
    ),
    (
        "bad orcid",
        GOOD.replace("name: The editors", "name: The editors\n  orcid: 0000-0002-1825-009"),
        ["annotations/case.yaml:14:10: author.orcid: '0000-0002-1825-009' is not of the expected form"],
    ),
    (
        "tabs are not YAML",
        GOOD.replace("  name: The editors", "\tname: The editors"),
        ["annotations/case.yaml:13:1: not valid YAML: a tab was found here: indent with spaces only"],
    ),
    ("version 1 is read, with a warning that says how to migrate", V1, [OUTDATED]),
    (
        "version 1 is read and checked as version 2",
        V1.replace("quote: Trotsky", "quote: Bukharin"),
        [OUTDATED, 'annotations/case.yaml:6:10: quote "Bukharin" not found in ¶ p1 [edition.anchor]'],
    ),
    (
        "a value new in version 2 in a version 1 file",
        V1.replace("confidence: verified", "confidence: secondary"),
        [
            OUTDATED,
            "annotations/case.yaml:11:13: confidence 'secondary' is new in format version 2: set 'schema: 2' "
            "[edition.schema]",
        ],
    ),
    (
        "a variant in a version 1 file",
        VARIANT.replace("schema: 2", "schema: 1"),
        [
            OUTDATED,
            "annotations/case.yaml:3:7: kind 'variant' is new in format version 2: set 'schema: 2' [edition.schema]",
            "annotations/case.yaml:9:10: the field 'locator' is new in format version 2: set 'schema: 2'",
            "annotations/case.yaml:12:13: confidence 'verified-in-translation' is new in format version 2",
        ],
    ),
    (
        "a version that does not exist",
        GOOD.replace("schema: 2", "schema: 3"),
        ["annotations/case.yaml:1:9: schema must be 2"],
    ),
    (
        "a version that is not a number",
        GOOD.replace("schema: 2", "schema: true"),
        ["annotations/case.yaml:1:9: schema must be 2"],
    ),
    ("not a mapping", "- a\n- b\n", ["annotations/case.yaml:1:1: an annotation file holds one mapping"]),
    ("empty file", "", ["annotations/case.yaml:1:1: an annotation file holds one mapping"]),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_validation_table(tmp_path: Path, name: str, text: str, expected: list[str]) -> None:
    got = problems_for(tmp_path, text)
    assert len(got) == len(expected), got
    for line, want in zip(got, expected, strict=True):
        assert line.startswith(want), line


def test_every_problem_of_a_run_is_reported(tmp_path: Path) -> None:
    problems_for(tmp_path, GOOD.replace("quote: Trotsky", "quote: Nobody"), "one")
    problems_for(tmp_path, GOOD.replace("kind: gloss", "kind: nope"), "two")
    got = problems_for(tmp_path, GOOD.replace("paragraph: p1", "paragraph: p5"), "three")
    assert [g.split(":")[0] for g in got] == ["annotations/one.yaml", "annotations/three.yaml", "annotations/two.yaml"]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    folder = tmp_path / "annotations" / "sub"
    folder.mkdir(parents=True)
    (folder / "case.yaml").write_text(GOOD.replace("{id}", "case"), encoding="utf-8")
    got = problems_for(tmp_path, GOOD, "case")
    assert got == [
        "annotations/sub/case.yaml:2:5: id 'case' is also used by annotations/case.yaml [edition.schema]",
        "annotations/sub/case.yaml:6:10: duplicates annotations/case.yaml ('Trotsky, Leon'), a gloss of the same "
        "words: add to that annotation, or annotate other words [edition.duplicate]",
    ]


def test_yml_extension_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "annotations"
    folder.mkdir()
    (folder / "x.yml").write_text(GOOD, encoding="utf-8")
    _, problems = load_annotations(folder, tmp_path)
    assert [str(p) for p in problems] == [
        "annotations/x.yml:1:1: name annotation files *.yaml, not *.yml [edition.schema]"
    ]


def test_files_load_in_path_order_through_nested_folders_and_every_other_file_is_reported(tmp_path: Path) -> None:
    """Path order compares folder names part by part ("a/…" before "a-c"), unlike plain
    string order; a linked folder is not entered but named, and so is every file that is
    not an annotation: nothing is skipped in silence."""
    folder = tmp_path / "annotations"
    for relative in ("a-c.yaml", "a/b.yaml", "a/z/y.yaml", "c.yaml", "notes.txt", ".yaml"):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOOD.replace("{id}", path.stem), encoding="utf-8")
    (folder / "linked").symlink_to(folder / "a", target_is_directory=True)
    annotations, problems = load_annotations(folder, tmp_path)
    assert [a.path for a in annotations] == [
        "annotations/a/b.yaml",
        "annotations/a/z/y.yaml",
        "annotations/a-c.yaml",
        "annotations/c.yaml",
    ]
    assert [str(p) for p in problems] == [
        "annotations/.yaml:1:1: annotations/ holds only annotation files (<id>.yaml): move or remove .yaml "
        "[edition.schema]",
        "annotations/linked:1:1: a symbolic link is not an annotation: commit the file itself (links are not "
        "followed) [edition.unsafe]",
        "annotations/notes.txt:1:1: annotations/ holds only annotation files (<id>.yaml): move or remove notes.txt "
        "[edition.schema]",
    ]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_fast_schema_check_agrees_with_jsonschema(
    tmp_path: Path, name: str, text: str, expected: list[str]
) -> None:
    """fastjsonschema answers "valid?" for speed; jsonschema explains failures: they must agree."""
    from edition.annotation.loading import _validator, schema_valid
    from edition.core.safeyaml import YamlProblem, load

    try:
        data = load(text.replace("{id}", "case").encode("utf-8")).data
    except YamlProblem:
        return
    assert schema_valid(data) == _validator().is_valid(data)


def _nested(levels: int) -> str:
    keys = "abcdefghijklmnop"
    return "".join(f"{' ' * i}{keys[i]}:\n" for i in range(levels - 1)) + f"{' ' * (levels - 1)}z: x\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_nested(8), None),  # block nesting: no flow, anchor or alias characters, so no event scan
        (_nested(9), (9, 9, "nested deeper than 8 levels")),
        ("a: [[[[[[[[[1]]]]]]]]]\n", (1, 11, "nested deeper than 8 levels")),  # flow: scanned first
        ("a: &x 1\nb: *x\n", (1, 4, "anchors and aliases (& and *) are not allowed")),
        ("a: AT&T and 2*3\n", None),  # the characters alone are fine: they only call for the scan
        ("a: On *emphasis* here\n", None),  # "*" calls for no scan: without "&" no alias composes
        ("a: *x\n", (1, 4, "not valid YAML: a value that begins with '*' is read as an alias")),
        ("a: b: c\n", (1, 5, "not valid YAML: this value holds ': '")),
        ("a: {b: c\n", (2, 1, "not valid YAML")),
    ],
)
def test_yaml_guards_with_and_without_the_event_scan(text: str, expected: tuple[int, int, str] | None) -> None:
    from edition.core.safeyaml import YamlProblem, load

    if expected is None:
        assert load(text.encode()).data
        return
    with pytest.raises(YamlProblem) as caught:
        load(text.encode())
    assert (caught.value.line, caught.value.column) == expected[:2]
    assert str(caught.value.message).startswith(expected[2])


def test_an_unchanged_file_is_neither_reread_nor_its_body_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import edition.annotation.model as model_module

    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "case.yaml").write_text(GOOD.replace("{id}", "case"), encoding="utf-8")
    cache: dict = {}
    first, _ = load_annotations(tmp_path / "annotations", tmp_path, cache)
    first[0].check_field("body")
    parsed: list[str] = []
    monkeypatch.setattr(model_module, "check_body", lambda text: parsed.append(text) or ((), ()))
    again, _ = load_annotations(tmp_path / "annotations", tmp_path, cache)
    assert again[0] is first[0]
    assert again[0].check_field("body") == first[0].checked["body"]
    assert parsed == []
    (tmp_path / "annotations" / "case.yaml").write_text(GOOD.replace("{id}", "case") + "\n", encoding="utf-8")
    changed, _ = load_annotations(tmp_path / "annotations", tmp_path, cache)
    assert changed[0] is not first[0]
    changed[0].check_field("body")
    assert len(parsed) == 1


def _bibtex_keys(content: str) -> list[str] | None:
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets

    try:
        return [target.key for target in parse_citation_targets(content)]
    except ValueError:
        return None


def _our_keys(content: str) -> list[str] | None:
    from edition.annotation.markup import citation_keys

    try:
        return citation_keys(content)
    except ValueError:
        return None


@pytest.mark.parametrize(
    "content", ["key", "a, b", "{see}a{p. 3}, b", " a , b ", "a b", "", ",", "a,", "{x}", "a{p}b", "a,,b", "{a}{b}c"]
)
def test_cite_keys_are_read_as_sphinxcontrib_bibtex_reads_them(content: str) -> None:
    """The format reads a {cite} role's keys without loading Sphinx: its copy of
    sphinxcontrib-bibtex's grammar must give the same keys, and refuse the same contents."""
    assert _our_keys(content) == _bibtex_keys(content)


@settings(max_examples=examples(500), deadline=None)
@given(st.text(alphabet="ab{}, p.\t", max_size=16))
def test_cite_keys_agree_with_sphinxcontrib_bibtex_on_any_content(content: str) -> None:
    assert _our_keys(content) == _bibtex_keys(content)


# Duplicates: the same kind on the same or overlapping words saying the same, or a note expanded twice.


def _annotation(ident: str, kind: str, quote: str, **fields: object) -> str:
    target = {"note": 1} if kind == "note" else {"paragraph": "p1", "quote": quote}
    data = {"schema": 2, "id": ident, "kind": kind, "target": target, **fields,
            "author": {"name": "A. Reader"}, "date": "2026-11-25"}  # fmt: skip
    return yaml.safe_dump(data, sort_keys=False)


GLOSS_FIELDS = {"category": "event", "body": "A gloss.", "basis": "A fixture.", "confidence": "inferred"}
ST, TC = "Soviet Thermidor", "Thermidor came"
DUPLICATES = [  # the first annotation, the second, whether the second duplicates the first
    (("gloss", ST, {"headword": "Thermidor"}), ("gloss", ST, {"headword": "Other"}), True),
    (("gloss", ST, {"headword": "Thermidor"}), ("gloss", TC, {"headword": "thermidor"}), True),
    (("gloss", ST, {"headword": "Thermidor"}), ("gloss", TC, {"headword": "The coming"}), False),
    (("gloss", ST, {"headword": "Thermidor"}), ("gloss", "said Trotsky", {"headword": "Thermidor"}), False),
    (("gloss", ST, {"headword": "Thermidor"}), ("commentary", ST, {"body": "A."}), False),
    (("commentary", ST, {"body": "A remark."}), ("commentary", ST, {"body": "Another."}), False),
    (("commentary", ST, {"body": "A remark."}), ("commentary", TC, {"body": "A  remark."}), True),
    (("crossref", ST, {"refers_to": {"paragraph": "p2"}, "body": "See."}),
     ("crossref", "Soviet", {"refers_to": {"paragraph": "p2"}, "body": "Also."}), True),
    (("crossref", ST, {"refers_to": {"paragraph": "p2"}, "body": "See."}),
     ("crossref", ST, {"refers_to": {"paragraph": "p1"}, "body": "See."}), False),
    (("note", "", {"body": "One.", "basis": "A.", "confidence": "inferred"}),
     ("note", "", {"body": "Two.", "basis": "B.", "confidence": "inferred"}), True),
]  # fmt: skip


@pytest.mark.parametrize(("first", "second", "duplicate"), DUPLICATES)
def test_an_annotation_that_duplicates_another_is_an_error(
    tmp_path: Path, first: tuple, second: tuple, duplicate: bool
) -> None:
    folder = tmp_path / "annotations"
    folder.mkdir()
    for ident, (kind, quote, fields) in (("a-first", first), ("b-second", second)):
        extra = {**GLOSS_FIELDS, **fields} if kind == "gloss" else fields
        (folder / f"{ident}.yaml").write_text(_annotation(ident, kind, quote, **extra), encoding="utf-8")
    annotations, problems = load_annotations(folder, tmp_path)
    assert problems == [] and len(annotations) == 2
    found = [p for p in check_all(annotations, TEXT, BIB) if p.type == "duplicate"]
    assert [p.path for p in found] == (["annotations/b-second.yaml"] if duplicate else [])
    if duplicate:
        assert "duplicates annotations/a-first.yaml" in found[0].message or "already expanded" in found[0].message


def test_git_is_asked_which_file_was_published_only_when_two_annotations_may_be_duplicates(tmp_path: Path) -> None:
    """The list of published files costs git calls: a check or build with no two annotations of a
    kind on one paragraph (or on one note) never asks for it; with a pair it asks once."""
    folder = tmp_path / "annotations"
    folder.mkdir()
    asked: list[int] = []

    def published() -> set[str]:
        asked.append(1)
        return {"annotations/b-second.yaml"}  # the second is published: the first is the newcomer

    (folder / "a-first.yaml").write_text(_annotation("a-first", "gloss", ST, headword="Thermidor", **GLOSS_FIELDS))
    (folder / "b-second.yaml").write_text(_annotation("b-second", "commentary", ST, body="A remark."))
    annotations, _ = load_annotations(folder, tmp_path)
    assert [p for p in check_all(annotations, TEXT, BIB, published) if p.type == "duplicate"] == [] and asked == []
    (folder / "b-second.yaml").write_text(_annotation("b-second", "gloss", ST, headword="Other", **GLOSS_FIELDS))
    annotations, _ = load_annotations(folder, tmp_path)
    found = [p for p in check_all(annotations, TEXT, BIB, published) if p.type == "duplicate"]
    assert asked == [1] and [p.path for p in found] == ["annotations/a-first.yaml"]
    assert "duplicates the published annotations/b-second.yaml" in found[0].message
