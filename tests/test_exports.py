"""The edition as data: TEI (valid against tei_all), Web Annotations (anchored by two independent
selector implementations in Chromium), EPUB (EPUBCheck), text, Markdown, anchors, share pages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from browser_support import CHROMIUM, FLAGS, NODE_MODULES, require_browser, require_program, serve
from conftest import ROOT, VERSION, Built, build, copy_project
from edition.core.convert import Paths, read_ledger
from edition.exports import export_all

TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}
SCHEMA = Path(__file__).parent / "schemas" / "tei_all.rng"


@pytest.fixture(scope="module")
def site(published_site: Built) -> Built:
    """The edition built with a public address, as a deployment would be."""
    return published_site


@pytest.fixture(scope="module")
def tei(site: Built) -> Any:
    return etree.parse(str(site.outdir / "downloads" / "edition.tei.xml"))


def test_tei_is_valid_against_tei_all(tei: Any) -> None:
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(tei), [f"{e.line}: {e.message}" for e in schema.error_log][:10]


def test_tei_matches_the_site(tei: Any, site: Built) -> None:
    html = site.html("essay.html")
    ids = tei.xpath("//tei:body//tei:p/@xml:id", namespaces=TEI_NS)
    assert ids == re.findall(r'<p class="edition-para" id="(p\d+)"', html)
    assert [n.get("n") for n in tei.xpath("//tei:body//tei:pb", namespaces=TEI_NS)] == [str(n) for n in range(1, 13)]
    notes = tei.xpath("//tei:body//tei:note[@place='foot']/@n", namespaces=TEI_NS)
    assert notes == [str(n) for n in range(1, 41)]
    result = subprocess.run(
        [sys.executable, "build_edition.py", "check"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "no problems" in result.stderr
    emendations = sorted(p.stem for p in (ROOT / "annotations" / "emendations").glob("*.yaml"))
    choices = tei.xpath("//tei:choice", namespaces=TEI_NS)
    assert sorted(c.get("{http://www.w3.org/XML/1998/namespace}id")[2:] for c in choices) == emendations
    for choice in choices:
        assert choice.find("tei:sic", TEI_NS) is not None and choice.find("tei:corr", TEI_NS) is not None
    persons = set(tei.xpath("//tei:listPerson/tei:person/@xml:id", namespaces=TEI_NS))
    for ref in tei.xpath("//tei:body//tei:persName/@ref", namespaces=TEI_NS):
        assert ref[1:] in persons
    bibl_ids = set(tei.xpath("//tei:back//tei:listBibl/tei:bibl/@xml:id", namespaces=TEI_NS))
    for target in tei.xpath("//tei:note[@type='expansion']//tei:listBibl//tei:ref/@target", namespaces=TEI_NS):
        assert target[1:] in bibl_ids


def test_every_pointer_in_the_tei_leads_to_an_element(tei: Any) -> None:
    """What CETEIcean showed (tests/test_clients.py), without a browser: no pointer leads nowhere
    (RELAX NG does not check them), and a reference to a note's expansion leads to the note."""
    ids = set(tei.xpath("//@xml:id"))
    pointers = tei.xpath("//@target | //@targetEnd | //@ref | //@from | //@to | //@ana | //@resp | //@source | //@wit")
    local = [token for value in pointers for token in value.split() if token.startswith("#")]
    assert len(local) > 500 and sorted({t for t in local if t[1:] not in ids}) == []
    (ref,) = set(tei.xpath("//tei:ref[@type='ann'][@target='#note-6']/text()", namespaces=TEI_NS))
    assert ref == "note 6"
    assert tei.xpath("//tei:ref[@type='ann'][not(@target)]", namespaces=TEI_NS) == []
    assert tei.xpath("//tei:list[@type='gloss'][not(tei:label)]", namespaces=TEI_NS) == []  # tei_all's Schematron


