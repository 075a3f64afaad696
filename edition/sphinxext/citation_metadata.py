"""Citing the edition: metadata for reference managers and link previews, the title page's
"Cite this edition", and the data behind every paragraph's cite control.

The essay's page alone carries Highwire ``citation_*`` and Dublin Core tags and schema.org
JSON-LD (saving any other page in Zotero must not save the essay); they describe the essay
as a chapter of the edition, which is what Zotero's Embedded Metadata translator imports as
a book section. Once the site's address is known every page gets OpenGraph and Twitter card
tags. Pages with paragraphs get the citation templates of :mod:`edition.core.citation_formats` as inert JSON
for the script to fill in with the paragraph's permalink.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..annotation.skeleton import path_for, skeleton
from ..core.citation_formats import EDITORS, LANGUAGE, PARA_TOKEN, URL_TOKEN, citations, work_of
from ..core.textnorm import normalise
from ..core.versions import EditionInfo, load_info
from .config import app_of, from_sphinx

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DESCRIPTION_WORDS = 30


@cache
def _info(path: str, stamp: float) -> EditionInfo:
    return load_info(Path(path))


def edition_info(app: Sphinx) -> EditionInfo:
    path = Path(app.confdir) / from_sphinx(app.config).source_dir / "edition.yaml"
    return _info(str(path), path.stat().st_mtime if path.exists() else 0.0)


@cache
def _templates(path: str, stamp: float) -> str:
    return _json(citations(_info(path, stamp)))


def _json(data: Any) -> str:
    """JSON to stand inside a ``<script>`` element: nothing in it can close the element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def _meta(attribute: str, tags: list[tuple[str, str]]) -> str:
    return "".join(
        f'<meta {attribute}="{name}" content="{html.escape(value)}" />\n' for name, value in tags if value.strip()
    )


def meta_tags(info: EditionInfo, page_url: str, page_ref: str) -> str:
    """The essay's page: who wrote it, where it stands, where it first appeared (Highwire tags
    as Zotero and Google Scholar read them, Dublin Core, and schema.org JSON-LD). ``page_url``
    is the page's address, or "" when the site's is not known (a reference manager then takes
    the address it has the page from); ``page_ref`` the page's address, relative or not."""
    work = work_of(info)
    date = info.released.replace("-", "/")
    tags = [
        ("citation_title", work.title),
        ("citation_author", work.author),
        ("citation_editor", EDITORS),
        ("citation_inbook_title", work.edition),  # Zotero: a book section in this book
        ("citation_publication_date", date),
        ("citation_online_date", date),
        ("citation_language", LANGUAGE),
        ("citation_public_url", page_url),
        ("DC.title", work.title),
        ("DC.creator", work.author),
        ("DC.date", info.released),
        ("DC.relation", work.first_published()),
    ]
    return _meta("name", tags) + f'<script type="application/ld+json">{_json(json_ld(info, page_ref))}</script>\n'


def json_ld(info: EditionInfo, page_url: str) -> dict[str, Any]:
    """schema.org: the essay (its author, the version of it this page gives) as part of the
    edition (its editors), based on the essay as first published. ``page_url`` may be
    relative ("essay.html"): JSON-LD resolves it against the page's own address."""
    work = work_of(info)
    author = {"@type": "Person", "name": f"{work.given} {work.family}".strip(), "givenName": work.given}
    author["familyName"] = work.family
    editors = {"@type": "Organization", "name": EDITORS}
    original: dict[str, Any] = {"@type": "ScholarlyArticle", "name": work.title, "author": author}
    if work.journal:
        periodical = {"@type": "Periodical", "name": work.journal}
        original["isPartOf"] = (
            {"@type": "PublicationVolume", "volumeNumber": work.volume, "isPartOf": periodical}
            if work.volume
            else periodical
        )
    if work.year:
        original["datePublished"] = work.year
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": page_url,
        "url": page_url,
        "name": work.title,
        "headline": work.title,
        "author": author,
        "editor": editors,
        "version": work.version,
        "inLanguage": LANGUAGE,
        "isPartOf": {"@type": "Book", "name": work.edition, "editor": editors, "version": work.version},
        "isBasedOn": original,
    }
    if info.publisher:
        data["publisher"] = {"@type": "Organization", "name": info.publisher}
    if work.released:
        data["datePublished"] = work.released
    return data


def sharing_tags(title: str, description: str, page_url: str, site_name: str, article: bool) -> str:
    """OpenGraph and Twitter card tags: what a link preview shows."""
    og = [
        ("og:type", "article" if article else "website"),
        ("og:title", title),
        ("og:description", description),
        ("og:url", page_url),
        ("og:site_name", site_name),
        ("og:locale", "en"),
    ]
    twitter = [("twitter:card", "summary"), ("twitter:title", title), ("twitter:description", description)]
    return _meta("property", og) + _meta("name", twitter)


