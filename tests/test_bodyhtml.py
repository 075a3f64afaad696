"""Annotation content written as HTML by edition.sphinxext.body_html is the HTML the translator writes.

The same root is built twice, once with the direct writer and once with every annotation
rendered through docutils nodes, and the pages must be the same bytes (search index too)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOTS, build
from edition.annotation.markup import parse_body
from edition.sphinxext.body_html import attribute, encode, is_simple
from edition.sphinxext.rendering import BodyRenderer

HEAD = "schema: 2\nid: {id}\nkind: {kind}\ntarget:\n  paragraph: {para}\n  quote: {quote}\n"
TAIL = "author:\n  name: {author}\n{orcid}date: 2026-11-26\n"
EXTRA = {
    "commentary-links": (
        "commentary", "p2", "bureaucracy",
        'body: "See [*the* **second** paragraph](#p2), [its page](index.html#p3), [a missing one](#p9),\\n'
        '  and [a query](https://example.org/a?b=1&c=\\"2\\")."\n'
        "basis: |\n  First paragraph of the basis, with {ann}`gloss-thermidor` (https://example.org/a_b?c=1&d=2).\n\n"
        "  Second paragraph, with {ann}`gloss-nobody` and {para}`p7`.\n"
        "confidence: not-identified\n",
        "Ann O'Tator & Co <x>", "  orcid: 0000-0002-1825-0097\n",
    ),
    "commentary-mail": (
        "commentary", "p2", "He had",
        "body: Write to [the editors](mailto:editors@example.org).\n",
        "The editors", "",
    ),
    "crossref-to-annotation": (
        "crossref", "p3", "returns",
        "refers_to:\n  annotation: gloss-thermidor\nbody: Plain   words,\n  over two lines.\n",
        "The editors", "",
    ),
    "crossref-to-nowhere": (
        "crossref", "p3", "theme",
        "refers_to:\n  paragraph: p99\nbody: \"@handle, 1 < 2 > 0 and \\\"quoted\\\"\"\n",
        "The editors", "",
    ),
    "gloss-markup-headword": (
        "gloss", "p2", "concerned",
        'category: term\nheadword: "Concern <b> & \\"care\\""\nbody: "*Nested **strong** in em*"\n'
        "basis: Plain basis.\nconfidence: inferred\n",
        "The editors", "",
    ),
}  # fmt: skip


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(ROOTS / "test-annotations", root)
    for ident, (kind, para, quote, middle, author, orcid) in EXTRA.items():
        text = HEAD.format(id=ident, kind=kind, para=para, quote=quote) + middle
        text += TAIL.format(author=author, orcid=orcid)
        (root / "annotations" / f"{ident}.yaml").write_text(text, encoding="utf-8")
    return root


def test_the_written_html_is_the_translators(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[str] = []
    fill_html = BodyRenderer.fill_html

    def spy(self: BodyRenderer, body: object, ann: object, link: object) -> object:
        written.append(ann.id)  # type: ignore[attr-defined]
        return fill_html(self, body, ann, link)  # type: ignore[arg-type]

    monkeypatch.setattr(BodyRenderer, "fill_html", spy)
    direct = build(root, root / "docs", root / "_build" / "direct")
    assert set(EXTRA) - {"commentary-mail"} <= set(written)
    assert "commentary-mail" not in written  # an e-mail link goes through nodes: the translator cloaks it
    monkeypatch.setattr(BodyRenderer, "writes_html", lambda self, ann: False)
    through_nodes = build(root, root / "docs", root / "_build" / "nodes")
    for page in ("index.html", "searchindex.js", "persons.html"):
        assert direct.html(page) == through_nodes.html(page), page
    assert direct.warnings == through_nodes.warnings


@pytest.mark.parametrize(
    ("text", "simple"),
    [
        ("Plain *em* **strong** [link](https://example.org) {para}`p1` {ann}`gloss-x`", True),
        ("First.\n\nSecond.", True),
        ("A {cite:p}`key`.", False),
        ("- a list", False),
        ("> a quote", False),
        ("Some `code`.", False),
        ("A hard  \nbreak", False),
        ("[mail](mailto:editors@example.org)", False),
    ],
)
def test_what_the_writer_takes(text: str, simple: bool) -> None:
    assert is_simple(parse_body(text)) is simple


def test_escaping_is_docutils() -> None:
    assert encode('<a href="x">&@</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&#64;&lt;/a&gt;"
    assert attribute("a\nb\tc&") == "a b c&amp;"