def test_plain_text_and_markdown(site: Built) -> None:
    text = (site.outdir / "downloads" / "essay.txt").read_text(encoding="utf-8")
    assert len([line for line in text.splitlines() if line.startswith("[¶ ")]) == 38
    assert "[¶ 7] Twiss's account is one of few" in text
    assert all(f"\n[{n}] " in text for n in range(1, 41))
    assert "¶ 23: had been been ] had been" in text
    markdown = (site.outdir / "downloads" / "essay.md").read_text(encoding="utf-8")
    assert markdown.count("[^40]") == 2  # the reference and the note


MYST_ROLE = re.compile(r"\{(para|ann|cite(:[pt])?)\}`")


def test_plain_text_carries_plain_words_and_says_who_wrote_what(site: Built) -> None:
    text = (site.outdir / "downloads" / "essay.txt").read_text(encoding="utf-8")
    assert MYST_ROLE.search(text) is None and "*" not in text
    assert "names in its text (¶ 5): Trotsky writing to Sara Weber" in text  # {para}`p5` in note 2
    assert "heading note 11 paraphrases (note 11)." in text  # {ann}`note-11` in note 12: its label
    head = text.split("[¶ 1]")[0]
    assert "by Martin Thomas. First published in Historical Materialism 26 (2018)." in head
    assert f"version {VERSION}, edited by the editors." in head


def pandoc_ast(path: Path, reader: str) -> dict[str, Any]:
    pandoc = require_program("pandoc", "pandoc")
    result = subprocess.run([pandoc, "-f", reader, "-t", "json", str(path)], capture_output=True, check=True)
    return dict(json.loads(result.stdout))


def elements(value: Any, kind: str) -> list[Any]:
    """Every element of a kind in a pandoc AST, in document order (outer before inner)."""
    found = []
    if isinstance(value, dict):
        if value.get("t") == kind:
            found.append(value)
        for child in value.values():
            found += elements(child, kind)
    elif isinstance(value, list):
        for child in value:
            found += elements(child, kind)
    return found


def plain(value: Any) -> str:
    """The text of a pandoc element: its strings, spaces and line breaks as spaces."""
    out: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            if item.get("t") == "Str":
                out.append(item["c"])
            elif item.get("t") in ("Space", "SoftBreak"):
                out.append(" ")
            for child in item.values():
                walk(child)
        elif isinstance(item, list):
            for child in item:
                walk(child)

    walk(value)
    return "".join(out)


@pytest.mark.browser
@pytest.mark.parametrize("reader", ["commonmark_x", "gfm"])
def test_pandoc_reads_the_markdowns_page_labels_and_notes(site: Built, reader: str) -> None:
    ast = pandoc_ast(site.outdir / "downloads" / "essay.md", reader)
    notes = elements(ast, "Note")
    assert len(notes) == 40
    assert "The note presumably gave the source of the letter" in plain(notes[1])
    pages = [plain(s) for s in elements(ast, "Strong") if re.match(r"^p\. \d+$", plain(s))]
    assert pages == [f"p. {n}" for n in range(1, 13)]
    assert all("**" not in s["c"] and not MYST_ROLE.search(s["c"]) for s in elements(ast, "Str"))
    links = {(plain(link["c"][1]), link["c"][2][0]) for link in elements(notes[1], "Link")}
    assert ("¶ 5", "#p5") in links  # {para}`p5` in note 2, a link to the paragraph's anchor


def test_anchor_inventory_lists_every_id_ever_published(site: Built) -> None:
    data = json.loads((site.outdir / "downloads" / "anchors.json").read_text(encoding="utf-8"))
    ledger = read_ledger(Paths(ROOT).ledger)
    assert [a["id"] for a in data["anchors"]] == sorted((e.id for e in ledger.entries), key=lambda i: int(i[1:]))
    first = data["anchors"][0]
    assert first == {
        "id": "p1",
        "status": "active",
        "opening": "Ludwig von Mises's criticism of socialism has, since",
        "url": "https://example.org/edition/essay.html#p1",
        "since": "1.0",
    }


