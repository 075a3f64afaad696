"""Citations as the clients people use read them: citation-js (npm) parses every Cite panel's
BibTeX and RIS and the title page's; Zotero's Embedded Metadata rules decide what saving each
page makes; link previews find their cards. The formats themselves are tested by tables."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import html as lxml_html

from browser_support import CHROMIUM, FLAGS, NODE_MODULES, require_browser, serve
from conftest import ROOT, SITE_URL, VERSION, Built
from edition.core.citation_formats import EDITORS, bibtex, citations, format_csl, ris, runs_of, work_of
from edition.core.versions import load_info

INFO = load_info(ROOT / "source_texts" / "edition.yaml")
WORK = work_of(INFO)
EDITION = INFO.title
ESSAY = WORK.title
RELEASED = [int(x) for x in INFO.released.split("-")]


# --- the formats ---------------------------------------------------------------------------


def _bibtex_fields(text: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+) = \{(.*)\},$", text, re.MULTILINE))


def test_bibtex_is_the_essay_as_a_chapter_of_the_edition() -> None:
    text = bibtex(WORK, "https://example.org/e/essay.html#p7", "7")
    assert text.startswith("@incollection{thomas2026edition-p7,\n") and text.endswith("\n}")
    fields = _bibtex_fields(text)
    assert (
        fields
        == {
            "author": "Thomas, Martin",
            "title": "{" + ESSAY + "}",
            "booktitle": "{" + EDITION + "}",
            "editor": "{the editors}",  # double braces: a collective name, not a person called "editors"
            "date": INFO.released,
            "year": INFO.released[:4],
            "version": INFO.version,
            "origdate": "2018",
            "url": "https://example.org/e/essay.html#p7",
            "language": "english",  # a BibLaTeX key, unprinted in an English document; Zotero keeps it
            "note": "Paragraph 7. First published in Historical Materialism 26 (2018).",
        }
    )


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ("R&D: 50% of $5 for #1 a_b", r"R\&D: 50\% of \$5 for \#1 a\_b"),
        ("braces {x} and a back\\slash", r"braces \{x\} and a back\textbackslash{}slash"),
        ("a title\nover two lines", "a title over two lines"),
        ("Łódź, ¶ and “quotes”", "Łódź, ¶ and “quotes”"),
    ],
)
def test_bibtex_escapes_what_latex_would_read_as_commands(title: str, field: str) -> None:
    from dataclasses import replace

    assert _bibtex_fields(bibtex(replace(WORK, title=title), "https://x.org/", None))["title"] == "{" + field + "}"


def test_a_brace_in_an_address_cannot_end_the_bibtex_field() -> None:
    assert _bibtex_fields(bibtex(WORK, "https://x.org/a}b{c", None))["url"] == "https://x.org/a%7Db%7Bc"


def test_ris_is_a_chapter_with_its_editors_as_a_corporate_name() -> None:
    lines = ris(WORK, "https://example.org/e/essay.html#p7", "7").splitlines()
    tags = [line.split("  - ", 1) for line in lines]
    assert lines[0] == "TY  - CHAP" and lines[-1] == "ER  - "
    assert (
        dict(tags[:-1])
        == {
            "TY": "CHAP",
            "AU": "Thomas, Martin",
            "TI": ESSAY,
            "T2": EDITION,
            "A2": EDITORS,  # no comma: Zotero's RIS import makes it a single-field (corporate) name
            "PY": INFO.released[:4],
            "DA": INFO.released.replace("-", "/") + "/",
            "UR": "https://example.org/e/essay.html#p7",
            "LA": "en",
            "N1": "Paragraph 7. First published in Historical Materialism 26 (2018). "
            f"Version {INFO.version} of the edition.",
        }
    )


@pytest.mark.parametrize(
    ("style", "reference", "in_text"),
    [
        (
            "chicago",
            f"Thomas, Martin. (2018) 2026. “{ESSAY}.” In {EDITION}, version {VERSION}, edited by the editors. "
            "https://x.org/essay.html#p7. First published in Historical Materialism 26 (2018).",
            "(Thomas [2018] 2026, para. 7)",
        ),
        (
            "apa",
            f"Thomas, M. (2026). {ESSAY}. In the editors (ed.), {EDITION} (Version {VERSION}). "
            "https://x.org/essay.html#p7 "
            "(Original work published 2018). First published in Historical Materialism 26 (2018).",
            "(Thomas, 2018/2026, para. 7)",
        ),
    ],
)
def test_styles_tell_the_essay_from_the_edition(style: str, reference: str, in_text: str) -> None:
    """The essay's author and first appearance, the edition's title, editors, version and date;
    the paragraph in the in-text citation only (not in the reference entry)."""
    formatted = format_csl(WORK, style, "https://x.org/essay.html#p7", "7")
    assert (formatted.reference, formatted.in_text) == (reference, in_text)


def test_the_templates_keep_the_tokens_the_page_script_fills_in() -> None:
    for value in citations(INFO).values():
        assert "__PERMALINK__" in value["reference"], value
    assert "Paragraph __PARAGRAPH__." in citations(INFO)["bibtex"]["reference"]
    assert "para. __PARAGRAPH__" in citations(INFO)["chicago"]["in_text"]


# --- Zotero: the rules of its Embedded Metadata translator ----------------------------------
#
# Zotero's web translators run inside Zotero or its translation server, which no package
# registry ships, so the test applies the rules of "Embedded Metadata.js" (zotero/translators,
# read at commit 2814370161d0, last updated 2026-04-27) to the tags of every page: a Highwire
# tag that fixes the item type wins; else the OpenGraph/Dublin Core statements go to the RDF
# translator, where og:type "website" makes a web page; citation_title alone is a guess of
# journalArticle. Creators: "Family, Given" is split at the comma, any other name at its last
# space (Zotero.Utilities.cleanAuthor), and names all in one case are title-cased (fixCase).
# A book section's container is its bookTitle (the server names the base field so). Checked by
# hand against Zotero's translation server (ARCHITECTURE.md, "What the clients read"), which
# also gives the page's description as abstractNote and a shortTitle; those are not imitated.

HIGHWIRE_TYPES = {
    "citation_journal_title": "journalArticle",
    "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper",
    "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection",
    "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}
HIGHWIRE_GUESSES = {
    "citation_title": "journalArticle",
    "citation_series_title": "journalArticle",
    "citation_isbn": "book",
}
HIGHWIRE_FIELDS = {
    "citation_title": "title",
    "citation_publication_date": "date",
    "citation_date": "date",
    "citation_journal_title": "publicationTitle",
    "citation_inbook_title": "publicationTitle",  # a book section's book title
    "citation_book_title": "bookTitle",
    "citation_volume": "volume",
    "citation_publisher": "publisher",
    "citation_public_url": "url",
    "citation_language": "language",
}
OG_TYPES = {"website": "webpage", "book": "book", "video.movie": "videoRecording"}


def _name(value: str, role: str) -> dict[str, str]:
    if "," in value:
        last, first = (part.strip() for part in value.split(",", 1))
    else:
        first, _, last = value.rpartition(" ")
    fixed = [p.title() if p in (p.lower(), p.upper()) else p for p in (first, last)]
    return {"creatorType": role, "firstName": fixed[0], "lastName": fixed[1]}


def zotero_item(page: str) -> dict[str, Any]:
    """What Zotero's Embedded Metadata translator makes of a page's ``<head>``."""
    head = lxml_html.fromstring(page).find("head")
    tags = [(m.get("name") or m.get("property") or "", m.get("content") or "") for m in head.iter("meta")]
    first = {}
    for name, value in tags:
        first.setdefault(name, value)
    hw_type = next((HIGHWIRE_TYPES[n] for n, _ in tags if n in HIGHWIRE_TYPES), None)
    guess = next((HIGHWIRE_GUESSES[n] for n, _ in tags if n in HIGHWIRE_GUESSES), None)
    rdf = any(re.match(r"^(og|dc|dcterms|article)[.:_]", n, re.IGNORECASE) for n, _ in tags)
    if hw_type:
        item_type = hw_type
    elif rdf:
        item_type = OG_TYPES.get(first.get("og:type", "")) or guess or "webpage"
    else:
        item_type = guess
    item: dict[str, Any] = {"itemType": item_type, "title": first.get("og:title") or first.get("DC.title")}
    if item_type in ("webpage", "blogPost") and "og:site_name" in first:
        item["publicationTitle"] = first["og:site_name"]
    for tag, field in HIGHWIRE_FIELDS.items():
        if first.get(tag, "").strip():
            item[field] = first[tag]
    if item_type == "bookSection" and "publicationTitle" in item:
        item["bookTitle"] = item.pop("publicationTitle")
    item["creators"] = [_name(v, "author") for n, v in tags if n == "citation_author"]
    item["creators"] += [_name(v, "editor") for n, v in tags if n == "citation_editor"]
    return item


def test_zotero_saves_the_essay_page_as_a_book_section_of_the_edition(published_site: Built) -> None:
    item = zotero_item(published_site.html("essay.html"))
    assert item == {
        "itemType": "bookSection",
        "title": ESSAY,
        "bookTitle": EDITION,  # the edition, not the journal
        "date": INFO.released.replace("-", "/"),
        "url": f"{SITE_URL}essay.html",
        "language": "en",
        "creators": [
            {"creatorType": "author", "firstName": "Martin", "lastName": "Thomas"},
            # Highwire tags cannot mark a collective name: Zotero splits it as if it were a person's.
            {"creatorType": "editor", "firstName": "The", "lastName": "Editors"},
        ],
    }


def test_zotero_saves_any_other_page_as_that_web_page_not_the_essay(published_site: Built) -> None:
    pages = sorted(p.name for p in published_site.outdir.glob("*.html") if p.name != "essay.html")
    assert len(pages) >= 14
    for name in pages:
        page = published_site.html(name)
        assert "citation_" not in page.split("</head>")[0], name
        item = zotero_item(page)
        assert item["itemType"] == "webpage" and item["publicationTitle"] == EDITION, (name, item)
        assert item["title"] and item["title"] != ESSAY and item["creators"] == [], (name, item)


def _head_tags(page: str) -> dict[str, str]:
    head = lxml_html.fromstring(page).find("head")
    return {(m.get("property") or m.get("name") or ""): m.get("content") or "" for m in head.iter("meta")}


def test_every_page_has_a_link_preview_once_the_address_is_known(published_site: Built, edition_site: Built) -> None:
    for path in sorted(published_site.outdir.glob("*.html")):
        tags = _head_tags(path.read_text(encoding="utf-8"))
        assert tags["og:url"] == f"{SITE_URL}{path.name}", path.name
        assert tags["og:site_name"] == EDITION and tags["twitter:card"] == "summary"
        assert tags["og:title"] and tags["og:title"] == tags["twitter:title"], path.name
        assert len(tags["og:description"].split()) >= 5, (path.name, tags["og:description"])
        assert tags["og:type"] == ("article" if path.name == "essay.html" else "website")
    essay = _head_tags(published_site.html("essay.html"))
    assert essay["og:title"] == ESSAY and "Martin Thomas" in essay["og:description"]
    assert _head_tags(published_site.html("about.html"))["og:title"] == "About this edition"
    assert "og:url" not in _head_tags(edition_site.html("essay.html"))  # no address, no card


def _json_ld(page: str) -> dict[str, Any]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert len(found) == 1
    return dict(json.loads(found[0]))


def test_schema_org_names_the_page_its_author_editors_and_first_appearance(
    published_site: Built, edition_site: Built
) -> None:
    data = _json_ld(published_site.html("essay.html"))
    assert data["@id"] == data["url"] == f"{SITE_URL}essay.html"
    assert data["author"] == {"@type": "Person", "name": "Martin Thomas", "givenName": "Martin", "familyName": "Thomas"}
    assert data["editor"] == {"@type": "Organization", "name": EDITORS}
    assert data["isPartOf"]["name"] == EDITION and data["datePublished"] == INFO.released
    original = data["isBasedOn"]
    assert original["datePublished"] == "2018" and original["author"]["name"] == "Martin Thomas"
    assert original["isPartOf"]["isPartOf"] == {"@type": "Periodical", "name": "Historical Materialism"}
    assert _json_ld(edition_site.html("essay.html"))["@id"] == "essay.html"  # resolved against the page's address
    assert "ld+json" not in published_site.html("about.html")


# --- citation-js -----------------------------------------------------------------------------


def citation_js(texts: list[str]) -> list[dict[str, Any]]:
    """What citation-js makes of each text, as ``new Cite(text)`` does (tests/browser/citations.cjs)."""
    require_browser()
    result = subprocess.run(
        ["node", str(NODE_MODULES.parent / "citations.cjs")],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(result.stdout))


def assert_read_whole(parsed: dict[str, Any], url: str, source: str) -> None:
    """Title, author, editors, container, date and address, as citation-js read them."""
    assert "error" not in parsed, parsed
    (item,) = parsed["items"]
    assert parsed["format"] == ("@biblatex/text" if source == "bibtex" else "@ris/file")
    assert item["type"] == "chapter"
    assert item["title"] == ESSAY
    assert item["author"] == [{"family": "Thomas", "given": "Martin"}]
    assert item["editor"] == ([{"family": EDITORS}] if source == "bibtex" else [{"literal": EDITORS}])
    assert item["container-title"] == EDITION
    # citation-js reads a RIS chapter's date from PY, which holds the year only (DA, the whole
    # date Zotero reads, is not mapped for CHAP); BibLaTeX's date field keeps it whole.
    assert item["issued"] == {"date-parts": [RELEASED if source == "bibtex" else RELEASED[:1]]}
    assert item["URL"] == url
    assert item["language"].casefold() == ("english" if source == "bibtex" else "en")
    if source == "bibtex":
        assert item["version"] == INFO.version and item["original-date"] == {"date-parts": [[2018]]}


@pytest.fixture(scope="module")
def served(edition_site: Built) -> Iterator[tuple[str, Any]]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with serve(edition_site.outdir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield base, page
        browser.close()


@pytest.mark.browser
def test_citation_js_reads_every_cite_panel_whole(served: tuple[str, Any]) -> None:
    base, page = served
    page.goto(f"{base}essay.html")
    panels = page.evaluate(
        """() => [...document.querySelectorAll('p.edition-para')].map(p => {
            document.querySelector(`button[aria-controls='cite-${p.id}']`).click();
            const panel = document.getElementById('cite-' + p.id);
            const [bibtex, ris] = [...panel.querySelectorAll('pre')].map(pre => pre.textContent);
            panel.querySelector(':scope > button').click();
            return {id: p.id, bibtex, ris};
        })"""
    )
    assert len(panels) == 38
    parsed = citation_js([text for panel in panels for text in (panel["bibtex"], panel["ris"])])
    for panel, bib, ris_ in zip(panels, parsed[::2], parsed[1::2], strict=True):
        url = f"{base}essay.html#{panel['id']}"
        assert_read_whole(bib, url, "bibtex")
        assert_read_whole(ris_, url, "ris")
        assert bib["items"][0]["note"].startswith(f"Paragraph {panel['id'][1:]}.")


@pytest.mark.browser
def test_citation_js_reads_cite_this_edition_on_the_title_page(served: tuple[str, Any]) -> None:
    """The page's script makes the address absolute without touching the rest (it once swallowed
    BibTeX's closing brace: ``url = http://…/%7Bessay.html},``)."""
    base, page = served
    page.goto(f"{base}index.html")
    bibtex_text = page.locator("pre.cite-bibtex").text_content()
    ris_text = page.locator("pre.cite-ris").text_content()
    assert f"  url = {{{base}essay.html}},\n" in bibtex_text
    parsed = citation_js([bibtex_text, ris_text])
    assert_read_whole(parsed[0], f"{base}essay.html", "bibtex")
    assert_read_whole(parsed[1], f"{base}essay.html", "ris")
    chicago = page.locator("p.cite-chicago").text_content()
    assert f" {base}essay.html. First published in Historical Materialism 26 (2018)." in chicago


