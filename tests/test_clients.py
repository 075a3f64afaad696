"""The exports in the clients readers use on them, in Chromium: the EPUB in epub.js (the reader
of many web and app e-readers) and the TEI in CETEIcean (the library minimal TEI editions show
TEI with). What each shows is gathered by ``tests/browser/readers.js``; ARCHITECTURE.md lists
what the clients taught us ("What the clients read")."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from browser_support import CHROMIUM, FLAGS, NODE_MODULES, require_browser, serve
from conftest import RELEASE_DATE, ROOT, VERSION, Built
from edition.core.versions import load_info

pytestmark = pytest.mark.browser

READERS = Path(__file__).parent / "browser" / "readers.js"
EPUBJS = [NODE_MODULES / "jszip" / "dist" / "jszip.min.js", NODE_MODULES / "epubjs" / "dist" / "epub.min.js"]
CETEICEAN = [NODE_MODULES / "CETEIcean" / "dist" / "CETEI.js"]
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
POINTERS = ("target", "targetEnd", "ref", "from", "to", "ana", "resp", "source", "wit", "corresp")
INFO = load_info(ROOT / "source_texts" / "edition.yaml", ROOT)


def read_in_chromium(folder: Path, libraries: list[Path], call: str, argument: str) -> dict[str, Any]:
    """Serve ``folder``, open a blank page of the same origin with the client's files and
    readers.js, and return what ``call`` gathers; any script or console error fails the test."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with serve(folder) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        blank = '<!doctype html><html lang="en"><div id="viewer" style="width:600px;height:800px"></div></html>'
        page.route(f"{base}reader.html", lambda route: route.fulfill(content_type="text/html", body=blank))
        page.goto(f"{base}reader.html")
        for script in [*libraries, READERS]:
            page.add_script_tag(path=str(script))
        result: dict[str, Any] = page.evaluate(
            f"(url) => EditionReaders.{call}(url, document.getElementById('viewer'))", f"{base}{argument}"
        )
        browser.close()
    assert errors == []
    return result


# --- the EPUB in epub.js ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def epubjs(edition_epub: Path) -> dict[str, Any]:
    return read_in_chromium(edition_epub.parent, EPUBJS, "readEpub", edition_epub.name)


@pytest.fixture(scope="module")
def package(edition_epub: Path) -> Any:
    with zipfile.ZipFile(edition_epub) as book:
        return etree.fromstring(book.read("content.opf"))


def test_epubjs_shows_the_books_metadata_as_the_package_gives_it(epubjs: dict[str, Any], package: Any) -> None:
    metadata = epubjs["metadata"]
    dc = {name: package.findtext(f".//dc:{name}", namespaces=OPF) for name in ("title", "creator", "language")}
    assert {name: metadata[name] for name in dc} == dc
    assert metadata["title"] == INFO.title
    assert metadata["creator"].startswith("Martin Thomas") and "editors" in metadata["creator"]
    assert metadata["language"] == "en"
    assert metadata["modified_date"] == f"{RELEASE_DATE}T00:00:00Z"
    assert metadata["identifier"].endswith(VERSION)
    # Sphinx writes "unknown" where a setting is left out; epub.js shows what it finds.
    assert "unknown" not in (metadata["description"], package.findtext(".//dc:contributor", namespaces=OPF))
    assert INFO.essay["title"] in metadata["description"] and "version " + VERSION in metadata["description"]


def test_epubjs_lists_every_chapter_and_each_entry_opens_its_place(epubjs: dict[str, Any]) -> None:
    toc = epubjs["toc"]
    chapters = [entry["href"] for entry in toc if "#" not in entry["href"]]
    assert chapters[:3] == ["index.xhtml", "introduction.xhtml", "essay.xhtml"]
    assert {"persons.xhtml", "bibliography.xhtml", "about.xhtml", "changes.xhtml"} <= set(chapters)
    essay = next(entry for entry in toc if entry["href"] == "essay.xhtml")
    assert essay["label"] == INFO.essay["title"]
    broken = [entry for entry in toc if entry["section"] != entry["href"].split("#")[0] or not entry["shown"]]
    assert len(toc) > 30 and broken == []


