"""Nothing named goes unexplained: the scan (a table of sentences), the list's checks against
the text and the glosses (located messages), and the edition's own list, report and page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Built, build, copy_project
from edition.annotation.loading import load_annotations
from edition.annotation.names import check_names, explained, load_names, occurrences, read_names, scan
from edition.annotation.targets import edition_text

SCAN = [
    ("a name mid-sentence", "As Leon Trotsky wrote.", ["Leon Trotsky"]),
    ("a possessive", "It was Trotsky's view.", ["Trotsky"]),
    ("particles join a name", "Ludwig von Mises's criticism, and Marcel van der Linden's account.",
     ["Ludwig von Mises", "Marcel van der Linden", "criticism"]),
    ("an opening word in lower case elsewhere is dropped", "Besides The State in Capitalist Society, besides.",
     ["The State in Capitalist Society"]),
    ("a common opening word is dropped", "In The Revolution Betrayed.", ["The Revolution Betrayed"]),
    ("an opening word capitalised only there is no name", "Today, we argue. We argue today.", []),
    ("an opening name capitalised elsewhere counts", "Poulantzas criticised him. He answered Poulantzas.",
     ["Poulantzas"]),
    ("an acronym opening a sentence counts", "USSR bureaucrats ruled.", ["USSR"]),
    ("a letter alone is no name", "As I said. I think so.", []),
    ("after a closing quotation mark, a new sentence", "'in a bureau...' Today, we do. We do today.", []),
    ("after an opening quotation mark, a quotation", "He wrote: 'The regime had become total'. Then the regime fell.",
     []),
    ("a bracketed opening", "the work [And] more. and so", []),
    ("'and' does not join two names", "Joseph Carter and James Burnham", ["James Burnham", "Joseph Carter"]),
    ("initials", "Raya Dunayevskaya and C L R James argued.", ["C L R James", "Raya Dunayevskaya"]),
    ("a capitalised title in double quotes", 'my article ("The USSR in War") of the "bureaucratic collectivism"',
     ["The USSR in War", "USSR in War", "collectivism"]),
    ("a long quotation is no title", '"They promise the blessings of the Garden of Eden, but they plan" it',
     ["Garden of Eden"]),
    ("words in -ism, in any case", "bureaucratism and state-ism", ["bureaucratism", "state-ism"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "found"), SCAN, ids=[c[0] for c in SCAN])
def test_scan_table(name: str, text: str, found: list[str]) -> None:
    assert sorted(scan({"p1": text})) == sorted(found)


def test_a_listed_name_is_masked_and_hides_no_other() -> None:
    text = {"p1": "In The Revolution Betrayed Trotsky came to the brink, and Shachtman later."}
    assert sorted(scan(text)) == ["Shachtman", "The Revolution Betrayed Trotsky"]
    assert sorted(scan(text, ["The Revolution Betrayed", "Trotsky"])) == ["Shachtman"]
    assert scan(text, ["The Revolution Betrayed", "Trotsky", "Shachtman"]) == {}


@pytest.mark.parametrize(
    ("words", "where"),
    [
        ("Trotsky", ["p1", "p2"]),  # whole words, a possessive allowed
        ("Stalin", ["p2"]),  # not inside Stalinist or anti-Stalin
        ("Thermidor", ["p2"]),  # in quotation marks
        ("war communist", []),  # the words as they stand, case and all
    ],
)
def test_occurrences_are_whole_words(words: str, where: list[str]) -> None:
    paragraphs = {
        "p1": "Trotsky's view, the Stalinist regime, anti-Stalin Marxists.",
        "p2": "Trotsky, Stalin: a 'Thermidor'.",
    }
    assert occurrences(words, paragraphs) == where


TEXT = {"p1": "Leon Trotsky wrote of the Soviet Thermidor.", "p2": "Trotsky and Red Army men in September."}
GOOD = """\
names:
  - {words: [Leon Trotsky, Trotsky], category: person, glosses: [gloss-trotsky]}
  - {words: [Soviet], category: place}
  - {words: [Thermidor], category: term, left: Explained by the essay.}
  - words: [Red Army]
    category: organisation
