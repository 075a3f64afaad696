"""Citing the edition: metadata for reference managers, the title page's "Cite this edition",
and the data behind every paragraph's cite control.

Every page gets Highwire ``citation_*`` meta tags and schema.org JSON-LD (what Zotero's
connector reads); pages with paragraphs get the citation templates of :mod:`edition.cite`
as inert JSON for the script to fill in with the paragraph's permalink.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .cite import PARA_TOKEN, URL_TOKEN, citations
from .config import app_of, from_sphinx
from .skeleton import path_for, skeleton
from .versions import EditionInfo, load_info

if TYPE_CHECKING:
    from sphinx.application import Sphinx


@cache
def _info(path: str, stamp: float) -> EditionInfo:
    return load_info(Path(path))


def edition_info(app: Sphinx) -> EditionInfo:
    path = Path(app.confdir) / from_sphinx(app.config).source_dir / "edition.yaml"
    return _info(str(path), path.stat().st_mtime if path.exists() else 0.0)


@cache
def _templates(path: str, stamp: float) -> str:
    data = citations(_info(path, stamp))
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def meta_tags(info: EditionInfo, page_url: str) -> str:
    essay = info.essay
    author = essay.get("author", {})
    tags = [
        ("citation_title", essay.get("title", "")),
        ("citation_author", f"{author.get('family', '')}, {author.get('given', '')}"),
        ("citation_publication_date", info.released.replace("-", "/")),
        ("citation_online_date", info.released.replace("-", "/")),
        ("citation_language", "en"),
        ("citation_publisher", info.title),
        ("DC.title", essay.get("title", "")),
        ("DC.creator", f"{author.get('family', '')}, {author.get('given', '')}"),
        ("DC.date", info.released),
        ("DC.relation", f"{essay.get('journal', '')} {essay.get('volume', '')} ({essay.get('year', '')})"),
    ]
    if page_url:
        tags.append(("citation_public_url", page_url))
    out = "".join(f'<meta name="{name}" content="{html.escape(str(value))}" />\n' for name, value in tags if value)
    ld = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": essay.get("title", ""),
        "headline": essay.get("title", ""),
        "author": {"@type": "Person", "givenName": author.get("given", ""), "familyName": author.get("family", "")},
        "datePublished": info.released,
        "version": info.version,
        "isPartOf": {"@type": "WebSite", "name": info.title},
        "isBasedOn": {
            "@type": "ScholarlyArticle",
            "name": essay.get("title", ""),
            "isPartOf": {
                "@type": "PublicationVolume",
                "volumeNumber": str(essay.get("volume", "")),
                "isPartOf": {"@type": "Periodical", "name": essay.get("journal", "")},
            },
            "datePublished": str(essay.get("year", "")),
        },
    }
    if page_url:
        ld["url"] = page_url
    data = json.dumps(ld, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return out + f'<script type="application/ld+json">{data}</script>\n'


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html" or app.builder.name.startswith("epub"):
        return  # an e-book carries its metadata in its package document
    info = edition_info(app)
    site = from_sphinx(app.config).site_url
    page_url = f"{site}{pagename}.html" if site else ""
    extra = meta_tags(info, page_url)
    if doctree is not None and any("edition-para" in n["classes"] for n in doctree.findall(nodes.paragraph)):
        path = Path(app.confdir) / from_sphinx(app.config).source_dir / "edition.yaml"
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
        kinds[kind] = {"yaml": text, "path": path_for(kind, ident)}
    data = {"repository": settings.repository_url, "branch": settings.repository_branch, "kinds": kinds}
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


class CiteEditionDirective(SphinxDirective):
    """``{edition-cite}``: the edition in every format, for the title page."""

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
                block += nodes.literal_block(text, text, classes=[f"cite-{key}"])
            else:
                block += nodes.paragraph(text=text, classes=[f"cite-{key}"])
            box += block
        return [box]


def setup_citing(app: Sphinx) -> None:
    app.add_directive("edition-cite", CiteEditionDirective)
    app.connect("html-page-context", _page_context)


__all__ = ["PARA_TOKEN", "URL_TOKEN", "setup_citing"]