@pytest.mark.browser
def test_citation_js_reads_the_published_title_page_without_its_script(published_site: Built) -> None:
    tree = lxml_html.fromstring(published_site.html("index.html"))
    texts = [tree.find_class(f"cite-{key}")[0].text_content() for key in ("bibtex", "ris")]
    parsed = citation_js(texts)
    assert_read_whole(parsed[0], f"{SITE_URL}essay.html", "bibtex")
    assert_read_whole(parsed[1], f"{SITE_URL}essay.html", "ris")


@pytest.mark.parametrize(
    ("html", "runs"),
    [
        ("plain words", [("plain words", False)]),
        ("In <i>A Book</i>, 2026.", [("In ", False), ("A Book", True), (", 2026.", False)]),
        ("<i>a <b>bold</b> title</i>", [("a ", True), ("bold", True), (" title", True)]),
        ("R&amp;D &lt;script&gt;", [("R&D <script>", False)]),  # text, never markup
        ("<span style='font-variant:small-caps;'>Caps</span>", [("Caps", False)]),
        ("</i>stray", [("stray", False)]),
    ],
)
def test_the_styles_html_becomes_runs_of_words_in_italics_or_not(html: str, runs: list[tuple[str, bool]]) -> None:
    assert runs_of(html) == runs


@pytest.mark.parametrize("style", ["chicago", "mla", "apa"])
def test_each_style_sets_the_editions_title_and_the_journal_in_italics(style: str) -> None:
    formatted = format_csl(WORK, style, "https://x.org/essay.html#p7", "7")
    assert "".join(words for words, _ in formatted.runs) == formatted.reference
    assert [words for words, italic in formatted.runs if italic] == [EDITION, "Historical Materialism"]
