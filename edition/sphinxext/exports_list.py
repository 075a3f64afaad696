"""The About page's list of the exports (:mod:`edition.exports`).

The exports are written by ``build_edition.py build`` (or ``export``) after the HTML build,
not inside Sphinx: they read the built page, and a page build should not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .config import app_of, from_sphinx

DOWNLOADS = (
    (
        "edition.tei.xml",
        "TEI P5 XML",
        "the text with paragraph ids, page beginnings, notes with their expansions, emendations as "
        "choice/sic/corr, variants of quotations as app/lem/rdg (where their words cross another annotation's, "
        "two anchors mark them and the choice or app stands in standOff), the glossed persons, terms and works "
        "in lists, "
        "and each grade of confidence as a category of the header; valid against the TEI schema (tei_all).",
    ),
    (
        "annotations.jsonld",
        "W3C Web Annotations (JSON-LD)",
        "every annotation, its target a fragment of the essay page refined by a text-quote selector; JSON-LD "
        "in the Web Annotation context, so annotation clients and linked-data tools can load it.",
    ),
    ("edition.epub", "EPUB 3", "for e-readers, checked by EPUBCheck, with pop-up notes where the reader has them."),
    ("essay.txt", "Plain text", "the reading text with notes and page and paragraph numbers, for corpus tools."),
    ("essay.md", "Markdown", "the same in CommonMark, with footnotes (pandoc reads it as commonmark_x or gfm)."),
    (
        "anchors.json",
        "The anchor inventory",
        "every paragraph id ever published, its status, opening words and address.",
    ),
)


class DownloadsDirective(SphinxDirective):
    """``{edition-downloads}``: links to the exports (written after the build, so not resolved as documents)."""

    def run(self) -> list[nodes.Node]:
        listing = nodes.bullet_list(classes=["edition-downloads"])
        site = from_sphinx(self.env.config).site_url
        in_book = app_of(self.env).builder.name.startswith("epub")
        for name, label, description in DOWNLOADS:
            para = nodes.paragraph()
            if in_book and not site:
                para += nodes.strong(text=label)  # the files stand beside the site, not in the e-book
            else:
                para += nodes.reference("", label, refuri=f"{site if in_book else ''}downloads/{name}")
            para += nodes.Text(f": {description}")
            listing += nodes.list_item("", para)
        return [listing]


if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_exports_list(app: Sphinx) -> None:
    app.add_directive("edition-downloads", DownloadsDirective)
