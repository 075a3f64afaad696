"""The title block and the short labels of annotations: pure functions, tested by tables."""

from __future__ import annotations

import pytest

from edition.annotation.labels import Work, compact_label, note_head, plain_text, short_reference, shorten
from edition.core.titleblock import essay_title, italicise, long_date, person, split_title, title_lines
from edition.core.versions import EditionInfo, Release

ESSAY = {
    "author": {"family": "Thomas", "given": "Martin"},
    "title": "Four Missing Years: A Review of Trotsky and the Problem of Soviet Bureaucracy by Thomas M. Twiss",
    "journal": "Historical Materialism",
    "volume": "26",
    "year": 2018,
    "basis": "The first page of the advance PDF. Final issue, pages and DOI not verified.",
    "earlier_versions": [
        {"author": {"given": "Martin", "family": "Thomas"}, "description": "A review", "venue": "Solidarity",
         "issue": "414", "date": "2016-08-31", "page": "9", "basis": "The front page."},
        {"description": "Known only by name"},  # no venue: nothing to show on the title page
    ],
    "reviews": {
        "author": {"given": "Thomas M.", "family": "Twiss"},
        "title": "Trotsky and the Problem of Soviet Bureaucracy",
    },
}  # fmt: skip
INFO = EditionInfo("1.0", [Release("1.0", "2026-11-25", "First.")], "An Edition: Its Subtitle", "The editors", ESSAY)


def text(line: object) -> str:
    return "".join(span.text for span in line.spans)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("title", "parts"),
    [("Main: sub: more", ("Main", "sub: more")), ("No colon", ("No colon", "")), ("Time 10:30", ("Time 10:30", ""))],
)
def test_split_title(title: str, parts: tuple[str, str]) -> None:
    assert split_title(title) == parts


@pytest.mark.parametrize(
    ("value", "name"),
    [({"given": "Martin", "family": "Thomas"}, "Martin Thomas"), ({"family": "Twiss"}, "Twiss"), ("A B", "A B"),
     (None, "")],
)  # fmt: skip
def test_person(value: object, name: str) -> None:
    assert person(value) == name


@pytest.mark.parametrize(
    ("iso", "long"),
    [
        ("2026-11-25", "25 November 2026"),
        ("2016-08", "August 2016"),
        ("2026", "2026"),
        ("", ""),
        ("2016-13", "2016-13"),
        ("about 1940", "about 1940"),
    ],
)
def test_long_date(iso: str, long: str) -> None:
    assert long_date(iso) == long


def test_italicise_sets_the_works_title_in_italics() -> None:
    spans = italicise("A Review of Trotsky and the Problem by T", "Trotsky and the Problem")
    assert [(s.text, s.style) for s in spans] == [
        ("A Review of ", ""),
        ("Trotsky and the Problem", "title"),
        (" by T", ""),
    ]
    assert [s.text for s in italicise("No work named", "Absent")] == ["No work named"]


def test_the_title_page_gives_every_fact_the_file_gives() -> None:
    lines = {line.role: text(line) for line in title_lines(INFO, "essay", "index")}
    assert lines["essay"] == "Four Missing Years"
    assert lines["subtitle"] == "A Review of Trotsky and the Problem of Soviet Bureaucracy by Thomas M. Twiss"
    assert lines["author"] == "by Martin Thomas"
    assert lines["venue"] == "First published in Historical Materialism 26 (2018)."
    assert lines["basis"].startswith("The first page") and "not verified" in lines["basis"]  # folded on the page
    assert lines["earlier"] == (
        "An earlier review by the same author: Solidarity, no. 414, 31 August 2016, p. 9 (how this is known)."
    )
    assert lines["book"] == "The book reviewed: Thomas M. Twiss, Trotsky and the Problem of Soviet Bureaucracy."
    assert lines["edition"] == "Edited by the editors, version 1.0, 25 November 2026."
    links = [s for line in title_lines(INFO, "essay", "index") for s in line.spans if s.style == "link"]
    assert [(s.text, s.target) for s in links] == [
        ("how this is known", "about#the-essay-and-its-identification"),
        ("Read the essay", "essay"),
        ("Cite this edition", "#cite-this-edition"),
        ("Downloads", "about#the-edition-as-data"),  # the EPUB, the TEI and the other forms
    ]