def page_description(doctree: nodes.document | None, fallback: str) -> str:
    """The opening words of the page's first paragraph of prose."""
    for para in doctree.findall(nodes.paragraph) if doctree is not None else []:
        words = normalise(para.astext()).split(" ")
        if len(words) > 5:
            return " ".join(words[:DESCRIPTION_WORDS]) + (" …" if len(words) > DESCRIPTION_WORDS else "")
    return fallback


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html" or app.builder.name.startswith("epub"):
        return  # an e-book carries its metadata in its package document
    info = edition_info(app)
    settings = from_sphinx(app.config)
    target = app.builder.get_target_uri(pagename)
    page_url = f"{settings.site_url}{target}" if settings.site_url else ""
    is_essay = pagename == settings.essay_doc
    extra = ""
    if is_essay:
        extra += meta_tags(info, page_url, page_url or target)
    if settings.site_url:
        work = work_of(info)
        title_node = app.env.titles.get(pagename)
        title = work.title if is_essay else (title_node.astext() if title_node else info.title)
        fallback = f"{info.title}, version {info.version}."
        description = work.description() if is_essay else page_description(doctree, fallback)
        extra += sharing_tags(title, description, page_url, info.title, article=is_essay)
    if doctree is not None and any("edition-para" in n["classes"] for n in doctree.findall(nodes.paragraph)):
        path = Path(app.confdir) / settings.source_dir / "edition.yaml"
        data = _templates(str(path), path.stat().st_mtime if path.exists() else 0.0)
        extra += f'<script type="application/json" id="edition-cite-data">{data}</script>\n'
        extra += f'<script type="application/json" id="edition-suggest-data">{suggest_data(app)}</script>\n'
    context["metatags"] = context.get("metatags", "") + extra


def suggest_data(app: Sphinx) -> str:
    """Templates behind every paragraph's "Suggest an annotation": one per kind, with tokens
    the script fills in (paragraph, quote, date), and where to propose them."""
    settings = from_sphinx(app.config)
    kinds = {}
    for kind in ("gloss", "commentary", "crossref", "emendation", "variant"):
        ident = f"{kind}-__PARAGRAPH__-__SLUG__"
        text = skeleton(kind, paragraph="__PARAGRAPH__", quote="__QUOTE__", date="__DATE__", ident=ident)
        text = text.replace("\ndate: __DATE__\n", "\ndate: '__DATE__'\n")  # quoted, as `new` writes a date
        kinds[kind] = {"yaml": text, "path": path_for(kind, ident)}
    return _json({"repository": settings.repository_url, "branch": settings.repository_branch, "kinds": kinds})


def _with_url(text: str, url: str) -> list[nodes.Node]:
    """The citation's words with its address in an element of its own, which the page's script
    makes absolute where the site's address is not configured (and nothing else touches)."""
    before, found, after = text.partition(url)
    if not found:
        return [nodes.Text(text)]
    return [nodes.Text(before), nodes.inline(url, url, classes=["cite-url"]), *_with_url(after, url)]


def _flat(parts: list[nodes.Node | list[nodes.Node]]) -> list[nodes.Node]:
    return [node for part in parts for node in (part if isinstance(part, list) else [part])]


class CiteEditionDirective(SphinxDirective):
    """``{edition-cite}``: the essay in this edition, in every format, for the title page."""

    def run(self) -> list[nodes.Node]:
        app = app_of(self.env)
        settings = from_sphinx(self.env.config)
        info = edition_info(app)
        self.env.note_dependency(str(Path(app.confdir) / settings.source_dir / "edition.yaml"))
        url = f"{settings.site_url}{settings.essay_doc}.html" if settings.site_url else f"{settings.essay_doc}.html"
        box = nodes.container(classes=["edition-cite"])
        for key, value in citations(info, url=url, paragraph=None).items():
            block = nodes.container(classes=["edition-cite-format"], format=key)
            block += nodes.paragraph("", "", nodes.strong(text=value["label"]))
            text = value["reference"]
            if key in ("bibtex", "ris"):
                # A raw source unlike the text (the template, its address a token) makes the
                # translator write the children as they are: a parsed literal, not highlighted code.
                template = text.replace(url, URL_TOKEN)
                block += nodes.literal_block(template, "", *_with_url(text, url), classes=[f"cite-{key}"])
            else:  # the style's italics kept (the edition's and the journal's titles)
                words = [nodes.emphasis(run, run) if italic else _with_url(run, url) for run, italic in value["runs"]]
                block += nodes.paragraph("", "", *_flat(words), classes=[f"cite-{key}"])
            box += block
        return [box]


def setup_citation_metadata(app: Sphinx) -> None:
    app.add_directive("edition-cite", CiteEditionDirective)
    app.connect("html-page-context", _page_context)


__all__ = ["PARA_TOKEN", "URL_TOKEN", "setup_citation_metadata"]