not_names: [September]
"""
GLOSS = """\
schema: 2
id: gloss-trotsky
kind: gloss
target: {paragraph: p1, quote: Leon Trotsky}
category: person
headword: Trotsky
body: A revolutionary.
basis: A fixture.
confidence: inferred
author: {name: E}
date: 2026-11-25
"""

CHECKS = [
    ("a good list", GOOD, []),
    (
        "words that no longer stand in the text",
        GOOD.replace("[Red Army]", "[Red Guard]"),
        [
            "names.yaml:5:13: 'Red Guard' no longer stands in the essay: correct the words, or remove them from "
            "the list [edition.names]",
            "names.yaml:2:3: the essay names 'Red Army' (¶ p2), which names.yaml does not list: add it with its "
            "glosses or 'left: <reason>', or under not_names if it names nothing [edition.names]",
        ],
    ),
    (
        "a gloss that does not exist",
        GOOD.replace("glosses: [gloss-trotsky]", "glosses: [gloss-trotzky]"),
        ["names.yaml:2:66: annotation 'gloss-trotzky' does not exist [edition.ref]"],
    ),
    (
        "words listed twice",
        GOOD.replace("[Soviet]", "[Soviet, Trotsky]"),
        ["names.yaml:3:22: 'Trotsky' is listed twice (also in entry 1) [edition.names]"],
    ),
    (
        "a stale not_names word",
        GOOD.replace("[September]", "[September, October]"),
        ["names.yaml:7:24: 'October' no longer stands in the essay: remove it from not_names [edition.names]"],
    ),
    (
        "a name the list lacks",
        GOOD.replace("  - {words: [Soviet], category: place}\n", ""),
        [
            "names.yaml:2:3: the essay names 'Soviet' (¶ p1), which names.yaml does not list: add it with its "
            "glosses or 'left: <reason>', or under not_names if it names nothing [edition.names]"
        ],
    ),
]


@pytest.fixture
def glosses(tmp_path: Path) -> list:  # type: ignore[type-arg]
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "gloss-trotsky.yaml").write_text(GLOSS)
    annotations, problems = load_annotations(tmp_path / "annotations", tmp_path)
    assert problems == []
    return annotations


@pytest.mark.parametrize(("name", "text", "expected"), CHECKS, ids=[c[0] for c in CHECKS])
def test_check_table(glosses: list, name: str, text: str, expected: list[str]) -> None:  # type: ignore[type-arg]
    names, problems = load_names(text.encode(), "names.yaml")
    assert problems == []
    assert [str(p) for p in check_names(names, TEXT, glosses)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("names: [{words: [X], category: hero}]\n", "names.yaml:1:32: names.0.category: 'hero' is not one of"),
        (
            "names: [{words: [X], category: term, glosses: [g], left: r}]\n",
            "names.yaml:1:9: names.0: give either 'glosses' or 'left', not both",
        ),
        ("names: [{words: [], category: term}]\n", "names.yaml:1:17: names.0.words: [] should be non-empty"),
        ("nams: []\n", "names.yaml:1:1: the file: 'names' is a required property"),
        ("names: [&a x, *a]\n", "names.yaml:1:9: anchors and aliases"),
    ],
)
def test_a_malformed_list_says_where(text: str, expected: str) -> None:
    _, problems = load_names(text.encode(), "names.yaml")
    assert str(problems[0]).startswith(expected), problems


def test_what_is_explained_and_what_is_not(glosses: list) -> None:  # type: ignore[type-arg]
    names, _ = load_names(GOOD.encode(), "names.yaml")
    report = explained(names, TEXT, glosses)
    assert [n.shown for n in report.glossed] == ["Leon Trotsky"]
    assert [n.shown for n in report.left] == ["Thermidor"]
    assert [(n.shown, where, quoting) for n, where, quoting in report.unexplained] == [
        ("Soviet", ["p1"], []),
        ("Red Army", ["p2"], []),
    ]
    assert report.unlisted == []


# --- the edition's own list ---


def test_the_edition_lists_every_name_the_scan_finds_and_every_listed_word_stands() -> None:
    names, problems = read_names(ROOT)
    assert problems == [] and names is not None
    annotations, _ = load_annotations(ROOT / "annotations", ROOT)
    assert [str(p) for p in check_names(names, edition_text(ROOT).paragraphs, annotations)] == []


def test_check_fails_loudly_where_a_listed_name_no_longer_stands(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    path = project / "source_texts" / "names.yaml"
    path.write_text(path.read_text().replace("[Tony Cliff]", "[Tony Cliffe]"))
    result = subprocess.run([sys.executable, "build_edition.py", "check"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    assert "'Tony Cliffe' no longer stands in the essay" in result.stdout
    assert "the essay names 'Tony Cliff' (¶ p9)" in result.stdout
    report = subprocess.run([sys.executable, "build_edition.py", "report"], cwd=project, capture_output=True, text=True)
    assert report.returncode == 1 and "names: source_texts/names.yaml:" in report.stdout
    built = build(project, project / "docs", project / "_build" / "html")
    assert "'Tony Cliffe' no longer stands in the essay" in built.warnings and "[edition.names]" in built.warnings


def test_the_report_and_the_about_page_list_the_names_not_yet_explained(edition_site: Built) -> None:
    out = subprocess.run(
        [sys.executable, "build_edition.py", "report"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    names, _ = read_names(ROOT)
    assert names is not None
    unexplained = [n for n in names.names if not n.glosses and not n.left]
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert f"… not yet explained {len(unexplained)}" in lines
    listed = [line for line in out.splitlines() if line.startswith("unexplained name: ")]
    assert len(listed) == len(unexplained)
    about = edition_site.html("about.html")
    if unexplained:
        table = about[about.index('<table class="edition-report-names') :]
        first = unexplained[0]
        assert f"<td><p>{first.shown}</p></td>\n<td><p>{first.category}</p></td>" in table