def test_under_the_essays_heading_the_lines_are_few_and_link_to_the_title_page() -> None:
    lines = title_lines(INFO, "essay", "index", compact=True)
    assert [line.role for line in lines] == ["author", "venue", "edition", "actions"]  # the book is in the heading
    targets = [s.target for s in lines[-1].spans]
    assert targets == ["about#the-essay-and-its-identification", "index#cite-this-edition", "about#the-edition-as-data"]
    elsewhere = title_lines(INFO, "essay", "index", compact=True, with_title=True)  # under another heading
    assert [line.role for line in elsewhere][:4] == ["essay", "subtitle", "author", "venue"]
    assert "book" in [line.role for line in elsewhere]


def test_what_the_file_does_not_give_is_said_to_be_not_established() -> None:
    bare = EditionInfo("1.0", [Release("1.0", "", "")], "", "", {})
    lines = {line.role: text(line) for line in title_lines(bare, "essay", "index")}
    assert lines["essay"] == "Title not established"
    assert lines["author"] == "Author not established"
    assert lines["venue"] == "Where and when it first appeared: not established."
    assert lines["book"] == "The book reviewed: not established."
    assert lines["edition"] == "Edited by the editors, version 1.0."
    no_year = EditionInfo("1.0", [], "", "", {"journal": "J"})
    venue = next(line for line in title_lines(no_year, "e", "i") if line.role == "venue")
    assert text(venue) == "First published in J; the year is not established."
    assert essay_title(no_year) == ("Title not established", ())


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("Plain *emphasis* and **strong**.", "Plain emphasis and strong."),
        ("As the essay notes ({para}`p30`), a [link](https://example.org).", "As the essay notes (¶\u00a030), a link."),
        ("First paragraph.\n\nSecond paragraph.", "First paragraph."),
        ("Over\ntwo lines.", "Over two lines."),
        ("", ""),
    ],
)
def test_plain_text_of_a_body(markdown: str, words: str) -> None:
    assert plain_text(markdown) == words


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("The first sentence, long enough. And another one.", "The first sentence, long enough."),
        ("Short. The first is too short to stand alone.", "Short. The first is too short to stand alone."),
        ("word " * 40, ("word " * 28).strip() + " …"),
    ],
)  # fmt: skip
def test_shorten_keeps_the_first_sentence_or_cuts_at_a_word(text: str, short: str) -> None:
    assert shorten(text.strip() if text.endswith(" ") else text) == short


@pytest.mark.parametrize(
    ("kind", "data", "quote", "label"),
    [
        ("gloss", {"headword": "Thermidor (Soviet)", "body": "From 9 Thermidor."}, "Thermidor", "Thermidor (Soviet)"),
        ("emendation", {"reading": "been", "body": "Doubled."}, "been been", "read ‘been’ for ‘been been’"),
        ("crossref", {"body": "The same point as in {para}`p8`. More."}, "q", "The same point as in ¶\u00a08."),
        ("commentary", {"body": "In an *error* now tradition; Twiss."}, "q", "In an error now tradition;"),
    ],
)  # fmt: skip
def test_compact_label(kind: str, data: dict[str, str], quote: str, label: str) -> None:
    assert compact_label(kind, data, quote) == label


MISES = Work(["Mises"], "Bureaucracy", "1944", True)
ESSAY_WORK = Work(["Trotsky"], "The USSR in War", "1939", False)


def test_short_reference_italicises_books_and_quotes_other_titles() -> None:
    assert short_reference(MISES) == [("Mises, ", ""), ("Bureaucracy", "title"), (" (1944)", "")]
    assert short_reference(ESSAY_WORK) == [("Trotsky, ", ""), ("“The USSR in War”", ""), (" (1939)", "")]
    assert short_reference(Work(["A", "B", "C"], "T", "", True))[0] == ("A et al., ", "")
    assert short_reference(Work([], "Anonymous", "2000", True))[0] == ("Anonymous", "title")


@pytest.mark.parametrize(
    ("cited", "candidates", "head"),
    [
        ([MISES], [], "Mises, Bureaucracy (1944)"),
        ([MISES, ESSAY_WORK], [], "Mises, Bureaucracy (1944); Trotsky, “The USSR in War” (1939)"),
        ([], [MISES, ESSAY_WORK],
         "Not identified; perhaps Mises, Bureaucracy (1944); or Trotsky, “The USSR in War” (1939)"),
        ([], [], "Not identified"),
    ],
)  # fmt: skip
def test_the_head_of_a_note_says_what_it_cites(cited: list[Work], candidates: list[Work], head: str) -> None:
    assert "".join(text for text, _ in note_head(cited, candidates)) == head
