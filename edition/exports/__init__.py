"""The edition as data: TEI P5, W3C Web Annotations, plain text, Markdown, the anchor
inventory, a sitemap and share pages, all generated from the same sources as the site.

Pure apart from reading the built HTML (for the rendered text that annotation clients
match against) and writing files. ``build_edition.py build`` (or ``export``) calls
:func:`export_all` after the HTML build; the EPUB is built by Sphinx itself.
"""

from __future__ import annotations

from pathlib import Path

from .anchors import anchors_json
from .model import EditionData, load_edition
from .rendered import read_page
from .share import share_pages, sitemap
from .tei import tei_document
from .text import markdown_text, plain_text
from .webanno import web_annotations

__all__ = ["EditionData", "export_all", "load_edition"]

FILES = {
    "tei": "edition.tei.xml",
    "annotations": "annotations.jsonld",
    "text": "essay.txt",
    "markdown": "essay.md",
    "anchors": "anchors.json",
}


def export_all(root: Path, html_dir: Path, site_url: str = "", essay_page: str = "essay.html") -> list[Path]:
    """Write every export into ``html_dir/downloads`` (and sitemap and share pages into ``html_dir``)."""
    data = load_edition(root)
    downloads = html_dir / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    page_text, rendered = read_page((html_dir / essay_page).read_text(encoding="utf-8"))
    base = site_url or ""
    # Without the site's address, references are relative to where each file is served:
    # the downloads sit one folder below the essay's page.
    page = f"{base}{essay_page}" if base else f"../{essay_page}"
    collection = f"{base}downloads/{FILES['annotations']}" if base else FILES["annotations"]
    outputs = {
        FILES["tei"]: tei_document(data),
        FILES["annotations"]: web_annotations(data, page_text, rendered, page, collection),
        FILES["text"]: plain_text(data),
        FILES["markdown"]: markdown_text(data, page),
        FILES["anchors"]: anchors_json(data, page),
    }
    written = []
    for name, text in outputs.items():
        path = downloads / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for name, text in share_pages(data, base, essay_page).items():
        path = html_dir / "p" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    if site_url:
        pages = sorted(p.relative_to(html_dir).as_posix() for p in html_dir.glob("*.html"))
        (html_dir / "sitemap.xml").write_text(sitemap(site_url, pages), encoding="utf-8")
        written.append(html_dir / "sitemap.xml")
    return written
