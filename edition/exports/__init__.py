"""The edition as data: TEI P5, W3C Web Annotations, plain text, Markdown, the anchor
inventory, a sitemap and share pages, all generated from the same sources as the site.

Pure apart from reading the built HTML (for the rendered text that annotation clients
match against) and writing files. ``build_edition.py build`` (or ``export``) calls
:func:`export_all` after the HTML build; the EPUB is built by Sphinx itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..checks.output import Allowed, Finding, check_json, check_markdown, check_markup, check_text
from .anchors import anchors_json
from .model import EditionData, load_edition
from .rendered import read_page
from .share import share_pages, sitemap
from .tei import tei_document
from .text import markdown_text, plain_text
from .webanno import web_annotations

__all__ = ["EditionData", "ExportRefused", "export_all", "load_edition"]

FILES = {
    "tei": "edition.tei.xml",
    "annotations": "annotations.jsonld",
    "text": "essay.txt",
    "markdown": "essay.md",
    "anchors": "anchors.json",
}


class ExportRefused(Exception):
    """An export holds what no published file may (:mod:`edition.checks.output`); nothing was written."""

    def __init__(self, findings: list[tuple[str, Finding]]) -> None:
        super().__init__(f"{len(findings)} finding(s) in the exports")
        self.findings = findings

    def lines(self) -> list[str]:
        return [f"{path}:{f.line}:{f.column}: {f.message} [edition.unsafe]" for path, f in self.findings]


def export_all(root: Path, html_dir: Path, site_url: str = "", essay_page: str = "essay.html") -> list[Path]:
    """Write every export into ``html_dir/downloads`` (and sitemap and share pages into ``html_dir``).

    Every file is checked before any is written (:func:`check_exports`); a finding raises
    :class:`ExportRefused` and nothing is written."""
    data = load_edition(root)
    downloads = html_dir / "downloads"
    page_text, rendered = read_page((html_dir / essay_page).read_text(encoding="utf-8"))
    base = site_url or ""
    # Without the site's address, references are relative to where each file is served:
    # the downloads sit one folder below the essay's page.
    page = f"{base}{essay_page}" if base else f"../{essay_page}"
    collection = f"{base}downloads/{FILES['annotations']}" if base else FILES["annotations"]
    files = {
        f"downloads/{FILES['tei']}": tei_document(data),
        f"downloads/{FILES['annotations']}": web_annotations(data, page_text, rendered, page, collection),
        f"downloads/{FILES['text']}": plain_text(data),
        f"downloads/{FILES['markdown']}": markdown_text(data, page),
        f"downloads/{FILES['anchors']}": anchors_json(data, page),
    }
    files.update({f"p/{name}": text for name, text in share_pages(data, base, essay_page).items()})
    if site_url:
        pages = sorted(p.relative_to(html_dir).as_posix() for p in html_dir.glob("*.html"))
        files["sitemap.xml"] = sitemap(site_url, pages)
    findings = check_exports(files, base, essay_page)
    if findings:
        raise ExportRefused(findings)
    downloads.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = html_dir / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    _remove_stale(html_dir, written)
    return written


KEPT = {"edition.epub"}  # in downloads/, but made by the EPUB build, after the exports


def _remove_stale(html_dir: Path, written: list[Path]) -> None:
    """Exports of an earlier build that this one did not write (a share page, the sitemap)."""
    fresh = set(written)
    earlier = [*(html_dir / "downloads").glob("*"), *(html_dir / "p").glob("*"), html_dir / "sitemap.xml"]
    for path in earlier:
        if path.is_file() and path not in fresh and path.name not in KEPT:
            path.unlink()


def check_exports(files: dict[str, str], base: str, essay_page: str) -> list[tuple[str, Finding]]:
    """The findings of :mod:`edition.checks.output` in each export (by its path from the site's root).
    A share page may refresh to its paragraph of the essay, and to nothing else."""
    to_essay = re.compile(rf"^{re.escape(base or '../')}{re.escape(essay_page)}#p[1-9][0-9]*[a-z]?$")
    share = Allowed(refresh=lambda target: bool(to_essay.match(target)), json_data=False)
    found: list[tuple[str, Finding]] = []
    for name, text in files.items():
        if name.endswith(".md"):
            findings = check_markdown(text)
        elif name.endswith((".json", ".jsonld")):
            findings = check_json(text)
        elif name.endswith(".txt"):
            findings = check_text(text)
        else:
            findings = check_markup(text, name, share, xml=name.endswith(".xml"))
        found += [(name, finding) for finding in findings]
    return found