def test_share_pages_sitemap_and_canonical_links(site: Built) -> None:
    share = (site.outdir / "p" / "p7.html").read_text(encoding="utf-8")
    assert '<meta property="og:description" content="Twiss&#x27;s account is one of few' in share
    assert "<title>¶\u00a07 of Four Missing Years" in share  # "¶ 7" never breaks
    assert '<meta http-equiv="refresh" content="0; url=https://example.org/edition/essay.html#p7">' in share
    sitemap = (site.outdir / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/edition/essay.html</loc>" in sitemap
    assert '<link rel="canonical" href="https://example.org/edition/essay.html"' in site.html("essay.html")


def test_web_annotations_cover_every_attached_annotation(site: Built) -> None:
    collection = json.loads((site.outdir / "downloads" / "annotations.jsonld").read_text(encoding="utf-8"))
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    files = sorted(p.stem for p in (ROOT / "annotations").rglob("*.yaml"))
    assert sorted(i["id"].split("#a-")[1] for i in items) == files
    for item in items:
        assert item["type"] == "Annotation" and item["motivation"] and item["created"]
        assert item["creator"]["name"]
        selector = item["target"]["selector"]
        assert item["target"]["source"] == "https://example.org/edition/essay.html"
        assert selector["type"] == "FragmentSelector" and re.match(r"^p\d+$", selector["value"])
        quote = selector["refinedBy"]
        assert quote["type"] == "TextQuoteSelector" and quote["exact"]


# --- the Web Annotations as JSON-LD, processed offline against the shipped W3C context ---

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
XSD = "http://www.w3.org/2001/XMLSchema#"
LEXICAL_FORMS = {  # the datatypes the context gives; the data model asks dateTimes in UTC ("Z")
    f"{XSD}dateTime": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"),
    f"{XSD}nonNegativeInteger": re.compile(r"^\d+$"),
}
NQUAD = re.compile(r'^(\S+) <([^>]+)> (<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:\^\^<([^>]+)>|@[\w-]+)?) \.$')


def offline(url: str, options: Any = None) -> dict[str, Any]:
    """The document loader: the shipped context, and nothing from the network."""
    if url != ANNO_CONTEXT:
        raise AssertionError(f"JSON-LD processing asked for {url}; only the Web Annotation context is shipped")
    document = json.loads((Path(__file__).parent / "schemas" / "anno.jsonld").read_text(encoding="utf-8"))
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": document}


def _single_values_unwrapped(value: Any, key: str = "") -> Any:
    """What compaction does to a one-element array (except under a @list term such as items)."""
    if isinstance(value, dict):
        return {k: _single_values_unwrapped(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_single_values_unwrapped(v) for v in value]
        return items[0] if len(items) == 1 and key != "items" else items
    return value


def _key_paths(value: Any, path: str = "") -> set[str]:
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in {f"{path}/{k}", *_key_paths(v, f"{path}/{k}")}}
    if isinstance(value, list):
        return {p for v in value for p in _key_paths(v, path)}
    return set()


@pytest.fixture(scope="module")
def web_annotations(site: Built) -> dict[str, Any]:
    return dict(json.loads((site.outdir / "downloads" / "annotations.jsonld").read_text(encoding="utf-8")))


def test_web_annotations_expand_against_the_context_and_lose_nothing(web_annotations: dict[str, Any]) -> None:
    """Expansion drops every key the context does not define; compacting the expansion again
    must give back the whole export, so no field is one that JSON-LD clients never see."""
    from pyld import jsonld

    options = {"documentLoader": offline}
    expanded = jsonld.expand(web_annotations, options)
    again = jsonld.compact(expanded, ANNO_CONTEXT, options)
    assert _key_paths(web_annotations) - _key_paths(again) == set()  # fields a JSON-LD client never sees
    assert again == _single_values_unwrapped(web_annotations)


def test_web_annotations_as_rdf_use_the_vocabulary_and_well_formed_literals(web_annotations: dict[str, Any]) -> None:
    """Every statement's predicate and every linked resource is an absolute IRI (a value the
    context does not know would not be); typed literals have their datatype's lexical form."""
    from pyld import jsonld

    nquads = jsonld.to_rdf(web_annotations, {"format": "application/n-quads", "documentLoader": offline})
    statements = [NQUAD.match(line) for line in nquads.splitlines()]
    assert all(statements), [line for line, m in zip(nquads.splitlines(), statements, strict=True) if not m][:3]
    predicates = {m[2] for m in statements if m}
    objects = [m[3] for m in statements if m]
    assert all(re.match(r"^<[a-z][a-z0-9+.-]*:", o) for o in objects if o.startswith("<")), "a relative IRI"
    badly_typed = [
        m[3] for m in statements if m and m[4] in LEXICAL_FORMS and not LEXICAL_FORMS[m[4]].match(m[3].split('"')[1])
    ]
    assert badly_typed == []
    items = web_annotations["first"]["items"]
    oa = "http://www.w3.org/ns/oa#"
    counted = {
        p: sum(1 for m in statements if m and m[2] == p) for p in (f"{oa}hasTarget", f"{oa}motivatedBy", f"{oa}exact")
    }
    assert counted == {p: len(items) for p in counted}
    motivations = {m[3] for m in statements if m and m[2] == f"{oa}motivatedBy"}
    assert motivations <= {f"<{oa}{name}>" for name in ("describing", "commenting", "linking", "editing")}
    assert {"http://purl.org/dc/terms/created", "http://purl.org/dc/terms/creator", f"{oa}hasBody"} <= predicates


@pytest.fixture(scope="module")
def unpublished(edition_site: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition with its exports, built with no public address (a fork before Pages)."""
    out = tmp_path_factory.mktemp("unpublished") / "html"
    shutil.copytree(edition_site.outdir, out)
    export_all(ROOT, out)
    return out


def test_without_a_site_address_every_reference_resolves_from_where_it_is_served(unpublished: Path) -> None:
    """PyLD loads annotations.jsonld from its served address (relative IRIs resolve against it):
    every target's source and the collection itself are served, and every fragment the
    targets and ids name is an id on that page. The anchor inventory's addresses likewise."""
    from pyld import jsonld

    OA, RDF = "http://www.w3.org/ns/oa#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    with serve(unpublished) as base:
        pages: dict[str, str] = {}

        def fetch(url: str) -> str:
            page = url.split("#")[0]
            if page not in pages:
                with urllib.request.urlopen(page) as response:  # an HTTP error fails the test
                    pages[page] = response.read().decode("utf-8")
            return pages[page]

        def loader(url: str, options: Any = None) -> dict[str, Any]:
            if url == ANNO_CONTEXT:
                return offline(url)
            assert url.startswith(base), url
            return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                    "document": json.loads(fetch(url))}  # fmt: skip

        address = f"{base}downloads/annotations.jsonld"
        nodes = {n["@id"]: n for n in jsonld.flatten(address, None, {"documentLoader": loader})}
        assert nodes[address]["@type"] == ["http://www.w3.org/ns/activitystreams#OrderedCollection"]
        annotations = [n for n in nodes.values() if f"{OA}Annotation" in n.get("@type", [])]
        targets = [nodes[n[f"{OA}hasTarget"][0]["@id"]] for n in annotations]
        assert len(annotations) == len(targets) > 100
        for annotation, target in zip(annotations, targets, strict=True):
            source = target[f"{OA}hasSource"][0]["@id"]
            assert source == f"{base}essay.html"
            fragment = nodes[target[f"{OA}hasSelector"][0]["@id"]][f"{RDF}value"][0]["@value"]
            for ident in (fragment, annotation["@id"].split("#")[1]):
                assert f'id="{ident}"' in fetch(source), (annotation["@id"], ident)
        inventory = f"{base}downloads/anchors.json"
        for anchor in json.loads(fetch(inventory))["anchors"]:
            url = urllib.parse.urljoin(inventory, anchor["url"])
            assert url == f"{base}essay.html#{anchor['id']}" and f'id="{anchor["id"]}"' in fetch(url)


def _step(workflow: str, job: str, name: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
    return next(step for step in data["jobs"][job]["steps"] if step.get("name") == name)


def test_a_fork_that_turns_pages_on_publishes_with_the_addresses_of_its_own_run(tmp_path: Path) -> None:
    """The Deploy workflow's build step, run as GitHub Actions runs it for a fork: the site's
    address from actions/configure-pages, the repository's from the run's own variables."""
    assert _step("deploy.yml", "build", "Find the Pages address")["uses"].startswith("actions/configure-pages@")
    step = _step("deploy.yml", "build", "Build the site and the EPUB")
    assert step["env"] == {"SITE_URL": "${{ steps.pages.outputs.base_url }}"}
    preview = _step("check.yml", "check", "Build the site")["run"]
    assert '--repository-url "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY"' in preview
    project = copy_project(tmp_path)
    run = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "SITE_URL": "https://fork.github.io/edition",  # configure-pages gives no trailing slash
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "fork/edition",
    }
    result = subprocess.run(["bash", "-c", step["run"]], cwd=project, env=run, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    html = project / "_build" / "html"
    essay = (html / "essay.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://fork.github.io/edition/essay.html" />' in essay
    assert '<meta property="og:url" content="https://fork.github.io/edition/essay.html" />' in essay
    assert '"repository": "https://github.com/fork/edition"' in essay  # the Suggest links
    collection = json.loads((html / "downloads" / "annotations.jsonld").read_text(encoding="utf-8"))
    assert collection["id"] == "https://fork.github.io/edition/downloads/annotations.jsonld"
    assert collection["first"]["items"][0]["target"]["source"] == "https://fork.github.io/edition/essay.html"
    assert "<loc>https://fork.github.io/edition/about.html</loc>" in (html / "sitemap.xml").read_text()
    assert (html / "downloads" / "edition.epub").exists()


def test_linked_bodies_name_their_source_and_times_are_utc(web_annotations: dict[str, Any]) -> None:
    """The data model: a SpecificResource has exactly one source (the passage a cross-reference
    points to), and an Annotation's created time is an xsd:dateTime in UTC: the day the
    annotation records, at its first instant."""
    items = web_annotations["first"]["items"]
    bodies = [b for item in items for b in item["body"] if b["type"] == "SpecificResource"]
    assert bodies and all(re.match(r"^https://example\.org/edition/essay\.html#p\d+$", b["source"]) for b in bodies)
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}T00:00:00Z$", item["created"]) for item in items)


@pytest.fixture(scope="module")
def epub(edition_epub: Path) -> Path:
    return edition_epub


@pytest.mark.browser
def test_pandoc_reads_the_epubs_notes_as_notes(epub: Path) -> None:
    """epub:type noteref and footnote, which pandoc and pop-up notes in reading systems need."""
    notes = elements(pandoc_ast(epub, "epub"), "Note")
    assert [plain(note).split("]")[0] for note in notes] == [f"[{n}" for n in range(1, 41)]
    assert "Ludwig von Mises, Bureaucracy" in plain(notes[0])
    with zipfile.ZipFile(epub) as book:
        essay = book.read("essay.xhtml").decode("utf-8")
    assert essay.count('epub:type="noteref"') == essay.count('role="doc-noteref"') == 40
    assert essay.count('epub:type="footnote"') == 40


@pytest.mark.browser
def test_epub_passes_epubcheck(epub: Path) -> None:
    checker = Path("/usr/share/java/epubcheck.jar")
    if not checker.exists() or shutil.which("java") is None:
        require_browser()  # fails in CI, skips elsewhere, with the reason
        pytest.skip("EPUBCheck (Debian package epubcheck) is not installed")
    result = subprocess.run(["java", "-jar", str(checker), str(epub)], capture_output=True, text=True, check=False)
    assert "No errors or warnings detected" in result.stdout + result.stderr, result.stdout[-3000:]
    with zipfile.ZipFile(epub) as book:
        essay = book.read("essay.xhtml").decode("utf-8")
    assert essay.count('class="edition-para"') == 38
    assert 'id="note-40"' in essay and 'id="a-gloss-thermidor"' in essay


# --- interoperability: the exported selectors in two independent implementations, in Chromium ---


@pytest.fixture(scope="module")
def interop_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_browser()
    out = tmp_path_factory.mktemp("interop") / "interop.bundle.js"
    esbuild = NODE_MODULES / ".bin" / "esbuild"
    subprocess.run(
        [str(esbuild), str(NODE_MODULES.parent / "interop.js"), "--bundle", "--format=iife", f"--outfile={out}"],
        check=True, capture_output=True,
    )  # fmt: skip
    return out


@pytest.fixture(scope="module")
def interop_page(site: Built, interop_bundle: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with serve(site.outdir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}essay.html")
        page.add_script_tag(path=str(interop_bundle))
        yield page
        browser.close()


def test_both_selector_implementations_anchor_every_annotation_once(site: Built, interop_page: Any) -> None:
    collection = json.loads((site.outdir / "downloads" / "annotations.jsonld").read_text(encoding="utf-8"))
    items = collection["first"]["items"]
    results = interop_page.evaluate(
        """async (items) => {
            // Offsets in the page's text (body.textContent) of a DOM point and of an element's words.
            const offset = (node, at) => { const r = document.createRange(); r.setStart(document.body, 0); r.setEnd(node, at); return r.toString().length; };
            const span = (first, last) => [offset(first, 0), offset(last, last.childNodes.length)];
            const out = [];
            for (const item of items) {
                const quote = item.target.selector.refinedBy;
                const id = item.id.split('#a-')[1];
                const marks = [...document.querySelectorAll(`[data-annot="${id}"]`)];
                const note = id.startsWith('note-') ? document.getElementById('noteref-' + parseInt(id.slice(5), 10)) : null;
                const want = marks.length ? span(marks[0], marks[marks.length - 1]) : span(note, note);
                const where = (range) => range ? [offset(range.startContainer, range.startOffset), offset(range.endContainer, range.endOffset)] : null;
                const apache = (await EditionInterop.apache(document.body, quote)).map(where);
                const dom = where(EditionInterop.domAnchor(document.body, quote));
                out.push({id, want, apache, dom});
            }
            return out;
        }""",
        items,
    )
    assert len(results) == len(items) > 100
    wrong = [r for r in results if r["apache"] != [r["want"]] or r["dom"] != r["want"]]
    assert wrong == []


# --- a variant and every grade, in a copy of the edition: site, TEI, Web Annotations, text ---

VARIANT = """\
schema: 2
id: variant-p15-gospel
kind: variant
target:
  paragraph: p15
  quote: gospel of obedience and silence
reading: gospel of obedience and of silence
sources: [trotsky1937revolution]
locator: chapter 5
body: A test fixture's variant.
basis: A test fixture.
confidence: verified-in-translation
author:
  name: The editors
date: 2026-11-25
"""


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The edition with a variant, a note expansion graded secondary and a gloss verified in
    translation, built and exported as a deployment would be."""

    project = copy_project(tmp_path_factory.mktemp("varied"))
    (project / "annotations" / "variants").mkdir(exist_ok=True)
    (project / "annotations" / "variants" / "variant-p15-gospel.yaml").write_text(VARIANT, encoding="utf-8")
    for name, old, new in (
        ("notes/note-09.yaml", "confidence: not-identified", "confidence: secondary"),
        ("glosses/gloss-trotsky.yaml", "confidence: verified", "confidence: verified-in-translation"),
    ):
        path = project / "annotations" / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    out = project / "_build" / "html"
    built = build(project, project / "docs", out, edition_site_url="https://example.org/edition/")
    assert built.warnings == ""
    export_all(project, out, "https://example.org/edition/")
    return out


def test_a_variant_in_tei_is_an_apparatus_entry_valid_against_tei_all(varied: Path) -> None:
    from edition.annotation.grades import meanings

    tei = etree.parse(str(varied / "downloads" / "edition.tei.xml"))
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(tei), [f"{e.line}: {e.message}" for e in schema.error_log][:10]
    (app,) = tei.xpath("//tei:body//tei:p[@xml:id='p15']//tei:app[@xml:id='m-variant-p15-gospel']", namespaces=TEI_NS)
    assert app.get("{http://www.w3.org/XML/1998/namespace}id") == "m-variant-p15-gospel"
    lemma, reading = app.find("tei:lem", TEI_NS), app.find("tei:rdg", TEI_NS)
    assert (lemma.text, lemma.get("wit")) == ("gospel of obedience and silence", "#witness")
    assert reading.text == "gospel of obedience and of silence"
    assert dict(reading.attrib) == {
        "source": "#bibl-trotsky1937revolution",
        "resp": "#editors",
        "cert": "high",
        "ana": "#confidence-verified-in-translation",
    }
    assert app.xpath("tei:note/tei:bibl/tei:citedRange/text()", namespaces=TEI_NS) == ["chapter 5"]
    assert tei.xpath("//tei:sourceDesc/tei:bibl[@type='witness']/@xml:id", namespaces=TEI_NS) == ["witness"]
    categories = tei.xpath("//tei:taxonomy[@xml:id='confidence']/tei:category", namespaces=TEI_NS)
    assert [c.get("{http://www.w3.org/XML/1998/namespace}id") for c in categories] == [
        f"confidence-{grade}" for grade in meanings()
    ]
    for category in categories:
        grade = category.get("{http://www.w3.org/XML/1998/namespace}id").removeprefix("confidence-")
        assert meanings()[grade] in category.findtext("tei:catDesc", namespaces=TEI_NS)
    note = tei.xpath("//tei:note[@xml:id='note-9']", namespaces=TEI_NS)[0]
    assert (note.get("cert"), note.get("ana")) == ("medium", "#confidence-secondary")
    gloss = tei.xpath("//tei:person[@xml:id='gloss-trotsky']/tei:note", namespaces=TEI_NS)[0]
    assert gloss.get("ana") == "#confidence-verified-in-translation"


def test_a_variant_as_a_web_annotation_keeps_both_readings_and_loses_nothing_as_json_ld(varied: Path) -> None:
    from pyld import jsonld

    collection = json.loads((varied / "downloads" / "annotations.jsonld").read_text(encoding="utf-8"))
    (item,) = [i for i in collection["first"]["items"] if i["id"].endswith("#a-variant-p15-gospel")]
    assert item["motivation"] == "commenting"
    assert item["target"]["selector"]["refinedBy"]["exact"] == "gospel of obedience and silence"
    comment, reading = item["body"]
    assert comment["dcterms:description"] == (
        "confidence: verified-in-translation (Seen in a translation of the cited work, not in the text cited; "
        "the basis names which translation.)"
    )
    assert reading["value"] == "gospel of obedience and of silence" and reading["purpose"] == "describing"
    assert reading["dcterms:source"] == ["https://example.org/edition/bibliography.html#cite-trotsky1937revolution"]
    assert reading["dcterms:description"].endswith("seen in trotsky1937revolution, chapter 5")
    options = {"documentLoader": offline}
    again = jsonld.compact(jsonld.expand(collection, options), ANNO_CONTEXT, options)
    assert _key_paths(collection) - _key_paths(again) == set()
    assert again == _single_values_unwrapped(collection)


def test_a_variant_in_the_text_exports_and_on_the_pages(varied: Path) -> None:
    text = (varied / "downloads" / "essay.txt").read_text(encoding="utf-8")
    variants = text[text.index("\nVARIANTS\n") :]
    assert "¶ 15: gospel of obedience and silence ] gospel of obedience and of silence " in variants
    assert "(trotsky1937revolution, chapter 5; verified-in-translation)" in variants
    assert "  secondary: Seen only as quoted or described by another work" in text
    markdown = (varied / "downloads" / "essay.md").read_text(encoding="utf-8")
    assert "- ¶ 15: *gospel of obedience and silence* \\] gospel of obedience and of silence (" in markdown
    essay = (varied / "essay.html").read_text(encoding="utf-8")
    assert (
        '<span class="annot-mark annot-variant" data-annot="variant-p15-gospel">gospel of obedience and silence'
        in essay
    )
    about = (varied / "about.html").read_text(encoding="utf-8")
    count = len(list((ROOT / "annotations" / "variants").glob("*.yaml"))) + 1  # the edition's and this one
    assert f"<td><p>Variants</p></td>\n<td><p>{count}</p></td>" in about  # the report's count
    grades = about[about.index('<table class="edition-report-grades') :]
    assert "<td><p>Variants</p></td>\n<td><p>0</p></td>\n<td><p>1</p></td>" in grades  # verified, in translation
    assert "<td><p>Note expansions</p></td>" in grades
