"""The extension end to end on a tiny root: anchors, margin numbers, milestones, notes."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import build_root


def test_tiny_edition_builds_with_anchors_and_milestones(tmp_path: Path) -> None:
    site = build_root("basic", tmp_path)
    assert site.warnings == ""
    html = site.html("index.html")
    assert '<p class="edition-para" id="p1">' in html
    # The number, the page and the controls' labels are drawn by CSS: the paragraph's text is the essay's.
    assert '<a class="para-link" href="#p2" data-n="2" aria-label="Paragraph 2, permalink"></a>' in html
    assert '<button type="button" class="cite-btn" aria-label="Cite paragraph 2"></button>' in html
    pages = re.findall(r'<span class="page-break" id="page-(\d+)" data-page="\1"><span class="page-break-label"', html)
    assert pages == ["1", "2"]
    assert '<h2 class="rubric" id="notes">Notes</h2>' in html  # the notes have a heading
    assert 'id="noteref-1" role="doc-noteref"' in html
    assert '<aside class="footnote brackets edition-note" id="note-2" role="doc-footnote">' in html
    assert 'href="#noteref-2"' in html  # the back link follows the renamed reference
    assert html.count("para-link") == 2  # the unnumbered paragraph gets no marker


def test_text_builder_shows_numbers_and_pages(tmp_path: Path) -> None:
    site = build_root("basic", tmp_path, builder="text")
    text = (site.outdir / "index.txt").read_text(encoding="utf-8")
    assert "[1] [p. 1]First paragraph" in text
    assert "The second [p. 2]paragraph" in text
