"""The scholarly apparatus as a whole: every note expanded, every key and target resolving, the report."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, Built
from edition.annotation.grades import grades
from edition.annotation.targets import edition_text
from edition.commands.check import bib_keys, run_check
from edition.commands.report import coverage, keys_cited_in_pages
from edition.core.titleblock import long_date
from edition.core.versions import load_info


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return run_check(ROOT)


def test_the_apparatus_has_no_problems(result) -> None:  # type: ignore[no-untyped-def]
    assert [str(p) for p in result.problems] == []


def test_every_note_has_an_expansion_with_an_honest_confidence(result) -> None:  # type: ignore[no-untyped-def]
    notes = {a.note: a for a in result.annotations if a.kind == "note"}
    assert sorted(notes) == list(range(1, 41))
    for number, ann in notes.items():
        data = ann.data
        assert data["confidence"] in grades(), number
        assert len(data["basis"]) > 40, f"note {number}: the basis must say what was checked"
        if data["confidence"] == "verified":
            assert data.get("citations"), f"note {number} is verified but cites no work"


def test_every_bibliography_key_is_used_and_every_used_key_exists(result) -> None:  # type: ignore[no-untyped-def]
    cover = coverage(
        result.annotations, edition_text(ROOT), bib_keys(ROOT / "bibliography.bib"), keys_cited_in_pages(ROOT / "docs")
    )
    assert cover.bib_unused == []
    assert cover.unresolved == []
    assert cover.notes_missing == []


@pytest.mark.parametrize(
    "headword",
    [
        "Trotsky", "Twiss", "Mises", "Deutscher", "Linden", "Shachtman", "Cliff", "Matgamna", "Carter", "Burnham",
        "Craipeau", "Stalin", "Draper", "Dunayevskaya", "James", "Miliband", "Poulantzas", "Lenin", "Weber",
        "Thermidor", "Bureaucratic collectivism", "State capitalism", "Degenerated workers' state", "NEP",
    ],
)  # fmt: skip
def test_the_people_and_terms_the_essay_leans_on_are_glossed(result, headword: str) -> None:  # type: ignore[no-untyped-def]
    headwords = [str(a.data.get("headword", "")).casefold() for a in result.annotations if a.kind == "gloss"]
    assert any(headword.casefold() in h for h in headwords), headword


def test_every_kind_of_annotation_is_present(result) -> None:  # type: ignore[no-untyped-def]
    kinds = {a.kind for a in result.annotations}
    assert kinds == {"gloss", "note", "crossref", "emendation", "variant", "commentary"}


def test_report_prints_the_figures() -> None:
    out = subprocess.run(
        [sys.executable, "build_edition.py", "report"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "Notes expanded 40 of 40" in lines
    assert "Bibliography entries not used none" in lines
    assert any(line.startswith("Names in the essay ") for line in lines)
    assert "notes not identified:" in out
    assert "… not yet explained                    0" in out
    assert "unexplained name:" not in out
    table = out[out.index("Confidence, per kind:") :].splitlines()
    assert table[1].split() == ["Kind", *grades(), "all"]
    assert [line.split()[0] for line in table[2:5]] == ["Note", "Glosses", "Variants"]
    assert table[2].split()[-1] == "40"  # every note expansion has a grade


def test_the_about_page_shows_the_same_figures(edition_site: Built) -> None:
    html = edition_site.html("about.html")
    assert "edition-report" in html
    assert "<p>40 of 40</p>" in html
    assert '<table class="edition-report-grades' in html and "<td><p>Note expansions</p></td>" in html


def test_the_about_page_shows_the_earlier_version_with_its_basis(edition_site: Built) -> None:
    html = edition_site.html("about.html")
    start = html.index('<ul class="edition-earlier-versions')
    listing = html[start : html.index("</ul>", start)]
    assert "Martin Thomas. A review of Twiss" in listing
    assert "<em>Solidarity</em>, no. 414, 31 August 2016, p. 9.</p>" in listing
    assert "<strong>What establishes it: </strong>The front page of Solidarity no. 414" in listing
    assert "Page 9 itself, and so the review" in listing


@pytest.mark.parametrize(
    ("version", "parts"),
    [
        (
            {"author": {"given": "Martin", "family": "Thomas"}, "description": "A review.", "venue": "Solidarity",
             "issue": "414", "date": "2016-08-31", "page": "9"},
            ("Martin Thomas. A review. ", "Solidarity", ", no. 414, 31 August 2016, p. 9."),
        ),
        ({"venue": "Solidarity", "date": "2016-08"}, ("", "Solidarity", ", August 2016.")),
        ({"description": "A talk", "date": "2016"}, ("A talk. 2016.", "", "")),
        ({"venue": "Solidarity", "date": "31 Aug 2016"}, ("", "Solidarity", ", 31 Aug 2016.")),  # kept as written
        ({"venue": "Solidarity", "date": "2016-13-01"}, ("", "Solidarity", ", 2016-13-01.")),  # no month 13
        ({}, ("", "", "")),
    ],
)  # fmt: skip
def test_an_earlier_version_reads_as_a_citation(version: dict, parts: tuple[str, str, str]) -> None:
    from edition.core.titleblock import earlier_version_parts

    assert earlier_version_parts(version) == parts


def test_the_introduction_cites_its_sources(edition_site: Built) -> None:
    html = edition_site.html("introduction.html")
    assert 'href="bibliography.html#cite-thomas2018fourmissing"' in html
    assert "were <strong>not</strong> verified" in html


@pytest.mark.parametrize(
    "headword",
    [
        "Is Russia a Workers' State? (Shachtman, 1940)",
        "Bureaucratic Revolution, The (Shachtman, 1962)",
        "Minority documents of the Socialist Workers Party dispute (1939–1940)",
        "Amendment to the Resolution on the Soviet Union (Burnham and Carter, 1937)",
        "Carter and Draper on bureaucratic collectivism",
    ],
)
def test_the_index_of_works_lists_the_shachtman_carter_burnham_and_draper_texts(
    edition_site: Built, headword: str
) -> None:
    assert headword in edition_site.html("works.html")


def test_the_changes_page_gives_each_version_its_date_and_summary(edition_site: Built) -> None:
    """Newest first, each version dated as the title page dates it, with what it changed."""
    html = edition_site.html("changes.html")
    info = load_info(ROOT / "source_texts" / "edition.yaml", ROOT)
    headings = [f"<h2>Version {r.version}, {long_date(r.date)}<" for r in reversed(info.history)]
    places = [html.find(heading) for heading in headings]
    assert -1 not in places and places == sorted(places), headings
    assert "<h2>Version 1.0, 25 November 2026<" in html  # a published release never changes
    assert "The apparatus revised; the text and its anchors unchanged." in html  # 1.1's summary


@pytest.mark.parametrize("page", ["essay.html", "bibliography.html"])
def test_no_tex_quote_mark_is_left_in_the_rendered_citations(edition_site: Built, page: str) -> None:
    """pybtex turns ``this'' into curly quotes but prints a single `this' as it stands."""
    html = re.sub(r"<(code|pre|script)\b.*?</\1>", "", edition_site.html(page), flags=re.DOTALL)
    assert "`" not in html
