"""Annotations rendered in a built site: one fragment per kind, indexes, and incremental rebuilds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOTS, Built, build, build_root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_root("annotations", tmp_path_factory.mktemp("annotations"))


def fragment(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i : html.index(end, i) + len(end)]


def test_builds_without_warnings(site: Built) -> None:
    assert site.warnings == ""


def test_gloss_marks_its_words_and_opens_a_note(site: Built) -> None:
    html = site.html("index.html")
    assert (
        'The Soviet <span class="annot-mark annot-gloss" data-annot="gloss-thermidor">Thermidor</span>'
        '<a class="annot-ref annot-gloss" id="m-gloss-thermidor" href="#a-gloss-thermidor" '
        'aria-controls="a-gloss-thermidor" aria-label="Gloss on ‘Thermidor’"></a> came'
    ) in html  # the mark's glyph is drawn by CSS, so the text stays the essay's words
    note = fragment(html, '<div class="annot annot-gloss" id="a-gloss-thermidor"', "</div>")
    assert 'role="note" tabindex="-1" data-label="Thermidor">' in note  # what the compact sidenote says
    assert '<span class="annot-headword">Thermidor</span>' in note
    assert 'href="bibliography.html#cite-trotsky1937revolution"' in note  # {cite:p} links to the bibliography
    assert '<a class="edition-paragraph-ref reference external" href="#p3">¶\u00a03</a>' in note
    assert (
        '<abbr class="annot-confidence confidence-verified" title="Seen in the cited work itself; the basis names it '
        'and says what it showed.">Verified in the work</abbr>'
    ) in note
    assert "— The editors, 2026-11-25." in note


def test_notes_of_a_paragraph_stand_after_it_in_a_block(site: Built) -> None:
    html = site.html("index.html")
    block = fragment(
        html, '<div class="edition-block docutils container">\n<p class="edition-para" id="p1">', "</aside>"
    )
    assert '<aside class="annot-notes" aria-label="Annotations on paragraph 1">' in block
    assert block.count('role="note"') == 2  # the second word is only once marked: "Thermidor again" is not
    assert html.count('id="p1"') == 1


def test_author_orcid_is_a_link(site: Built) -> None:
    assert '<a class="reference external" href="https://orcid.org/0000-0002-1825-0097">' in site.html("index.html")


def test_note_expansion_replaces_the_placeholder_with_a_full_citation(site: Built) -> None:
    html = site.html("index.html")
    note = fragment(html, '<aside class="footnote brackets edition-note edition-note-expanded" id="note-1"', "</aside>")
    assert "The witness does not preserve" not in note
    # headed by what it cites, not by a generic label
    head = '<p class="annot-head"><strong class="annot-cites">Trotsky, <em>The Revolution Betrayed</em> (1937)</strong>'
    assert head in note
    assert (
        '<span class="annot-fullcite">Leon Trotsky. <em>The Revolution Betrayed</em>. Doubleday, Doran, New York, 1937.'
        "</span> Passage: chapter 5."
    ) in note
    assert 'href="bibliography.html#cite-trotsky1937revolution">Bibliography</a>' in note
    unexpanded = fragment(html, 'id="note-2"', "</aside>")
    assert "The witness does not preserve the text of note 2." in unexpanded


def test_crossref_links_to_its_target_with_opening_words(site: Built) -> None:
    html = site.html("index.html")
    see = fragment(html, '<p class="annot-see">', "</p>")
    assert see == (
        '<p class="annot-see">See <a class="edition-paragraph-ref reference external" href="#p1">'
        "¶\u00a01 (‘The Soviet Thermidor came, said Trotsky, and Thermidor again. …’)</a></p>"
    )


def test_emendation_shows_both_readings_as_an_intervention(site: Built) -> None:
    html = site.html("index.html")
    assert '<span class="annot-mark annot-emendation" data-annot="emendation-been-been">been been</span>' in html
    head = fragment(html, '<div class="annot annot-emendation"', "</p>")
    assert "<strong>Emendation</strong>: read" in head
    assert (
        '<span class="annot-reading">‘been’</span> for the witness’s <span class="annot-witness">‘been been’</span>'
        in head
    )


def test_variant_gives_the_source_reading_beside_the_witness_words_without_correcting_them(site: Built) -> None:
    html = site.html("index.html")
    assert (
        'A paragraph that <span class="annot-mark annot-variant" data-annot="variant-returns">returns to</span>'
        '<a class="annot-ref annot-variant" id="m-variant-returns" href="#a-variant-returns" '
        'aria-controls="a-variant-returns" aria-label="Variant on ‘returns to’"></a> '
        '<span class="annot-mark annot-crossref"'
    ) in html  # the reading text keeps the witness's words
    note = fragment(html, '<div class="annot annot-variant" id="a-variant-returns"', "</div>")
    assert (
        '<p class="annot-head"><strong>Variant</strong>: the source reads <span class="annot-reading">‘turns back to’'
        '</span> where the witness has <span class="annot-witness">‘returns to’</span></p>'
    ) in note
    assert (
        '<p class="annot-citation">Seen in <span class="annot-fullcite">Leon Trotsky. <em>The Revolution Betrayed</em>.'
        " Doubleday, Doran, New York, 1937.</span> Passage: chapter 5. "
        '<a class="edition-bib-ref reference external" href="bibliography.html#cite-trotsky1937revolution">'
    ) in note
    assert '>Verified in a translation</abbr>. <span class="annot-basis">Compared with chapter 5' in note
    assert "Emendation" not in note and "read ‘turns back to’ for" not in note


@pytest.mark.parametrize(
    ("ident", "grade", "label"),
    [
        ("gloss-thermidor", "verified", "Verified in the work"),  # written as HTML directly
        ("gloss-trotsky", "secondary", "Seen at second hand"),
        ("note-1", "verified-in-translation", "Verified in a translation"),  # written by the translator
        ("variant-returns", "verified-in-translation", "Verified in a translation"),
    ],
)
def test_each_grade_shows_what_was_seen_where_the_reader_sees_it(
    site: Built, ident: str, grade: str, label: str
) -> None:
    from edition.annotation.grades import meaning

    html = site.html("index.html")
    start = f'id="a-{ident}"'
    note = html[html.index(start) : html.index("</div>", html.index(start))]
    assert f'<abbr class="annot-confidence confidence-{grade}" title="{meaning(grade)}">{label}</abbr>' in note


def test_the_grades_are_explained_and_the_timeline_shows_them(site: Built) -> None:
    from edition.annotation.grades import meanings

    about = site.html("about.html")
    table = fragment(about, '<table class="edition-grades', "</table>")
    for grade, meaning in meanings().items():
        assert f"<td><p>{grade}</p></td>\n<td><p>{meaning}</p></td>" in table
    assert '(<abbr class="annot-confidence confidence-verified-in-translation" title="Seen in a translation' in about
    assert ">verified in a translation</abbr>)." in about


def test_commentary_links_to_another_annotation(site: Built) -> None:
    html = site.html("index.html")
    note = fragment(html, 'id="a-commentary-bureaucracy"', "</div>")
    assert '<a class="edition-annotation-ref reference external" href="#a-gloss-thermidor">Thermidor</a>' in note


def test_index_pages_link_back_to_each_paragraph(site: Built) -> None:
    html = site.html("persons.html")
    trotsky = '<a class="reference external" href="index.html#m-gloss-trotsky">¶\u00a01</a>'
    assert f"<li><p><strong>Trotsky, Leon (1879–1940)</strong>: {trotsky}</p></li>" in html
    assert (
        '<strong>Thermidor</strong>: <a class="reference external" href="index.html#m-gloss-thermidor">'
        "¶\u00a01</a>" in html
    )


def test_without_javascript_every_note_is_in_the_page(site: Built) -> None:
    html = site.html("index.html")
    for ident in (
        "gloss-thermidor",
        "gloss-trotsky",
        "crossref-thermidor",
        "emendation-been-been",
        "variant-returns",
        "commentary-bureaucracy",
    ):
        assert re.search(rf'<div class="annot [^"]*" id="a-{ident}" role="note"', html), ident


def test_incremental_rebuild_picks_up_changed_added_and_removed_annotations(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(ROOTS / "test-annotations", root)
    out = root / "_build" / "html"

    def again() -> Built:
        from conftest import build_incremental

        return build_incremental(root, root / "docs", out)

    first = again()
    assert "Russian revolutionary." in first.html("index.html")
    before = (out / "bibliography.html").stat().st_mtime_ns

    path = root / "annotations" / "gloss-trotsky.yaml"
    path.write_text(path.read_text().replace("Russian revolutionary.", "Russian revolutionary, 1879–1940."))
    second = again()
    assert "Russian revolutionary, 1879–1940." in second.html("index.html")
    assert (out / "bibliography.html").stat().st_mtime_ns == before  # an unaffected page is not rewritten

    (root / "annotations" / "gloss-soviet.yaml").write_text(
        path.read_text().replace("gloss-trotsky", "gloss-soviet").replace("quote: Trotsky", "quote: The Soviet")
    )
    third = again()
    assert 'id="a-gloss-soviet"' in third.html("index.html")

    (root / "annotations" / "gloss-soviet.yaml").unlink()
    fourth = again()
    assert 'id="a-gloss-soviet"' not in fourth.html("index.html")


def test_a_quote_that_cannot_be_found_is_kept_and_reported(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(ROOTS / "test-annotations", root)
    path = root / "annotations" / "gloss-trotsky.yaml"
    path.write_text(path.read_text().replace("quote: Trotsky", "quote: Bukharin"))
    built = build(root, root / "docs", root / "_build" / "html")
    assert (
        'annotations/gloss-trotsky.yaml:6:10: WARNING: quote "Bukharin" not found in ¶ p1 [edition.anchor]'
        in built.warnings
    )
    assert 'class="annot annot-gloss annot-unattached" id="a-gloss-trotsky"' in built.html("index.html")


def test_a_slightly_wrong_quote_attaches_fuzzily_with_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(ROOTS / "test-annotations", root)
    path = root / "annotations" / "gloss-trotsky.yaml"
    path.write_text(path.read_text().replace("quote: Trotsky", "quote: Trotzky"))
    built = build(root, root / "docs", root / "_build" / "html")
    assert (
        'annotations/gloss-trotsky.yaml:6:10: WARNING: quote "Trotzky" attached to the nearest words "Trotsky" '
        "(1 edit(s)) in ¶ p1; update the quote [edition.fuzzy]"
    ) in built.warnings
    html = built.html("index.html")
    assert '<span class="annot-mark annot-gloss annot-fuzzy" data-annot="gloss-trotsky">Trotsky</span>' in html


@pytest.mark.parametrize("jobs", [None, "2"])
def test_the_saved_environment_keeps_every_loaded_file_for_the_next_build(tmp_path: Path, jobs: str | None) -> None:
    """Parallel readers never carry the cache of loaded files (it is set aside while pages are
    read), but the environment saved for the next incremental build holds it, serial or not."""
    import pickle
    import subprocess
    import sys

    root = tmp_path / "root"
    shutil.copytree(ROOTS / "test-annotations", root)
    out, doctrees = root / "_build" / "html", root / "_build" / "doctrees"
    command = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", "-c", str(root), "-d", str(doctrees)]
    command += ["-j", jobs] if jobs else []
    subprocess.run([*command, str(root / "docs"), str(out)], check=True, capture_output=True)
    with open(doctrees / "environment.pickle", "rb") as saved:
        env = pickle.load(saved)
    files = sorted(p.relative_to(root).as_posix() for p in (root / "annotations").rglob("*.yaml"))
    assert sorted(env.edition_annotation_cache) == files


def test_a_version_1_file_is_published_with_a_warning_that_can_be_suppressed(tmp_path: Path) -> None:
    """A version 1 file is read (its annotation is on the page) and warned about where it
    is; with warnings as errors (the project's build) it must be migrated, unless the
    warning is suppressed by its type."""
    root = tmp_path / "root"
    shutil.copytree(ROOTS / "test-annotations", root)
    path = root / "annotations" / "commentary-bureaucracy.yaml"
    path.write_text(path.read_text().replace("schema: 2", "schema: 1"))
    built = build(root, root / "docs", root / "_build" / "html")
    assert built.warnings.splitlines() == [
        "annotations/commentary-bureaucracy.yaml:1:9: WARNING: format version 1: run `python build_edition.py migrate "
        "annotations/commentary-bureaucracy.yaml` to rewrite it as version 2 [edition.outdated]"
    ]
    assert 'id="a-commentary-bureaucracy"' in built.html("index.html")
    quiet = build(root, root / "docs", root / "_build" / "quiet", suppress_warnings=["edition.outdated"])
    assert quiet.warnings == ""
