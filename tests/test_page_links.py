"""What the built pages print and link to: "¶ N" that never breaks, and every link from one page
to a place on another leading to an element of it (the browser tests follow a sample)."""

from __future__ import annotations

import re

from conftest import ROOT, Built

BREAKING_PILCROW = re.compile(r"¶(?:[ \t\r\n]|&#32;|&#x20;)+\d")


def test_a_paragraph_number_never_breaks_after_its_sign(edition_site: Built) -> None:
    """Indexes, timeline, notes, cross-references, back links, Changes (share pages: test_exports): "¶ 32" has
    a no-break space, so "¶" never ends one line with "32" starting the next."""
    pages = sorted(edition_site.outdir.rglob("*.html"))
    assert len(pages) >= 15
    breaking = [
        f"{page.relative_to(edition_site.outdir)}: {found.group()!r}"
        for page in pages
        for found in BREAKING_PILCROW.finditer(page.read_text(encoding="utf-8"))
    ]
    assert breaking == [], breaking[:5]
    for name in ("persons.html", "terms.html", "timeline.html", "essay.html"):
        assert "¶\u00a0" in edition_site.html(name), name


def test_the_script_prints_paragraph_numbers_that_never_break() -> None:
    """The Cite and Suggest panels' headings and the notice for an unknown id."""
    script = (ROOT / "edition" / "static" / "edition.js").read_text(encoding="utf-8")
    printed = re.findall(r'\\u00b6(.{0,6})" \+', script)
    assert len(printed) >= 4 and all(gap == "\\u00a0" for gap in printed), printed


def test_every_link_from_another_page_into_the_essay_leads_to_an_element(edition_site: Built) -> None:
    """The indexes link each gloss's mark (#m-…), the timeline notes (#noteref-N) and paragraphs."""
    ids = set(re.findall(r'\sid="([^"]+)"', edition_site.html("essay.html")))
    links: dict[str, set[str]] = {}
    for page in sorted(edition_site.outdir.glob("*.html")):
        if page.name != "essay.html":
            for target in re.findall(r'href="essay\.html#([^"]+)"', page.read_text(encoding="utf-8")):
                links.setdefault(target, set()).add(page.name)
    assert {"persons.html", "terms.html", "works.html", "timeline.html"} <= set().union(*links.values())
    assert any(t.startswith("m-") for t in links) and any(t.startswith("noteref-") for t in links)
    assert sorted(t for t in links if t not in ids) == []


def test_every_link_between_pages_leads_to_a_page_and_an_element_of_it(edition_site: Built) -> None:
    """Every ``page.html#id`` a page links to (the title block's Downloads, the About page's
    sections, the indexes, the Changes page) names a page of the site and an id on it."""
    out = edition_site.outdir
    ids = {
        page.relative_to(out).as_posix(): set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))
        for page in out.rglob("*.html")
    }
    broken, checked = [], 0
    for page in sorted(out.rglob("*.html")):
        folder = page.parent.relative_to(out).as_posix()
        for name, fragment in re.findall(r'href="([\w./-]+\.html)#([^"]+)"', page.read_text(encoding="utf-8")):
            checked += 1
            target = (out / folder / name).resolve().relative_to(out.resolve()).as_posix()
            if fragment not in ids.get(target, set()):
                broken.append(f"{page.relative_to(out)} -> {name}#{fragment}")
    assert checked > 150 and broken == [], broken[:10]
    assert 'href="about.html#the-edition-as-data">Downloads</a>' in edition_site.html("essay.html")


def test_the_suggest_panel_names_each_kind_as_everywhere_else() -> None:
    from edition.annotation.labels import KIND_NAMES

    script = (ROOT / "edition" / "static" / "edition.js").read_text(encoding="utf-8")
    named = dict(re.findall(r'\["(\w+)", "([^"]+)"\]', script))
    assert {"gloss", "commentary", "crossref", "emendation", "variant"} <= set(named)
    assert {kind: name for kind, name in named.items() if kind in KIND_NAMES} == {
        kind: KIND_NAMES[kind][0] for kind in named if kind in KIND_NAMES
    }