def test_epubjs_renders_the_essay_from_its_first_paragraph(epubjs: dict[str, Any]) -> None:
    opened = epubjs["opened"]
    assert opened["section"] == "essay.xhtml" and opened["paragraphs"] == 38
    assert opened["p1"].startswith("Ludwig von Mises's criticism of socialism has, since the collapse of the USSR")
    assert opened["p1Shown"]


def test_epubjs_follows_every_note_reference_to_its_footnote(epubjs: dict[str, Any]) -> None:
    notes = epubjs["notes"]
    assert [n["number"] for n in notes] == [f"[{n}]" for n in range(1, 41)]
    assert [n["href"] for n in notes] == [f"#note-{n}" for n in range(1, 41)]
    lost = [
        n for n in notes
        if (n["followed"], n["section"], n["type"]) != (f"essay.xhtml{n['href']}", "essay.xhtml", "footnote")
        or not (n["inSection"] and n["shown"])
    ]  # fmt: skip
    assert lost == []


def test_epubjs_displays_every_paragraph_by_its_anchor_and_by_a_cfi(epubjs: dict[str, Any]) -> None:
    paragraphs = epubjs["paragraphs"]
    assert [p["id"] for p in paragraphs] == [f"p{n}" for n in range(1, 39)]
    assert all(p["cfi"].startswith("epubcfi(/6/6!") and f"[{p['id']}]" in p["cfi"] for p in paragraphs)
    assert [p["id"] for p in paragraphs if not (p["byHref"] and p["byCfi"])] == []


# --- the TEI in CETEIcean --------------------------------------------------------------------


@pytest.fixture(scope="module")
def tei_file(published_site: Built) -> Path:
    return published_site.outdir / "downloads" / "edition.tei.xml"


@pytest.fixture(scope="module")
def ceteicean(tei_file: Path) -> dict[str, Any]:
    return read_in_chromium(tei_file.parent, CETEICEAN, "readTei", tei_file.name)


def test_ceteicean_shows_the_paragraphs_pages_and_notes(ceteicean: dict[str, Any]) -> None:
    assert ceteicean["paragraphs"] == [[f"p{n}", f"p{n}"] for n in range(1, 39)]  # id from xml:id
    assert ceteicean["pages"] == [str(n) for n in range(1, 13)]
    notes = ceteicean["notes"]
    assert [(n["id"], n["n"]) for n in notes] == [(f"note-{n}", str(n)) for n in range(1, 41)]
    assert all(n["words"] > 40 for n in notes)


def test_ceteicean_keeps_the_headers_title_author_and_editors(ceteicean: dict[str, Any]) -> None:
    """CETEIcean hides the header (its default), so its titles do not become the page's title; the
    header is there for a page to show, and the editors for every ``resp`` to point at."""
    assert ceteicean["titles"] == [INFO.essay["title"], INFO.title]
    assert ceteicean["authors"] == ["Martin Thomas"]
    assert ceteicean["editors"] == [INFO.publisher]


def test_every_pointer_of_the_tei_resolves_in_ceteiceans_page(ceteicean: dict[str, Any], tei_file: Path) -> None:
    """Nothing is lost on the way (each element with each pointer is there once), and every
    pointer, and every link CETEIcean makes of a ``ref``, leads to an element of the page."""
    tei = etree.parse(str(tei_file))
    written = Counter(
        (etree.QName(e).localname, name.lower(), token)
        for e in tei.iter("{*}*")
        for name in POINTERS
        for token in (e.get(name) or "").split()
    )
    shown = Counter((p["element"], p["attribute"], p["value"]) for p in ceteicean["pointers"])
    assert shown == written
    local = [p for p in ceteicean["pointers"] if p["value"].startswith("#")]
    assert len(local) > 500
    assert sorted({p["value"] for p in local if not p["resolves"]}) == []
    assert [link for link in ceteicean["links"] if not link["resolves"]] == []
    targets = Counter((p["attribute"], p["to"]) for p in local)
    assert targets[("target", "p")] > 80  # ¶ references lead to the paragraphs
    glossed = {e.get(XML_ID) for e in tei.xpath("//tei:standOff//*[starts-with(@xml:id, 'gloss-')]", namespaces=TEI_NS)}
    named = {p["value"][1:] for p in local if p["attribute"] == "ref"}
    assert glossed and glossed <= named  # every gloss is reached from the words it explains
